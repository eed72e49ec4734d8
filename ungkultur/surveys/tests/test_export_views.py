"""Research exports through the pages: researchers only, on the task worker, then a download."""

import io

import polars as pl
import pytest
from django.urls import reverse

from ungkultur.surveys.models import ResearchExport
from ungkultur.surveys.tests.results_data import a_mixed_wave, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.UNGKULTUR_SURVEY_FILES_DIR = str(tmp_path)


@pytest.fixture
def wave(personas):
    _survey, (wave,) = make_survey(personas.researcher)
    a_mixed_wave(wave, personas.arendal, personas.sola)
    return wave


def _order(client, wave, fmt, capture):
    with capture(execute=True):
        return client.post(reverse("surveys:research_exports", args=[wave.pk]), {"format": fmt})


def test_a_researcher_orders_an_export_and_downloads_it(
    client, personas, wave, django_capture_on_commit_callbacks
):
    client.force_login(personas.researcher)
    response = _order(client, wave, "parquet", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    export = ResearchExport.objects.get()
    assert export.status == ResearchExport.Status.DONE
    assert export.requested_by == personas.researcher
    page = client.get(reverse("surveys:research_exports", args=[wave.pk]))
    assert reverse("surveys:research_export_download", args=[export.pk]) in page.content.decode()
    download = client.get(reverse("surveys:research_export_download", args=[export.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    frame = pl.read_parquet(io.BytesIO(b"".join(download.streaming_content)))
    assert frame.height == 33


def test_the_status_row_polls_until_the_export_is_ready(client, personas, wave):
    export = ResearchExport.objects.create(
        wave=wave,
        format="csv",
        requested_by=personas.researcher,
        requested_at=wave.survey.created_at,
    )
    client.force_login(personas.researcher)
    response = client.get(reverse("surveys:research_export_status", args=[export.pk]))
    text = response.content.decode()
    assert 'hx-trigger="every 2s"' in text and "<html" not in text
    # Not ready: no file to download.
    assert (
        client.get(reverse("surveys:research_export_download", args=[export.pk])).status_code == 404
    )


@pytest.mark.parametrize("who", ["admin", "coordinator"])
def test_national_roles_other_than_researcher_may_not_take_microdata(
    client, personas, wave, who, django_capture_on_commit_callbacks
):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("surveys:research_exports", args=[wave.pk])).status_code == 403
    assert _order(client, wave, "csv", django_capture_on_commit_callbacks).status_code == 403
    assert not ResearchExport.objects.exists()


@pytest.mark.parametrize("who", ["leader", "teacher", "youth"])
def test_municipal_roles_may_not_take_microdata(client, personas, wave, who):
    client.force_login(getattr(personas.a, who))
    assert client.get(reverse("surveys:research_exports", args=[wave.pk])).status_code == 403


def test_a_download_is_for_researchers_only(
    client, personas, wave, django_capture_on_commit_callbacks
):
    client.force_login(personas.researcher)
    _order(client, wave, "csv", django_capture_on_commit_callbacks)
    export = ResearchExport.objects.get()
    client.force_login(personas.coordinator)
    url = reverse("surveys:research_export_download", args=[export.pk])
    assert client.get(url).status_code == 403


def test_an_unknown_format_answers_400_and_orders_nothing(
    client, personas, wave, django_capture_on_commit_callbacks
):
    client.force_login(personas.researcher)
    response = _order(client, wave, "xls", django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "er ikke et av de tilgjengelige valgene" in response.content.decode()
    assert not ResearchExport.objects.exists()


def test_a_failed_export_is_recorded(
    client, personas, wave, django_capture_on_commit_callbacks, settings
):
    settings.UNGKULTUR_SURVEY_FILES_DIR = "/proc/ikke-skrivbar"
    client.force_login(personas.researcher)
    _order(client, wave, "csv", django_capture_on_commit_callbacks)
    export = ResearchExport.objects.get()
    assert export.status == ResearchExport.Status.FAILED
    assert export.error
