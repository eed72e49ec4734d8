import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ungkultur.core.models import AuditEntry
from ungkultur.surveys import services
from ungkultur.surveys.models import (
    AccessCode,
    AccessCodeBatch,
    InformationLetter,
    OpenLink,
    Questionnaire,
    Wave,
)
from ungkultur.surveys.tests.factories import NOW, make_questionnaire


@pytest.fixture
def survey(personas):
    questionnaire = make_questionnaire(personas.researcher)
    return services.survey_create(
        actor=personas.researcher, title="Kultur 2026", questionnaire=questionnaire, now=NOW
    )


@pytest.fixture
def wave(personas, survey):
    wave = services.wave_create(
        actor=personas.researcher, survey=survey, identifier="baseline", title="Baseline", now=NOW
    )
    return services.wave_open(actor=personas.researcher, wave=wave, now=NOW)


def test_a_researcher_creates_a_survey_and_a_wave_and_opening_it_freezes_the_questionnaire(
    client, personas
):
    questionnaire = make_questionnaire(personas.researcher)
    client.force_login(personas.researcher)
    response = client.post(
        reverse("surveys:survey_create"),
        {"title": "Kultur 2026", "questionnaire": questionnaire.pk},
    )
    survey = questionnaire.surveys.get()
    assert response.url == reverse("surveys:survey_detail", args=[survey.pk])
    response = client.post(
        reverse("surveys:wave_create", args=[survey.pk]),
        {"identifier": "baseline", "title": "Baseline høsten 2026", "opens_on": "2026-09-01"},
    )
    wave = survey.waves.get()
    assert response.url == reverse("surveys:wave_detail", args=[wave.pk])
    client.post(reverse("surveys:wave_open", args=[wave.pk]))
    wave.refresh_from_db()
    questionnaire.refresh_from_db()
    assert wave.status == Wave.Status.OPEN
    assert questionnaire.status == Questionnaire.Status.FROZEN and questionnaire.frozen_at
    assert AuditEntry.objects.filter(action="surveys.questionnaire_freeze").count() == 1
    client.post(reverse("surveys:wave_close", args=[wave.pk]))
    wave.refresh_from_db()
    assert wave.status == Wave.Status.CLOSED


def test_wave_identifiers_are_unique_in_a_survey(client, personas, survey, wave):
    client.force_login(personas.researcher)
    response = client.post(
        reverse("surveys:wave_create", args=[survey.pk]), {"identifier": "baseline", "title": "X"}
    )
    assert response.status_code == 400
    assert survey.waves.count() == 1


def test_a_wave_opens_once_and_an_empty_questionnaire_cannot_open(client, personas, wave):
    client.force_login(personas.researcher)
    response = client.post(reverse("surveys:wave_open", args=[wave.pk]))
    assert response.status_code == 400
    assert "Bare en planlagt runde kan åpnes." in response.content.decode()
    empty = services.questionnaire_create(actor=personas.researcher, title="Tom", now=NOW)
    survey = services.survey_create(
        actor=personas.researcher, title="T", questionnaire=empty, now=NOW
    )
    planned = services.wave_create(
        actor=personas.researcher, survey=survey, identifier="baseline", title="B", now=NOW
    )
    response = client.post(reverse("surveys:wave_open", args=[planned.pk]))
    assert response.status_code == 400
    empty.refresh_from_db()
    assert not empty.is_frozen


def test_staff_may_not_open_waves(client, personas, survey):
    planned = services.wave_create(
        actor=personas.researcher, survey=survey, identifier="followup-1", title="F", now=NOW
    )
    client.force_login(personas.teacher_a)
    assert client.post(reverse("surveys:wave_open", args=[planned.pk])).status_code == 403
    client.force_login(personas.youth_a)
    assert client.get(reverse("surveys:wave_detail", args=[planned.pk])).status_code == 403


def test_staff_print_codes_for_their_own_municipality(client, personas, wave):
    client.force_login(personas.teacher_a)
    response = client.post(
        reverse("surveys:batch_create", args=[wave.pk]),
        {
            "municipality": personas.arendal.pk,
            "school": "Stintajuvet skole",
            "class_label": "9B",
            "count": 25,
        },
    )
    batch = AccessCodeBatch.objects.get()
    assert response.url == reverse("surveys:batch_print", args=[batch.pk])
    assert (batch.count, batch.school, batch.class_label) == (25, "Stintajuvet skole", "9B")
    assert AccessCode.objects.filter(batch=batch, used=False).count() == 25
    page = client.get(response.url).content.decode()
    assert page.count('class="surveys-sheet__code"') == 25
    assert page.count("<svg") == 25
    assert "/svar" in page
    # The codes in the session work; the database has only their hashes.
    code = client.session["surveys.print_codes"]["codes"][0]
    assert services.code_check(code).batch == batch
    client.post(reverse("surveys:batch_forget", args=[batch.pk]))
    page = client.get(reverse("surveys:batch_print", args=[batch.pk])).content.decode()
    assert code not in page and "kan bare skrives ut rett etter" in page


def test_staff_cannot_make_codes_for_another_municipality(client, personas, wave):
    client.force_login(personas.teacher_a)
    response = client.post(
        reverse("surveys:batch_create", args=[wave.pk]),
        {"municipality": personas.sola.pk, "count": 5},
    )
    assert response.status_code == 400
    assert not AccessCodeBatch.objects.exists()


def test_another_municipality_s_batch_answers_404(client, personas, wave):
    batch, _codes = services.code_batch_create(
        actor=personas.teacher_b, wave=wave, municipality=personas.sola, count=2, now=NOW
    )
    client.force_login(personas.teacher_a)
    assert client.get(reverse("surveys:batch_print", args=[batch.pk])).status_code == 404
    assert client.post(reverse("surveys:batch_void", args=[batch.pk])).status_code == 404
    client.force_login(personas.youth_b)
    assert client.post(reverse("surveys:batch_void", args=[batch.pk])).status_code == 403
    batch.refresh_from_db()
    assert batch.voided_at is None


def test_the_wave_page_shows_staff_only_their_own_batches(
    client, personas, wave, django_assert_max_num_queries
):
    services.code_batch_create(
        actor=personas.teacher_b,
        wave=wave,
        municipality=personas.sola,
        count=2,
        school="Sola ungdomsskole",
        now=NOW,
    )
    for school in ("Stintajuvet skole", "Roligheden skole"):
        services.code_batch_create(
            actor=personas.teacher_a,
            wave=wave,
            municipality=personas.arendal,
            count=3,
            school=school,
            now=NOW,
        )
    client.force_login(personas.teacher_a)
    # session, user, roles (3), wave, batches, links, letters, response count, and for each of
    # the three forms its municipalities (a probe for "only one" and the options), the letter
    # form's batches: the same count however many batches there are.
    # One more counts the batches for the pages, and one sums the response rates per school.
    with django_assert_max_num_queries(26):
        page = client.get(reverse("surveys:wave_detail", args=[wave.pk])).content.decode()
    assert "Stintajuvet skole" in page and "Roligheden skole" in page
    assert "Sola ungdomsskole" not in page


def test_a_batch_is_too_large_or_empty(client, personas, wave):
    client.force_login(personas.researcher)
    for count in (0, 2001, "mange"):
        response = client.post(
            reverse("surveys:batch_create", args=[wave.pk]),
            {"municipality": personas.arendal.pk, "count": count},
        )
        assert response.status_code == 400
    assert not AccessCodeBatch.objects.exists()


def test_open_links_and_information_letters_are_recorded(client, personas, wave):
    client.force_login(personas.leader_a)
    client.post(
        reverse("surveys:open_link_create", args=[wave.pk]),
        {"municipality": personas.arendal.pk, "label": "UKM Arendal"},
    )
    link = OpenLink.objects.get()
    assert link.active and len(link.token) >= 16
    page = client.get(reverse("surveys:wave_detail", args=[wave.pk])).content.decode()
    assert reverse("surveys:answer_link", args=[link.token]) in page
    client.post(
        reverse("surveys:letter_create", args=[wave.pk]),
        {"municipality": personas.arendal.pk, "version": "2026-1", "sent_on": "2026-08-20"},
    )
    letter = InformationLetter.objects.get()
    assert (letter.version, str(letter.sent_on), letter.recorded_by) == (
        "2026-1",
        "2026-08-20",
        personas.leader_a,
    )
    response = client.post(
        reverse("surveys:letter_create", args=[wave.pk]),
        {"municipality": personas.arendal.pk, "version": "", "sent_on": "i går"},
    )
    assert response.status_code == 400
    assert InformationLetter.objects.count() == 1
    client.post(reverse("surveys:open_link_deactivate", args=[link.pk]))
    link.refresh_from_db()
    assert not link.active


def test_codes_cannot_be_made_for_a_closed_wave(personas, wave):
    services.wave_close(actor=personas.researcher, wave=wave, now=NOW)
    with pytest.raises(ValidationError, match="stengt"):
        services.code_batch_create(
            actor=personas.researcher, wave=wave, municipality=personas.arendal, count=1, now=NOW
        )


def test_index_lists_surveys_for_staff_and_refuses_youth(client, personas, wave):
    client.force_login(personas.teacher_a)
    assert "Kultur 2026" in client.get(reverse("surveys:index")).content.decode()
    client.force_login(personas.youth_a)
    assert client.get(reverse("surveys:index")).status_code == 403


def test_a_letter_may_name_the_batch_it_went_with(client, personas, wave):
    arendal, _codes = services.code_batch_create(
        actor=personas.researcher, wave=wave, municipality=personas.arendal, count=1, now=NOW
    )
    sola, _codes = services.code_batch_create(
        actor=personas.researcher, wave=wave, municipality=personas.sola, count=1, now=NOW
    )
    client.force_login(personas.researcher)
    url = reverse("surveys:letter_create", args=[wave.pk])
    data = {"municipality": personas.arendal.pk, "version": "2", "sent_on": "2026-08-20"}
    response = client.post(url, {**data, "batch": sola.pk})
    assert response.status_code == 400
    assert "Kodebunken hører til en annen kommune." in response.content.decode()
    client.post(url, {**data, "batch": arendal.pk})
    assert InformationLetter.objects.get().batch == arendal


def test_a_national_wave_s_batches_come_fifty_to_a_page(client, personas, wave):
    for n in range(51):
        services.code_batch_create(
            actor=personas.researcher,
            wave=wave,
            municipality=personas.arendal,
            count=1,
            class_label=f"Klasse {n:02}",
            now=NOW,
        )
    client.force_login(personas.researcher)
    url = reverse("surveys:wave_detail", args=[wave.pk])
    first = client.get(url).content.decode()
    assert first.count("<td>Arendal</td>") == 50
    assert "Side 1 av 2" in first
    second = client.get(url + "?side=2").content.decode()
    assert second.count("<td>Arendal</td>") == 1
