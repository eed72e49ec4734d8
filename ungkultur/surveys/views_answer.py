"""The respondent's pages: enter a code (or follow an open link), answer page by page, send.

Progress lives in the session of this browser only (``surveys.progress``), so a respondent can
go back and resume on the same device; nothing of it is tied to a person, and it is dropped
when the response is sent. The code is used up only when the response is stored.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ungkultur.surveys import services
from ungkultur.surveys.access import get_questionnaire_for_comment
from ungkultur.surveys.forms import AnswerPageForm, CodeForm, LanguageForm
from ungkultur.surveys.models import OpenLink, Questionnaire, Wave
from ungkultur.surveys.selectors import questionnaire_structure

SESSION_KEY = "surveys.progress"


def _languages(wave):
    return [lang for lang in ("nb", "nn", "en") if lang in wave.survey.questionnaire.languages]


def _language_choices(form, wave):
    offered = _languages(wave)
    field = form.fields["language"]
    field.choices = [(code, label) for code, label in field.choices if code in offered]
    current = translation.get_language()
    field.initial = current if current in offered else "nb"


def _start(request, *, wave, lang, code="", link=None):
    request.session[SESSION_KEY] = {
        "wave": wave.pk,
        # Only the code's hash is kept while answering, never the code itself.
        "code": services.code_hash(code) if code else "",
        "link": link.pk if link else None,
        "lang": lang,
        "answers": {},
    }
    return redirect("surveys:answer_page", 0)


def _progress(request):
    """The progress in this session, its open wave (None in a preview) and its questionnaire;
    or (None, None, None)."""
    progress = request.session.get(SESSION_KEY)
    if not progress:
        return None, None, None
    if progress.get("preview"):
        questionnaire = Questionnaire.objects.filter(pk=progress["preview"]).first()
        if questionnaire is None:
            request.session.pop(SESSION_KEY, None)
            return None, None, None
        return progress, None, questionnaire
    wave = Wave.objects.select_related("survey__questionnaire").filter(pk=progress["wave"]).first()
    if wave is None or not wave.takes_responses_on(timezone.localdate()):
        request.session.pop(SESSION_KEY, None)
        return None, None, None
    return progress, wave, wave.survey.questionnaire


def _title(wave, questionnaire):
    if wave is not None:
        return wave.survey.title
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
    request.session[SESSION_KEY] = {
        "preview": questionnaire.pk,
        "back": back,
        "wave": None,
        "code": "",
        "link": None,
        "lang": lang,
        "answers": {},
    }
    return redirect("surveys:answer_page", 0)


def _render(request, template, context, lang, status=200):
    with translation.override(lang):
        return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def answer_start(request):
    progress, wave, questionnaire = _progress(request)
    template = "surveys/answer_start.html"
    if request.method == "GET":
        form = CodeForm(initial={"code": request.GET.get("kode", "")[:20]})
        context = {"form": form, "progress": progress}
        if progress:
            context["progress_title"] = _title(wave, questionnaire)
        return render(request, template, context)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            code = services.code_check(form.cleaned_data["code"])
        except services.CodeRefused as error:
            form.add_error("code", error.messages)
        else:
            wave = code.batch.wave
            lang = form.cleaned_data["language"]
            if lang not in _languages(wave):
                lang = "nb"
            return _start(request, wave=wave, lang=lang, code=form.cleaned_data["code"])
    return render(request, template, {"form": form, "progress": progress}, status=400)


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
        return _start(request, wave=link.wave, lang=form.cleaned_data["language"], link=link)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "link": link, "wave": link.wave}
    return render(request, "surveys/answer_link.html", context, status=status)


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


@require_http_methods(["GET", "POST"])
def answer_page(request, index):
    progress, wave, questionnaire = _progress(request)
    if progress is None:
        return redirect("surveys:answer_start")
    structure = questionnaire_structure(questionnaire)
    answers, lang = progress["answers"], progress["lang"]
    pages = _visible_pages(structure, answers)
    if index not in pages:
        return redirect("surveys:answer_page", pages[0] if pages else 0)
    section = structure.sections[index]
    earlier = _earlier_answers(structure, index, answers)
    page_variables = {v for q in section.questions for v in q.variables}
    on_page = {k: v for k, v in answers.items() if k in page_variables}
    # A condition may depend on an answer on this same page: what is shown follows the answers
    # given so far, and a question an answer has just made relevant is shown on a second look.
    questions = services.visible_questions(section, {**earlier, **on_page})
    position = pages.index(index)
    form = AnswerPageForm(
        request.POST or None, questions=questions, lang=lang, initial=_initial(answers)
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
            progress["answers"] = {**kept, **clean}
            request.session.modified = True
            added = [
                q
                for q in services.visible_questions(section, {**earlier, **clean})
                if q.name not in shown
            ]
            if added:
                return redirect(reverse("surveys:answer_page", args=[index]) + "?mer=1")
            pages = _visible_pages(structure, progress["answers"])
            later = [p for p in pages if p > index]
            if later:
                return redirect("surveys:answer_page", later[0])
            return redirect("surveys:answer_send")
    previous = pages[position - 1] if position else None
    context = {
        "title": _title(wave, questionnaire),
        "preview": wave is None,
        "section_title": section.label(lang),
        "page_index": index,
        "more_questions": request.GET.get("mer") == "1" and request.method == "GET",
        "form": form,
        "lang": lang,
        "page_number": position + 1,
        "page_count": len(pages),
        "previous_url": reverse("surveys:answer_page", args=[previous])
        if previous is not None
        else reverse("surveys:answer_start"),
    }
    return _render(request, "surveys/answer_page.html", context, lang, status=status)


@require_http_methods(["GET", "POST"])
def answer_send(request):
    progress, wave, questionnaire = _progress(request)
    if progress is None:
        return redirect("surveys:answer_start")
    structure = questionnaire_structure(questionnaire)
    lang = progress["lang"]
    pages = _visible_pages(structure, progress["answers"])
    last_page = reverse("surveys:answer_page", args=[pages[-1] if pages else 0])
    context = {"preview": wave is None, "last_page": last_page, "page_count": len(pages)}
    if request.method == "GET":
        return _render(request, "surveys/answer_send.html", context, lang)
    if wave is None:  # a preview stores nothing
        request.session.pop(SESSION_KEY, None)
        return redirect(progress.get("back") or "surveys:answer_start")
    link = OpenLink.objects.filter(pk=progress["link"]).first() if progress["link"] else None
    try:
        services.response_submit(
            wave=wave,
            answers=progress["answers"],
            code_digest=progress["code"],
            open_link=link,
            today=timezone.localdate(),
            lang=lang,
        )
    except services.CodeRefused as error:
        request.session.pop(SESSION_KEY, None)
        context["refused"] = error.messages
        return _render(request, "surveys/answer_send.html", context, lang, status=400)
    except ValidationError as error:
        # An answer no longer fits (an earlier answer changed which questions apply):
        # send the respondent to the first page with a problem.
        names = set(getattr(error, "error_dict", {}))
        for index in pages:
            if names & {v for q in structure.sections[index].questions for v in q.variables}:
                return redirect("surveys:answer_page", index)
        context["refused"] = error.messages
        return _render(request, "surveys/answer_send.html", context, lang, status=400)
    request.session.pop(SESSION_KEY, None)
    request.session["surveys.thanks_lang"] = lang
    return redirect("surveys:answer_thanks")


@require_GET
def answer_thanks(request):
    lang = request.session.get("surveys.thanks_lang", translation.get_language())
    return _render(request, "surveys/answer_thanks.html", {}, lang)


@require_POST
def answer_forget(request):
    request.session.pop(SESSION_KEY, None)
    return redirect("surveys:answer_start")
