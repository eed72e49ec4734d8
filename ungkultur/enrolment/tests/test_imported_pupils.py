"""Imported pupils survive: re-registration never withdraws them, a re-import never silently
undoes what was recorded in Ungkultur, and notices say who is told and how."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.importers import enrolments_import
from ungkultur.enrolment.models import EndReason, Enrolment, OfferRef
from ungkultur.enrolment.services import (
    enrolment_accept,
    enrolment_leave,
    enrolment_offer_place,
    enrolment_reminders_send,
    enrolment_reregistration_close,
    enrolment_reregistration_open,
)
from ungkultur.enrolment.tests.conftest import NOW, SPRING

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
JUNE = datetime.datetime(2026, 6, 10, 10, 0, tzinfo=OSLO)
DEADLINE = datetime.date(2026, 11, 1)
HEADER = "person_ref,birth_year,gender,offer_ref,offer_title,start_date,end_date,end_reason\n"
PIANO_FILE = HEADER + "".join(f"P-{n},2011,F,PIA-1,Piano,2026-08-17,,\n" for n in range(1, 4))

FIRST_ROW = "P-1,2011,F,PIA-1,Piano,2026-08-17,"


def noon(day):
    return datetime.datetime.combine(day, datetime.time(12), OSLO)


def run(unit, text, *, now=NOW):
    return enrolments_import(actor=None, unit=unit, file=io.BytesIO(text.encode()), now=now)


@pytest.fixture
def mixed(personas, fill):
    """The piano with two pupils who signed up here and three imported from the other system."""
    native = fill(personas.a.piano, 2, now=SPRING)
    for pupil in native:
        enrolment_offer_place(actor=personas.teacher_a, enrolment=pupil, now=JUNE)
        pupil.refresh_from_db()
        enrolment_accept(actor=pupil.participant.user, enrolment=pupil, now=JUNE)
    OfferRef.objects.create(unit=personas.a.kulturskole, ref="PIA-1", offer=personas.a.piano)
    run(personas.a.kulturskole, PIANO_FILE)
    imported = list(Enrolment.objects.exclude(import_key="").order_by("pk"))
    assert len(imported) == 3 and all(e.offer == personas.a.piano for e in imported)
    return [Enrolment.objects.get(pk=e.pk) for e in native], imported


# --- Re-registration never applies to imported enrolments -----------------------------------


def test_reregistration_asks_only_those_who_signed_up_here(
    personas, mixed, django_capture_on_commit_callbacks
):
    native, imported = mixed
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = enrolment_reregistration_open(
            actor=personas.rector_a, offer=personas.a.piano, deadline=DEADLINE, now=NOW
        )
    assert count == 2
    assert len(mail.outbox) == 2
    for enrolment in imported:
        enrolment.refresh_from_db()
        assert enrolment.reregistration_deadline is None
    for enrolment in native:
        enrolment.refresh_from_db()
        assert enrolment.reregistration_deadline == DEADLINE


def test_silence_withdraws_the_native_pupils_and_never_the_imported(personas, mixed):
    native, imported = mixed
    enrolment_reregistration_open(
        actor=personas.rector_a, offer=personas.a.piano, deadline=DEADLINE, now=NOW
    )
    # Even a deadline set on an imported enrolment by other means does not withdraw it.
    Enrolment.objects.filter(pk=imported[0].pk).update(reregistration_deadline=DEADLINE)

    assert enrolment_reminders_send(now=noon(DEADLINE)) == 2
    assert enrolment_reregistration_close(now=noon(DEADLINE + datetime.timedelta(days=1))) == 2

    statuses = dict(Enrolment.objects.values_list("pk", "status"))
    assert [statuses[e.pk] for e in native] == ["ended", "ended"]
    assert [statuses[e.pk] for e in imported] == ["active"] * 3
    assert not AuditEntry.objects.filter(
        action="enrolment.not_reregistered", object_id__in=[str(e.pk) for e in imported]
    ).exists()


def test_reregistration_page_counts_who_is_asked(client, personas, mixed):
    client.force_login(personas.rector_a)
    response = client.get(reverse("enrolment:reregistration_open", args=[personas.a.piano.pk]))
    assert response.status_code == 200
    text = response.text
    assert "2 deltakere blir spurt." in text
    assert "3 deltakere er importert fra fagsystemet og blir ikke spurt" in text


# --- A re-import after a leave recorded in Ungkultur -----------------------------------------


def _leave_moved(personas, enrolment):
    return enrolment_leave(
        actor=personas.rector_a,
        enrolment=enrolment,
        now=NOW,
        end_reason=EndReason.MOVED,
        end=datetime.date(2026, 8, 31),
    )


def test_the_same_file_after_a_leave_keeps_the_leave(personas, mixed):
    _native, imported = mixed
    _leave_moved(personas, imported[0])

    report = run(personas.a.kulturskole, PIANO_FILE)

    imported[0].refresh_from_db()
    assert (imported[0].status, imported[0].end, imported[0].end_reason) == (
        "ended",
        datetime.date(2026, 8, 31),
        "moved",
    )
    assert (report.created, report.updated, report.unchanged, report.kept_here) == (0, 0, 2, 1)
    assert report.conflicts == []
    assert "1 endret i Ungkultur og beholdt slik" in report.summary()
    assert imported[0].import_conflict is None


def test_a_file_that_says_otherwise_is_a_conflict_and_changes_nothing(personas, mixed):
    _native, imported = mixed
    _leave_moved(personas, imported[0])
    later = PIANO_FILE.replace(FIRST_ROW + ",", FIRST_ROW + "2026-10-01,completed")

    for _ in range(2):  # the same file twice: the same report, nothing more changes
        report = run(personas.a.kulturskole, later)
        imported[0].refresh_from_db()
        assert (imported[0].status, imported[0].end, imported[0].end_reason) == (
            "ended",
            datetime.date(2026, 8, 31),
            "moved",
        )
        assert report.updated == 0
        assert len(report.conflicts) == 1
        assert "Linje 2" in report.conflicts[0]
        assert "flyttet" in report.conflicts[0] and "fullført" in report.conflicts[0]
        assert "1 konflikt som ikke er endret" in report.summary()
        assert imported[0].import_conflict == {"end": "2026-10-01", "end_reason": "completed"}


@pytest.fixture
def conflict(personas, mixed):
    _native, imported = mixed
    _leave_moved(personas, imported[0])
    text = PIANO_FILE.replace(FIRST_ROW + ",", FIRST_ROW + "2026-10-01,completed")
    run(personas.a.kulturskole, text)
    return imported[0], text


def test_staff_keep_ungkultur_and_the_file_then_changes_nothing(client, personas, conflict):
    enrolment, text = conflict
    client.force_login(personas.rector_a)
    page = client.get(reverse("enrolment:participants", args=[personas.a.piano.pk]))
    assert "Importen er uenig med Ungkultur om 1 påmelding" in page.text

    response = client.post(
        reverse("enrolment:resolve_import_conflict", args=[enrolment.pk]), {"choice": "ungkultur"}
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.end, enrolment.end_reason, enrolment.import_conflict) == (
        datetime.date(2026, 8, 31),
        "moved",
        None,
    )
    entry = AuditEntry.objects.get(action="enrolment.import_conflict_resolved")
    assert entry.changes["choice"] == "ungkultur"
    report = run(personas.a.kulturskole, text)
    assert report.conflicts == [] and report.kept_here == 1
    enrolment.refresh_from_db()
    assert enrolment.end_reason == "moved"


def test_staff_take_the_file(client, personas, conflict):
    enrolment, _text = conflict
    client.force_login(personas.rector_a)
    client.post(
        reverse("enrolment:resolve_import_conflict", args=[enrolment.pk]), {"choice": "file"}
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end, enrolment.end_reason) == (
        "ended",
        datetime.date(2026, 10, 1),
        "completed",
    )
    assert enrolment.import_conflict is None
    assert AuditEntry.objects.get(action="enrolment.import_conflict_resolved").changes[
        "end_reason"
    ] == ("completed")


def test_resolving_needs_a_choice_and_the_right_role(client, personas, conflict):
    enrolment, _text = conflict
    url = reverse("enrolment:resolve_import_conflict", args=[enrolment.pk])
    client.force_login(personas.rector_a)
    assert client.post(url, {"choice": "both"}).status_code == 400
    client.force_login(personas.teacher_a)
    assert client.post(url, {"choice": "file"}).status_code == 403
    client.force_login(personas.rector_b)
    assert client.post(url, {"choice": "file"}).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.import_conflict is not None
    assert enrolment.end_reason == "moved"
    assert not AuditEntry.objects.filter(action="enrolment.import_conflict_resolved").exists()


def test_an_import_without_changes_here_still_updates(personas, mixed):
    _native, imported = mixed
    row = "P-2,2011,F,PIA-1,Piano,2026-08-17,"
    text = PIANO_FILE.replace(row + ",", row + "2026-10-01,moved")
    report = run(personas.a.kulturskole, text)
    assert report.updated == 1 and report.conflicts == []
    imported[1].refresh_from_db()
    assert (imported[1].status, imported[1].imported_end) == ("ended", datetime.date(2026, 10, 1))


# --- Cancelling says who is told, and how ----------------------------------------------------


def test_cancel_page_counts_who_gets_email_and_who_must_be_told_otherwise(
    client, personas, mixed, django_capture_on_commit_callbacks
):
    client.force_login(personas.rector_a)
    url = reverse("enrolment:offer_cancel", args=[personas.a.piano.pk])
    page = client.get(url)
    assert "Alle får en e-post" not in page.text
    assert "personer får beskjed på e-post." in page.text
    assert "3 personer har ingen e-postadresse hos oss" in page.text
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Læreren er syk."}, follow=True)
    assert response.status_code == 200
    assert "3 har ingen e-postadresse hos oss" in response.text
    reached = response.text.split(" personer får beskjed på e-post.")[0].rsplit(" ", 1)[-1]
    told = {address for message in mail.outbox for address in message.to}
    # Two pupils signed up here (each with the address of whoever signed them up).
    assert int(reached) == 2 and len(told) >= 2


def test_imported_pupils_are_shown_as_codes_with_a_plain_note(client, personas, mixed):
    client.force_login(personas.rector_a)
    page = client.get(reverse("enrolment:participants", args=[personas.a.piano.pk]))
    assert "3 deltakere er importert fra fagsystemet og kjennes her bare med en kode" in page.text
    assert "fra fagsystemet" in page.text
    assert "Deltaker #" not in page.text


def test_session_cancel_page_counts_too(client, personas, mixed):
    from ungkultur.enrolment.tests.conftest import make_session

    session = make_session(personas.a.piano, timezone.now() + datetime.timedelta(days=3))
    client.force_login(personas.rector_a)
    page = client.get(reverse("enrolment:session_cancel", args=[session.pk]))
    assert "3 personer har ingen e-postadresse hos oss" in page.text


def test_attendance_says_plainly_who_is_known_only_by_a_code(client, personas, mixed):
    from ungkultur.enrolment.tests.conftest import make_session

    session = make_session(personas.a.piano, NOW + datetime.timedelta(days=1))
    client.force_login(personas.teacher_a)
    page = client.get(reverse("enrolment:attendance", args=[session.pk]))
    assert page.status_code == 200
    assert "3 på listen er importert fra fagsystemet" in page.text
    # Each row names the person twice: by the switch, and (for screen readers) by its
    # "Gyldig fravær" box.
    assert page.text.count("Kode #") == 6


# --- A large imported group: paged and searchable --------------------------------------------


def test_a_large_group_is_paged_and_searchable(
    client, personas, mixed, django_assert_max_num_queries
):
    native, _imported = mixed
    many = HEADER + "".join(f"Q-{n},2011,K,PIA-1,Piano,2026-08-17,,\n" for n in range(250))
    run(personas.a.kulturskole, many)
    url = reverse("enrolment:participants", args=[personas.a.piano.pk])
    client.force_login(personas.rector_a)

    with django_assert_max_num_queries(10):
        page = client.get(url)
    assert "Viser 1–100 av 255." in page.text
    assert "Side 1 av 3" in page.text
    assert page.text.count(">Meld av<") == 100
    last = client.get(url, {"side": "3"})
    assert "Viser 201–255 av 255." in last.text

    name = native[0].participant.user
    found = client.get(url, {"q": name.full_name.upper()})
    assert "Viser 1–1 av 1." in found.text and name.full_name in found.text

    code = Enrolment.objects.filter(import_key__gt="").first().participant.ref_hash[:8]
    found = client.get(url, {"q": f"#{code}"})
    assert "Viser 1–1 av 1." in found.text and f"Kode #{code}" in found.text
    assert "Ingen treff." in client.get(url, {"q": "zzzz-ingen"}).text


# --- Guardians get every e-mail about a child under 13 ---------------------------------------


def test_every_email_about_a_child_under_13_goes_to_the_guardians_only(
    personas, django_capture_on_commit_callbacks
):
    from ungkultur.accounts.models import Guardianship
    from ungkultur.enrolment.services import participant_for, session_cancel
    from ungkultur.enrolment.tests.conftest import make_session
    from ungkultur.testing import make_user

    child = personas.child_a  # born 2015, with a confirmed guardian and an address of their own
    other = make_user("foresatt2@example.org", first_name="Foresatt2")
    unconfirmed = make_user("ikke-bekreftet@example.org", first_name="Ukjent")
    Guardianship.objects.create(guardian=other, child=child, confirmed_at=NOW)
    Guardianship.objects.create(guardian=unconfirmed, child=child)
    Enrolment.objects.create(
        offer=personas.a.piano,
        participant=participant_for(child, personas.arendal),
        status="active",
        queued_at=NOW,
        start=datetime.date(2026, 8, 17),
        signed_up_by=personas.guardian_a,
    )
    session = make_session(personas.a.piano, NOW + datetime.timedelta(days=2))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(actor=personas.rector_a, session=session, reason="Syk lærer", now=NOW)
    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == sorted([personas.guardian_a.email, "foresatt2@example.org"])
    assert child.email not in told
