"""Banners for the front door, usable from any page: "Meld på UKM" while a municipality's
sign-up is open, and "Stem nå" while its youth budget vote runs."""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ungkultur.mypage import front_door

register = template.Library()


@register.inclusion_tag("mypage/includes/ukm_signup.html")
def ukm_signup(municipality):
    """The same for everyone (the catalogue keeps its page a minute): the sign-up page asks
    a visitor who is not logged in to log in first."""
    return {"events": front_door.open_ukm_events(municipality, now=timezone.now())}


@register.inclusion_tag("mypage/includes/vote_banner.html", takes_context=True)
def vote_banner(context, municipality=None):
    """Only for those who may vote there (and visitors, who may): never staff or guardians.
    Without a municipality: the logged-in user's own (looked up only for a youth)."""
    user = context.get("user") or AnonymousUser()
    if municipality is None and user.is_authenticated and user.birth_year is not None:
        municipality = user.municipality
    return {"rounds": front_door.vote_banner_rounds(user, municipality, now=timezone.now())}


@register.simple_tag
def may_add_children(user):
    from ungkultur.accounts.family import may_add_children as may

    return may(user, now=timezone.now())


@register.filter
def has_own_email(user):
    from ungkultur.accounts.family import has_own_email as own

    return own(user)


@register.simple_tag(takes_context=True)
def vote_reason(context, round_):
    """Why the logged-in user cannot vote in a round whose vote runs (or "")."""
    from ungkultur.participation import rules as participation_rules

    user, now = context["user"], timezone.now()
    reason = front_door.why_not_take_part(
        user, round_.municipality, now=now, age_min=round_.age_min, age_max=round_.age_max
    )
    if reason:
        return reason
    if not participation_rules.meets_round_proof(user, participation_rules.At(round_, now)):
        from django.utils.translation import gettext as _

        return _("I denne avstemningen stemmer du etter å ha logget inn med ID-porten eller Feide.")
    return ""


@register.simple_tag
def budget_costs(round_):
    """What each project one can vote for costs, by id (for the running total while voting)."""
    from ungkultur.participation.models import BudgetProject

    return {
        str(pk): cost
        for pk, cost in round_.projects.filter(
            feasibility=BudgetProject.Feasibility.FEASIBLE
        ).values_list("pk", "cost")
    }


@register.simple_tag(takes_context=True)
def take_part_reason(context, municipality, confirmed=True):
    """Why the logged-in user cannot propose, support or comment in the municipality (or "").
    ``confirmed=False`` for commenting, which asks no confirmed e-mail."""
    reason = front_door.why_not_take_part(
        context["user"], municipality, now=timezone.now(), needs_confirmed=confirmed
    )
    return reason or ""
