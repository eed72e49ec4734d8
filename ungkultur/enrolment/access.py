"""Tenancy: fetch an offer, session or enrolment for the current user, or answer 404 (another
municipality's object) or 403 (their own municipality, but a role that may not do this)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ungkultur.catalogue.models import Offer, Session
from ungkultur.enrolment.models import Enrolment
from ungkultur.organisations.selectors import roles_for


def _check(request, perm, obj, municipality_id):
    if request.user.has_perm(perm, obj):
        return obj
    if not roles_for(request.user).belongs_to(municipality_id):
        raise Http404
    raise PermissionDenied


def get_offer_for_staff(request, pk, perm="enrolment.manage") -> Offer:
    offer = get_object_or_404(Offer.objects.select_related("unit", "municipality"), pk=pk)
    return _check(request, perm, offer, offer.municipality_id)


def get_session_for_staff(request, pk, perm="enrolment.manage") -> Session:
    session = get_object_or_404(
        Session.objects.select_related("offer__unit", "offer__municipality", "venue"), pk=pk
    )
    _check(request, perm, session.offer, session.offer.municipality_id)
    return session


def get_enrolment_for_user(request, pk, perm) -> Enrolment:
    """An enrolment the user acts on (``enrolment.act_for``) or may end (``enrolment.leave``)."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related(
            "offer__unit", "offer__municipality", "participant__user", "signed_up_by"
        ),
        pk=pk,
    )
    return _check(request, perm, enrolment, enrolment.offer.municipality_id)


def get_enrolment_for_staff(request, pk) -> Enrolment:
    """An enrolment on an offer the user manages (``enrolment.manage`` on its offer)."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related(
            "offer__unit", "offer__municipality", "participant__user", "signed_up_by"
        ),
        pk=pk,
    )
    _check(request, "enrolment.manage", enrolment.offer, enrolment.offer.municipality_id)
    return enrolment


def get_offer_to_join(pk) -> Offer:
    """A published or cancelled offer (a cancelled one says so); drafts do not exist here."""
    return get_object_or_404(
        Offer.objects.select_related("unit", "municipality", "venue").exclude(
            status=Offer.Status.DRAFT
        ),
        pk=pk,
    )
