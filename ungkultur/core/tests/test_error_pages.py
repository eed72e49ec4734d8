"""The site's 403, 404 and 500 pages (ungkultur/errors.py): Norwegian, with a way on."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ungkultur import errors
from ungkultur.organisations import views as organisation_views

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    """A request with a language cookie activates that language in this thread; whatever these
    tests activate is undone, and they start from bokmål whatever ran before."""
    with translation.override("nb"):
        yield


def _links(response) -> str:
    return response.content.decode()


def test_a_page_that_is_not_there_is_a_norwegian_404_with_the_menu(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    page = _links(response)
    assert "Vi fant ikke siden" in page
    assert "Not Found" not in page
    assert 'aria-label="Hovedmeny"' in page
    assert f'href="{reverse("organisations:home")}"' in page
    assert f'href="{reverse("accounts:login")}?next=/finnes-ikke/"' in page


@pytest.mark.parametrize(
    "language, heading", [("nn", "Vi fann ikkje sida"), ("en", "We could not find the page")]
)
def test_the_404_page_speaks_the_visitors_language(client, language, heading):
    client.cookies["django_language"] = language
    page = _links(client.get("/finnes-ikke/"))
    assert f'<html lang="{language}"' in page
    assert heading in page


def test_the_404_page_knows_who_is_logged_in(client, personas):
    client.force_login(personas.youth_a)
    page = _links(client.get("/finnes-ikke/"))
    assert "Logg ut" in page
    assert reverse("accounts:login") not in page


def test_a_forbidden_page_is_a_norwegian_403_with_the_menu(client, personas):
    # A youth may not take a municipality out of KK.
    client.force_login(personas.youth_a)
    response = client.post(reverse("organisations:municipality_kk_deactivate", args=["4203"]))
    assert response.status_code == 403
    page = _links(response)
    assert "Du har ikke tilgang til denne siden" in page
    assert "403 Forbidden" not in page
    assert 'aria-label="Hovedmeny"' in page


def test_a_server_error_is_a_500_page_in_the_visitors_language(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(organisation_views, "render", broken)
    client.raise_request_exception = False
    client.cookies["django_language"] = "nn"
    response = client.get(reverse("organisations:municipality_list"))
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="nn"' in page
    assert "Noko gjekk gale hos oss" in page
    assert f'href="{reverse("organisations:home")}"' in page
    assert "secret" not in page


def test_the_500_page_renders_without_the_database_or_the_request():
    # The error may be the database: the page asks nothing of it, nor of the session or user.
    request = RequestFactory().get("/kommuner/")
    with translation.override("nb"), CaptureQueriesContext(connection) as queries:
        response = errors.server_error(request)
    assert len(queries) == 0
    assert response.status_code == 500
    page = response.content.decode()
    assert "Noe gikk galt hos oss" in page
    assert f'href="{reverse("organisations:municipality_list")}"' in page
    assert "secret" not in page
