"""Reads for planning: goal trees, plans with what is late, the annual wheel and its clashes,
orders, the collaboration network and the national overview. Time is explicit (``today``)."""

import calendar
import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from ungkultur.lib.terms import Term
from ungkultur.meetings.models import Attendance, Registration
from ungkultur.municipalities.models import Municipality
from ungkultur.organisations.models import NationalRole
from ungkultur.planning.models import (
    Collaboration,
    CompetenceOrder,
    Goal,
    GoalAdoption,
    Measure,
    Plan,
    PlanItem,
    WheelActivity,
)

# --- Goals ---------------------------------------------------------------------------------------


@dataclass
class SubGoal:
    goal: Goal
    measures: list = field(default_factory=list)


@dataclass
class EffectGoal:
    goal: Goal
    subs: list = field(default_factory=list)
    adopted: bool = False


def goal_tree(*, municipality: Municipality | None) -> list[EffectGoal]:
    """The national effektmål with their delmål; for a municipality also whether each is adopted,
    its own delmål under them and its measures (four queries)."""
    scope = Q(municipality__isnull=True)
    if municipality is not None:
        scope |= Q(municipality=municipality)
    goals = list(Goal.objects.filter(scope))
    # municipality=None is the national scope (IS NULL).
    measures = Measure.objects.filter(goal__in=goals, municipality=municipality).select_related(
        "owner"
    )
    by_goal = defaultdict(list)
    for measure in measures.order_by("pk"):
        by_goal[measure.goal_id].append(measure)
    adopted = set()
    if municipality is not None:
        adopted = set(
            GoalAdoption.objects.filter(municipality=municipality).values_list("goal_id", flat=True)
        )
    tree = {
        g.pk: EffectGoal(goal=g, adopted=g.pk in adopted or g.municipality_id is not None)
        for g in goals
        if g.level == Goal.Level.EFFECT
    }
    for goal in goals:
        if goal.level == Goal.Level.SUB and goal.parent_id in tree:
            tree[goal.parent_id].subs.append(SubGoal(goal=goal, measures=by_goal[goal.pk]))
    return list(tree.values())


def adoptable_goals(municipality) -> list[Goal]:
    """National effektmål the municipality has not adopted yet."""
    return list(
        Goal.objects.filter(level=Goal.Level.EFFECT, municipality__isnull=True).exclude(
            adoptions__municipality=municipality
        )
    )


def subgoals_for(municipality) -> list[Goal]:
    """The delmål a municipality's measures may hang under: national ones of adopted effektmål
    and its own."""
    return list(
        Goal.objects.filter(level=Goal.Level.SUB)
        .filter(
            Q(municipality=municipality)
            | Q(municipality__isnull=True, parent__adoptions__municipality=municipality)
        )
        .distinct()
    )


def goal_measures(goal: Goal, *, municipality) -> list[Measure]:
    """The measures under a delmål: the national ones, and the municipality's own."""
    scope = Q(municipality__isnull=True)
    if municipality is not None:
        scope |= Q(municipality=municipality)
    return list(goal.measures.filter(scope).select_related("municipality", "owner"))


# --- Plans ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    item: PlanItem
    late: bool


def milestone_plan(period=None) -> Plan | None:
    """The milestone plan of ``period``, by default of the current period (else the plan from
    before periods), in one query."""
    from ungkultur.planning.periods import pick_current

    plans = list(Plan.objects.filter(kind=Plan.Kind.MILESTONE).select_related("period"))
    by_period = {plan.period: plan for plan in plans if plan.period is not None}
    if period is None:
        period = pick_current(by_period, timezone.localdate())
    return by_period.get(period) or next((p for p in plans if p.period is None), None)


def plan_rows(plan: Plan, *, today: datetime.date) -> list[Row]:
    items = plan.items.select_related("measure")
    return [Row(item=item, late=item.is_late(today)) for item in items]


def municipality_plans(municipality, period=None) -> dict[str, Plan]:
    """The municipality's plans of ``period``, by default the current period."""
    from ungkultur.planning.periods import current_period, period_plans

    if period is None:
        period = current_period(timezone.localdate())
    return {plan.kind: plan for plan in period_plans(period, municipality=municipality)}


# --- Annual wheel --------------------------------------------------------------------------------


@dataclass
class Occurrence:
    activity: WheelActivity
    start: datetime.date
    end: datetime.date
    clashes: list = field(default_factory=list)

    @property
    def week(self) -> tuple[int, int]:
        iso = self.start.isocalendar()
        return iso.year, iso.week


def wheel_activities(municipality):
    return (
        WheelActivity.objects.filter(Q(municipality=municipality) | Q(municipality__isnull=True))
        .select_related("unit")
        .prefetch_related("dates")
    )


def _ages_overlap(a: WheelActivity, b: WheelActivity) -> bool:
    return a.age_min <= b.age_max and b.age_min <= a.age_max


def wheel_year(municipality, *, year: int) -> list[Occurrence]:
    """Every activity held in ``year`` on its date that year (by its rule), each with the others
    it clashes with: two activities clash when they start in the same ISO week and their age
    ranges overlap.

    The years around are placed too, so that 31 December and 2 January of the next year (one
    ISO week) are seen to clash.
    """
    activities = list(wheel_activities(municipality))
    occurrences = [
        Occurrence(activity=a, start=start, end=a.ends_in(y))
        for y in (year - 1, year, year + 1)
        for a in activities
        if (start := a.starts_in(y)) is not None
    ]
    by_week = defaultdict(list)
    for occurrence in occurrences:
        by_week[occurrence.week].append(occurrence)
    for same_week in by_week.values():
        for a, b in combinations(same_week, 2):
            if _ages_overlap(a.activity, b.activity):
                a.clashes.append(b)
                b.clashes.append(a)
    return sorted(
        (o for o in occurrences if o.start.year == year),
        key=lambda o: (o.start, o.activity.title),
    )


def month_grid(occurrences: list[Occurrence], *, year: int, month: int) -> list[list[dict]]:
    """Weeks (Monday first) of the month; each day with the occurrences on it (None outside)."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [
        [
            {
                "date": day if day.month == month else None,
                "occurrences": [o for o in occurrences if o.start <= day <= o.end]
                if day.month == month
                else [],
            }
            for day in week
        ]
        for week in weeks
    ]


# --- Competence orders ---------------------------------------------------------------------------


def coordinator_organisation_ids(user) -> frozenset:
    """The organisations this person is an active national coordinator for (cached per request)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_ungkultur_coordinator_orgs", None)
    if cached is None:
        cached = frozenset(
            NationalRole.objects.active_on(timezone.localdate())
            .filter(user=user, role=NationalRole.Role.COORDINATOR, organisation__isnull=False)
            .values_list("organisation_id", flat=True)
        )
        user._ungkultur_coordinator_orgs = cached
    return cached


def orders_for_municipality(municipality):
    return CompetenceOrder.objects.filter(municipality=municipality).select_related(
        "organisation", "event"
    )


def orders_inbox(organisation_ids, *, status: str | None = None):
    orders = CompetenceOrder.objects.filter(organisation_id__in=organisation_ids).select_related(
        "organisation", "municipality", "event"
    )
    if status:
        orders = orders.filter(status=status)
    return orders


def coordinator_emails(organisation, *, today: datetime.date) -> list[str]:
    return sorted(
        set(
            NationalRole.objects.active_on(today)
            .filter(
                role=NationalRole.Role.COORDINATOR,
                organisation=organisation,
                user__is_active=True,
            )
            .values_list("user__email", flat=True)
        )
    )


def evaluator_ids(order: CompetenceOrder) -> set[int]:
    """Who may evaluate a delivered order: who ordered it, and those who attended its event or
    were registered for it (attendance is not always taken)."""
    ids = {order.ordered_by_id} if order.ordered_by_id else set()
    if order.event_id:
        ids |= set(
            Attendance.objects.filter(event_id=order.event_id).values_list("user_id", flat=True)
        )
        ids |= set(
            Registration.objects.filter(
                event_id=order.event_id, status=Registration.Status.REGISTERED
            ).values_list("user_id", flat=True)
        )
    return ids


def evaluation_summary(order: CompetenceOrder) -> dict:
    """The evaluations of an order, protected like every published figure (docs/privacy.md): the
    average and the single evaluations are shown only once n people have answered, so that no
    one's score can be told from the figure; below n not even how many ("for få svar").

    They are counted in steps of n, in the order they came (the first n, the first 2n, …), and
    listed by score, not by time: the figures seen before and after one more evaluation are the
    same, and any two that differ differ by at least n evaluations, so no comparison tells what
    one person thought.
    """
    min_n = settings.UNGKULTUR_DISCLOSURE_MIN_N
    total = order.evaluations.count()
    counted = total - total % min_n
    evaluations = list(order.evaluations.order_by("created_at", "pk")[:counted])
    scores = [e.score for e in evaluations]
    return {
        "evaluations": sorted(evaluations, key=lambda e: (e.score, e.text)),
        "any": bool(total),
        "count": counted,
        "average": sum(scores) / counted if counted else None,
        "min_n": min_n,
    }


# --- Collaboration -------------------------------------------------------------------------------


def collaboration_terms(municipality) -> list[str]:
    terms = set(
        Collaboration.objects.filter(municipality=municipality).values_list("term", flat=True)
    )
    return sorted(terms, key=lambda term: Term.parse(term).index, reverse=True)


def collaborations_in(municipality, term: str):
    return (
        Collaboration.objects.filter(municipality=municipality, term=term)
        .select_related("offer", "event", "measure")
        .prefetch_related("units")
    )


def pairs(collaborations) -> Counter:
    """How many collaborations each pair of units (by pk, lower first) shared."""
    counted = Counter()
    for collaboration in collaborations:
        units = sorted(u.pk for u in collaboration.units.all())
        for pair in combinations(units, 2):
            counted[pair] += 1
    return counted


def network_for(municipality, term: str) -> dict:
    """The term's collaborations, the units and pairs, and how the pairs changed since the term
    before (new, continued, ended). Four queries."""
    current = list(collaborations_in(municipality, term))
    before_term = str(Term.parse(term).previous())
    before = list(collaborations_in(municipality, before_term))
    now_pairs, then_pairs = pairs(current), pairs(before)
    units = {u.pk: u for c in current + before for u in c.units.all()}
    name = lambda pk: units[pk].name  # noqa: E731
    rows = [
        {
            "a": units[a],
            "b": units[b],
            "count": now_pairs.get((a, b), 0),
            "before": then_pairs.get((a, b), 0),
            "change": (
                "new"
                if (a, b) not in then_pairs
                else "ended"
                if (a, b) not in now_pairs
                else "continued"
            ),
        }
        for a, b in sorted(set(now_pairs) | set(then_pairs), key=lambda p: (name(p[0]), name(p[1])))
    ]
    current_units = sorted(
        {u.pk: u for c in current for u in c.units.all()}.values(), key=lambda u: (u.kind, u.name)
    )
    return {
        "collaborations": current,
        "term_before": before_term,
        "units": current_units,
        "pairs": now_pairs,
        "rows": rows,
    }


# --- National overview ---------------------------------------------------------------------------


def overview(*, today: datetime.date) -> list[dict]:
    """Every KK municipality with its plans' items, what is late, adopted goals, measures and
    orders (five queries, whatever the number of municipalities)."""
    municipalities = list(Municipality.objects.kk_active().order_by("name"))
    ids = [m.pk for m in municipalities]
    items = (
        # The latest of each plan: not those carried over into a later period.
        PlanItem.objects.filter(plan__municipality_id__in=ids, plan__rolled_into__isnull=True)
        .values("plan__municipality_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=PlanItem.Status.DONE)),
            late=Count("pk", filter=Q(end__lt=today, status__in=PlanItem.OPEN)),
        )
    )
    items = {row["plan__municipality_id"]: row for row in items}
    adopted = Counter(
        GoalAdoption.objects.filter(municipality_id__in=ids).values_list(
            "municipality_id", flat=True
        )
    )
    measures = Counter(
        Measure.objects.filter(municipality_id__in=ids).values_list("municipality_id", flat=True)
    )
    open_orders = Counter(
        CompetenceOrder.objects.filter(
            municipality_id__in=ids,
            status__in=[
                CompetenceOrder.Status.ORDERED,
                CompetenceOrder.Status.ACCEPTED,
                CompetenceOrder.Status.SCHEDULED,
            ],
        ).values_list("municipality_id", flat=True)
    )
    empty = {"total": 0, "done": 0, "late": 0}
    return [
        {
            "municipality": m,
            "items": items.get(m.pk, empty),
            "adopted": adopted[m.pk],
            "measures": measures[m.pk],
            "open_orders": open_orders[m.pk],
        }
        for m in municipalities
    ]


# --- Min side ------------------------------------------------------------------------------------


def orders_to_evaluate(user):
    """Delivered orders this person may evaluate (see ``evaluator_ids``) and has not yet."""
    took_part = Q(event__attendances__user=user) | Q(
        event__registrations__user=user,
        event__registrations__status=Registration.Status.REGISTERED,
    )
    return (
        CompetenceOrder.objects.filter(status=CompetenceOrder.Status.DELIVERED)
        .filter(took_part | Q(ordered_by=user))
        .exclude(evaluations__user=user)
        .select_related("organisation")
        .distinct()
        .order_by("-delivered_at")
    )


def mypage_section(user, *, now: datetime.datetime) -> dict | None:
    """What Min side shows of planning for this user: a dict with the key "template" (rendered
    with the dict as ``section``), or None when there is nothing to show. Three queries, and a
    fourth and fifth for a national coordinator (the orders waiting for them, with days left)."""
    from ungkultur.planning.waiting import orders_waiting_for

    if not user.is_authenticated:
        return None
    measures = list(
        Measure.objects.filter(
            owner=user, status__in=[Measure.Status.PLANNED, Measure.Status.ONGOING]
        )
        .select_related("municipality")
        .order_by("end", "pk")[:20]
    )
    to_evaluate = list(orders_to_evaluate(user)[:10])
    organisations = coordinator_organisation_ids(user)
    new_orders = (
        CompetenceOrder.objects.filter(
            organisation_id__in=organisations, status=CompetenceOrder.Status.ORDERED
        ).count()
        if organisations
        else 0
    )
    waiting_orders = orders_waiting_for(organisations, today=timezone.localdate(now))
    if not measures and not to_evaluate and not new_orders and not waiting_orders:
        return None
    return {
        "template": "planning/_mypage.html",
        "measures": measures,
        "to_evaluate": to_evaluate,
        "new_orders": new_orders,
        "waiting_orders": waiting_orders[:20],
    }
