import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.evaluations.models import Answer, AnswerText, Comment, Question, Round
from ungkultur.meetings.models import Event

pytestmark = pytest.mark.django_db


def answer_url(round_, part, code="4203", action="answer_edit"):
    return reverse(f"evaluations:{action}", args=[code, round_.pk, part])


def fill(client, round_, questions, part="project_group", code="4203", **extra):
    data = {f"q{q.pk}": f"Svar på {q.topic}" for q in questions}
    return client.post(answer_url(round_, part, code), {**data, **extra})


# --- Opening a round ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_national_roles_open_a_round_with_the_chosen_questions(client, personas, who):
    client.force_login(getattr(personas, who))
    response = client.post(
        reverse("evaluations:round_open"),
        {"kind": "midway", "title": "Midtveis", "topics": ["needs", "obstacles"],
         "own_question": "Hva med biblioteket?"},
    )  # fmt: skip
    round_ = Round.objects.get()
    assert response.status_code == 302
    assert [q.topic for q in round_.questions.all()] == ["needs", "obstacles", "other"]
    assert round_.questions.last().text == "Hva med biblioteket?"
    assert AuditEntry.objects.filter(action="evaluations.round_open", object_id=round_.pk).exists()


@pytest.mark.parametrize("who", ["leader_a", "teacher_a", "youth_member_a", "researcher"])
def test_others_may_not_open_a_round(client, personas, who):
    client.force_login(getattr(personas, who))
    response = client.post(
        reverse("evaluations:round_open"), {"kind": "midway", "title": "X", "topics": ["needs"]}
    )
    assert response.status_code == 403
    assert not Round.objects.exists()


def test_a_round_without_questions_is_refused_in_norwegian(client, personas):
    client.force_login(personas.coordinator)
    response = client.post(reverse("evaluations:round_open"), {"kind": "midway", "title": "X"})
    assert response.status_code == 400
    assert "Velg minst ett spørsmål, eller skriv et eget." in response.text
    assert not Round.objects.exists()
    assert not Question.objects.exists()


# --- Answering ------------------------------------------------------------------------------------


def test_the_project_group_saves_a_draft_linked_to_its_meeting_and_submits(
    client, personas, round_, questions
):
    meeting = Event.objects.create(
        kind="municipality_meeting", municipality=personas.arendal, title="Evalueringsmøte",
        starts_at=timezone.now(), ends_at=timezone.now(),
    )  # fmt: skip
    client.force_login(personas.leader_a)
    response = fill(client, round_, questions, meeting=meeting.pk, published="on")
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.status == "draft" and answer.meeting == meeting and answer.published
    assert answer.texts.count() == 2
    response = client.post(answer_url(round_, "project_group", action="answer_submit"))
    answer.refresh_from_db()
    assert answer.status == "submitted" and answer.submitted_at
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"evaluations.answer_save", "evaluations.answer_submit"} <= actions


def test_a_meeting_of_another_municipality_is_refused(client, personas, round_, questions):
    other = Event.objects.create(
        kind="municipality_meeting", municipality=personas.sola, title="Sola",
        starts_at=timezone.now(), ends_at=timezone.now(),
    )  # fmt: skip
    client.force_login(personas.leader_a)
    response = fill(client, round_, questions, meeting=other.pk)
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_submitting_an_empty_answer_is_refused(client, personas, round_, questions):
    client.force_login(personas.leader_a)
    client.post(answer_url(round_, "project_group"), {})
    response = client.post(answer_url(round_, "project_group", action="answer_submit"), follow=True)
    assert "Skriv svar på minst ett spørsmål før dere sender inn." in response.text
    assert Answer.objects.get().status == "draft"


def test_a_submitted_answer_cannot_be_changed(client, personas, round_, questions):
    client.force_login(personas.leader_a)
    fill(client, round_, questions)
    client.post(answer_url(round_, "project_group", action="answer_submit"))
    response = client.post(answer_url(round_, "project_group"), {f"q{questions[0].pk}": "Endret"})
    assert response.status_code == 400
    assert "Be om at det åpnes igjen" in response.text
    assert not AnswerText.objects.filter(text="Endret").exists()


def test_the_youth_part_is_written_by_the_resource_group_and_shown_without_names(
    client, personas, round_, questions
):
    client.force_login(personas.youth_member_a)
    fill(client, round_, questions, part="youth", published="on")
    client.post(answer_url(round_, "youth", action="answer_submit"))
    answer = Answer.objects.get(part="youth")
    assert answer.status == "submitted"
    client.force_login(personas.coordinator)
    page = client.get(reverse("evaluations:round_detail", args=[round_.pk])).text
    assert "Svar på needs" in page
    assert personas.youth_member_a.first_name not in page


@pytest.mark.parametrize(
    ("who", "part"),
    [("youth_member_a", "project_group"), ("teacher_a", "youth"), ("youth_a", "project_group"),
     ("coordinator", "project_group")],
)  # fmt: skip
def test_who_may_not_write_a_part_gets_403(client, personas, round_, questions, who, part):
    client.force_login(getattr(personas, who))
    assert fill(client, round_, questions, part=part).status_code == 403
    assert not Answer.objects.exists()


@pytest.mark.parametrize("who", ["leader_b", "teacher_b"])
def test_another_municipality_gets_404(client, personas, round_, questions, who):
    client.force_login(getattr(personas, who))
    assert fill(client, round_, questions).status_code == 404
    assert client.get(reverse("evaluations:municipality_rounds", args=["4203"])).status_code == 404
    assert not Answer.objects.exists()


def test_an_unknown_part_is_404(client, personas, round_):
    client.force_login(personas.leader_a)
    assert client.get(answer_url(round_, "rektor")).status_code == 404


# --- Reopening, comments, themes ------------------------------------------------------------------


def submitted(client, personas, round_, questions, part="project_group"):
    client.force_login(personas.leader_a if part == "project_group" else personas.youth_member_a)
    fill(client, round_, questions, part=part)
    client.post(answer_url(round_, part, action="answer_submit"))
    return Answer.objects.get(part=part)


def test_the_municipality_asks_and_a_coordinator_reopens(client, personas, round_, questions):
    answer = submitted(client, personas, round_, questions)
    client.post(answer_url(round_, "project_group", action="answer_request_reopen"),
                {"reason": "Vi glemte biblioteket"})  # fmt: skip
    answer.refresh_from_db()
    assert answer.reopen_reason == "Vi glemte biblioteket"
    assert client.post(reverse("evaluations:answer_reopen", args=[answer.pk])).status_code == 403
    client.force_login(personas.coordinator)
    page = client.get(reverse("evaluations:round_detail", args=[round_.pk])).text
    assert "Vi glemte biblioteket" in page
    client.post(reverse("evaluations:answer_reopen", args=[answer.pk]))
    answer.refresh_from_db()
    assert answer.status == "draft" and answer.reopen_requested_at is None
    assert AuditEntry.objects.filter(action="evaluations.answer_reopen").count() == 1


def test_a_reopen_request_without_reason_changes_nothing(client, personas, round_, questions):
    answer = submitted(client, personas, round_, questions)
    response = client.post(
        answer_url(round_, "project_group", action="answer_request_reopen"), {"reason": " "},
        follow=True,
    )  # fmt: skip
    assert "Skriv hvorfor svaret må åpnes igjen." in response.text
    answer.refresh_from_db()
    assert answer.reopen_requested_at is None


def test_a_closed_round_takes_no_answers(client, personas, round_, questions):
    client.force_login(personas.coordinator)
    client.post(reverse("evaluations:round_close", args=[round_.pk]))
    client.force_login(personas.leader_a)
    response = fill(client, round_, questions)
    assert response.status_code == 400
    assert "Runden er lukket" in response.text
    assert not AnswerText.objects.exists()


def test_national_roles_read_side_by_side_comment_and_mark_themes(
    client, personas, round_, questions
):
    answer = submitted(client, personas, round_, questions)
    client.force_login(personas.coordinator)
    response = client.get(reverse("evaluations:round_detail", args=[round_.pk]))
    rows = response.context["rows"]
    assert [row["question"] for row in rows] == questions
    assert rows[0]["cells"][0]["municipality"] == personas.arendal
    assert rows[0]["cells"][0]["project_group"].text == "Svar på needs"
    assert rows[0]["cells"][0]["youth"] is None
    client.post(reverse("evaluations:comment_add", args=[answer.pk]), {"text": "Godt svar"})
    assert Comment.objects.get().text == "Godt svar"
    text = answer.texts.first()
    client.post(reverse("evaluations:themes_mark", args=[text.pk]),
                {"themes": "Samarbeid, rigging ,samarbeid"})  # fmt: skip
    text.refresh_from_db()
    assert text.themes == ["rigging", "samarbeid"]
    assert AuditEntry.objects.filter(action="evaluations.themes_mark").exists()


def test_an_empty_comment_is_refused(client, personas, round_, questions):
    answer = submitted(client, personas, round_, questions)
    client.force_login(personas.coordinator)
    response = client.post(reverse("evaluations:comment_add", args=[answer.pk]), {"text": ""})
    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize("who", ["leader_a", "youth_member_a", "researcher"])
def test_only_national_roles_read_all_answers_and_comment(client, personas, round_, questions, who):
    answer = submitted(client, personas, round_, questions)
    client.force_login(getattr(personas, who))
    assert client.get(reverse("evaluations:round_detail", args=[round_.pk])).status_code == 403
    response = client.post(reverse("evaluations:comment_add", args=[answer.pk]), {"text": "x"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_the_municipality_page_lists_rounds_and_parts(client, personas, round_, questions):
    submitted(client, personas, round_, questions)
    client.force_login(personas.youth_member_a)
    response = client.get(reverse("evaluations:municipality_rounds", args=["4203"]))
    assert response.status_code == 200
    assert response.context["can_youth"] and not response.context["can_project"]
    assert "sendt inn" in response.text


def test_the_side_by_side_page_does_not_grow_in_queries_with_municipalities(
    client, personas, round_, questions
):
    submitted(client, personas, round_, questions)
    client.force_login(personas.coordinator)
    page = reverse("evaluations:round_detail", args=[round_.pk])
    client.get(page)
    with CaptureQueriesContext(connection) as one:
        client.get(page)
    client.force_login(personas.leader_b)
    fill(client, round_, questions, code="1124")
    client.post(answer_url(round_, "project_group", code="1124", action="answer_submit"))
    client.force_login(personas.coordinator)
    client.get(page)
    with CaptureQueriesContext(connection) as two:
        response = client.get(page)
    assert len(response.context["rows"][0]["cells"]) == 2
    assert len(two.captured_queries) == len(one.captured_queries)
