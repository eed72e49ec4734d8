"""Tenancy for surveys: 404 for what is not the user's to see, 403 for a role that may not."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ungkultur.municipalities.models import Municipality
from ungkultur.organisations.selectors import roles_for
from ungkultur.surveys.models import (
    AccessCodeBatch,
    Question,
    QuestionComment,
    Questionnaire,
    Wave,
)


def require_builder(request):
    if not request.user.has_perm("surveys.build"):
        raise PermissionDenied


def get_questionnaire_for_builder(request, pk) -> Questionnaire:
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    require_builder(request)
    return questionnaire


def get_question_for_builder(request, pk) -> Question:
    question = get_object_or_404(
        Question.objects.select_related("section__questionnaire", "questionnaire", "choice_list"),
        pk=pk,
    )
    require_builder(request)
    return question


def get_questionnaire_for_comment(request, pk) -> Questionnaire:
    """A draft shared with one of the user's resource groups (builders see it too).

    Drafts are not public: to anyone else the questionnaire does not exist.
    """
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    user = request.user
    if user.has_perm("surveys.comment", questionnaire) or user.has_perm("surveys.build"):
        return questionnaire
    raise Http404


def require_comment_answerer(request, questionnaire) -> None:
    """The questionnaire's own researchers and the national roles answer youth comments.
    Another builder (a researcher of other surveys) sees the questionnaire: 403. Anyone else:
    404, as for the draft itself."""
    user = request.user
    if user.has_perm("surveys.answer_comments", questionnaire):
        return
    if user.has_perm("surveys.build") or user.has_perm("surveys.comment", questionnaire):
        raise PermissionDenied
    raise Http404


def get_questionnaire_for_comment_answers(request, pk) -> Questionnaire:
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    require_comment_answerer(request, questionnaire)
    return questionnaire


def get_comment_for_answer(request, pk) -> QuestionComment:
    comment = get_object_or_404(
        QuestionComment.objects.select_related("question__questionnaire"), pk=pk
    )
    require_comment_answerer(request, comment.question.questionnaire)
    return comment


def get_wave_for_staff(request, pk) -> Wave:
    wave = get_object_or_404(Wave.objects.select_related("survey__questionnaire"), pk=pk)
    if not request.user.has_perm("surveys.view_waves"):
        raise PermissionDenied
    return wave


def get_batch_for_staff(request, pk) -> AccessCodeBatch:
    batch = get_object_or_404(
        AccessCodeBatch.objects.select_related("wave__survey", "municipality"), pk=pk
    )
    if request.user.has_perm("surveys.manage_codes", batch.municipality):
        return batch
    if not roles_for(request.user).belongs_to(batch.municipality_id):
        raise Http404
    raise PermissionDenied


def municipalities_for_codes(user):
    """The municipalities the user may hand out codes in."""
    if user.has_perm("surveys.build"):
        return Municipality.objects.all()
    return Municipality.objects.filter(pk__in=roles_for(user).staff_municipalities)
