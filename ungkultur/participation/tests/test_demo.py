import datetime

import pytest

from ungkultur.participation.models import (
    Ballot,
    BudgetRound,
    Comment,
    Poll,
    PollResponse,
    Proposal,
    ProposalSupport,
)
from ungkultur.participation.selectors import proposal_figures

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 26)


def test_demo_has_proposals_in_every_state_and_is_idempotent():
    from ungkultur.demo.seed import seed_demo

    seed_demo(today=TODAY)
    counts = [
        m.objects.count()
        for m in (Proposal, ProposalSupport, Comment, BudgetRound, Ballot, Poll, PollResponse)
    ]
    seed_demo(today=TODAY)
    assert [
        m.objects.count()
        for m in (Proposal, ProposalSupport, Comment, BudgetRound, Ballot, Poll, PollResponse)
    ] == counts
    arendal = Proposal.objects.filter(municipality__code="4203")
    assert set(arendal.values_list("status", flat=True)) == set(Proposal.Status.values)
    figures = proposal_figures(arendal, today=TODAY)
    assert figures.overdue == 1
    assert figures.implemented == 1
    assert (
        BudgetRound.objects.get(municipality__code="4203").phase(
            datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC)
        )
        == "voting"
    )
    assert BudgetRound.objects.filter(published_at__isnull=False).count() == 3
