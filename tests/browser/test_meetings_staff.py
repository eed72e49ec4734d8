"""A course "for kulturskolelærere og ungdomsarbeidere": the project leader invites the staff of
those unit kinds, sees how many it reaches before sending, sends, and a teacher finds the
invitation among the notices on Min side. A coordinator finds the orders waiting for their
organisation with the days left. Each page passes axe-core at desktop and phone width."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_evaluations import log_in_as
from tests.browser.test_meetings import clock  # noqa: F401 (a fixture)
from tests.browser.test_personas import log_in
from ungkultur.meetings.models import Event, Registration
from ungkultur.meetings.services import event_create
from ungkultur.planning.models import CompetenceOrder


def check_narrow(page, name):
    """On the phone run, check the page once more at 360 px, the narrowest screen we support."""
    check_page(page, name)
    if page.width_name == "phone":
        page.set_viewport_size({"width": 360, "height": 740})
        page.width_name = "phone360"
        check_page(page, name)
        page.set_viewport_size({"width": 375, "height": 740})
        page.width_name = "phone"


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_course_invites_the_staff_of_chosen_kinds(page, live_server, personas, clock):  # noqa: F811
    start = clock.at + datetime.timedelta(days=14)
    course = event_create(
        actor=personas.leader_a,
        municipality=personas.arendal,
        kind=Event.Kind.COURSE,
        title="Kurs i inkludering",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        place="Kulturhuset",
        now=clock.at,
    )
    log_in(page, live_server, personas.leader_a)
    page.goto(live_server.url + f"/moter/{course.pk}/")
    page.get_by_role("link", name="Inviter ansatte").click()
    page.get_by_label("Kulturskole").check()
    page.get_by_label("Fritidsklubb").check()
    page.get_by_label("Lærer", exact=True).check()
    page.get_by_label("Ungdomsarbeider").check()
    page.get_by_role("button", name="Vis hvor mange som blir invitert").click()
    expect(page.get_by_role("heading", name="Inviterer 2 ansatte")).to_be_visible()
    check_narrow(page, "meeting-invite-staff-count")
    assert mail.outbox == []
    page.get_by_role("button", name="Send invitasjon til 2 ansatte").click()
    expect(page.get_by_text("2 ansatte er invitert og har fått e-post.")).to_be_visible()
    assert set(course.registrations.values_list("user_id", flat=True)) == {
        personas.teacher_a.pk,
        personas.a.club_worker.pk,
    }
    assert course.registrations.filter(status=Registration.Status.INVITED).count() == 2
    page.context.clear_cookies()
    log_in(page, live_server, personas.teacher_a)
    expect(page.get_by_role("link", name="Du er invitert til «Kurs i inkludering»")).to_be_visible()
    check_narrow(page, "mypage-staff-invitation")


def test_a_coordinator_sees_the_orders_waiting_with_days_left(page, live_server, personas, clock):  # noqa: F811
    CompetenceOrder.objects.create(
        municipality=personas.arendal,
        organisation=personas.nkr,
        kind="course",
        topic="Kurs i inkludering",
        target_group="Kulturskolelærere og ungdomsarbeidere",
        wanted_from=clock.at.date() + datetime.timedelta(days=40),
        wanted_to=clock.at.date() + datetime.timedelta(days=60),
        expected_participants=14,
        ordered_by=personas.leader_a,
        ordered_at=clock.at - datetime.timedelta(days=3),
    )
    TOTP.activate(personas.coordinator, generate_totp_secret())
    log_in_as(page, live_server, personas.coordinator)
    page.goto(live_server.url + "/min-side/")
    waiting = page.get_by_test_id("waiting-orders")
    expect(waiting).to_contain_text("Kurs i inkludering")
    expect(waiting).to_contain_text("4 dager igjen")
    check_narrow(page, "mypage-waiting-orders")
