import datetime

import pytest
from django.utils import timezone

from ungkultur.participation import services
from ungkultur.participation.models import Proposal

# A Thursday in the autumn term of 2026, Oslo time; youth_a (born 2011) is 15.
NOW = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    """Views call timezone.now(); the tests decide what it is."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def make_proposal(personas, *, author=None, municipality=None, now=NOW, title="Lydstudio"):
    return services.proposal_create(
        actor=author or personas.youth_a,
        municipality=municipality or personas.arendal,
        title=title,
        text="Et lydstudio på klubben, åpent fredager.",
        category="music",
        services=["club"],
        now=now,
    )


@pytest.fixture
def proposal(personas):
    return make_proposal(personas)


def answered(proposal, personas, *, status=Proposal.Status.ACCEPTED, now=NOW):
    return services.proposal_answer(
        actor=personas.leader_a,
        proposal=proposal,
        status=status,
        answer="Vi gjør det fra januar.",
        youth_participants=[personas.youth_member_a],
        now=now,
    )
