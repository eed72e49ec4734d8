from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ungkultur.catalogue.ical import sessions_calendar
from ungkultur.catalogue.models import Offer
from ungkultur.core.forms import add_service_errors
from ungkultur.enrolment import services
from ungkultur.enrolment.access import (
    get_enrolment_for_staff,
    get_enrolment_for_user,
    get_offer_for_staff,
    get_offer_to_join,
    get_session_for_staff,
)
from ungkultur.enrolment.forms import (
    AttendanceForm,
    CancelForm,
    CloseRoundForm,
    JoinForm,
    LeaveForm,
    PriorityForm,
    ReregistrationForm,
    StaffAddForm,
)
from ungkultur.enrolment.models import Enrolment
from ungkultur.enrolment.selectors import (
    feed_for_token,
    free_places,
    import_conflicts,
    join_candidates,
    notice_enrolments,
    offer_roster,
    offer_sessions,
    opening_times,
    personal_sessions,
    session_roster,
    todays_sessions,
    waiting_position,
)
from ungkultur.lib.tokens import token_hash

Status = Enrolment.Status


# --- Join ---------------------------------------------------------------------------------------


def _joined_message(enrolment: Enrolment, *, is_self: bool) -> str:
    values = {
        "offer": enrolment.offer.title,
        "name": enrolment.participant.user.first_name,
    }
    if enrolment.status == Status.ACTIVE:
        text = _("Du er med på %(offer)s!") if is_self else _("%(name)s er med på %(offer)s!")
    elif enrolment.status == Status.WAITING:
        values["position"] = waiting_position(enrolment)
        text = (
            _("%(offer)s er fullt. Du er nummer %(position)s på ventelisten.")
            if is_self
            else _("%(offer)s er fullt. %(name)s er nummer %(position)s på ventelisten.")
        )
    elif enrolment.status == Status.OFFERED:
        values["answer_by"] = date_format(
            timezone.localtime(enrolment.answer_by), "DATE_AT_TIME_FORMAT"
        )
        text = _("Du har fått tilbud om plass på %(offer)s. Svar innen %(answer_by)s.")
    else:
        text = _("Søknaden til %(offer)s er sendt. Du får svar på e-post.")
    return text % values


def _join_without_sign_up(request, offer, *, now):
    """Drop-in offers ("bare møt opp") and cancelled ones: the page says so, nobody signs up."""
    context = {"offer": offer, "sessions": opening_times(offer, now=now)}
    if request.method == "GET":
        return render(request, "enrolment/join.html", context)
    context["errors"] = [services.join_closed_reason(offer, today=timezone.localdate(now))]
    return render(request, "enrolment/join.html", context, status=400)


@require_http_methods(["GET", "POST"])
def join(request, pk):
    offer = get_offer_to_join(pk)
    now = timezone.now()
    if offer.join_mode == Offer.JoinMode.DROP_IN or offer.status == Offer.Status.CANCELLED:
        return _join_without_sign_up(request, offer, now=now)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    candidates = join_candidates(request.user, offer, now=now)
    own = next((c for c in candidates if c.is_self), None)
    # Under the online consent age a youth is not offered themself; their guardian signs up.
    selectable = [c for c in candidates if c.decides_alone or not c.is_self]
    context = {
        "offer": offer,
        "age_limit": settings.UNGKULTUR_AGE_ONLINE_CONSENT,
        "closed": services.join_closed_reason(offer, today=timezone.localdate(now)),
        "candidates": candidates,
        "selectable": selectable,
        "own": own,
    }
    posted = request.POST if request.method == "POST" else None
    if posted is not None and own and not own.decides_alone:
        if posted.get("person", "") in ("", str(request.user.pk)):
            return render(request, "enrolment/join_needs_guardian.html", context, status=403)
    form = context["form"] = JoinForm(posted, candidates=selectable)
    if posted is None:
        # Say before the button why someone is too young or too old (the service decides).
        today = timezone.localdate(now)
        reasons = [
            services.join_age_reason(offer=offer, person=c.person, is_self=c.is_self, today=today)
            for c in selectable
            if not c.open_enrolment
        ]
        context["age_reasons"] = [r for r in reasons if r]
        context["nobody_fits"] = bool(selectable) and len(context["age_reasons"]) == len(selectable)
        return render(request, "enrolment/join.html", context)
    if not selectable:
        context["errors"] = [_("Du har ingen du kan melde på.")]
    elif form.is_valid():
        person = next(c.person for c in selectable if c.person.pk == form.cleaned_data["person"])
        try:
            enrolment = services.enrolment_join(
                actor=request.user, offer=offer, person=person, now=now
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            is_self = person.pk == request.user.pk
            messages.success(request, _joined_message(enrolment, is_self=is_self))
            return redirect("mypage:index")
    return render(request, "enrolment/join.html", context, status=400)


# --- Answering an offered place, re-registration, leaving ---------------------------------------


def _answer(request, pk, service, success):
    enrolment = get_enrolment_for_user(request, pk, "enrolment.act_for")
    try:
        service(actor=request.user, enrolment=enrolment, now=timezone.now())
    except ValidationError as error:
        return render(
            request,
            "enrolment/action_failed.html",
            {"enrolment": enrolment, "errors": error.messages},
            status=400,
        )
    messages.success(request, success % {"offer": enrolment.offer.title})
    return redirect("mypage:index")


@require_POST
@login_required
def accept(request, pk):
    return _answer(
        request, pk, services.enrolment_accept, _("Så bra! Plassen på %(offer)s er tatt imot.")
    )


@require_POST
@login_required
def decline(request, pk):
    return _answer(
        request,
        pk,
        services.enrolment_decline,
        _("Takk for svaret. Plassen på %(offer)s går videre til nestemann."),
    )


@require_POST
@login_required
def reregister(request, pk):
    return _answer(
        request,
        pk,
        services.enrolment_reregister,
        _("Takk! Plassen på %(offer)s fortsetter."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def leave(request, pk):
    enrolment = get_enrolment_for_user(request, pk, "enrolment.leave")
    now = timezone.now()
    today = timezone.localdate(now)
    as_staff = not request.user.has_perm("enrolment.act_for", enrolment)
    is_open = enrolment.status in Enrolment.OPEN_STATUSES
    needs_reason = enrolment.status == Status.ACTIVE and enrolment.start <= today
    data = request.POST if request.method == "POST" else None
    if needs_reason:
        form = LeaveForm(data, staff=as_staff, initial={"end": today})
    else:
        form = forms.Form(data)
    context = {
        "enrolment": enrolment,
        "form": form,
        "needs_reason": needs_reason,
        "as_staff": as_staff,
        "is_open": is_open,
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_leave(
                actor=request.user,
                enrolment=enrolment,
                now=now,
                end_reason=form.cleaned_data.get("end_reason", ""),
                dropout_reason=form.cleaned_data.get("dropout_reason", ""),
                end=form.cleaned_data.get("end"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Påmeldingen til %(offer)s er avsluttet.") % {"offer": enrolment.offer.title},
            )
            if as_staff:
                return redirect("enrolment:participants", pk=enrolment.offer_id)
            return redirect("mypage:index")
    return render(
        request,
        "enrolment/leave.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


# --- Staff: participants, waiting list and applicants -------------------------------------------


# The participants page lists this many of those taking part at a time (a large imported
# group has thousands); the search finds one by name or by the code an imported pupil has.
PARTICIPANTS_PER_PAGE = 100


def _active_page(request, active):
    query = request.GET.get("q", "").strip()[:100]
    if query:
        needle = query.lower().lstrip("#")
        code = needle.removeprefix("kode").strip().lstrip("#")
        active = [
            e
            for e in active
            if (e.participant.user is not None and needle in e.participant.user.full_name.lower())
            or (e.participant.user is None and needle in e.participant.first_name.lower())
            or (e.participant.user is None and code and e.participant.ref_hash.startswith(code))
        ]
    page = Paginator(active, PARTICIPANTS_PER_PAGE).get_page(request.GET.get("side"))
    return query, page


def _render_participants(request, offer, *, errors=(), status=200):
    can_manage = request.user.has_perm("enrolment.manage", offer)
    roster = offer_roster(offer)
    query, active_page = _active_page(request, roster.active)
    return render(
        request,
        "enrolment/participants.html",
        {
            "offer": offer,
            "roster": roster,
            "sessions": offer_sessions(offer),
            "conflicts": import_conflicts(offer) if can_manage else [],
            "errors": list(errors),
            "now": timezone.now(),
            # A teacher of the offer sees the group and its sessions, not the leader's actions.
            "can_manage": can_manage,
            "imported_count": sum(1 for e in roster.active if e.participant.ref_hash),
            "query": query,
            "active_page": active_page,
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_GET
@login_required
def participants(request, pk):
    offer = get_offer_for_staff(request, pk, perm="enrolment.take_attendance")
    return _render_participants(request, offer)


@require_POST
@login_required
def offer_place(request, pk):
    enrolment = get_enrolment_for_staff(request, pk)
    offer = enrolment.offer
    try:
        services.enrolment_offer_place(
            actor=request.user,
            enrolment=enrolment,
            now=timezone.now(),
            skip_ahead=request.POST.get("skip_ahead") == "1",
        )
    except ValidationError as error:
        return _render_participants(request, offer, errors=error.messages, status=400)
    messages.success(
        request,
        _("%(name)s har fått tilbud om plass og får beskjed på e-post.")
        % {"name": _participant_name(enrolment)},
    )
    return redirect("enrolment:participants", pk=offer.pk)


@require_http_methods(["GET", "POST"])
@login_required
def staff_add(request, pk):
    """Staff add a person by hand: search a youth in the municipality, or type in someone new."""
    offer = get_offer_for_staff(request, pk)
    query = request.GET.get("q", "").strip()[:100]
    form = StaffAddForm(request.POST if request.method == "POST" else None)
    chosen = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["user"] is not None:
            chosen = next(
                (u for u in services.staff_add_candidates_by_pk(offer, data["user"])), None
            )
            if chosen is None:
                raise Http404
        try:
            enrolment = services.enrolment_add_by_staff(
                actor=request.user,
                offer=offer,
                place=data["place"],
                user=chosen,
                first_name=data["first_name"],
                birth_year=data["birth_year"],
                email=data["email"],
                over_capacity=data["over_capacity"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            told = bool(services.recipients(enrolment))
            text = (
                _("%(name)s har fått plass.")
                if enrolment.status == Status.ACTIVE
                else _("%(name)s står på ventelisten.")
                if enrolment.status == Status.WAITING
                else _("%(name)s er satt opp som søker.")
            ) % {"name": _participant_name(enrolment)}
            text += " " + (
                _("Det er sendt beskjed på e-post.")
                if told
                else _("Vi har ingen e-postadresse, så gi beskjed på annen måte.")
            )
            messages.success(request, text)
            return redirect("enrolment:participants", pk=offer.pk)
    return render(
        request,
        "enrolment/staff_add.html",
        {
            "offer": offer,
            "form": form,
            "query": query,
            "candidates": services.staff_add_candidates(offer, query) if query else None,
            "full": free_places(offer) == 0,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def waiting_move(request, pk):
    enrolment = get_enrolment_for_staff(request, pk)
    offer = enrolment.offer
    try:
        services.enrolment_waiting_move(
            actor=request.user,
            enrolment=enrolment,
            to=request.POST.get("to", ""),
            now=timezone.now(),
        )
    except ValidationError as error:
        return _render_participants(request, offer, errors=error.messages, status=400)
    messages.success(
        request, _("%(name)s er flyttet på ventelisten.") % {"name": _participant_name(enrolment)}
    )
    return redirect("enrolment:participants", pk=offer.pk)


@require_POST
@login_required
def set_priority(request, pk):
    enrolment = get_enrolment_for_staff(request, pk)
    offer = enrolment.offer
    form = PriorityForm(request.POST)
    if not form.is_valid():
        errors = [_("Prioritet: %(error)s") % {"error": e} for e in form.errors["priority"]]
        return _render_participants(request, offer, errors=errors, status=400)
    try:
        services.enrolment_set_priority(
            actor=request.user,
            enrolment=enrolment,
            priority=form.cleaned_data["priority"],
            now=timezone.now(),
        )
    except ValidationError as error:
        return _render_participants(request, offer, errors=error.messages, status=400)
    messages.success(
        request,
        _("Prioriteten til %(name)s er %(priority)s.")
        % {"name": _participant_name(enrolment), "priority": form.cleaned_data["priority"]},
    )
    return redirect("enrolment:participants", pk=offer.pk)


@require_POST
@login_required
def resolve_import_conflict(request, pk):
    enrolment = get_enrolment_for_staff(request, pk)
    offer = enrolment.offer
    choice = request.POST.get("choice")
    if choice not in ("file", "ungkultur"):
        return _render_participants(
            request, offer, errors=[_("Velg hva som skal gjelde.")], status=400
        )
    try:
        services.enrolment_import_conflict_resolve(
            actor=request.user, enrolment=enrolment, use_file=choice == "file", now=timezone.now()
        )
    except ValidationError as error:
        return _render_participants(request, offer, errors=error.messages, status=400)
    messages.success(
        request,
        (
            _("Det som står i filen fra fagsystemet, gjelder nå for %(name)s.")
            if choice == "file"
            else _("Det som er registrert i Ungkultur, gjelder fortsatt for %(name)s.")
        )
        % {"name": _participant_name(enrolment)},
    )
    return redirect("enrolment:participants", pk=offer.pk)


def _participant_name(enrolment: Enrolment) -> str:
    user = enrolment.participant.user
    if user is not None:
        return user.full_name
    if enrolment.participant.first_name:
        return enrolment.participant.first_name
    return _("kode %(ref)s fra fagsystemet") % {"ref": enrolment.participant.ref_hash[:8]}


@require_http_methods(["GET", "POST"])
@login_required
def reregistration_open(request, pk):
    offer = get_offer_for_staff(request, pk)
    form = ReregistrationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            count = services.enrolment_reregistration_open(
                actor=request.user,
                offer=offer,
                deadline=form.cleaned_data["deadline"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s deltaker er bedt om å melde seg på igjen innen %(date)s.",
                    "%(count)s deltakere er bedt om å melde seg på igjen innen %(date)s.",
                    count,
                )
                % {
                    "count": count,
                    "date": date_format(form.cleaned_data["deadline"], "DATE_FORMAT"),
                },
            )
            return redirect("enrolment:participants", pk=offer.pk)
    active = Enrolment.objects.filter(offer=offer, status=Status.ACTIVE)
    return render(
        request,
        "enrolment/reregistration_open.html",
        {
            "offer": offer,
            "form": form,
            "asked_count": active.filter(import_key="", participant__user__isnull=False).count(),
            "imported_count": active.exclude(import_key="").count(),
            # Added by hand without an account (not imported): not asked either.
            "no_account_count": active.filter(
                import_key="", participant__user__isnull=True
            ).count(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def offer_top(request, pk):
    offer = get_offer_for_staff(request, pk)
    try:
        count = int(request.POST.get("count", ""))
    except ValueError:
        return _render_participants(
            request, offer, errors=[_("Skriv hvor mange som skal få tilbud.")], status=400
        )
    try:
        offered = services.application_offer_top(
            actor=request.user,
            offer=offer,
            count=count,
            before_deadline=request.POST.get("before_deadline") == "1",
            now=timezone.now(),
        )
    except ValidationError as error:
        return _render_participants(request, offer, errors=error.messages, status=400)
    messages.success(
        request,
        ngettext(
            "%(count)s søker har fått tilbud om plass og får beskjed på e-post.",
            "%(count)s søkere har fått tilbud om plass og får beskjed på e-post.",
            len(offered),
        )
        % {"count": len(offered)},
    )
    return redirect("enrolment:participants", pk=offer.pk)


@require_http_methods(["GET", "POST"])
@login_required
def application_round_close(request, pk):
    offer = get_offer_for_staff(request, pk)
    form = CloseRoundForm(request.POST if request.method == "POST" else None)
    roster = offer_roster(offer)
    if form.is_valid():
        try:
            count = services.application_round_close(
                actor=request.user,
                offer=offer,
                message=form.cleaned_data["message"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Søknadsrunden er avsluttet. %(count)s søker fikk beskjed om at de ikke "
                    "fikk plass.",
                    "Søknadsrunden er avsluttet. %(count)s søkere fikk beskjed om at de ikke "
                    "fikk plass.",
                    count,
                )
                % {"count": count},
            )
            return redirect("enrolment:participants", pk=offer.pk)
    return render(
        request,
        "enrolment/application_round_close.html",
        {
            "offer": offer,
            "form": form,
            "roster": roster,
            "reach": services.notice_reach(roster.applicants),
        },
        status=400 if form.errors else 200,
    )


# --- Staff: attendance --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def attendance(request, pk):
    session = get_session_for_staff(request, pk, perm="enrolment.take_attendance")
    roster = session_roster(session)
    data = request.POST if request.method == "POST" else None
    if data is not None and data.get("all"):
        # "Alle til stede": everyone on the list, whatever was ticked.
        data = data.copy()
        data.setlist("present", [str(row.enrolment.pk) for row in roster])
        data.setlist("excused", [])
    form = AttendanceForm(data, roster=roster)
    saved_at = None
    closed = services.attendance_open_reason(session, now=timezone.now())
    if form.is_bound and closed:
        # Not begun or cancelled: refused, whatever was sent (nothing is saved).
        form.is_valid()
        form.add_error(None, closed)
    elif form.is_bound and form.is_valid():
        now = timezone.now()
        try:
            services.attendance_record(
                actor=request.user,
                session=session,
                present_ids=form.cleaned_data["present"],
                excused_ids=form.cleaned_data["excused"],
                now=now,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Oppmøtet er lagret."))
                return redirect("enrolment:attendance", pk=session.pk)
            saved_at = now
    checked = set(data.getlist("present")) if form.is_bound else None
    excused = set(data.getlist("excused")) if form.is_bound else None
    for row in roster:
        row.checked = str(row.enrolment.pk) in checked if form.is_bound else row.present
        row.excused_checked = str(row.enrolment.pk) in excused if form.is_bound else row.excused
    counts = _attendance_counts(roster, saved=saved_at is not None)
    context = {
        "session": session,
        "offer": session.offer,
        "roster": roster,
        "form": form,
        "closed": closed,
        "saved_at": saved_at,
        "counts": counts,
        "present_count": len(form.cleaned_data["present"]) if saved_at else None,
        "imported_count": sum(1 for row in roster if row.enrolment.participant.ref_hash),
    }
    template = "enrolment/attendance.html"
    if request.htmx and form.is_bound:
        template += "#status"
    return render(request, template, context, status=400 if form.errors else 200)


def _attendance_counts(roster, *, saved: bool) -> dict[str, int]:
    """How many are present, absent with a valid reason (gyldig) and without (ugyldig), and
    not recorded yet: as just saved, or as recorded before."""
    counts = {"present": 0, "excused": 0, "unexcused": 0, "unrecorded": 0}
    for row in roster:
        if saved:
            state = "present" if row.checked else "excused" if row.excused_checked else "unexcused"
        else:
            state = row.state or "unrecorded"
        counts[state] += 1
    return counts


@require_GET
@login_required
def today(request):
    """A teacher's own groups today, each a tap away from its attendance list."""
    now = timezone.now()
    return render(
        request,
        "enrolment/today.html",
        {"sessions": todays_sessions(request.user, now=now), "now": now},
    )


# --- Staff: cancelling --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def session_cancel(request, pk):
    session = get_session_for_staff(request, pk)
    form = CancelForm(request.POST if request.method == "POST" else None)
    reach = services.notice_reach(notice_enrolments(session.offer))
    if form.is_valid():
        try:
            services.session_cancel(
                actor=request.user,
                session=session,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Samlingen er avlyst.") + " " + _reach_message(reach))
            return redirect("enrolment:participants", pk=session.offer_id)
    return render(
        request,
        "enrolment/session_cancel.html",
        {"session": session, "offer": session.offer, "form": form, "reach": reach},
        status=400 if form.errors else 200,
    )


def _reach_message(reach: services.NoticeReach) -> str:
    """How many are told, and how: the success message after a cancellation."""
    text = ngettext(
        "%(count)s person får beskjed på e-post.",
        "%(count)s personer får beskjed på e-post.",
        reach.reached,
    ) % {"count": reach.reached}
    if reach.unreached:
        text += " " + ngettext(
            "%(count)s har ingen e-postadresse hos oss (importert fra fagsystemet eller uten "
            "konto) og må få beskjed på annen måte.",
            "%(count)s har ingen e-postadresse hos oss (importert fra fagsystemet eller uten "
            "konto) og må få beskjed på annen måte.",
            reach.unreached,
        ) % {"count": reach.unreached}
    return text


@require_http_methods(["GET", "POST"])
@login_required
def offer_cancel(request, pk):
    offer = get_offer_for_staff(request, pk)
    form = CancelForm(request.POST if request.method == "POST" else None)
    roster = offer_roster(offer)
    reach = services.notice_reach(
        roster.active + roster.offered + roster.waiting + roster.applicants
    )
    if form.is_valid():
        try:
            services.offer_cancel(
                actor=request.user,
                offer=offer,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Tilbudet er avlyst.") + " " + _reach_message(reach))
            return redirect("enrolment:participants", pk=offer.pk)
    return render(
        request,
        "enrolment/offer_cancel.html",
        {
            "offer": offer,
            "form": form,
            "roster": roster,
            "pending_count": len(roster.waiting) + len(roster.offered),
            "reach": reach,
        },
        status=400 if form.errors else 200,
    )


# --- Personal calendar --------------------------------------------------------------------------


@require_POST
@login_required
@never_cache
def calendar_feed_create(request):
    _feed, raw = services.calendar_feed_create(user=request.user, now=timezone.now())
    https_url = request.build_absolute_uri(
        reverse("enrolment:personal_calendar", kwargs={"token": raw})
    )
    # Shown once, in this response only: the raw token is never stored.
    return render(
        request,
        "enrolment/calendar_feed_created.html",
        {"https_url": https_url, "webcal_url": "webcal://" + https_url.split("://", 1)[1]},
    )


@require_POST
@login_required
def calendar_feed_revoke(request):
    services.calendar_feed_revoke(user=request.user, now=timezone.now())
    messages.success(request, _("Kalenderlenken er slettet og virker ikke lenger."))
    return redirect("mypage:index")


@require_GET
def personal_calendar(request, token):
    feed = feed_for_token(token_hash(token))
    if feed is None:
        raise Http404
    body = sessions_calendar(
        personal_sessions(feed.user), name=_("Mine aktiviteter – Ungkultur"), now=timezone.now()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
