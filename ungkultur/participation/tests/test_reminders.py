"""The project group hears of a new proposal, is reminded before its answer deadline and when
it is late, each once; Min side lists what waits for an answer with the days left."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from ungkultur.organisations.models import Membership
from ungkultur.participation.models import Notification, ProposalReminder
from ungkultur.participation.services import digests_send, proposal_reminders_send
from ungkultur.participation.tasks import send_proposal_reminders
from ungkultur.participation.tests.conftest import NOW, answered, make_proposal
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
# Submitted 26.11.2026 with the default 30 days: the answer is due 26.12.2026.
DUE = datetime.date(2026, 12, 26)


@pytest.fixture(autouse=True)
def frozen_now():
    """These tests move the real clock with time-machine instead of patching timezone.now."""
    return NOW


def at(day: datetime.date, hour=7):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=OSLO)


@pytest.fixture
def member_a(personas):
    """A second adult in Arendal's project group (not the leader)."""
    user = make_user("medlem.a@example.org", first_name="MedlemA", municipality=personas.arendal)
    Membership.objects.create(
        group=personas.a.project_group,
        user=user,
        role=Membership.Role.MEMBER,
        start=datetime.date(2020, 1, 1),
    )
    return user


@pytest.fixture
def submitted(personas, member_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_proposal(personas)


def run_on(day, django_capture_on_commit_callbacks, hour=7):
    """The daily cron job, run with the clock moved to this day."""
    with time_machine.travel(at(day, hour), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_proposal_reminders")


def test_new_proposal_tells_the_project_group(personas, member_a, submitted, mailoutbox):
    assert submitted.answer_due == DUE
    notices = Notification.objects.filter(kind=Notification.Kind.NEW_PROPOSAL)
    assert sorted(n.user_id for n in notices) == sorted([personas.leader_a.pk, member_a.pk])
    # Not the youth members (derived into the project group), not another municipality.
    assert not Notification.objects.filter(
        user__in=[personas.youth_member_a, personas.leader_b, personas.teacher_a]
    ).exists()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([personas.leader_a.email, member_a.email])
    mail = mailoutbox[0]
    assert "Lydstudio" in mail.subject
    assert "26.12.2026" in mail.body
    assert reverse("participation:proposal_detail", args=[submitted.pk]) in mail.body
    # The notices went by e-mail already: the daily digest does not send them again.
    assert all(n.emailed_at is not None for n in notices)
    assert digests_send(now=NOW) == 0


def test_reminders_before_the_deadline_and_when_late_each_once(
    personas, member_a, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    soon = Notification.objects.filter(user=personas.leader_a, kind=Notification.Kind.ANSWER_SOON)
    late = Notification.objects.filter(user=personas.leader_a, kind=Notification.Kind.ANSWER_LATE)
    # Eight days left: nothing yet.
    run_on(DUE - datetime.timedelta(days=8), django_capture_on_commit_callbacks)
    assert mailoutbox == [] and not soon.exists()
    # Seven days left: the first reminder, to leader and member.
    run_on(DUE - datetime.timedelta(days=7), django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2 and soon.count() == 1
    assert "om 7 dager" in mailoutbox[0].body
    # The task runs twice the same day, and the next day: nobody is reminded again.
    run_on(DUE - datetime.timedelta(days=7), django_capture_on_commit_callbacks, hour=19)
    run_on(DUE - datetime.timedelta(days=6), django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2 and soon.count() == 1
    # Two days left: the second reminder.
    run_on(DUE - datetime.timedelta(days=2), django_capture_on_commit_callbacks)
    run_on(DUE - datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 4 and soon.count() == 2
    assert "om 2 dager" in mailoutbox[-1].body
    # The deadline day itself is not late.
    run_on(DUE, django_capture_on_commit_callbacks)
    assert not late.exists()
    # The day after: late, once, however often it runs.
    for extra in (1, 1, 5, 15):
        run_on(DUE + datetime.timedelta(days=extra), django_capture_on_commit_callbacks)
    assert late.count() == 1 and len(mailoutbox) == 6
    assert "svarfristen gikk ut 26.12.2026 (1 dag siden)" in mailoutbox[-1].body
    assert "Svarfristen er passert" in mailoutbox[-1].subject
    assert set(submitted.reminders.values_list("stage", flat=True)) == {
        "new",
        "before-7",
        "before-2",
        "late",
    }


def test_a_missed_run_sends_only_the_nearest_reminder(
    personas, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    run_on(DUE - datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    run_on(DUE - datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    assert set(submitted.reminders.values_list("stage", flat=True)) == {"new", "before-2"}


def test_the_days_are_a_setting(personas, submitted, settings):
    settings.UNGKULTUR_PARTICIPATION_REMINDER_DAYS = (3,)
    assert proposal_reminders_send(now=at(DUE - datetime.timedelta(days=4))) == 0
    assert proposal_reminders_send(now=at(DUE - datetime.timedelta(days=3))) == 1
    assert proposal_reminders_send(now=at(DUE - datetime.timedelta(days=2))) == 0


def test_answered_proposals_are_not_reminded(personas, submitted):
    answered(submitted, personas)
    assert proposal_reminders_send(now=at(DUE - datetime.timedelta(days=2))) == 0
    assert proposal_reminders_send(now=at(DUE + datetime.timedelta(days=3))) == 0
    assert set(submitted.reminders.values_list("stage", flat=True)) == {"new"}


def test_the_periodic_task_sends_them(personas, submitted):
    with time_machine.travel(at(DUE + datetime.timedelta(days=2)), tick=False):
        assert send_proposal_reminders.call() == 1
        assert send_proposal_reminders.call() == 0
    assert ProposalReminder.objects.filter(proposal=submitted, stage="late").count() == 1


def test_min_side_lists_what_waits_with_days_left(personas, member_a, submitted, client):
    make_proposal(personas, municipality=personas.sola, author=personas.youth_b, title="Sola-idé")
    with time_machine.travel(at(DUE - datetime.timedelta(days=4), hour=12), tick=False):
        client.force_login(member_a)
        page = client.get(reverse("mypage:index")).content.decode()
    assert "Forslag som venter på svar" in page
    assert "Lydstudio" in page
    assert "svar innen 26.12.2026, 4 dager igjen" in page
    assert "Sola-idé" not in page  # another municipality's proposal
    with time_machine.travel(at(DUE + datetime.timedelta(days=15), hour=12), tick=False):
        client.force_login(personas.leader_a)
        page = client.get(reverse("mypage:index")).content.decode()
    assert "svarfristen gikk ut 26.12.2026, 15 dager siden" in page
    # Staff outside the project group and the youth member have no such list.
    for user in (personas.teacher_a, personas.youth_member_a):
        client.force_login(user)
        assert (
            "Forslag som venter på svar" not in client.get(reverse("mypage:index")).content.decode()
        )
    # Sola's leader sees Sola's proposal, not Arendal's.
    client.force_login(personas.leader_b)
    page = client.get(reverse("mypage:index")).content.decode()
    assert "Sola-idé" in page and "Lydstudio" not in page
    # Once answered it no longer waits (the notices about it stay).
    answered(submitted, personas)
    client.force_login(member_a)
    page = client.get(reverse("mypage:index")).content.decode()
    assert 'data-testid="waiting-proposals"' not in page
