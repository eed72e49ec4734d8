"""Tenancy for the catalogue: fetch a unit or an offer for the current user, or answer 404
(another municipality's object) or 403 (their own municipality, but a role that may not)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ungkultur.catalogue.models import Offer
from ungkultur.organisations.models import Unit
from ungkultur.organisations.selectors import roles_for


def _check(request, obj, municipality_id, perm):
    if request.user.has_perm(perm, obj):
        return obj
    if not roles_for(request.user).belongs_to(municipality_id):
        raise Http404
    raise PermissionDenied


def get_unit_for_user(request, pk, perm="catalogue.manage_unit_offers"):
    unit = get_object_or_404(Unit.objects.select_related("municipality"), pk=pk)
    return _check(request, unit, unit.municipality_id, perm)


def get_offer_for_user(request, pk, perm="catalogue.manage_offer"):
    offer = get_object_or_404(Offer.objects.select_related("unit", "municipality", "venue"), pk=pk)
    return _check(request, offer, offer.municipality_id, perm)


def get_offer_for_public(request, pk):
    """A published offer for anyone; a draft or cancelled one only for those who run it."""
    offer = get_object_or_404(Offer.objects.select_related("unit", "municipality", "venue"), pk=pk)
    if offer.status == Offer.Status.PUBLISHED or request.user.has_perm(
        "catalogue.manage_offer", offer
    ):
        return offer
    raise Http404
