"""The purge keeps what statistics need (birth year, gender, municipality) and nothing else."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from ungkultur.accounts.models import ApiToken, Consent, Guardianship, User
from ungkultur.accounts.services import consent_give, consent_withdraw
from ungkultur.core.models import AuditEntry
from ungkultur.core.services import audit_record
from ungkultur.enrolment.models import Enrolment, Participant
from ungkultur.participation.models import Notification, Proposal
from ungkultur.privacy.services import personal_data_purge
from ungkultur.testing import make_user
from ungkultur.ukm.models import Innslag, InnslagPerson, UkmEvent

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 1, 15, 12, 0, tzinfo=datetime.UTC)
YEARS_AGO = NOW - datetime.timedelta(days=365 * 3 + 1)


def _old_youth(personas, email="gammel@example.org"):
    return make_user(
        email,
        first_name="Gammel",
        birth_year=2005,
        municipality=personas.a.kulturskole.municipality,
        last_login=YEARS_AGO,
        date_joined=YEARS_AGO,
    )


def test_an_account_without_login_for_three_years_is_pseudonymised(personas):
    user = _old_youth(personas)
    ApiToken.objects.create(user=user, name="x", prefix="abc", key_hash="h" * 64)
    audit_record(actor=user, action="consent.given", obj=user)
    report = personal_data_purge(now=NOW)
    assert report.inactive == [user.pk]
    user.refresh_from_db()
    assert (user.email, user.first_name, user.last_name) == (
        f"slettet-{user.pk}@slettet.invalid",
        "Slettet",
        "",
    )
    # What the statistics need stays.
    assert (user.birth_year, user.municipality) == (2005, personas.a.kulturskole.municipality)
    assert not user.is_active and not user.has_usable_password()
    assert not ApiToken.objects.filter(user=user).exists()
    assert "Gammel" not in AuditEntry.objects.get(action="consent.given").object_repr
    assert AuditEntry.objects.get(action="user.purged").changes == {"reason": "inactive"}


def test_recent_staff_and_enrolled_accounts_are_kept(personas):
    enrolled = _old_youth(personas, "deltar@example.org")
    participant = Participant.objects.create(
        municipality=personas.a.kulturskole.municipality, user=enrolled, birth_year=2005
    )
    Enrolment.objects.create(
        participant=participant,
        offer=personas.a.piano,
        status=Enrolment.Status.ACTIVE,
        queued_at=YEARS_AGO,
        start=datetime.date(2024, 8, 1),
    )
    # An imported participant without an account must not hide everyone else (NULL in NOT IN).
    imported = Participant.objects.create(
        municipality=personas.a.kulturskole.municipality, ref_hash="a" * 64, birth_year=2006
    )
    Enrolment.objects.create(
        participant=imported,
        offer=personas.a.piano,
        status=Enrolment.Status.ACTIVE,
        queued_at=YEARS_AGO,
        start=datetime.date(2024, 8, 1),
    )
    teacher = personas.teacher_a
    User.objects.filter(pk=teacher.pk).update(last_login=YEARS_AGO, date_joined=YEARS_AGO)
    gone = _old_youth(personas, "borte@example.org")
    report = personal_data_purge(now=NOW)
    assert report.inactive == [gone.pk]
    assert User.objects.get(pk=enrolled.pk).email == "deltar@example.org"
    assert User.objects.get(pk=teacher.pk).email == teacher.email


def test_a_closed_account_is_pseudonymised_at_the_next_purge(personas):
    youth = personas.youth_a
    registration = Consent.Purpose.REGISTRATION
    consent = consent_give(actor=youth, subject=youth, purpose=registration, now=timezone.now())
    consent_withdraw(actor=youth, consent=consent, now=timezone.now())
    report = personal_data_purge(now=NOW)
    assert report.closed == [youth.pk]
    youth.refresh_from_db()
    assert youth.email.endswith("@slettet.invalid")


def test_a_registration_no_guardian_confirmed_is_pseudonymised_after_30_days(personas):
    child = make_user("liten@example.org", first_name="Liten", birth_year=2016, is_active=False)
    guardian = make_user("mor@example.org", first_name="Mor")
    link = Guardianship.objects.create(
        guardian=guardian, child=child, created_at=NOW - datetime.timedelta(days=31)
    )
    report = personal_data_purge(now=NOW)
    assert report.unconfirmed == [child.pk]
    assert not Guardianship.objects.filter(pk=link.pk).exists()
    # Not yet 30 days: kept.
    late = make_user("sen@example.org", first_name="Sen", birth_year=2016, is_active=False)
    Guardianship.objects.create(
        guardian=guardian, child=late, created_at=NOW - datetime.timedelta(days=29)
    )
    assert personal_data_purge(now=NOW).unconfirmed == []


def test_ukm_contact_details_are_cleared_half_a_year_after_the_event(personas):
    event = UkmEvent.objects.create(
        unit=personas.a.ukm,
        name="UKM 2026",
        starts_at=NOW - datetime.timedelta(days=200),
        venue=personas.a.venue,
        signup_opens=NOW - datetime.timedelta(days=260),
        signup_closes=NOW - datetime.timedelta(days=210),
    )
    entry = Innslag.objects.create(
        event=event,
        type="music",
        name="Bandet",
        contact=personas.youth_a,
        created_at=event.signup_opens,
    )
    person = InnslagPerson.objects.create(
        innslag=entry,
        first_name="Ola",
        birth_year=2013,
        mobile="40000000",
        guardian_name="Kari",
        guardian_mobile="41111111",
    )
    assert personal_data_purge(now=NOW).ukm_contacts == 1
    person.refresh_from_db()
    assert (person.mobile, person.guardian_name, person.guardian_mobile) == ("", "", "")
    assert person.birth_year == 2013


def test_a_dry_run_changes_nothing_and_a_second_purge_finds_nothing(personas):
    user = _old_youth(personas)
    assert personal_data_purge(now=NOW, dry_run=True).inactive == [user.pk]
    assert User.objects.get(pk=user.pk).email == "gammel@example.org"
    personal_data_purge(now=NOW)
    again = personal_data_purge(now=NOW)
    assert again.accounts == 0 and again.ukm_contacts == 0


def test_a_purged_account_is_logged_out(client, personas):
    user = _old_youth(personas)
    client.force_login(user)
    User.objects.filter(pk=user.pk).update(last_login=YEARS_AGO)
    personal_data_purge(now=NOW)
    response = client.get("/min-side/")
    assert response.status_code == 302
    assert response.wsgi_request.user.is_anonymous


def test_the_command_reports_in_norwegian(personas, capsys):
    user = _old_youth(personas)
    long_ago = timezone.now() - datetime.timedelta(days=4 * 365)
    User.objects.filter(pk=user.pk).update(last_login=long_ago, date_joined=long_ago)
    call_command("purge_personal_data", "--dry-run")
    out = capsys.readouterr().out
    assert "Ville blitt anonymisert" in out and "1 kontoer uten aktivitet" in out


def test_the_privacy_page_states_the_retention_periods(client, db):
    response = client.get("/personvern/")
    assert "innen 30 dager, slettes den" in response.text
    assert "logget inn på 3 år" in response.text
    assert "slettes 6 måneder etter arrangementet" in response.text


def test_a_purged_author_is_no_longer_named_on_their_proposals(personas):
    user = _old_youth(personas)
    proposal = Proposal.objects.create(
        municipality=personas.a.kulturskole.municipality,
        author=user,
        author_name="Gammel",
        title="Mer dans",
        text="Vi vil danse.",
        category="dance",
        submitted_at=YEARS_AGO,
        answer_due=YEARS_AGO.date(),
    )
    Notification.objects.create(user=user, kind="status", proposal=proposal, created_at=YEARS_AGO)
    personal_data_purge(now=NOW)
    proposal.refresh_from_db()
    assert proposal.author_name == "Slettet" and proposal.title == "Mer dans"
    assert not Notification.objects.filter(user=user).exists()


def _added_by_hand(personas, *, status, queued_at, end=None, email="mor.til.ola@example.org"):
    participant = Participant.objects.create(
        municipality=personas.a.kulturskole.municipality,
        first_name="Ola",
        contact_email=email,
        birth_year=2014,
    )
    enrolment = Enrolment.objects.create(
        participant=participant,
        offer=personas.a.piano,
        status=status,
        queued_at=queued_at,
        start=queued_at.date() if end else None,
        end=end,
        end_reason="completed" if end else "",
    )
    audit_record(actor=personas.teacher_a, action="enrolment.added_by_staff", obj=enrolment)
    return participant


def test_someone_added_by_hand_loses_name_and_address_under_the_three_year_rule(personas):
    gone = _added_by_hand(
        personas,
        status=Enrolment.Status.ENDED,
        queued_at=YEARS_AGO - datetime.timedelta(days=200),
        end=YEARS_AGO.date(),
    )
    # Ended less than three years ago: kept.
    recent = _added_by_hand(
        personas,
        status=Enrolment.Status.ENDED,
        queued_at=YEARS_AGO - datetime.timedelta(days=200),
        end=(NOW - datetime.timedelta(days=300)).date(),
    )
    # Still waiting for a place since long ago: kept.
    waiting = _added_by_hand(personas, status=Enrolment.Status.WAITING, queued_at=YEARS_AGO)
    assert personal_data_purge(now=NOW, dry_run=True).participants == [gone.pk]
    assert Participant.objects.get(pk=gone.pk).first_name == "Ola"
    report = personal_data_purge(now=NOW)
    assert report.participants == [gone.pk]
    gone.refresh_from_db()
    assert (gone.first_name, gone.contact_email) == ("Slettet", "")
    # What the statistics need stays, and so does the enrolment.
    assert (gone.birth_year, gone.municipality) == (2014, personas.a.kulturskole.municipality)
    assert gone.enrolments.get().status == Enrolment.Status.ENDED
    for kept in (recent, waiting):
        kept.refresh_from_db()
        assert (kept.first_name, kept.contact_email) == ("Ola", "mor.til.ola@example.org")
    entry = AuditEntry.objects.get(
        action="enrolment.added_by_staff", object_id=str(gone.enrolments.get().pk)
    )
    assert "Ola" not in entry.object_repr and "Slettet" in entry.object_repr
    assert AuditEntry.objects.get(action="participant.purged").object_id == str(gone.pk)
    assert personal_data_purge(now=NOW).participants == []


def test_import_jobs_older_than_a_week_are_deleted_though_the_unit_never_uploads_again(personas):
    from ungkultur.enrolment.models import ImportJob

    old = ImportJob.objects.create(
        unit=personas.a.kulturskole,
        requested_at=NOW - datetime.timedelta(days=8),
        status=ImportJob.Status.QUEUED,
        content=b"elevnr;navn\n1;Ola Nordmann\n",
    )
    done = ImportJob.objects.create(
        unit=personas.a.kulturskole,
        requested_at=NOW - datetime.timedelta(days=7, minutes=1),
        finished_at=NOW - datetime.timedelta(days=7),
        status=ImportJob.Status.DONE,
    )
    fresh = ImportJob.objects.create(
        unit=personas.a.kulturskole,
        requested_at=NOW - datetime.timedelta(days=6),
        status=ImportJob.Status.DONE,
    )
    assert personal_data_purge(now=NOW, dry_run=True).import_jobs == 2
    assert ImportJob.objects.count() == 3
    assert personal_data_purge(now=NOW).import_jobs == 2
    assert list(ImportJob.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not ImportJob.objects.filter(pk__in=[old.pk, done.pk]).exists()
