import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ungkultur.accounts.models import User
from ungkultur.catalogue.models import Offer
from ungkultur.meetings.models import Event
from ungkultur.municipalities.selectors import municipality_by_any_code
from ungkultur.organisations.models import Membership, Organisation
from ungkultur.organisations.rules import is_national_admin
from ungkultur.participation.models import Proposal
from ungkultur.planning import charts, ical, selectors, services
from ungkultur.planning.access import (
    get_measure_for_user,
    get_municipality_for_user,
    get_order_for_user,
    get_plan_for_user,
    get_plan_item_for_user,
)
from ungkultur.planning.forms import (
    AdoptForm,
    CollaborationForm,
    CollaborationModelForm,
    DeclineForm,
    EvaluationForm,
    MeasureForm,
    OrderFilterForm,
    OrderForm,
    PlanCreateForm,
    PlanItemForm,
    PlanItemStatusForm,
    ScheduleForm,
    SubGoalForm,
    TermForm,
    WheelActivityForm,
    WheelFilterForm,
)
from ungkultur.planning.models import CollaborationModel, Goal, Measure, Plan, PlanItem
from ungkultur.planning.rules import coordinator_organisation_ids
from ungkultur.planning.terms import term_of

# The indicators chosen to follow a delmål are shown by this template when it exists
# (context: ``goal``).
INDICATORS_SECTION = "indicators/_goal_indicators.html"
YEAR = datetime.timedelta(days=365)
MONTH_NAMES = [
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
]  # fmt: skip


def _add_service_errors(form, error):
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def _bound(request):
    return request.POST if request.method == "POST" else None


def _public_municipality(request, code):
    municipality = municipality_by_any_code(code)
    if municipality is None:
        raise Http404
    request.municipality = municipality
    return municipality


# --- Hub and national overview -------------------------------------------------------------------


@require_safe
@login_required
def municipality_home(request, code):
    municipality = get_municipality_for_user(request, code)
    today = timezone.localdate()
    plans = selectors.municipality_plans(municipality)
    late = sum(
        1 for plan in plans.values() for row in selectors.plan_rows(plan, today=today) if row.late
    )
    return render(
        request,
        "planning/municipality_home.html",
        {"municipality": municipality, "plans": plans, "late": late},
    )


@require_safe
@login_required
def overview(request):
    if not request.user.has_perm("planning.follow_all"):
        raise PermissionDenied
    return render(
        request,
        "planning/overview.html",
        {
            "rows": selectors.overview(today=timezone.localdate()),
            "milestones": selectors.milestone_plan(),
        },
    )


# --- Goals and measures --------------------------------------------------------------------------


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
    form = SubGoalForm(_bound(request), parents=_adopted_parents(municipality))
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
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Delmålet er lagt til."))
            return redirect("planning:municipality_goals", code=municipality.code)
    return render(
        request,
        "planning/subgoal_form.html",
        {"municipality": municipality, "form": form},
        status=400 if form.is_bound else 200,
    )


def _measure_form(request, municipality, *, initial=None, measure=None):
    # The meetings of the year around today, not every meeting ever held; and those the
    # measure already links to, so that saving keeps them.
    now = timezone.now()
    recent = Q(starts_at__gte=now - YEAR, starts_at__lte=now + YEAR)
    if measure is not None:
        recent |= Q(measures=measure)
    return MeasureForm(
        _bound(request),
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
            _add_service_errors(form, error)
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
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Tiltaket er lagret."))
            return redirect("planning:measure_detail", pk=measure.pk)
    return render(
        request,
        "planning/measure_form.html",
        {"municipality": municipality, "form": form, "measure": measure},
        status=400 if form.is_bound else 200,
    )


# --- Plans ---------------------------------------------------------------------------------------


@require_safe
@login_required
def plan_list(request, code):
    municipality = get_municipality_for_user(request, code)
    plans = selectors.municipality_plans(municipality)
    return render(
        request,
        "planning/plan_list.html",
        {
            "municipality": municipality,
            "progress": plans.get(Plan.Kind.PROGRESS),
            "action": plans.get(Plan.Kind.ACTION),
            "milestones": selectors.milestone_plan(),
            "can_manage": request.user.has_perm("planning.manage_municipality", municipality),
        },
    )


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


@require_safe
def milestone_plan(request):
    plan = selectors.milestone_plan()
    if plan is None:
        raise Http404
    return render(request, "planning/plan_detail.html", _plan_context(request, plan))


@require_safe
def plan_detail(request, pk):
    plan = get_object_or_404(Plan.objects.select_related("municipality"), pk=pk)
    if plan.municipality is None:
        return redirect("planning:milestone_plan")
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
    form = PlanItemForm(_bound(request), measures=measures)
    if form.is_valid():
        try:
            services.plan_item_create(
                actor=request.user, plan=plan, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Punktet er lagt til i planen."))
            return redirect(_plan_url(plan))
    return render(
        request,
        "planning/plan_item_form.html",
        {"plan": plan, "municipality": plan.municipality, "form": form},
        status=400 if form.is_bound else 200,
    )


def _plan_url(plan):
    if plan.municipality_id is None:
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


# --- Annual wheel --------------------------------------------------------------------------------


def _wheel_filter(request):
    form = WheelFilterForm(request.GET)
    if not form.is_valid():
        return form, HttpResponse(_("Ugyldig år eller måned."), status=400)
    return form, None


@require_safe
def wheel(request, code):
    municipality = _public_municipality(request, code)
    form, bad = _wheel_filter(request)
    if bad:
        return bad
    today = timezone.localdate()
    year = form.year_or(today)
    occurrences = selectors.wheel_year(municipality, year=year)
    return render(
        request,
        "planning/wheel.html",
        {
            "municipality": municipality,
            "year": year,
            "occurrences": occurrences,
            "clashes": [o for o in occurrences if o.clashes],
            "today": today,
            "can_manage": request.user.has_perm("planning.manage_municipality", municipality),
        },
    )


@require_safe
def wheel_month(request, code):
    municipality = _public_municipality(request, code)
    form, bad = _wheel_filter(request)
    if bad:
        return bad
    today = timezone.localdate()
    year, month = form.year_or(today), form.month_or(today)
    occurrences = selectors.wheel_year(municipality, year=year)
    in_month = [o for o in occurrences if o.start.month == month or o.end.month == month]
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    following = (year, month + 1) if month < 12 else (year + 1, 1)
    return render(
        request,
        "planning/wheel_month.html",
        {
            "municipality": municipality,
            "year": year,
            "month": month,
            "month_name": _(MONTH_NAMES[month - 1]),
            "weeks": selectors.month_grid(occurrences, year=year, month=month),
            "occurrences": in_month,
            "previous": previous,
            "following": following,
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def wheel_activity_create(request, code):
    municipality = get_municipality_for_user(request, code, "planning.manage_municipality")
    form = WheelActivityForm(_bound(request), units=municipality.units.order_by("kind", "name"))
    if form.is_valid():
        try:
            services.wheel_activity_create(
                actor=request.user,
                municipality=municipality,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Aktiviteten er lagt inn i årshjulet."))
            return redirect("planning:wheel", code=municipality.code)
    return render(
        request,
        "planning/wheel_activity_form.html",
        {"municipality": municipality, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_safe
def wheel_calendar(request, code):
    municipality = municipality_by_any_code(code)
    if municipality is None:
        raise Http404
    if municipality.code != code:
        return redirect("planning:wheel_calendar", code=municipality.code, permanent=True)
    now = timezone.now()
    body = ical.wheel_calendar(
        selectors.wheel_activities(municipality),
        name=_("Årshjul for %(name)s") % {"name": municipality.name},
        now=now,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="arshjul-{municipality.code}.ics"'
    return response


# --- Competence orders ---------------------------------------------------------------------------


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
    form = OrderForm(_bound(request))
    if form.is_valid():
        try:
            order = services.order_create(
                actor=request.user,
                municipality=municipality,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
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
    form = DeclineForm(_bound(request))
    if form.is_valid():
        try:
            services.order_decline(
                actor=request.user,
                order=order,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
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
    form = ScheduleForm(_bound(request))
    if form.is_valid():
        try:
            services.order_schedule(
                actor=request.user, order=order, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            _add_service_errors(form, error)
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
            _add_service_errors(form, error)
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


# --- Collaboration -------------------------------------------------------------------------------


@require_safe
def collaboration(request, code):
    municipality = _public_municipality(request, code)
    form = TermForm(request.GET)
    if not form.is_valid():
        return HttpResponse(form.errors["term"][0], status=400)
    terms = selectors.collaboration_terms(municipality)
    term = form.cleaned_data["term"] or (terms[0] if terms else term_of(timezone.localdate()))
    network = selectors.network_for(municipality, term)
    drawing = charts.network(
        [charts.Node(key=u.pk, label=u.name, kind=u.kind) for u in network["units"]],
        network["pairs"],
        title=_("Hvem samarbeider med hvem i %(name)s, %(term)s")
        % {"name": municipality.name, "term": term},
        description=_(
            "Nettverk med %(units)s enheter og %(pairs)s samarbeidspar. "
            "Tabellen under viser det samme."
        )
        % {"units": len(network["units"]), "pairs": len(network["pairs"])},
    )
    return render(
        request,
        "planning/collaboration.html",
        {
            "municipality": municipality,
            "term": term,
            "terms": terms,
            "network": network,
            "drawing": drawing,
            "can_record": request.user.has_perm("planning.record_collaboration", municipality),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def collaboration_create(request, code):
    municipality = get_municipality_for_user(request, code, "planning.record_collaboration")
    form = CollaborationForm(
        _bound(request),
        initial={"term": term_of(timezone.localdate())},
        units=municipality.units.order_by("kind", "name"),
        offers=Offer.objects.filter(municipality=municipality).order_by("title"),
        events=Event.objects.filter(
            Q(municipality=municipality) | Q(municipality__isnull=True)
        ).order_by("-starts_at"),
        measures=Measure.objects.filter(municipality=municipality),
    )
    if form.is_valid():
        try:
            created = services.collaboration_create(
                actor=request.user,
                municipality=municipality,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Samarbeidet er registrert."))
            return redirect(
                f"{reverse('planning:collaboration', args=[municipality.code])}?term={created.term}"
            )
    return render(
        request,
        "planning/collaboration_form.html",
        {"municipality": municipality, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_safe
def model_list(request):
    models = CollaborationModel.objects.select_related("municipality")
    return render(request, "planning/model_list.html", {"models": models})


@require_safe
def model_detail(request, pk):
    model = get_object_or_404(CollaborationModel.objects.select_related("municipality"), pk=pk)
    return render(request, "planning/model_detail.html", {"model": model})


@require_http_methods(["GET", "POST"])
@login_required
def model_create(request, code):
    municipality = get_municipality_for_user(request, code, "planning.record_collaboration")
    form = CollaborationModelForm(_bound(request))
    if form.is_valid():
        model = services.collaboration_model_create(
            actor=request.user, municipality=municipality, now=timezone.now(), **form.cleaned_data
        )
        messages.success(request, _("Modellen er delt med alle kommuner."))
        return redirect("planning:model_detail", pk=model.pk)
    return render(
        request,
        "planning/model_form.html",
        {"municipality": municipality, "form": form},
        status=400 if form.is_bound else 200,
    )
