"""Pages for building questionnaires, running waves and handing out codes (staff side).

The respondent's pages are in ``views_answer.py``."""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ungkultur.core.forms import add_service_errors
from ungkultur.organisations.models import Group
from ungkultur.organisations.selectors import roles_for
from ungkultur.surveys import bank, selectors, services, xlsform
from ungkultur.surveys.access import (
    get_batch_for_staff,
    get_comment_for_answer,
    get_question_for_builder,
    get_questionnaire_for_builder,
    get_questionnaire_for_comment,
    get_questionnaire_for_comment_answers,
    get_wave_for_staff,
    municipalities_for_codes,
    require_builder,
)
from ungkultur.surveys.forms import (
    BankForm,
    ChoiceForm,
    ChoiceListForm,
    ChoicesManyForm,
    CodeBatchForm,
    CommentForm,
    CommentReplyForm,
    ConditionForm,
    GridItemForm,
    InformationLetterForm,
    MoveForm,
    OpenLinkForm,
    QuestionForm,
    QuestionnaireForm,
    SectionForm,
    ShareForm,
    SurveyForm,
    WaveForm,
    XLSFormUploadForm,
)
from ungkultur.surveys.models import (
    AccessCodeBatch,
    Choice,
    ChoiceList,
    GridItem,
    InformationLetter,
    OpenLink,
    Question,
    QuestionComment,
    Questionnaire,
    Section,
    Survey,
)

FORM_PAGE = "surveys/form_page.html"
BATCHES_PER_PAGE = 50
PRINT_SESSION_KEY = "surveys.print_codes"


def _refused(request, error, *, back, status=400):
    """A change the service refused (a frozen questionnaire, a closed wave): say why."""
    return render(
        request, "surveys/refused.html", {"messages_": error.messages, "back": back}, status=status
    )


def _form_page(request, form, *, title, back, status=200, intro=""):
    context = {"form": form, "title": title, "back": back, "intro": intro}
    return render(request, FORM_PAGE, context, status=status)


def _builder_url(questionnaire_id, anchor=""):
    url = reverse("surveys:questionnaire_detail", args=[questionnaire_id])
    return f"{url}#{anchor}" if anchor else url


# --- Overview -----------------------------------------------------------------------------------


@require_GET
@login_required
def index(request):
    user = request.user
    is_builder = user.has_perm("surveys.build")
    if not (is_builder or user.has_perm("surveys.view_waves")):
        shared = list(selectors.questionnaires_shared_with(user).filter(status="draft"))
        if not shared:
            raise PermissionDenied
        return render(request, "surveys/index.html", {"shared": shared})
    context = {
        "is_builder": is_builder,
        "surveys": selectors.surveys_with_waves(),
        "shared": selectors.questionnaires_shared_with(user).filter(status="draft"),
    }
    if is_builder:
        context["questionnaires"] = selectors.questionnaires_for_builder()
    return render(request, "surveys/index.html", context)


# --- Questionnaires -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def questionnaire_create(request):
    require_builder(request)
    back = reverse("surveys:index")
    title = _("Nytt spørreskjema")
    if request.method == "GET":
        return _form_page(request, QuestionnaireForm(), title=title, back=back)
    form = QuestionnaireForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, title=title, back=back, status=400)
    questionnaire = services.questionnaire_create(
        actor=request.user,
        title=form.cleaned_data["title"],
        languages=form.cleaned_data["languages"],
        now=timezone.now(),
    )
    return redirect(_builder_url(questionnaire.pk))


@require_GET
@login_required
def questionnaire_detail(request, pk):
    get_questionnaire_for_builder(request, pk)
    questionnaire = selectors.questionnaire_for_builder_page(pk)
    groups = Group.objects.filter(kind=Group.Kind.YOUTH_RESOURCE_GROUP).select_related(
        "municipality"
    )
    comments = QuestionComment.objects.filter(question__questionnaire=questionnaire).select_related(
        "author", "group__municipality"
    )
    by_question = {}
    for comment in comments:
        by_question.setdefault(comment.question_id, []).append(comment)
    for section in questionnaire.sections.all():
        for question in section.questions.all():
            question.comment_list = by_question.get(question.pk, [])
    context = {
        "questionnaire": questionnaire,
        "comment_count": len(comments),
        "open_comment_count": sum(1 for c in comments if not c.is_resolved),
        "can_answer_comments": request.user.has_perm("surveys.answer_comments", questionnaire),
        "share_form": ShareForm(groups=groups),
        "list_form": ChoiceListForm(),
        "surveys": questionnaire.surveys.all(),
    }
    return render(request, "surveys/questionnaire_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def questionnaire_edit(request, pk):
    questionnaire = get_questionnaire_for_builder(request, pk)
    back = _builder_url(pk)
    title = _("Endre spørreskjema")
    if questionnaire.is_frozen:
        return _refused(request, services.Frozen(_("Spørreskjemaet er låst.")), back=back)
    if request.method == "GET":
        return _form_page(
            request, QuestionnaireForm(instance=questionnaire), title=title, back=back
        )
    form = QuestionnaireForm(request.POST, instance=Questionnaire.objects.get(pk=pk))
    if not form.is_valid():
        return _form_page(request, form, title=title, back=back, status=400)
    try:
        services.questionnaire_update(
            actor=request.user,
            questionnaire=questionnaire,
            title=form.cleaned_data["title"],
            languages=form.cleaned_data["languages"],
            now=timezone.now(),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _form_page(request, form, title=title, back=back, status=400)
    return redirect(back)


@require_POST
@login_required
def questionnaire_copy(request, pk):
    """A new draft with the same pages, questions, lists, conditions and translations."""
    questionnaire = get_questionnaire_for_builder(request, pk)
    copy = xlsform.import_xlsform(
        actor=request.user,
        data=xlsform.export_xlsform(questionnaire),
        title=_("Kopi av %(title)s") % {"title": questionnaire.title},
        now=timezone.now(),
    )
    messages.success(request, _("Kopien er et nytt utkast du kan endre."))
    return redirect(_builder_url(copy.pk))


@require_GET
@login_required
def xlsform_export(request, pk):
    questionnaire = get_questionnaire_for_builder(request, pk)
    response = HttpResponse(
        xlsform.export_xlsform(questionnaire),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = questionnaire.form_id or f"sporreskjema-{questionnaire.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def xlsform_import(request):
    require_builder(request)
    template = "surveys/xlsform_import.html"
    if request.method == "GET":
        return render(request, template, {"form": XLSFormUploadForm()})
    form = XLSFormUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    try:
        questionnaire = xlsform.import_xlsform(
            actor=request.user,
            data=form.cleaned_data["file"].read(),
            title=form.cleaned_data["title"],
            now=timezone.now(),
        )
    except xlsform.XLSFormError as error:
        form.add_error("file", _("Filen har feil, så ingenting ble importert. Se listen under."))
        return render(request, template, {"form": form, "errors": error.errors}, status=400)
    messages.success(request, _("Spørreskjemaet er importert som et utkast."))
    for notice in getattr(questionnaire, "import_notices", ()):
        messages.warning(request, _("Ikke importert: %(notice)s") % {"notice": notice})
    return redirect(_builder_url(questionnaire.pk))


# --- Sections -----------------------------------------------------------------------------------


def _section_for_builder(request, pk):
    section = get_object_or_404(Section.objects.select_related("questionnaire"), pk=pk)
    require_builder(request)
    return section


@require_http_methods(["GET", "POST"])
@login_required
def section_create(request, pk):
    questionnaire = get_questionnaire_for_builder(request, pk)
    return _section_form(request, Section(questionnaire=questionnaire), _("Ny del"))


@require_http_methods(["GET", "POST"])
@login_required
def section_edit(request, pk):
    return _section_form(request, _section_for_builder(request, pk), _("Endre del"))


def _section_form(request, section, title):
    back = _builder_url(section.questionnaire_id)
    if section.questionnaire.is_frozen:
        return _refused(request, services.Frozen(_("Spørreskjemaet er låst.")), back=back)
    if request.method == "GET":
        return _form_page(request, SectionForm(instance=section), title=title, back=back)
    form = SectionForm(request.POST, instance=section)
    if not form.is_valid():
        return _form_page(request, form, title=title, back=back, status=400)
    try:
        services.section_save(actor=request.user, section=form.instance, now=timezone.now())
    except ValidationError as error:
        add_service_errors(form, error)
        return _form_page(request, form, title=title, back=back, status=400)
    return redirect(_builder_url(section.questionnaire_id, f"section-{section.pk}"))


@require_POST
@login_required
def section_move(request, pk):
    section = _section_for_builder(request, pk)
    form = MoveForm(request.POST)
    back = _builder_url(section.questionnaire_id)
    if not form.is_valid():
        return _refused(request, ValidationError(_("Ukjent retning.")), back=back)
    try:
        services.section_move(
            actor=request.user,
            section=section,
            direction=form.cleaned_data["direction"],
            now=timezone.now(),
        )
    except ValidationError as error:
        return _refused(request, error, back=back)
    return redirect(_builder_url(section.questionnaire_id, f"section-{section.pk}"))


@require_POST
@login_required
def section_delete(request, pk):
    section = _section_for_builder(request, pk)
    back = _builder_url(section.questionnaire_id)
    try:
        services.section_delete(actor=request.user, section=section, now=timezone.now())
    except ValidationError as error:
        return _refused(request, error, back=back)
    return redirect(back)


# --- Questions ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def question_create(request, pk):
    section = _section_for_builder(request, pk)
    question = Question(section=section, questionnaire=section.questionnaire)
    back = _builder_url(section.questionnaire_id, f"section-{section.pk}")
    title = _("Nytt spørsmål i «%(section)s»") % {"section": section.label_nb}
    if section.questionnaire.is_frozen:
        return _refused(request, services.Frozen(_("Spørreskjemaet er låst.")), back=back)
    if request.method == "GET":
        form = QuestionForm(instance=question, questionnaire=section.questionnaire)
        return _form_page(request, form, title=title, back=back)
    form = QuestionForm(request.POST, instance=question, questionnaire=section.questionnaire)
    if not form.is_valid():
        return _form_page(request, form, title=title, back=back, status=400)
    try:
        question = services.question_save(
            actor=request.user, question=form.instance, now=timezone.now()
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _form_page(request, form, title=title, back=back, status=400)
    _warn_conditions(request, section.questionnaire, question.relevant)
    if question.type == Question.Type.LIKERT_GRID:
        return redirect("surveys:question_edit", question.pk)
    return redirect(_builder_url(section.questionnaire_id, f"question-{question.pk}"))


def _question_page(request, question, form, item_form, status=200, condition_form=None):
    context = {
        "question": question,
        "form": form,
        "item_form": item_form,
        "condition_form": condition_form or ConditionForm(question=question),
        "items": question.items.all(),
        "back": _builder_url(question.questionnaire_id, f"question-{question.pk}"),
    }
    return render(request, "surveys/question_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def question_edit(request, pk):
    question = get_question_for_builder(request, pk)
    questionnaire = question.questionnaire
    if questionnaire.is_frozen:
        return _refused(
            request,
            services.Frozen(_("Spørreskjemaet er låst.")),
            back=_builder_url(questionnaire.pk),
        )
    if request.method == "GET":
        form = QuestionForm(instance=question, questionnaire=questionnaire)
        return _question_page(request, question, form, GridItemForm())
    form = QuestionForm(
        request.POST, instance=Question.objects.get(pk=pk), questionnaire=questionnaire
    )
    if not form.is_valid():
        return _question_page(request, question, form, GridItemForm(), status=400)
    try:
        services.question_save(actor=request.user, question=form.instance, now=timezone.now())
    except ValidationError as error:
        add_service_errors(form, error)
        return _question_page(request, question, form, GridItemForm(), status=400)
    _warn_conditions(request, questionnaire, form.instance.relevant)
    return redirect(_builder_url(questionnaire.pk, f"question-{question.pk}"))


def _warn_conditions(request, questionnaire, text):
    for warning in services.condition_warnings(questionnaire, text):
        messages.warning(request, warning)


@require_POST
@login_required
def question_condition_add(request, pk):
    """The condition picker: writes the expression into the question's condition."""
    question = get_question_for_builder(request, pk)
    questionnaire = question.questionnaire
    if questionnaire.is_frozen:
        return _refused(
            request,
            services.Frozen(_("Spørreskjemaet er låst.")),
            back=_builder_url(questionnaire.pk),
        )
    form = ConditionForm(request.POST, question=question)
    page_form = QuestionForm(instance=question, questionnaire=questionnaire)
    if not form.is_valid():
        return _question_page(
            request, question, page_form, GridItemForm(), status=400, condition_form=form
        )
    try:
        services.question_condition_add(
            actor=request.user,
            question=Question.objects.get(pk=pk),
            now=timezone.now(),
            **form.cleaned_data,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _question_page(
            request, question, page_form, GridItemForm(), status=400, condition_form=form
        )
    question.refresh_from_db()
    _warn_conditions(request, questionnaire, question.relevant)
    messages.success(request, _("Vilkåret er lagt til."))
    return redirect("surveys:question_edit", question.pk)


@require_POST
@login_required
def question_move(request, pk):
    question = get_question_for_builder(request, pk)
    form = MoveForm(request.POST)
    back = _builder_url(question.questionnaire_id)
    if not form.is_valid():
        return _refused(request, ValidationError(_("Ukjent retning.")), back=back)
    try:
        services.question_move(
            actor=request.user,
            question=question,
            direction=form.cleaned_data["direction"],
            now=timezone.now(),
        )
    except ValidationError as error:
        return _refused(request, error, back=back)
    return redirect(_builder_url(question.questionnaire_id, f"question-{question.pk}"))


@require_POST
@login_required
def question_delete(request, pk):
    question = get_question_for_builder(request, pk)
    back = _builder_url(question.questionnaire_id)
    try:
        services.question_delete(actor=request.user, question=question, now=timezone.now())
    except ValidationError as error:
        return _refused(request, error, back=back)
    return redirect(back)


@require_POST
@login_required
def grid_item_create(request, pk):
    question = get_question_for_builder(request, pk)
    form = GridItemForm(request.POST, instance=GridItem(question=question))
    if not form.is_valid():
        item_form = form
    else:
        try:
            services.grid_item_save(actor=request.user, item=form.instance, now=timezone.now())
        except services.Frozen as error:
            return _refused(request, error, back=_builder_url(question.questionnaire_id))
        except ValidationError as error:
            add_service_errors(form, error)
            item_form = form
        else:
            return redirect("surveys:question_edit", question.pk)
    edit_form = QuestionForm(instance=question, questionnaire=question.questionnaire)
    return _question_page(request, question, edit_form, item_form, status=400)


@require_POST
@login_required
def grid_item_delete(request, pk):
    item = get_object_or_404(GridItem.objects.select_related("question__questionnaire"), pk=pk)
    require_builder(request)
    try:
        services.grid_item_delete(actor=request.user, item=item, now=timezone.now())
    except ValidationError as error:
        return _refused(request, error, back=_builder_url(item.question.questionnaire_id))
    return redirect("surveys:question_edit", item.question_id)


@require_http_methods(["GET", "POST"])
@login_required
def bank_add(request, pk):
    questionnaire = get_questionnaire_for_builder(request, pk)
    back = _builder_url(pk)
    if questionnaire.is_frozen:
        return _refused(request, services.Frozen(_("Spørreskjemaet er låst.")), back=back)
    template = "surveys/bank.html"
    context = {"questionnaire": questionnaire, "items": bank.ITEMS, "back": back}
    if request.method == "GET":
        context["form"] = BankForm(questionnaire=questionnaire)
        return render(request, template, context)
    form = context["form"] = BankForm(request.POST, questionnaire=questionnaire)
    if not form.is_valid():
        return render(request, template, context, status=400)
    section = questionnaire.sections.get(pk=form.cleaned_data["section"])
    question = services.question_add_from_bank(
        actor=request.user, section=section, key=form.cleaned_data["key"], now=timezone.now()
    )
    messages.success(request, _("Spørsmålet er lagt til."))
    return redirect(_builder_url(pk, f"question-{question.pk}"))


# --- Choice lists -------------------------------------------------------------------------------


@require_POST
@login_required
def choice_list_create(request, pk):
    questionnaire = get_questionnaire_for_builder(request, pk)
    back = _builder_url(pk, "choice-lists")
    form = ChoiceListForm(request.POST)
    if not form.is_valid():
        return _refused(request, ValidationError(_("Skriv et gyldig listenavn.")), back=back)
    try:
        choice_list = services.choice_list_create(
            actor=request.user,
            questionnaire=questionnaire,
            name=form.cleaned_data["name"],
            now=timezone.now(),
        )
    except ValidationError as error:
        return _refused(request, error, back=back)
    return redirect("surveys:choice_list_detail", choice_list.pk)


@require_http_methods(["GET", "POST"])
@login_required
def choice_list_detail(request, pk):
    choice_list = get_object_or_404(ChoiceList.objects.select_related("questionnaire"), pk=pk)
    require_builder(request)
    template = "surveys/choice_list.html"
    context = {
        "choice_list": choice_list,
        "choices": choice_list.choices.all(),
        "back": _builder_url(choice_list.questionnaire_id, "choice-lists"),
    }
    context["many_form"] = ChoicesManyForm()
    if request.method == "GET":
        context["form"] = ChoiceForm()
        return render(request, template, context)
    if "lines" in request.POST:
        context["form"] = ChoiceForm()
        many = context["many_form"] = ChoicesManyForm(request.POST)
        if not many.is_valid():
            return render(request, template, context, status=400)
        try:
            services.choices_add_many(
                actor=request.user,
                choice_list=choice_list,
                text=many.cleaned_data["lines"],
                now=timezone.now(),
            )
        except services.Frozen as error:
            return _refused(request, error, back=context["back"])
        except ValidationError as error:
            add_service_errors(many, error)
            return render(request, template, context, status=400)
        return redirect("surveys:choice_list_detail", choice_list.pk)
    form = context["form"] = ChoiceForm(request.POST, instance=Choice(choice_list=choice_list))
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        services.choice_save(actor=request.user, choice=form.instance, now=timezone.now())
    except services.Frozen as error:
        return _refused(request, error, back=context["back"])
    except ValidationError as error:
        add_service_errors(form, error)
        return render(request, template, context, status=400)
    return redirect("surveys:choice_list_detail", choice_list.pk)


def _choice_for_builder(request, pk):
    choice = get_object_or_404(Choice.objects.select_related("choice_list__questionnaire"), pk=pk)
    require_builder(request)
    return choice


@require_http_methods(["GET", "POST"])
@login_required
def choice_edit(request, pk):
    choice = _choice_for_builder(request, pk)
    back = reverse("surveys:choice_list_detail", args=[choice.choice_list_id])
    title = _("Endre svaralternativet")
    if choice.choice_list.questionnaire.is_frozen:
        return _refused(request, services.Frozen(_("Spørreskjemaet er låst.")), back=back)
    if request.method == "GET":
        return _form_page(request, ChoiceForm(instance=choice), title=title, back=back)
    form = ChoiceForm(request.POST, instance=choice)
    if not form.is_valid():
        return _form_page(request, form, title=title, back=back, status=400)
    services.choice_save(actor=request.user, choice=form.instance, now=timezone.now())
    return redirect(back)


@require_POST
@login_required
def choice_move(request, pk):
    choice = _choice_for_builder(request, pk)
    back = reverse("surveys:choice_list_detail", args=[choice.choice_list_id])
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _refused(request, ValidationError(_("Ukjent retning.")), back=back)
    try:
        services.choice_move(
            actor=request.user,
            choice=choice,
            direction=form.cleaned_data["direction"],
            now=timezone.now(),
        )
    except ValidationError as error:
        return _refused(request, error, back=back)
    return redirect(back)


@require_POST
@login_required
def choice_delete(request, pk):
    choice = get_object_or_404(Choice.objects.select_related("choice_list__questionnaire"), pk=pk)
    require_builder(request)
    try:
        services.choice_delete(actor=request.user, choice=choice, now=timezone.now())
    except ValidationError as error:
        return _refused(request, error, back=_builder_url(choice.choice_list.questionnaire_id))
    return redirect("surveys:choice_list_detail", choice.choice_list_id)


# --- Youth co-design ----------------------------------------------------------------------------


@require_POST
@login_required
def questionnaire_share(request, pk):
    questionnaire = get_questionnaire_for_builder(request, pk)
    groups = Group.objects.filter(kind=Group.Kind.YOUTH_RESOURCE_GROUP)
    form = ShareForm(request.POST, groups=groups)
    back = _builder_url(pk, "co-design")
    if not form.is_valid():
        return _refused(request, ValidationError(_("Velg en ressursgruppe.")), back=back)
    try:
        services.questionnaire_share(
            actor=request.user,
            questionnaire=questionnaire,
            group=groups.get(pk=form.cleaned_data["group"]),
            now=timezone.now(),
        )
    except ValidationError as error:
        return _refused(request, error, back=back)
    messages.success(request, _("Utkastet er delt med ressursgruppen."))
    return redirect(back)


def _comment_group(user, questionnaire):
    """The user's resource group that the questionnaire is shared with (None for builders)."""
    group_ids = roles_for(user).group_ids
    share = questionnaire.shares.filter(group_id__in=group_ids).select_related("group").first()
    return share.group if share else None


@require_GET
@login_required
def comments(request, pk):
    questionnaire = get_questionnaire_for_comment(request, pk)
    return _comments_page(request, questionnaire)


def _comments_page(request, questionnaire, *, form=None, question_pk=None, status=200):
    group = _comment_group(request.user, questionnaire)
    structure = selectors.questionnaire_structure(questionnaire)
    own = QuestionComment.objects.filter(question__questionnaire=questionnaire)
    if group is not None:
        own = own.filter(group=group)
    by_question = {}
    for comment in own.select_related("author"):
        by_question.setdefault(comment.question_id, []).append(comment)
    context = {
        "questionnaire": questionnaire,
        "structure": structure,
        "comments": by_question,
        "group": group,
        "form": form,
        "form_question": question_pk,
        "can_comment": group is not None and not questionnaire.is_frozen,
    }
    return render(request, "surveys/comments.html", context, status=status)


@require_POST
@login_required
def comment_add(request, pk):
    question = get_object_or_404(Question.objects.select_related("questionnaire"), pk=pk)
    questionnaire = get_questionnaire_for_comment(request, question.questionnaire_id)
    group = _comment_group(request.user, questionnaire)
    if group is None:
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.question_comment_add(
                actor=request.user,
                question=question,
                group=group,
                body=form.cleaned_data["body"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Takk! Kommentaren er lagret."))
            url = reverse("surveys:comments", args=[questionnaire.pk])
            return redirect(f"{url}#question-{question.pk}")
    return _comments_page(request, questionnaire, form=form, question_pk=question.pk, status=400)


COMMENT_FILTERS = ("open", "resolved", "all")


@require_GET
@login_required
def comment_answers(request, pk):
    """The youth comments on a questionnaire for its researchers: answer, resolve, filter."""
    questionnaire = get_questionnaire_for_comment_answers(request, pk)
    return _comment_answers_page(request, questionnaire)


def _comment_answers_page(request, questionnaire, *, form=None, comment_pk=None, status=200):
    shown = request.GET.get("status", "open")
    if shown not in COMMENT_FILTERS:
        shown = "open"
    found = (
        QuestionComment.objects.filter(question__questionnaire=questionnaire)
        .select_related("question", "group__municipality")
        .order_by("question__section__position", "question__position", "created_at", "pk")
    )
    counts = {
        "open": found.filter(resolved_at__isnull=True).count(),
        "resolved": found.filter(resolved_at__isnull=False).count(),
    }
    counts["all"] = counts["open"] + counts["resolved"]
    if shown == "open":
        found = found.filter(resolved_at__isnull=True)
    elif shown == "resolved":
        found = found.filter(resolved_at__isnull=False)
    url = reverse("surveys:comment_answers", args=[questionnaire.pk])
    filters = [
        {
            "key": key,
            "label": label,
            "count": counts[key],
            "url": f"{url}?status={key}",
            "current": key == shown,
        }
        for key, label in (
            ("open", _("Åpne")),
            ("resolved", _("Ferdigbehandlet")),
            ("all", _("Alle")),
        )
    ]
    context = {
        "questionnaire": questionnaire,
        "comments": list(found),
        "filters": filters,
        "status": shown,
        "form": form,
        "form_comment": comment_pk,
        "back": _builder_url(questionnaire.pk),
    }
    return render(request, "surveys/comment_answers.html", context, status=status)


def _back_to_answers(request, comment):
    shown = request.POST.get("status", "open")
    if shown not in COMMENT_FILTERS:
        shown = "open"
    url = reverse("surveys:comment_answers", args=[comment.question.questionnaire_id])
    return redirect(f"{url}?status={shown}#comment-{comment.pk}")


@require_POST
@login_required
def comment_reply(request, pk):
    comment = get_comment_for_answer(request, pk)
    form = CommentReplyForm(request.POST)
    if form.is_valid():
        try:
            services.question_comment_reply(
                actor=request.user,
                comment=comment,
                reply=form.cleaned_data["reply"],
                now=timezone.now(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Svaret er lagret. Ungdommen ser det på Min side."))
            return _back_to_answers(request, comment)
    questionnaire = comment.question.questionnaire
    return _comment_answers_page(
        request, questionnaire, form=form, comment_pk=comment.pk, status=400
    )


@require_POST
@login_required
def comment_resolve(request, pk):
    comment = get_comment_for_answer(request, pk)
    resolved = request.POST.get("resolved") != "0"
    services.question_comment_resolve(
        actor=request.user, comment=comment, resolved=resolved, now=timezone.now()
    )
    if resolved:
        messages.success(request, _("Kommentaren er merket som ferdigbehandlet."))
    else:
        messages.success(request, _("Kommentaren er åpnet igjen."))
    return _back_to_answers(request, comment)


# --- Surveys and waves --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def survey_create(request):
    require_builder(request)
    back, title = reverse("surveys:index"), _("Ny undersøkelse")
    initial = {"questionnaire": request.GET.get("questionnaire")}
    if request.method == "GET":
        return _form_page(request, SurveyForm(initial=initial), title=title, back=back)
    form = SurveyForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, title=title, back=back, status=400)
    survey = services.survey_create(actor=request.user, now=timezone.now(), **form.cleaned_data)
    return redirect("surveys:survey_detail", survey.pk)


def _survey_page(request, survey, wave_form, status=200):
    context = {"survey": survey, "waves": survey.waves.all(), "wave_form": wave_form}
    return render(request, "surveys/survey_detail.html", context, status=status)


@require_GET
@login_required
def survey_detail(request, pk):
    survey = get_object_or_404(Survey.objects.select_related("questionnaire"), pk=pk)
    if not request.user.has_perm("surveys.view_waves"):
        raise PermissionDenied
    return _survey_page(request, survey, WaveForm())


@require_POST
@login_required
def wave_create(request, pk):
    survey = get_object_or_404(Survey.objects.select_related("questionnaire"), pk=pk)
    require_builder(request)
    form = WaveForm(request.POST, instance=None)
    form.instance.survey = survey
    if not form.is_valid():
        return _survey_page(request, survey, form, status=400)
    try:
        wave = services.wave_create(
            actor=request.user, survey=survey, now=timezone.now(), **form.cleaned_data
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _survey_page(request, survey, form, status=400)
    return redirect("surveys:wave_detail", wave.pk)


def _wave_page(request, wave, *, forms=None, status=200):
    municipalities = municipalities_for_codes(request.user)
    forms = forms or {}
    context = {
        "wave": wave,
        "survey": wave.survey,
        "is_builder": request.user.has_perm("surveys.build"),
        "batches": Paginator(
            selectors.batches_for_wave(wave, request.user), BATCHES_PER_PAGE
        ).get_page(request.GET.get("side")),
        "school_rates": selectors.school_response_rates(wave, request.user),
        "min_n": settings.UNGKULTUR_DISCLOSURE_MIN_N,
        # Counts over the whole wave: for those who see every municipality's codes.
        "completion": selectors.wave_completion(wave, n=settings.UNGKULTUR_DISCLOSURE_MIN_N)
        if _sees_whole_wave(request.user)
        else None,
        "links": OpenLink.objects.filter(wave=wave, municipality__in=municipalities).select_related(
            "municipality"
        ),
        "letters": InformationLetter.objects.filter(
            wave=wave, municipality__in=municipalities
        ).select_related("municipality", "batch"),
        # Sent responses still waiting to be moved (PendingResponse) are stored too.
        "response_count": wave.responses.filter(municipality__in=municipalities)
        .values("pk")
        .union(
            wave.pending_responses.filter(municipality__in=municipalities).values("pk"), all=True
        )
        .count(),
        "batch_form": forms.get("batch") or CodeBatchForm(municipalities=municipalities),
        "link_form": forms.get("link") or OpenLinkForm(municipalities=municipalities),
        "letter_form": forms.get("letter")
        or InformationLetterForm(
            municipalities=municipalities,
            batches=_letter_batches(wave, request.user),
        ),
        "answer_url": request.build_absolute_uri(reverse("surveys:answer_start")),
    }
    return render(request, "surveys/wave_detail.html", context, status=status)


def _sees_whole_wave(user):
    roles = roles_for(user)
    return roles.is_admin or roles.is_coordinator or roles.is_researcher


# A letter may name its batch where the batches are few enough to choose from (a municipality's
# own); across a national wave it names the municipality only.
LETTER_BATCH_CHOICES = 200


def _letter_batches(wave, user):
    batches = AccessCodeBatch.objects.filter(
        wave=wave, municipality__in=municipalities_for_codes(user), voided_at__isnull=True
    ).select_related("municipality")
    if batches.count() > LETTER_BATCH_CHOICES:
        return AccessCodeBatch.objects.none()
    return batches


@require_GET
@login_required
def wave_detail(request, pk):
    return _wave_page(request, get_wave_for_staff(request, pk))


@require_POST
@login_required
def wave_open(request, pk):
    wave = get_wave_for_staff(request, pk)
    require_builder(request)
    try:
        services.wave_open(actor=request.user, wave=wave, now=timezone.now())
    except ValidationError as error:
        return _refused(request, error, back=reverse("surveys:wave_detail", args=[pk]))
    messages.success(request, _("Runden er åpnet, og spørreskjemaet er låst."))
    return redirect("surveys:wave_detail", pk)


@require_POST
@login_required
def wave_close(request, pk):
    wave = get_wave_for_staff(request, pk)
    require_builder(request)
    try:
        services.wave_close(actor=request.user, wave=wave, now=timezone.now())
    except ValidationError as error:
        return _refused(request, error, back=reverse("surveys:wave_detail", args=[pk]))
    messages.success(request, _("Runden er stengt."))
    return redirect("surveys:wave_detail", pk)


@require_POST
@login_required
def batch_create(request, pk):
    wave = get_wave_for_staff(request, pk)
    form = CodeBatchForm(request.POST, municipalities=municipalities_for_codes(request.user))
    if not form.is_valid():
        return _wave_page(request, wave, forms={"batch": form}, status=400)
    data = form.cleaned_data
    try:
        batch, codes = services.code_batch_create(
            actor=request.user,
            wave=wave,
            municipality=data["municipality"],
            school=data["school"],
            class_label=data["class_label"],
            count=data["count"],
            class_size=data["class_size"],
            now=timezone.now(),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _wave_page(request, wave, forms={"batch": form}, status=400)
    # The codes in clear exist only here: kept in this person's session until printed.
    request.session[PRINT_SESSION_KEY] = {"batch": batch.pk, "codes": codes}
    return redirect("surveys:batch_print", batch.pk)


@require_GET
@login_required
def batch_print(request, pk):
    batch = get_batch_for_staff(request, pk)
    held = request.session.get(PRINT_SESSION_KEY) or {}
    codes = held.get("codes", []) if held.get("batch") == batch.pk else []
    address = request.build_absolute_uri(reverse("surveys:answer_start"))
    context = {
        "batch": batch,
        "address": address,
        "short_address": address.split("://", 1)[-1].rstrip("/"),
        "sheets": [(code, _qr_svg(address, code)) for code in codes],
    }
    return render(request, "surveys/batch_print.html", context)


def _qr_svg(address, code):
    """The QR code of the answer address with the code filled in, as inline SVG.

    The code is in the fragment, which the browser keeps to itself: it never reaches a request
    log (docs/privacy.md); the start page's script copies it into the form that posts it."""
    url = f"{address}#{urlencode({'kode': code})}"
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, border=2))  # noqa: S308


@require_POST
@login_required
def batch_forget(request, pk):
    """Printed: drop the codes in clear from the session for good."""
    batch = get_batch_for_staff(request, pk)
    request.session.pop(PRINT_SESSION_KEY, None)
    return redirect("surveys:wave_detail", batch.wave_id)


@require_POST
@login_required
def batch_void(request, pk):
    batch = get_batch_for_staff(request, pk)
    services.code_batch_void(actor=request.user, batch=batch, now=timezone.now())
    messages.success(request, _("Kodebunken er trukket tilbake. Ubrukte koder virker ikke lenger."))
    return redirect("surveys:wave_detail", batch.wave_id)


@require_POST
@login_required
def open_link_create(request, pk):
    wave = get_wave_for_staff(request, pk)
    form = OpenLinkForm(request.POST, municipalities=municipalities_for_codes(request.user))
    if not form.is_valid():
        return _wave_page(request, wave, forms={"link": form}, status=400)
    try:
        services.open_link_create(
            actor=request.user, wave=wave, now=timezone.now(), **form.cleaned_data
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _wave_page(request, wave, forms={"link": form}, status=400)
    return redirect(reverse("surveys:wave_detail", args=[pk]) + "#open-links")


@require_GET
@login_required
def open_link_poster(request, pk):
    """A printable poster for an arena: the survey, the arena and a QR code of the open link."""
    link = get_object_or_404(
        OpenLink.objects.select_related("municipality", "wave__survey"), pk=pk, active=True
    )
    if not request.user.has_perm("surveys.manage_codes", link.municipality):
        if roles_for(request.user).belongs_to(link.municipality_id):
            raise PermissionDenied
        raise Http404
    address = request.build_absolute_uri(reverse("surveys:answer_link", args=[link.token]))
    context = {
        "link": link,
        "survey": link.wave.survey,
        "address": address,
        "short_address": address.split("://", 1)[-1],
        "qr": mark_safe(  # noqa: S308
            segno.make(address, error="m").svg_inline(scale=6, border=2, omitsize=True)
        ),
    }
    return render(request, "surveys/open_link_poster.html", context)


@require_POST
@login_required
def open_link_deactivate(request, pk):
    link = get_object_or_404(OpenLink.objects.select_related("municipality"), pk=pk)
    if not request.user.has_perm("surveys.manage_codes", link.municipality):
        raise PermissionDenied
    services.open_link_deactivate(actor=request.user, link=link, now=timezone.now())
    return redirect(reverse("surveys:wave_detail", args=[link.wave_id]) + "#open-links")


@require_POST
@login_required
def letter_create(request, pk):
    wave = get_wave_for_staff(request, pk)
    form = InformationLetterForm(
        request.POST,
        municipalities=municipalities_for_codes(request.user),
        batches=_letter_batches(wave, request.user),
    )
    if not form.is_valid():
        return _wave_page(request, wave, forms={"letter": form}, status=400)
    services.information_letter_record(
        actor=request.user, wave=wave, now=timezone.now(), **form.cleaned_data
    )
    messages.success(request, _("Informasjonsbrevet er registrert."))
    return redirect(reverse("surveys:wave_detail", args=[pk]) + "#letters")
