"""The cron commands call the services with the real clock; running them twice changes nothing."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ungkultur.enrolment.models import Enrolment
from ungkultur.enrolment.tests.conftest import born

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


def run(name):
    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue()


def test_expire_offers(current, fill):
    first, _, waiting, after = fill(
        current.a.workshop, 4, now=timezone.now() - datetime.timedelta(days=5), birth_year=born(14)
    )
    Enrolment.objects.filter(pk=waiting.pk).update(
        status=Status.OFFERED, answer_by=timezone.now() - datetime.timedelta(minutes=1)
    )
    Enrolment.objects.filter(pk=first.pk).update(
        status=Status.ENDED, end=first.start, end_reason="moved"
    )
    assert run("expire_offers") == "1 offered place(s) expired.\n"
    waiting.refresh_from_db()
    after.refresh_from_db()
    assert waiting.status == Status.EXPIRED
    assert after.status == Status.OFFERED
    assert run("expire_offers") == "0 offered place(s) expired.\n"


def test_close_reregistration(current, fill):
    (pupil,) = fill(
        current.a.workshop, 1, now=timezone.now() - datetime.timedelta(days=5), birth_year=born(14)
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Enrolment.objects.filter(pk=pupil.pk).update(
        reregistration_deadline=yesterday, start=yesterday - datetime.timedelta(days=3)
    )
    assert run("close_reregistration") == "1 place(s) ended for want of re-registration.\n"
    pupil.refresh_from_db()
    assert (pupil.status, pupil.end, pupil.end_reason) == (Status.ENDED, yesterday, "unknown")
    assert run("close_reregistration") == "0 place(s) ended for want of re-registration.\n"


def test_send_reminders(current, fill, django_capture_on_commit_callbacks):
    active, _, waiting = fill(
        current.a.workshop, 3, now=timezone.now() - datetime.timedelta(days=5), birth_year=born(14)
    )
    Enrolment.objects.filter(pk=waiting.pk).update(
        status=Status.OFFERED, answer_by=timezone.now() + datetime.timedelta(hours=2)
    )
    Enrolment.objects.filter(pk=active.pk).update(reregistration_deadline=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        assert run("send_reminders") == "2 reminder(s) sent.\n"
    assert sorted(m.to for m in mail.outbox) == sorted(
        [[active.participant.user.email], [waiting.participant.user.email]]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert run("send_reminders") == "0 reminder(s) sent.\n"
    assert len(mail.outbox) == 2
