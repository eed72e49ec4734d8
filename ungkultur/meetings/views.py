import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from ungkultur.core.forms import add_service_errors
from ungkultur.meetings import ical, selectors, services
from ungkultur.meetings.access import (
    check_create_in,
    get_action_item_for_user,
    get_agenda_item_for_organiser,
    get_event,
    get_event_for_user,
)
from ungkultur.meetings.forms import (
    ActionItemForm,
    ActionStatusForm,
    AgendaItemForm,
    AttendanceForm,
    DecisionEditForm,
    DecisionForm,
    EventCancelForm,
    EventCreateForm,
    EventDetailsForm,
    EventFilterForm,
    EventMoveForm,
    InviteForm,
    MinutesForm,
    OrganiserAddForm,
    ProposalToAgendaForm,
    QuestionForm,
    RegistrationForm,
    StaffInviteForm,
)
from ungkultur.meetings.models import ActionItem, Decision, Event, Minutes, Registration
from ungkultur.municipalities.selectors import municipality_by_any_code
from ungkultur.organisations.selectors import roles_for
from ungkultur.participation.models import Proposal
from ungkultur.participation.rules import At


def _municipality(code):
    municipality = municipality_by_any_code(code)
    if municipality is None:
        raise Http404
    return municipality


def _posted(request):
    """The POST data on a POST (even when empty, so that the form is bound), else None."""
    return request.POST if request.method == "POST" else None


def _failed(request, event_id, heading, message):
    """A refused action: the reason in Norwegian, status 400, nothing changed."""
    return render(
        request,
        "meetings/action_failed.html",
        {"event_id": event_id, "heading": heading, "message": message},
        status=400,
    )


def _detail(event):
    return redirect("meetings:event_detail", pk=event.pk)


# --- Lists --------------------------------------------------------------------------------------


def _list(request, events, template, context):
    form = EventFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, template, {**context, "form": form, "months": []}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    listed = selectors.events_listed(
        events,
        now=timezone.now(),
        period=data.get("period") or "upcoming",
        kind=data.get("kind") or "",
    )
    return render(
        request,
        template,
        {**context, "form": form, "months": selectors.by_month(listed)},
    )


@require_GET
def municipality_events(request, code):
    municipality = _municipality(code)
    if municipality.code != code:
        return redirect("meetings:municipality_events", code=municipality.code, permanent=True)
    request.municipality = municipality
    return _list(
        request,
        Event.objects.filter(municipality=municipality),
        "meetings/event_list.html",
        {
            "municipality": municipality,
            "can_create": request.user.has_perm("meetings.create_in", municipality),
            "can_see_youth": request.user.has_perm("meetings.view_youth_attendance", municipality),
        },
    )


@require_GET
def national_events(request):
    return _list(
        request,
        Event.objects.national(),
        "meetings/event_list.html",
        {"municipality": None, "can_create": request.user.has_perm("meetings.create_in", None)},
    )


FEED_PAST_DAYS = 90


def _feed(events, *, name, filename):
    now = timezone.now()
    events = events.filter(ends_at__gt=now - datetime.timedelta(days=FEED_PAST_DAYS)).order_by(
        "starts_at"
    )
    response = HttpResponse(
        ical.events_calendar(events, name=name, now=now),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def municipality_feed(request, code):
    municipality = _municipality(code)
    if municipality.code != code:
        return redirect("meetings:municipality_feed", code=municipality.code, permanent=True)
    return _feed(
        Event.objects.filter(municipality=municipality),
        name=_("Møter i KK %(name)s") % {"name": municipality.name},
        filename=f"ungkultur-moter-{municipality.code}.ics",
    )


@require_safe
def national_feed(request):
    return _feed(
        Event.objects.national(),
        name=_("Nasjonale KK-arrangementer"),
        filename="ungkultur-nasjonale-arrangementer.ics",
    )


# --- Create, edit, move, cancel -----------------------------------------------------------------


def _create(request, municipality):
    check_create_in(request, municipality)
    national = municipality is None
    form = EventCreateForm(_posted(request), national=national)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                event = services.event_create(
                    actor=request.user,
                    municipality=municipality,
                    kind=data["kind"],
                    title=data["title"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    place=data["place"],
                    online_url=data["online_url"],
                    description=data["description"],
                    capacity=data["capacity"],
                    registration_deadline=data["registration_deadline"],
                    open_registration=data["open_registration"],
                    now=timezone.now(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Arrangementet er opprettet."))
                return _detail(event)
        status = 400
    return render(
        request,
        "meetings/event_form.html",
        {"form": form, "municipality": municipality, "event": None},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def event_create_local(request, code):
    return _create(request, _municipality(code))


@require_http_methods(["GET", "POST"])
@login_required
def event_create_national(request):
    return _create(request, None)


@require_http_methods(["GET", "POST"])
@login_required
def event_edit(request, pk):
    event = get_event_for_user(request, pk)
    form = EventDetailsForm(_posted(request), initial=_edit_initial(event))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                updated = services.event_update(
                    actor=request.user, event=event, now=timezone.now(), **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if updated.sequence != event.sequence:
                    messages.success(
                        request,
                        _("Endringene er lagret, og alle inviterte har fått beskjed."),
                    )
                else:
                    messages.success(request, _("Endringene er lagret."))
                return _detail(event)
        status = 400
    return _render_edit(request, event, form=form, status=status)


def _edit_initial(event):
    initial = {name: getattr(event, name) for name in services.EDITABLE}
    if initial["registration_deadline"]:
        initial["registration_deadline"] = timezone.localtime(initial["registration_deadline"])
    return initial


def _render_edit(request, event, *, status=200, **forms):
    context = {
        "event": event,
        "form": EventDetailsForm(initial=_edit_initial(event)),
        "question_form": QuestionForm(),
        "organiser_form": OrganiserAddForm(),
        "organisers": event.organisers.order_by("first_name", "last_name"),
    }
    context.update(forms)
    return render(request, "meetings/event_edit.html", context, status=status)


@require_POST
@login_required
def organiser_add(request, pk):
    event = get_event_for_user(request, pk)
    form = OrganiserAddForm(request.POST)
    if form.is_valid():
        try:
            services.event_organiser_add(
                actor=request.user, event=event, user=form.cleaned_data["user"], now=timezone.now()
            )
        except PermissionDenied as refusal:
            # Organisers see sensitive answers: nobody makes themself one (docs/privacy.md).
            form.add_error("email", str(refusal))
            return _render_edit(request, event, organiser_form=form, status=403)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Medarrangøren er lagt til."))
            return redirect("meetings:event_edit", pk=event.pk)
    return _render_edit(request, event, organiser_form=form, status=400)


@require_POST
@login_required
def question_add(request, pk):
    event = get_event_for_user(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_add(
                actor=request.user, event=event, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Spørsmålet er lagt til påmeldingsskjemaet."))
            return redirect("meetings:event_edit", pk=event.pk)
    return _render_edit(request, event, question_form=form, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def event_move(request, pk):
    event = get_event_for_user(request, pk)
    form = EventMoveForm(_posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.event_move(
                    actor=request.user, event=event, now=timezone.now(), **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Arrangementet er flyttet, og de påmeldte har fått beskjed.")
                )
                return _detail(event)
        status = 400
    return render(
        request, "meetings/event_move.html", {"form": form, "event": event}, status=status
    )


@require_http_methods(["GET", "POST"])
@login_required
def event_cancel(request, pk):
    event = get_event_for_user(request, pk)
    form = EventCancelForm(_posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.event_cancel(
                    actor=request.user,
                    event=event,
                    reason=form.cleaned_data["reason"],
                    now=timezone.now(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Arrangementet er avlyst, og de påmeldte har fått beskjed.")
                )
                return _detail(event)
        status = 400
    return render(
        request, "meetings/event_cancel.html", {"form": form, "event": event}, status=status
    )


# --- Detail -------------------------------------------------------------------------------------


@require_GET
def event_detail(request, pk):
    event = get_event(pk)
    if event.municipality_id:
        request.municipality = event.municipality
    user = request.user
    internal = user.has_perm("meetings.view_internal", event)
    can_organise = user.has_perm("meetings.organise", event)
    now = timezone.now()
    page = selectors.event_page(event, user, internal=internal)
    agenda_form = None
    if user.has_perm("meetings.add_agenda_item", event) and not event.is_cancelled:
        agenda_form = AgendaItemForm(proposals=selectors.open_proposals(event.municipality))
    return render(
        request,
        "meetings/event_detail.html",
        {
            "event": event,
            "page": page,
            "internal": internal,
            "can_organise": can_organise,
            "agenda_form": agenda_form,
            "closed_reason": services.registration_closed_reason(event, now=now),
            "may_register": _may_register(event, page.my_registration, user),
            "started": event.starts_at <= now,
        },
    )


def _may_register(event, registration, user):
    if not user.is_authenticated:
        return False
    if registration is not None:
        return registration.status in (Registration.Status.INVITED, Registration.Status.CANCELLED)
    return event.open_registration


# --- Invitations and registration ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def event_invite(request, pk):
    event = get_event_for_user(request, pk)
    form = InviteForm(_posted(request), event=event)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                count = services.event_invite_groups(
                    actor=request.user,
                    event=event,
                    groups=form.cleaned_data["groups"],
                    now=timezone.now(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s person er invitert og har fått e-post.",
                        "%(count)s personer er invitert og har fått e-post.",
                        count,
                    )
                    % {"count": count},
                )
                return _detail(event)
        status = 400
    return render(
        request, "meetings/event_invite.html", {"form": form, "event": event}, status=status
    )


@require_http_methods(["GET", "POST"])
@login_required
def event_invite_staff(request, pk):
    """Invite staff of the event's municipality: choose (GET) and see how many it reaches, then
    send (POST). The page shows the count before its send button; the POST itself does not
    check that the count was seen."""
    event = get_event_for_user(request, pk)
    if event.municipality_id is None:
        raise Http404
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = StaffInviteForm(data, event=event)
    status = 200
    counts = None
    if form.is_bound and form.is_valid():
        criteria = {
            "unit": form.cleaned_data["unit"],
            "unit_kinds": form.cleaned_data["unit_kinds"],
            "roles": form.cleaned_data["roles"],
        }
        if request.method == "POST":
            try:
                count = services.event_invite_staff(
                    actor=request.user, event=event, now=timezone.now(), **criteria
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s ansatt er invitert og har fått e-post.",
                        "%(count)s ansatte er invitert og har fått e-post.",
                        count,
                    )
                    % {"count": count},
                )
                return _detail(event)
        else:
            counts = services.staff_invitation_counts(event, day=timezone.localdate(), **criteria)
    if form.is_bound and not form.is_valid():
        status = 400
    return render(
        request,
        "meetings/event_invite_staff.html",
        {"form": form, "event": event, "counts": counts},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def register(request, pk):
    event = get_event(pk)
    questions = list(event.questions.all())
    form = RegistrationForm(_posted(request), questions=questions)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                registration = services.registration_register(
                    actor=request.user, event=event, answers=form.answers(), now=timezone.now()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if registration.status == Registration.Status.WAITING:
                    messages.info(request, _("Det er fullt. Du står på venteliste."))
                else:
                    messages.success(request, _("Du er påmeldt."))
                return _detail(event)
        status = 400
    return render(
        request,
        "meetings/register.html",
        {
            "form": form,
            "event": event,
            "closed_reason": services.registration_closed_reason(event, now=timezone.now()),
        },
        status=status,
    )


@require_POST
@login_required
def unregister(request, pk):
    event = get_event(pk)
    registration = get_object_or_404(Registration, event=event, user=request.user)
    try:
        services.registration_cancel(
            actor=request.user, registration=registration, now=timezone.now()
        )
    except ValidationError as error:
        return _failed(request, event.pk, _("Du ble ikke meldt av"), " ".join(error.messages))
    messages.success(request, _("Du er meldt av."))
    return _detail(event)


@require_GET
@login_required
def registrations(request, pk):
    event = get_event_for_user(request, pk)
    # Those who run every event but do not organise this one see how many, not who.
    if not request.user.has_perm("meetings.view_registrations", event):
        return render(
            request,
            "meetings/registrations.html",
            {"event": event, "counts": selectors.registration_counts(event)},
        )
    sensitive = request.user.has_perm("meetings.view_sensitive_answers", event)
    questions = event.questions.all()
    if not sensitive:
        questions = questions.filter(is_sensitive=False)
    return render(
        request,
        "meetings/registrations.html",
        {
            "event": event,
            "registrations": selectors.registrations_for_organisers(event, sensitive=sensitive),
            "questions": list(questions),
            "shows_names": True,
            "hides_sensitive": not sensitive and event.questions.filter(is_sensitive=True).exists(),
        },
    )


# --- Agenda -------------------------------------------------------------------------------------


@require_POST
@login_required
def agenda_item_add(request, pk):
    event = get_event_for_user(request, pk, perm="meetings.add_agenda_item")
    form = AgendaItemForm(request.POST, proposals=selectors.open_proposals(event.municipality))
    if form.is_valid():
        try:
            services.agenda_item_add(
                actor=request.user, event=event, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saken er satt på sakslisten."))
            return _detail(event)
    return render(
        request, "meetings/agenda_item_failed.html", {"form": form, "event": event}, status=400
    )


def _agenda_move(request, pk, up):
    item = get_agenda_item_for_organiser(request, pk)
    services.agenda_item_move(actor=request.user, item=item, up=up, now=timezone.now())
    return _detail(item.event)


@require_POST
@login_required
def agenda_item_up(request, pk):
    return _agenda_move(request, pk, True)


@require_POST
@login_required
def agenda_item_down(request, pk):
    return _agenda_move(request, pk, False)


@require_POST
@login_required
def agenda_item_remove(request, pk):
    item = get_agenda_item_for_organiser(request, pk)
    services.agenda_item_remove(actor=request.user, item=item, now=timezone.now())
    messages.success(request, _("Saken er fjernet fra sakslisten."))
    return _detail(item.event)


@require_http_methods(["GET", "POST"])
@login_required
def proposal_to_agenda(request, proposal_pk):
    """«Sett på sakslisten»: put a youth proposal on an upcoming project- or resource-group
    meeting of its municipality."""
    proposal = get_object_or_404(Proposal.objects.select_related("municipality"), pk=proposal_pk)
    events = [
        e
        for e in selectors.upcoming_group_meetings(proposal.municipality, now=timezone.now())
        if request.user.has_perm("meetings.add_agenda_item", e)
    ]
    roles = roles_for(request.user)
    may_put = request.user.has_perm("meetings.create_in", proposal.municipality) or (
        proposal.municipality_id in roles.youth_member_municipalities
    )
    if not events and not may_put:
        if not roles.belongs_to(proposal.municipality_id):
            raise Http404
        raise PermissionDenied
    queryset = Event.objects.filter(pk__in=[e.pk for e in events]).order_by("starts_at")
    form = ProposalToAgendaForm(_posted(request), events=queryset)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            event = form.cleaned_data["event"]
            try:
                services.agenda_item_add(
                    actor=request.user, event=event, title="", proposal=proposal, now=timezone.now()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Forslaget er satt på sakslisten."))
                return _detail(event)
        status = 400
    return render(
        request,
        "meetings/proposal_to_agenda.html",
        {"form": form, "proposal": proposal, "has_events": bool(events)},
        status=status,
    )


# --- Attendance ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def attendance(request, pk):
    event = get_event_for_user(request, pk)
    candidates = selectors.attendance_candidates(event, day=timezone.localdate(event.starts_at))
    initial = {"present": list(event.attendances.values_list("user_id", flat=True))}
    form = AttendanceForm(_posted(request), candidates=candidates, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.attendance_set(
                    actor=request.user,
                    event=event,
                    users=form.cleaned_data["present"],
                    now=timezone.now(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Oppmøtet er lagret."))
                return _detail(event)
        status = 400
    return render(
        request, "meetings/attendance.html", {"form": form, "event": event}, status=status
    )


@require_GET
@login_required
def youth_attendance(request, code):
    municipality = _municipality(code)
    if not request.user.has_perm("meetings.view_youth_attendance", municipality):
        if not roles_for(request.user).belongs_to(municipality.pk):
            raise Http404
        raise PermissionDenied
    request.municipality = municipality
    now = timezone.now()
    since = timezone.localdate(now) - datetime.timedelta(days=365)
    return render(
        request,
        "meetings/youth_attendance.html",
        {
            "municipality": municipality,
            "report": selectors.resource_group_attendance(municipality, now=now, since=since),
            "since": since,
        },
    )


# --- Minutes ------------------------------------------------------------------------------------


def _minutes_context(event, **forms):
    candidates = selectors.attendance_candidates(event, day=timezone.localdate(event.starts_at))
    minutes = Minutes.objects.filter(event=event).first()
    context = {
        "event": event,
        "minutes_form": MinutesForm(initial={"summary": minutes.summary if minutes else ""}),
        "decision_form": DecisionForm(event=event),
        "action_form": ActionItemForm(candidates=candidates),
        "decisions": [
            (
                decision,
                DecisionEditForm(
                    initial={"text": decision.text, "outcome": decision.outcome},
                    prefix=f"d{decision.pk}",
                ),
            )
            for decision in event.decisions.select_related("agenda_item__proposal")
        ],
        "approved": bool(minutes and minutes.approved_at),
        "minutes": minutes,
        "actions": list(event.action_items.select_related("owner")),
        "statuses": ActionItem.Status.choices,
    }
    context.update(forms)
    return context


def _may_answer(request, agenda_item) -> None:
    """Answering a youth proposal is the project leader's (participation.answer), not any
    organiser's."""
    proposal = agenda_item.proposal if agenda_item else None
    if proposal is not None and not request.user.has_perm(
        "participation.answer", At(proposal, timezone.now())
    ):
        raise PermissionDenied


@require_GET
@login_required
def minutes(request, pk):
    event = get_event_for_user(request, pk)
    return render(request, "meetings/minutes.html", _minutes_context(event))


@require_POST
@login_required
def minutes_save(request, pk):
    event = get_event_for_user(request, pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.minutes_save(
                actor=request.user,
                event=event,
                summary=form.cleaned_data["summary"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Referatet er lagret."))
            return redirect("meetings:minutes", pk=event.pk)
    return render(
        request, "meetings/minutes.html", _minutes_context(event, minutes_form=form), status=400
    )


@require_POST
@login_required
def decision_add(request, pk):
    event = get_event_for_user(request, pk)
    form = DecisionForm(request.POST, event=event)
    if form.is_valid():
        if form.cleaned_data["outcome"]:
            _may_answer(request, form.cleaned_data["agenda_item"])
        try:
            services.decision_add(
                actor=request.user, event=event, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Vedtaket er lagt til."))
            return redirect("meetings:minutes", pk=event.pk)
    return render(
        request, "meetings/minutes.html", _minutes_context(event, decision_form=form), status=400
    )


@require_POST
@login_required
def decision_edit(request, pk):
    decision = get_object_or_404(
        Decision.objects.select_related("event", "agenda_item__proposal"), pk=pk
    )
    event = get_event_for_user(request, decision.event_id)
    form = DecisionEditForm(request.POST, prefix=f"d{decision.pk}")
    if form.is_valid():
        if decision.outcome:
            _may_answer(request, decision.agenda_item)
        try:
            services.decision_edit(
                actor=request.user, decision=decision, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Vedtaket er endret."))
            return redirect("meetings:minutes", pk=event.pk)
    context = _minutes_context(event)
    context["decisions"] = [
        (d, form if d.pk == decision.pk else f) for d, f in context["decisions"]
    ]
    return render(request, "meetings/minutes.html", context, status=400)


@require_POST
@login_required
def minutes_approve(request, pk):
    event = get_event_for_user(request, pk)
    try:
        services.minutes_approve(actor=request.user, event=event, now=timezone.now())
    except ValidationError as error:
        return _failed(request, event.pk, _("Referatet ble ikke godkjent"), error.messages[0])
    messages.success(request, _("Referatet er godkjent. Vedtakene kan ikke lenger endres."))
    return redirect("meetings:minutes", pk=event.pk)


@require_POST
@login_required
def action_item_add(request, pk):
    event = get_event_for_user(request, pk)
    candidates = selectors.attendance_candidates(event, day=timezone.localdate(event.starts_at))
    form = ActionItemForm(request.POST, candidates=candidates)
    if form.is_valid():
        try:
            services.action_item_add(
                actor=request.user, event=event, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Oppfølgingspunktet er lagt til."))
            return redirect("meetings:minutes", pk=event.pk)
    return render(
        request, "meetings/minutes.html", _minutes_context(event, action_form=form), status=400
    )


@require_POST
@login_required
def action_item_status(request, pk):
    item = get_action_item_for_user(request, pk)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        return _failed(
            request, item.event_id, _("Status ble ikke endret"), _("Velg en gyldig status.")
        )
    services.action_item_set_status(
        actor=request.user, item=item, status=form.cleaned_data["status"], now=timezone.now()
    )
    messages.success(request, _("Status er oppdatert."))
    next_url = request.POST.get("next")
    if next_url == "mypage":
        return redirect("mypage:index")
    if next_url == "minutes":
        return redirect("meetings:minutes", pk=item.event_id)
    return _detail(item.event)
