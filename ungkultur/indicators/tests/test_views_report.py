"""The municipality's indicator report, as a printable page and as a PDF: the dashboard's
figures, protected the same way, for the same people."""

import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from ungkultur.indicators import report
from ungkultur.indicators.tests.dashboard_data import arendal_values, hide, put
from ungkultur.municipalities.models import Municipality

pytestmark = pytest.mark.django_db

HTML = "/kommuner/4203/indikatorer/rapport/"
PDF = "/kommuner/4203/indikatorer/rapport.pdf"


@pytest.fixture
def values(personas):
    arendal_values(personas.arendal)


def _pdf_text(response) -> str:
    pages = PdfReader(io.BytesIO(response.content)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def test_the_pdf_holds_the_figures_and_hides_what_rests_on_few(client, personas, values):
    client.force_login(personas.leader_a)
    response = client.get(PDF, {"term": "2025V"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="indikatorer-4203-2025V.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = _pdf_text(response)
    assert "Indikatorrapport for Arendal" in text
    assert "23,4 %" in text and "+3,4 prosentpoeng" in text
    assert "Tallene ble beregnet 1. juni 2025 kl. 14:00." in text
    # The hidden kulturskole dropout of 2025V (3 people) is written as hidden, never a number
    # (the note on hidden figures says "skjult" once; the hidden cells say it again).
    assert text.count("skjult") >= 2 and "skjult (under" not in text
    # Tagged for screen readers, in the page's language.
    catalog = PdfReader(io.BytesIO(response.content)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/Lang"] == "nb"


def test_the_printable_page_has_every_figure_open(client, personas, values):
    client.force_login(personas.teacher_a)
    response = client.get(HTML, {"term": "2025V"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<details" not in text and "<nav" not in text
    assert 'id="figure-dropout-kulturskole-gender"' in text  # a breakdown, open
    assert f"{PDF}?term=2025V" in text


def test_the_dashboard_links_to_the_report_of_the_chosen_term(client, personas, values):
    client.force_login(personas.leader_a)
    text = client.get("/kommuner/4203/indikatorer/", {"term": "2024H"}).content.decode()
    assert f"{PDF}?term=2024H" in text and f"{HTML}?term=2024H" in text


@pytest.mark.parametrize("url", [HTML, PDF])
def test_a_bad_term_answers_400_in_norwegian(client, personas, values, url):
    client.force_login(personas.leader_a)
    response = client.get(url, {"term": "2025X"})
    assert response.status_code == 400
    assert "Ukjent semester «2025X»" in response.content.decode()


@pytest.mark.parametrize("url", [HTML, PDF])
@pytest.mark.parametrize(
    ("persona", "status"), [("youth_member_a", 403), ("guardian_a", 403), ("leader_b", 404)]
)
def test_who_may_not_read_the_report(client, personas, values, url, persona, status):
    client.force_login(getattr(personas, persona))
    assert client.get(url, {"term": "2025V"}).status_code == status


def test_anonymous_is_sent_to_log_in(client, personas, values):
    assert client.get(PDF).url.startswith("/konto/logg-inn/")


def test_an_old_number_leads_to_the_current_one_with_the_term(client, personas):
    client.force_login(personas.admin)
    response = client.get("/kommuner/3006/indikatorer/rapport.pdf", {"term": "2025V"})
    assert (response.status_code, response.url) == (
        301,
        "/kommuner/3303/indikatorer/rapport.pdf?term=2025V",
    )


def test_the_pdf_is_rendered_once_per_computation(client, personas, values, monkeypatch):
    rendered = []
    real = report.render_pdf
    monkeypatch.setattr(report, "render_pdf", lambda data: rendered.append(1) or real(data))
    client.force_login(personas.leader_a)
    first = client.get(PDF, {"term": "2025V"}).content
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PDF, {"term": "2025V"}).content == first
    assert len(rendered) == 1
    # From the cache the figures are not even read.
    assert not [q for q in queries if "indicators_indicatorvalue" in q["sql"]]
    cache.clear()
    client.get(PDF, {"term": "2025V"})
    assert len(rendered) == 2


def test_without_pango_the_pdf_says_so_and_the_page_still_works(
    client, personas, values, monkeypatch
):
    def unavailable(data):
        raise report.PdfUnavailable("libpango-1.0-0: cannot open shared object file")

    monkeypatch.setattr(report, "render_pdf", unavailable)
    client.force_login(personas.leader_a)
    response = client.get(PDF, {"term": "2025V"})
    assert response.status_code == 503
    assert "PDF-rapporten kan ikke lages på denne serveren" in response.content.decode()
    assert client.get(HTML, {"term": "2025V"}).status_code == 200


PROJECT_HTML = "/nasjonalt/indikatorer/rapport/"
PROJECT_PDF = "/nasjonalt/indikatorer/rapport.pdf"


@pytest.fixture
def nation(personas, values):
    Municipality.objects.filter(pk=personas.arendal.pk).update(is_pilot=True)
    put(personas.sola, "2025V", "participation.all", 18.2, 91, 500)
    hide(personas.sola, "2024H", "participation.all")
    put(Municipality.objects.get(code="0301"), "2025V", "participation.all", 15.0, 1500, 10000)


def test_the_project_report_puts_every_kk_municipality_side_by_side(client, personas, nation):
    client.force_login(personas.coordinator)
    response = client.get(PROJECT_PDF, {"term": "2025V"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="indikatorer-kk-2025V.pdf"'
    text = _pdf_text(response)
    assert "Indikatorrapport for koordinert kulturarbeid" in text
    assert "Arendal (pilot)" in text and "Sola" in text
    assert "23,4 %" in text and "18,2 %" in text
    assert "Oslo" not in text  # outside KK
    assert text.count("skjult") >= 2 and "skjult (under" not in text  # Sola's 2024H
    html = client.get(PROJECT_HTML, {"term": "2025V"}).content.decode()
    for key in report.PROJECT_KEYS:
        assert f'id="section-{key.replace(".", "-")}"' in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_the_national_view_links_to_the_project_report(client, personas, nation):
    client.force_login(personas.researcher)
    text = client.get("/nasjonalt/indikatorer/", {"term": "2025V"}).content.decode()
    assert f"{PROJECT_PDF}?term=2025V" in text and f"{PROJECT_HTML}?term=2025V" in text


@pytest.mark.parametrize("url", [PROJECT_HTML, PROJECT_PDF])
@pytest.mark.parametrize("persona", ["leader_a", "teacher_a", "youth_member_a"])
def test_only_national_roles_read_the_project_report(client, personas, nation, url, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(url, {"term": "2025V"}).status_code == 403


def test_the_project_report_refuses_a_bad_term(client, personas, nation):
    client.force_login(personas.coordinator)
    response = client.get(PROJECT_PDF, {"term": "høst"})
    assert response.status_code == 400
    assert "Ukjent semester «høst»" in response.content.decode()
