"""A youth joins an offer and finds it on Min side; staff take attendance on a phone. Every
page passes axe-core at desktop and phone width."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_personas import log_in
from ungkultur.catalogue.models import Offer, Session
from ungkultur.enrolment.models import Attendance, Enrolment
from ungkultur.enrolment.services import enrolment_join

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def running(personas):
    """The persona offers running around today, whatever day the test runs."""
    today = timezone.localdate()
    Offer.objects.update(
        term_start=today - datetime.timedelta(days=30),
        term_end=today + datetime.timedelta(days=150),
        application_deadline=today + datetime.timedelta(days=14),
    )
    for user in (personas.youth_a, personas.child_a):
        user.birth_year += today.year - 2026
        user.save(update_fields=["birth_year"])
    return personas


def test_youth_joins_the_workshop_and_sees_it_on_min_side(page, live_server, running):
    workshop = running.a.workshop
    log_in(page, live_server, running.youth_a)
    page.goto(f"{live_server.url}/tilbud/{workshop.pk}/bli-med/")
    check_page(page, "join")
    expect(page.locator("h1")).to_contain_text("Bli med på Tegneserieverksted")
    page.get_by_role("button", name="Meld på").click()
    expect(page).to_have_url(re.compile(r"/min-side/$"))
    expect(page.locator("main")).to_contain_text("Du er med på Tegneserieverksted!")
    expect(page.locator("#activities-heading")).to_have_text("Mine aktiviteter")
    expect(page.get_by_role("link", name=re.compile("Meld av"))).to_be_visible()
    check_page(page, "min-side-activities")
    assert Enrolment.objects.get().status == Enrolment.Status.ACTIVE


def test_youth_leaves_with_a_reason(page, live_server, running):
    enrolment_join(
        actor=running.youth_a,
        offer=running.a.workshop,
        person=running.youth_a,
        now=timezone.now() - datetime.timedelta(days=3),
    )
    log_in(page, live_server, running.youth_a)
    page.get_by_role("link", name=re.compile("Meld av")).click()
    check_page(page, "leave")
    page.get_by_role("button", name="Meld av").click()
    check_page(page, "leave-errors", status_errors=[400])
    page.get_by_label("Sluttet").check()
    page.get_by_label("Hadde ikke tid").check()
    page.get_by_role("button", name="Meld av").click()
    expect(page).to_have_url(re.compile(r"/min-side/$"))
    enrolment = Enrolment.objects.get()
    assert (enrolment.end_reason, enrolment.dropout_reason) == ("dropped_out", "time")


def test_a_child_is_pointed_to_the_guardian(page, live_server, running):
    log_in(page, live_server, running.child_a)
    page.goto(f"{live_server.url}/tilbud/{running.a.piano.pk}/bli-med/")
    check_page(page, "join-child")
    expect(page.locator("main")).to_contain_text("det er en foresatt som melder deg på")


def test_drop_in_says_just_come(page, live_server, running):
    page.goto(f"{live_server.url}/tilbud/{running.a.open_club.pk}/bli-med/")
    check_page(page, "join-drop-in")
    expect(page.locator("main")).to_contain_text("Bare møt opp")


def test_leader_takes_attendance_with_a_tap(page, live_server, running):
    start = timezone.now() - datetime.timedelta(hours=1)
    # Joined the day before the session: the roster lists those enrolled on the session's day,
    # and between 00:00 and 01:00 "an hour ago" is yesterday, before a join made now.
    joined = start - datetime.timedelta(days=1)
    enrolments = [
        enrolment_join(actor=youth, offer=running.a.workshop, person=youth, now=joined)
        for youth in (running.youth_a, running.youth_member_a)
    ]
    session = Session.objects.create(
        offer=running.a.workshop,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        weekday=timezone.localtime(start).weekday(),
    )
    log_in(page, live_server, running.leader_a)
    page.goto(f"{live_server.url}/tilbud/{running.a.workshop.pk}/deltakere/")
    check_page(page, "participants")
    page.get_by_role("link", name=re.compile("^Oppmøte")).click()
    check_page(page, "attendance")
    switch = page.get_by_role("switch", name=re.compile("UngdomA"))
    expect(switch).not_to_be_checked()
    # With htmx the toggle saves at once; the status line says so.
    switch.check()
    expect(page.locator("#attendance-status")).to_contain_text("1 til stede")
    assert Attendance.objects.get(enrolment=enrolments[0], session=session).present
    check_page(page, "attendance-saved")
    # The plain button saves too (after the toggle's own save has finished).
    page.get_by_role("switch", name=re.compile("RessursA")).check()
    expect(page.locator("#attendance-status")).to_contain_text("2 til stede")
    page.get_by_role("button", name="Lagre oppmøte").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#attendance-status")).to_contain_text("2 til stede")
    assert Attendance.objects.filter(session=session, present=True).count() == 2
