import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ungkultur.clubs.models import ClubEvening, ClubHeadcount
from ungkultur.core.services import audit_record
from ungkultur.organisations.models import Unit

# One cell of the headcount grid: (age band, gender) -> number of visitors.
Counts = dict[tuple[str, str], int]

DUPLICATE = "duplicate"


def _clean_counts(counts: Counts) -> Counts:
    """The non-zero cells; unknown bands or genders and negative numbers are programming errors."""
    cleaned = {}
    for (band, gender), count in counts.items():
        if band not in ClubHeadcount.AgeBand.values or gender not in ClubHeadcount.Gender.values:
            raise ValueError(f"Unknown headcount cell {band!r}, {gender!r}")
        if count is None or count == 0:
            continue
        if count < 0:
            raise ValidationError({"counts": _("Antallet kan ikke være negativt.")})
        cleaned[(band, gender)] = count
    return cleaned


def _validate(
    *, unit: Unit, date: datetime.date, counts: Counts, first_time_visitors: int, now
) -> None:
    errors: dict[str, list[str]] = {}
    if unit.kind != Unit.Kind.YOUTH_CLUB:
        errors.setdefault("__all__", []).append(_("Bare fritidsklubber registrerer klubbkvelder."))
    if date > timezone.localdate(now):
        errors.setdefault("date", []).append(
            _("Du kan ikke registrere en kveld som ikke har vært ennå.")
        )
    if first_time_visitors > sum(counts.values()):
        errors.setdefault("first_time_visitors", []).append(
            _("Flere førstegangsbesøkende enn besøkende")
        )
    if errors:
        raise ValidationError(errors)


def _duplicate_error() -> ValidationError:
    return ValidationError(
        {"date": ValidationError(_("Kvelden er allerede registrert"), code=DUPLICATE)}
    )


def _save_counts(evening: ClubEvening, counts: Counts) -> None:
    rows = [
        ClubHeadcount(evening=evening, age_band=band, gender=gender, count=count)
        for (band, gender), count in counts.items()
    ]
    for row in rows:
        row.full_clean(exclude=["evening"], validate_unique=False, validate_constraints=False)
    ClubHeadcount.objects.bulk_create(rows)


def _summary(evening: ClubEvening, counts: Counts) -> dict:
    """What the audit row keeps: numbers only, never names."""
    return {
        "unit": evening.unit_id,
        "date": evening.date.isoformat(),
        "visitors": sum(counts.values()),
        "first_time_visitors": evening.first_time_visitors,
        "counts": {f"{band}/{gender}": count for (band, gender), count in sorted(counts.items())},
    }


def _save_evening(evening: ClubEvening) -> None:
    # The date is unique per club; two staff saving the same evening at once meet here.
    try:
        with transaction.atomic():
            evening.save()
    except IntegrityError as error:
        raise _duplicate_error() from error


@transaction.atomic
def club_evening_register(
    *,
    actor,
    unit: Unit,
    date: datetime.date,
    counts: Counts,
    first_time_visitors: int,
    note: str = "",
    now: datetime.datetime,
) -> ClubEvening:
    """Register one opening evening with anonymous headcounts; only non-zero cells are stored.

    Raises ValidationError keyed by ``date`` (code ``duplicate`` when the club already has that
    evening), ``first_time_visitors`` or ``__all__``.
    """
    counts = _clean_counts(counts)
    _validate(unit=unit, date=date, counts=counts, first_time_visitors=first_time_visitors, now=now)
    if ClubEvening.objects.filter(unit=unit, date=date).exists():
        raise _duplicate_error()
    evening = ClubEvening(
        unit=unit,
        date=date,
        first_time_visitors=first_time_visitors,
        note=note,
        recorded_by=actor,
        recorded_at=now,
    )
    evening.full_clean(validate_unique=False, validate_constraints=False)
    _save_evening(evening)
    _save_counts(evening, counts)
    audit_record(
        actor=actor,
        action="club_evening.registered",
        obj=evening,
        changes=_summary(evening, counts),
        at=now,
    )
    return evening


@transaction.atomic
def club_evening_update(
    *,
    actor,
    evening: ClubEvening,
    date: datetime.date,
    counts: Counts,
    first_time_visitors: int,
    note: str = "",
    now: datetime.datetime,
) -> ClubEvening:
    """Correct an evening: its date, note and first-timers, and replace all its headcounts."""
    evening = (
        ClubEvening.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=evening.pk)
    )
    counts = _clean_counts(counts)
    _validate(
        unit=evening.unit,
        date=date,
        counts=counts,
        first_time_visitors=first_time_visitors,
        now=now,
    )
    if ClubEvening.objects.filter(unit=evening.unit, date=date).exclude(pk=evening.pk).exists():
        raise _duplicate_error()
    previous = _summary(evening, _counts_of(evening))
    evening.date = date
    evening.first_time_visitors = first_time_visitors
    evening.note = note
    evening.full_clean(validate_unique=False, validate_constraints=False)
    _save_evening(evening)
    evening.headcounts.all().delete()
    _save_counts(evening, counts)
    audit_record(
        actor=actor,
        action="club_evening.updated",
        obj=evening,
        changes={"before": previous, "after": _summary(evening, counts)},
        at=now,
    )
    return evening


def _counts_of(evening: ClubEvening) -> Counts:
    return {
        (row.age_band, row.gender): row.count
        for row in ClubHeadcount.objects.filter(evening=evening)
    }
