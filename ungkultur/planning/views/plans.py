"""The milestone plan and the municipalities' progress and action plans."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ungkultur.planning import charts, periods, selectors, services
from ungkultur.planning.access import (
    get_municipality_for_user,
    get_plan_for_user,
    get_plan_item_for_user,
)
from ungkultur.planning.forms import (
    PeriodForm,
    PlanCreateForm,
    PlanItemForm,
    PlanItemStatusForm,
    RollOverForm,
)
from ungkultur.planning.models import Measure, Plan, PlanItem, ProjectPeriod
from ungkultur.planning.views._common import (
    add_service_errors,
    bound,
)


def _plan_list_context(request, municipality, roll_form=None):
    period = periods.current_period(timezone.localdate())
    plans = selectors.municipality_plans(municipality, period)
    earlier = (
        Plan.objects.filter(municipality=municipality)
        .exclude(pk__in=[p.pk for p in plans.values()])
        .select_related("period")
        .order_by(F("period__start").desc(nulls_last=True), "kind")
    )
    previous, sources = (
        periods.roll_sources(Plan.objects.filter(municipality=municipality), period)
        if period is not None and not plans
        else (None, [])
    )
    can_roll = bool(sources)
    return {
        "municipality": municipality,
        "period": period,
        "previous": previous,
        "progress": plans.get(Plan.Kind.PROGRESS),
        "action": plans.get(Plan.Kind.ACTION),
        "earlier": earlier,
        "milestones": selectors.milestone_plan(period),
        "can_manage": request.user.has_perm("planning.manage_municipality", municipality),
        "can_roll": can_roll,
        "roll_form": roll_form or RollOverForm(),
    }


@require_safe
@login_required
def plan_list(request, code):
    municipality = get_municipality_for_user(request, code)
    return render(request, "planning/plan_list.html", _plan_list_context(request, municipality))


@require_POST
@login_required
def plans_roll_over(request, code):
    """The project leader carries the progress and action plans over to the current period."""
    municipality = get_municipality_for_user(request, code, "planning.manage_municipality")
    period = periods.current_period(timezone.localdate())
    form = RollOverForm(request.POST)
    if period is None:
        form.add_error(None, _("Det finnes ingen prosjektperiode å videreføre planene til."))
    elif form.is_valid():
        try:
            periods.plans_roll_over(
                actor=request.user,
                municipality=municipality,
                period=period,
                mode=form.cleaned_data["mode"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Planene er videreført til %(period)s. Datoer og tekst kan endres punkt "
                    "for punkt."
                )
                % {"period": period.title},
            )
            return redirect("planning:plan_list", code=municipality.code)
    context = _plan_list_context(request, municipality, roll_form=form)
    context["can_roll"] = context["can_roll"] or form.errors
    return render(request, "planning/plan_list.html", context, status=400)


@require_POST
@login_required
def plan_create(request, code):
    municipality = get_municipality_for_user(request, code, "planning.manage_municipality")
    form = PlanCreateForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Ukjent plantype."), status=400)
    try:
        plan = services.plan_create(
            actor=request.user,
            municipality=municipality,
            kind=form.cleaned_data["kind"],
            now=timezone.now(),
        )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    return redirect("planning:plan_detail", pk=plan.pk)


def _plan_context(request, plan):
    today = timezone.localdate()
    rows = selectors.plan_rows(plan, today=today)
    spans = [
        charts.Span(
            label=row.item.title,
            start=row.item.start,
            end=row.item.end,
            status=row.item.status,
            late=row.late,
        )
        for row in rows
    ]
    late = [row for row in rows if row.late]
    if plan.municipality is None:
        can_manage = request.user.has_perm("planning.manage_national")
    else:
        can_manage = request.user.has_perm("planning.manage_municipality", plan.municipality)
    return {
        "plan": plan,
        "municipality": plan.municipality,
        "rows": rows,
        "late": late,
        "today": today,
        "can_manage": can_manage,
        "status_form": PlanItemStatusForm(),
        "timeline": charts.timeline(
            spans,
            title=plan.title,
            description=_(
                "Tidslinje med %(count)s punkter; %(late)s er forsinket. "
                "Tabellen under viser det samme."
            )
            % {"count": len(rows), "late": len(late)},
            today=today,
            today_label=_("i dag"),
        ),
    }


def _milestone_page(request, plan):
    context = _plan_context(request, plan)
    context["periods"] = (
        ProjectPeriod.objects.filter(plans__kind=Plan.Kind.MILESTONE).distinct().order_by("-start")
    )
    context["can_start_period"] = request.user.has_perm("planning.manage_national")
    return render(request, "planning/plan_detail.html", context)


@require_safe
def milestone_plan(request):
    """The milestone plan of the current period."""
    plan = selectors.milestone_plan()
    if plan is None:
        raise Http404
    return _milestone_page(request, plan)


@require_safe
def milestone_plan_period(request, pk):
    """The milestone plan of an earlier (or a coming) period."""
    period = get_object_or_404(ProjectPeriod, pk=pk)
    plan = Plan.objects.filter(kind=Plan.Kind.MILESTONE, period=period).first()
    if plan is None:
        raise Http404
    return _milestone_page(request, plan)


@require_http_methods(["GET", "POST"])
@login_required
def period_create(request):
    """A national coordinator starts a new project period with its milestone plan."""
    if not request.user.has_perm("planning.manage_national"):
        raise PermissionDenied
    form = PeriodForm(bound(request))
    if form.is_valid():
        try:
            period = periods.period_start(
                actor=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Prosjektperioden %(period)s er startet med sin milepælsplan.")
                % {"period": period.title},
            )
            return redirect("planning:milestone_plan_period", pk=period.pk)
    return render(
        request,
        "planning/period_form.html",
        {"form": form, "latest": ProjectPeriod.objects.order_by("-start").first()},
        status=400 if form.is_bound else 200,
    )


@require_safe
def plan_detail(request, pk):
    plan = get_object_or_404(Plan.objects.select_related("municipality"), pk=pk)
    if plan.municipality is None:
        return redirect(_plan_url(plan))
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    plan = get_plan_for_user(request, pk)
    return render(request, "planning/plan_detail.html", _plan_context(request, plan))


def _plan_perm(plan):
    return (
        "planning.manage_national"
        if plan.municipality_id is None
        else "planning.manage_municipality"
    )


@require_http_methods(["GET", "POST"])
@login_required
def plan_item_create(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    plan = get_plan_for_user(request, pk, _plan_perm(plan))
    measures = (
        Measure.objects.filter(municipality=plan.municipality)
        if plan.municipality
        else Measure.objects.none()
    )
    form = PlanItemForm(bound(request), measures=measures)
    if form.is_valid():
        try:
            services.plan_item_create(
                actor=request.user, plan=plan, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Punktet er lagt til i planen."))
            return redirect(_plan_url(plan))
    return render(
        request,
        "planning/plan_item_form.html",
        {"plan": plan, "municipality": plan.municipality, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def plan_item_update(request, pk):
    item = get_object_or_404(PlanItem.objects.select_related("plan__municipality"), pk=pk)
    item = get_plan_item_for_user(request, pk, _plan_perm(item.plan))
    plan = item.plan
    measures = (
        Measure.objects.filter(municipality=plan.municipality)
        if plan.municipality
        else Measure.objects.none()
    )
    initial = {
        "title": item.title,
        "description": item.description,
        "start": item.start,
        "end": item.end,
        "status": item.status,
        "measure": item.measure_id,
    }
    form = PlanItemForm(bound(request), measures=measures, initial=initial)
    if form.is_valid():
        try:
            services.plan_item_update(
                actor=request.user, item=item, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("«%(item)s» er endret.") % {"item": form.cleaned_data["title"]}
            )
            return redirect(_plan_url(plan))
    return render(
        request,
        "planning/plan_item_form.html",
        {"plan": plan, "municipality": plan.municipality, "form": form, "item": item},
        status=400 if form.is_bound else 200,
    )


def _plan_url(plan):
    if plan.municipality_id is None:
        if plan.period_id is not None:
            return reverse("planning:milestone_plan_period", args=[plan.period_id])
        return reverse("planning:milestone_plan")
    return reverse("planning:plan_detail", args=[plan.pk])


@require_POST
@login_required
def plan_item_status(request, pk):
    item = get_object_or_404(PlanItem.objects.select_related("plan"), pk=pk)
    item = get_plan_item_for_user(request, pk, _plan_perm(item.plan))
    form = PlanItemStatusForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Ukjent status."), status=400)
    services.plan_item_set_status(
        actor=request.user, item=item, status=form.cleaned_data["status"], now=timezone.now()
    )
    messages.success(
        request,
        _("«%(item)s» har nå status %(status)s.")
        % {"item": item.title, "status": item.get_status_display()},
    )
    return redirect(_plan_url(item.plan))
