import datetime

import pytest
from django.urls import reverse

from ungkultur.participation.models import Proposal, ProposalSupport
from ungkultur.participation.selectors import proposal_figures
from ungkultur.participation.tests.conftest import NOW

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def add(personas, *, submitted, status="submitted", answered=None, municipality=None, n=0):
    return Proposal.objects.create(
        municipality=municipality or personas.arendal,
        author=personas.youth_a,
        author_name="UngdomA",
        title=f"Forslag {n}",
        text="Tekst",
        category="music",
        status=status,
        submitted_at=submitted,
        answer_due=(submitted + 30 * DAY).date(),
        answered_at=answered,
    )


@pytest.fixture
def mixed(personas):
    """Six proposals: two answered in time (10 and 20 days), one late (40 days), one overdue,
    one still within its deadline, and one implemented after 6 days."""
    start = NOW - 100 * DAY
    add(personas, submitted=start, status="accepted", answered=start + 10 * DAY, n=1)
    add(personas, submitted=start, status="rejected", answered=start + 20 * DAY, n=2)
    add(personas, submitted=start, status="partly_accepted", answered=start + 40 * DAY, n=3)
    add(personas, submitted=start, n=4)
    add(personas, submitted=NOW - 5 * DAY, n=5)
    add(personas, submitted=start, status="implemented", answered=start + 6 * DAY, n=6)
    add(personas, submitted=start, municipality=personas.sola, n=7)


def test_figures_follow_the_definitions(personas, mixed):
    figures = proposal_figures(
        Proposal.objects.filter(municipality=personas.arendal), today=NOW.date()
    )
    assert figures.total == 6
    assert figures.answered == 4
    assert figures.overdue == 1
    assert figures.due == 5
    assert figures.answered_in_time == 3
    assert figures.share_in_time == pytest.approx(3 / 5)
    assert figures.accepted == 3  # accepted, partly accepted, implemented
    assert figures.share_accepted == pytest.approx(3 / 4)
    assert figures.implemented == 1
    assert figures.share_implemented == pytest.approx(1 / 3)
    assert figures.median_days == 15  # 6, 10, 20, 40


def test_answered_on_the_deadline_day_is_in_time(personas):
    submitted = datetime.datetime(2026, 9, 1, 10, tzinfo=datetime.UTC)
    # 22:30 UTC on the due date is already the next day in Oslo.
    add(
        personas,
        submitted=submitted,
        status="rejected",
        answered=datetime.datetime(2026, 10, 1, 21, 30, tzinfo=datetime.UTC),
    )
    add(
        personas,
        submitted=submitted,
        status="rejected",
        answered=datetime.datetime(2026, 10, 1, 22, 30, tzinfo=datetime.UTC),
    )
    figures = proposal_figures(Proposal.objects.all(), today=NOW.date())
    assert figures.answered_in_time == 1


def test_public_page_shows_status_answer_and_figures(client, personas, mixed):
    response = client.get(reverse("participation:proposal_list", args=["4203"]))
    assert response.status_code == 200
    assert response.context["figures"].total == 6
    assert "Hva skjedde med forslagene?" in response.text
    assert "60 %" in response.text  # answered within the deadline
    assert "Forslag 7" not in response.text  # Sola's
    assert "fristen er passert" in response.text


def test_public_page_filters_and_refuses_a_bad_filter(client, personas, mixed):
    url = reverse("participation:proposal_list", args=["4203"])
    response = client.get(url, {"status": "rejected"})
    assert [p.title for p in response.context["page"].object_list] == ["Forslag 2"]
    bad = client.get(url, {"status": "maybe"})
    assert bad.status_code == 400
    assert "Velg en status i listen" in bad.text
    assert client.get(url, {"page": "99"}).status_code == 404
    assert client.post(url).status_code == 405
    assert client.get(reverse("participation:proposal_list", args=["9999"])).status_code == 404


def test_public_page_queries_do_not_grow_with_proposals(
    client, personas, django_assert_max_num_queries
):
    start = NOW - 60 * DAY
    Proposal.objects.bulk_create(
        Proposal(
            municipality=personas.arendal,
            author_name="Ung",
            title=f"Idé {n}",
            text="Tekst",
            category="music",
            status="rejected" if n % 2 else "submitted",
            submitted_at=start + n * datetime.timedelta(minutes=5),
            answer_due=(start + 30 * DAY).date(),
            answered_at=start + 3 * DAY if n % 2 else None,
        )
        for n in range(900)
    )
    ProposalSupport.objects.create(
        proposal=Proposal.objects.first(), user=personas.youth_b, created_at=NOW
    )
    # municipality code (2: old numbers first), count, page with supports, figures
    with django_assert_max_num_queries(5):
        response = client.get(reverse("participation:proposal_list", args=["4203"]))
    assert len(response.context["page"].object_list) == 25
    assert response.context["figures"].total == 900


# --- API ------------------------------------------------------------------------------------


def test_api_lists_public_fields_only(client, personas, mixed):
    response = client.get("/api/v1/municipalities/4203/proposals")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 6
    first = next(r for r in data["results"] if r["title"] == "Forslag 1")
    assert first["author"] == "UngdomA"
    assert first["days_to_answer"] == 10
    assert first["status"] == "accepted"
    assert "email" not in str(data)
    assert "Testesen" not in str(data)
    bad = client.get("/api/v1/municipalities/4203/proposals", {"status": "nope"})
    assert bad.status_code == 400
    assert "Ukjent status" in bad.json()["error"]
    assert client.get("/api/v1/municipalities/9999/proposals").status_code == 404
    assert client.post("/api/v1/municipalities/4203/proposals").status_code == 405


def test_api_stats_per_term(client, personas, mixed):
    response = client.get("/api/v1/municipalities/4203/participation-stats")
    assert response.status_code == 200
    terms = {t["term"]: t for t in response.json()["terms"]}
    assert set(terms) == {"2026H"}
    assert terms["2026H"]["share_answered_within_deadline"] == 0.6
    assert terms["2026H"]["median_days_to_answer"] == 15
    one = client.get("/api/v1/municipalities/4203/participation-stats", {"term": "2025V"})
    assert one.json()["terms"] == [
        {
            "term": "2025V",
            "proposals": 0,
            "answered": 0,
            "due": 0,
            "answered_within_deadline": 0,
            "overdue": 0,
            "accepted": 0,
            "implemented": 0,
            "share_answered_within_deadline": None,
            "share_accepted": None,
            "share_implemented": None,
            "median_days_to_answer": None,
        }
    ]
    bad = client.get("/api/v1/municipalities/4203/participation-stats", {"term": "høst"})
    assert bad.status_code == 400
    assert "Ugyldig termin" in bad.json()["error"]


def test_cached_page_shows_a_change_at_once(
    client, personas, mixed, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from ungkultur.participation.tests.conftest import make_proposal

    url = reverse("participation:proposal_list", args=["4203"])
    assert "Helt ny idé" not in client.get(url).text
    # municipality only: the list and the figures come from the cache
    with django_assert_max_num_queries(1):
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        make_proposal(personas, title="Helt ny idé")
    assert "Helt ny idé" in client.get(url).text
