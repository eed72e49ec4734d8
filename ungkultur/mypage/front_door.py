"""The youth's front door: where to find offers, UKM and the ways to have a say in one's own
municipality, what is open right now, and why a youth cannot take part when they cannot.

Read-only selectors; the participation rules stay the judge of what a user may do, this module
only finds the first reason it would refuse, in words a 13-year-old understands.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from ungkultur.participation import rules as participation_rules
from ungkultur.participation.models import BudgetRound, Poll
from ungkultur.participation.rules import At
from ungkultur.ukm.models import UkmEvent


def open_ukm_events(municipality, *, now: datetime.datetime) -> list[UkmEvent]:
    """The municipality's UKM events whose sign-up is open now, soonest first."""
    return list(
        UkmEvent.objects.filter(
            unit__municipality=municipality, signup_opens__lte=now, signup_closes__gt=now
        )
        .select_related("unit")
        .order_by("starts_at")
    )


def voting_rounds(municipality, *, now: datetime.datetime) -> list[BudgetRound]:
    """Youth budget rounds of the municipality whose vote runs now."""
    return list(
        BudgetRound.objects.filter(
            municipality=municipality,
            published_at=None,
            vote_opens__lte=now,
            vote_closes__gt=now,
        ).order_by("vote_closes")
    )


def open_polls(municipality, *, now: datetime.datetime) -> list[Poll]:
    return list(
        Poll.objects.filter(unit__municipality=municipality, opens_at__lte=now, closes_at__gt=now)
        .select_related("unit")
        .order_by("closes_at")
    )


def why_not_take_part(
    user,
    municipality,
    *,
    now: datetime.datetime,
    age_min=None,
    age_max=None,
    needs_confirmed: bool = True,
):
    """The first reason the user cannot propose, support or vote in the municipality, or None.

    Mirrors the participation rules (age this calendar year, living or going to school there,
    a confirmed account) so the page names the one that stops them. Commenting asks no
    confirmed e-mail (``needs_confirmed=False``).
    """
    if not user.is_authenticated:
        return _("Logg inn for å være med.")
    age_min = settings.UNGKULTUR_PARTICIPATION_AGE_MIN if age_min is None else age_min
    age_max = settings.UNGKULTUR_PARTICIPATION_AGE_MAX if age_max is None else age_max
    age = participation_rules.age_at(user, now)
    if age is None:
        return _(
            "Forslag, støtte og stemmer kommer fra ungdom mellom %(min)s og %(max)s år, og vi vet "
            "ikke hvilket år du er født."
        ) % {"min": age_min, "max": age_max}
    if age < age_min:
        return _(
            "Du kan være med fra det året du fyller %(min)s. Du kan likevel lese forslagene og "
            "se hva som skjer."
        ) % {"min": age_min}
    if age > age_max:
        return _("Dette er for ungdom til og med %(max)s år.") % {"max": age_max}
    if not participation_rules.lives_or_studies_in(user, municipality.pk):
        return _("Dette er for ungdom som bor eller går på skole i %(name)s.") % {
            "name": municipality.name
        }
    if needs_confirmed and not participation_rules.has_confirmed_email(user):
        return _("Bekreft e-postadressen din først: klikk på lenken i e-posten vi sendte deg.")
    return None


def vote_banner_rounds(user, municipality, *, now: datetime.datetime) -> list[BudgetRound]:
    """The rounds whose "Stem nå" banner the user sees: those whose vote runs now, for a
    visitor (who may be a youth of the municipality) and for a youth in the round's age band
    living or going to school there; never for other logged-in users (staff, guardians)."""
    if municipality is None or (user.is_authenticated and user.birth_year is None):
        return []  # no query for staff and guardians without a birth year
    rounds = voting_rounds(municipality, now=now)
    if not user.is_authenticated:
        return rounds
    return [r for r in rounds if participation_rules.is_youth_of_round(user, At(r, now))]


@dataclass
class SayPage:
    municipality: object
    reason: str | None
    rounds: list = field(default_factory=list)
    polls: list = field(default_factory=list)
    voting: list = field(default_factory=list)


def say_page(user, municipality, *, now: datetime.datetime) -> SayPage:
    """Everything the youth can have a say on in their municipality right now."""
    rounds = list(
        BudgetRound.objects.filter(municipality=municipality).order_by("-vote_closes")[:3]
    )
    voting = [r for r in rounds if r.phase(now) == BudgetRound.Phase.VOTING]
    return SayPage(
        municipality=municipality,
        reason=why_not_take_part(user, municipality, now=now),
        rounds=[(r, r.phase(now)) for r in rounds],
        polls=open_polls(municipality, now=now),
        voting=voting,
    )
