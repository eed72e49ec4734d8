"""Tenancy: fetch an object for the current user, or answer 404 (another municipality's
object) or 403 (their own municipality, but a role that may not do this)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ungkultur.organisations.models import Group, Membership
from ungkultur.organisations.selectors import roles_for


def _check(request, obj, municipality_id, perm):
    if request.user.has_perm(perm, obj):
        return obj
    if municipality_id is not None and not roles_for(request.user).belongs_to(municipality_id):
        raise Http404
    raise PermissionDenied


def get_group_for_user(request, pk, perm):
    group = get_object_or_404(Group.objects.select_related("municipality"), pk=pk)
    return _check(request, group, group.municipality_id, perm)


def get_membership_for_user(request, pk, perm):
    membership = get_object_or_404(
        Membership.objects.select_related("group__municipality", "user"), pk=pk
    )
    return _check(request, membership.group, membership.group.municipality_id, perm) and membership
