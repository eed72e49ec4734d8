"""A round's deadline: after it, a part is not sent in unless a national role opens it for the
municipality; the project leaders are reminded once a week before (the clock moved with
time-machine)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.evaluations import services
from ungkultur.evaluations.models import Answer, Round

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
DEADLINE = datetime.date(2027, 3, 15)


def oslo(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def round_(personas):
    return services.round_open(
        actor=personas.coordinator, kind="midway", title="Midtveis 2027", topics=["needs"],
        deadline=DEADLINE, now=oslo(DEADLINE - 30 * DAY),
    )  # fmt: skip


def url(round_, action="answer_edit", part="project_group", code="4203"):
    return reverse(f"evaluations:{action}", args=[code, round_.pk, part])


def draft(client, round_):
    question = round_.questions.get()
    return client.post(url(round_), {f"q{question.pk}": "Mer tid til koordinering"})


def test_on_the_deadline_day_a_part_is_sent_in(client, personas, round_):
    with time_machine.travel(oslo(DEADLINE, 23), tick=False):
        client.force_login(personas.leader_a)
        draft(client, round_)
        client.post(url(round_, "answer_submit"))
    assert Answer.objects.get().status == Answer.Status.SUBMITTED


def test_after_the_deadline_sending_in_is_refused_but_a_draft_is_kept(client, personas, round_):
    with time_machine.travel(oslo(DEADLINE + DAY, 0), tick=False):
        client.force_login(personas.leader_a)
        assert draft(client, round_).status_code == 302
        page = client.get(url(round_))
        assert "Svarfristen var 15. mars 2027." in page.text
        assert url(round_, "answer_submit") not in page.text
        assert "Hvorfor trenger dere å sende inn etter fristen?" in page.text
        response = client.post(url(round_, "answer_submit"), follow=True)
    assert "Svarfristen var 15. mars 2027. Be de nasjonale koordinatorene" in response.text
    answer = Answer.objects.get()
    assert answer.status == Answer.Status.DRAFT and answer.submitted_at is None
    assert not AuditEntry.objects.filter(action="evaluations.answer_submit").exists()


def test_a_coordinator_opens_for_one_municipality_after_the_deadline(client, personas, round_):
    with time_machine.travel(oslo(DEADLINE + 2 * DAY), tick=False):
        client.force_login(personas.leader_a)
        draft(client, round_)
        client.post(url(round_, "answer_request_reopen"), {"reason": "Møtet ble utsatt"})
        answer = Answer.objects.get()
        assert answer.reopen_requested_at and answer.reopen_reason == "Møtet ble utsatt"
        # The municipality cannot open it itself.
        assert (
            client.post(reverse("evaluations:answer_reopen", args=[answer.pk])).status_code == 403
        )
        client.force_login(personas.coordinator)
        detail = client.get(reverse("evaluations:round_detail", args=[round_.pk]))
        assert "Møtet ble utsatt" in detail.text
        assert (
            client.post(reverse("evaluations:answer_reopen", args=[answer.pk])).status_code == 302
        )
        client.force_login(personas.leader_a)
        client.post(url(round_, "answer_submit"))
    answer.refresh_from_db()
    assert answer.status == Answer.Status.SUBMITTED and answer.reopened_at
    assert AuditEntry.objects.filter(action="evaluations.answer_reopen").count() == 1


def test_a_draft_before_the_deadline_cannot_be_opened_by_request(client, personas, round_):
    with time_machine.travel(oslo(DEADLINE - DAY), tick=False):
        client.force_login(personas.leader_a)
        draft(client, round_)
        client.post(url(round_, "answer_request_reopen"), {"reason": "Bare fordi"})
    assert Answer.objects.get().reopen_requested_at is None


def test_a_round_without_deadline_takes_answers_any_day(client, personas):
    round_ = services.round_open(actor=personas.coordinator, kind="own", title="Egen",
                                 topics=["needs"], now=timezone.now())  # fmt: skip
    with time_machine.travel(oslo(datetime.date(2031, 1, 1)), tick=False):
        client.force_login(personas.leader_a)
        draft(client, round_)
        client.post(url(round_, "answer_submit"))
    assert Answer.objects.get().status == Answer.Status.SUBMITTED


def run_at(moment, capture):
    with time_machine.travel(moment, tick=False):
        with capture(execute=True):
            call_command("send_evaluation_reminders")


def test_leaders_who_have_not_answered_are_reminded_once_a_week_before(
    personas, round_, django_capture_on_commit_callbacks
):
    # Sola has sent in; Arendal has not.
    services.answer_save(actor=personas.leader_b, round=round_, municipality=personas.sola,
                         part="project_group", texts={round_.questions.get().pk: "Svar"},
                         now=oslo(DEADLINE - 20 * DAY))  # fmt: skip
    services.answer_submit(actor=personas.leader_b, answer=Answer.objects.get(),
                           now=oslo(DEADLINE - 20 * DAY))  # fmt: skip
    run_at(oslo(DEADLINE - 8 * DAY), django_capture_on_commit_callbacks)
    assert mail.outbox == []
    run_at(oslo(DEADLINE - 7 * DAY, 7), django_capture_on_commit_callbacks)
    run_at(oslo(DEADLINE - 6 * DAY, 7), django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[personas.leader_a.email]]
    assert mail.outbox[0].subject == "Svarfristen for «Midtveis 2027» er 15. mars 2027"
    assert reverse("evaluations:municipality_rounds", args=["4203"]) in mail.outbox[0].body
    assert Round.objects.get().reminded_at is not None
    entry = AuditEntry.objects.get(action="evaluations.deadline_reminder")
    assert entry.changes["recipients"] == [personas.leader_a.pk]


def test_a_closed_or_passed_round_reminds_nobody(
    personas, round_, django_capture_on_commit_callbacks
):
    run_at(oslo(DEADLINE + DAY), django_capture_on_commit_callbacks)
    services.round_close(actor=personas.coordinator, round=round_, now=oslo(DEADLINE - 9 * DAY))
    run_at(oslo(DEADLINE - 3 * DAY), django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action="evaluations.deadline_reminder").exists()


def test_the_reminder_is_also_a_notice_on_min_side_once_per_round(
    client, personas, round_, django_capture_on_commit_callbacks
):
    from ungkultur.participation.models import Notification

    services.answer_save(actor=personas.leader_b, round=round_, municipality=personas.sola,
                         part="project_group", texts={round_.questions.get().pk: "Svar"},
                         now=oslo(DEADLINE - 20 * DAY))  # fmt: skip
    services.answer_submit(actor=personas.leader_b, answer=Answer.objects.get(),
                           now=oslo(DEADLINE - 20 * DAY))  # fmt: skip
    run_at(oslo(DEADLINE - 8 * DAY), django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()
    run_at(oslo(DEADLINE - 7 * DAY, 7), django_capture_on_commit_callbacks)
    run_at(oslo(DEADLINE - 6 * DAY, 7), django_capture_on_commit_callbacks)
    run_at(oslo(DEADLINE - 2 * DAY, 7), django_capture_on_commit_callbacks)
    # One notice, to Arendal's leader (Sola's has sent in), about this round and municipality;
    # already e-mailed (the reminder itself), so the daily digest does not repeat it.
    notice = Notification.objects.get()
    assert (notice.user, notice.kind, notice.evaluation_round, notice.municipality) == (
        personas.leader_a, "evaluation_due", round_, personas.arendal,
    )  # fmt: skip
    assert notice.emailed_at is not None and notice.read_at is None
    assert len(mail.outbox) == 1
    with time_machine.travel(oslo(DEADLINE - 2 * DAY, 8), tick=False):
        client.force_login(personas.leader_a)
        page = client.get(reverse("participation:notifications"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Svarfristen for evalueringen «Midtveis 2027» er 15.3.2027" in text
    assert "prosjektgruppen i Arendal har ikke sendt inn svaret" in text
    assert f'href="{reverse("evaluations:municipality_rounds", args=["4203"])}"' in text
    client.force_login(personas.leader_b)
    assert "Midtveis 2027" not in client.get(reverse("participation:notifications")).text
