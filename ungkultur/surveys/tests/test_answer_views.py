import pytest
from django.urls import reverse

from ungkultur.surveys import services
from ungkultur.surveys.models import AccessCode, Response
from ungkultur.surveys.tests.factories import NOW, make_questionnaire, open_wave

START = reverse("surveys:answer_start")


def page(n):
    return reverse("surveys:answer_page", args=[n])


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
    assert response.url == page(0)
    text = client.get(page(0)).content.decode()
    assert "Side 1 av 2" in text and "Er du …" in text
    assert "Hvor mange år?" not in text  # shown only to kulturskole pupils
    response = client.post(page(0), {"kjonn": "1", "alder": "15", "kulturskole": "2"})
    assert response.url == page(1)
    response = client.post(page(1), {"fornoyd": "4", "moteplass_inne": "2", "onske": "Mer band"})
    assert response.url == reverse("surveys:answer_send")
    assert Response.objects.count() == 0  # nothing stored before the respondent sends
    response = client.post(reverse("surveys:answer_send"))
    assert response.url == reverse("surveys:answer_thanks")
    stored = Response.objects.get()
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
    assert "surveys.progress" not in client.session


def test_a_condition_shows_a_question_when_the_earlier_answer_fits(client, code):
    client.post(START, {"code": code, "language": "nb"})
    response = client.post(page(0), {"kjonn": "2", "kulturskole": "1"})
    # The answer made a question on the same page relevant: the page is shown again with it,
    # and the answers already given are kept.
    assert response.url == page(0) + "?mer=1"
    text = client.get(response.url).content.decode()
    assert "Hvor mange år?" in text and "et spørsmål til på denne siden" in text
    assert 'value="1" class="ds-input" id="id_kulturskole_0" checked' in text
    response = client.post(page(0), {"kjonn": "2", "kulturskole": "1", "kulturskole_ar": "3"})
    assert response.url == page(1)
    assert client.session["surveys.progress"]["answers"]["kulturskole_ar"] == 3
    # Changing the answer hides the question again and drops its answer.
    client.post(page(0), {"kjonn": "2", "kulturskole": "2", "kulturskole_ar": "3"})
    assert "kulturskole_ar" not in client.session["surveys.progress"]["answers"]


def test_required_questions_and_constraints_are_checked_per_page(client, code):
    client.post(START, {"code": code, "language": "nb"})
    response = client.post(page(0), {"alder": "40"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Du må svare på dette spørsmålet." in text
    assert "Alder må være mellom 10 og 25." in text
    assert client.session["surveys.progress"]["answers"] == {}


def test_optional_questions_may_be_skipped(client, code):
    client.post(START, {"code": code, "language": "nb"})
    client.post(page(0), {"kjonn": "1"})
    client.post(page(1), {})
    client.post(reverse("surveys:answer_send"))
    assert Response.objects.get().answers == {"kjonn": "1"}


def test_progress_is_kept_so_the_respondent_can_resume_on_the_same_device(client, code):
    client.post(START, {"code": code, "language": "nb"})
    client.post(page(0), {"kjonn": "1", "alder": "14"})
    text = client.get(START).content.decode()
    assert "Fortsett der du slapp" in text
    assert 'value="14"' in client.get(page(0)).content.decode()
    client.post(reverse("surveys:answer_forget"))
    assert "surveys.progress" not in client.session
    assert client.get(page(0)).url == START


def test_the_chosen_language_is_used_for_questions_and_choices(client, code):
    client.post(START, {"code": code, "language": "en"})
    text = client.get(page(0)).content.decode()
    assert "Are you …" in text and "Girl" in text
    assert '<html lang="en"' in text


def test_a_used_code_is_refused_at_the_start(client, wave, code):
    services.response_submit(wave=wave, answers={"kjonn": "1"}, code=code, today=NOW.date())
    response = client.post(START, {"code": code, "language": "nb"})
    assert response.status_code == 400
    assert "Denne koden er allerede brukt." in response.content.decode()
    assert "surveys.progress" not in client.session


def test_a_code_used_elsewhere_meanwhile_is_refused_on_sending(client, wave, code):
    client.post(START, {"code": code, "language": "nb"})
    client.post(page(0), {"kjonn": "1"})
    client.post(page(1), {})
    services.response_submit(wave=wave, answers={"kjonn": "2"}, code=code, today=NOW.date())
    response = client.post(reverse("surveys:answer_send"))
    assert response.status_code == 400
    assert "allerede brukt" in response.content.decode()
    assert Response.objects.count() == 1


def test_an_unknown_code_is_refused(client, wave):
    response = client.post(START, {"code": "ZZZZZ-ZZZZZ", "language": "nb"})
    assert response.status_code == 400
    assert "Vi finner ikke denne koden." in response.content.decode()


def test_the_code_from_a_qr_link_is_filled_in(client):
    assert 'value="ABCDE-23456"' in client.get(START + "?kode=ABCDE-23456").content.decode()


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
    assert client.post(url, {"language": "nn"}).url == page(0)
    client.post(page(0), {"kjonn": "2"})
    client.post(page(1), {})
    client.post(reverse("surveys:answer_send"))
    stored = Response.objects.get()
    assert (stored.municipality, stored.channel) == (personas.sola, "open_link")
    services.open_link_deactivate(actor=personas.researcher, link=link, now=NOW)
    assert client.get(url).status_code == 404


def test_a_closed_wave_sends_the_respondent_back_to_the_start(client, personas, wave, code):
    client.post(START, {"code": code, "language": "nb"})
    services.wave_close(actor=personas.researcher, wave=wave, now=NOW)
    assert client.get(page(0)).url == START
    assert client.post(reverse("surveys:answer_send")).url == START
    assert Response.objects.count() == 0


def test_builders_and_the_resource_group_preview_a_draft_and_nothing_is_stored(client, personas):
    draft = make_questionnaire(personas.researcher, title="Utkast")
    preview = reverse("surveys:answer_preview", args=[draft.pk])
    client.force_login(personas.youth_a)
    assert client.post(preview).status_code == 404  # not shared with this person
    client.force_login(personas.researcher)
    back = reverse("surveys:questionnaire_detail", args=[draft.pk])
    assert client.post(preview, {"back": back, "language": "en"}).url == page(0)
    text = client.get(page(0)).content.decode()
    assert "Utkast (forhåndsvisning)" in text and "Are you …" in text
    client.post(page(0), {"kjonn": "1"})
    client.post(page(1), {})
    # The preview is in the language chosen for it.
    sent = client.get(reverse("surveys:answer_send")).content.decode()
    assert "In a preview nothing is submitted or saved." in sent
    assert client.post(reverse("surveys:answer_send")).url == back
    assert Response.objects.count() == 0
    assert "surveys.progress" not in client.session
    # An address elsewhere is not followed.
    client.post(preview, {"back": "https://example.com/"})
    client.post(page(0), {"kjonn": "1"})
    client.post(page(1), {})
    assert client.post(reverse("surveys:answer_send")).url == reverse(
        "surveys:comments", args=[draft.pk]
    )


def test_the_session_keeps_the_code_s_hash_not_the_code(client, code):
    client.post(START, {"code": code, "language": "nb"})
    kept = client.session["surveys.progress"]["code"]
    assert kept == services.code_hash(code) and services.code_normalise(code) not in kept
