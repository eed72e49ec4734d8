"""403, 404 and 500 in each of the site's languages, each with the menu and a link home
(issue 18): the heading, the menu's name and the page's lang in the visitor's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from ungkultur.organisations import views as organisation_views

pytestmark = pytest.mark.django_db

HEADINGS = {
    "nb": {
        403: "Du har ikke tilgang til denne siden",
        404: "Vi fant ikke siden",
        500: "Noe gikk galt hos oss",
    },
    "nn": {
        403: "Du har ikkje tilgang til denne sida",
        404: "Vi fann ikkje sida",
        500: "Noko gjekk gale hos oss",
    },
    "en": {
        403: "You do not have access to this page",
        404: "We could not find the page",
        500: "Something went wrong on our end",
    },
}
MENU = {"nb": "Hovedmeny", "nn": "Hovudmeny", "en": "Main menu"}


@pytest.fixture(autouse=True)
def _language_restored():
    with translation.override("nb"):
        yield


def error_page(client, personas, monkeypatch, status):
    if status == 403:
        client.force_login(personas.youth_a)  # a youth may not take a municipality out of KK
        return client.post(reverse("organisations:municipality_kk_deactivate", args=["4203"]))
    if status == 404:
        return client.get("/finnes-ikke/")

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(organisation_views, "render", broken)
    client.raise_request_exception = False
    return client.get(reverse("organisations:municipality_list"))


@pytest.mark.parametrize("status", [403, 404, 500])
@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_each_error_page_speaks_the_visitors_language_with_a_way_home(
    client, personas, monkeypatch, language, status
):
    client.cookies["django_language"] = language
    response = error_page(client, personas, monkeypatch, status)
    assert response.status_code == status
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    assert HEADINGS[language][status] in page
    assert f'aria-label="{MENU[language]}"' in page
    assert f'href="{reverse("organisations:home")}"' in page
    for other in set(HEADINGS) - {language}:
        assert HEADINGS[other][status] not in page
