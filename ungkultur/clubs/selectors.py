import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ungkultur.clubs.models import ClubEvening, ClubHeadcount
from ungkultur.municipalities.models import Municipality
from ungkultur.organisations.models import Unit


def _visitors_subquery():
    return Coalesce(
        Subquery(
            ClubHeadcount.objects.filter(evening=OuterRef("pk"))
            .order_by()
            .values("evening")
            .annotate(total=Sum("count"))
            .values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def evenings_with_totals(unit: Unit) -> QuerySet[ClubEvening]:
    """The club's evenings, newest first, each with ``visitors`` (the sum of its headcounts)."""
    return (
        ClubEvening.objects.filter(unit=unit)
        .annotate(visitors=_visitors_subquery())
        .order_by("-date")
    )


def evening_on(unit: Unit, date: datetime.date) -> ClubEvening | None:
    return ClubEvening.objects.filter(unit=unit, date=date).first()


def evening_counts(evening: ClubEvening) -> dict[tuple[str, str], int]:
    """The evening's headcounts as {(age band, gender): count}; missing cells are zero."""
    return {
        (row.age_band, row.gender): row.count
        for row in ClubHeadcount.objects.filter(evening=evening)
    }


@dataclass(frozen=True)
class ClubVisits:
    evenings: int
    visits: int
    first_time_visitors: int

    @property
    def visits_per_evening(self) -> float | None:
        return self.visits / self.evenings if self.evenings else None


def club_visits(
    scope: Unit | Municipality, *, start: datetime.date, end: datetime.date
) -> ClubVisits:
    """Evenings and visits of one club, or of all clubs of a municipality, in [start, end).

    Feeds the club attendance indicator (docs/indicators.md): visits per evening, and visits per
    1,000 inhabitants aged 6–20 per year (the caller divides by the population). Two queries.
    """
    evenings = ClubEvening.objects.filter(date__gte=start, date__lt=end)
    if isinstance(scope, Municipality):
        evenings = evenings.filter(unit__municipality=scope, unit__kind=Unit.Kind.YOUTH_CLUB)
    else:
        evenings = evenings.filter(unit=scope)
    totals = evenings.aggregate(
        evenings=Count("pk"), first_time=Coalesce(Sum("first_time_visitors"), 0)
    )
    visits = ClubHeadcount.objects.filter(evening__in=evenings).aggregate(
        visits=Coalesce(Sum("count"), 0)
    )["visits"]
    return ClubVisits(
        evenings=totals["evenings"], visits=visits, first_time_visitors=totals["first_time"]
    )
