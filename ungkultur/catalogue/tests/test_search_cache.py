"""The search page's content is cached per municipality, language and query; every change to
what the catalogue shows makes the next request render afresh."""

import pytest
from django.urls import reverse

from ungkultur.catalogue.models import Offer
from ungkultur.catalogue.services import offer_publish, offer_unpublish
from ungkultur.catalogue.tests.conftest import NOW
from ungkultur.enrolment.services import session_cancel

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:search", args=["4203"])


def test_the_same_search_again_reads_no_offers(client, catalogue, django_assert_num_queries):
    first = client.get(URL, {"age": 13})
    # The municipality, the page content and (being a valid query) nothing else come from
    # the cache: no query at all.
    with django_assert_num_queries(0):
        second = client.get(URL, {"age": 13})

    def main(response):  # the layout around it carries a fresh CSRF token each time
        return response.text.split("<main", 1)[1].split("</main>", 1)[0]

    assert main(second) == main(first)
    assert "Tegneserieverksted" in second.text


def test_a_published_offer_shows_at_once(
    client, personas, catalogue, django_capture_on_commit_callbacks
):
    offer = personas.a.workshop
    with django_capture_on_commit_callbacks(execute=True):
        offer_unpublish(actor=personas.leader_a, offer=offer, now=NOW)
    assert "Tegneserieverksted" not in client.get(URL).text
    with django_capture_on_commit_callbacks(execute=True):
        offer_publish(actor=personas.leader_a, offer=Offer.objects.get(pk=offer.pk), now=NOW)
    assert "Tegneserieverksted" in client.get(URL).text


def test_a_cancelled_session_is_not_the_next_one_any_more(
    client, personas, catalogue, django_capture_on_commit_callbacks
):
    piano = personas.a.piano
    assert "Neste gang: tirsdag 1. september" in client.get(URL).text
    session = piano.sessions.filter(starts_at__gte=NOW).order_by("starts_at").first()
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(actor=personas.teacher_a, session=session, reason="Syk lærer", now=NOW)
    assert "Neste gang: tirsdag 8. september" in client.get(URL).text


def test_each_language_and_each_htmx_fragment_is_cached_apart(client, catalogue):
    page = client.get(URL).text
    fragment = client.get(URL, headers={"HX-Request": "true"}).text
    assert "<html" in page and "<html" not in fragment
    client.cookies["django_language"] = "en"
    english = client.get(URL).text
    assert "activities match" in english or "activity matches" in english
    assert "tilbud passer" in page


def test_a_bad_search_is_never_cached(client, catalogue):
    assert client.get(URL, {"age": "x"}).status_code == 400
    assert client.get(URL, {"age": "x"}).status_code == 400


def test_an_invalid_search_is_refused_even_when_a_valid_one_is_cached(client, catalogue):
    client.get(URL, {"age": 13})
    response = client.get(URL, {"age": "tretten"})
    assert response.status_code == 400
    assert "Tegneserieverksted" not in response.text


def test_an_old_number_is_not_kept_as_the_municipality(client, catalogue):
    kongsberg_old = reverse("catalogue:search", args=["3006"])
    assert client.get(kongsberg_old).status_code == 301
    assert client.get(kongsberg_old).status_code == 301
