"""Writes for the catalogue: staff create, edit, publish and schedule their unit's offers.

Cancelling an offer or a session tells those enrolled, so that lives in the enrolment app.
"""

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ungkultur.catalogue.cache import catalogue_changed
from ungkultur.catalogue.models import Offer, Schedule, SchoolHoliday, Session, Venue
from ungkultur.catalogue.selectors import offer_teacher_candidates
from ungkultur.core.services import audit_record
from ungkultur.organisations.models import Unit

OSLO = ZoneInfo("Europe/Oslo")

# Everything staff may set on an offer; unit and municipality follow the unit, status has its
# own actions (publish, unpublish; cancel lives in the enrolment app).
EDITABLE_FIELDS = (
    "title",
    "description",
    "category",
    "age_min",
    "age_max",
    "venue",
    "price",
    "reduced_price",
    "price_note",
    "join_mode",
    "capacity",
    "subject_area",
    "programme",
    "term_start",
    "term_end",
    "application_deadline",
    "how_to_join",
)

# A weekly schedule makes at most a year of sessions at a time.
MAX_WEEKLY_SESSIONS = 53


def _json_value(value):
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


def _snapshot(offer: Offer) -> dict:
    """The editable fields as JSON values (the place by its id)."""
    return {
        name: _json_value(offer.venue_id if name == "venue" else getattr(offer, name))
        for name in EDITABLE_FIELDS
    }


def _offer_errors(offer: Offer) -> dict[str, list[str]]:
    """Rules across fields that depend on how one joins and who runs the offer."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if offer.join_mode in (Offer.JoinMode.REGISTRATION, Offer.JoinMode.APPLICATION):
        if not offer.capacity:
            add("capacity", _("Oppgi hvor mange plasser det er, når man må melde seg på."))
    if offer.join_mode == Offer.JoinMode.APPLICATION and offer.application_deadline is None:
        add("application_deadline", _("Oppgi søknadsfristen, når man må søke om plass."))
    if offer.unit.kind != Unit.Kind.KULTURSKOLE:
        for field in ("subject_area", "programme"):
            if getattr(offer, field):
                add(field, _("Fagområde og program gjelder bare kulturskolen."))
    if offer.reduced_price is not None and offer.reduced_price >= offer.price:
        add("reduced_price", _("Redusert pris må være lavere enn prisen."))
    if offer.venue is not None and offer.venue.municipality_id != offer.municipality_id:
        add("venue", _("Stedet må ligge i kommunen."))
    return errors


def _validate_offer(offer: Offer) -> None:
    errors = _offer_errors(offer)
    try:
        offer.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def offer_create(*, actor, unit: Unit, now: datetime.datetime, **fields) -> Offer:
    """Create a draft offer for the unit, in the unit's municipality."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    offer = Offer(
        unit=unit,
        municipality_id=unit.municipality_id,
        status=Offer.Status.DRAFT,
        **fields,
    )
    _validate_offer(offer)
    offer.save()
    audit_record(actor=actor, action="offer.created", obj=offer, changes=_snapshot(offer), at=now)
    catalogue_changed(offer.municipality_id)
    return offer


@transaction.atomic
def offer_update(*, actor, offer: Offer, now: datetime.datetime, **fields) -> Offer:
    """Change an offer's fields; the audit row keeps each changed value as [before, after]."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    offer = Offer.objects.select_for_update(of=("self",)).select_related("unit").get(pk=offer.pk)
    before = _snapshot(offer)
    for name, value in fields.items():
        setattr(offer, name, value)
    _validate_offer(offer)
    after = _snapshot(offer)
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changes:
        offer.save()
        audit_record(actor=actor, action="offer.updated", obj=offer, changes=changes, at=now)
    catalogue_changed(offer.municipality_id)
    return offer


def _locked(offer: Offer) -> Offer:
    return Offer.objects.select_for_update(of=("self",)).select_related("unit").get(pk=offer.pk)


@transaction.atomic
def offer_set_teachers(*, actor, offer: Offer, teachers, now: datetime.datetime) -> Offer:
    """Who teaches the offer: they see its participants and take its attendance (docs/privacy.md:
    a teacher sees the groups they teach only). Each must be a teacher of the offer's unit."""
    offer = _locked(offer)
    allowed = set(
        offer_teacher_candidates(offer, day=timezone.localdate(now)).values_list("pk", flat=True)
    )
    for teacher in teachers:
        if teacher.pk not in allowed:
            raise ValidationError(
                {
                    "teachers": _("%(name)s er ikke lærer i %(unit)s.")
                    % {"name": teacher.full_name, "unit": offer.unit.name}
                }
            )
    before = sorted(offer.teachers.values_list("pk", flat=True))
    after = sorted(teacher.pk for teacher in teachers)
    if before != after:
        offer.teachers.set(teachers)
        audit_record(
            actor=actor,
            action="offer.teachers_changed",
            obj=offer,
            changes={"teachers": [before, after]},
            at=now,
        )
    return offer


@transaction.atomic
def offer_publish(*, actor, offer: Offer, now: datetime.datetime) -> Offer:
    """Show a draft in the catalogue. A cancelled offer stays cancelled: make a new one."""
    offer = _locked(offer)
    if offer.status == Offer.Status.PUBLISHED:
        raise ValidationError(_("Tilbudet er allerede publisert."))
    if offer.status == Offer.Status.CANCELLED:
        raise ValidationError(_("Et avlyst tilbud kan ikke publiseres igjen."))
    if offer.term_end is not None and offer.term_end < timezone.localdate(now):
        raise ValidationError(_("Tilbudet er over. Endre datoene før du publiserer det."))
    _validate_offer(offer)
    offer.status = Offer.Status.PUBLISHED
    offer.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="offer.published",
        obj=offer,
        changes={"status": [Offer.Status.DRAFT, Offer.Status.PUBLISHED]},
        at=now,
    )
    catalogue_changed(offer.municipality_id)
    return offer


@transaction.atomic
def offer_unpublish(*, actor, offer: Offer, now: datetime.datetime) -> Offer:
    """Take a published offer out of the catalogue, back to draft."""
    offer = _locked(offer)
    if offer.status != Offer.Status.PUBLISHED:
        raise ValidationError(_("Bare et publisert tilbud kan gjøres om til utkast."))
    offer.status = Offer.Status.DRAFT
    offer.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="offer.unpublished",
        obj=offer,
        changes={"status": [Offer.Status.PUBLISHED, Offer.Status.DRAFT]},
        at=now,
    )
    catalogue_changed(offer.municipality_id)
    return offer


def _oslo(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """The wall-clock time in Oslo on that day, whatever the offset (summer time or not)."""
    return datetime.datetime.combine(day, time, tzinfo=OSLO)


def _exists_in_oslo(moment: datetime.datetime) -> bool:
    """False for a wall-clock time skipped when summer time begins (02:00–03:00 one night)."""
    round_trip = moment.astimezone(datetime.UTC).astimezone(OSLO)
    return round_trip.replace(tzinfo=None) == moment.replace(tzinfo=None)


def _gap_errors(
    dates: list[datetime.date], start_time: datetime.time, end_time: datetime.time
) -> dict[str, list[str]]:
    for field, time in (("start_time", start_time), ("end_time", end_time)):
        for day in dates:
            if not _exists_in_oslo(_oslo(day, time)):
                return {
                    field: [
                        _(
                            "Klokkeslettet finnes ikke %(date)s: klokka stilles da fram fra "
                            "02:00 til 03:00. Velg et annet tidspunkt."
                        )
                        % {"date": date_format(day, "DATE_FORMAT")}
                    ]
                }
    return {}


def _term_errors(offer: Offer, field: str, day: datetime.date) -> dict[str, list[str]]:
    if day < offer.term_start:
        return {
            field: [
                _("Datoen er før tilbudet starter (%(start)s).")
                % {"start": date_format(offer.term_start, "DATE_FORMAT")}
            ]
        }
    if offer.term_end is not None and day > offer.term_end:
        return {
            field: [
                _("Datoen er etter at tilbudet slutter (%(end)s).")
                % {"end": date_format(offer.term_end, "DATE_FORMAT")}
            ]
        }
    return {}


def _time_errors(start_time: datetime.time, end_time: datetime.time) -> dict[str, list[str]]:
    if end_time <= start_time:
        return {"end_time": [_("Sluttidspunktet må være etter starttidspunktet.")]}
    return {}


def _weekly_dates(weekday: int, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7)
    dates = []
    while day <= last:
        dates.append(day)
        day += datetime.timedelta(weeks=1)
    return dates


@transaction.atomic
def schedule_create(
    *,
    actor,
    offer: Offer,
    weekday: int,
    start_time: datetime.time,
    end_time: datetime.time,
    first_date: datetime.date,
    last_date: datetime.date,
    now: datetime.datetime,
) -> Schedule:
    """A weekly time within the offer's term, and one session for each week of it.

    Times are Oslo wall-clock times: 18:00 stays 18:00 on both sides of a change to or from
    summer time.
    """
    offer = _locked(offer)
    errors = {**_time_errors(start_time, end_time)}
    errors.update(_term_errors(offer, "first_date", first_date))
    errors.update(_term_errors(offer, "last_date", last_date))
    if last_date < first_date:
        errors["last_date"] = [_("Siste gang kan ikke være før første gang.")]
    dates = [] if errors else _weekly_dates(weekday, first_date, last_date)
    if not errors and not dates:
        errors["weekday"] = [_("Det er ingen slik ukedag mellom første og siste gang.")]
    holidays = _holidays(offer.unit_id, first_date, last_date)
    if dates and holidays:
        # No teaching in the unit's school holidays: those weeks get no session at all.
        dates = [day for day in dates if not any(h.covers(day) for h in holidays)]
        if not dates:
            errors["first_date"] = [_("Alle datoene er i skoleferier. Velg andre datoer.")]
    if len(dates) > MAX_WEEKLY_SESSIONS:
        errors["last_date"] = [
            _("Et fast tidspunkt kan gjelde i høyst %(weeks)s uker.")
            % {"weeks": MAX_WEEKLY_SESSIONS}
        ]
    if not errors:
        errors.update(_gap_errors(dates, start_time, end_time))
    if errors:
        raise ValidationError(errors)
    schedule = Schedule(
        offer=offer,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        first_date=first_date,
        last_date=last_date,
    )
    schedule.full_clean()
    schedule.save()
    sessions = [
        Session(
            offer=offer,
            schedule=schedule,
            starts_at=_oslo(day, start_time),
            ends_at=_oslo(day, end_time),
            weekday=weekday,
        )
        for day in dates
    ]
    Session.objects.bulk_create(sessions)
    audit_record(
        actor=actor,
        action="schedule.created",
        obj=schedule,
        changes={
            "offer": offer.pk,
            "weekday": weekday,
            "start_time": start_time.isoformat(),
            "end_time": end_time.isoformat(),
            "first_date": first_date.isoformat(),
            "last_date": last_date.isoformat(),
            "sessions": len(sessions),
        },
        at=now,
    )
    catalogue_changed(schedule.offer.municipality_id)
    return schedule


@transaction.atomic
def session_create(
    *,
    actor,
    offer: Offer,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    venue: Venue | None = None,
    now: datetime.datetime,
) -> Session:
    """One session on a single date within the offer's term, optionally somewhere else."""
    offer = _locked(offer)
    errors = {**_time_errors(start_time, end_time), **_term_errors(offer, "date", date)}
    if venue is not None and venue.municipality_id != offer.municipality_id:
        errors["venue"] = [_("Stedet må ligge i kommunen.")]
    if not errors:
        errors.update(_gap_errors([date], start_time, end_time))
    if errors:
        raise ValidationError(errors)
    session = Session(
        offer=offer,
        starts_at=_oslo(date, start_time),
        ends_at=_oslo(date, end_time),
        weekday=date.weekday(),
        venue=venue,
    )
    session.full_clean()
    session.save()
    audit_record(
        actor=actor,
        action="session.created",
        obj=session,
        changes={
            "offer": offer.pk,
            "starts_at": session.starts_at.isoformat(),
            "ends_at": session.ends_at.isoformat(),
            "venue": venue.pk if venue else None,
        },
        at=now,
    )
    catalogue_changed(session.offer.municipality_id)
    return session


# --- School holidays ----------------------------------------------------------------------------


def _holidays(unit_id, first: datetime.date, last: datetime.date) -> list[SchoolHoliday]:
    return list(
        SchoolHoliday.objects.filter(unit_id=unit_id, last_day__gte=first, first_day__lte=last)
    )


def _day_bounds(first: datetime.date, last: datetime.date):
    """From the start of ``first`` to the end of ``last``, in Oslo."""
    return _oslo(first, datetime.time()), _oslo(last + datetime.timedelta(days=1), datetime.time())


@transaction.atomic
def school_holiday_create(
    *,
    actor,
    unit: Unit,
    name: str,
    first_day: datetime.date,
    last_day: datetime.date,
    now: datetime.datetime,
) -> tuple[SchoolHoliday, int]:
    """Record a school holiday of the unit, and remove the coming sessions its weekly
    schedules made for those days, telling nobody (it is no cancellation: the sessions were
    never meant to be). A session already cancelled, a single session (not from a schedule)
    and one with attendance recorded are kept. Returns the holiday and how many went."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Skriv hvilken ferie det er, for eksempel «Høstferie».")]
    if last_day < first_day:
        errors["last_day"] = [_("Siste dag kan ikke være før første dag.")]
    elif (last_day - first_day).days > 70:
        errors["last_day"] = [_("En ferie kan vare i høyst ti uker.")]
    if not errors:
        overlap = _holidays(unit.pk, first_day, last_day)
        if overlap:
            errors["first_day"] = [
                _("Datoene overlapper med %(name)s (%(first)s–%(last)s).")
                % {
                    "name": overlap[0].name,
                    "first": date_format(overlap[0].first_day, "DATE_FORMAT"),
                    "last": date_format(overlap[0].last_day, "DATE_FORMAT"),
                }
            ]
    if errors:
        raise ValidationError(errors)
    holiday = SchoolHoliday(unit=unit, name=name, first_day=first_day, last_day=last_day)
    holiday.full_clean()
    holiday.save()
    start, end = _day_bounds(first_day, last_day)
    sessions = Session.objects.filter(
        offer__unit=unit,
        schedule__isnull=False,
        starts_at__gte=max(start, now),
        starts_at__lt=end,
        cancelled_at__isnull=True,
        attendance__isnull=True,
    )
    removed, _by_model = Session.objects.filter(
        pk__in=list(sessions.values_list("pk", flat=True))
    ).delete()
    audit_record(
        actor=actor,
        action="school_holiday.created",
        obj=holiday,
        changes={
            "unit": unit.pk,
            "name": name,
            "first_day": first_day.isoformat(),
            "last_day": last_day.isoformat(),
            "sessions_removed": removed,
        },
        at=now,
    )
    catalogue_changed(unit.municipality_id)
    return holiday, removed


@transaction.atomic
def school_holiday_delete(*, actor, holiday: SchoolHoliday, now: datetime.datetime) -> int:
    """Remove a school holiday, and give the weekly schedules back their coming sessions on
    those days (not in another holiday, and not where a session already is). Returns how many
    sessions came back."""
    holiday = SchoolHoliday.objects.select_for_update().select_related("unit").get(pk=holiday.pk)
    unit = holiday.unit
    first, last = holiday.first_day, holiday.last_day
    holiday.delete()
    others = _holidays(unit.pk, first, last)
    start, end = _day_bounds(first, last)
    schedules = Schedule.objects.filter(
        offer__unit=unit, first_date__lte=last, last_date__gte=first
    ).exclude(offer__status=Offer.Status.CANCELLED)
    existing = set(
        Session.objects.filter(
            schedule__in=schedules, starts_at__gte=start, starts_at__lt=end
        ).values_list("schedule_id", "starts_at")
    )
    sessions = []
    for schedule in schedules:
        for day in _weekly_dates(
            schedule.weekday, max(first, schedule.first_date), min(last, schedule.last_date)
        ):
            starts_at = _oslo(day, schedule.start_time)
            if (
                starts_at <= now
                or any(h.covers(day) for h in others)
                or (schedule.pk, starts_at) in existing
                or not _exists_in_oslo(starts_at)
            ):
                continue
            sessions.append(
                Session(
                    offer_id=schedule.offer_id,
                    schedule=schedule,
                    starts_at=starts_at,
                    ends_at=_oslo(day, schedule.end_time),
                    weekday=schedule.weekday,
                )
            )
    Session.objects.bulk_create(sessions)
    audit_record(
        actor=actor,
        action="school_holiday.deleted",
        obj=unit,
        changes={
            "name": holiday.name,
            "first_day": first.isoformat(),
            "last_day": last.isoformat(),
            "sessions_restored": len(sessions),
        },
        at=now,
    )
    catalogue_changed(unit.municipality_id)
    return len(sessions)


# --- Places --------------------------------------------------------------------------------------

VENUE_FIELDS = [
    "name",
    "address",
    "step_free",
    "accessible_toilet",
    "hearing_loop",
    "accessibility_notes",
]


def _validate_venue(venue: Venue) -> None:
    venue.full_clean()
    twin = Venue.objects.filter(
        municipality_id=venue.municipality_id, name__iexact=venue.name.strip()
    ).exclude(pk=venue.pk)
    if twin.exists():
        raise ValidationError({"name": [_("Kommunen har allerede et sted med dette navnet.")]})


@transaction.atomic
def venue_create(*, actor, municipality, now: datetime.datetime, **fields) -> Venue:
    """A place in the municipality where offers can happen, with its accessibility."""
    unknown = set(fields) - set(VENUE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    venue = Venue(municipality=municipality, **fields)
    _validate_venue(venue)
    venue.save()
    audit_record(
        actor=actor,
        action="venue.created",
        obj=venue,
        changes={name: getattr(venue, name) for name in VENUE_FIELDS},
        at=now,
    )
    catalogue_changed(venue.municipality_id)
    return venue


@transaction.atomic
def venue_update(*, actor, venue: Venue, now: datetime.datetime, **fields) -> Venue:
    """Change a place; offers there show the new details at once."""
    unknown = set(fields) - set(VENUE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    venue = Venue.objects.select_for_update().get(pk=venue.pk)
    before = {name: getattr(venue, name) for name in VENUE_FIELDS}
    for name, value in fields.items():
        setattr(venue, name, value)
    _validate_venue(venue)
    changes = {
        name: [before[name], getattr(venue, name)]
        for name in VENUE_FIELDS
        if before[name] != getattr(venue, name)
    }
    if changes:
        venue.save()
        audit_record(actor=actor, action="venue.updated", obj=venue, changes=changes, at=now)
        catalogue_changed(venue.municipality_id)
    return venue
