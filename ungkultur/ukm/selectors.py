from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from ungkultur.lib.disclosure import hidden_label, suppress, suppress_total
from ungkultur.organisations.models import Unit
from ungkultur.ukm.models import (
    WORKING_WITH_TYPES,
    Innslag,
    InnslagPerson,
    InnslagTitle,
    InnslagType,
    UkmEvent,
)


def events_of_unit(unit: Unit) -> QuerySet[UkmEvent]:
    return UkmEvent.objects.filter(unit=unit).select_related("venue").order_by("-starts_at")


@dataclass(frozen=True)
class EntryCounts:
    """Entries of one event by type, and the two groups UKM reports: showing and working with."""

    by_type: list[tuple[str, str, int]]  # (type, label, count), in UKM's order, non-zero only
    showing: int
    working_with: int

    @property
    def total(self) -> int:
        return self.showing + self.working_with


def entry_counts(event: UkmEvent) -> EntryCounts:
    """Counts only, never names (one query)."""
    counts = dict(
        Innslag.objects.filter(event=event)
        .order_by()
        .values("type")
        .annotate(n=Count("pk"))
        .values_list("type", "n")
    )
    by_type = [(t.value, t.label, counts[t.value]) for t in InnslagType if counts.get(t.value)]
    working_with = sum(n for t, n in counts.items() if t in WORKING_WITH_TYPES)
    return EntryCounts(
        by_type=by_type, showing=sum(counts.values()) - working_with, working_with=working_with
    )


@dataclass(frozen=True)
class PublicEntryCounts:
    """EntryCounts as the public may see them: a count below n is None (docs/privacy.md), and so
    is one hidden to protect it. Each type's last item says which: "færre enn n" only when it
    is, else "skjult" (None for a count shown)."""

    by_type: list[tuple[str, str, int | None, str | None]]
    showing: int | None
    working_with: int | None
    total: int | None
    min_n: int


def public_entry_counts(event: UkmEvent, *, n: int) -> PublicEntryCounts:
    counts = entry_counts(event)
    by_type = suppress({t: c for t, _, c in counts.by_type}, n=n)
    groups = suppress({"showing": counts.showing, "working_with": counts.working_with}, n=n)
    return PublicEntryCounts(
        by_type=[
            (t, label, by_type[t], hidden_label(count, by_type[t], n=n))
            for t, label, count in counts.by_type
        ],
        showing=groups["showing"],
        working_with=groups["working_with"],
        total=suppress_total(counts.total, n=n),
        min_n=n,
    )


def own_innslag(event: UkmEvent, user) -> QuerySet[Innslag]:
    """The entries this person registered for the event."""
    if not user.is_authenticated:
        return Innslag.objects.none()
    return Innslag.objects.filter(event=event, contact=user).order_by("created_at")


def innslag_for_contact(user) -> QuerySet[Innslag]:
    """Every entry a person registered, with its event (for Min side)."""
    return (
        Innslag.objects.filter(contact=user)
        .select_related("event__unit")
        .order_by("-event__starts_at", "created_at")
    )


def event_entries(event: UkmEvent) -> QuerySet[Innslag]:
    """All entries of an event with contact, persons and titles, for staff (four queries)."""
    return (
        Innslag.objects.filter(event=event)
        .select_related("contact")
        .prefetch_related(
            Prefetch("persons", queryset=InnslagPerson.objects.order_by("pk")),
            Prefetch("titles", queryset=InnslagTitle.objects.order_by("pk")),
        )
        .order_by("created_at", "pk")
    )


def innslag_parts(innslag: Innslag) -> tuple[list[InnslagPerson], list[InnslagTitle]]:
    """An entry's persons and titles in the order they were given."""
    return (
        list(innslag.persons.order_by("pk")),
        list(innslag.titles.order_by("pk")),
    )
