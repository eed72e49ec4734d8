"""A pupil answers a survey with a one-time code on a phone; a researcher builds and a
teacher prints code sheets. Every page passes axe-core."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import WIDTHS, check_page
from tests.browser.test_personas import log_in
from ungkultur.surveys import services
from ungkultur.surveys.models import AccessCode, PendingResponse
from ungkultur.surveys.tests.factories import NOW, make_questionnaire, open_wave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    width, height = WIDTHS["phone"]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="nb-NO")
    page = context.new_page()
    page.width_name = "phone"
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors
    yield page
    page.wait_for_load_state("networkidle")
    context.close()


@pytest.fixture
def wave(personas):
    return open_wave(personas.researcher, make_questionnaire(personas.researcher))


def test_a_pupil_answers_on_a_phone_goes_back_and_sends(phone, live_server, personas, wave):
    _batch, (code,) = services.code_batch_create(
        actor=personas.teacher_a, wave=wave, municipality=personas.arendal, count=1, now=NOW
    )
    page = phone
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    # The QR code's address: the code is in the fragment, which the page copies into its form.
    page.goto(f"{live_server.url}/svar/#kode={code}")
    expect(page.get_by_label("Koden din")).to_have_value(code)
    expect(page).to_have_url(f"{live_server.url}/svar/")  # and takes out of the address bar
    check_page(page, "survey-start")
    page.get_by_label("bokmål").check()
    page.get_by_role("button", name="Start").click()
    expect(page.locator("h1")).to_have_text("Om deg")
    check_page(page, "survey-page-1")
    page.get_by_role("button", name="Neste").click()
    expect(page.locator("[role=alert]")).to_contain_text("Du må svare på dette spørsmålet.")
    check_page(page, "survey-page-1-errors", status_errors=[400])
    page.get_by_label("Jente").check()
    page.get_by_label("Hvor gammel er du?").fill("14")
    page.get_by_role("group", name="Går du i kulturskolen?").get_by_label("Ja").check()
    page.get_by_role("button", name="Neste").click()
    # The answer made a question on the same page relevant.
    expect(page.locator("main")).to_contain_text("et spørsmål til på denne siden")
    page.get_by_label("Hvor mange år?").fill("3")
    check_page(page, "survey-page-1-more")
    page.get_by_role("button", name="Neste").click()
    expect(page.locator("h1")).to_have_text("Kultur der du bor")
    page.get_by_role("group", name="Hvor fornøyd er du?").get_by_label("Nivå 4").check()
    page.get_by_role("group", name="Trygg").get_by_label("Nivå 5").check()
    check_page(page, "survey-page-2")
    page.get_by_role("button", name="Tilbake").click()
    expect(page.get_by_label("Hvor gammel er du?")).to_have_value("14")
    page.get_by_role("button", name="Neste").click()
    # What was entered on page 2 before going back is still there.
    fornoyd = page.get_by_role("group", name="Hvor fornøyd er du?").get_by_label("Nivå 4")
    expect(fornoyd).to_be_checked()
    page.get_by_role("button", name="Neste").click()
    expect(page).to_have_url(re.compile(r"/svar/send/$"))
    # The review before sending lists the answers.
    expect(page.locator("main")).to_contain_text("Se over svarene")
    check_page(page, "survey-send")
    page.get_by_role("button", name="Send inn").click()
    expect(page.locator("h1")).to_have_text("Takk for svarene!")
    check_page(page, "survey-thanks")
    stored = PendingResponse.objects.get()
    assert stored.answers == {
        "kjonn": "1",
        "alder": 14,
        "kulturskole": "1",
        "kulturskole_ar": 3,
        "fornoyd": "4",
        "moteplass_trygg": "5",
    }
    assert AccessCode.objects.get().used
    # The same code again is refused.
    page.goto(f"{live_server.url}/svar/#kode={code}")
    page.get_by_role("button", name="Start").click()
    expect(page.locator("main")).to_contain_text("Denne koden er allerede brukt.")
    check_page(page, "survey-used-code", status_errors=[400])
    # No address the browser asked for carries the code, or a query an answer chose.
    answering = [url for url in requested if "/svar/" in url]
    assert f"{live_server.url}/svar/side/" in answering
    for url in answering:
        assert "?" not in url and code not in url and code.replace("-", "") not in url


def test_a_researcher_builds_and_a_teacher_prints_codes(page, live_server, personas, wave):
    log_in(page, live_server, personas.researcher)
    questionnaire = wave.survey.questionnaire
    page.goto(f"{live_server.url}/undersokelser/")
    check_page(page, "surveys-index")
    draft = make_questionnaire(personas.researcher, title="Utkast 2027")
    page.goto(f"{live_server.url}/undersokelser/skjema/{draft.pk}/")
    check_page(page, "questionnaire-builder")
    page.get_by_role("link", name="Hent fra spørsmålsbanken").click()
    check_page(page, "question-bank")
    page.get_by_label(re.compile("Hvor fornøyd er du med kulturtilbudet")).check()
    page.get_by_role("button", name="Legg til").click()
    expect(page.locator("main")).to_contain_text("Hvor fornøyd er du med kulturtilbudet")
    grid = draft.questions.get(name="moteplass")
    page.goto(f"{live_server.url}/undersokelser/sporsmal/{grid.pk}/endre/")
    check_page(page, "question-edit-grid")
    page.get_by_label("Spørsmål (bokmål)").fill("")
    page.get_by_role("button", name="Lagre").click()
    check_page(page, "question-edit-errors", status_errors=[400])
    page.goto(f"{live_server.url}/undersokelser/skjema/{draft.pk}/deler/ny/")
    check_page(page, "section-new")
    choice_list = draft.choice_lists.get(name="enig")
    page.goto(f"{live_server.url}/undersokelser/lister/{choice_list.pk}/")
    check_page(page, "choice-list")
    page.goto(f"{live_server.url}/undersokelser/{wave.survey_id}/")
    check_page(page, "survey-detail")
    page.goto(f"{live_server.url}/undersokelser/skjema/{questionnaire.pk}/")
    expect(page.locator("main")).to_contain_text("Spørreskjemaet er låst")
    page.goto(f"{live_server.url}/undersokelser/skjema/importer/")
    check_page(page, "xlsform-import")
    page.context.clear_cookies()
    log_in(page, live_server, personas.teacher_a)
    page.goto(f"{live_server.url}/undersokelser/runder/{wave.pk}/")
    check_page(page, "wave")
    page.get_by_label("Kommune").select_option(label="Arendal")
    page.get_by_label("Skole").fill("Stintajuvet skole")
    page.get_by_label("Klasse", exact=True).fill("9B")
    page.get_by_label("Antall koder").fill("4")
    page.get_by_role("button", name="Lag og skriv ut koder").click()
    expect(page.locator(".surveys-sheet__code")).to_have_count(4)
    check_page(page, "code-sheets")
    # Printed, the sheets are all there is: no header, footer or instructions.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".surveys-screen-only")).to_be_hidden()
    expect(page.locator(".surveys-sheet").first).to_be_visible()
    if os.environ.get("UNGKULTUR_SCREENSHOTS"):
        page.screenshot(
            path=f"{os.environ['UNGKULTUR_SCREENSHOTS']}/code-sheets-print-{page.width_name}.png",
            full_page=True,
        )
    page.emulate_media(media="screen")


def test_a_resource_group_member_comments_on_a_draft(page, live_server, personas):
    draft = make_questionnaire(personas.researcher, title="Utkast 2027")
    services.questionnaire_share(
        actor=personas.researcher, questionnaire=draft, group=personas.a.resource_group, now=NOW
    )
    log_in(page, live_server, personas.youth_member_a)
    page.goto(f"{live_server.url}/undersokelser/")
    page.get_by_role("link", name="Utkast 2027").click()
    check_page(page, "survey-comments")
    page.get_by_label("Din kommentar – Hvor fornøyd er du?").fill("Bruk heller smilefjes")
    question = draft.questions.get(name="fornoyd")
    page.locator(f"#question-{question.pk}").get_by_role("button", name="Send kommentar").click()
    expect(page.locator("main")).to_contain_text("Bruk heller smilefjes")
    page.get_by_role("button", name="Prøv skjemaet slik den som svarer ser det").click()
    expect(page.locator("main")).to_contain_text("Forhåndsvisning")
    check_page(page, "survey-preview")


def test_an_open_link_has_a_printable_poster(page, live_server, personas, wave):
    link = services.open_link_create(
        actor=personas.leader_a,
        wave=wave,
        municipality=personas.arendal,
        label="UKM Arendal",
        now=NOW,
    )
    log_in(page, live_server, personas.leader_a)
    page.goto(f"{live_server.url}/undersokelser/lenker/{link.pk}/plakat/")
    expect(page.locator("main")).to_contain_text("UKM Arendal")
    expect(page.get_by_role("img", name="QR-kode til undersøkelsen")).to_be_visible()
    check_page(page, "open-link-poster")
