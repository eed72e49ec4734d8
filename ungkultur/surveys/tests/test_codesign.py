import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ungkultur.surveys.models import Question, QuestionComment, QuestionnaireShare
from ungkultur.surveys.selectors import mypage_section
from ungkultur.surveys.tests.factories import make_questionnaire, open_wave


@pytest.fixture
def questionnaire(personas):
    return make_questionnaire(personas.researcher)


@pytest.fixture
def shared(client, personas, questionnaire, django_capture_on_commit_callbacks):
    client.force_login(personas.researcher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("surveys:questionnaire_share", args=[questionnaire.pk]),
            {"group": personas.a.resource_group.pk},
        )
    client.logout()
    return questionnaire


def test_a_draft_is_shared_with_a_youth_resource_group_and_its_members_hear_of_it(
    personas, shared, mailoutbox
):
    share = QuestionnaireShare.objects.get()
    assert (share.group, share.shared_by) == (personas.a.resource_group, personas.researcher)
    assert [m.to for m in mailoutbox] == [[personas.youth_member_a.email]]
    assert "«Ungdom og kultur»" in mailoutbox[0].subject
    assert reverse("surveys:comments", args=[shared.pk]) in mailoutbox[0].body


def test_only_a_youth_resource_group_can_get_a_draft(client, personas, questionnaire):
    client.force_login(personas.researcher)
    response = client.post(
        reverse("surveys:questionnaire_share", args=[questionnaire.pk]),
        {"group": personas.a.project_group.pk},
    )
    assert response.status_code == 400
    assert not QuestionnaireShare.objects.exists()


def test_members_comment_on_each_question_and_authors_see_it(client, personas, shared):
    question = Question.objects.get(name="fornoyd")
    client.force_login(personas.youth_member_a)
    assert "Ungdom og kultur" in client.get(reverse("surveys:index")).content.decode()
    page = client.get(reverse("surveys:comments", args=[shared.pk])).content.decode()
    assert "Hvor fornøyd er du?" in page
    response = client.post(
        reverse("surveys:comment_add", args=[question.pk]),
        {"body": "Skriv heller «kulturtilbudet her»"},
    )
    assert response.status_code == 302
    comment = QuestionComment.objects.get()
    assert (comment.question, comment.author, comment.group) == (
        question,
        personas.youth_member_a,
        personas.a.resource_group,
    )
    client.force_login(personas.researcher)
    page = client.get(reverse("surveys:questionnaire_detail", args=[shared.pk])).content.decode()
    assert "Skriv heller «kulturtilbudet her»" in page
    assert "RessursA" in page


def test_an_empty_comment_is_refused(client, personas, shared):
    client.force_login(personas.youth_member_a)
    question = Question.objects.get(name="fornoyd")
    response = client.post(reverse("surveys:comment_add", args=[question.pk]), {"body": "  "})
    assert response.status_code == 400
    assert not QuestionComment.objects.exists()


@pytest.mark.parametrize("who", ["youth_b", "youth_a", "teacher_b"])
def test_a_draft_is_hidden_from_those_it_is_not_shared_with(client, personas, shared, who):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("surveys:comments", args=[shared.pk])).status_code == 404
    question = Question.objects.get(name="fornoyd")
    response = client.post(reverse("surveys:comment_add", args=[question.pk]), {"body": "Hei"})
    assert response.status_code == 404
    assert not QuestionComment.objects.exists()


def test_comments_stop_when_the_questionnaire_is_frozen(client, personas, shared):
    open_wave(personas.researcher, shared)
    client.force_login(personas.youth_member_a)
    question = Question.objects.get(name="fornoyd")
    response = client.post(reverse("surveys:comment_add", args=[question.pk]), {"body": "Hei"})
    assert response.status_code == 404
    assert not QuestionComment.objects.exists()


def test_min_side_lists_the_drafts_to_comment_on_and_the_open_waves(personas, shared):
    section = mypage_section(personas.youth_member_a, now=timezone.now())
    assert section["drafts"] == [shared] and section["waves"] == []
    html = render_to_string(section["template"], {"section": section})
    assert reverse("surveys:comments", args=[shared.pk]) in html
    assert mypage_section(personas.youth_b, now=timezone.now()) is None
    wave = open_wave(personas.researcher, make_questionnaire(personas.researcher, title="Annen"))
    assert mypage_section(personas.teacher_a, now=timezone.now())["waves"] == [wave]
