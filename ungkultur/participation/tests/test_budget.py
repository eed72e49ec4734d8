import datetime

import pytest
from django.urls import reverse

from ungkultur.core.models import AuditEntry
from ungkultur.participation import services
from ungkultur.participation.models import Ballot, BudgetProject, BudgetRound, Notification
from ungkultur.participation.tests.conftest import NOW
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)

# The round's windows relative to NOW; a test moves NOW into the phase it needs.
PROPOSING = NOW
CHECKING = NOW + 12 * DAY
VOTING = NOW + 22 * DAY
CLOSED = NOW + 40 * DAY


@pytest.fixture
def round_(personas):
    return BudgetRound.objects.create(
        municipality=personas.arendal,
        title="Ungdomsbudsjett 2027",
        amount=100_000,
        propose_opens=NOW - DAY,
        propose_closes=NOW + 10 * DAY,
        vote_opens=NOW + 20 * DAY,
        vote_closes=NOW + 30 * DAY,
        age_min=13,
        age_max=19,
    )


def project(round_, title, cost, feasibility="feasible", author=None):
    return BudgetProject.objects.create(
        round=round_,
        author=author,
        author_name="Ung",
        title=title,
        description="Beskrivelse",
        cost=cost,
        created_at=NOW,
        feasibility=feasibility,
    )


@pytest.fixture
def at(frozen_now, monkeypatch):
    from django.utils import timezone

    def move(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return move


def test_project_leader_creates_a_round(client, personas):
    url = reverse("participation:budget_new", args=["4203"])
    data = {
        "title": "Ungdomsbudsjett",
        "amount": 50000,
        "propose_opens": "2026-12-01T00:00",
        "propose_closes": "2027-01-01T00:00",
        "vote_opens": "2027-01-15T00:00",
        "vote_closes": "2027-02-01T00:00",
        "age_min": 13,
        "age_max": 19,
    }
    client.force_login(personas.teacher_a)
    assert client.post(url, data).status_code == 403
    client.force_login(personas.leader_b)
    assert client.post(url, data).status_code == 404
    client.force_login(personas.leader_a)
    bad = client.post(url, {**data, "vote_opens": "2026-12-15T00:00"})
    assert bad.status_code == 400
    assert "Avstemningen kan ikke begynne før forslagsperioden er over." in bad.text
    assert not BudgetRound.objects.exists()
    assert client.post(url, data).status_code == 302
    assert BudgetRound.objects.get().amount == 50000


@pytest.mark.parametrize(
    ("who", "moment", "status"),
    [
        ("youth_a", PROPOSING, 200),
        ("youth_a", CHECKING, 403),  # the window has closed
        ("child_a", PROPOSING, 403),  # too young for this round
        ("leader_a", PROPOSING, 403),
        ("youth_b", PROPOSING, 404),
    ],
)
def test_who_may_propose_a_project_when(client, personas, round_, at, who, moment, status):
    at(moment)
    client.force_login(getattr(personas, who))
    url = reverse("participation:budget_project_new", args=[round_.pk])
    assert client.get(url).status_code == status


def test_youth_proposes_a_project(client, personas, round_):
    client.force_login(personas.youth_a)
    url = reverse("participation:budget_project_new", args=[round_.pk])
    too_dear = client.post(url, {"title": "Scene", "description": "Ny scene", "cost": 200_000})
    assert too_dear.status_code == 400
    assert "mer enn hele budsjettet" in too_dear.text
    assert (
        client.post(url, {"title": "Scene", "description": "Ny", "cost": 40_000}).status_code == 302
    )
    created = BudgetProject.objects.get()
    assert (created.author, created.feasibility) == (personas.youth_a, "pending")


def test_staff_check_projects_before_the_vote(client, personas, round_, at):
    scene = project(round_, "Scene", 40_000, feasibility="pending")
    url = reverse("participation:budget_project_check", args=[scene.pk])
    client.force_login(personas.youth_a)
    assert client.post(url, {"feasibility": "feasible"}).status_code == 403
    client.force_login(personas.teacher_b)
    assert client.post(url, {"feasibility": "feasible"}).status_code == 404
    client.force_login(personas.teacher_a)
    no_reason = client.post(url, {"feasibility": "not_feasible", "reason": ""})
    assert no_reason.status_code == 400
    assert "Forklar hvorfor" in no_reason.text
    response = client.post(url, {"feasibility": "not_feasible", "reason": "Huset rives i 2027."})
    assert response.status_code == 302
    scene.refresh_from_db()
    assert (scene.feasibility, scene.feasibility_reason) == ("not_feasible", "Huset rives i 2027.")
    at(VOTING)
    client.force_login(personas.teacher_a)
    assert client.post(url, {"feasibility": "feasible"}).status_code == 403


@pytest.mark.parametrize(
    ("who", "moment", "status"),
    [
        ("youth_a", VOTING, 200),
        ("youth_member_a", VOTING, 200),
        ("youth_a", CHECKING, 403),
        ("youth_a", CLOSED, 403),
        ("child_a", VOTING, 403),
        ("leader_a", VOTING, 403),
        ("youth_b", VOTING, 404),
    ],
)
def test_who_may_vote_when(client, personas, round_, at, who, moment, status):
    at(moment)
    client.force_login(getattr(personas, who))
    assert client.get(reverse("participation:budget_vote", args=[round_.pk])).status_code == status


def test_a_ballot_stays_within_the_budget_and_can_be_changed(client, personas, round_, at):
    a = project(round_, "Lydstudio", 60_000)
    b = project(round_, "Graffitivegg", 50_000)
    c = project(round_, "Filmkurs", 30_000)
    nope = project(round_, "Konsert", 10_000, feasibility="not_feasible")
    at(VOTING)
    client.force_login(personas.youth_a)
    url = reverse("participation:budget_vote", args=[round_.pk])
    over = client.post(url, {"projects": [a.pk, b.pk]})
    assert over.status_code == 400
    assert "koster 110\u00a0000 kr, men budsjettet er 100\u00a0000 kr" in over.text
    assert client.post(url, {"projects": [nope.pk]}).status_code == 400
    assert client.post(url, {"projects": []}).status_code == 400
    assert not Ballot.objects.exists()
    assert client.post(url, {"projects": [a.pk, c.pk]}).status_code == 302
    assert client.post(url, {"projects": [b.pk]}).status_code == 302
    ballot = Ballot.objects.get()
    assert list(ballot.projects.all()) == [b]
    assert AuditEntry.objects.filter(action="participation.vote_change").count() == 1


def test_result_funds_in_vote_order_while_money_remains(client, personas, round_, at):
    a = project(round_, "Lydstudio", 60_000, author=personas.youth_b)
    b = project(round_, "Graffitivegg", 50_000)
    c = project(round_, "Filmkurs", 30_000)
    voters = [
        make_user(
            f"velger{n}@example.org", first_name="V", birth_year=2010, municipality=personas.arendal
        )
        for n in range(4)
    ]
    at(VOTING)
    for voter, choice in zip(voters, [[a, c], [a], [b], [b, c]], strict=True):
        services.ballot_cast(actor=voter, round=round_, projects=choice, now=VOTING)
    url = reverse("participation:budget_publish", args=[round_.pk])
    client.force_login(personas.leader_a)
    early = client.post(url)
    assert early.status_code == 400
    assert "Resultatet kan publiseres når avstemningen er over." in early.text
    at(CLOSED)
    client.force_login(personas.teacher_a)
    assert client.post(url).status_code == 403
    client.force_login(personas.leader_a)
    assert client.post(url).status_code == 302
    round_.refresh_from_db()
    assert round_.published_at == CLOSED
    # Two votes each: the lower cost first (c, b), then a no longer fits.
    results = {p.title: (p.votes, p.funded) for p in round_.projects.all()}
    assert results == {
        "Filmkurs": (2, True),
        "Graffitivegg": (2, True),
        "Lydstudio": (2, False),
    }
    assert Notification.objects.filter(kind="budget_result").count() == 5  # 4 voters + author
    page = client.get(reverse("participation:budget_detail", args=[round_.pk]))
    assert "Resultatet er klart." in page.text
    assert client.post(url).status_code == 400  # already published


def test_funded_projects_are_followed_with_progress(client, personas, round_, at):
    funded = project(round_, "Filmkurs", 30_000)
    BudgetProject.objects.filter(pk=funded.pk).update(funded=True, votes=3)
    BudgetRound.objects.filter(pk=round_.pk).update(published_at=CLOSED)
    at(CLOSED)
    url = reverse("participation:budget_project_progress", args=[funded.pk])
    client.force_login(personas.teacher_a)
    assert client.post(url, {"progress": 50}).status_code == 403
    client.force_login(personas.leader_a)
    assert client.post(url, {"progress": 150}).status_code == 400
    assert client.post(url, {"progress": 50, "note": "Kurset er i gang"}).status_code == 302
    funded.refresh_from_db()
    assert funded.progress == 50
    page = client.get(reverse("participation:budget_detail", args=[round_.pk]))
    assert "Framdrift: 50 %" in page.text
