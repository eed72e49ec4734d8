"""An imported XLSForm with a choice filter and a calculation, answered in a browser: the
filtered choices come from the server (cascading selects without a script), the calculated
value is piped into the next page, and every page passes axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from ungkultur.surveys import services
from ungkultur.surveys.models import PendingResponse
from ungkultur.surveys.tests.factories import NOW, open_wave
from ungkultur.surveys.tests.test_xlsform_calculate_filter import FORM
from ungkultur.surveys.tests.test_xlsform_corpus import xlsx
from ungkultur.surveys.xlsform import import_xlsform

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filtered_choices_and_a_calculated_value_on_the_answer_pages(page, live_server, personas):
    wave = open_wave(
        personas.researcher, import_xlsform(actor=personas.researcher, data=xlsx(FORM))
    )
    _batch, (code,) = services.code_batch_create(
        actor=personas.teacher_a, wave=wave, municipality=personas.arendal, count=1, now=NOW
    )
    page.goto(f"{live_server.url}/svar/#kode={code}")
    page.get_by_label("bokmål").check()
    page.get_by_role("button", name="Start").click()
    expect(page.locator("h1")).to_have_text("Om deg")
    expect(page.locator("main")).not_to_contain_text("Hva liker du best?")
    page.get_by_label("Vestlandet").check()
    page.get_by_label("Hvor gammel er du?").fill("16")
    liker = page.get_by_role("group", name="Hva liker du?")
    liker.get_by_label("Musikk").check()
    liker.get_by_label("Film").check()
    page.get_by_role("button", name="Neste").click()
    # The follow-up offers only what was chosen.
    best = page.get_by_role("group", name="Hva liker du best?")
    expect(best.get_by_label("Film")).to_be_visible()
    expect(best.get_by_label("Dans")).to_have_count(0)
    check_page(page, "survey-filter-same-page")
    best.get_by_label("Film").check()
    page.get_by_role("button", name="Neste").click()
    expect(page.locator("h1")).to_have_text("Sted")
    expect(page.locator("main")).to_contain_text("Om fem år er du 21 (eldre).")
    town = page.get_by_role("group", name="Hvilken by?")
    expect(town.get_by_label("Bergen")).to_be_visible()
    expect(town.get_by_label("Oslo")).to_have_count(0)
    check_page(page, "survey-filter-next-page")
    town.get_by_label("Bergen").check()
    page.get_by_role("button", name="Neste").click()
    expect(page).to_have_url(re.compile(r"/svar/send/$"))
    page.get_by_role("button", name="Send inn").click()
    expect(page).to_have_url(re.compile(r"/svar/takk/$"))
    (pending,) = PendingResponse.objects.all()
    assert (pending.answers["om_fem"], pending.answers["by"]) == (21, "bergen")
