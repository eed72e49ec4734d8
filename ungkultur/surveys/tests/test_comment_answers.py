"""The questionnaire's researchers answer and resolve the youth's comments (issue 20); the
author reads the answer on Min side."""

import datetime

import pytest
from django.urls import reverse

from ungkultur.core.models import AuditEntry
from ungkultur.organisations.models import Membership, NationalRole
from ungkultur.surveys import services
from ungkultur.surveys.models import Question, QuestionComment
from ungkultur.surveys.tests.factories import NOW, make_questionnaire
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db

MYPAGE = reverse("mypage:index")


@pytest.fixture
def questionnaire(personas):
    questionnaire = make_questionnaire(personas.researcher)
    services.questionnaire_share(
        actor=personas.researcher,
        questionnaire=questionnaire,
        group=personas.a.resource_group,
        now=NOW,
    )
    return questionnaire


@pytest.fixture
def comment(personas, questionnaire):
    return services.question_comment_add(
        actor=personas.youth_member_a,
        question=Question.objects.get(questionnaire=questionnaire, name="fornoyd"),
        group=personas.a.resource_group,
        body="Hva betyr «fornøyd» her?",
        now=NOW,
    )


@pytest.fixture
def other_researcher(db):
    user = make_user("annen.forsker@example.org", first_name="Annen")
    NationalRole.objects.create(
        user=user, role=NationalRole.Role.RESEARCHER, start=datetime.date(2020, 1, 1)
    )
    return user


@pytest.fixture
def second_member(personas):
    user = make_user("ressurs.to@example.org", first_name="Andre", birth_year=2010)
    Membership.objects.create(
        group=personas.a.resource_group,
        user=user,
        role=Membership.Role.YOUTH_MEMBER,
        start=datetime.date(2020, 1, 1),
    )
    return user


def _answers_url(questionnaire, status=None):
    url = reverse("surveys:comment_answers", args=[questionnaire.pk])
    return f"{url}?status={status}" if status else url


def test_the_researcher_answers_and_the_author_reads_it_on_min_side(
    client, personas, questionnaire, comment, second_member
):
    client.force_login(personas.researcher)
    page = client.get(_answers_url(questionnaire)).content.decode()
    assert "Hva betyr «fornøyd» her?" in page and "RessursA" not in page  # no author's name
    response = client.post(
        reverse("surveys:comment_reply", args=[comment.pk]),
        {"reply": "Om du liker tilbudet. Vi skriver det tydeligere.", "status": "open"},
    )
    assert response.status_code == 302
    assert response.url.endswith(f"?status=open#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.reply == "Om du liker tilbudet. Vi skriver det tydeligere."
    assert comment.replied_by == personas.researcher and comment.replied_at is not None
    entry = AuditEntry.objects.get(action="surveys.question_comment_reply")
    assert entry.actor == personas.researcher and entry.object_id == str(comment.pk)
    # The author sees the answer on Min side, without the researcher's name.
    client.force_login(personas.youth_member_a)
    mine = client.get(MYPAGE).content.decode()
    assert "Om du liker tilbudet. Vi skriver det tydeligere." in mine
    assert "Hva betyr «fornøyd» her?" in mine
    assert personas.researcher.get_full_name() not in mine
    # Another member of the group does not get it on their Min side.
    client.force_login(second_member)
    assert "Om du liker tilbudet" not in client.get(MYPAGE).content.decode()


def test_resolve_and_reopen_move_the_comment_between_the_filters(
    client, personas, questionnaire, comment
):
    client.force_login(personas.researcher)
    assert "Hva betyr" in client.get(_answers_url(questionnaire, "open")).content.decode()
    assert "Hva betyr" not in client.get(_answers_url(questionnaire, "resolved")).content.decode()
    response = client.post(reverse("surveys:comment_resolve", args=[comment.pk]), {"resolved": "1"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_resolved
    assert "Hva betyr" not in client.get(_answers_url(questionnaire, "open")).content.decode()
    assert "Hva betyr" in client.get(_answers_url(questionnaire, "resolved")).content.decode()
    assert "Hva betyr" in client.get(_answers_url(questionnaire, "all")).content.decode()
    # Resolving again changes nothing and writes no second row.
    client.post(reverse("surveys:comment_resolve", args=[comment.pk]), {"resolved": "1"})
    assert AuditEntry.objects.filter(action="surveys.question_comment_resolve").count() == 1
    client.post(reverse("surveys:comment_resolve", args=[comment.pk]), {"resolved": "0"})
    comment.refresh_from_db()
    assert not comment.is_resolved
    assert AuditEntry.objects.filter(action="surveys.question_comment_reopen").count() == 1


def test_an_empty_answer_is_refused_and_nothing_changes(client, personas, questionnaire, comment):
    client.force_login(personas.researcher)
    response = client.post(reverse("surveys:comment_reply", args=[comment.pk]), {"reply": "  "})
    assert response.status_code == 400
    assert "Feltet er påkrevet." in response.content.decode()
    comment.refresh_from_db()
    assert comment.reply == "" and comment.replied_at is None
    assert not AuditEntry.objects.filter(action="surveys.question_comment_reply").exists()


def test_the_national_roles_may_answer_too(client, personas, questionnaire, comment):
    for user in (personas.admin, personas.coordinator):
        client.force_login(user)
        page = client.get(_answers_url(questionnaire)).content.decode()
        assert "Hva betyr «fornøyd» her?" in page and "RessursA" not in page
        response = client.post(
            reverse("surveys:comment_reply", args=[comment.pk]), {"reply": f"Takk, {user.pk}!"}
        )
        assert response.status_code == 302
        comment.refresh_from_db()
        assert (comment.reply, comment.replied_by) == (f"Takk, {user.pk}!", user)


def test_a_researcher_of_other_surveys_may_not_answer(
    client, personas, questionnaire, comment, other_researcher
):
    client.force_login(other_researcher)
    assert client.get(_answers_url(questionnaire)).status_code == 403
    reply = client.post(reverse("surveys:comment_reply", args=[comment.pk]), {"reply": "Hei"})
    resolve = client.post(reverse("surveys:comment_resolve", args=[comment.pk]), {"resolved": "1"})
    assert (reply.status_code, resolve.status_code) == (403, 403)
    comment.refresh_from_db()
    assert comment.reply == "" and not comment.is_resolved
    # A survey of theirs that runs the questionnaire makes it theirs too.
    services.survey_create(
        actor=other_researcher, title="Deres", questionnaire=questionnaire, now=NOW
    )
    page = client.get(_answers_url(questionnaire)).content.decode()
    assert "Hva betyr «fornøyd» her?" in page and "RessursA" not in page


@pytest.mark.parametrize("who", ["youth_member_a", "youth_b", "teacher_a"])
def test_youth_and_others_may_not_answer(client, personas, questionnaire, comment, who):
    client.force_login(getattr(personas, who))
    # The group's member sees the draft (403); to anyone else it does not exist (404).
    expected = 403 if who == "youth_member_a" else 404
    assert client.get(_answers_url(questionnaire)).status_code == expected
    reply = client.post(reverse("surveys:comment_reply", args=[comment.pk]), {"reply": "Svar"})
    resolve = client.post(reverse("surveys:comment_resolve", args=[comment.pk]), {"resolved": "1"})
    assert (reply.status_code, resolve.status_code) == (expected, expected)
    comment.refresh_from_db()
    assert comment.reply == "" and not comment.is_resolved
    assert not AuditEntry.objects.filter(action__startswith="surveys.question_comment_").exists()


def test_the_builder_page_links_to_the_answers_for_those_who_may(
    client, personas, questionnaire, comment, other_researcher
):
    url = reverse("surveys:questionnaire_detail", args=[questionnaire.pk])
    client.force_login(personas.researcher)
    assert _answers_url(questionnaire) in client.get(url).content.decode()
    client.force_login(other_researcher)
    assert _answers_url(questionnaire) not in client.get(url).content.decode()


def test_the_group_sees_the_answer_beside_the_comment(client, personas, questionnaire, comment):
    services.question_comment_reply(
        actor=personas.researcher, comment=comment, reply="Godt spørsmål.", now=NOW
    )
    client.force_login(personas.youth_member_a)
    page = client.get(reverse("surveys:comments", args=[questionnaire.pk])).content.decode()
    assert "Godt spørsmål." in page
    assert QuestionComment.objects.get().replied_by == personas.researcher
