"""A researcher answers and resolves a youth comment; the youth reads the answer on Min side.
Every page passes axe-core at desktop and phone width, and at 360 px."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_personas import log_in
from ungkultur.surveys import services
from ungkultur.surveys.models import Question
from ungkultur.surveys.tests.factories import NOW, make_questionnaire

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name):
    """At the fixture's width, and on a phone at 360 px too."""
    check_page(page, name)
    if page.width_name == "phone":
        page.set_viewport_size({"width": 360, "height": 740})
        check_page(page, f"{name}-360")
        page.set_viewport_size({"width": 375, "height": 740})


@pytest.fixture
def comment(personas):
    questionnaire = make_questionnaire(personas.researcher)
    services.questionnaire_share(
        actor=personas.researcher,
        questionnaire=questionnaire,
        group=personas.a.resource_group,
        now=NOW,
    )
    return services.question_comment_add(
        actor=personas.youth_member_a,
        question=Question.objects.get(questionnaire=questionnaire, name="fornoyd"),
        group=personas.a.resource_group,
        body="Hva betyr «fornøyd» her? Med hva?",
        now=NOW,
    )


def test_a_researcher_answers_and_resolves_and_the_youth_reads_it(
    page, live_server, personas, comment
):
    questionnaire = comment.question.questionnaire
    log_in(page, live_server, personas.researcher)
    page.goto(f"{live_server.url}/undersokelser/skjema/{questionnaire.pk}/")
    page.get_by_role("link", name="Svar på kommentarene (1 åpen)").click()
    expect(page.locator("h1")).to_contain_text("Kommentarer til")
    check(page, "survey-comment-answers")
    page.get_by_label("Svar til ungdommen").fill("Med tilbudet der du bor. Vi skriver det inn.")
    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_text("Svaret er lagret.")).to_be_visible()
    check(page, "survey-comment-answered")
    page.get_by_role("button", name="Merk som ferdigbehandlet").click()
    expect(page.get_by_text("Ingen åpne kommentarer.")).to_be_visible()
    page.get_by_role("link", name="Ferdigbehandlet (1)").click()
    expect(page.get_by_role("button", name="Åpne igjen")).to_be_visible()
    check(page, "survey-comment-resolved")
    page.context.clear_cookies()
    log_in(page, live_server, personas.youth_member_a)
    expect(page.get_by_text("Med tilbudet der du bor. Vi skriver det inn.")).to_be_visible()
    check(page, "survey-comment-min-side")
