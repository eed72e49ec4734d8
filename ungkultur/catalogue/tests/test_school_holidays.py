"""School holidays (skolerute): weekly schedules skip them, a new one removes the coming
sessions made for it without telling anyone, and the offer page says when there is none."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from ungkultur.catalogue import services
from ungkultur.catalogue.models import SchoolHoliday, Session
from ungkultur.catalogue.tests.conftest import NOW, OSLO, TUESDAY, weekly
from ungkultur.core.models import AuditEntry

pytestmark = pytest.mark.django_db

AUTUMN_BREAK = (datetime.date(2026, 10, 5), datetime.date(2026, 10, 9))


def holiday(personas, name="Høstferie", days=AUTUMN_BREAK, now=NOW):
    return services.school_holiday_create(
        actor=personas.rector_a,
        unit=personas.a.kulturskole,
        name=name,
        first_day=days[0],
        last_day=days[1],
        now=now,
    )


def days(offer):
    return [
        s.starts_at.astimezone(OSLO).date()
        for s in Session.objects.filter(offer=offer).order_by("starts_at")
    ]


def tuesdays(personas, first=datetime.date(2026, 9, 1), last=datetime.date(2026, 10, 31)):
    return weekly(personas.a.piano, TUESDAY, (17, 0), (18, 0), first, last)


def test_a_weekly_schedule_skips_the_holiday(personas):
    holiday(personas)
    tuesdays(personas)
    made = days(personas.a.piano)
    assert datetime.date(2026, 10, 6) not in made
    assert datetime.date(2026, 9, 29) in made
    assert datetime.date(2026, 10, 13) in made
    assert len(made) == 8  # nine Tuesdays, one in the holiday
    # Another unit's holiday changes nothing here.
    services.school_holiday_create(
        actor=None,
        unit=personas.a.club,
        name="Klubbferie",
        first_day=datetime.date(2026, 9, 28),
        last_day=datetime.date(2026, 9, 30),
        now=NOW,
    )
    weekly(personas.a.piano, TUESDAY, (19, 0), (20, 0), datetime.date(2026, 9, 29), AUTUMN_BREAK[1])
    assert datetime.date(2026, 9, 29) in days(personas.a.piano)


def test_a_schedule_only_in_holidays_is_refused(personas):
    holiday(personas)
    with pytest.raises(ValidationError) as caught:
        tuesdays(personas, *AUTUMN_BREAK)
    assert "Alle datoene er i skoleferier." in str(caught.value)
    assert not Session.objects.filter(offer=personas.a.piano).exists()


def test_a_new_holiday_removes_coming_sessions_silently(
    personas, django_capture_on_commit_callbacks
):
    from ungkultur.enrolment.models import Enrolment
    from ungkultur.enrolment.services import participant_for

    Enrolment.objects.create(
        offer=personas.a.piano,
        participant=participant_for(personas.youth_a, personas.arendal),
        status=Enrolment.Status.ACTIVE,
        queued_at=NOW,
        start=datetime.date(2026, 8, 4),
    )
    tuesdays(personas, first=datetime.date(2026, 8, 4))
    single = services.session_create(
        actor=None,
        offer=personas.a.piano,
        date=datetime.date(2026, 10, 7),
        start_time=datetime.time(12),
        end_time=datetime.time(13),
        now=NOW,
    )
    cancelled = Session.objects.get(offer=personas.a.piano, starts_at__date="2026-10-13")
    cancelled.cancelled_at = NOW
    cancelled.save()
    with django_capture_on_commit_callbacks(execute=True):
        created, removed = holiday(
            personas, days=(datetime.date(2026, 8, 24), datetime.date(2026, 10, 14))
        )
    # 25 Aug has been; 1 Sep (at 17:00, now is 12:00) to 6 Oct go; the single session and
    # the cancelled one stay.
    assert removed == 6
    left = days(personas.a.piano)
    assert datetime.date(2026, 8, 25) in left
    assert not {datetime.date(2026, 9, 1), datetime.date(2026, 10, 6)} & set(left)
    assert Session.objects.filter(pk__in=[single.pk, cancelled.pk]).count() == 2
    assert mail.outbox == []
    entry = AuditEntry.objects.get(action="school_holiday.created")
    assert entry.actor == personas.rector_a
    assert entry.changes["sessions_removed"] == 6


def test_deleting_a_holiday_gives_the_sessions_back(personas):
    tuesdays(personas)
    created, removed = holiday(personas)
    assert removed == 1
    restored = services.school_holiday_delete(actor=personas.rector_a, holiday=created, now=NOW)
    assert restored == 1
    assert datetime.date(2026, 10, 6) in days(personas.a.piano)
    assert len(days(personas.a.piano)) == 9
    assert not SchoolHoliday.objects.exists()
    assert AuditEntry.objects.get(action="school_holiday.deleted").changes["sessions_restored"] == 1
    # Removing it again does not make twins.
    created, _removed = holiday(personas)
    services.school_holiday_delete(actor=None, holiday=created, now=NOW)
    assert len(days(personas.a.piano)) == 9


@pytest.mark.parametrize(
    ("name", "first", "last", "message"),
    [
        ("  ", "2026-10-05", "2026-10-09", "Skriv hvilken ferie det er"),
        ("Høstferie", "2026-10-09", "2026-10-05", "Siste dag kan ikke være før første dag."),
        ("Høstferie", "2026-06-01", "2026-10-09", "En ferie kan vare i høyst ti uker."),
        ("Høstferie", "2026-10-08", "2026-10-12", "Datoene overlapper med Høstferie"),
    ],
)
def test_bad_holidays_are_refused(personas, name, first, last, message):
    holiday(personas)
    tuesdays(personas)
    with pytest.raises(ValidationError) as caught:
        holiday(
            personas,
            name=name,
            days=(datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)),
        )
    assert message in str(caught.value)
    assert SchoolHoliday.objects.count() == 1
    assert len(days(personas.a.piano)) == 8


# --- Pages ------------------------------------------------------------------------------------


def url(personas, unit=None):
    return reverse("catalogue:school_holidays", args=[(unit or personas.a.kulturskole).pk])


def test_the_rector_adds_a_holiday(client, personas, now):
    tuesdays(personas)
    client.force_login(personas.rector_a)
    response = client.post(
        url(personas),
        {"name": "Høstferie", "first_day": "2026-10-05", "last_day": "2026-10-09"},
        follow=True,
    )
    assert "Høstferie er lagt inn. 1 samling i ferien er fjernet" in response.text
    assert "5.–9. oktober" in response.text
    assert SchoolHoliday.objects.get().unit == personas.a.kulturskole
    assert mail.outbox == []
    detail = client.get(reverse("catalogue:offer_detail", args=[personas.a.piano.pk])).text
    assert "Ingen undervisning: Høstferie 5.–9. oktober" in detail


def test_bad_input_on_the_page_is_400(client, personas, now):
    client.force_login(personas.rector_a)
    response = client.post(
        url(personas), {"name": "", "first_day": "2026-10-09", "last_day": "nei"}
    )
    assert response.status_code == 400
    assert "Skriv hvilken ferie det er" in response.text
    assert "Velg en dato." in response.text
    assert not SchoolHoliday.objects.exists()


def test_the_page_deletes_a_holiday(client, personas, now):
    created, _removed = holiday(personas)
    client.force_login(personas.rector_a)
    delete = reverse(
        "catalogue:school_holiday_delete", args=[personas.a.kulturskole.pk, created.pk]
    )
    assert client.get(delete).status_code == 405
    response = client.post(delete, follow=True)
    assert "Høstferie er slettet." in response.text
    assert not SchoolHoliday.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("teacher_a", 403), ("youth_a", 403), ("leader_b", 404), ("teacher_b", 404)],
)
def test_others_may_not_set_holidays(client, personas, now, who, status):
    created, _removed = holiday(personas)
    client.force_login(getattr(personas, who))
    assert client.get(url(personas)).status_code == status
    data = {"name": "Vinterferie", "first_day": "2027-02-22", "last_day": "2027-02-26"}
    assert client.post(url(personas), data).status_code == status
    delete = reverse(
        "catalogue:school_holiday_delete", args=[personas.a.kulturskole.pk, created.pk]
    )
    assert client.post(delete).status_code == status
    assert list(SchoolHoliday.objects.values_list("name", flat=True)) == ["Høstferie"]


def test_another_units_holiday_is_404_through_this_unit(client, personas, now):
    other, _removed = services.school_holiday_create(
        actor=None,
        unit=personas.a.club,
        name="Klubbferie",
        first_day=datetime.date(2026, 10, 5),
        last_day=datetime.date(2026, 10, 6),
        now=NOW,
    )
    client.force_login(personas.rector_a)
    delete = reverse("catalogue:school_holiday_delete", args=[personas.a.kulturskole.pk, other.pk])
    assert client.post(delete).status_code == 404
    assert SchoolHoliday.objects.filter(pk=other.pk).exists()
