"""The respondent's pages: enter a code (or follow an open link), answer page by page, send.

Nothing here links an answer to a person (docs/privacy.md):

- The answers in progress are an ``AnswerDraft`` row with a random id and no code, account or
  session. The draft's id and the code's hash are held by this browser alone, in a signed
  cookie (never in the session, which names a logged-in account), so no table joins them. The
  draft is deleted when the response is sent, and a day after it began (``purge_survey_drafts``).
- No address carries a code or depends on an answer: a QR code puts the code in the fragment
  (``#kode=…``, never sent to the server; ``answer_start.js`` copies it into the form that
  posts it), and every page of a questionnaire is ``/svar/side/``, whichever pages and
  questions the answers show. Only the number of requests varies.
- Error reports leave out the posted code and answers.

The code is used up only when the response is stored.
"""

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ungkultur.surveys import services
from ungkultur.surveys.access import get_questionnaire_for_comment
from ungkultur.surveys.forms import AnswerPageForm, CodeForm, LanguageForm
from ungkultur.surveys.models import AnswerDraft, OpenLink
from ungkultur.surveys.selectors import questionnaire_structure

# "token" in the name: Django's error reports then leave its value out, like the session's.
COOKIE = "ungkultur_answer_token"
COOKIE_SALT = "ungkultur.surveys.answering"
COOKIE_AGE = services.DRAFT_HOURS * 60 * 60


def _held(request) -> dict:
    """What this browser holds: ``draft`` (its id) and ``code`` (hash), ``link`` or ``back``;
    or ``thanks`` (the language) after sending."""
    try:
        return signing.loads(request.COOKIES[COOKIE], salt=COOKIE_SALT, max_age=COOKIE_AGE)
    except (KeyError, signing.BadSignature):
        return {}


def _hold(response, held):
    response.set_cookie(
        COOKIE,
        signing.dumps(held, salt=COOKIE_SALT),
        max_age=COOKIE_AGE,
        path=reverse("surveys:answer_start"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _drop(response):
    response.delete_cookie(COOKIE, path=reverse("surveys:answer_start"), samesite="Lax")
    return response


def _to_start():
    return _drop(redirect("surveys:answer_start"))


def _languages(wave):
    return [lang for lang in ("nb", "nn", "en") if lang in wave.survey.questionnaire.languages]


def _language_choices(form, wave):
    offered = _languages(wave)
    field = form.fields["language"]
    field.choices = [(code, label) for code, label in field.choices if code in offered]
    current = translation.get_language()
    field.initial = current if current in offered else "nb"


def _start(request, *, questionnaire, wave=None, lang, **held):
    """A new draft, replacing any this browser had; ``held`` says what lets it be sent."""
    services.answer_draft_discard(draft_id=_held(request).get("draft", ""))
    draft = services.answer_draft_start(
        questionnaire=questionnaire, wave=wave, lang=lang, now=timezone.now()
    )
    return _hold(redirect("surveys:answer_page"), {"draft": draft.pk, **held})


def _progress(request):
    """What this browser holds, its draft, the draft's open wave (None in a preview) and its
    questionnaire; the last three None when there is nothing to go on with."""
    held = _held(request)
    draft = (
        AnswerDraft.objects.select_related("questionnaire", "wave__survey")
        .filter(pk=held.get("draft", ""))
        .first()
    )
    if draft is None:
        return held, None, None, None
    if draft.wave is not None and not draft.wave.takes_responses_on(timezone.localdate()):
        return held, None, None, None
    return held, draft, draft.wave, draft.questionnaire


def _title(wave, questionnaire, lang):
    if wave is not None:
        return wave.survey.title_in(lang)
    return _("%(title)s (forhåndsvisning)") % {"title": questionnaire.title}


@require_POST
@login_required
def answer_preview(request, pk):
    """Try a questionnaire as a respondent would, without a code; nothing is stored.

    For its builders and for the resource group a draft is shared with (youth co-design).
    """
    questionnaire = get_questionnaire_for_comment(request, pk)
    form = LanguageForm(request.POST)
    lang = form.data.get("language") if form.data.get("language") in ("nb", "nn", "en") else "nb"
    if lang not in questionnaire.languages:
        lang = "nb"
    back = request.POST.get("back", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("surveys:comments", args=[pk])
    return _start(request, questionnaire=questionnaire, lang=lang, back=back)


def _render(request, template, context, lang, status=200):
    with translation.override(lang):
        return render(request, template, context, status=status)


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def answer_start(request):
    if "kode" in request.GET:
        # An address printed before codes moved to the fragment: this request is logged with
        # the code already, but no later one (nor a Referer) repeats it.
        return redirect(
            reverse("surveys:answer_start") + "#kode=" + quote(request.GET["kode"][:20])
        )
    held, draft, wave, questionnaire = _progress(request)
    template = "surveys/answer_start.html"
    if request.method == "GET":
        context = {"form": CodeForm(), "progress": draft}
        if draft:
            context["progress_title"] = _title(wave, questionnaire, draft.lang)
        return render(request, template, context)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            code = services.code_check(form.cleaned_data["code"])
        except services.CodeRefused as error:
            form.add_error("code", error.messages)
        else:
            digest = services.code_hash(form.cleaned_data["code"])
            if (
                draft is not None
                and held.get("code") == digest
                and draft.wave_id == code.batch.wave_id
            ):
                # The same code again (a QR code scanned anew): on where the answers stopped,
                # in the language now chosen.
                lang = form.cleaned_data["language"]
                if lang in _languages(code.batch.wave) and lang != draft.lang:
                    draft.lang = lang
                    draft.save(update_fields=["lang"])
                return redirect("surveys:answer_page")
            wave = code.batch.wave
            lang = form.cleaned_data["language"]
            if lang not in _languages(wave):
                lang = "nb"
            return _start(
                request,
                questionnaire=wave.survey.questionnaire,
                wave=wave,
                lang=lang,
                # Only the code's hash is kept while answering, never the code itself.
                code=digest,
            )
    return render(request, template, {"form": form, "progress": draft}, status=400)


@require_http_methods(["GET", "POST"])
def answer_link(request, token):
    link = get_object_or_404(
        OpenLink.objects.select_related("wave__survey__questionnaire", "municipality"),
        token=token,
        active=True,
    )
    if not link.wave.takes_responses_on(timezone.localdate()):
        raise Http404
    form = LanguageForm(request.POST or None)
    _language_choices(form, link.wave)
    if request.method == "POST" and form.is_valid():
        return _start(
            request,
            questionnaire=link.wave.survey.questionnaire,
            wave=link.wave,
            lang=form.cleaned_data["language"],
            link=link.pk,
        )
    status = 400 if request.method == "POST" else 200
    language = translation.get_language()
    title = link.wave.survey.title_in(language if language in _languages(link.wave) else "nb")
    context = {"form": form, "link": link, "wave": link.wave, "title": title}
    return render(request, "surveys/answer_link.html", context, status=status)


def _asked(section, answers):
    """The questions the page shows: those the answers make relevant, each with the choices
    its choice_filter lets through (filtered here, on the server: no script needed). A
    calculation is computed, never shown."""
    return [q for q in services.visible_questions(section, answers) if q.type != "calculate"]


def _visible_pages(structure, answers):
    return [
        index
        for index, section in enumerate(structure.sections)
        if services.section_visible(section, answers)
    ]


def _earlier_answers(structure, index, answers):
    earlier = set()
    for section in structure.sections[:index]:
        for question in section.questions:
            earlier |= set(question.variables)
    return {k: v for k, v in answers.items() if k in earlier}


def _initial(answers):
    return {k: (v if isinstance(v, list) else str(v)) for k, v in answers.items()}


def _current(pages, draft):
    """The page the respondent is on: the draft's page, or the next one the answers show;
    None past the last (the send page)."""
    return next((p for p in pages if p >= draft.page), None)


@sensitive_variables()
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def answer_page(request):
    _held_now, draft, wave, questionnaire = _progress(request)
    if draft is None:
        return _to_start()
    structure = questionnaire_structure(questionnaire)
    answers, lang = draft.answers, draft.lang
    pages = _visible_pages(structure, answers)
    index = _current(pages, draft)
    if index is None:
        return redirect("surveys:answer_send")
    section = structure.sections[index]
    earlier = _earlier_answers(structure, index, answers)
    page_variables = {v for q in section.questions for v in q.variables}
    on_page = {k: v for k, v in answers.items() if k in page_variables}
    # A condition may depend on an answer on this same page: what is shown follows the answers
    # given so far, and a question an answer has just made relevant is shown on a second look.
    questions = _asked(section, {**earlier, **on_page})
    position = pages.index(index)
    form = AnswerPageForm(
        request.POST or None,
        questions=questions,
        lang=lang,
        initial=_initial(answers),
        pipe=lambda text: structure.piped(text, answers, lang),
    )
    status = 200
    if request.method == "POST":
        shown = {q.name for q in questions}
        try:
            clean = services.page_clean(
                structure, index, earlier=earlier, raw=form.raw(), shown=shown, lang=lang
            )
        except ValidationError as error:
            for name, messages_ in error.message_dict.items():
                form.add_error(name if name in form.fields else None, messages_)
            status = 400
        else:
            kept = {k: v for k, v in answers.items() if k not in page_variables}
            answers = {**kept, **clean}
            added = [q for q in _asked(section, {**earlier, **clean}) if q.name not in shown]
            # The same address whether the page is shown again or the next one follows.
            if added:
                services.answer_draft_update(draft=draft, page=index, answers=answers, more=True)
                return redirect("surveys:answer_page")
            later = [p for p in _visible_pages(structure, answers) if p > index]
            page = later[0] if later else len(structure.sections)
            services.answer_draft_update(draft=draft, page=page, answers=answers)
            return redirect("surveys:answer_page" if later else "surveys:answer_send")
    context = {
        "title": _title(wave, questionnaire, lang),
        "preview": wave is None,
        "section_title": section.label(lang),
        "more_questions": draft.more and request.method == "GET",
        "form": form,
        "lang": lang,
        "page_number": position + 1,
        "page_count": len(pages),
        "answer_languages": [
            (code, name)
            for code, name in (("nb", "Bokmål"), ("nn", "Nynorsk"), ("en", "English"))
            if code in questionnaire.languages and code != lang
        ],
    }
    return _render(request, "surveys/answer_page.html", context, lang, status=status)


@sensitive_variables()
@sensitive_post_parameters()
@require_POST
def answer_back(request):
    """One page back (from the send page: to the last page); before the first, the start.
    What was entered on the page is kept (as far as it fits), so nothing is lost going back."""
    _held_now, draft, _wave, questionnaire = _progress(request)
    if draft is None:
        return _to_start()
    structure = questionnaire_structure(questionnaire)
    pages = _visible_pages(structure, draft.answers)
    current = _current(pages, draft)
    answers = draft.answers
    if current is not None:
        section = structure.sections[current]
        earlier = _earlier_answers(structure, current, answers)
        page_variables = {v for q in section.questions for v in q.variables}
        on_page = {k: v for k, v in answers.items() if k in page_variables}
        questions = _asked(section, {**earlier, **on_page})
        form = AnswerPageForm(request.POST, questions=questions, lang=draft.lang)
        kept = services.page_keep(
            structure, current, earlier=earlier, raw=form.raw(), shown={q.name for q in questions}
        )
        answers = {**{k: v for k, v in answers.items() if k not in page_variables}, **kept}
        pages = _visible_pages(structure, answers)
    earlier_pages = [p for p in pages if current is None or p < current]
    if not earlier_pages:
        services.answer_draft_update(draft=draft, page=draft.page, answers=answers)
        return redirect("surveys:answer_start")
    services.answer_draft_update(draft=draft, page=earlier_pages[-1], answers=answers)
    return redirect("surveys:answer_page")


@require_POST
def answer_language(request):
    """The language menu on the answer pages: the same page in another language offered."""
    _held_now, draft, wave, questionnaire = _progress(request)
    if draft is None:
        return _to_start()
    lang = request.POST.get("language", "")
    offered = [code for code in ("nb", "nn", "en") if code in questionnaire.languages]
    if lang in offered and lang != draft.lang:
        draft.lang = lang
        draft.save(update_fields=["lang"])
    return redirect("surveys:answer_page")


@require_POST
def answer_goto(request):
    """From the review before sending: back to one of the pages shown, to change an answer."""
    _held_now, draft, _wave, questionnaire = _progress(request)
    if draft is None:
        return _to_start()
    structure = questionnaire_structure(questionnaire)
    pages = _visible_pages(structure, draft.answers)
    try:
        page = int(request.POST.get("page", ""))
    except ValueError:
        page = None
    if page not in pages:
        return redirect("surveys:answer_send")
    services.answer_draft_update(draft=draft, page=page)
    return redirect("surveys:answer_page")


def _review(structure, pages, answers, lang):
    """Each page shown, with its questions and the answers given, for the review."""
    review = []
    for index in pages:
        section = structure.sections[index]
        rows = []
        for question in _asked(section, answers):
            if question.type == "likert_grid":
                names = {v: ls.get(lang) or ls["nb"] for v, ls in question.choices}
                for name, labels in question.items:
                    value = answers.get(name)
                    shown = names.get(value, "") if value is not None else ""
                    rows.append(
                        (f"{question.label(lang)} – {labels.get(lang) or labels['nb']}", shown)
                    )
                continue
            if not question.variables:
                continue
            value = answers.get(question.name)
            shown = ""
            if value not in (None, "", []):
                shown = structure.piped("${" + question.name + "}", answers, lang)
            rows.append((structure.piped(question.label(lang), answers, lang), shown))
        review.append((index, section.label(lang), rows))
    return review


@sensitive_variables()
@require_http_methods(["GET", "POST"])
def answer_send(request):
    held, draft, wave, questionnaire = _progress(request)
    if draft is None:
        return _to_start()
    structure = questionnaire_structure(questionnaire)
    lang = draft.lang
    pages = _visible_pages(structure, draft.answers)
    context = {
        "preview": wave is None,
        "page_count": len(pages),
        "review": _review(structure, pages, draft.answers, lang),
    }
    if request.method == "GET":
        return _render(request, "surveys/answer_send.html", context, lang)
    if wave is None:  # a preview stores nothing
        services.answer_draft_discard(draft_id=draft.pk)
        return _drop(redirect(held.get("back") or "surveys:answer_start"))
    link = OpenLink.objects.filter(pk=held["link"]).first() if held.get("link") else None
    try:
        services.response_submit(
            wave=wave,
            answers=draft.answers,
            code_digest=held.get("code", ""),
            open_link=link,
            today=timezone.localdate(),
            lang=lang,
            draft=draft,
        )
    except services.CodeRefused as error:
        services.answer_draft_discard(draft_id=draft.pk)
        context["refused"] = error.messages
        return _drop(_render(request, "surveys/answer_send.html", context, lang, status=400))
    except ValidationError as error:
        # An answer no longer fits (an earlier answer changed which questions apply):
        # send the respondent to the first page with a problem.
        names = set(getattr(error, "error_dict", {}))
        for index in pages:
            if names & {v for q in structure.sections[index].questions for v in q.variables}:
                services.answer_draft_update(draft=draft, page=index)
                return redirect("surveys:answer_page")
        context["refused"] = error.messages
        return _render(request, "surveys/answer_send.html", context, lang, status=400)
    return _hold(redirect("surveys:answer_thanks"), {"thanks": lang})


@require_GET
def answer_thanks(request):
    lang = _held(request).get("thanks") or translation.get_language()
    return _drop(_render(request, "surveys/answer_thanks.html", {}, lang))


@require_POST
def answer_forget(request):
    services.answer_draft_discard(draft_id=_held(request).get("draft", ""))
    return _to_start()
