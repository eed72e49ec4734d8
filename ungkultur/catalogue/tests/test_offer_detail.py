import datetime

import pytest
from django.urls import reverse

from ungkultur.catalogue.models import Offer
from ungkultur.catalogue.tests.conftest import NOW

pytestmark = pytest.mark.django_db


def _url(offer):
    return reverse("catalogue:offer_detail", args=[offer.pk])


def test_offer_page_tells_what_who_ages_price_and_where(client, catalogue):
    venue = catalogue.a.venue
    venue.address = "Torvet 1, 4836 Arendal"
    venue.hearing_loop = True
    venue.accessibility_notes = "Heis til andre etasje. Ring på ved hovedinngangen."
    venue.save()
    piano = catalogue.a.piano
    piano.description = "Spill det du liker, alene og sammen med andre."
    piano.price_note = "Halv pris for søsken"
    piano.save()
    response = client.get(_url(piano))
    assert response.status_code == 200
    text = response.text
    assert "<h1" in text and "Piano</h1>" in text
    assert "Arendal kulturskole" in text
    assert "Spill det du liker" in text
    assert "Alder: 8–19 år" in text
    assert "Interesse: Musikk" in text
    assert "Fagområde: Musikk" in text
    assert "Program: Kjerneprogram" in text
    assert "Pris: 1\xa0800 kr (redusert pris 900 kr). Halv pris for søsken" in text
    assert "Periode: 1. august 2026 – 18. desember 2026" in text
    assert "Torvet 1, 4836 Arendal" in text
    assert "<li>Trinnfri adkomst</li>" in text
    assert "<li>Ikke tilgjengelig toalett</li>" in text
    assert "<li>Teleslynge</li>" in text
    assert "Heis til andre etasje" in text


def test_offer_page_lists_coming_sessions_and_marks_cancelled_ones(client, catalogue):
    piano = catalogue.a.piano
    cancelled = piano.sessions.order_by("starts_at")[2]
    cancelled.cancelled_at = NOW
    cancelled.cancel_reason = "Læreren er syk"
    cancelled.save()
    response = client.get(_url(piano))
    sessions = response.context["sessions"]
    # From today's lesson (1 September) to the last (15 December): 16 Tuesdays.
    assert len(sessions) == 16
    assert sessions[0].starts_at.date() == datetime.date(2026, 9, 1)
    assert "Tirsdag 1. september" in response.text
    assert "<strong>Avlyst</strong>: Læreren er syk" in response.text
    assert "<del>17:00–17:45</del>" in response.text
    # Last week's lesson is over and not shown.
    assert "Tirsdag 25. august" not in response.text


def test_application_offer_shows_deadline(client, catalogue):
    response = client.get(_url(catalogue.a.piano))
    assert "Du må søke om plass. Det er 2 plasser." in response.text
    assert "Søknadsfrist: 1. juni 2026" in response.text


def test_registration_offer_explains_first_come_first_served(client, catalogue):
    response = client.get(_url(catalogue.a.workshop))
    assert "Du må melde deg på. Først til mølla" in response.text
    assert "Gratis" in response.text


def test_drop_in_offer_says_just_show_up_with_opening_times(client, catalogue):
    response = client.get(_url(catalogue.a.open_club))
    assert "Bare møt opp!" in response.text
    assert "Onsdag kl. 18:00–21:00" in response.text
    assert "Fredag kl. 18:00–22:00" in response.text
    assert response.context["join_url"] is None


@pytest.mark.urls("ungkultur.catalogue.tests.urls_with_join")
def test_sign_up_button_leads_to_the_enrolment_page(client, catalogue):
    piano, workshop = catalogue.a.piano, catalogue.a.workshop
    piano.application_deadline = datetime.date(2026, 9, 15)  # two weeks after NOW
    piano.save(update_fields=["application_deadline"])
    assert f'href="/tilbud/{piano.pk}/bli-med/">Søk om plass</a>' in client.get(_url(piano)).text
    assert f'href="/tilbud/{workshop.pk}/bli-med/">Meld deg på</a>' in (
        client.get(_url(workshop)).text
    )


@pytest.mark.urls("ungkultur.catalogue.tests.urls_without_join")
def test_without_the_enrolment_page_there_is_no_button(client, catalogue):
    response = client.get(_url(catalogue.a.workshop))
    assert response.status_code == 200
    assert "Meld deg på</a>" not in response.text


@pytest.mark.parametrize("status", [Offer.Status.DRAFT, Offer.Status.CANCELLED])
@pytest.mark.parametrize("who", [None, "youth_a", "guardian_a", "teacher_b", "coordinator"])
def test_hidden_offer_is_404_for_the_public(client, catalogue, status, who):
    Offer.objects.filter(pk=catalogue.a.piano.pk).update(status=status)
    if who:
        client.force_login(getattr(catalogue, who))
    assert client.get(_url(catalogue.a.piano)).status_code == 404


def test_draft_is_404_for_staff_of_another_unit(client, catalogue):
    Offer.objects.filter(pk=catalogue.a.piano.pk).update(status=Offer.Status.DRAFT)
    client.force_login(catalogue.a.club_worker)
    assert client.get(_url(catalogue.a.piano)).status_code == 404


@pytest.mark.parametrize("who", ["rector_a", "leader_a", "admin"])
def test_staff_see_a_draft_with_a_notice(client, catalogue, who):
    Offer.objects.filter(pk=catalogue.a.piano.pk).update(status=Offer.Status.DRAFT)
    client.force_login(getattr(catalogue, who))
    response = client.get(_url(catalogue.a.piano))
    assert response.status_code == 200
    assert "Dette er et utkast" in response.text
    assert reverse("catalogue:offer_publish", args=[catalogue.a.piano.pk]) in response.text
    assert response.context["join_url"] is None


def test_staff_see_a_cancelled_offer_with_a_notice(client, catalogue):
    Offer.objects.filter(pk=catalogue.a.piano.pk).update(status=Offer.Status.CANCELLED)
    client.force_login(catalogue.rector_a)
    response = client.get(_url(catalogue.a.piano))
    assert response.status_code == 200
    assert "Dette tilbudet er avlyst" in response.text
    assert reverse("catalogue:offer_publish", args=[catalogue.a.piano.pk]) not in response.text


def test_staff_tools_are_shown_only_to_those_who_run_the_offer(client, catalogue):
    piano = catalogue.a.piano
    tools = reverse("catalogue:offer_update", args=[piano.pk])
    assert tools not in client.get(_url(piano)).text
    client.force_login(catalogue.youth_a)
    assert tools not in client.get(_url(piano)).text
    client.force_login(catalogue.rector_a)
    text = client.get(_url(piano)).text
    assert tools in text
    assert reverse("catalogue:offer_unpublish", args=[piano.pk]) in text
    assert reverse("catalogue:schedule_create", args=[piano.pk]) in text
    assert reverse("catalogue:session_create", args=[piano.pk]) in text


def test_unknown_offer_is_404(client, personas):
    assert client.get(reverse("catalogue:offer_detail", args=[999999])).status_code == 404


def test_offer_page_only_answers_get(client, catalogue):
    assert client.post(_url(catalogue.a.piano)).status_code == 405


def test_offer_page_query_count_does_not_grow_with_sessions(
    client, catalogue, django_assert_max_num_queries
):
    # The offer with unit, municipality and place; its sessions with places; its weekly times;
    # its unit's school holidays.
    with django_assert_max_num_queries(4):
        response = client.get(_url(catalogue.a.open_club))
    assert len(response.context["sessions"]) == 32
