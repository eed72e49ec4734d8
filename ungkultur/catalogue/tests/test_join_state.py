"""Before clicking, a card and an offer page say whether one can join: "Åpen",
"Søknadsfristen har gått ut" or "Fullt – venteliste"; one's own waiting place or application
shows instead of the button; a logged-in youth's age is filled into the search."""

import datetime

import pytest
from django.urls import reverse

from ungkultur.catalogue.models import Offer
from ungkultur.catalogue.tests.conftest import NOW
from ungkultur.enrolment.services import enrolment_join
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db
SEARCH = reverse("catalogue:search", args=["4203"])


def _page(offer):
    return reverse("catalogue:offer_detail", args=[offer.pk])


def _card(text, title):
    start = text.index(f">{title}</a></h3>")
    return text[start : text.index("</li>\n                </ul>", start)]


def _fill(offer, n):
    for i in range(n):
        youth = make_user(f"fyll{offer.pk}.{i}@example.org", first_name="Fyll", birth_year=2012)
        enrolment_join(actor=youth, offer=offer, person=youth, now=NOW)


@pytest.mark.urls("ungkultur.catalogue.tests.urls_with_join")
def test_a_passed_deadline_shows_on_the_card_and_the_page_has_no_apply_button(client, catalogue):
    piano = catalogue.a.piano  # deadline 1 June 2026, NOW is 1 September
    card = _card(client.get(SEARCH, {"age": ""}).text, "Piano")
    assert "Søknadsfristen har gått ut" in card
    text = client.get(_page(piano)).text
    assert "Søknadsfristen har gått ut" in text
    assert "Søk om plass" not in text
    assert f"/tilbud/{piano.pk}/bli-med/" not in text


@pytest.mark.urls("ungkultur.catalogue.tests.urls_with_join")
def test_an_open_application_says_until_when(client, catalogue):
    piano = catalogue.a.piano
    piano.application_deadline = datetime.date(2026, 9, 20)
    piano.save(update_fields=["application_deadline"])
    card = _card(client.get(SEARCH, {"age": ""}).text, "Piano")
    assert "Åpen – søk innen 20. september" in card
    assert "Søk om plass</a>" in client.get(_page(piano)).text


@pytest.mark.urls("ungkultur.catalogue.tests.urls_with_join")
def test_a_full_offer_says_so_before_you_click(client, catalogue):
    workshop = catalogue.a.workshop  # two places
    assert "Åpen" in _card(client.get(SEARCH, {"age": ""}).text, "Tegneserieverksted")
    _fill(workshop, 2)
    card = _card(client.get(SEARCH, {"age": "14"}).text, "Tegneserieverksted")
    assert "Fullt – venteliste" in card
    text = client.get(_page(workshop)).text
    assert "Fullt – venteliste" in text
    assert "Sett deg på venteliste</a>" in text
    assert "Meld deg på</a>" not in text


@pytest.mark.urls("ungkultur.catalogue.tests.urls_with_join")
def test_on_the_waiting_list_the_offer_page_says_so_instead_of_meld_deg_pa(
    client, catalogue, personas
):
    workshop = catalogue.a.workshop
    _fill(workshop, 2)
    youth = personas.youth_a
    enrolment_join(actor=youth, offer=workshop, person=youth, now=NOW)
    client.force_login(youth)
    text = client.get(_page(workshop)).text
    assert "Du står på ventelisten" in text
    assert "venteliste</a>" not in text and "Meld deg på</a>" not in text
    # Another youth sees the button, not the first one's place.
    client.force_login(personas.youth_b)
    text = client.get(_page(workshop)).text
    assert "Du står på ventelisten" not in text
    assert "Sett deg på venteliste</a>" in text


def test_the_catalogue_fills_in_a_logged_in_youths_age(client, catalogue, personas):
    client.force_login(personas.youth_a)  # born 2011: 15 in 2026
    response = client.get(SEARCH)
    assert response.status_code == 302
    assert response["Location"] == f"{SEARCH}?age=15"
    page = client.get(response["Location"])
    assert 'value="15"' in page.text
    assert "Tegneserieverksted" in page.text
    # "Nullstill" shows every age, and does not fill it in again.
    assert f'href="{SEARCH}?age="' in page.text
    assert client.get(SEARCH, {"age": ""}).status_code == 200


def test_anonymous_visitors_and_adults_without_a_birth_year_get_the_page_as_it_is(
    client, catalogue, personas
):
    assert client.get(SEARCH).status_code == 200
    client.force_login(personas.a.leader)
    assert client.get(SEARCH).status_code == 200


def test_the_state_costs_one_query_for_a_whole_page(
    client, catalogue, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7):
        assert client.get(SEARCH, {"age": ""}).status_code == 200


def test_the_groups_of_one_course_show_as_one_card_with_its_groups(client, catalogue):
    piano = catalogue.a.piano
    piano.application_deadline = datetime.date(2026, 9, 20)
    piano.save(update_fields=["application_deadline"])
    second = Offer.objects.get(pk=piano.pk)
    second.pk = None
    second.title = "Piano, gruppe 2"
    second.application_deadline = datetime.date(2026, 8, 1)  # passed
    second.save()
    # Another unit's "Piano, gruppe 3" is not one of its groups.
    other = Offer.objects.get(pk=piano.pk)
    other.pk, other.unit, other.title = None, catalogue.a.library, "Piano, gruppe 3"
    other.save()
    text = client.get(SEARCH, {"age": ""}).text
    assert text.count(">Piano</a></h3>") == 2
    card = _card(text, "Piano")
    assert card.count('data-testid="join-state"') == 2
    groups = card[card.index('data-testid="groups"') :]
    assert f'href="{_page(piano)}"><span class="ds-sr-only">Piano, </span>gruppe 1</a>' in groups
    assert f'href="{_page(second)}"><span class="ds-sr-only">Piano, </span>gruppe 2</a>' in groups
    assert "Åpen – søk innen 20. september" in groups
    assert "Søknadsfristen har gått ut" in groups
    assert "gruppe 3" not in card
