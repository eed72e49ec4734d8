import datetime
import re
from functools import partial

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ungkultur.catalogue.cache import catalogue_changed
from ungkultur.core.services import audit_record
from ungkultur.core.tasks import send_email
from ungkultur.organisations.models import Unit
from ungkultur.ukm.models import (
    WORKING_WITH_TYPES,
    Innslag,
    InnslagPerson,
    InnslagTitle,
    InnslagType,
    UkmEvent,
)

# UKM is for youth aged 10–20, counted as the event's year minus the birth year.
UKM_MIN_AGE = 10
UKM_MAX_AGE = 20
# An entry can be a choir or a big band; this only stops a runaway form.
MAX_PERSONS = 50
MAX_TITLES = 20

# Eight digits starting with 4 or 9 (Norwegian mobile numbers), optionally after +47 or 0047.
MOBILE_RE = re.compile(r"(?:\+47|0047)?([49]\d{7})")

# The fields of a person and a title that a caller passes in; nothing else is stored.
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "birth_year",
    "role",
    "guardian_name",
    "guardian_mobile",
)
TITLE_FIELDS = ("title", "duration_seconds", "self_made", "credits")


def normalise_mobile(value: str) -> str | None:
    """A Norwegian mobile number as eight digits, or None when it is not one. Spaces are fine."""
    match = MOBILE_RE.fullmatch(re.sub(r"\s+", "", value or ""))
    return match.group(1) if match else None


def event_year(event: UkmEvent) -> int:
    return timezone.localtime(event.starts_at).year


def person_errors(person: dict, *, year: int) -> dict[str, list[str]]:
    """The UKM rules for one person in an entry, by field. Used by the form and the service."""
    errors: dict[str, list[str]] = {}
    age = year - person["birth_year"]
    if not UKM_MIN_AGE <= age <= UKM_MAX_AGE:
        errors["birth_year"] = [_("UKM er for deg mellom 10 og 20 år.")]
        return errors
    # Under 15, UKM needs a guardian it can reach (docs/privacy.md: a setting, 15 by default).
    if age < settings.UNGKULTUR_AGE_GUARDIAN_DETAILS:
        if not (person.get("guardian_name") or "").strip():
            errors["guardian_name"] = [_("Skriv navnet til en foresatt. Det trengs under 15 år.")]
        mobile = (person.get("guardian_mobile") or "").strip()
        if not mobile:
            errors["guardian_mobile"] = [
                _("Skriv mobilnummeret til en foresatt. Det trengs under 15 år.")
            ]
        elif normalise_mobile(mobile) is None:
            errors["guardian_mobile"] = [
                _("Skriv et norsk mobilnummer med 8 siffer, for eksempel 912 34 567.")
            ]
    return errors


def _person_rows(persons: list[dict], *, year: int, contact) -> tuple[list, list[str]]:
    """The rows to store, and every broken rule as a message naming the person."""
    errors = []
    rows = []
    for person in persons:
        person = {field: person.get(field) for field in PERSON_FIELDS}
        for messages in person_errors(person, year=year).values():
            errors.extend(
                _("%(name)s: %(message)s") % {"name": person["first_name"], "message": message}
                for message in messages
            )
        needs_guardian = year - person["birth_year"] < settings.UNGKULTUR_AGE_GUARDIAN_DETAILS
        row = InnslagPerson(
            first_name=person["first_name"].strip(),
            last_name=(person["last_name"] or "").strip(),
            birth_year=person["birth_year"],
            role=(person["role"] or "").strip(),
        )
        # Guardian details are kept only where UKM needs them: under 15.
        if needs_guardian:
            row.guardian_name = (person["guardian_name"] or "").strip()
            row.guardian_mobile = normalise_mobile(person["guardian_mobile"]) or ""
        row.user = contact if _is_contact(row, contact) else None
        rows.append(row)
    if not rows:
        errors.append(_("Et innslag må ha minst én person."))
    elif len(rows) > MAX_PERSONS:
        errors.append(_("Et innslag kan ha høyst %(count)s personer.") % {"count": MAX_PERSONS})
    return rows, errors


def _is_contact(row: InnslagPerson, contact) -> bool:
    """The person who registers the entry is linked to their account when the row is them."""
    return (
        row.first_name.casefold() == contact.first_name.casefold()
        and row.last_name.casefold() == contact.last_name.casefold()
        and row.birth_year == contact.birth_year
    )


def _title_rows(titles: list[dict], *, type: str) -> tuple[list, list[str]]:
    errors = []
    if titles and type in WORKING_WITH_TYPES:
        errors.append(_("Innslag der du jobber med noe, har ingen titler. Fjern titlene."))
    elif len(titles) > MAX_TITLES:
        errors.append(_("Et innslag kan ha høyst %(count)s titler.") % {"count": MAX_TITLES})
    rows = [
        InnslagTitle(
            title=title["title"].strip(),
            duration_seconds=title.get("duration_seconds"),
            self_made=bool(title.get("self_made")),
            credits=(title.get("credits") or "").strip(),
        )
        for title in titles
    ]
    return rows, errors


def _parts(*, persons, titles, type, year, contact):
    """Persons and titles as unsaved rows; raises one ValidationError with every problem."""
    person_rows, person_errors_ = _person_rows(persons, year=year, contact=contact)
    title_rows, title_errors = _title_rows(titles, type=type)
    errors = {}
    if type not in InnslagType.values:
        errors["type"] = [_("Velg en av typene i listen.")]
    if person_errors_:
        errors["persons"] = person_errors_
    if title_errors:
        errors["titles"] = title_errors
    if errors:
        raise ValidationError(errors)
    return person_rows, title_rows


def _check_open(event: UkmEvent, now: datetime.datetime) -> None:
    if not event.signup_is_open(now):
        raise ValidationError({NON_FIELD_ERRORS: [_("Påmeldingen er stengt")]})


def _save_parts(innslag: Innslag, persons: list[InnslagPerson], titles: list[InnslagTitle]):
    for row in (*persons, *titles):
        row.innslag = innslag
        row.full_clean()
    InnslagPerson.objects.bulk_create(persons)
    InnslagTitle.objects.bulk_create(titles)


def _summary(innslag: Innslag, persons: int, titles: int) -> dict:
    """What the audit row keeps: the entry and its size, not the youth's personal details."""
    return {
        "event": innslag.event_id,
        "type": innslag.type,
        "name": innslag.name,
        "persons": persons,
        "titles": titles,
    }


@transaction.atomic
def innslag_create(
    *,
    actor,
    event: UkmEvent,
    type: str,
    name: str,
    description: str = "",
    persons: list[dict],
    titles: list[dict],
    now: datetime.datetime,
) -> Innslag:
    """Register an entry while sign-up is open. ``persons`` and ``titles`` are dicts with the
    keys of PERSON_FIELDS and TITLE_FIELDS.

    Raises ValidationError keyed by ``persons``, ``titles`` or ``__all__`` (sign-up closed).
    """
    _check_open(event, now)
    person_rows, title_rows = _parts(
        persons=persons, titles=titles, type=type, year=event_year(event), contact=actor
    )
    innslag = Innslag(
        event=event,
        type=type,
        name=name.strip(),
        description=description.strip(),
        contact=actor,
        created_at=now,
    )
    innslag.full_clean()
    innslag.save()
    _save_parts(innslag, person_rows, title_rows)
    audit_record(
        actor=actor,
        action="innslag.created",
        obj=innslag,
        changes=_summary(innslag, len(person_rows), len(title_rows)),
        at=now,
    )
    return innslag


@transaction.atomic
def innslag_update(
    *,
    actor,
    innslag: Innslag,
    type: str,
    name: str,
    description: str = "",
    persons: list[dict],
    titles: list[dict],
    now: datetime.datetime,
) -> Innslag:
    """Change an entry until sign-up closes; its persons and titles are replaced."""
    innslag = (
        Innslag.objects.select_for_update(of=("self",)).select_related("event").get(pk=innslag.pk)
    )
    _check_open(innslag.event, now)
    person_rows, title_rows = _parts(
        persons=persons,
        titles=titles,
        type=type,
        year=event_year(innslag.event),
        contact=innslag.contact,
    )
    before = _summary(innslag, innslag.persons.count(), innslag.titles.count())
    innslag.type = type
    innslag.name = name.strip()
    innslag.description = description.strip()
    innslag.full_clean()
    innslag.save(update_fields=["type", "name", "description"])
    innslag.persons.all().delete()
    innslag.titles.all().delete()
    _save_parts(innslag, person_rows, title_rows)
    audit_record(
        actor=actor,
        action="innslag.updated",
        obj=innslag,
        changes={
            "before": before,
            "after": _summary(innslag, len(person_rows), len(title_rows)),
        },
        at=now,
    )
    return innslag


@transaction.atomic
def innslag_forward(*, actor, innslag: Innslag, forwarded: bool, now: datetime.datetime) -> Innslag:
    """Mark an entry as forwarded to the county festival, or take the mark away.

    Only once the local show has begun (the jury picks from what it saw); the youth who
    signed the entry up is told by e-mail, after the transaction commits.
    """
    innslag = (
        Innslag.objects.select_for_update(of=("self",))
        .select_related("event", "contact")
        .get(pk=innslag.pk)
    )
    if forwarded == (innslag.forwarded_at is not None):
        return innslag
    if forwarded and now < innslag.event.starts_at:
        raise ValidationError(
            _("Innslag kan videresendes først når den lokale mønstringen har vært (%(date)s).")
            % {"date": date_format(timezone.localtime(innslag.event.starts_at), "DATE_FORMAT")}
        )
    previous = innslag.forwarded_at
    innslag.forwarded_at = now if forwarded else None
    innslag.save(update_fields=["forwarded_at"])
    audit_record(
        actor=actor,
        action="innslag.forwarded" if forwarded else "innslag.forward_withdrawn",
        obj=innslag,
        changes={
            "event": innslag.event_id,
            "previous": previous.isoformat() if previous else None,
            "forwarded_at": innslag.forwarded_at.isoformat() if innslag.forwarded_at else None,
        },
        at=now,
    )
    contact = innslag.contact
    if forwarded and contact.is_active and contact.email:
        body = render_to_string(
            "ukm/email/innslag_forwarded.txt",
            {"innslag": innslag, "event": innslag.event, "site_url": settings.SITE_URL},
        )
        transaction.on_commit(
            partial(
                send_email.enqueue,
                subject=_("%(name)s er videresendt til fylkesfestivalen") % {"name": innslag.name},
                body=body,
                to=[contact.email],
            )
        )
    return innslag


# --- The event itself ------------------------------------------------------------------------


def _validate_event(*, unit: Unit, fields: dict) -> None:
    errors: dict[str, list[str]] = {}
    if unit.kind != Unit.Kind.UKM:
        errors["__all__"] = [_("Bare UKM kan ha UKM-arrangementer.")]
    venue = fields.get("venue")
    if venue is not None and venue.municipality_id != unit.municipality_id:
        errors["venue"] = [
            _("Stedet må ligge i %(municipality)s.") % {"municipality": unit.municipality.name}
        ]
    if fields["signup_closes"] <= fields["signup_opens"]:
        errors["signup_closes"] = [_("Påmeldingen må stenge etter at den åpner.")]
    elif fields["signup_closes"] > fields["starts_at"]:
        errors["signup_closes"] = [_("Påmeldingen må stenge før arrangementet starter.")]
    if errors:
        raise ValidationError(errors)


def _event_changes(event: UkmEvent) -> dict:
    return {
        "unit": event.unit_id,
        "name": event.name,
        "starts_at": event.starts_at.isoformat(),
        "venue": event.venue_id,
        "signup_opens": event.signup_opens.isoformat(),
        "signup_closes": event.signup_closes.isoformat(),
    }


@transaction.atomic
def ukm_event_create(
    *,
    actor,
    unit: Unit,
    name: str,
    description: str = "",
    starts_at: datetime.datetime,
    venue=None,
    signup_opens: datetime.datetime,
    signup_closes: datetime.datetime,
    now: datetime.datetime,
) -> UkmEvent:
    """Create a local UKM event with its sign-up window [signup_opens, signup_closes)."""
    fields = {
        "name": name.strip(),
        "description": description.strip(),
        "starts_at": starts_at,
        "venue": venue,
        "signup_opens": signup_opens,
        "signup_closes": signup_closes,
    }
    _validate_event(unit=unit, fields=fields)
    event = UkmEvent(unit=unit, **fields)
    event.full_clean()
    event.save()
    audit_record(
        actor=actor, action="ukm_event.created", obj=event, changes=_event_changes(event), at=now
    )
    # The catalogue's «Meld på UKM» banner shows the event at once.
    catalogue_changed(unit.municipality_id)
    return event


@transaction.atomic
def ukm_event_update(
    *,
    actor,
    event: UkmEvent,
    name: str,
    description: str = "",
    starts_at: datetime.datetime,
    venue=None,
    signup_opens: datetime.datetime,
    signup_closes: datetime.datetime,
    now: datetime.datetime,
) -> UkmEvent:
    event = (
        UkmEvent.objects.select_for_update(of=("self",))
        .select_related("unit__municipality")
        .get(pk=event.pk)
    )
    fields = {
        "name": name.strip(),
        "description": description.strip(),
        "starts_at": starts_at,
        "venue": venue,
        "signup_opens": signup_opens,
        "signup_closes": signup_closes,
    }
    _validate_event(unit=event.unit, fields=fields)
    before = _event_changes(event)
    for field, value in fields.items():
        setattr(event, field, value)
    event.full_clean()
    event.save()
    audit_record(
        actor=actor,
        action="ukm_event.updated",
        obj=event,
        changes={"before": before, "after": _event_changes(event)},
        at=now,
    )
    catalogue_changed(event.unit.municipality_id)
    return event
