"""Votes and supports count only from real youth (issue 19): the ballot stuffing seen by a
security review (a vote from 7 to 10 ballots through three throwaway accounts) fails."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from ungkultur.accounts.models import User
from ungkultur.accounts.tests.helpers import YOUTH_PASSWORD, registration_data
from ungkultur.core.models import AuditEntry
from ungkultur.participation.models import Ballot, BudgetProject, BudgetRound, ProposalSupport
from ungkultur.participation.tests.conftest import NOW, make_proposal
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
VOTING = NOW + 22 * DAY


def _round(personas, **fields):
    return BudgetRound.objects.create(
        municipality=personas.arendal,
        title="Ungdomsbudsjett 2027",
        amount=100_000,
        propose_opens=NOW - DAY,
        propose_closes=NOW + 10 * DAY,
        vote_opens=NOW + 20 * DAY,
        vote_closes=NOW + 30 * DAY,
        **fields,
    )


@pytest.fixture
def voting_round(personas, monkeypatch):
    from django.utils import timezone

    round_ = _round(personas)
    project = BudgetProject.objects.create(
        round=round_,
        author_name="Ung",
        title="Lydstudio",
        description="Et studio",
        cost=60_000,
        created_at=NOW,
        feasibility="feasible",
    )
    for i in range(7):
        voter = make_user(
            f"velger{i}@example.org", first_name="V", birth_year=2011, municipality=personas.arendal
        )
        ballot = Ballot.objects.create(round=round_, voter=voter, cast_at=NOW)
        ballot.projects.set([project])
    monkeypatch.setattr(timezone, "now", lambda: VOTING)
    return round_, project


def _throwaway(client, n):
    """Register as a security reviewer did: a made-up e-mail, birth year and municipality."""
    email = f"kaste{n}@example.org"
    data = registration_data(age=15, email=email, first_name=f"Kaste{n}")
    assert client.post(reverse("accounts:register"), data).status_code == 200
    client.post(reverse("accounts:login"), {"username": email, "password": YOUTH_PASSWORD})
    return User.objects.get(email=email)


def test_three_throwaway_accounts_do_not_stuff_the_ballot_box(client, personas, voting_round):
    round_, project = voting_round
    url = reverse("participation:budget_vote", args=[round_.pk])
    for n in range(3):
        client.logout()
        user = _throwaway(client, n)
        assert client.session["_auth_user_id"] == str(user.pk)
        assert client.get(url).status_code == 403
        assert client.post(url, {"projects": [project.pk]}).status_code == 403
        page = client.get(reverse("participation:budget_detail", args=[round_.pk]))
        assert "du først bekrefte e-postadressen din" in page.text
    assert Ballot.objects.filter(round=round_).count() == 7


def test_a_confirmed_youth_votes(
    client, personas, voting_round, django_capture_on_commit_callbacks
):
    round_, project = voting_round
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:register"), registration_data(age=15))
    link = re.search(r"https?://[^/\s]+(/konto/e-post/bekreft/\S+/)", mail.outbox[-1].body)[1]
    assert client.post(link).status_code == 200
    user = User.objects.get(email="nora@example.org")
    assert user.email_confirmed_at == VOTING
    assert AuditEntry.objects.filter(action="user.email_confirmed", actor=user).exists()
    client.post(reverse("accounts:login"), {"username": user.email, "password": YOUTH_PASSWORD})
    url = reverse("participation:budget_vote", args=[round_.pk])
    assert client.post(url, {"projects": [project.pk]}).status_code == 302
    assert Ballot.objects.filter(round=round_).count() == 8


def test_an_unconfirmed_youth_neither_proposes_nor_supports(client, personas):
    proposal = make_proposal(personas, author=personas.youth_member_a)
    youth = make_user(
        "ny@example.org",
        first_name="Ny",
        birth_year=2011,
        municipality=personas.arendal,
        email_confirmed_at=None,
    )
    client.force_login(youth)
    new = reverse("participation:proposal_new", args=["4203"])
    assert client.get(new).status_code == 403
    support = reverse("participation:proposal_support", args=[proposal.pk])
    assert client.post(support).status_code == 403
    assert not ProposalSupport.objects.exists()
    youth.email_confirmed_at = NOW
    youth.save()
    client.force_login(youth)
    assert client.get(new).status_code == 200


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({}, 403),  # a confirmed e-mail is not enough for this round
        ({"identity_provider": "idporten"}, 403),  # the claims gave no birth year/municipality
        ({"identity_provider": "idporten", "birth_year_verified": True}, 403),
        (
            {
                "identity_provider": "feide",
                "birth_year_verified": True,
                "municipality_verified": True,
            },
            200,
        ),
    ],
)
def test_a_round_asking_for_id_porten_or_feide(client, personas, monkeypatch, fields, status):
    from django.utils import timezone

    round_ = _round(personas, proof=BudgetRound.Proof.EID)
    monkeypatch.setattr(timezone, "now", lambda: VOTING)
    youth = make_user(
        "eid@example.org", first_name="E", birth_year=2011, municipality=personas.arendal, **fields
    )
    client.force_login(youth)
    assert client.get(reverse("participation:budget_vote", args=[round_.pk])).status_code == status


def test_the_municipality_sets_the_proof(client, personas):
    client.force_login(personas.leader_a)
    data = {
        "title": "Ungdomsbudsjett",
        "amount": 50000,
        "propose_opens": "2026-12-01T00:00",
        "propose_closes": "2027-01-01T00:00",
        "vote_opens": "2027-01-15T00:00",
        "vote_closes": "2027-02-01T00:00",
        "age_min": 13,
        "age_max": 19,
        "proof": "eid",
    }
    url = reverse("participation:budget_new", args=["4203"])
    assert client.post(url, {**data, "proof": "sms"}).status_code == 400
    assert not BudgetRound.objects.exists()
    assert client.post(url, data).status_code == 302
    round_ = BudgetRound.objects.get()
    assert round_.proof == "eid"
    assert AuditEntry.objects.get(action="participation.budget_round_create").changes["proof"] == (
        "eid"
    )
    page = client.get(reverse("participation:budget_detail", args=[round_.pk]))
    assert "ID-porten eller Feide, med alder og bostedskommune derfra" in page.text
