"""On a 360 px phone: a guardian adds a child without a second e-mail address and signs them
up; a youth finds UKM sign-up from the front page; a long word or address never widens a page.
axe-core on every page (check_page also fails on anything wider than the screen)."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_personas import log_in
from ungkultur.accounts import family
from ungkultur.accounts.models import User
from ungkultur.catalogue.models import Offer
from ungkultur.enrolment.models import Enrolment
from ungkultur.participation.models import BudgetRound, Comment, Proposal
from ungkultur.testing import make_user
from ungkultur.ukm.models import UkmEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):
    """Only the narrowest phone this issue names (360 px)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="nb-NO", reduced_motion="reduce"
    )
    page = context.new_page()
    page.width_name = "phone360"
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors
    yield page
    page.wait_for_load_state("networkidle")
    context.close()


@pytest.fixture
def running(personas):
    today = timezone.localdate()
    Offer.objects.update(
        term_start=today - datetime.timedelta(days=30),
        term_end=today + datetime.timedelta(days=150),
        application_deadline=today + datetime.timedelta(days=14),
    )
    return personas


def test_a_guardian_adds_a_child_and_signs_them_up_without_a_second_e_mail(
    page, live_server, running
):
    guardian = make_user("forelder@example.org", first_name="Forelder")
    log_in(page, live_server, guardian)
    check_page(page, "family-min-side-empty")
    expect(page.locator("h2").first).to_have_text("Barna dine")
    page.get_by_role("link", name="Legg til et barn").click()
    check_page(page, "family-child-add")
    expect(page.get_by_label("E-post")).to_have_count(0)
    page.get_by_label("Barnets fornavn").fill("Mia")
    page.get_by_label("Fødselsår").fill(str(timezone.localdate().year - 13))
    page.get_by_label("Bostedskommune").select_option(label="Arendal")
    page.get_by_role("button", name="Legg til barnet").click()
    check_page(page, "family-child-add-errors", status_errors=[400])
    expect(page.get_by_role("alert")).to_contain_text("Du må krysse av for å bekrefte.")
    expect(page.get_by_label("Barnets fornavn")).to_have_value("Mia")
    page.get_by_label("Jeg er foresatt for barnet").check()
    page.get_by_role("button", name="Legg til barnet").click()
    expect(page).to_have_url(re.compile(r"/min-side/$"))
    expect(page.locator("main")).to_contain_text("Mia er lagt til.")
    check_page(page, "family-min-side-child")
    page.get_by_role("link", name="Finn tilbud for Mia").click()
    check_page(page, "family-catalogue")
    expect(page.get_by_label("Alder")).to_have_value("13")
    page.get_by_role("link", name="Tegneserieverksted").click()
    check_page(page, "family-offer")
    page.get_by_role("link", name="Meld deg på").click()
    check_page(page, "family-join")
    mia = page.get_by_label("Mia")
    if mia.count():
        mia.check()
    page.get_by_role("button", name="Meld på").click()
    expect(page).to_have_url(re.compile(r"/min-side/$"))
    check_page(page, "family-min-side-enrolled")
    child = User.objects.get(first_name="Mia")
    expect(page.locator(f"#activities-{child.pk}")).to_have_text("Mia")
    expect(page.locator("main")).to_contain_text("Tegneserieverksted")
    assert not family.has_own_email(child)
    assert Enrolment.objects.get(participant__user=child).offer == running.a.workshop
    assert mail.outbox == []


def test_a_youth_finds_ukm_sign_up_from_the_front_page(page, live_server, running):
    now = timezone.now()
    event = UkmEvent.objects.create(
        unit=running.a.ukm,
        name="UKM Arendal",
        starts_at=now + datetime.timedelta(days=30),
        venue=running.a.venue,
        signup_opens=now - datetime.timedelta(days=1),
        signup_closes=now + datetime.timedelta(days=14),
    )
    log_in(page, live_server, running.youth_a)
    page.goto(live_server.url + "/")
    check_page(page, "front-page-youth")
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="UKM").click()
    expect(page).to_have_url(re.compile(rf"/ukm/arrangement/{event.pk}/$"))
    check_page(page, "front-door-ukm")
    expect(page.get_by_role("link", name="Meld på et innslag")).to_be_visible()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Tilbud").click()
    check_page(page, "front-door-catalogue")
    expect(page.get_by_role("link", name="Meld på UKM")).to_be_visible()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Si din mening"
    ).click()
    check_page(page, "front-door-say")
    expect(page.get_by_role("link", name="Kom med et forslag")).to_be_visible()


def test_a_long_word_or_address_does_not_widen_the_page(page, live_server, running):
    now = timezone.now()
    proposal = Proposal.objects.create(
        municipality=running.arendal,
        author=running.youth_a,
        title="Ungdomskulturhusbyggeprosjektplanleggingsarbeidsgruppemøtereferat" * 2,
        text="Se https://example.org/" + "veldig-lang-adresse-uten-mellomrom-" * 20,
        category="music",
        status="submitted",
        submitted_at=now,
        answer_due=timezone.localdate() + datetime.timedelta(days=30),
    )
    Comment.objects.create(
        proposal=proposal,
        author=running.youth_b,
        text="https://example.org/" + "x" * 400,
        created_at=now,
    )
    page.goto(f"{live_server.url}/forslag/{proposal.pk}/")
    check_page(page, "long-words")


def test_a_youth_sees_why_they_cannot_comment_and_only_youth_see_stem_na(
    page, live_server, running
):
    """Issue 18: the comment form names why a youth of another municipality cannot comment;
    the Stem nå banner stands for Arendal's youth, not for Arendal's project leader."""
    now = timezone.now()
    proposal = Proposal.objects.create(
        municipality=running.arendal,
        author=running.youth_member_a,
        title="Åpen scene hver fredag",
        text="Vi vil ha en åpen scene.",
        category="music",
        status="submitted",
        submitted_at=now,
        answer_due=timezone.localdate() + datetime.timedelta(days=30),
    )
    round_ = BudgetRound.objects.create(
        municipality=running.arendal,
        title="Ungdomsbudsjett Arendal",
        amount=100_000,
        propose_opens=now - datetime.timedelta(days=40),
        propose_closes=now - datetime.timedelta(days=20),
        vote_opens=now - datetime.timedelta(days=2),
        vote_closes=now + datetime.timedelta(days=5),
    )
    log_in(page, live_server, running.youth_b)
    page.goto(f"{live_server.url}/forslag/{proposal.pk}/")
    check_page(page, "why-not-comment")
    expect(page.get_by_test_id("why-not-comment")).to_have_text(
        "Dette er for ungdom som bor eller går på skole i Arendal."
    )
    expect(page.get_by_role("button", name="Send kommentaren")).to_have_count(0)
    page.context.clear_cookies()

    log_in(page, live_server, running.leader_a)
    page.goto(f"{live_server.url}/kommuner/4203/")
    check_page(page, "municipality-leader-no-vote-banner")
    expect(page.get_by_test_id("vote-banner")).to_have_count(0)
    page.context.clear_cookies()

    log_in(page, live_server, running.youth_a)
    page.goto(f"{live_server.url}/kommuner/4203/")
    check_page(page, "municipality-youth-vote-banner")
    page.get_by_test_id("vote-banner").get_by_role("link", name="Stem nå").click()
    expect(page).to_have_url(re.compile(rf"/ungdomsbudsjett/{round_.pk}/$"))
