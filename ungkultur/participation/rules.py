"""Who may propose, support, comment, answer, vote and run polls: named rules over role, age,
municipality and time window (checked in views and templates, tested as a grid).

A rule that depends on a window gets an ``At(obj, now)``: the moment is always explicit, so a
test decides it and a page never disagrees with the service it calls.
"""

import datetime
from dataclasses import dataclass

import rules
from django.conf import settings
from django.utils import timezone

from ungkultur.organisations.rules import (
    can_run_unit,
    is_national_admin,
    is_national_coordinator,
)
from ungkultur.organisations.selectors import roles_for
from ungkultur.participation.models import BudgetRound, ParticipantProfile, Proposal

# Support is what makes an unanswered proposal weigh more; once answered it no longer counts.
SUPPORTABLE = (Proposal.Status.SUBMITTED, Proposal.Status.CONSIDERING)


@dataclass(frozen=True)
class At:
    obj: object
    now: datetime.datetime


def _municipality_id(obj):
    if hasattr(obj, "municipality_id"):
        return obj.municipality_id
    return getattr(obj, "pk", None)


def school_municipality_id(user):
    """The municipality the youth says they go to school in (cached for the request)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_ungkultur_school"):
        user._ungkultur_school = (
            ParticipantProfile.objects.filter(user=user)
            .values_list("school_municipality_id", flat=True)
            .first()
        )
    return user._ungkultur_school


def age_at(user, now) -> int | None:
    return user.age_in(timezone.localtime(now).year) if user.is_authenticated else None


def lives_or_studies_in(user, municipality_id) -> bool:
    return municipality_id is not None and (
        user.municipality_id == municipality_id or school_municipality_id(user) == municipality_id
    )


def _youth_of(user, municipality_id, now, *, age_min, age_max) -> bool:
    age = age_at(user, now)
    return (
        age is not None and age_min <= age <= age_max and lives_or_studies_in(user, municipality_id)
    )


@rules.predicate
def is_youth_of_municipality(user, at):
    """Aged 13–19 (settings) this calendar year, living or going to school in the municipality."""
    return at is not None and _youth_of(
        user,
        _municipality_id(at.obj),
        at.now,
        age_min=settings.UNGKULTUR_PARTICIPATION_AGE_MIN,
        age_max=settings.UNGKULTUR_PARTICIPATION_AGE_MAX,
    )


@rules.predicate
def is_answerer(user, at):
    """The municipality's project leader; national administrators and coordinators."""
    return at is not None and _municipality_id(at.obj) in roles_for(user).leader_municipalities


@rules.predicate
def is_municipality_staff(user, at):
    return at is not None and _municipality_id(at.obj) in roles_for(user).staff_municipalities


@rules.predicate
def is_author(user, at):
    return at is not None and user.is_authenticated and at.obj.author_id == user.pk


@rules.predicate
def is_open_for_support(user, at):
    return at is not None and at.obj.status in SUPPORTABLE


@rules.predicate
def is_youth_of_round(user, at):
    """The round's own age band (this calendar year), living or at school in its municipality."""
    round_ = at.obj if at is not None else None
    return round_ is not None and _youth_of(
        user, round_.municipality_id, at.now, age_min=round_.age_min, age_max=round_.age_max
    )


def has_confirmed_email(user) -> bool:
    """A local account that confirmed its e-mail, or one that logged in with ID-porten/Feide."""
    return user.is_authenticated and (
        user.email_confirmed_at is not None or bool(user.identity_provider)
    )


def has_verified_identity(user, municipality_id) -> bool:
    """Logged in with ID-porten or Feide, whose claims gave the birth year and municipality."""
    return (
        user.is_authenticated
        and bool(user.identity_provider)
        and user.birth_year_verified
        and user.municipality_verified
        and user.municipality_id == municipality_id
    )


@rules.predicate
def is_confirmed(user):
    """Counts as a real person: proposals, supports and votes come only from such accounts."""
    return has_confirmed_email(user)


@rules.predicate
def meets_round_proof(user, at):
    """The proof the round's municipality asks for (BudgetRound.proof)."""
    if at is None:
        return False
    round_ = at.obj
    if round_.proof == BudgetRound.Proof.EID:
        return has_verified_identity(user, round_.municipality_id)
    return has_confirmed_email(user)


def _in_phase(phase):
    @rules.predicate(name=f"round_in_{phase}")
    def predicate(user, at):
        return at is not None and at.obj.phase(at.now) == phase

    return predicate


is_proposing = _in_phase(BudgetRound.Phase.PROPOSING)
is_voting = _in_phase(BudgetRound.Phase.VOTING)


@rules.predicate
def is_before_voting(user, at):
    return at is not None and at.now < at.obj.vote_opens


@rules.predicate
def is_closed_unpublished(user, at):
    return at is not None and at.obj.phase(at.now) == BudgetRound.Phase.CLOSED


@rules.predicate
def is_published(user, at):
    return at is not None and at.obj.published_at is not None


can_answer = is_national_admin | is_national_coordinator | is_answerer

rules.add_perm("participation.propose", is_youth_of_municipality & is_confirmed)
rules.add_perm(
    "participation.support",
    is_youth_of_municipality & is_confirmed & ~is_author & is_open_for_support,
)
rules.add_perm(
    "participation.comment", is_youth_of_municipality | can_answer | is_municipality_staff
)
# Answering, following up, moderating comments and the municipality's deadline.
rules.add_perm("participation.answer", can_answer)
rules.add_perm("participation.manage_budget", can_answer)
rules.add_perm("participation.publish_budget", can_answer & is_closed_unpublished)
rules.add_perm("participation.follow_budget_project", can_answer & is_published)
rules.add_perm(
    "participation.check_budget_project", (can_answer | is_municipality_staff) & is_before_voting
)
rules.add_perm(
    "participation.propose_budget_project", is_youth_of_round & meets_round_proof & is_proposing
)
rules.add_perm("participation.vote", is_youth_of_round & meets_round_proof & is_voting)
# Quick polls belong to a unit: its staff, the project leader and national administrators.
rules.add_perm("participation.manage_poll", can_run_unit)
