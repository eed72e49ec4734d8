"""Club staff register an evening and a youth signs up for UKM, on a phone and a desktop, with
axe-core on every page (also the pages that come back with errors)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_personas import log_in
from ungkultur.clubs.models import ClubEvening
from ungkultur.ukm.models import Innslag, UkmEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_club_worker_registers_an_evening(page, live_server, personas):
    log_in(page, live_server, personas.a.club_worker)
    page.goto(live_server.url + f"/klubber/{personas.a.club.pk}/kvelder/")
    check_page(page, "club-evenings-empty")
    page.get_by_role("link", name="Registrer en kveld").click()
    check_page(page, "club-evening-new")
    page.get_by_label("13–15 år, jenter").fill("4")
    page.get_by_label("16–18 år, gutter").fill("3")
    page.get_by_label("Førstegangsbesøkende").fill("9")
    page.get_by_role("button", name="Lagre kvelden").click()
    # More first-timers than visitors: the form comes back with the numbers still in it.
    check_page(page, "club-evening-errors", status_errors=[400])
    expect(page.get_by_role("alert")).to_contain_text("Flere førstegangsbesøkende enn besøkende")
    expect(page.get_by_label("13–15 år, jenter")).to_have_value("4")
    page.get_by_label("Førstegangsbesøkende").fill("2")
    page.get_by_role("button", name="Lagre kvelden").click()
    expect(page).to_have_url(re.compile(rf"/klubber/{personas.a.club.pk}/kvelder/$"))
    check_page(page, "club-evenings")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody td").nth(1)).to_have_text("7")
    evening = ClubEvening.objects.get()
    assert evening.first_time_visitors == 2
    assert evening.headcounts.count() == 2


@pytest.fixture
def event(personas):
    now = timezone.now()
    return UkmEvent.objects.create(
        unit=personas.a.ukm,
        name="UKM Arendal",
        description="Lokalmønstring for alle mellom 10 og 20.",
        starts_at=now + datetime.timedelta(days=14),
        venue=personas.a.venue,
        signup_opens=now - datetime.timedelta(days=1),
        signup_closes=now + datetime.timedelta(days=7),
    )


def test_youth_signs_up_an_entry_and_staff_forward_it(page, live_server, personas, event):
    year = timezone.localtime(event.starts_at).year
    youth = personas.youth_a
    youth.birth_year = year - 16
    youth.save()
    page.goto(live_server.url + f"/ukm/arrangement/{event.pk}/")
    check_page(page, "ukm-event-public")
    log_in(page, live_server, youth)
    page.goto(live_server.url + f"/ukm/arrangement/{event.pk}/")
    page.get_by_role("link", name="Meld på et innslag").click()
    check_page(page, "ukm-innslag-new")
    expect(page.get_by_role("group", name="Person 1 (deg)").get_by_label("Fornavn")).to_have_value(
        youth.first_name
    )
    page.get_by_label("Type innslag").select_option("music")
    page.get_by_label("Navn på innslaget").fill("Kaos i kjelleren")
    page.locator("summary", has_text="Person 2").click()
    friend = page.get_by_role("group", name="Person 2", exact=True)
    friend.get_by_label("Fornavn").fill("Lise")
    friend.get_by_label("Fødselsår").fill(str(year - 14))
    friend.get_by_label("Rolle eller instrument").fill("vokal")
    title = page.get_by_role("group", name="Tittel 1", exact=True)
    title.get_by_label("Tittel").fill("Første låt")
    title.get_by_label("Varighet").fill("3:30")
    title.get_by_label("Vi har laget det selv").check()
    page.get_by_role("button", name="Meld på").click()
    # Lise is 14: a guardian is needed. Nothing typed is lost.
    check_page(page, "ukm-innslag-errors", status_errors=[400])
    expect(page.get_by_role("alert")).to_contain_text("Det trengs under 15 år")
    friend = page.get_by_role("group", name="Person 2", exact=True)
    expect(friend.get_by_label("Fornavn")).to_have_value("Lise")
    friend.get_by_label("Navn på foresatt").fill("Mor Testesen")
    friend.get_by_label("Mobilnummer til foresatt").fill("912 34 567")
    page.get_by_role("button", name="Meld på").click()
    expect(page).to_have_url(re.compile(rf"/ukm/arrangement/{event.pk}/$"))
    check_page(page, "ukm-event-youth")
    expect(page.locator("main")).to_contain_text("Dine innslag")
    innslag = Innslag.objects.get()
    assert innslag.persons.get(first_name="Lise").guardian_mobile == "91234567"
    assert innslag.titles.get().duration_seconds == 210

    page.get_by_role("link", name="Endre Kaos i kjelleren").click()
    check_page(page, "ukm-innslag-edit")

    # The local show has been: now entries can be forwarded.
    UkmEvent.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    page.context.clear_cookies()
    log_in(page, live_server, personas.a.ukm_contact)
    page.goto(live_server.url + f"/ukm/arrangement/{event.pk}/innslag/")
    check_page(page, "ukm-event-manage")
    expect(page.locator("main")).to_contain_text("Mor Testesen, 91234567")
    page.get_by_role("button", name="Videresend Kaos i kjelleren til fylkesfestivalen").click()
    check_page(page, "ukm-event-manage-forwarded")
    expect(page.locator("main")).to_contain_text("Videresendt til fylkesfestivalen")
    innslag.refresh_from_db()
    assert innslag.forwarded_at is not None


def test_staff_create_an_event(page, live_server, personas):
    log_in(page, live_server, personas.a.ukm_contact)
    page.goto(live_server.url + f"/ukm/{personas.a.ukm.pk}/")
    check_page(page, "ukm-unit")
    page.get_by_role("link", name="Nytt arrangement").click()
    check_page(page, "ukm-event-new")
    page.get_by_role("button", name="Lagre").click()
    check_page(page, "ukm-event-new-errors", status_errors=[400])
    page.get_by_label("Navn på arrangementet").fill("UKM Arendal 2027")
    page.get_by_label("Starter").fill("2027-03-20T18:00")
    page.get_by_label("Sted").select_option(label=personas.a.venue.name)
    page.get_by_label("Påmeldingen åpner").fill("2027-01-10T08:00")
    page.get_by_label("Påmeldingsfrist").fill("2027-03-01T23:59")
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator("h1")).to_have_text("UKM Arendal 2027")
    check_page(page, "ukm-event-created")
