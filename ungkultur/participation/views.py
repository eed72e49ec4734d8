import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ungkultur.accounts.models import User
from ungkultur.core.forms import add_service_errors
from ungkultur.participation import selectors, services
from ungkultur.participation.access import (
    check,
    get_comment,
    get_municipality,
    get_poll_for_staff,
    get_project,
    get_proposal,
    get_round,
    get_unit_for_polls,
)
from ungkultur.participation.cache import LIST_SECONDS, list_key
from ungkultur.participation.forms import (
    AnswerForm,
    BallotForm,
    BudgetProjectForm,
    BudgetRoundForm,
    CheckForm,
    CommentForm,
    ConsiderForm,
    FollowUpForm,
    PollAnswerForm,
    PollForm,
    ProfileForm,
    ProgressForm,
    ProposalForm,
    ProposalListQuery,
    ReportForm,
    SettingsForm,
)
from ungkultur.participation.models import (
    BudgetProject,
    BudgetRound,
    ParticipantProfile,
    Poll,
    Proposal,
    local_date,
)
from ungkultur.participation.rules import At, is_youth_of_round, meets_round_proof

PROPOSALS_PER_PAGE = 25
POLL_DONE_KEY = "participation_polls_answered"


def _posted(request):
    """The form data of a POST, even an empty one (an empty QueryDict is falsy)."""
    return request.POST if request.method == "POST" else None


def _form_page(request, template, context, form):
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


# --- Public list: "Hva skjedde med forslagene?" ---------------------------------------------


@require_safe
def proposal_list(request, code):
    municipality = get_municipality(code)
    request.municipality = municipality
    query = ProposalListQuery(request.GET)
    now = timezone.now()
    today = local_date(now)
    context = {
        "municipality": municipality,
        "query": query,
        "can_propose": request.user.has_perm("participation.propose", At(municipality, now)),
        "can_answer": request.user.has_perm("participation.answer", At(municipality, now)),
    }
    if not query.is_valid():
        return render(
            request, "participation/proposal_list.html", {**context, "bad_query": True}, status=400
        )
    # The list and the figures are the same for everyone: cached (see cache.py). The buttons
    # around them depend on who asks and are rendered every time.
    key = list_key(
        municipality_id=municipality.pk, language=get_language(), day=today, query=request.GET
    )
    html = cache.get(key)
    if html is None:
        proposals = selectors.public_proposals(
            municipality, status=query.cleaned_data["status"] or None
        )
        try:
            page = Paginator(proposals, PROPOSALS_PER_PAGE).page(query.cleaned_data["page"] or 1)
        except EmptyPage:
            raise Http404 from None
        figures = selectors.proposal_figures(
            Proposal.objects.filter(municipality=municipality), today=today
        )
        html = render_to_string(
            "participation/proposal_list.html#content",
            {**context, "page": page, "figures": figures, "today": today},
            request=request,
        )
        cache.set(key, html, LIST_SECONDS)
    return render(request, "participation/proposal_list.html", {**context, "content": html})


# --- A proposal -----------------------------------------------------------------------------


def _detail_page(request, proposal, *, status=200, errors=(), comment_form=None):
    now = timezone.now()
    at = At(proposal, now)
    user = request.user
    return render(
        request,
        "participation/proposal_detail.html",
        {
            "proposal": proposal,
            **selectors.proposal_page(proposal, user=user),
            "today": local_date(now),
            "errors": list(errors),
            "comment_form": comment_form or CommentForm(),
            "report_form": ReportForm(),
            "can_support": user.has_perm("participation.support", at),
            "can_comment": user.has_perm("participation.comment", at),
            "can_answer": user.has_perm("participation.answer", at),
            "next_statuses": services.NEXT[proposal.status],
        },
        status=status,
    )


@require_safe
def proposal_detail(request, pk):
    proposal = get_proposal(pk)
    request.municipality = proposal.municipality
    return _detail_page(request, proposal)


@require_http_methods(["GET", "POST"])
@login_required
def proposal_new(request, code):
    municipality = get_municipality(code)
    request.municipality = municipality
    now = timezone.now()
    check(request, "participation.propose", municipality, municipality_id=municipality.pk, now=now)
    form = ProposalForm(_posted(request))
    if form.is_valid():
        try:
            proposal = services.proposal_create(
                actor=request.user, municipality=municipality, now=now, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Takk! Forslaget ditt er sendt inn. Du får svar innen %(date)s.")
                % {"date": date_format(proposal.answer_due, "DATE_FORMAT")},
            )
            return redirect("participation:proposal_detail", pk=proposal.pk)
    return _form_page(
        request, "participation/proposal_form.html", {"municipality": municipality}, form
    )


def _acting_on(request, pk, perm):
    proposal = get_proposal(pk)
    request.municipality = proposal.municipality
    check(request, perm, proposal, municipality_id=proposal.municipality_id)
    return proposal


@require_POST
@login_required
def proposal_support(request, pk):
    proposal = get_proposal(pk)
    request.municipality = proposal.municipality
    try:
        check(request, "participation.support", proposal, municipality_id=proposal.municipality_id)
        services.proposal_support(actor=request.user, proposal=proposal, now=timezone.now())
    except ValidationError as error:
        return _detail_page(request, proposal, status=400, errors=error.messages)
    except PermissionDenied:
        if proposal.supports.filter(user=request.user).exists():
            return _detail_page(
                request, proposal, status=400, errors=[_("Du støtter allerede dette forslaget.")]
            )
        raise
    messages.success(request, _("Du støtter nå forslaget. Du får beskjed når det får svar."))
    return redirect("participation:proposal_detail", pk=proposal.pk)


@require_POST
@login_required
def proposal_unsupport(request, pk):
    proposal = get_proposal(pk)
    request.municipality = proposal.municipality
    try:
        services.proposal_unsupport(actor=request.user, proposal=proposal, now=timezone.now())
    except ValidationError as error:
        return _detail_page(request, proposal, status=400, errors=error.messages)
    messages.success(request, _("Du støtter ikke lenger forslaget."))
    return redirect("participation:proposal_detail", pk=proposal.pk)


@require_POST
@login_required
def comment_new(request, pk):
    proposal = _acting_on(request, pk, "participation.comment")
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_create(
            actor=request.user,
            proposal=proposal,
            text=form.cleaned_data["text"],
            now=timezone.now(),
        )
        messages.success(request, _("Kommentaren er lagt til."))
        return redirect(reverse("participation:proposal_detail", args=[pk]) + "#kommentarer")
    return _detail_page(request, proposal, status=400, comment_form=form)


@require_POST
@login_required
def comment_report(request, pk):
    comment = get_comment(pk)
    proposal = comment.proposal
    request.municipality = proposal.municipality
    if not comment.is_shown:
        raise Http404
    form = ReportForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Begrunnelsen kan være høyst 200 tegn."))
        services.comment_report(
            actor=request.user,
            comment=comment,
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
        )
    except ValidationError as error:
        return _detail_page(request, proposal, status=400, errors=error.messages)
    messages.success(request, _("Takk. En voksen ser på kommentaren."))
    return redirect(reverse("participation:proposal_detail", args=[proposal.pk]) + "#kommentarer")


def _moderate(request, pk, *, keep):
    comment = get_comment(pk)
    proposal = comment.proposal
    request.municipality = proposal.municipality
    check(request, "participation.answer", proposal, municipality_id=proposal.municipality_id)
    services.comment_moderate(actor=request.user, comment=comment, keep=keep, now=timezone.now())
    messages.success(
        request, _("Kommentaren vises igjen.") if keep else _("Kommentaren er fjernet.")
    )
    return redirect("participation:proposal_detail", pk=proposal.pk)


@require_POST
@login_required
def comment_keep(request, pk):
    return _moderate(request, pk, keep=True)


@require_POST
@login_required
def comment_remove(request, pk):
    return _moderate(request, pk, keep=False)


# --- Answering ------------------------------------------------------------------------------


@require_POST
@login_required
def proposal_consider(request, pk):
    proposal = _acting_on(request, pk, "participation.answer")
    form = ConsiderForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Merknaden kan være høyst 500 tegn."))
        services.proposal_consider(
            actor=request.user,
            proposal=proposal,
            note=form.cleaned_data["note"],
            now=timezone.now(),
        )
    except ValidationError as error:
        return _detail_page(request, proposal, status=400, errors=error.messages)
    messages.success(request, _("Forslaget er til behandling."))
    return redirect("participation:proposal_detail", pk=proposal.pk)


@require_http_methods(["GET", "POST"])
@login_required
def proposal_answer(request, pk):
    proposal = _acting_on(request, pk, "participation.answer")
    now = timezone.now()
    if proposal.is_answered:
        return _detail_page(
            request, proposal, status=400, errors=[_("Forslaget har allerede fått svar.")]
        )
    youth = services.resource_group_youth(proposal.municipality, day=local_date(now))
    form = AnswerForm(_posted(request), youth=User.objects.filter(pk__in=youth.values("user_id")))
    if form.is_valid():
        try:
            services.proposal_answer(
                actor=request.user, proposal=proposal, now=now, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Svaret er lagret. Forslagsstilleren og de som støtter det, får beskjed."),
            )
            return redirect("participation:proposal_detail", pk=proposal.pk)
    return _form_page(request, "participation/answer_form.html", {"proposal": proposal}, form)


@require_http_methods(["GET", "POST"])
@login_required
def proposal_follow_up(request, pk):
    proposal = _acting_on(request, pk, "participation.answer")
    if not services.NEXT[proposal.status] or proposal.status in (
        Proposal.Status.SUBMITTED,
        Proposal.Status.CONSIDERING,
    ):
        return _detail_page(
            request,
            proposal,
            status=400,
            errors=[_("Bare vedtatte forslag kan følges opp.")],
        )
    form = FollowUpForm(_posted(request), municipality=proposal.municipality)
    if form.is_valid():
        try:
            services.proposal_follow_up(
                actor=request.user, proposal=proposal, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Oppfølgingen er lagret."))
            return redirect("participation:proposal_detail", pk=proposal.pk)
    return _form_page(request, "participation/follow_up_form.html", {"proposal": proposal}, form)


@require_safe
@login_required
def follow_up_list(request, code):
    municipality = get_municipality(code)
    request.municipality = municipality
    now = timezone.now()
    check(request, "participation.answer", municipality, municipality_id=municipality.pk, now=now)
    return render(
        request,
        "participation/follow_up_list.html",
        {
            "municipality": municipality,
            "today": local_date(now),
            "answer_days": services.answer_days_for(municipality),
            **selectors.follow_up_list(municipality, today=local_date(now)),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def municipality_settings(request, code):
    municipality = get_municipality(code)
    request.municipality = municipality
    now = timezone.now()
    check(request, "participation.answer", municipality, municipality_id=municipality.pk, now=now)
    form = SettingsForm(
        _posted(request), initial={"answer_days": services.answer_days_for(municipality)}
    )
    if form.is_valid():
        services.municipality_settings_update(
            actor=request.user, municipality=municipality, now=now, **form.cleaned_data
        )
        messages.success(request, _("Svarfristen er lagret."))
        return redirect("participation:follow_up_list", code=municipality.code)
    return _form_page(
        request, "participation/settings_form.html", {"municipality": municipality}, form
    )


# --- Notifications and profile --------------------------------------------------------------


@require_safe
@login_required
@never_cache
def notifications(request):
    return render(
        request,
        "participation/notifications.html",
        {
            "notifications": selectors.notifications_of(request.user)[:100],
            "unread": selectors.unread_count(request.user),
        },
    )


@require_POST
@login_required
def notifications_read(request):
    services.notifications_mark_read(actor=request.user, now=timezone.now())
    messages.success(request, _("Alle varsler er merket som lest."))
    return redirect("participation:notifications")


@require_http_methods(["GET", "POST"])
@login_required
def profile(request):
    current = ParticipantProfile.objects.filter(user=request.user).first()
    initial = {
        "nickname": request.user.nickname,
        "school_municipality": current.school_municipality if current else None,
        "email_digest": current.email_digest if current else True,
    }
    form = ProfileForm(_posted(request), initial=initial)
    if form.is_valid():
        try:
            services.profile_update(actor=request.user, now=timezone.now(), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Innstillingene er lagret."))
            return redirect("participation:profile")
    return _form_page(request, "participation/profile_form.html", {}, form)


# --- Youth budget ---------------------------------------------------------------------------


@require_safe
def budget_list(request, code):
    municipality = get_municipality(code)
    request.municipality = municipality
    now = timezone.now()
    return render(
        request,
        "participation/budget_list.html",
        {
            "municipality": municipality,
            "rounds": [
                (r, r.phase(now)) for r in BudgetRound.objects.filter(municipality=municipality)
            ],
            "can_manage": request.user.has_perm(
                "participation.manage_budget", At(municipality, now)
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def budget_new(request, code):
    municipality = get_municipality(code)
    request.municipality = municipality
    now = timezone.now()
    check(
        request,
        "participation.manage_budget",
        municipality,
        municipality_id=municipality.pk,
        now=now,
    )
    form = BudgetRoundForm(_posted(request))
    if form.is_valid():
        try:
            round_ = services.budget_round_create(
                actor=request.user, municipality=municipality, now=now, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ungdomsbudsjettet er opprettet."))
            return redirect("participation:budget_detail", pk=round_.pk)
    return _form_page(
        request, "participation/budget_form.html", {"municipality": municipality}, form
    )


def _budget_page(request, round_, *, status=200, errors=()):
    now = timezone.now()
    at = At(round_, now)
    user = request.user
    can_check = user.has_perm("participation.check_budget_project", at)
    projects = selectors.round_projects(round_)
    visible = [
        p
        for p in projects
        if can_check
        or p.feasibility != BudgetProject.Feasibility.PENDING
        or (user.is_authenticated and p.author_id == user.pk)
    ]
    return render(
        request,
        "participation/budget_detail.html",
        {
            "round": round_,
            "phase": round_.phase(now),
            "Phase": BudgetRound.Phase,
            "projects": visible,
            "own_votes": selectors.own_ballot_ids(round_, user),
            "can_propose": user.has_perm("participation.propose_budget_project", at),
            "can_vote": user.has_perm("participation.vote", at),
            # A youth of the round whose login does not yet give the proof the round asks for.
            "needs_proof": user.is_authenticated
            and round_.phase(now) in (BudgetRound.Phase.PROPOSING, BudgetRound.Phase.VOTING)
            and is_youth_of_round(user, at)
            and not meets_round_proof(user, at),
            "can_check": can_check,
            "can_publish": user.has_perm("participation.publish_budget", at),
            "can_follow": user.has_perm("participation.follow_budget_project", at),
            "check_form": CheckForm(),
            "errors": list(errors),
        },
        status=status,
    )


@require_safe
def budget_detail(request, pk):
    round_ = get_round(pk)
    request.municipality = round_.municipality
    return _budget_page(request, round_)


@require_http_methods(["GET", "POST"])
@login_required
def budget_project_new(request, pk):
    round_ = get_round(pk)
    request.municipality = round_.municipality
    now = timezone.now()
    check(
        request,
        "participation.propose_budget_project",
        round_,
        municipality_id=round_.municipality_id,
        now=now,
    )
    form = BudgetProjectForm(_posted(request))
    if form.is_valid():
        try:
            services.budget_project_create(
                actor=request.user, round=round_, now=now, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Prosjektet er sendt inn. Det blir vurdert før avstemningen.")
            )
            return redirect("participation:budget_detail", pk=round_.pk)
    return _form_page(request, "participation/budget_project_form.html", {"round": round_}, form)


@require_POST
@login_required
def budget_project_check(request, pk):
    project = get_project(pk)
    round_ = project.round
    request.municipality = round_.municipality
    check(
        request,
        "participation.check_budget_project",
        round_,
        municipality_id=round_.municipality_id,
    )
    form = CheckForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Velg om prosjektet er gjennomførbart."))
        services.budget_project_check(
            actor=request.user,
            project=project,
            feasible=form.cleaned_data["feasibility"] == BudgetProject.Feasibility.FEASIBLE,
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
        )
    except ValidationError as error:
        return _budget_page(request, round_, status=400, errors=error.messages)
    messages.success(request, _("Vurderingen av «%(title)s» er lagret.") % {"title": project.title})
    return redirect("participation:budget_detail", pk=round_.pk)


@require_http_methods(["GET", "POST"])
@login_required
def budget_vote(request, pk):
    round_ = get_round(pk)
    request.municipality = round_.municipality
    now = timezone.now()
    check(request, "participation.vote", round_, municipality_id=round_.municipality_id, now=now)
    own = selectors.own_ballot_ids(round_, request.user)
    form = BallotForm(_posted(request), round=round_, initial={"projects": list(own)})
    if form.is_valid():
        try:
            services.ballot_cast(
                actor=request.user, round=round_, projects=form.cleaned_data["projects"], now=now
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Stemmen din er lagret. Du kan endre den til avstemningen stenger.")
            )
            return redirect("participation:budget_detail", pk=round_.pk)
    return _form_page(
        request,
        "participation/budget_vote.html",
        {"round": round_, "has_voted": bool(own)},
        form,
    )


@require_POST
@login_required
def budget_publish(request, pk):
    round_ = get_round(pk)
    request.municipality = round_.municipality
    now = timezone.now()
    check(
        request,
        "participation.manage_budget",
        round_,
        municipality_id=round_.municipality_id,
        now=now,
    )
    try:
        services.budget_round_publish(actor=request.user, round=round_, now=now)
    except ValidationError as error:
        return _budget_page(request, round_, status=400, errors=error.messages)
    messages.success(request, _("Resultatet er publisert."))
    return redirect("participation:budget_detail", pk=round_.pk)


@require_POST
@login_required
def budget_project_progress(request, pk):
    project = get_project(pk)
    round_ = project.round
    request.municipality = round_.municipality
    check(request, "participation.manage_budget", round_, municipality_id=round_.municipality_id)
    form = ProgressForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Skriv framdriften som et tall fra 0 til 100."))
        services.budget_project_progress(
            actor=request.user, project=project, now=timezone.now(), **form.cleaned_data
        )
    except ValidationError as error:
        return _budget_page(request, round_, status=400, errors=error.messages)
    messages.success(request, _("Framdriften er lagret."))
    return redirect("participation:budget_detail", pk=round_.pk)


# --- Quick polls ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def poll_list(request, unit_pk):
    unit = get_unit_for_polls(request, unit_pk)
    request.municipality = unit.municipality
    now = timezone.now()
    form = PollForm(_posted(request))
    if form.is_valid():
        try:
            poll = services.poll_create(
                actor=request.user,
                unit=unit,
                title=form.cleaned_data["title"],
                minutes=form.cleaned_data["minutes"],
                questions=form.questions(),
                now=now,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Målingen er åpen. Vis QR-koden til ungdommene."))
            return redirect("participation:poll_detail", pk=poll.pk)
    return _form_page(
        request,
        "participation/poll_list.html",
        {"unit": unit, "polls": [(p, p.is_open(now)) for p in unit.polls.all()]},
        form,
    )


def _poll_url(request, poll):
    return request.build_absolute_uri(reverse("participation:poll_answer", args=[poll.slug]))


@require_safe
@login_required
def poll_detail(request, pk):
    poll = get_poll_for_staff(request, pk)
    request.municipality = poll.unit.municipality
    return render(
        request,
        "participation/poll_detail.html",
        {
            "poll": poll,
            "is_open": poll.is_open(timezone.now()),
            "url": _poll_url(request, poll),
            "results": selectors.poll_results(poll, n=settings.UNGKULTUR_DISCLOSURE_MIN_N),
        },
    )


@require_POST
@login_required
def poll_close(request, pk):
    poll = get_poll_for_staff(request, pk)
    try:
        services.poll_close(actor=request.user, poll=poll, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Målingen er stengt."))
    return redirect("participation:poll_detail", pk=poll.pk)


@require_safe
def poll_qr(request, slug):
    """The poll's short link as a QR code (an SVG file, so it prints sharp at any size)."""
    poll = get_object_or_404(Poll, slug=slug)
    svg = io.BytesIO()
    segno.make(_poll_url(request, poll), error="m").save(
        svg, kind="svg", scale=8, border=2, xmldecl=False, title=_("QR-kode til målingen")
    )
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


@require_http_methods(["GET", "POST"])
@never_cache
def poll_answer(request, slug):
    """Anonymous: no account, and nothing about who answered is stored. A flag in the browser's
    session stops a second answer from the same browser (nothing more: it is a quick poll)."""
    poll = get_object_or_404(Poll.objects.select_related("unit"), slug=slug)
    now = timezone.now()
    questions = list(poll.questions.all())
    done = poll.pk in request.session.get(POLL_DONE_KEY, [])
    context = {
        "poll": poll,
        "is_open": poll.is_open(now),
        "done": done,
        "results": selectors.poll_results(poll, n=settings.UNGKULTUR_DISCLOSURE_MIN_N),
    }
    if request.method == "GET" or done or not context["is_open"]:
        status = 400 if request.method == "POST" else 200
        return render(
            request,
            "participation/poll_answer.html",
            {**context, "form": PollAnswerForm(questions=questions)},
            status=status,
        )
    form = PollAnswerForm(request.POST, questions=questions)
    if form.is_valid():
        try:
            services.poll_answer(poll=poll, answers=form.answers(), now=now)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            request.session[POLL_DONE_KEY] = [*request.session.get(POLL_DONE_KEY, []), poll.pk]
            messages.success(request, _("Takk for svaret!"))
            return redirect("participation:poll_answer", slug=poll.slug)
    return render(request, "participation/poll_answer.html", {**context, "form": form}, status=400)
