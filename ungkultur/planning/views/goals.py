"""Goals (effektmål, delmål) and measures (tiltak)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ungkultur.accounts.models import User
from ungkultur.catalogue.models import Offer
from ungkultur.meetings.models import Event
from ungkultur.organisations.models import Membership
from ungkultur.participation.models import Proposal
from ungkultur.planning import selectors, services
from ungkultur.planning.access import (
    get_measure_for_user,
    get_municipality_for_user,
)
from ungkultur.planning.forms import (
    AdoptForm,
    MeasureForm,
    SubGoalForm,
)
from ungkultur.planning.models import Goal
from ungkultur.planning.views._common import (
    add_service_errors,
    bound,
)

# The indicators chosen to follow a delmål are shown by this template when it exists
# (context: ``goal``).
INDICATORS_SECTION = "indicators/_goal_indicators.html"
YEAR = datetime.timedelta(days=365)


@require_safe
def national_goals(request):
    return render(
        request,
        "planning/goals.html",
        {"tree": selectors.goal_tree(municipality=None), "municipality": None},
    )


def _indicators_template():
    """The indicators app may provide a section for a delmål page (a template, not an import:
    indicators sits above planning)."""
    try:
        return get_template(INDICATORS_SECTION).template.name
    except TemplateDoesNotExist:
        return None


@require_safe
def goal_detail(request, pk):
    goal = get_object_or_404(Goal.objects.select_related("parent", "municipality"), pk=pk)
    if goal.municipality is not None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        get_municipality_for_user(request, goal.municipality.code)
    return render(
        request,
        "planning/goal_detail.html",
        {
            "goal": goal,
            "children": goal.children.all() if goal.level == Goal.Level.EFFECT else [],
            "measures": selectors.goal_measures(goal, municipality=goal.municipality),
            "indicators_template": _indicators_template(),
            "can_edit": goal.level == Goal.Level.SUB
            and goal.municipality is not None
            and request.user.has_perm("planning.manage_municipality", goal.municipality),
        },
    )


@require_safe
@login_required
def municipality_goals(request, code):
    municipality = get_municipality_for_user(request, code)
    can_manage = request.user.has_perm("planning.manage_municipality", municipality)
    adoptable = selectors.adoptable_goals(municipality) if can_manage else []
    return render(
        request,
        "planning/goals.html",
        {
            "municipality": municipality,
            "tree": selectors.goal_tree(municipality=municipality),
            "can_manage": can_manage,
            "adopt_form": AdoptForm(goals=Goal.objects.filter(pk__in=[g.pk for g in adoptable]))
            if adoptable
            else None,
        },
    )


@require_POST
@login_required
def goal_adopt(request, code):
    municipality = get_municipality_for_user(request, code, "planning.manage_municipality")
    form = AdoptForm(
        request.POST,
        goals=Goal.objects.filter(level=Goal.Level.EFFECT, municipality__isnull=True),
    )
    if not form.is_valid():
        return HttpResponse(_("Velg et nasjonalt effektmål."), status=400)
    try:
        services.goal_adopt(
            actor=request.user,
            municipality=municipality,
            goal=form.cleaned_data["goal"],
            now=timezone.now(),
        )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    messages.success(
        request, _("Målet «%(goal)s» er vedtatt.") % {"goal": form.cleaned_data["goal"].title}
    )
    return redirect("planning:municipality_goals", code=municipality.code)


def _adopted_parents(municipality):
    return Goal.objects.filter(level=Goal.Level.EFFECT).filter(
        Q(municipality=municipality)
        | Q(municipality__isnull=True, adoptions__municipality=municipality)
    )


@require_http_methods(["GET", "POST"])
@login_required
def subgoal_create(request, code):
    municipality = get_municipality_for_user(request, code, "planning.manage_municipality")
    form = SubGoalForm(bound(request), parents=_adopted_parents(municipality))
    if form.is_valid():
        try:
            services.goal_create(
                actor=request.user,
                municipality=municipality,
                parent=form.cleaned_data["parent"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Delmålet er lagt til."))
            return redirect("planning:municipality_goals", code=municipality.code)
    return render(
        request,
        "planning/subgoal_form.html",
        {"municipality": municipality, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def subgoal_update(request, pk):
    goal = get_object_or_404(Goal.objects.select_related("municipality"), pk=pk)
    if goal.municipality is None or goal.level != Goal.Level.SUB:
        raise PermissionDenied  # national goals are the steering group's, not changed here
    municipality = get_municipality_for_user(
        request, goal.municipality.code, "planning.manage_municipality"
    )
    initial = {"parent": goal.parent_id, "title": goal.title, "description": goal.description}
    form = SubGoalForm(bound(request), initial=initial, parents=_adopted_parents(municipality))
    if form.is_valid():
        try:
            services.goal_update(
                actor=request.user, goal=goal, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            goal.refresh_from_db()  # the page names it as it is, not as it was typed
        else:
            messages.success(request, _("Delmålet er lagret."))
            return redirect("planning:goal_detail", pk=goal.pk)
    return render(
        request,
        "planning/subgoal_form.html",
        {"municipality": municipality, "form": form, "goal": goal},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def subgoal_delete(request, pk):
    """GET asks to confirm; POST deletes the delmål (only one nothing follows yet)."""
    goal = get_object_or_404(Goal.objects.select_related("municipality", "parent"), pk=pk)
    if goal.municipality is None or goal.level != Goal.Level.SUB:
        raise PermissionDenied
    municipality = get_municipality_for_user(
        request, goal.municipality.code, "planning.manage_municipality"
    )
    error = None
    if request.method == "POST":
        try:
            services.goal_delete(actor=request.user, goal=goal, now=timezone.now())
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("«%(title)s» er slettet.") % {"title": goal.title})
            return redirect("planning:municipality_goals", code=municipality.code)
    return render(
        request,
        "planning/subgoal_delete.html",
        {"municipality": municipality, "goal": goal, "error": error},
        status=400 if error else 200,
    )


def _measure_form(request, municipality, *, initial=None, measure=None):
    # The meetings of the year around today, not every meeting ever held; and those the
    # measure already links to, so that saving keeps them.
    now = timezone.now()
    recent = Q(starts_at__gte=now - YEAR, starts_at__lte=now + YEAR)
    if measure is not None:
        recent |= Q(measures=measure)
    return MeasureForm(
        bound(request),
        initial=initial,
        goals=Goal.objects.filter(pk__in=[g.pk for g in selectors.subgoals_for(municipality)]),
        owners=User.objects.filter(
            memberships__group__municipality=municipality,
            memberships__end__isnull=True,
            is_active=True,
        )
        .exclude(memberships__role=Membership.Role.YOUTH_MEMBER)
        .distinct()
        .order_by("first_name", "last_name"),
        units=municipality.units.order_by("kind", "name"),
        events=Event.objects.filter(recent, municipality=municipality)
        .distinct()
        .order_by("-starts_at"),
        offers=Offer.objects.filter(municipality=municipality).order_by("title"),
        proposals=Proposal.objects.filter(municipality=municipality).order_by("-submitted_at"),
    )


def _save_measure(request, municipality, form, measure=None):
    data = form.cleaned_data
    return services.measure_save(
        actor=request.user,
        municipality=municipality,
        measure=measure,
        goal=data["goal"],
        title=data["title"],
        description=data["description"],
        status=data["status"],
        owner=data["owner"],
        start=data["start"],
        end=data["end"],
        units=data["units"],
        events=data["events"],
        offers=data["offers"],
        proposals=data["proposals"],
        now=timezone.now(),
    )


@require_http_methods(["GET", "POST"])
@login_required
def measure_create(request, code):
    municipality = get_municipality_for_user(request, code, "planning.manage_municipality")
    form = _measure_form(request, municipality, initial={"goal": request.GET.get("goal")})
    if form.is_valid():
        try:
            measure = _save_measure(request, municipality, form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Tiltaket er lagt til."))
            return redirect("planning:measure_detail", pk=measure.pk)
    return render(
        request,
        "planning/measure_form.html",
        {"municipality": municipality, "form": form, "measure": None},
        status=400 if form.is_bound else 200,
    )


@require_safe
@login_required
def measure_detail(request, pk):
    measure = get_measure_for_user(request, pk)
    return render(
        request,
        "planning/measure_detail.html",
        {
            "measure": measure,
            "municipality": measure.municipality,
            "units": measure.units.all(),
            "events": measure.events.all(),
            "offers": measure.offers.all(),
            "proposals": measure.proposals.all(),
            "plan_items": measure.plan_items.select_related("plan"),
            "can_manage": measure.municipality is not None
            and request.user.has_perm("planning.manage_municipality", measure.municipality),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def measure_update(request, pk):
    measure = get_measure_for_user(request, pk, "planning.manage_municipality")
    if measure.municipality is None:
        raise PermissionDenied
    municipality = measure.municipality
    initial = {
        "goal": measure.goal_id,
        "title": measure.title,
        "description": measure.description,
        "status": measure.status,
        "owner": measure.owner_id,
        "start": measure.start,
        "end": measure.end,
        "units": list(measure.units.all()),
        "events": list(measure.events.all()),
        "offers": list(measure.offers.all()),
        "proposals": list(measure.proposals.all()),
    }
    form = _measure_form(request, municipality, initial=initial, measure=measure)
    if form.is_valid():
        try:
            _save_measure(request, municipality, form, measure)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Tiltaket er lagret."))
            return redirect("planning:measure_detail", pk=measure.pk)
    return render(
        request,
        "planning/measure_form.html",
        {"municipality": municipality, "form": form, "measure": measure},
        status=400 if form.is_bound else 200,
    )
