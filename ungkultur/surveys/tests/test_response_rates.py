"""Class size per code batch gives the response rate per class and per school (issue 20)."""

import re

import pytest
from django.urls import reverse

from ungkultur.surveys import services
from ungkultur.surveys.models import AccessCode, AccessCodeBatch
from ungkultur.surveys.selectors import school_response_rates
from ungkultur.surveys.tests.factories import NOW, make_questionnaire, open_wave


@pytest.fixture
def wave(personas):
    return open_wave(personas.researcher, make_questionnaire(personas.researcher))


def _batch(
    personas, wave, *, municipality=None, school, class_label, count, size, used, actor=None
):
    batch, _codes = services.code_batch_create(
        actor=actor or personas.teacher_a,
        wave=wave,
        municipality=municipality or personas.arendal,
        school=school,
        class_label=class_label,
        count=count,
        class_size=size,
        now=NOW,
    )
    ids = list(AccessCode.objects.filter(batch=batch).values_list("pk", flat=True)[:used])
    AccessCode.objects.filter(pk__in=ids).update(used=True)
    return batch


def test_the_class_size_is_entered_with_the_codes_and_bad_sizes_are_refused(client, personas, wave):
    client.force_login(personas.teacher_a)
    url = reverse("surveys:batch_create", args=[wave.pk])
    data = {"municipality": personas.arendal.pk, "school": "Stintajuvet", "count": 30}
    response = client.post(url, {**data, "class_label": "9B", "class_size": "0"})
    assert response.status_code == 400
    assert not AccessCodeBatch.objects.exists()
    client.post(url, {**data, "class_label": "9B", "class_size": "27"})
    assert AccessCodeBatch.objects.get().class_size == 27


def test_the_wave_page_shows_the_rate_per_class_and_per_school(client, personas, wave):
    _batch(personas, wave, school="Stintajuvet", class_label="9A", count=30, size=25, used=20)
    _batch(personas, wave, school="Stintajuvet", class_label="9B", count=30, size=25, used=15)
    _batch(personas, wave, school="Moen", class_label="8A", count=10, size=None, used=5)
    voided = _batch(personas, wave, school="Moen", class_label="8B", count=10, size=10, used=1)
    services.code_batch_void(actor=personas.teacher_a, batch=voided, now=NOW)
    _batch(
        personas,
        wave,
        municipality=personas.sola,
        actor=personas.teacher_b,
        school="Sola ungdomsskole",
        class_label="10A",
        count=20,
        size=20,
        used=20,
    )
    client.force_login(personas.teacher_a)
    text = client.get(reverse("surveys:wave_detail", args=[wave.pk])).content.decode()
    assert "Svarprosent per skole" in text
    # 9A: 20 of 25 = 80 %; 9B: 15 of 25 = 60 %; the school: 35 of 50 = 70 %.
    assert re.search(r"<td>25</td><td>80 %</td>", text)
    assert re.search(r"<td>Stintajuvet</td><td>50</td><td>35</td><td>70 %</td>", text)
    # A class without a size has no rate; a withdrawn batch and another municipality's count
    # in no school's rate.
    assert "Moen</td><td>" not in text.split("Svarprosent per skole")[1]
    assert "Sola ungdomsskole" not in text
    rates = school_response_rates(wave, personas.teacher_a)
    assert rates == [
        {"municipality": "Arendal", "school": "Stintajuvet", "pupils": 50, "used": 35, "rate": 70}
    ]
