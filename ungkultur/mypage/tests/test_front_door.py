"""The youth's front door: header links, UKM sign-up where youth look, "Si din mening" with the
reason a youth cannot take part, and the "Stem nå" banner while a vote runs."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ungkultur.participation.models import BudgetRound, Poll
from ungkultur.testing import make_user
from ungkultur.ukm.models import Innslag, UkmEvent

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def ukm_event(unit, *, opens_in=-10, closes_in=20):
    now = timezone.now()
    return UkmEvent.objects.create(
        unit=unit,
        name=f"UKM {unit.municipality.name} neste",
        starts_at=now + 40 * DAY,
        signup_opens=now + opens_in * DAY,
        signup_closes=now + closes_in * DAY,
    )


def voting_round(municipality):
    now = timezone.now()
    return BudgetRound.objects.create(
        municipality=municipality,
        title=f"Ungdomsbudsjett {municipality.name}",
        amount=100_000,
        propose_opens=now - 40 * DAY,
        propose_closes=now - 20 * DAY,
        vote_opens=now - 2 * DAY,
        vote_closes=now + 5 * DAY,
    )


# --- Header ------------------------------------------------------------------------------------


def test_a_logged_in_youth_finds_offers_say_ukm_and_my_page_in_the_header(client, personas):
    client.force_login(personas.youth_a)
    text = client.get(reverse("organisations:home")).text
    nav = text[text.index('class="site-nav"') : text.index("</nav>")]
    for url in ("mypage:offers", "mypage:say", "mypage:ukm", "mypage:index"):
        assert f'href="{reverse(url)}"' in nav
    assert ">Tilbud<" in nav and ">Si din mening<" in nav and ">UKM<" in nav


def test_anonymous_visitors_get_no_personal_links(client, db):
    text = client.get(reverse("organisations:home")).text
    assert reverse("mypage:say") not in text


@pytest.mark.parametrize("name", ["mypage:offers", "mypage:say", "mypage:ukm"])
def test_the_front_door_pages_ask_anonymous_visitors_to_log_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["mypage:offers", "mypage:say", "mypage:ukm"])
def test_the_front_door_pages_are_read_only(client, personas, name):
    client.force_login(personas.youth_a)
    assert client.post(reverse(name)).status_code == 405


def test_the_language_menu_names_each_language_in_itself(client, db):
    text = client.get(reverse("organisations:home"), headers={"accept-language": "en"}).text
    menu = text[text.index('id="language-select"') : text.index("</select>")]
    assert ">Norsk (bokmål)<" in menu
    assert ">Norsk (nynorsk)<" in menu
    assert ">English<" in menu


# --- Offers ------------------------------------------------------------------------------------


def test_tilbud_leads_to_the_catalogue_of_the_youths_own_municipality(client, personas):
    client.force_login(personas.youth_b)
    response = client.get(reverse("mypage:offers"))
    assert response["Location"] == reverse("catalogue:search", args=["1124"])


def test_without_a_municipality_tilbud_asks_the_youth_to_pick_one(client, personas):
    user = make_user("uten.kommune@example.org", first_name="Uten", birth_year=2011)
    client.force_login(user)
    response = client.get(reverse("mypage:offers"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("organisations:municipality_list")
    assert "Velg kommunen din" in response.text


# --- UKM ---------------------------------------------------------------------------------------


def test_ukm_leads_to_the_open_event_of_the_youths_own_municipality(client, personas):
    ukm_event(personas.b.ukm)  # Sola's, not the youth's
    own = ukm_event(personas.a.ukm)
    client.force_login(personas.youth_a)
    response = client.get(reverse("mypage:ukm"))
    assert response["Location"] == reverse("ukm:event_detail", args=[own.pk])


def test_ukm_says_when_no_sign_up_is_open(client, personas):
    ukm_event(personas.a.ukm, opens_in=-60, closes_in=-1)
    ukm_event(personas.b.ukm)
    client.force_login(personas.youth_a)
    response = client.get(reverse("mypage:ukm"))
    assert response.status_code == 200
    assert "Påmeldingen til UKM er ikke åpen akkurat nå." in response.text
    assert reverse("ukm:event_list", args=[personas.a.ukm.pk]) in response.text


def test_meld_pa_ukm_stands_in_the_catalogue_and_on_the_event_while_sign_up_is_open(
    client, personas
):
    event = ukm_event(personas.a.ukm, closes_in=3)
    signup = reverse("ukm:innslag_new", args=[event.pk])
    catalogue = reverse("catalogue:search", args=["4203"])
    text = client.get(catalogue).text
    assert "Meld på UKM" in text and signup in text
    # Sola's catalogue does not show Arendal's festival.
    assert signup not in client.get(reverse("catalogue:search", args=["1124"])).text
    with time_machine.travel(timezone.now() + 4 * DAY):
        from django.core.cache import cache

        cache.clear()
        assert signup not in client.get(catalogue).text


def test_the_youth_sees_their_own_entry_after_signing_up(client, personas):
    event = ukm_event(personas.a.ukm)
    Innslag.objects.create(
        event=event,
        type="music",
        name="Bandet vårt",
        contact=personas.youth_a,
        created_at=timezone.now(),
    )
    client.force_login(personas.youth_a)
    text = client.get(reverse("mypage:ukm"), follow=True).text
    assert "Dine innslag" in text and "Bandet vårt" in text
    client.force_login(personas.youth_b)
    assert "Bandet vårt" not in client.get(reverse("ukm:event_detail", args=[event.pk])).text


# --- Si din mening ------------------------------------------------------------------------------


def test_a_youth_of_the_municipality_may_propose_and_sees_the_vote_and_the_polls(client, personas):
    round_ = voting_round(personas.arendal)
    now = timezone.now()
    Poll.objects.create(
        unit=personas.a.club,
        title="Hva syns du om kvelden?",
        slug="abc123",
        opens_at=now - DAY,
        closes_at=now + DAY,
    )
    Poll.objects.create(
        unit=personas.b.club, title="Sola-måling", slug="def456", opens_at=now, closes_at=now + DAY
    )
    client.force_login(personas.youth_a)
    text = client.get(reverse("mypage:say")).text
    assert reverse("participation:proposal_new", args=["4203"]) in text
    assert 'data-testid="why-not"' not in text
    assert "Stem nå" in text and reverse("participation:budget_detail", args=[round_.pk]) in text
    assert reverse("participation:poll_answer", args=["abc123"]) in text
    assert "Sola-måling" not in text


def test_an_eleven_year_old_is_told_why_they_cannot_propose(client, personas):
    client.force_login(personas.child_a)
    text = client.get(reverse("mypage:say")).text
    age = timezone.localdate().year - 2015
    assert age < 13
    assert "Du kan være med fra det året du fyller 13." in text
    assert reverse("participation:proposal_new", args=["4203"]) not in text
    # They can still read the proposals.
    assert reverse("participation:proposal_list", args=["4203"]) in text


def test_an_unconfirmed_account_is_told_to_confirm_its_e_mail(client, personas):
    youth = personas.youth_a
    youth.email_confirmed_at = None
    youth.save(update_fields=["email_confirmed_at"])
    client.force_login(youth)
    text = client.get(reverse("mypage:say")).text
    assert "Bekreft e-postadressen din først" in text
    assert reverse("participation:proposal_new", args=["4203"]) not in text


def test_an_adult_is_told_it_is_for_youth(client, personas):
    client.force_login(personas.a.leader)
    text = client.get(reverse("mypage:say")).text
    assert "Forslag, støtte og stemmer kommer fra ungdom mellom 13 og 19 år" in text


def test_the_vote_banner_goes_when_the_vote_closes(client, personas):
    voting_round(personas.arendal)
    client.force_login(personas.youth_a)
    assert "Stem nå" in client.get(reverse("mypage:say")).text
    with time_machine.travel(timezone.now() + 6 * DAY):
        text = client.get(reverse("mypage:say")).text
        assert "Stem nå" not in text
        assert "avstemningen er stengt" in text


# --- The municipality's page and Min side -------------------------------------------------------


def test_the_municipality_page_says_meld_pa_ukm_and_stem_na_while_they_are_open(client, personas):
    event = ukm_event(personas.a.ukm, closes_in=3)
    round_ = voting_round(personas.arendal)
    url = reverse("organisations:municipality_detail", args=["4203"])
    text = client.get(url).text
    assert "Meld på UKM" in text and reverse("ukm:innslag_new", args=[event.pk]) in text
    assert "Stem nå" in text and reverse("participation:budget_detail", args=[round_.pk]) in text
    # The UKM card leads to its events.
    assert reverse("ukm:event_list", args=[personas.a.ukm.pk]) in text
    # Sola's page shows neither.
    sola = client.get(reverse("organisations:municipality_detail", args=["1124"])).text
    assert "Meld på UKM" not in sola and "Stem nå" not in sola
    with time_machine.travel(timezone.now() + 6 * DAY):
        text = client.get(url).text
        assert "Meld på UKM" not in text and "Stem nå" not in text


def test_min_side_says_stem_na_to_a_youth_while_their_vote_runs(client, personas):
    voting_round(personas.arendal)
    client.force_login(personas.youth_a)
    assert "Stem nå" in client.get(reverse("mypage:index")).text
    client.force_login(personas.youth_b)  # Sola
    assert "Stem nå" not in client.get(reverse("mypage:index")).text


def test_a_youth_who_cannot_vote_is_told_why_on_the_budget_page(client, personas):
    round_ = voting_round(personas.arendal)
    url = reverse("participation:budget_detail", args=[round_.pk])
    client.force_login(personas.child_a)  # 11
    text = client.get(url).text
    assert "Du kan være med fra det året du fyller 13." in text
    client.force_login(personas.youth_b)  # lives in Sola
    assert "Dette er for ungdom som bor eller går på skole i Arendal." in client.get(url).text
    client.force_login(personas.youth_a)  # may vote: a button, no reason
    text = client.get(url).text
    assert 'data-testid="why-not"' not in text
    assert reverse("participation:budget_vote", args=[round_.pk]) in text
    round_.proof = BudgetRound.Proof.EID
    round_.save(update_fields=["proof"])
    assert "ID-porten eller Feide" in client.get(url).text


def test_the_proposal_pages_say_why_an_eleven_year_old_cannot_propose_or_support(client, personas):
    from ungkultur.participation.models import Proposal

    now = timezone.now()
    proposal = Proposal.objects.create(
        municipality=personas.arendal,
        author=personas.youth_member_a,  # not youth_a, who may not support their own
        title="Åpen scene hver fredag",
        text="Vi vil ha en åpen scene.",
        category="music",
        status="submitted",
        submitted_at=now,
        answer_due=timezone.localdate() + 30 * DAY,
    )
    list_url = reverse("participation:proposal_list", args=["4203"])
    detail_url = reverse("participation:proposal_detail", args=[proposal.pk])
    client.force_login(personas.child_a)
    for url in (list_url, detail_url):
        text = client.get(url).text
        assert 'data-testid="why-not"' in text
        assert "Du kan være med fra det året du fyller 13." in text
    client.force_login(personas.youth_b)  # Sola: may not support Arendal's proposal
    assert "bor eller går på skole i Arendal" in client.get(detail_url).text
    client.force_login(personas.youth_a)  # may: buttons, no reason
    for url in (list_url, detail_url):
        assert 'data-testid="why-not"' not in client.get(url).text
