"""Two simultaneous votes by one youth end as one ballot (PostgreSQL only: SQLite has one
writer anyway)."""

import datetime
import threading

import pytest
from django.conf import settings
from django.db import connection

from ungkultur.participation.models import Ballot, BudgetProject, BudgetRound
from ungkultur.participation.services import ballot_cast
from ungkultur.participation.tests.conftest import NOW

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="concurrent writers need PostgreSQL",
    ),
]
DAY = datetime.timedelta(days=1)


def test_two_votes_at_once_end_as_one_ballot(personas):
    round_ = BudgetRound.objects.create(
        municipality=personas.arendal,
        title="Ungdomsbudsjett",
        amount=100_000,
        propose_opens=NOW - 30 * DAY,
        propose_closes=NOW - 20 * DAY,
        vote_opens=NOW - DAY,
        vote_closes=NOW + DAY,
    )
    projects = [
        BudgetProject.objects.create(
            round=round_,
            author_name="Ung",
            title=title,
            description="-",
            cost=30_000,
            created_at=NOW - 25 * DAY,
            feasibility="feasible",
        )
        for title in ("Lydstudio", "Filmkurs")
    ]
    start = threading.Barrier(2)
    errors = []

    def vote(project):
        try:
            start.wait()
            ballot_cast(actor=personas.youth_a, round=round_, projects=[project], now=NOW)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(p,)) for p in projects]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ballot = Ballot.objects.get(round=round_, voter=personas.youth_a)
    chosen = list(ballot.projects.all())
    assert len(chosen) == 1
    assert chosen[0] in projects
