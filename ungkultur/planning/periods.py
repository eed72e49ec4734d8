"""Project periods of KK: a national coordinator starts the next one with its milestone plan (a
copy of the previous period's, moved by the periods' distance, or the standard template), and a
municipality's project leader carries its progress and action plans over to it.

Keyword-only services in one transaction each, audited, as in ``services``.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungkultur.core.services import audit_record
from ungkultur.planning.models import Plan, PlanItem, ProjectPeriod


@dataclass(frozen=True)
class TemplateItem:
    title: str
    description: str
    month: int  # months after the period's first month (0 = the first)
    day: int
    days: int


# The standard milestone plan of a KK period (two years): gatherings, the municipality and theme
# meetings, the midway and final evaluations and the report distributed in December.
STANDARD_TEMPLATE = [
    TemplateItem(gettext_lazy("Felles oppstartsamling"), "", 0, 1, 60),
    TemplateItem(gettext_lazy("Kommunemøter, første runde"), "", 2, 1, 61),
    TemplateItem(gettext_lazy("Temamøte: ungdomsmedvirkning"), "", 5, 1, 30),
    TemplateItem(gettext_lazy("Temamøte: samarbeid mellom tjenestene"), "", 8, 1, 30),
    TemplateItem(gettext_lazy("Midtveisevaluering"), "", 11, 1, 45),
    TemplateItem(gettext_lazy("Kommunemøter, andre runde"), "", 14, 1, 61),
    TemplateItem(gettext_lazy("Temamøte: varige tilbud"), "", 17, 1, 30),
    TemplateItem(gettext_lazy("Nasjonal konferanse"), "", 20, 1, 30),
    TemplateItem(gettext_lazy("Sluttevaluering"), "", 21, 1, 45),
]
REPORT_TITLE = gettext_lazy("Sluttrapport distribuert")


def _month(start: datetime.date, months: int, day: int) -> datetime.date:
    index = start.year * 12 + start.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, day)


def shift_date(day: datetime.date, old: datetime.date, new: datetime.date) -> datetime.date:
    """``day`` moved as far as from ``old`` to ``new`` in calendar months (then days): 30 April
    stays 30 April seven years on, whatever leap days lie between; 29 February becomes 28
    February in a common year."""
    months = (new.year - old.year) * 12 + new.month - old.month
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    moved = datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return moved + datetime.timedelta(days=new.day - old.day)


def pick_current(periods, today: datetime.date):
    """Of ``periods``: the one today is in (the latest started, if two overlap); else the last
    one started; else the first to come."""
    periods = sorted(periods, key=lambda p: p.start)
    started = [p for p in periods if p.start <= today]
    running = [p for p in started if p.end >= today]
    if running:
        return running[-1]
    if started:
        return started[-1]
    return periods[0] if periods else None


def current_period(today: datetime.date) -> ProjectPeriod | None:
    """The current period (``pick_current``), in one query."""
    return pick_current(ProjectPeriod.objects.all(), today)


def previous_period(period: ProjectPeriod) -> ProjectPeriod | None:
    return ProjectPeriod.objects.filter(start__lt=period.start).order_by("-start").first()


def period_plans(period: ProjectPeriod | None, **filters):
    """Plans of a period; with no period, the plans from before periods."""
    scope = Q(period=period) if period is not None else Q(period__isnull=True)
    return Plan.objects.filter(scope, **filters)


def _template_items(period: ProjectPeriod) -> list[dict]:
    items = []
    for t in STANDARD_TEMPLATE:
        start = _month(period.start.replace(day=1), t.month, t.day)
        if start > period.end:
            continue
        end = min(start + datetime.timedelta(days=t.days - 1), period.end)
        items.append(
            {"title": str(t.title), "description": t.description, "start": start, "end": end}
        )
    # The report goes out in December of the period's last year (or by its end, if earlier).
    december = datetime.date(period.end.year, 12, 1)
    start = min(december, period.end)
    end = min(datetime.date(period.end.year, 12, 15), period.end)
    items.append({"title": str(REPORT_TITLE), "description": "", "start": start, "end": end})
    return items


@transaction.atomic
def period_start(
    *,
    actor,
    title: str,
    start: datetime.date,
    end: datetime.date,
    source: str,
    now: datetime.datetime,
) -> ProjectPeriod:
    """A new national project period with its milestone plan: ``source`` "previous" copies the
    previous period's milestone plan (every item planned again, its dates moved by the distance
    between the periods' starts, in calendar months), "template" takes the standard template."""
    if source not in ("previous", "template"):
        raise ValidationError({"source": _("Velg hvor milepælsplanen skal komme fra.")})
    latest = ProjectPeriod.objects.select_for_update().order_by("-start").first()
    if latest is not None and start <= latest.start:
        raise ValidationError(
            {
                "start": _("En ny periode må begynne etter at %(title)s begynte (%(day)s).")
                % {"title": latest.title, "day": date_format(latest.start, "DATE_FORMAT")}
            }
        )
    period = ProjectPeriod(title=title, start=start, end=end, created_by=actor, created_at=now)
    period.full_clean()
    period.save()
    previous_plan = period_plans(latest, kind=Plan.Kind.MILESTONE).first() if latest else None
    if previous_plan is None and latest is None:
        previous_plan = period_plans(None, kind=Plan.Kind.MILESTONE).first()
    if source == "previous":
        if previous_plan is None:
            raise ValidationError(
                {"source": _("Det finnes ingen tidligere milepælsplan å kopiere.")}
            )
        if latest is not None:
            old_start = latest.start
        else:  # the plan from before periods: its first item moves to the start
            old_start = min((i.start for i in previous_plan.items.all()), default=start)
        items = [
            {
                "title": item.title,
                "description": item.description,
                "start": shift_date(item.start, old_start, start),
                "end": shift_date(item.end, old_start, start),
            }
            for item in previous_plan.items.all()
        ]
    else:
        items = _template_items(period)
    plan = Plan(
        kind=Plan.Kind.MILESTONE,
        period=period,
        title=_("Milepælsplan %(period)s") % {"period": period.title},
        rolled_from=previous_plan if source == "previous" else None,
    )
    plan.full_clean()
    plan.save()
    PlanItem.objects.bulk_create(PlanItem(plan=plan, **fields) for fields in items)
    audit_record(
        actor=actor,
        action="planning.period_start",
        obj=period,
        at=now,
        changes={
            "title": title,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "source": source,
            "from_plan": previous_plan.pk if source == "previous" else None,
            "items": len(items),
        },
    )
    return period


ROLL_KINDS = (Plan.Kind.PROGRESS, Plan.Kind.ACTION)


def roll_sources(plans, period: ProjectPeriod):
    """The previous period and, of a municipality's ``plans``, those to carry over to
    ``period``: the previous period's progress and action plans, else those without a period
    (from before periods; the demo's)."""
    before = previous_period(period)
    plans = [p for p in plans if p.kind in ROLL_KINDS and p.period_id != period.pk]
    sources = [p for p in plans if before is not None and p.period_id == before.pk]
    return before, sources or [p for p in plans if p.period_id is None]


@transaction.atomic
def plans_roll_over(
    *, actor, municipality, period: ProjectPeriod, mode: str, now: datetime.datetime
) -> list[Plan]:
    """Carry a municipality's progress and action plans of the previous period over to
    ``period``: ``mode`` "open" copies the unfinished items as they stand, "all" copies every
    item planned again. Dates move by the distance between the periods' starts (``shift_date``).
    Once only."""
    if mode not in ("open", "all"):
        raise ValidationError({"mode": _("Velg hvilke punkter som skal videreføres.")})
    # Lock the municipality's plans: two clicks at once carry over once.
    existing = list(Plan.objects.select_for_update().filter(municipality=municipality))
    if any(p.period_id == period.pk for p in existing if p.kind in ROLL_KINDS):
        raise ValidationError(
            _("Planene er allerede videreført til %(period)s.") % {"period": period.title}
        )
    before, sources = roll_sources(existing, period)
    if not sources:
        raise ValidationError(_("Kommunen har ingen planer fra forrige periode å videreføre."))
    old_start = before.start if before else period.start
    created, counts = [], {}
    for source in sorted(sources, key=lambda p: p.kind):
        plan = Plan(
            kind=source.kind,
            municipality=municipality,
            period=period,
            title=source.title,
            description=source.description,
            rolled_from=source,
        )
        plan.full_clean()
        plan.save()
        items = source.items.all()
        if mode == "open":
            items = items.filter(status__in=PlanItem.OPEN)
        PlanItem.objects.bulk_create(
            PlanItem(
                plan=plan,
                title=item.title,
                description=item.description,
                start=shift_date(item.start, old_start, period.start),
                end=shift_date(item.end, old_start, period.start),
                status=item.status if mode == "open" else PlanItem.Status.PLANNED,
                measure_id=item.measure_id,
            )
            for item in items
        )
        counts[source.kind] = len(items)
        created.append(plan)
    audit_record(
        actor=actor,
        action="planning.plans_roll_over",
        obj=municipality,
        at=now,
        changes={"period": period.pk, "mode": mode, "items": counts},
    )
    return created
