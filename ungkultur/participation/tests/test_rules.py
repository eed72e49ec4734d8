"""The windows are [start, end) and decided with an explicit now; deadlines are local dates."""

import datetime

import pytest

from ungkultur.participation.models import BudgetRound
from ungkultur.participation.rules import At
from ungkultur.participation.tests.conftest import make_proposal

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.fixture
def round_(personas):
    return BudgetRound.objects.create(
        municipality=personas.arendal,
        title="Runde",
        amount=1000,
        propose_opens=datetime.datetime(2026, 9, 1, 22, tzinfo=UTC),  # midnight in Oslo
        propose_closes=datetime.datetime(2026, 10, 1, 22, tzinfo=UTC),
        vote_opens=datetime.datetime(2026, 10, 24, 22, tzinfo=UTC),
        vote_closes=datetime.datetime(2026, 10, 31, 23, tzinfo=UTC),  # after the DST change
    )


def test_voting_opens_and_closes_on_the_second(personas, round_):
    youth = personas.youth_a
    opens, closes = round_.vote_opens, round_.vote_closes
    second = datetime.timedelta(seconds=1)
    assert not youth.has_perm("participation.vote", At(round_, opens - second))
    assert youth.has_perm("participation.vote", At(round_, opens))
    assert youth.has_perm("participation.vote", At(round_, closes - second))
    assert not youth.has_perm("participation.vote", At(round_, closes))


def test_age_is_counted_in_the_calendar_year_of_now(personas, round_):
    round_.age_min, round_.age_max = 16, 19
    youth = personas.youth_a  # born 2011: 15 in 2026, 16 in 2027
    assert not youth.has_perm("participation.vote", At(round_, round_.vote_opens))
    BudgetRound.objects.filter(pk=round_.pk).update(
        vote_opens=datetime.datetime(2026, 12, 31, 22, tzinfo=UTC),
        vote_closes=datetime.datetime(2027, 1, 10, tzinfo=UTC),
    )
    round_.refresh_from_db()
    round_.age_min = 16
    assert not youth.has_perm("participation.vote", At(round_, round_.vote_opens))  # 31.12 23:00
    new_year = datetime.datetime(2026, 12, 31, 23, tzinfo=UTC)  # 1 January in Oslo
    assert youth.has_perm("participation.vote", At(round_, new_year))


def test_the_deadline_counts_from_the_local_date(personas):
    # 23:30 UTC on 24 October is already 25 October in Oslo.
    late = make_proposal(personas, now=datetime.datetime(2026, 10, 24, 23, 30, tzinfo=UTC))
    assert late.answer_due == datetime.date(2026, 11, 24)
    early = make_proposal(personas, now=datetime.datetime(2026, 10, 24, 21, 30, tzinfo=UTC))
    assert early.answer_due == datetime.date(2026, 11, 23)
