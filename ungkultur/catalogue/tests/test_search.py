import datetime

import pytest
from django.urls import reverse

from ungkultur.catalogue.models import Category, Offer, Session, Venue
from ungkultur.catalogue.tests.conftest import NOW, WEDNESDAY, weekly

pytestmark = pytest.mark.django_db

URL = reverse("catalogue:search", args=["4203"])


def _titles(response):
    """The offer titles in the results, in order."""
    return [offer.title for offer in response.context["page"].object_list]


def _offer(personas, title, **fields):
    a = personas.a
    values = {
        "unit": a.library,
        "municipality": personas.arendal,
        "venue": a.venue,
        "title": title,
        "category": Category.LITERATURE,
        "age_min": 13,
        "age_max": 19,
        "join_mode": Offer.JoinMode.DROP_IN,
        "status": Offer.Status.PUBLISHED,
        "term_start": datetime.date(2026, 8, 1),
        "term_end": datetime.date(2026, 12, 18),
    }
    values.update(fields)
    return Offer.objects.create(**values)


def test_catalogue_shows_the_municipalitys_published_offers(client, catalogue):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Tilbud for ungdom i Arendal" in response.text
    assert _titles(response) == ["Piano", "Tegneserieverksted", "Åpen klubb"]
    assert "Arendal kulturskole" in response.text
    assert "Sola kulturskole" not in response.text
    assert "3 tilbud passer" in response.text


def test_each_result_shows_what_who_when_where_price_and_how_to_join(client, catalogue):
    text = client.get(URL).text
    assert "8–19 år" in text
    # The next piano lesson is this afternoon (the clock stands at Tuesday 1 September, 12:00).
    assert "Dag: tirsdag" in text
    assert "Neste gang: tirsdag 1. september kl. 17:00–17:45" in text
    assert "Dager: onsdag og fredag" in text
    assert "Neste gang: onsdag 2. september kl. 18:00–21:00" in text
    assert "Kulturhuset Arendal · trinnfri adkomst" in text
    assert "1\xa0800 kr (redusert pris 900 kr)" in text
    assert text.count("Gratis") == 2
    assert "Søknad" in text
    assert "Påmelding" in text
    assert "Bare møt opp" in text


def test_drafts_cancelled_and_ended_offers_are_not_listed(client, catalogue):
    _offer(catalogue, "Utkast", status=Offer.Status.DRAFT)
    _offer(catalogue, "Avlyst kurs", status=Offer.Status.CANCELLED)
    _offer(
        catalogue,
        "Vårkurs",
        term_start=datetime.date(2026, 1, 5),
        term_end=datetime.date(2026, 6, 19),
    )
    _offer(catalogue, "Sluttet i går", term_end=datetime.date(2026, 8, 31))
    _offer(catalogue, "Siste dag i dag", term_end=datetime.date(2026, 9, 1))
    _offer(catalogue, "Lesesirkel", term_end=None)
    titles = _titles(client.get(URL))
    assert titles == [
        "Lesesirkel",
        "Piano",
        "Siste dag i dag",
        "Tegneserieverksted",
        "Åpen klubb",
    ]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"age": 9}, ["Piano"]),
        ({"age": 17}, ["Piano", "Åpen klubb"]),
        ({"age": 12}, ["Piano", "Tegneserieverksted", "Åpen klubb"]),
        ({"age": 20}, []),
        ({"interest": "visual_art"}, ["Tegneserieverksted"]),
        ({"interest": ["music", "visual_art"]}, ["Piano", "Tegneserieverksted"]),
        ({"weekday": WEDNESDAY}, ["Åpen klubb"]),
        ({"weekday": [1, 3]}, ["Piano", "Tegneserieverksted"]),
        ({"weekday": 6}, []),
        ({"kind": "youth_club"}, ["Åpen klubb"]),
        ({"kind": "kulturskole"}, ["Piano"]),
        ({"free": "on"}, ["Tegneserieverksted", "Åpen klubb"]),
        ({"age": 13, "free": "on", "weekday": 4}, ["Åpen klubb"]),
    ],
)
def test_filters(client, catalogue, query, expected):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert _titles(response) == expected


def test_filter_by_place_finds_offers_there_and_sessions_held_there(client, catalogue):
    library = Venue.objects.create(municipality=catalogue.arendal, name="Hovedbiblioteket")
    _offer(catalogue, "Skrivekurs", venue=library)
    # One of the workshop's sessions moves to the library.
    session = catalogue.a.workshop.sessions.order_by("starts_at").last()
    session.venue = library
    session.save()
    response = client.get(URL, {"place": library.pk})
    assert _titles(response) == ["Skrivekurs", "Tegneserieverksted"]
    assert _titles(client.get(URL, {"place": catalogue.a.venue.pk})) == [
        "Piano",
        "Tegneserieverksted",
        "Åpen klubb",
    ]


def test_step_free_only_leaves_out_places_with_steps(client, catalogue):
    stairs = Venue.objects.create(municipality=catalogue.arendal, name="Loftet", step_free=False)
    _offer(catalogue, "Loftskonsert", venue=stairs)
    _offer(catalogue, "Uten sted", venue=None)
    assert "Loftskonsert" in _titles(client.get(URL))
    assert _titles(client.get(URL, {"step_free": "on"})) == [
        "Piano",
        "Tegneserieverksted",
        "Åpen klubb",
    ]


def test_weekday_filter_counts_only_coming_sessions_that_are_not_cancelled(client, catalogue):
    catalogue.a.open_club.sessions.filter(weekday=WEDNESDAY).update(
        cancelled_at=NOW, cancel_reason="Oppussing"
    )
    assert _titles(client.get(URL, {"weekday": WEDNESDAY})) == []
    # A Saturday session that was yesterday-but-one does not count either.
    Session.objects.create(
        offer=catalogue.a.piano,
        starts_at=NOW - datetime.timedelta(days=3),
        ends_at=NOW - datetime.timedelta(days=3, hours=-1),
        weekday=5,
    )
    assert _titles(client.get(URL, {"weekday": 5})) == []


def test_offer_without_sessions_says_so(client, personas, now):
    response = client.get(URL)
    assert _titles(response) == ["Piano", "Tegneserieverksted", "Åpen klubb"]
    assert response.text.count("Ingen tidspunkter er lagt ut ennå") == 3


def test_nothing_found_says_so(client, catalogue):
    response = client.get(URL, {"age": 40})
    assert response.status_code == 200
    assert "0 tilbud passer" in response.text
    assert "Ingen tilbud passer med det du har valgt" in response.text


@pytest.mark.parametrize(
    "query, message",
    [
        ({"age": "tolv"}, "Oppgi et heltall"),
        ({"age": 0}, "Verdien må være større enn eller lik 1"),
        ({"weekday": 7}, "Velg et gyldig valg"),
        ({"interest": "matlaging"}, "Velg et gyldig valg"),
        ({"kind": "skole"}, "Velg et gyldig valg"),
        ({"place": "abc"}, "Velg et gyldig valg"),
        ({"page": "x"}, "Oppgi et heltall"),
    ],
)
def test_bad_query_is_400_with_the_message(client, catalogue, query, message):
    response = client.get(URL, query)
    assert response.status_code == 400
    assert message in response.text
    assert "Søket kunne ikke utføres" in response.text
    assert "page" not in response.context


def test_bad_age_is_marked_on_the_field(client, catalogue):
    response = client.get(URL, {"age": "tolv", "interest": "music"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text
    assert 'aria-describedby="id_age_error"' in response.text
    assert '<p class="ds-validation-message" data-size="sm" id="id_age_error">' in response.text
    # What the person chose is kept.
    assert 'value="tolv"' in response.text
    assert 'value="music" class="ds-input" id="id_interest_0" checked' in response.text


def test_place_of_another_municipality_is_a_bad_query(client, catalogue):
    response = client.get(URL, {"place": catalogue.b.venue.pk})
    assert response.status_code == 400
    assert "Velg et gyldig valg" in response.text


def test_htmx_request_gets_only_the_results_and_the_count(client, catalogue):
    response = client.get(URL, {"interest": "music"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "<form" not in response.text
    assert "Piano" in response.text
    # The count is swapped into the status line outside the results, so it is announced.
    assert '<span id="result-count" hx-swap-oob="innerHTML">1 tilbud passer</span>' in (
        response.text
    )
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, catalogue):
    response = client.get(
        URL, {"interest": "music"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.text
    assert 'hx-swap-oob="innerHTML"' not in response.text


def test_page_without_htmx_works_as_a_plain_form(client, catalogue):
    response = client.get(URL)
    assert 'method="get"' in response.text
    assert f'action="{URL}"' in response.text
    assert 'hx-push-url="true"' in response.text
    assert 'type="submit"' in response.text


def test_pages_of_20_keep_the_filters(client, catalogue):
    for number in range(25):
        _offer(catalogue, f"Bokklubb {number:02}")
    response = client.get(URL, {"free": "on", "page": 2})
    assert response.status_code == 200
    # 25 free book clubs, the workshop and the open club: 27, of which 7 on page 2.
    assert "27 tilbud passer" in response.text
    assert len(_titles(response)) == 7
    assert "Side 2 av 2" in response.text
    assert "?free=on&amp;page=1" in response.text


def test_old_municipality_number_redirects_keeping_the_filters(client, personas):
    response = client.get(reverse("catalogue:search", args=["3006"]), {"age": 12})
    assert response.status_code == 301
    assert response["Location"] == reverse("catalogue:search", args=["3303"]) + "?age=12"


def test_unknown_municipality_is_404(client):
    assert client.get(reverse("catalogue:search", args=["9999"])).status_code == 404


def test_search_only_answers_get(client, personas):
    assert client.post(URL).status_code == 405


def test_query_count_does_not_grow_with_the_offers(
    client, catalogue, django_assert_max_num_queries
):
    for number in range(30):
        offer = _offer(catalogue, f"Bokklubb {number:02}", price=number * 10)
        weekly(
            offer,
            number % 7,
            (18, 0),
            (19, 0),
            datetime.date(2026, 8, 17),
            datetime.date(2026, 12, 18),
        )
    # The municipality by number; its places (for the filter); the count; one page of offers
    # with unit and place; the next session of each (with its place); their weekdays.
    with django_assert_max_num_queries(6):
        response = client.get(URL, {"weekday": [0, 1, 2, 3, 4, 5, 6], "step_free": "on"})
    assert len(_titles(response)) == 20


def test_municipality_page_links_to_the_catalogue(client, personas):
    response = client.get(reverse("organisations:municipality_detail", args=["4203"]))
    assert f'href="{URL}"' in response.text
    assert "Se alle tilbud for ungdom i Arendal" in response.text
