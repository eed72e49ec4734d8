"""Tenancy: fetch a municipality, plan, measure or order for the current user, or answer 404
(another municipality's object) or 403 (their own municipality, but a role that may not)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ungkultur.municipalities.selectors import municipality_by_any_code
from ungkultur.organisations.selectors import roles_for
from ungkultur.planning.models import CompetenceOrder, Measure, Plan, PlanItem, WheelActivity


def _check(request, perm, obj, municipality_id):
    if request.user.has_perm(perm, obj):
        return obj
    if municipality_id is not None and not roles_for(request.user).belongs_to(municipality_id):
        raise Http404
    raise PermissionDenied


def get_municipality_for_user(request, code, perm="planning.view_municipality"):
    municipality = municipality_by_any_code(code)
    if municipality is None:
        raise Http404
    request.municipality = municipality
    return _check(request, perm, municipality, municipality.pk)


def get_plan_for_user(request, pk, perm="planning.view_municipality") -> Plan:
    """A municipality's plan under the municipality's rule; the national milestone plan is
    readable by everyone and managed under ``planning.manage_national``."""
    plan = get_object_or_404(Plan.objects.select_related("municipality"), pk=pk)
    if plan.municipality is None:
        if perm == "planning.view_municipality" or request.user.has_perm(
            "planning.manage_national"
        ):
            return plan
        raise PermissionDenied
    request.municipality = plan.municipality
    _check(request, perm, plan.municipality, plan.municipality_id)
    return plan


def get_plan_item_for_user(request, pk, perm) -> PlanItem:
    item = get_object_or_404(PlanItem.objects.select_related("plan__municipality"), pk=pk)
    get_plan_for_user(request, item.plan_id, perm)
    return item


def get_measure_for_user(request, pk, perm="planning.view_municipality") -> Measure:
    measure = get_object_or_404(
        Measure.objects.select_related("municipality", "goal__parent", "owner"), pk=pk
    )
    if measure.municipality is None:
        return measure  # a national measure is part of the public goal hierarchy
    request.municipality = measure.municipality
    _check(request, perm, measure.municipality, measure.municipality_id)
    return measure


def get_order_for_user(request, pk, perm="planning.view_order") -> CompetenceOrder:
    order = get_object_or_404(
        CompetenceOrder.objects.select_related(
            "municipality", "organisation", "event", "ordered_by", "answered_by"
        ),
        pk=pk,
    )
    if request.user.has_perm(perm, order):
        return order
    # Those who see the order but may not do this, and the municipality's own people, get 403.
    if request.user.has_perm("planning.view_order", order):
        raise PermissionDenied
    return _check(request, perm, order, order.municipality_id)


def get_wheel_activity_for_user(request, pk) -> WheelActivity:
    """An activity of the wheel its user may change: a municipality's under
    ``planning.manage_municipality``, a national one under ``planning.manage_national``."""
    activity = get_object_or_404(
        WheelActivity.objects.select_related("municipality", "unit"), pk=pk
    )
    if activity.municipality is None:
        if request.user.has_perm("planning.manage_national"):
            return activity
        raise PermissionDenied
    request.municipality = activity.municipality
    _check(request, "planning.manage_municipality", activity.municipality, activity.municipality_id)
    return activity
