"""Staff tools of issue 17: adding someone by hand, offering a place to a chosen person,
excused absence, and the unit's school holidays. Every page passes axe-core at desktop and
phone width, and also at 360 px."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_personas import log_in
from ungkultur.catalogue.models import Offer, SchoolHoliday, Session
from ungkultur.catalogue.services import schedule_create
from ungkultur.enrolment.models import Attendance, Enrolment
from ungkultur.enrolment.services import enrolment_join

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def running(personas):
    today = timezone.localdate()
    Offer.objects.update(
        term_start=today - datetime.timedelta(days=30),
        term_end=today + datetime.timedelta(days=150),
        application_deadline=today + datetime.timedelta(days=14),
    )
    for user in (personas.youth_a, personas.youth_member_a, personas.child_a):
        user.birth_year += today.year - 2026
        user.save(update_fields=["birth_year"])
    return personas


def check(page, name, **kwargs):
    """At the fixture's width, and on a phone at 360 px too."""
    check_page(page, name, **kwargs)
    if page.width_name == "phone":
        page.set_viewport_size({"width": 360, "height": 740})
        check_page(page, f"{name}-360", **kwargs)
        page.set_viewport_size({"width": 375, "height": 740})


def test_leader_adds_someone_and_offers_a_chosen_place(page, live_server, running):
    workshop = running.a.workshop
    joined = timezone.now() - datetime.timedelta(days=2)
    for youth in (running.youth_a, running.youth_member_a):
        enrolment_join(actor=youth, offer=workshop, person=youth, now=joined)
    log_in(page, live_server, running.leader_a)
    page.goto(f"{live_server.url}/tilbud/{workshop.pk}/deltakere/")
    page.get_by_role("link", name="Legg til deltaker").click()
    check(page, "staff-add")
    page.get_by_label("Søk på navn eller e-postadresse").fill("Ungdom")
    page.get_by_role("button", name="Søk", exact=True).click()
    check(page, "staff-add-search")
    # Full: a new person goes on the waiting list; a bad year first.
    page.get_by_label("Fornavn").fill("Ola")
    page.get_by_label("Fødselsår").fill("1990")
    page.get_by_label("Sett på venteliste").check()
    page.get_by_role("button", name="Legg til", exact=True).click()
    expect(page.locator(".ds-alert[data-color=danger]")).to_contain_text("Tilbudet er for")
    check(page, "staff-add-error", status_errors=[400])
    page.get_by_label("Fødselsår").fill(str(timezone.localdate().year - 14))
    page.get_by_label("Sett på venteliste").check()
    page.get_by_role("button", name="Legg til", exact=True).click()
    expect(page.locator("main")).to_contain_text("Ola står på ventelisten.")
    page.get_by_role("link", name="Legg til deltaker").click()
    page.get_by_label("Fornavn").fill("Kari")
    page.get_by_label("Fødselsår").fill(str(timezone.localdate().year - 13))
    page.get_by_label("Sett på venteliste").check()
    page.get_by_role("button", name="Legg til", exact=True).click()
    # Two places more: staff choose Kari, second in the queue.
    Offer.objects.filter(pk=workshop.pk).update(capacity=4)
    page.reload()
    check(page, "participants-waiting")
    page.get_by_label(re.compile("Hopp over 1 som står foran")).check()
    page.get_by_role("button", name=re.compile("^Tilby plass Kari")).click()
    expect(page.locator("main")).to_contain_text("Kari har fått tilbud om plass")
    assert Enrolment.objects.get(participant__first_name="Kari").status == "offered"


def test_attendance_with_excused_absence_and_a_session_not_begun(page, live_server, running):
    start = timezone.now() - datetime.timedelta(hours=1)
    joined = start - datetime.timedelta(days=1)
    for youth in (running.youth_a, running.youth_member_a):
        enrolment_join(actor=youth, offer=running.a.workshop, person=youth, now=joined)
    session = Session.objects.create(
        offer=running.a.workshop,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        weekday=timezone.localtime(start).weekday(),
    )
    later = Session.objects.create(
        offer=running.a.workshop,
        starts_at=start + datetime.timedelta(days=2),
        ends_at=start + datetime.timedelta(days=2, hours=2),
        weekday=timezone.localtime(start + datetime.timedelta(days=2)).weekday(),
    )
    log_in(page, live_server, running.leader_a)
    page.goto(f"{live_server.url}/samlinger/{session.pk}/oppmote/")
    page.get_by_role("switch", name=re.compile("UngdomA")).check()
    expect(page.locator("#attendance-status")).to_contain_text("1 til stede")
    page.get_by_label(re.compile("Gyldig fravær RessursA")).check()
    expect(page.locator("#attendance-status")).to_contain_text("Gyldig fravær: 1")
    page.reload()
    check(page, "attendance-excused")
    assert sorted(a.state for a in Attendance.objects.filter(session=session)) == [
        "excused",
        "present",
    ]
    page.goto(f"{live_server.url}/samlinger/{later.pk}/oppmote/")
    expect(page.locator("main")).to_contain_text("Samlingen har ikke begynt ennå.")
    check(page, "attendance-not-begun")
    page.goto(f"{live_server.url}/tilbud/{running.a.workshop.pk}/deltakere/")
    expect(page.locator("main")).to_contain_text("1 til stede, 1 gyldig og 0 ugyldig fravær")


def test_rector_sets_a_school_holiday(page, live_server, running):
    piano = running.a.piano
    today = timezone.localdate()
    schedule_create(
        actor=None,
        offer=piano,
        weekday=today.weekday(),
        start_time=datetime.time(17),
        end_time=datetime.time(18),
        first_date=today + datetime.timedelta(days=1),
        last_date=today + datetime.timedelta(days=60),
        now=timezone.now(),
    )
    log_in(page, live_server, running.rector_a)
    page.goto(f"{live_server.url}/enheter/{running.a.kulturskole.pk}/tilbud/")
    page.get_by_role("link", name="Skoleferier").click()
    check(page, "school-holidays")
    first = today + datetime.timedelta(days=14)
    page.get_by_label("Ferie", exact=True).fill("Høstferie")
    page.get_by_label("Første feriedag").fill(first.isoformat())
    page.get_by_label("Siste feriedag").fill((first + datetime.timedelta(days=4)).isoformat())
    page.get_by_role("button", name="Legg inn").click()
    expect(page.locator("main")).to_contain_text("Høstferie er lagt inn. 1 samling i ferien")
    check(page, "school-holidays-saved")
    assert SchoolHoliday.objects.count() == 1
    page.goto(f"{live_server.url}/tilbud/{piano.pk}/")
    expect(page.locator("#school-holidays")).to_contain_text("Ingen undervisning: Høstferie")
    check(page, "offer-with-holiday")
