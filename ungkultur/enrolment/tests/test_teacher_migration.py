"""The data migration that limits teachers to the offers they teach keeps them taking the
attendance they took."""

import datetime
import importlib

import pytest
from django.apps import apps

from ungkultur.enrolment.models import Attendance
from ungkultur.enrolment.services import enrolment_join
from ungkultur.enrolment.tests.conftest import make_session

pytestmark = pytest.mark.django_db

teachers_from_attendance = importlib.import_module(
    "ungkultur.enrolment.migrations.0005_offer_teachers_from_attendance"
)


# Fixed instants, not "200 days ago": the piano's application deadline is 1 June 2026, and a join
# counted back from today fell after it from mid-December on.
JOINED = datetime.datetime(2026, 5, 15, 10, tzinfo=datetime.UTC)
SESSION = datetime.datetime(2026, 9, 15, 15, tzinfo=datetime.UTC)


def test_a_teacher_who_took_an_offers_attendance_teaches_it(personas):
    workshop = personas.a.workshop
    personas.a.piano.teachers.clear()
    # The library's offer: the kulturskole teacher recorded it, but does not teach in the library.
    for offer in (personas.a.piano, workshop):
        enrolment = enrolment_join(
            actor=personas.youth_a,
            offer=offer,
            person=personas.youth_a,
            now=JOINED,
        )
        Attendance.objects.create(
            session=make_session(offer, SESSION),
            enrolment=enrolment,
            present=True,
            recorded_by=personas.teacher_a,
            recorded_at=SESSION,
        )
    teachers_from_attendance.teachers_who_took_attendance(apps, None)
    assert list(personas.a.piano.teachers.all()) == [personas.teacher_a]
    assert not workshop.teachers.exists()
    # Run twice, it adds nothing more.
    teachers_from_attendance.teachers_who_took_attendance(apps, None)
    assert personas.a.piano.teachers.count() == 1
