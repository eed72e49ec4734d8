"""A project leader reads the municipality's dashboard and sets a target; a national
coordinator compares the municipalities. axe-core on every page, on a phone and a desktop."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_personas import log_in
from ungkultur.indicators.models import GoalTarget
from ungkultur.indicators.tests.dashboard_data import every_value, run
from ungkultur.municipalities.models import Municipality
from ungkultur.planning.models import Goal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def figures(personas):
    Municipality.objects.filter(pk=personas.arendal.pk).update(is_pilot=True)
    every_value(personas.arendal)
    every_value(personas.sola, seed=4)
    run(first="2023V", last="2025V")
    effect = Goal.objects.create(level=Goal.Level.EFFECT, title="Flere unge deltar")
    return Goal.objects.create(
        level=Goal.Level.SUB,
        parent=effect,
        municipality=personas.arendal,
        title="Flere 13–19 år i minst ett tilbud",
    )


def test_project_leader_reads_the_dashboard_and_sets_a_target(page, live_server, personas, figures):
    log_in(page, live_server, personas.leader_a)
    page.goto(live_server.url + "/kommuner/4203/indikatorer/?term=2025V")
    expect(page.get_by_role("heading", name="Indikatorer for Arendal")).to_be_visible()
    expect(page.get_by_text("Tallene ble beregnet 1. juni 2025 kl. 14:00.")).to_be_visible()
    # The first screen answers "is KK working here?"; the figures fold away below it.
    expect(page.get_by_role("heading", name="Virker KK her? Status våren 2025")).to_be_visible()
    expect(page.get_by_role("heading", name="Færre slutter")).to_be_visible()
    expect(page.locator("#figure-dropout-kulturskole")).to_be_hidden()
    check_page(page, "indicators-dashboard")
    page.locator("#section-retention + details > summary").click()
    expect(page.locator("#figure-dropout-kulturskole")).to_be_visible()
    page.get_by_text("Frafall fra kulturskolen fordelt på").click()
    expect(page.locator("#figure-dropout-kulturskole-gender")).to_be_visible()
    check_page(page, "indicators-dashboard-details")
    page.get_by_role("link", name="Sett mål for delmålene").click()
    check_page(page, "indicators-targets")
    page.get_by_label("Indikator").select_option("participation.all")
    page.get_by_label("Målverdi").fill("-4")
    page.get_by_label("Innen").fill("2026-12-31")
    page.get_by_role("button", name="Lagre målet").click()
    check_page(page, "indicators-targets-errors", status_errors=[400])
    assert not GoalTarget.objects.exists()
    page.get_by_label("Målverdi").fill("40")
    page.get_by_role("button", name="Lagre målet").click()
    expect(page.get_by_text("Målet er lagret.")).to_be_visible()
    assert GoalTarget.objects.get().target_value == 40
    page.get_by_role("link", name="Tilbake til indikatorene").click()
    expect(page.get_by_role("cell", name="Flere 13–19 år i minst ett tilbud")).to_be_visible()
    check_page(page, "indicators-dashboard-target")


def test_the_report_prints_and_downloads_as_pdf(page, live_server, personas, figures):
    log_in(page, live_server, personas.teacher_a)
    page.goto(live_server.url + "/kommuner/4203/indikatorer/?term=2025V")
    page.get_by_role("link", name="Rapporten som utskriftsvennlig side").click()
    expect(
        page.get_by_role("heading", name="Koordinert kulturarbeid i Arendal, våren 2025")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Sammendrag")).to_be_visible()
    check_page(page, "indicators-report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned som PDF").click()
    assert download.value.suggested_filename == "indikatorer-4203-2025V.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_a_bad_term_is_explained(page, live_server, personas, figures):
    log_in(page, live_server, personas.leader_a)
    page.goto(live_server.url + "/kommuner/4203/indikatorer/?term=2025X")
    expect(page.get_by_role("alert")).to_contain_text("Ukjent semester «2025X»")
    check_page(page, "indicators-bad-term", status_errors=[400])


def test_national_coordinator_compares_the_municipalities(page, live_server, personas, figures):
    log_in(page, live_server, personas.coordinator)
    page.goto(live_server.url + "/nasjonalt/indikatorer/")
    expect(page.get_by_role("rowheader", name="Arendal (pilot)")).to_have_count(2)
    check_page(page, "indicators-national")
    page.get_by_label("Indikator").select_option("dropout.kulturskole")
    page.get_by_label("Sammenlign med en kommune utenfor KK (kommunenummer)").fill("0301")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("rowheader", name="Oslo (utenfor KK)").first).to_be_visible()
    check_page(page, "indicators-national-compare")
    page.get_by_role("link", name="Rapporten som utskriftsvennlig side").click()
    expect(
        page.get_by_role("heading", name="Indikatorrapport for koordinert kulturarbeid")
    ).to_be_visible()
    check_page(page, "indicators-project-report")
    page.go_back()
    page.get_by_role("link", name="Last ned alle indikatorene for forskning").click()
    check_page(page, "indicators-research-data")
