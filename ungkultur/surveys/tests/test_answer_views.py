import datetime
import io

import pytest
from django.core import signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ungkultur.surveys import services, views_answer
from ungkultur.surveys.models import AccessCode, AnswerDraft, PendingResponse
from ungkultur.surveys.tests.factories import NOW, make_questionnaire, open_wave

START = reverse("surveys:answer_start")
PAGE = reverse("surveys:answer_page")
BACK = reverse("surveys:answer_back")
SEND = reverse("surveys:answer_send")


def draft():
    return AnswerDraft.objects.get()


@pytest.fixture
def wave(personas):
    return open_wave(personas.researcher, make_questionnaire(personas.researcher))


@pytest.fixture
def code(personas, wave):
    _batch, codes = services.code_batch_create(
        actor=personas.teacher_a, wave=wave, municipality=personas.arendal, count=2, now=NOW
    )
    return codes[0]


def test_a_respondent_answers_page_by_page_and_the_code_is_used_up(client, personas, code):
    response = client.post(START, {"code": code.lower(), "language": "nb"})
    assert response.url == PAGE
    text = client.get(PAGE).content.decode()
    assert "Side 1 av 2" in text and "Er du …" in text
    assert "Hvor mange år?" not in text  # shown only to kulturskole pupils
    response = client.post(PAGE, {"kjonn": "1", "alder": "15", "kulturskole": "2"})
    assert response.url == PAGE
    assert "Side 2 av 2" in client.get(PAGE).content.decode()
    response = client.post(PAGE, {"fornoyd": "4", "moteplass_inne": "2", "onske": "Mer band"})
    assert response.url == SEND
    assert PendingResponse.objects.count() == 0  # nothing stored before the respondent sends
    response = client.post(SEND)
    assert response.url == reverse("surveys:answer_thanks")
    stored = PendingResponse.objects.get()
    assert stored.answers == {
        "kjonn": "1",
        "alder": 15,
        "kulturskole": "2",
        "fornoyd": "4",
        "moteplass_inne": "2",
        "onske": "Mer band",
    }
    assert stored.municipality == personas.arendal
    assert AccessCode.objects.filter(used=True).count() == 1
    assert not AnswerDraft.objects.exists()  # deleted when sent


def test_a_condition_shows_a_question_when_the_earlier_answer_fits(client, code):
    client.post(START, {"code": code, "language": "nb"})
    response = client.post(PAGE, {"kjonn": "2", "kulturskole": "1"})
    # The answer made a question on the same page relevant: the page is shown again with it
    # (at the same address as the next page would be), and the answers already given are kept.
    assert response.url == PAGE
    text = client.get(PAGE).content.decode()
    assert "Hvor mange år?" in text and "et spørsmål til på denne siden" in text
    assert 'value="1" class="ds-input" id="id_kulturskole_0" checked' in text
    response = client.post(PAGE, {"kjonn": "2", "kulturskole": "1", "kulturskole_ar": "3"})
    assert response.url == PAGE
    assert draft().answers["kulturskole_ar"] == 3
    text = client.get(PAGE).content.decode()
    assert "Kultur der du bor" in text and "et spørsmål til" not in text
    # Changing the answer hides the question again and drops its answer.
    client.post(BACK)
    client.post(PAGE, {"kjonn": "2", "kulturskole": "2", "kulturskole_ar": "3"})
    assert "kulturskole_ar" not in draft().answers


def test_required_questions_and_constraints_are_checked_per_page(client, code):
    client.post(START, {"code": code, "language": "nb"})
    response = client.post(PAGE, {"alder": "40"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Du må svare på dette spørsmålet." in text
    assert "Alder må være mellom 10 og 25." in text
    assert (draft().answers, draft().page) == ({}, 0)


def test_optional_questions_may_be_skipped(client, code):
    client.post(START, {"code": code, "language": "nb"})
    client.post(PAGE, {"kjonn": "1"})
    client.post(PAGE, {})
    client.post(SEND)
    assert PendingResponse.objects.get().answers == {"kjonn": "1"}


def test_progress_is_kept_so_the_respondent_can_resume_on_the_same_device(client, code):
    client.post(START, {"code": code, "language": "nb"})
    client.post(PAGE, {"kjonn": "1", "alder": "14"})
    text = client.get(START).content.decode()
    assert "Fortsett der du slapp" in text
    assert "Kultur der du bor" in client.get(PAGE).content.decode()
    assert client.post(BACK).url == PAGE
    assert 'value="14"' in client.get(PAGE).content.decode()
    assert client.post(BACK).url == START  # back from the first page
    client.post(reverse("surveys:answer_forget"))
    assert not AnswerDraft.objects.exists()
    assert client.get(PAGE).url == START
    assert "Fortsett der du slapp" not in client.get(START).content.decode()


def test_the_chosen_language_is_used_for_questions_and_choices(client, code):
    client.post(START, {"code": code, "language": "en"})
    text = client.get(PAGE).content.decode()
    assert "Are you …" in text and "Girl" in text
    assert '<html lang="en"' in text


def test_a_used_code_is_refused_at_the_start(client, wave, code):
    services.response_submit(wave=wave, answers={"kjonn": "1"}, code=code, today=NOW.date())
    response = client.post(START, {"code": code, "language": "nb"})
    assert response.status_code == 400
    assert "Denne koden er allerede brukt." in response.content.decode()
    assert not AnswerDraft.objects.exists()


def test_a_code_used_elsewhere_meanwhile_is_refused_on_sending(client, wave, code):
    client.post(START, {"code": code, "language": "nb"})
    client.post(PAGE, {"kjonn": "1"})
    client.post(PAGE, {})
    services.response_submit(wave=wave, answers={"kjonn": "2"}, code=code, today=NOW.date())
    response = client.post(SEND)
    assert response.status_code == 400
    assert "allerede brukt" in response.content.decode()
    assert PendingResponse.objects.count() == 1
    assert not AnswerDraft.objects.exists()


def test_an_unknown_code_is_refused(client, wave):
    response = client.post(START, {"code": "ZZZZZ-ZZZZZ", "language": "nb"})
    assert response.status_code == 400
    assert "Vi finner ikke denne koden." in response.content.decode()


def test_an_open_link_lets_anyone_answer_without_a_code(client, personas, wave):
    link = services.open_link_create(
        actor=personas.researcher,
        wave=wave,
        municipality=personas.sola,
        label="UKM Sola",
        now=NOW,
    )
    url = reverse("surveys:answer_link", args=[link.token])
    assert "UKM Sola" in client.get(url).content.decode()
    assert client.post(url, {"language": "nn"}).url == PAGE
    client.post(PAGE, {"kjonn": "2"})
    client.post(PAGE, {})
    client.post(SEND)
    stored = PendingResponse.objects.get()
    assert (stored.municipality, stored.channel) == (personas.sola, "open_link")
    services.open_link_deactivate(actor=personas.researcher, link=link, now=NOW)
    assert client.get(url).status_code == 404


def test_a_closed_wave_sends_the_respondent_back_to_the_start(client, personas, wave, code):
    client.post(START, {"code": code, "language": "nb"})
    services.wave_close(actor=personas.researcher, wave=wave, now=NOW)
    assert client.get(PAGE).url == START
    assert client.post(SEND).url == START
    assert PendingResponse.objects.count() == 0


def test_builders_and_the_resource_group_preview_a_draft_and_nothing_is_stored(client, personas):
    draft = make_questionnaire(personas.researcher, title="Utkast")
    preview = reverse("surveys:answer_preview", args=[draft.pk])
    client.force_login(personas.youth_a)
    assert client.post(preview).status_code == 404  # not shared with this person
    client.force_login(personas.researcher)
    back = reverse("surveys:questionnaire_detail", args=[draft.pk])
    assert client.post(preview, {"back": back, "language": "en"}).url == PAGE
    text = client.get(PAGE).content.decode()
    assert "Utkast (forhåndsvisning)" in text and "Are you …" in text
    client.post(PAGE, {"kjonn": "1"})
    client.post(PAGE, {})
    # The preview is in the language chosen for it.
    sent = client.get(SEND).content.decode()
    assert "In a preview nothing is submitted or saved." in sent
    assert client.post(SEND).url == back
    assert PendingResponse.objects.count() == 0
    assert not AnswerDraft.objects.exists()
    # An address elsewhere is not followed.
    client.post(preview, {"back": "https://example.com/"})
    client.post(PAGE, {"kjonn": "1"})
    client.post(PAGE, {})
    assert client.post(SEND).url == reverse("surveys:comments", args=[draft.pk])


def test_the_browser_holds_the_code_s_hash_not_the_code_and_the_session_holds_neither(client, code):
    client.post(START, {"code": code, "language": "nb"})
    held = signing.loads(client.cookies[views_answer.COOKIE].value, salt=views_answer.COOKIE_SALT)
    assert held == {"draft": draft().pk, "code": services.code_hash(code)}
    assert services.code_normalise(code) not in client.cookies[views_answer.COOKIE].value
    assert not any(key.startswith("surveys") for key in client.session.keys())


def test_a_forged_cookie_is_not_taken(client, code):
    client.post(START, {"code": code, "language": "nb"})
    client.cookies[views_answer.COOKIE] = signing.dumps({"draft": draft().pk}, salt="another")
    assert client.get(PAGE).url == START


def test_the_same_code_again_goes_on_in_the_language_now_chosen(client, personas, wave, code):
    client.post(START, {"code": code, "language": "nb"})
    first = draft().pk
    client.post(PAGE, {"kjonn": "1", "alder": "15", "kulturskole": "2"})
    client.post(START, {"code": code, "language": "nn"})
    # The answers go on where they stopped (issue 20); "Slett svarene og start på nytt"
    # (answer_forget) is the way to begin again.
    assert draft().pk == first and draft().lang == "nn" and draft().page == 1
    client.post(START, {"code": code, "language": "en"})
    assert draft().lang == "en"
    client.post(START, {"code": code, "language": "fr"})
    assert draft().lang == "en"  # not offered: unchanged


def test_an_abandoned_draft_is_purged_a_day_after_it_began(client, code):
    client.post(START, {"code": code, "language": "nb"})
    client.post(PAGE, {"kjonn": "1"})
    began = draft().started_hour
    assert (began.minute, began.second, began.microsecond) == (0, 0, 0)
    assert services.answer_draft_purge(now=began + datetime.timedelta(hours=23, minutes=59)) == 0
    assert services.answer_draft_purge(now=began + datetime.timedelta(hours=24)) == 1
    assert client.get(PAGE).url == START
    assert not AccessCode.objects.filter(used=True).exists()  # the code can start again


def test_the_purge_command_deletes_only_drafts_begun_a_day_ago(wave):
    now = timezone.now()
    for hours in (25, 1):
        services.answer_draft_start(
            questionnaire=wave.survey.questionnaire,
            wave=wave,
            lang="nb",
            now=now - datetime.timedelta(hours=hours),
        )
    out = io.StringIO()
    call_command("purge_survey_drafts", stdout=out)
    assert "1" in out.getvalue()
    assert AnswerDraft.objects.get().started_hour > now - datetime.timedelta(hours=2)
