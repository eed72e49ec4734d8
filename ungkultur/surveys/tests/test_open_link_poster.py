"""An open link has a printable poster with a QR code, and the survey title is shown in the
respondent's language (issue 20)."""

import pytest
import segno
from django.urls import reverse

from ungkultur.surveys import services
from ungkultur.surveys.models import Survey
from ungkultur.surveys.tests.factories import NOW, make_questionnaire, open_wave


@pytest.fixture
def link(personas):
    wave = open_wave(personas.researcher, make_questionnaire(personas.researcher))
    Survey.objects.filter(pk=wave.survey_id).update(
        title="Kultur der du bor", title_nn="Kultur der du bur", title_en="Culture where you live"
    )
    return services.open_link_create(
        actor=personas.leader_a,
        wave=wave,
        municipality=personas.arendal,
        label="UKM Arendal",
        now=NOW,
    )


def test_the_poster_shows_the_qr_code_of_the_open_link(client, personas, link):
    client.force_login(personas.leader_a)
    response = client.get(reverse("surveys:open_link_poster", args=[link.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    address = "http://testserver" + reverse("surveys:answer_link", args=[link.token])
    assert segno.make(address, error="m").svg_inline(scale=6, border=2, omitsize=True) in text
    assert (
        "UKM Arendal" in text and "Kultur der du bor" in text and "Culture where you live" in text
    )
    wave_page = client.get(reverse("surveys:wave_detail", args=[link.wave_id])).content.decode()
    assert reverse("surveys:open_link_poster", args=[link.pk]) in wave_page


def test_the_poster_is_for_those_who_manage_codes_in_the_link_s_municipality(
    client, personas, link
):
    url = reverse("surveys:open_link_poster", args=[link.pk])
    client.force_login(personas.leader_b)  # another municipality
    assert client.get(url).status_code == 404
    client.force_login(personas.youth_a)  # Arendal, no codes to manage
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the login
    services.open_link_deactivate(actor=personas.leader_a, link=link, now=NOW)
    client.force_login(personas.leader_a)
    assert client.get(url).status_code == 404  # a closed link has no poster


def test_the_survey_title_is_shown_in_the_language_answered(client, personas, link):
    page = reverse("surveys:answer_page")
    start = reverse("surveys:answer_link", args=[link.token])
    assert "Kultur der du bor" in client.get(start).content.decode()
    assert client.post(start, {"language": "en"}).url == page
    text = client.get(page).content.decode()
    assert "Culture where you live" in text and "Kultur der du bor" not in text
    client.post(start, {"language": "nn"})
    assert "Kultur der du bur" in client.get(page).content.decode()
