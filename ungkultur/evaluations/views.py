"""Evaluation rounds, success stories, the final report and the budget (thin views)."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ungkultur.accounts.models import Consent, consent_age_limit
from ungkultur.accounts.selectors import consent_acting_as
from ungkultur.evaluations import forms, pictures, selectors, services
from ungkultur.evaluations import report as final_report
from ungkultur.evaluations.models import (
    Allocation,
    Answer,
    AnswerText,
    FinalReport,
    Frame,
    Round,
    Story,
)
from ungkultur.indicators.report import PdfUnavailable
from ungkultur.lib.spreadsheet import csv_writer
from ungkultur.meetings.models import Event
from ungkultur.municipalities.models import Municipality
from ungkultur.organisations.models import Organisation
from ungkultur.organisations.selectors import roles_for
from ungkultur.planning.access import get_municipality_for_user
from ungkultur.planning.models import CollaborationModel
from ungkultur.planning.views._common import add_service_errors, bound

PART_PERM = {
    Answer.Part.PROJECT_GROUP: "evaluations.answer_project_group",
    Answer.Part.YOUTH: "evaluations.answer_youth",
}


def _national(request):
    if not request.user.has_perm("evaluations.manage"):
        raise PermissionDenied


def _form_page(request, template, context, form):
    return render(
        request, template, {**context, "form": form}, status=400 if form.is_bound else 200
    )


# --- Rounds (national) ----------------------------------------------------------------------------


@require_safe
@login_required
def round_list(request):
    _national(request)
    rounds = list(Round.objects.all())
    return render(
        request,
        "evaluations/round_list.html",
        {"rounds": [(r, selectors.round_progress(r)) for r in rounds]},
    )


@require_http_methods(["GET", "POST"])
@login_required
def round_open(request):
    _national(request)
    form = forms.RoundForm(bound(request))
    if form.is_valid():
        try:
            round_ = services.round_open(
                actor=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Runden er åpnet for kommunene."))
            return redirect("evaluations:round_detail", pk=round_.pk)
    return _form_page(request, "evaluations/round_form.html", {}, form)


@require_safe
@login_required
def round_detail(request, pk):
    _national(request)
    round_ = get_object_or_404(Round, pk=pk)
    return render(
        request,
        "evaluations/round_detail.html",
        {
            "round": round_,
            "rows": selectors.answers_side_by_side(round_),
            "progress": selectors.round_progress(round_),
            "requests": round_.answers.filter(reopen_requested_at__isnull=False).select_related(
                "municipality"
            ),
            "submitted": round_.answers.filter(status=Answer.Status.SUBMITTED)
            .select_related("municipality")
            .prefetch_related("comments"),
        },
    )


@require_POST
@login_required
def round_close(request, pk):
    _national(request)
    round_ = get_object_or_404(Round, pk=pk)
    services.round_close(actor=request.user, round=round_, now=timezone.now())
    messages.success(request, _("Runden er lukket."))
    return redirect("evaluations:round_detail", pk=pk)


def _national_answer(request, pk):
    _national(request)
    return get_object_or_404(Answer.objects.select_related("round", "municipality"), pk=pk)


@require_POST
@login_required
def answer_reopen(request, pk):
    answer = _national_answer(request, pk)
    try:
        services.answer_reopen(actor=request.user, answer=answer, now=timezone.now())
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    messages.success(request, _("Svaret er åpnet igjen for kommunen."))
    return redirect("evaluations:round_detail", pk=answer.round_id)


@require_POST
@login_required
def comment_add(request, pk):
    answer = _national_answer(request, pk)
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Skriv en kommentar."), status=400)
    services.comment_add(
        actor=request.user, answer=answer, text=form.cleaned_data["text"], now=timezone.now()
    )
    messages.success(request, _("Kommentaren er lagret."))
    return redirect("evaluations:round_detail", pk=answer.round_id)


@require_POST
@login_required
def themes_mark(request, pk):
    _national(request)
    text = get_object_or_404(AnswerText.objects.select_related("answer"), pk=pk)
    form = forms.ThemesForm(request.POST)
    if not form.is_valid():
        return HttpResponse(" ".join(form.errors["themes"]), status=400)
    try:
        services.themes_mark(
            actor=request.user, answer_text=text, themes=form.theme_list(), now=timezone.now()
        )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    messages.success(request, _("Temaene er lagret."))
    return redirect("evaluations:round_detail", pk=text.answer.round_id)


# --- A municipality's answers ---------------------------------------------------------------------


@require_safe
@login_required
def municipality_rounds(request, code):
    municipality = get_municipality_for_user(request, code, "evaluations.view_municipality")
    answers = {(a.round_id, a.part): a for a in Answer.objects.filter(municipality=municipality)}
    rounds = [
        (r, answers.get((r.pk, Answer.Part.PROJECT_GROUP)), answers.get((r.pk, Answer.Part.YOUTH)))
        for r in Round.objects.all()
    ]
    return render(
        request,
        "evaluations/municipality_rounds.html",
        {
            "municipality": municipality,
            "rounds": rounds,
            "can_project": request.user.has_perm("evaluations.answer_project_group", municipality),
            "can_youth": request.user.has_perm("evaluations.answer_youth", municipality),
            "report_distributed": FinalReport.objects.filter(distributed_at__isnull=False).exists(),
        },
    )


def _answer_context(request, pk, code, part):
    if part not in PART_PERM:
        raise Http404
    municipality = get_municipality_for_user(request, code, PART_PERM[part])
    round_ = get_object_or_404(Round, pk=pk)
    answer = Answer.objects.filter(round=round_, municipality=municipality, part=part).first()
    return municipality, round_, answer


@require_http_methods(["GET", "POST"])
@login_required
def answer_edit(request, pk, code, part):
    municipality, round_, answer = _answer_context(request, pk, code, part)
    texts = {t.question_id: t.text for t in answer.texts.all()} if answer else {}
    initial = {f"q{k}": v for k, v in texts.items()}
    if answer:
        initial.update(meeting=answer.meeting_id, published=answer.published)
    form = forms.AnswerForm(
        bound(request),
        initial=initial,
        questions=round_.questions.all(),
        meetings=Event.objects.filter(municipality=municipality).order_by("-starts_at"),
        youth=part == Answer.Part.YOUTH,
    )
    if form.is_valid():
        try:
            services.answer_save(
                actor=request.user, round=round_, municipality=municipality, part=part,
                texts=form.texts(), meeting=form.cleaned_data["meeting"],
                published=form.cleaned_data["published"], now=timezone.now(),
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Utkastet er lagret."))
            return redirect("evaluations:answer_edit", pk=pk, code=municipality.code, part=part)
    context = {
        "municipality": municipality,
        "round": round_,
        "answer": answer,
        "part": part,
        "part_label": Answer.Part(part).label,
        "reason_form": forms.ReasonForm(),
        "late_form": forms.LateReasonForm(),
        "naming": _naming(request.user, answer) if part == Answer.Part.YOUTH else None,
        # Past the deadline and not opened again: a draft may be saved but not sent in.
        "late": round_.past_deadline(timezone.localdate())
        and (answer is None or answer.reopened_at is None),
    }
    return _form_page(request, "evaluations/answer_form.html", context, form)


def _naming(user, answer) -> dict | None:
    """The youth's own choice to be named with the group's part, as the page shows it."""
    if answer is None:
        return None
    now = timezone.now()
    return {
        "named": answer.named.filter(youth=user).exists(),
        "names": selectors.youth_names([answer.pk]).get(answer.pk, []),
        "decides_alone": consent_acting_as(
            actor=user, subject=user, purpose=Consent.Purpose.NAMED, now=now
        )
        is not None,
        "age_limit": consent_age_limit(Consent.Purpose.NAMED),
    }


@require_POST
@login_required
def answer_name(request, pk, code):
    """A resource-group youth chooses to be named with the group's part, or no longer."""
    municipality, round_, answer = _answer_context(request, pk, code, Answer.Part.YOUTH)
    if answer is None:
        raise Http404
    write = (
        services.youth_name_withdraw if request.POST.get("withdraw") else services.youth_name_give
    )
    try:
        write(actor=request.user, answer=answer, youth=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Navnet ditt vises ikke lenger med svaret.")
            if request.POST.get("withdraw")
            else _("Navnet ditt vises med ressursgruppas svar."),
        )
    return redirect("evaluations:answer_edit", pk=pk, code=municipality.code, part="youth")


@require_http_methods(["GET", "POST"])
@login_required
def guardian_names(request):
    """A guardian decides, for a child under the age limit in a resource group, whether the
    child is named with the group's parts of the evaluation rounds."""
    now = timezone.now()
    rows = selectors.guardian_name_rows(request.user, now=now)
    children = {child.pk: child for child, _answer, _named in rows}
    if request.method == "POST":
        try:
            child = children[int(request.POST.get("child", ""))]
            wanted = request.POST.get("answer")
            answer = next(a for c, a, _n in rows if c == child and str(a.pk) == wanted)
        except (KeyError, ValueError, StopIteration):
            raise Http404 from None
        write = (
            services.youth_name_withdraw
            if request.POST.get("withdraw")
            else services.youth_name_give
        )
        try:
            write(actor=request.user, answer=answer, youth=child, now=now)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Valget er lagret."))
        return redirect("evaluations:guardian_names")
    return render(request, "evaluations/guardian_names.html", {"rows": rows})


def _answer_action(request, pk, code, part):
    municipality, round_, answer = _answer_context(request, pk, code, part)
    if answer is None:
        raise Http404
    return municipality, answer


@require_POST
@login_required
def answer_submit(request, pk, code, part):
    municipality, answer = _answer_action(request, pk, code, part)
    try:
        services.answer_submit(actor=request.user, answer=answer, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Svaret er sendt inn."))
    return redirect("evaluations:answer_edit", pk=pk, code=municipality.code, part=part)


@require_POST
@login_required
def answer_request_reopen(request, pk, code, part):
    municipality, answer = _answer_action(request, pk, code, part)
    form = forms.ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Skriv hvorfor svaret må åpnes igjen."))
        services.answer_request_reopen(
            actor=request.user, answer=answer, reason=form.cleaned_data["reason"],
            now=timezone.now(),
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De nasjonale koordinatorene har fått beskjed."))
    return redirect("evaluations:answer_edit", pk=pk, code=municipality.code, part=part)


# --- Budget ---------------------------------------------------------------------------------------


def _csv(rows, totals, frame, positions) -> HttpResponse:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(
        [_("År"), _("Kommune"), _("Kommunenummer"), _("Tildelt"), _("Utbetalt"), _("Brukt"),
         _("Gjenstår")]
    )  # fmt: skip
    for row in rows:
        writer.writerow(
            [frame.year, row.municipality.name, row.municipality.code, row.allocated, row.paid,
             row.used, row.remaining]
        )  # fmt: skip
    writer.writerow(
        [frame.year, _("Sum"), "", totals["allocated"], totals["paid"], totals["used"],
         totals["remaining"]]
    )  # fmt: skip
    if positions:
        # The owner organisations' positions: a second table below a blank line.
        writer.writerow([])
        writer.writerow([_("År"), _("Eierorganisasjon"), _("Stillingsprosent"),
                         _("Årlig kostnad (kr)")])  # fmt: skip
        for share in positions:
            writer.writerow([frame.year, share.organisation.name, share.percent,
                             "" if share.yearly_cost is None else share.yearly_cost])  # fmt: skip
        cost = selectors.positions_cost(positions)
        writer.writerow([frame.year, _("Sum"), "", "" if cost is None else cost])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="budsjett-{frame.year}.csv"'
    return response


def _year(request) -> int:
    form = forms.YearForm(request.GET)
    if not form.is_valid():
        raise ValidationError(_("Ugyldig år."))
    return form.cleaned_data["year"] or timezone.localdate().year


@require_safe
@login_required
def budget(request):
    _national(request)
    try:
        year = _year(request)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    frame = Frame.objects.filter(year=year).first()
    rows = selectors.budget_rows(frame) if frame else []
    totals = selectors.budget_totals(rows)
    positions = list(frame.positions.select_related("organisation")) if frame else []
    if frame and request.GET.get("format") == "csv":
        return _csv(rows, totals, frame, positions)
    kk = Municipality.objects.filter(kk_active=True).order_by("name")
    return render(
        request,
        "evaluations/budget.html",
        {
            "year": year,
            "years": list(Frame.objects.values_list("year", flat=True)),
            "frame": frame,
            "rows": rows,
            "totals": totals,
            "positions": positions,
            "positions_cost": selectors.positions_cost(positions),
            "frame_form": forms.FrameForm(
                initial={
                    "year": year,
                    "amount": frame.amount if frame else None,
                    "earmarked": frame.earmarked if frame else None,
                }
            ),  # fmt: skip
            "allocation_form": forms.AllocationForm(municipalities=kk),
            "payment_form": forms.PaymentForm(municipalities=kk),
            "position_form": forms.PositionForm(organisations=Organisation.objects.all()),
            "actions": {
                name: f"{reverse(f'evaluations:{view}')}?year={year}"
                for name, view in (
                    ("allocation", "allocation_set"),
                    ("payment", "payment_record"),
                    ("position", "position_set"),
                )
            },
        },
    )


def _budget_post(request, form, write):
    """Validate a budget form, call the service, and redirect; or re-show the page's message."""
    _national(request)
    if form.is_valid():
        try:
            year = write(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Lagret."))
            return redirect(f"{reverse('evaluations:budget')}?year={year}")
    return render(request, "evaluations/budget_form.html", {"form": form}, status=400)


def _frame_of(request) -> Frame:
    form = forms.YearForm(request.GET)
    year = form.cleaned_data["year"] if form.is_valid() else None
    return get_object_or_404(Frame, year=year)


@require_POST
@login_required
def frame_set(request):
    def write(data):
        services.frame_set(actor=request.user, now=timezone.now(), **data)
        return data["year"]

    return _budget_post(request, forms.FrameForm(request.POST), write)


@require_POST
@login_required
def allocation_set(request):
    _national(request)
    frame = _frame_of(request)
    kk = Municipality.objects.filter(kk_active=True)

    def write(data):
        services.allocation_set(actor=request.user, frame=frame, now=timezone.now(), **data)
        return frame.year

    return _budget_post(request, forms.AllocationForm(request.POST, municipalities=kk), write)


@require_POST
@login_required
def payment_record(request):
    _national(request)
    frame = _frame_of(request)
    kk = Municipality.objects.filter(allocations__frame=frame)

    def write(data):
        allocation = Allocation.objects.get(frame=frame, municipality=data["municipality"])
        services.payment_record(
            actor=request.user, allocation=allocation, paid_on=data["paid_on"],
            amount=data["amount"], now=timezone.now(),
        )  # fmt: skip
        return frame.year

    return _budget_post(request, forms.PaymentForm(request.POST, municipalities=kk), write)


@require_POST
@login_required
def position_set(request):
    _national(request)
    frame = _frame_of(request)

    def write(data):
        services.position_set(actor=request.user, frame=frame, now=timezone.now(), **data)
        return frame.year

    form = forms.PositionForm(request.POST, organisations=Organisation.objects.all())
    return _budget_post(request, form, write)


@require_http_methods(["GET", "POST"])
@login_required
def municipality_money(request, code):
    municipality = get_municipality_for_user(request, code, "evaluations.view_municipality")
    allocations = (
        Allocation.objects.filter(municipality=municipality)
        .select_related("frame")
        .prefetch_related("payments", "uses")
        .order_by("-frame__year")
    )
    can_report = request.user.has_perm("evaluations.report_use", municipality)
    form = forms.UseForm(bound(request))
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        year = forms.YearForm(request.GET)
        if not year.is_valid() or year.cleaned_data["year"] is None:
            return HttpResponse(_("Oppgi året tildelingen gjelder."), status=400)
        allocation = get_object_or_404(allocations, frame__year=year.cleaned_data["year"])
        if form.is_valid():
            try:
                services.use_report(
                    actor=request.user, allocation=allocation, now=timezone.now(),
                    **form.cleaned_data,
                )  # fmt: skip
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Bruken er rapportert."))
                return redirect("evaluations:municipality_money", code=municipality.code)
    return render(
        request,
        "evaluations/municipality_money.html",
        {
            "municipality": municipality,
            "allocations": allocations,
            "can_report": can_report,
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


# --- Success stories ------------------------------------------------------------------------------


@require_safe
def story_list(request):
    form = forms.StorySearchForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("Ugyldig søk."), status=400)
    return render(
        request,
        "evaluations/story_list.html",
        {
            "form": form,
            "stories": selectors.stories_search(
                form.cleaned_data["q"].strip(), form.cleaned_data["tag"].strip().lower()
            ),
            "tags": selectors.all_tags(),
        },
    )


@require_safe
def story_detail(request, pk):
    story = get_object_or_404(
        Story.objects.select_related("municipality", "collaboration_model"), pk=pk
    )
    return render(
        request,
        "evaluations/story_detail.html",
        {
            "story": story,
            "can_withdraw": request.user.has_perm("evaluations.publish_story", story.municipality),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def story_create(request, code):
    municipality = get_municipality_for_user(request, code, "evaluations.publish_story")
    form = forms.StoryForm(
        bound(request),
        request.FILES if request.method == "POST" else None,
        models=CollaborationModel.objects.all(),
    )
    if form.is_valid():
        try:
            story = services.story_publish(
                actor=request.user, municipality=municipality, now=timezone.now(),
                **form.cleaned_data,
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Historien er publisert."))
            return redirect("evaluations:story_detail", pk=story.pk)
    return _form_page(request, "evaluations/story_form.html", {"municipality": municipality}, form)


@require_safe
def story_picture(request, pk):
    """A published story's picture (public, like the story); gone when the story is."""
    story = get_object_or_404(Story.objects.exclude(picture=""), pk=pk)
    ending = story.picture.name.rsplit(".", 1)[-1]
    try:
        file = story.picture.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(file, content_type=pictures.CONTENT_TYPES.get(ending))
    response["Content-Disposition"] = "inline"
    # Asked again each time: a withdrawn story (or consent) takes its picture with it at once,
    # also from caches between.
    response["Cache-Control"] = "no-cache"
    return response


@require_POST
@login_required
def story_withdraw(request, pk):
    story = get_object_or_404(Story, pk=pk)
    get_municipality_for_user(request, story.municipality.code, "evaluations.publish_story")
    services.story_withdraw(actor=request.user, story=story, now=timezone.now())
    messages.success(request, _("Historien er trukket tilbake."))
    return redirect("evaluations:story_list")


# --- The final report -----------------------------------------------------------------------------


def _final_report(request):
    """The report, for national roles always, for the municipalities' people once distributed."""
    found = FinalReport.objects.first()
    if request.user.has_perm("evaluations.manage"):
        return found
    roles = roles_for(request.user)
    if (
        found
        and found.distributed_at
        and (roles.staff_municipalities or roles.youth_member_municipalities)
    ):
        return found
    raise PermissionDenied


@require_safe
@login_required
def report_page(request):
    found = _final_report(request)
    return render(
        request,
        final_report.TEMPLATE,
        {**final_report.context(found), "pdf": False,
         "can_edit": request.user.has_perm("evaluations.manage")},
    )  # fmt: skip


@require_safe
@login_required
def report_pdf(request):
    found = _final_report(request)
    try:
        pdf = final_report.render_pdf(final_report.context(found))
    except PdfUnavailable:
        return HttpResponse(
            _("PDF-rapporten kan ikke lages på denne serveren (biblioteket Pango mangler)."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="sluttrapport-kk.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def report_edit(request):
    _national(request)
    found = FinalReport.objects.first()
    initial = (
        {"title": found.title, "summary": found.summary, "lessons": found.lessons,
         "recommendations": found.recommendations}
        if found else {"title": _("Sluttrapport for piloten Koordinert kulturarbeid")}
    )  # fmt: skip
    form = forms.ReportForm(bound(request), initial=initial)
    if form.is_valid():
        services.report_save(actor=request.user, report=found, now=timezone.now(),
                             **form.cleaned_data)  # fmt: skip
        messages.success(request, _("Rapporten er lagret."))
        return redirect("evaluations:report")
    return _form_page(request, "evaluations/report_form.html", {}, form)


@require_POST
@login_required
def report_distribute(request):
    _national(request)
    found = FinalReport.objects.first()
    if found is None:
        return HttpResponse(_("Skriv rapporten før den distribueres."), status=400)
    services.report_distribute(actor=request.user, report=found, now=timezone.now())
    messages.success(request, _("Rapporten er distribuert til kommunene."))
    return redirect("evaluations:report")
