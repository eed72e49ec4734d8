"""Two people cannot take the last place at the same time (PostgreSQL only: SQLite has one
writer anyway, and no row locks)."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from ungkultur.catalogue.models import Offer
from ungkultur.enrolment.models import Enrolment
from ungkultur.enrolment.services import enrolment_join
from ungkultur.enrolment.tests.conftest import NOW
from ungkultur.testing import make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="row locks need PostgreSQL",
    ),
]


def test_two_youth_racing_for_the_last_place(personas):
    Offer.objects.filter(pk=personas.a.workshop.pk).update(capacity=1)
    youth = [
        make_user(f"kappl{n}@example.org", first_name=f"Kapp{n}", birth_year=2011) for n in range(2)
    ]
    start = threading.Barrier(2)
    errors = []

    def join(person):
        try:
            start.wait()
            enrolment_join(actor=person, offer=personas.a.workshop, person=person, now=NOW)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=join, args=(person,)) for person in youth]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Enrolment.objects.values_list("status", flat=True)) == ["active", "waiting"]
