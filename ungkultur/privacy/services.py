"""The purge (docs/privacy.md): personal data has a retention period, after which only what the
statistics need is kept, pseudonymised.

A purged account keeps its birth year, gender and municipality, so enrolments, attendance and
indicators still count it; its e-mail, names and links to other people are gone, and it can no
longer log in. Run it at least once a year (`python manage.py purge_personal_data`).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

from ungkultur.accounts.models import ApiToken, Consent, Guardianship, User
from ungkultur.core.models import AuditEntry
from ungkultur.core.services import audit_record
from ungkultur.enrolment.import_jobs import KEPT_FOR as IMPORT_JOBS_KEPT_FOR
from ungkultur.enrolment.models import CalendarFeed, Enrolment, ImportJob, Participant
from ungkultur.organisations.models import Membership, NationalRole, UnitStaff
from ungkultur.participation.models import (
    BudgetProject,
    Comment,
    Notification,
    ParticipantProfile,
    Proposal,
)
from ungkultur.ukm.models import InnslagPerson

PURGED_DOMAIN = "slettet.invalid"
PURGED_NAME = "Slettet"


@dataclass
class PurgeReport:
    closed: list[int] = field(default_factory=list)
    unconfirmed: list[int] = field(default_factory=list)
    inactive: list[int] = field(default_factory=list)
    ukm_contacts: int = 0
    # Participants staff added by hand, without an account (first name, address for notices).
    participants: list[int] = field(default_factory=list)
    import_jobs: int = 0

    @property
    def accounts(self) -> int:
        return len(self.closed) + len(self.unconfirmed) + len(self.inactive)


def _not_purged():
    return User.objects.exclude(email__endswith="@" + PURGED_DOMAIN)


def closed_accounts():
    """Accounts closed by withdrawing the registration consent."""
    registration = Consent.Purpose.REGISTRATION
    withdrawn = Consent.objects.filter(purpose=registration, status=Consent.Status.WITHDRAWN)
    given = Consent.objects.filter(purpose=registration, status=Consent.Status.GIVEN)
    return (
        _not_purged()
        .filter(is_active=False, pk__in=withdrawn.values("subject"))
        .exclude(pk__in=given.values("subject"))
    )


def unconfirmed_accounts(*, now: datetime.datetime):
    """Children under the age limit whose guardian never confirmed the registration."""
    days = settings.UNGKULTUR_RETENTION_UNCONFIRMED_DAYS
    pending = Guardianship.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - datetime.timedelta(days=days)
    )
    confirmed = Guardianship.objects.filter(confirmed_at__isnull=False)
    return (
        _not_purged()
        .filter(is_active=False, pk__in=pending.values("child"))
        .exclude(pk__in=confirmed.values("child"))
    )


def inactive_accounts(*, now: datetime.datetime):
    """No login for the retention period, no role now, and nothing going on in any offer."""
    before = now - datetime.timedelta(days=365 * settings.UNGKULTUR_RETENTION_INACTIVE_YEARS)
    today = now.date()
    # (Imported participants have no user: NULL must not reach a NOT IN.)
    open_enrolments = Enrolment.objects.filter(
        status__in=Enrolment.OPEN_STATUSES, participant__user__isnull=False
    )
    return (
        _not_purged()
        .filter(is_superuser=False, is_staff=False)
        .filter(Q(last_login__lt=before) | Q(last_login__isnull=True, date_joined__lt=before))
        .exclude(pk__in=NationalRole.objects.active_on(today).values("user"))
        .exclude(pk__in=UnitStaff.objects.active_on(today).values("user"))
        .exclude(pk__in=Membership.objects.active_on(today).values("user"))
        .exclude(pk__in=open_enrolments.values("participant__user"))
        .exclude(
            pk__in=Guardianship.objects.filter(
                child__in=_not_purged().filter(is_active=True)
            ).values("guardian")
        )
    )


def old_ukm_contacts(*, now: datetime.datetime):
    days = settings.UNGKULTUR_RETENTION_UKM_CONTACT_DAYS
    return InnslagPerson.objects.filter(
        innslag__event__starts_at__lt=now - datetime.timedelta(days=days)
    ).exclude(mobile="", guardian_name="", guardian_mobile="")


def old_participants_without_account(*, now: datetime.datetime):
    """Someone staff added by hand, without an account (``Participant.first_name`` and
    ``contact_email``), under the rule for accounts without a login: nothing open in any offer,
    and nothing happened in their enrolments (queued, offered, started, ended) for the
    retention period."""
    before = now - datetime.timedelta(days=365 * settings.UNGKULTUR_RETENTION_INACTIVE_YEARS)
    recent = (
        Q(status__in=Enrolment.OPEN_STATUSES)
        | Q(queued_at__gte=before)
        | Q(offered_at__gte=before)
        | Q(start__gte=before.date())
        | Q(end__gte=before.date())
    )
    return (
        Participant.objects.filter(user__isnull=True)
        .exclude(first_name__in=("", PURGED_NAME), contact_email="")
        .exclude(pk__in=Enrolment.objects.filter(recent).values("participant"))
    )


def old_import_jobs(*, now: datetime.datetime):
    """Import jobs past their week (docs/imports.md), also for a unit that never uploads again:
    the report may name the lines of a file, and a job the worker never took keeps the file."""
    return ImportJob.objects.filter(requested_at__lt=now - IMPORT_JOBS_KEPT_FOR)


def _anonymise_participant(participant: Participant, *, now: datetime.datetime) -> None:
    participant.first_name = PURGED_NAME
    participant.contact_email = ""
    participant.save(update_fields=["first_name", "contact_email"])
    # Audit rows about them and their enrolments named them; they keep the action and the
    # pseudonym.
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Participant), object_id=str(participant.pk)
    ).update(object_repr=str(participant))
    enrolment_type = ContentType.objects.get_for_model(Enrolment)
    for enrolment in Enrolment.objects.filter(participant=participant).select_related("offer"):
        AuditEntry.objects.filter(content_type=enrolment_type, object_id=str(enrolment.pk)).update(
            object_repr=str(enrolment)[:200]
        )
    audit_record(
        actor=None,
        action="participant.purged",
        obj=participant,
        changes={"reason": "inactive"},
        at=now,
    )


def _pseudonymise(user: User, *, reason: str, now: datetime.datetime) -> None:
    user.email = f"slettet-{user.pk}@{PURGED_DOMAIN}"
    user.first_name = PURGED_NAME
    user.last_name = ""
    user.nickname = ""
    user.is_active = False
    user.set_unusable_password()  # also ends every session of the account
    user.save()
    Guardianship.objects.filter(Q(guardian=user) | Q(child=user)).delete()
    ApiToken.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    ParticipantProfile.objects.filter(user=user).delete()
    # What they wrote in public stays (others answered it); the name shown with it goes.
    for model in (Proposal, Comment, BudgetProject):
        model.objects.filter(author=user).update(author_name=user.first_name)
    # Earlier audit rows named the person; they keep the action and the pseudonym.
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=str(user))
    audit_record(actor=None, action="user.purged", obj=user, changes={"reason": reason}, at=now)


@transaction.atomic
def personal_data_purge(*, now: datetime.datetime, dry_run: bool = False) -> PurgeReport:
    """Pseudonymise the accounts and hand-added participants past their retention, clear old
    UKM contact details and delete import jobs past their week."""
    report = PurgeReport(
        closed=list(closed_accounts().values_list("pk", flat=True)),
        unconfirmed=list(unconfirmed_accounts(now=now).values_list("pk", flat=True)),
    )
    seen = set(report.closed) | set(report.unconfirmed)
    report.inactive = [
        pk for pk in inactive_accounts(now=now).values_list("pk", flat=True) if pk not in seen
    ]
    contacts = old_ukm_contacts(now=now)
    report.ukm_contacts = contacts.count()
    report.participants = list(
        old_participants_without_account(now=now).values_list("pk", flat=True)
    )
    jobs = old_import_jobs(now=now)
    report.import_jobs = jobs.count()
    if dry_run:
        return report
    for reason, pks in (
        ("closed", report.closed),
        ("unconfirmed", report.unconfirmed),
        ("inactive", report.inactive),
    ):
        for user in User.objects.filter(pk__in=pks):
            _pseudonymise(user, reason=reason, now=now)
    contacts.update(mobile="", guardian_name="", guardian_mobile="")
    for participant in Participant.objects.filter(pk__in=report.participants):
        _anonymise_participant(participant, now=now)
    jobs.delete()
    return report
