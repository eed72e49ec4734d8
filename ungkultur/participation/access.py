"""Tenancy for participation pages: 404 for another municipality's object, 403 for a role
that may not.

Proposals, youth budget rounds and their results are public to read; what is checked here is
acting on them. Someone with no tie to the municipality (not living, going to school or
working there) gets 404, as everywhere else; someone with a tie but without the right gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ungkultur.municipalities.models import Municipality
from ungkultur.municipalities.selectors import municipality_by_any_code
from ungkultur.organisations.models import Unit
from ungkultur.organisations.selectors import roles_for
from ungkultur.participation.models import BudgetProject, BudgetRound, Comment, Poll, Proposal
from ungkultur.participation.rules import At, lives_or_studies_in


def belongs_to(user, municipality_id) -> bool:
    return roles_for(user).belongs_to(municipality_id) or lives_or_studies_in(user, municipality_id)


def check(request, perm, obj, *, municipality_id, now=None):
    """Allow, or answer 404 (no tie to the municipality) or 403 (a tie, but not this right)."""
    target = At(obj, now or timezone.now())
    if request.user.has_perm(perm, target):
        return
    if not belongs_to(request.user, municipality_id):
        raise Http404
    raise PermissionDenied


def get_municipality(code) -> Municipality:
    municipality = municipality_by_any_code(code)
    if municipality is None:
        raise Http404
    return municipality


def get_proposal(pk) -> Proposal:
    return get_object_or_404(Proposal.objects.select_related("municipality"), pk=pk)


def get_comment(pk) -> Comment:
    return get_object_or_404(Comment.objects.select_related("proposal__municipality"), pk=pk)


def get_round(pk) -> BudgetRound:
    return get_object_or_404(BudgetRound.objects.select_related("municipality"), pk=pk)


def get_project(pk) -> BudgetProject:
    return get_object_or_404(BudgetProject.objects.select_related("round__municipality"), pk=pk)


def get_unit_for_polls(request, pk) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("municipality"), pk=pk)
    _check_unit(request, unit)
    return unit


def get_poll_for_staff(request, pk) -> Poll:
    poll = get_object_or_404(Poll.objects.select_related("unit__municipality"), pk=pk)
    _check_unit(request, poll.unit)
    return poll


def _check_unit(request, unit):
    if request.user.has_perm("participation.manage_poll", unit):
        return
    if not roles_for(request.user).belongs_to(unit.municipality_id):
        raise Http404
    raise PermissionDenied
