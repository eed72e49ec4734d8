import datetime

from django.db.models import Q, Sum

from ungkultur.municipalities.models import Municipality, MunicipalityCode, PopulationCell


def municipality_by_any_code(code: str) -> Municipality | None:
    """The municipality that has or had this number (old numbers keep working)."""
    row = MunicipalityCode.objects.select_related("municipality__county").filter(code=code).first()
    if row is not None:
        return row.municipality
    return Municipality.objects.select_related("county").filter(code=code).first()


def codes_valid_on(municipality: Municipality, day: datetime.date) -> list[str]:
    codes = municipality.codes.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_until__isnull=True) | Q(valid_until__gt=day),
    ).values_list("code", flat=True)
    return list(codes) or [municipality.code]


def population(
    municipality: Municipality, *, year: int, age_from: int, age_to: int, sex: int | None = None
) -> int | None:
    """Persons aged age_from..age_to (inclusive) on 1 January of ``year``, None without data."""
    cells = PopulationCell.objects.filter(
        code__in=codes_valid_on(municipality, datetime.date(year, 1, 1)),
        year=year,
        age__gte=age_from,
        age__lte=age_to,
    )
    if sex is not None:
        cells = cells.filter(sex=sex)
    return cells.aggregate(total=Sum("persons"))["total"]
