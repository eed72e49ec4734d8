"""A researcher reads protected results, splits them by municipality, orders a research
export and imports earlier responses; a municipality's project leader sees their own. Every
page passes axe-core at desktop and phone width."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_personas import log_in
from ungkultur.surveys.models import ResearchExport, Response
from ungkultur.surveys.tests.results_data import a_mixed_wave, make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wave(personas, settings, tmp_path):
    settings.UNGKULTUR_SURVEY_FILES_DIR = str(tmp_path)
    _survey, (wave,) = make_survey(personas.researcher)
    a_mixed_wave(wave, personas.arendal, personas.sola)
    return wave


def test_researcher_reads_results_and_orders_an_export(page, live_server, personas, wave):
    log_in(page, live_server, personas.researcher)
    page.goto(f"{live_server.url}/undersokelser/resultater/")
    check_page(page, "results-index")
    page.get_by_role("link", name=wave.title).click()
    expect(page.locator("h1")).to_contain_text("Resultater")
    expect(page.locator("#results")).to_contain_text("33 svar i utvalget")
    check_page(page, "results-wave")
    page.get_by_label("Fordel på").select_option("municipality")
    page.get_by_label("Spørsmål").select_option("kjonn")
    page.get_by_role("button", name="Vis").click()
    expect(page).to_have_url(re.compile(r"by=municipality"))
    expect(page.locator("#results table")).to_contain_text("Sola")
    expect(page.locator("#results table").first).to_contain_text("skjult")
    check_page(page, "results-by-municipality")
    page.get_by_role("link", name="Sammenlign runder").click()
    expect(page.locator("h1")).to_contain_text("Sammenlign runder")
    check_page(page, "results-compare")
    page.goto(f"{live_server.url}/undersokelser/runder/{wave.pk}/resultater/")
    page.get_by_role("link", name="Forskningsdata").click()
    check_page(page, "research-exports")
    page.get_by_label("SPSS (.sav)").check()
    page.get_by_role("button", name="Bestill uttrekk").click()
    expect(page.get_by_role("link", name=re.compile("Last ned"))).to_be_visible()
    check_page(page, "research-exports-done")
    assert ResearchExport.objects.get().status == ResearchExport.Status.DONE


def test_researcher_imports_earlier_responses(page, live_server, personas, wave, tmp_path):
    log_in(page, live_server, personas.researcher)
    page.goto(f"{live_server.url}/undersokelser/runder/{wave.pk}/importer-svar/")
    check_page(page, "response-import")
    bad = tmp_path / "feil.csv"
    bad.write_text("kommunenr,kjonn\n4203,1\n4203,7\n", encoding="utf-8")
    page.get_by_label("CSV-fil").set_input_files(str(bad))
    page.get_by_role("button", name="Importer").click()
    expect(page.locator("#import-errors")).to_contain_text("Linje 3")
    check_page(page, "response-import-errors", status_errors=(400,))
    good = tmp_path / "svar.csv"
    good.write_text("kommunenr,kjonn\n4203,1\n1124,2\n", encoding="utf-8")
    page.get_by_label("CSV-fil").set_input_files(str(good))
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("status")).to_contain_text("2 svar ble importert")
    check_page(page, "response-import-done")
    assert Response.objects.filter(wave=wave, channel="import").count() == 2


def test_project_leader_sees_own_municipality(page, live_server, personas, wave):
    log_in(page, live_server, personas.a.leader)
    page.goto(f"{live_server.url}/undersokelser/runder/{wave.pk}/resultater/?by=gender")
    expect(page.locator("#results")).to_contain_text("24 svar i utvalget")
    expect(page.locator("main")).not_to_contain_text("Sola")
    check_page(page, "results-municipality")
