"""Competence orders, from the municipality's order to the participants' evaluation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ungkultur.organisations.models import Organisation
from ungkultur.organisations.rules import is_national_admin
from ungkultur.planning import selectors, services
from ungkultur.planning.access import (
    get_municipality_for_user,
    get_order_for_user,
)
from ungkultur.planning.forms import (
    DeclineForm,
    EvaluationForm,
    OrderFilterForm,
    OrderForm,
    ScheduleForm,
)
from ungkultur.planning.selectors import coordinator_organisation_ids
from ungkultur.planning.views._common import (
    add_service_errors,
    bound,
)


@require_safe
@login_required
def order_list(request, code):
    municipality = get_municipality_for_user(request, code)
    return render(
        request,
        "planning/order_list.html",
        {
            "municipality": municipality,
            "orders": selectors.orders_for_municipality(municipality),
            "can_order": request.user.has_perm("planning.order_competence", municipality),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def order_create(request, code):
    municipality = get_municipality_for_user(request, code, "planning.order_competence")
    form = OrderForm(bound(request))
    if form.is_valid():
        try:
            order = services.order_create(
                actor=request.user,
                municipality=municipality,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Bestillingen er sendt til %(organisation)s.")
                % {"organisation": order.organisation.name},
            )
            return redirect("planning:order_detail", pk=order.pk)
    return render(
        request,
        "planning/order_form.html",
        {"municipality": municipality, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_safe
@login_required
def order_inbox(request):
    """Orders to the organisations the user coordinates (an administrator sees all)."""
    organisation_ids = coordinator_organisation_ids(request.user)
    if not organisation_ids:
        if not is_national_admin.test(request.user):
            raise PermissionDenied
        organisation_ids = list(Organisation.objects.values_list("pk", flat=True))
    form = OrderFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("Ukjent status."), status=400)
    orders = selectors.orders_inbox(organisation_ids, status=form.cleaned_data["status"])
    return render(
        request,
        "planning/order_inbox.html",
        {
            "orders": orders,
            "form": form,
            "organisations": Organisation.objects.filter(pk__in=organisation_ids),
        },
    )


@require_safe
@login_required
def order_detail(request, pk):
    order = get_order_for_user(request, pk)
    request.municipality = order.municipality
    can_evaluate = request.user.has_perm("planning.evaluate_order", order)
    already = can_evaluate and order.evaluations.filter(user=request.user).exists()
    return render(
        request,
        "planning/order_detail.html",
        {
            "order": order,
            "municipality": order.municipality,
            "can_handle": request.user.has_perm("planning.handle_order", order),
            "can_evaluate": can_evaluate and not already,
            "evaluated": already,
            "evaluation_form": EvaluationForm(),
            "summary": selectors.evaluation_summary(order),
        },
    )


def _order_step(request, pk, step, success):
    order = get_order_for_user(request, pk, "planning.handle_order")
    try:
        step(actor=request.user, order=order, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("planning:order_detail", pk=order.pk)
    messages.success(request, success)
    return redirect("planning:order_detail", pk=order.pk)


@require_POST
@login_required
def order_accept(request, pk):
    return _order_step(request, pk, services.order_accept, _("Bestillingen er akseptert."))


@require_POST
@login_required
def order_deliver(request, pk):
    return _order_step(
        request, pk, services.order_deliver, _("Bestillingen er meldt som gjennomført.")
    )


@require_http_methods(["GET", "POST"])
@login_required
def order_decline(request, pk):
    order = get_order_for_user(request, pk, "planning.handle_order")
    form = DeclineForm(bound(request))
    if form.is_valid():
        try:
            services.order_decline(
                actor=request.user,
                order=order,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Bestillingen er avslått."))
            return redirect("planning:order_detail", pk=order.pk)
    return render(
        request,
        "planning/order_decline.html",
        {"order": order, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def order_schedule(request, pk):
    order = get_order_for_user(request, pk, "planning.handle_order")
    form = ScheduleForm(bound(request))
    if form.is_valid():
        try:
            services.order_schedule(
                actor=request.user, order=order, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Tidspunktet er satt, og arrangementet er opprettet."))
            return redirect("planning:order_detail", pk=order.pk)
    return render(
        request,
        "planning/order_schedule.html",
        {"order": order, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_POST
@login_required
def order_evaluate(request, pk):
    order = get_order_for_user(request, pk, "planning.evaluate_order")
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            services.order_evaluate(
                actor=request.user,
                order=order,
                score=form.cleaned_data["score"],
                text=form.cleaned_data["text"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Takk for vurderingen!"))
            return redirect("planning:order_detail", pk=order.pk)
    request.municipality = order.municipality
    return render(
        request,
        "planning/order_detail.html",
        {
            "order": order,
            "municipality": order.municipality,
            "can_handle": request.user.has_perm("planning.handle_order", order),
            "can_evaluate": True,
            "evaluation_form": form,
            "summary": selectors.evaluation_summary(order),
        },
        status=400,
    )
