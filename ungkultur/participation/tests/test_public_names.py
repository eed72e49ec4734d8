"""Youth are not named in public (docs/privacy.md): open pages and the open API show a youth's
chosen nickname or nothing, and resource-group youth who took part in a decision as a count
unless every one of them has consented to be named."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from ungkultur.accounts.models import Consent
from ungkultur.core.models import AuditEntry
from ungkultur.meetings.models import ActionItem, Attendance, Event
from ungkultur.organisations.models import Membership
from ungkultur.participation import services
from ungkultur.participation.models import BudgetProject, BudgetRound, Comment, Proposal
from ungkultur.participation.tests.conftest import NOW, answered, make_proposal
from ungkultur.testing import START, make_user
from ungkultur.ukm.models import Innslag, InnslagPerson, UkmEvent

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def theo(personas):
    """Arendal's youth, called Theo Hansen, without a nickname."""
    user = personas.youth_a
    user.first_name, user.last_name, user.nickname = "Theo", "Hansen", ""
    user.save()
    return user


@pytest.fixture
def footprint(personas, theo):
    """Everything Theo left where the public can look: a proposal and a comment, a budget
    project, a place in a decision of the resource group, a meeting, an UKM entry."""
    Membership.objects.create(
        group=personas.a.resource_group, user=theo, role=Membership.Role.YOUTH_MEMBER, start=START
    )
    proposal = make_proposal(personas, author=theo)
    services.comment_create(actor=theo, proposal=proposal, text="Jeg kan hjelpe til.", now=NOW)
    decided = make_proposal(personas, author=personas.youth_member_a, title="Skatepark")
    services.proposal_answer(
        actor=personas.leader_a,
        proposal=decided,
        status=Proposal.Status.ACCEPTED,
        answer="Vi bygger den i vår.",
        youth_participants=[theo, personas.youth_member_a],
        now=NOW,
    )
    round_ = BudgetRound.objects.create(
        municipality=personas.arendal,
        title="Ungdomsbudsjett 2027",
        amount=100_000,
        propose_opens=NOW - DAY,
        propose_closes=NOW + 10 * DAY,
        vote_opens=NOW + 20 * DAY,
        vote_closes=NOW + 30 * DAY,
    )
    project = services.budget_project_create(
        actor=theo,
        round=round_,
        title="Scene",
        description="En scene i parken.",
        cost=40_000,
        now=NOW,
    )
    BudgetProject.objects.filter(pk=project.pk).update(feasibility="feasible")
    event = Event.objects.create(
        kind=Event.Kind.THEME_MEETING,
        municipality=personas.arendal,
        title="Temamøte om skatepark",
        starts_at=NOW - DAY,
        ends_at=NOW - DAY + datetime.timedelta(hours=2),
        created_at=NOW - 10 * DAY,
    )
    Attendance.objects.create(event=event, user=theo, is_youth=True)
    ActionItem.objects.create(
        event=event, owner=theo, what="Tegne skissen", due=NOW.date(), created_at=NOW
    )
    ukm = UkmEvent.objects.create(
        unit=personas.a.ukm,
        name="UKM Arendal",
        starts_at=NOW + 14 * DAY,
        venue=personas.a.venue,
        signup_opens=NOW - DAY,
        signup_closes=NOW + 7 * DAY,
    )
    innslag = Innslag.objects.create(
        event=ukm, type="music", name="Bandet", contact=theo, created_at=NOW
    )
    InnslagPerson.objects.create(
        innslag=innslag, user=theo, first_name="Theo", last_name="Hansen", birth_year=2011
    )
    return {"proposal": proposal, "decided": decided, "round": round_, "event": event, "ukm": ukm}


def public_pages(personas, footprint):
    code = personas.arendal.code
    return [
        reverse("participation:proposal_list", args=[code]),
        reverse("participation:proposal_list", args=[code]) + "?status=accepted",
        reverse("participation:proposal_detail", args=[footprint["proposal"].pk]),
        reverse("participation:proposal_detail", args=[footprint["decided"].pk]),
        reverse("participation:budget_list", args=[code]),
        reverse("participation:budget_detail", args=[footprint["round"].pk]),
        reverse("meetings:event_detail", args=[footprint["event"].pk]),
        reverse("meetings:municipality_events", args=[code]),
        reverse("ukm:event_detail", args=[footprint["ukm"].pk]),
        reverse("ukm:event_list", args=[personas.a.ukm.pk]),
        reverse("organisations:municipality_detail", args=[code]),
        reverse("organisations:group_detail", args=[personas.a.resource_group.pk]),
        reverse("api:municipality_proposals", args=[code]),
        reverse("api:municipality_organisation", args=[code]),
        reverse("api:municipality_meetings", args=[code]) + "?period=all",
    ]


def _get_all(client, urls):
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def test_a_youth_without_a_nickname_is_named_nowhere_in_public(client, personas, footprint):
    pages = _get_all(client, public_pages(personas, footprint))
    for url, text in pages.items():
        for name in ("Theo", "Hansen", "RessursA"):
            assert name not in text, (name, url)
    detail = pages[reverse("participation:proposal_detail", args=[footprint["proposal"].pk])]
    assert "en ungdom" in detail and "En ungdom" in detail  # the proposal and the comment
    proposals = client.get(reverse("api:municipality_proposals", args=["4203"])).json()
    assert {p["author"] for p in proposals["results"]} == {None}
    # The resource group's part in a decision is a count in the API, never who.
    by_title = {p["title"]: p["resource_group_youth"] for p in proposals["results"]}
    assert by_title == {"Lydstudio": 0, "Skatepark": 2}


def test_a_chosen_nickname_is_shown_on_the_pages_and_in_the_api(
    client, personas, theo, footprint, django_capture_on_commit_callbacks
):
    client.get(reverse("participation:proposal_list", args=["4203"]))  # now in the cache
    client.force_login(theo)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("participation:profile"), {"nickname": "Blåbær", "email_digest": "on"}
        )
    assert response.status_code == 302
    client.logout()
    pages = _get_all(client, public_pages(personas, footprint))
    for url, text in pages.items():
        assert "Theo" not in text and "Hansen" not in text, url
    for url in (
        reverse("participation:proposal_list", args=["4203"]),
        reverse("participation:proposal_detail", args=[footprint["proposal"].pk]),
        reverse("participation:budget_detail", args=[footprint["round"].pk]),
    ):
        assert "Blåbær" in pages[url], url
    proposals = client.get(reverse("api:municipality_proposals", args=["4203"])).json()
    by_title = {p["title"]: p["author"] for p in proposals["results"]}
    assert by_title == {"Lydstudio": "Blåbær", "Skatepark": None}
    assert Comment.objects.get().author_name == "Blåbær"


def test_clearing_the_nickname_removes_it_everywhere(client, personas, theo, footprint):
    client.force_login(theo)
    client.post(reverse("participation:profile"), {"nickname": "Blåbær"})
    client.post(reverse("participation:profile"), {"nickname": ""})
    theo.refresh_from_db()
    assert theo.nickname == ""
    assert set(Proposal.objects.filter(author=theo).values_list("author_name", flat=True)) == {""}
    assert Comment.objects.get().author_name == ""
    assert BudgetProject.objects.get().author_name == ""
    changes = [
        e.changes["nickname"]
        for e in AuditEntry.objects.filter(action="participation.profile_update").order_by("pk")
    ]
    assert changes == [["", "Blåbær"], ["Blåbær", ""]]


@pytest.mark.parametrize(
    ("nickname", "message"),
    [
        ("Theo", "Kallenavnet kan ikke inneholde fornavnet eller etternavnet ditt."),
        ("hansen_07", "Kallenavnet kan ikke inneholde fornavnet eller etternavnet ditt."),
        ("theo@example.org", "Kallenavnet kan ikke være en e-postadresse eller en nettadresse."),
        ("41234567", "Kallenavnet kan ha høyst 4 sifre, så det ikke kan være et telefonnummer."),
    ],
)
def test_a_nickname_that_gives_the_youth_away_is_refused(client, personas, theo, nickname, message):
    proposal = make_proposal(personas, author=theo)
    client.force_login(theo)
    response = client.post(reverse("participation:profile"), {"nickname": nickname})
    assert response.status_code == 400
    assert message in response.content.decode()
    theo.refresh_from_db()
    proposal.refresh_from_db()
    assert (theo.nickname, proposal.author_name) == ("", "")
    assert not AuditEntry.objects.filter(action="participation.profile_update").exists()


def _consent_named(user):
    return Consent.objects.create(
        subject=user,
        purpose=Consent.Purpose.NAMED,
        given_by=Consent.GivenBy.SELF,
        grantor=user,
        text_version="2026-12",
        given_at=NOW,
        status=Consent.Status.GIVEN,
    )


def _decided_page(client, footprint):
    url = reverse("participation:proposal_detail", args=[footprint["decided"].pk])
    return client.get(url).content.decode()


def test_resource_group_is_a_count_until_every_one_has_consented(client, personas, footprint):
    theo = personas.youth_a
    page = _decided_page(client, footprint)
    assert "2 ungdommer fra ressursgruppa var med på vedtaket." in page
    _consent_named(personas.youth_member_a)
    page = _decided_page(client, footprint)
    assert "2 ungdommer fra ressursgruppa" in page and "RessursA" not in page
    consent = _consent_named(theo)
    page = _decided_page(client, footprint)
    assert "Ungdom fra ressursgruppa som var med på vedtaket: RessursA, Theo." in page
    assert "Hansen" not in page and "Testesen" not in page  # never the surname
    consent.status = Consent.Status.WITHDRAWN
    consent.save()
    page = _decided_page(client, footprint)
    assert "Theo" not in page and "RessursA" not in page


def test_a_consenting_youth_with_a_nickname_is_named_by_it(client, personas, footprint):
    theo = personas.youth_a
    theo.nickname = "Blåbær"
    theo.save()
    _consent_named(theo)
    _consent_named(personas.youth_member_a)
    page = _decided_page(client, footprint)
    assert "Ungdom fra ressursgruppa som var med på vedtaket: RessursA, Blåbær." in page


def test_one_resource_group_youth_is_counted_in_the_singular(client, personas):
    proposal = answered(make_proposal(personas), personas)
    page = client.get(reverse("participation:proposal_detail", args=[proposal.pk])).text
    assert "1 ungdom fra ressursgruppa var med på vedtaket." in page
    assert "RessursA" not in page


def test_those_who_answer_see_who_proposed_and_who_took_part(client, personas, footprint):
    url = reverse("participation:proposal_detail", args=[footprint["decided"].pk])
    client.force_login(personas.leader_a)
    page = client.get(url).content.decode()
    assert "Sendt inn av RessursA Testesen." in page
    assert "Med på vedtaket fra ressursgruppa: RessursA Testesen, Theo Hansen." in page
    for who in ("youth_a", "teacher_a", "leader_b"):
        client.force_login(getattr(personas, who))
        page = client.get(url).content.decode()
        assert "Theo" not in page and "Sendt inn av" not in page, who


def test_staff_who_comment_keep_their_name(client, personas, theo):
    proposal = make_proposal(personas, author=theo)
    comment = services.comment_create(
        actor=personas.leader_a, proposal=proposal, text="Vi ser på det.", now=NOW
    )
    assert comment.author_name == "LederA"
    page = client.get(reverse("participation:proposal_detail", args=[proposal.pk])).text
    assert "LederA" in page and "Theo" not in page


# --- The data migration ---------------------------------------------------------------------

migration = importlib.import_module(
    "ungkultur.participation.migrations.0003_author_names_nickname_only"
)


def test_the_migration_keeps_everything_but_the_first_names_shown(personas, theo, footprint):
    nicknamed = make_user("blabaer@example.org", first_name="Sara", municipality=personas.arendal)
    nicknamed.nickname = "Blåbær"
    nicknamed.save()
    gone = make_proposal(personas, author=nicknamed, title="Gammelt")
    Proposal.objects.update(author_name="Theo")  # as stored before: the first name
    Proposal.objects.filter(pk=gone.pk).update(author_name="Sara")
    staff_comment = services.comment_create(
        actor=personas.leader_a, proposal=footprint["proposal"], text="Takk!", now=NOW
    )
    Comment.objects.filter(author=theo).update(author_name="Theo")
    BudgetProject.objects.update(author_name="Theo")
    orphan = make_proposal(personas, author=theo, title="Uten konto")
    Proposal.objects.filter(pk=orphan.pk).update(author=None, author_name="Theo")
    before = {
        model: sorted(model.objects.values_list("pk", flat=True))
        for model in (Proposal, Comment, BudgetProject)
    }

    migration.names_to_nicknames(apps, None)

    for model, pks in before.items():
        assert sorted(model.objects.values_list("pk", flat=True)) == pks
    names = dict(Proposal.objects.values_list("title", "author_name"))
    assert names == {"Lydstudio": "", "Skatepark": "", "Gammelt": "Blåbær", "Uten konto": ""}
    assert Comment.objects.get(author=theo).author_name == ""
    staff_comment.refresh_from_db()
    assert staff_comment.author_name == "LederA"
    assert BudgetProject.objects.get().author_name == ""
    theo.refresh_from_db()
    assert (theo.first_name, theo.last_name) == ("Theo", "Hansen")  # kept for staff
    assert Proposal.objects.get(title="Lydstudio").author == theo
    migration.names_to_nicknames(apps, None)  # running it again changes nothing
    assert dict(Proposal.objects.values_list("title", "author_name")) == names
