"""A youth finds an offer in the catalogue; a rector makes one and publishes it. Each page
passes axe-core at desktop and phone width."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_personas import log_in
from ungkultur.catalogue.tests.conftest import NOW, add_weekly_sessions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(personas, monkeypatch):
    # The live server runs in this process: it reads the same frozen clock.
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return add_weekly_sessions(personas)


def test_youth_filters_the_catalogue_and_opens_an_offer(page, live_server, catalogue):
    page.goto(live_server.url + "/kommuner/4203/")
    page.get_by_role("link", name="Se alle tilbud for ungdom i Arendal").click()
    expect(page.locator("h1")).to_have_text("Tilbud for ungdom i Arendal")
    results = page.locator("#results .ds-card")
    expect(results).to_have_count(3)
    check_page(page, "catalogue")

    # Results follow the filters without a page load, and the address keeps them.
    page.locator("summary", has_text="Interesse").click()
    page.get_by_label("Visuell kunst").check()
    expect(results).to_have_count(1)
    expect(page.locator("#result-count")).to_have_text("1 tilbud passer")
    expect(page).to_have_url(re.compile(r"interest=visual_art"))
    page.get_by_label("Alder").fill("20")
    expect(page.locator("#result-count")).to_have_text("0 tilbud passer")
    page.get_by_label("Alder").fill("13")
    expect(results).to_have_count(1)
    expect(page).to_have_url(re.compile(r"age=13"))
    check_page(page, "catalogue-filtered")

    # A shared link opens the same search.
    page.goto(page.url)
    expect(page.get_by_label("Visuell kunst")).to_be_checked()
    expect(results).to_have_count(1)

    page.get_by_role("link", name="Tegneserieverksted").click()
    expect(page.locator("h1")).to_have_text("Tegneserieverksted")
    expect(page.get_by_text("Du må melde deg på.")).to_be_visible()
    check_page(page, "offer")

    page.goto(live_server.url + f"/tilbud/{catalogue.a.open_club.pk}/")
    expect(page.get_by_text("Bare møt opp!")).to_be_visible()
    check_page(page, "offer-drop-in")


def test_catalogue_works_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(java_script_enabled=False, locale="nb-NO")
    page = context.new_page()
    page.goto(live_server.url + "/kommuner/4203/tilbud/")
    page.get_by_label("Bare gratis tilbud").check()
    page.get_by_role("button", name="Vis tilbud").click()
    expect(page).to_have_url(re.compile(r"free=on"))
    expect(page.locator("#results .ds-card")).to_have_count(2)
    context.close()


def test_rector_makes_an_offer_adds_times_and_publishes_it(page, live_server, catalogue):
    # The unit's leader runs its offers; a teacher is not a rector (docs/privacy.md).
    log_in(page, live_server, catalogue.rector_a)
    page.goto(live_server.url + "/mine-enheter/")
    check_page(page, "my-units")
    page.get_by_role("link", name="Arendal kulturskole").click()
    check_page(page, "unit-offers")
    page.get_by_role("link", name="Nytt tilbud").click()
    check_page(page, "offer-new")

    page.get_by_label("Tittel").fill("Sang for ungdom")
    page.get_by_label("Interesse").select_option("music")
    page.get_by_label("Fra alder").fill("16")
    page.get_by_label("Til alder").fill("13")
    page.get_by_label("Slik blir man med").select_option("registration")
    page.get_by_label("Antall plasser").fill("10")
    page.get_by_label("Starter").fill("2026-08-17")
    page.get_by_label("Slutter (siste dag)").fill("2026-12-18")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("alert")).to_contain_text("Til-alderen kan ikke være lavere")
    check_page(page, "offer-new-error", status_errors=(400,))

    page.get_by_label("Til alder").fill("19")
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator("h1")).to_have_text("Sang for ungdom")
    expect(page.get_by_text("Dette er et utkast")).to_be_visible()
    check_page(page, "offer-draft")

    page.get_by_role("link", name="Legg til fast tidspunkt").click()
    check_page(page, "schedule-new")
    page.get_by_label("Ukedag").select_option("3")
    page.get_by_label("Fra klokken").fill("18:00")
    page.get_by_label("Til klokken").fill("19:30")
    page.get_by_role("button", name="Legg til").click()
    expect(page.get_by_role("status").first).to_contain_text("samlinger")

    page.get_by_role("button", name="Publiser").click()
    expect(page.get_by_text("er publisert og vises i katalogen")).to_be_visible()
    page.goto(live_server.url + "/kommuner/4203/tilbud/?interest=music")
    expect(page.get_by_role("link", name="Sang for ungdom")).to_be_visible()
