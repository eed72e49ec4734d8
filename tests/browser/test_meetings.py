"""One project-group meeting from invitation to minutes: the project leader creates it and
invites the project group and the resource group, a youth member registers and puts an item on
the agenda, the leader registers attendance and writes minutes with an action item, and the
youth sees the action on Min side. Each page passes axe-core at desktop and phone width."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_personas import log_in
from ungkultur.meetings.models import ActionItem, Attendance, Event, Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


class Clock:
    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at


@pytest.fixture
def clock(monkeypatch):
    # The live server runs in this process: it reads the same clock.
    clock = Clock(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=OSLO))
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def log_out(page):
    page.context.clear_cookies()


def test_one_meeting_from_invitation_to_minutes(page, live_server, personas, clock):
    leader, youth = personas.leader_a, personas.youth_member_a

    # The project leader plans the meeting.
    log_in(page, live_server, leader)
    page.goto(live_server.url + "/moter/kommune/4203/")
    check_page(page, "meetings-list")
    page.get_by_role("link", name="Nytt møte eller arrangement").click()
    check_page(page, "meeting-new")
    page.get_by_label("Type").select_option("project_group_meeting")
    page.get_by_label("Tittel").fill("Prosjektgruppemøte desember")
    page.get_by_label("Starter").fill("2026-12-10T17:00")
    page.get_by_label("Slutter").fill("2026-12-10T19:00")
    page.get_by_label("Sted (kan stå tomt)").fill("Ungdomshuset")
    page.get_by_role("button", name="Opprett").click()
    expect(page.locator("h1")).to_have_text("Prosjektgruppemøte desember")
    check_page(page, "meeting-detail-organiser")

    # … and invites the project group and the youth resource group.
    page.get_by_role("link", name="Inviter grupper").click()
    check_page(page, "meeting-invite")
    page.get_by_label("Lokal prosjektgruppe Arendal").check()
    page.get_by_label("Ressursgruppe ungdom Arendal").check()
    page.get_by_role("button", name="Inviter").click()
    expect(page.get_by_text("2 personer er invitert og har fått e-post.")).to_be_visible()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([leader.email, youth.email])
    log_out(page)

    # The youth member sees the invitation on Min side, registers and adds an agenda item.
    log_in(page, live_server, youth)
    check_page(page, "mypage-invited")
    page.get_by_role("link", name="Prosjektgruppemøte desember", exact=True).click()
    check_page(page, "meeting-detail-invited")
    page.get_by_role("link", name="Meld deg på").click()
    check_page(page, "meeting-register")
    page.get_by_role("button", name="Meld meg på").click()
    expect(page.get_by_text("Du er påmeldt.").first).to_be_visible()
    page.locator("summary", has_text="Sett en sak på sakslisten").click()
    page.get_by_label("Sak", exact=True).fill("Mer klubbtid i helgene")
    page.get_by_role("button", name="Sett på sakslisten").click()
    expect(page.locator(".meetings-agenda")).to_contain_text("Mer klubbtid i helgene")
    check_page(page, "meeting-detail-agenda")
    event = Event.objects.get()
    assert event.registrations.get(user=youth).status == Registration.Status.REGISTERED
    log_out(page)

    # After the meeting: attendance, minutes, a decision and an action for the youth.
    clock.at = datetime.datetime(2026, 12, 10, 19, 30, tzinfo=OSLO)
    log_in(page, live_server, leader)
    page.goto(live_server.url + f"/moter/{event.pk}/")
    page.get_by_role("link", name="Registrer oppmøte").click()
    check_page(page, "meeting-attendance")
    page.get_by_label(leader.full_name).check()
    page.get_by_label(youth.full_name).check()
    page.get_by_role("button", name="Lagre oppmøte").click()
    expect(page.get_by_text("Oppmøtet er lagret.")).to_be_visible()
    assert set(Attendance.objects.values_list("user", "is_youth")) == {
        (leader.pk, False),
        (youth.pk, True),
    }
    page.get_by_role("link", name="Skriv referat, vedtak og oppfølging").click()
    check_page(page, "meeting-minutes")
    page.get_by_role("textbox", name="Referat").fill("Godt møte med hele gruppen.")
    page.get_by_role("button", name="Lagre referatet").click()
    page.get_by_role("textbox", name="Vedtak").fill("Klubben holder åpent to lørdager i januar.")
    page.get_by_label("Sak (kan stå tomt)").select_option(label="1. Mer klubbtid i helgene")
    page.get_by_role("button", name="Legg til vedtak").click()
    page.get_by_label("Hva").fill("Lage plakat for lørdagsklubben")
    page.get_by_label("Hvem").select_option(label=youth.full_name)
    page.get_by_label("Frist").fill("2027-01-05")
    page.get_by_role("button", name="Legg til oppfølgingspunkt").click()
    expect(page.locator("table")).to_contain_text("Lage plakat for lørdagsklubben")
    check_page(page, "meeting-minutes-filled")
    log_out(page)

    # The youth sees the minutes and the open action on Min side, and marks it done.
    log_in(page, live_server, youth)
    expect(page.get_by_text("Lage plakat for lørdagsklubben", exact=True)).to_be_visible()
    check_page(page, "mypage-action")
    page.get_by_role("link", name="Prosjektgruppemøte desember", exact=True).click()
    expect(page.get_by_text("Klubben holder åpent to lørdager i januar.").first).to_be_visible()
    check_page(page, "meeting-detail-minutes")
    page.goto(live_server.url + "/min-side/")
    page.get_by_role("button", name="Merk som utført").click()
    expect(page.get_by_text("Status er oppdatert.")).to_be_visible()
    assert ActionItem.objects.get().status == ActionItem.Status.DONE


def test_leader_follows_the_year_moves_and_cancels(page, live_server, personas, clock):
    from ungkultur.demo.seed_meetings import seed_meetings

    seed_meetings(municipalities=[personas.arendal], today=timezone.localdate(clock.at))
    log_in(page, live_server, personas.leader_a)
    page.goto(live_server.url + "/moter/kommune/4203/?period=past")
    expect(page.get_by_text("Temamøte om inkludering")).to_be_visible()
    check_page(page, "meetings-list-past")
    page.get_by_role("link", name="Ressursgruppens oppmøte").click()
    expect(page.get_by_text("5 av 6 møter hadde ungdom til stede (83 %).")).to_be_visible()
    check_page(page, "meetings-youth-attendance")

    page.goto(live_server.url + "/moter/kommune/4203/")
    page.get_by_role("link", name="Prosjektgruppemøte før jul").click()
    expect(page.get_by_text("Kolliderer med UKM lokalt.")).to_be_visible()
    check_page(page, "meeting-detail-moved")
    page.get_by_role("link", name="Endre detaljer og påmeldingsskjema").click()
    page.get_by_label("Spørsmål", exact=True).fill("Allergier")
    page.get_by_label("Svarene kan være sensitive").check()
    page.get_by_role("button", name="Legg til spørsmål").click()
    expect(page.get_by_text("Spørsmålet er lagt til påmeldingsskjemaet.")).to_be_visible()
    check_page(page, "meeting-edit")
    page.goto(page.url.replace("/endre/", "/pameldte/"))
    check_page(page, "meeting-registrations")
    page.goto(page.url.replace("/pameldte/", "/flytt/"))
    check_page(page, "meeting-move")
    page.goto(page.url.replace("/flytt/", "/avlys/"))
    page.get_by_role("button", name="Avlys").click()
    expect(page.get_by_text("Noe må rettes før du kan lagre")).to_be_visible()
    check_page(page, "meeting-cancel-error", status_errors=[400])
    page.get_by_label("Grunn til avlysningen").fill("Prosjektlederen er syk.")
    page.get_by_role("button", name="Avlys").click()
    expect(page.get_by_text("Avlyst: Prosjektlederen er syk.")).to_be_visible()
    check_page(page, "meeting-detail-cancelled")

    page.goto(live_server.url + "/moter/nasjonalt/")
    page.get_by_role("link", name="Nasjonal ungdomssamling").click()
    check_page(page, "meeting-detail-national")


def test_a_moved_meeting_reaches_an_invitee_who_has_not_answered(
    page, live_server, personas, clock
):
    from icalendar import Calendar

    from ungkultur.meetings.services import event_create

    start = clock.at + datetime.timedelta(days=7)
    event = event_create(
        actor=personas.leader_a,
        municipality=personas.arendal,
        kind=Event.Kind.PROJECT_GROUP_MEETING,
        title="Planleggingsmøte vår",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        now=clock.at,
    )
    Registration.objects.create(
        event=event,
        user=personas.teacher_a,
        status=Registration.Status.INVITED,
        invited_at=clock.at,
    )
    log_in(page, live_server, personas.leader_a)
    page.goto(live_server.url + f"/moter/{event.pk}/flytt/")
    page.get_by_label("Ny start").fill("2026-12-10T18:00")
    page.get_by_label("Ny slutt").fill("2026-12-10T20:00")
    page.get_by_role("button", name="Flytt").click()
    expect(page.get_by_text("10. desember 2026").first).to_be_visible()
    # The invitee who had not answered is told, with a calendar update.
    message = next(m for m in mail.outbox if m.to == [personas.teacher_a.email])
    calendar = Calendar.from_ical(message.attachments[0][1])
    assert calendar["METHOD"] == "REQUEST"
    assert calendar.walk("VEVENT")[0]["SEQUENCE"] == 1
    log_out(page)
    log_in(page, live_server, personas.teacher_a)
    expect(page.get_by_role("link", name="Planleggingsmøte vår", exact=True)).to_be_visible()
    expect(page.get_by_text("10. desember 2026 18:00")).to_be_visible()
    # And a notice of the move among the notices.
    expect(page.get_by_role("link", name="«Planleggingsmøte vår» er flyttet til")).to_be_visible()
    expect(page.get_by_text("(nytt tidspunkt)")).to_be_visible()
    check_page(page, "mypage-moved-meeting")
