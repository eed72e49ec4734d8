"""Answering keeps the respondent's place and entries: resume, back, and a review before
sending (issue 20)."""

import pytest
from django.urls import reverse

from ungkultur.surveys import services
from ungkultur.surveys.models import AnswerDraft, PendingResponse
from ungkultur.surveys.tests.factories import NOW, make_questionnaire, open_wave

START = reverse("surveys:answer_start")
PAGE = reverse("surveys:answer_page")
BACK = reverse("surveys:answer_back")
SEND = reverse("surveys:answer_send")
GOTO = reverse("surveys:answer_goto")
PAGE_ONE = {"kjonn": "1", "alder": "15", "kulturskole": "2"}


@pytest.fixture
def wave(personas):
    return open_wave(personas.researcher, make_questionnaire(personas.researcher))


@pytest.fixture
def codes(personas, wave):
    _batch, codes = services.code_batch_create(
        actor=personas.teacher_a, wave=wave, municipality=personas.arendal, count=2, now=NOW
    )
    return codes


def test_the_same_code_again_continues_on_the_page_where_the_respondent_stopped(client, codes):
    client.post(START, {"code": codes[0], "language": "nb"})
    client.post(PAGE, PAGE_ONE)
    assert "Side 2 av 2" in client.get(PAGE).content.decode()
    # The QR code scanned again fills in the same code: the answers are not started anew.
    assert client.post(START, {"code": codes[0], "language": "nb"}).url == PAGE
    assert "Side 2 av 2" in client.get(PAGE).content.decode()
    draft = AnswerDraft.objects.get()
    assert draft.page == 1 and draft.answers["alder"] == 15
    # Another code is another respondent on this device: a new draft from page 1.
    client.post(START, {"code": codes[1], "language": "nb"})
    assert AnswerDraft.objects.get().answers == {}
    assert "Side 1 av 2" in client.get(PAGE).content.decode()


def test_back_keeps_what_was_entered_on_the_page(client, codes):
    client.post(START, {"code": codes[0], "language": "nb"})
    client.post(PAGE, PAGE_ONE)
    # On page 2, something entered, then "Tilbake" (the same form, posted to back).
    assert client.post(BACK, {"fornoyd": "4", "onske": "Mer band", "alder": "99"}).url == PAGE
    answers = AnswerDraft.objects.get().answers
    assert answers["fornoyd"] == "4" and answers["onske"] == "Mer band"
    assert answers["alder"] == 15  # a page-1 answer is not changed from page 2
    client.post(PAGE, PAGE_ONE)
    text = client.get(PAGE).content.decode()
    assert "Mer band" in text
    # A value that does not fit its question is not kept (and nothing breaks).
    client.post(BACK, {"fornoyd": "ikke et valg", "onske": "Mer band"})
    assert "fornoyd" not in AnswerDraft.objects.get().answers


def test_a_review_lists_the_answers_before_sending_and_a_page_can_be_changed(client, codes):
    client.post(START, {"code": codes[0], "language": "nb"})
    client.post(PAGE, PAGE_ONE)
    client.post(PAGE, {"fornoyd": "4", "moteplass_inne": "2", "onske": "Mer band"})
    text = client.get(SEND).content.decode()
    assert "Se over svarene" in text
    assert "Mer band" in text and "Ikke besvart" in text  # moteplass_trygg not answered
    assert PendingResponse.objects.count() == 0
    # Change page 1 from the review: back on it with the answers, nothing sent.
    assert client.post(GOTO, {"page": "0"}).url == PAGE
    assert "Side 1 av 2" in client.get(PAGE).content.decode()
    # A page that is not shown (or not a number) leads back to the review.
    assert client.post(GOTO, {"page": "7"}).url == SEND
    assert client.post(GOTO, {"page": "x"}).url == SEND
    assert PendingResponse.objects.count() == 0


def test_the_language_menu_on_a_page_switches_the_questions_and_keeps_the_answers(client, codes):
    client.post(START, {"code": codes[0], "language": "nb"})
    client.post(PAGE, PAGE_ONE)
    text = client.get(PAGE).content.decode()
    menu = text.split(reverse("surveys:answer_language"))[1].split("</form>")[0]
    assert 'value="en"' in menu and 'value="nn"' in menu and 'value="nb"' not in menu
    assert client.post(reverse("surveys:answer_language"), {"language": "en"}).url == PAGE
    draft = AnswerDraft.objects.get()
    assert draft.lang == "en" and draft.page == 1 and draft.answers["alder"] == 15
    client.post(reverse("surveys:answer_language"), {"language": "fr"})  # not offered
    assert AnswerDraft.objects.get().lang == "en"
