"""Writes for planning: goals and measures, plans and their items, the annual wheel,
competence orders, collaborations and collaboration models.

A competence order moves ORDERED → ACCEPTED → SCHEDULED → DELIVERED, or ORDERED → DECLINED
(with a reason). Scheduling creates the event through ``meetings.services.event_create``.
Each step e-mails the other side: the organisation's national coordinators hear about a new
order and an evaluation; whoever ordered hears about every answer.

Every service is keyword-only, runs in one transaction, calls ``full_clean()``, writes an audit
row and sends e-mail only after the transaction commits. Permission checks are the views'.
"""

import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ungkultur.core.services import audit_record
from ungkultur.core.tasks import send_email
from ungkultur.lib.terms import is_term
from ungkultur.meetings.models import Event
from ungkultur.meetings.services import event_create
from ungkultur.planning.models import (
    Collaboration,
    CollaborationModel,
    CompetenceOrder,
    Goal,
    GoalAdoption,
    Measure,
    OrderEvaluation,
    OrderReminder,
    Plan,
    PlanItem,
    WheelActivity,
    WheelActivityDate,
)
from ungkultur.planning.selectors import coordinator_emails

OrderStatus = CompetenceOrder.Status

# Which event an order becomes when it is scheduled.
EVENT_KIND = {
    CompetenceOrder.Kind.COURSE: Event.Kind.COURSE,
    CompetenceOrder.Kind.WEBINAR: Event.Kind.WEBINAR,
    CompetenceOrder.Kind.LECTURE: Event.Kind.LECTURE,
    CompetenceOrder.Kind.ADVICE: Event.Kind.MUNICIPALITY_MEETING,
}


def _send_later(*, addresses, subject: str, body: str) -> None:
    for address in sorted(set(a for a in addresses if a)):
        transaction.on_commit(partial(send_email.enqueue, subject=subject, body=body, to=[address]))


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _save(obj, *, actor, action: str, now, **changes):
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, action=action, obj=obj, at=now, changes=changes)
    return obj


# --- Goals and measures ---------------------------------------------------------------------------


@transaction.atomic
def goal_adopt(*, actor, municipality, goal: Goal, now: datetime.datetime) -> GoalAdoption:
    """A municipality takes a national effektmål (with its delmål) into its own plan."""
    if goal.level != Goal.Level.EFFECT or goal.municipality_id is not None:
        raise ValidationError(_("Bare nasjonale effektmål kan vedtas."))
    if GoalAdoption.objects.filter(municipality=municipality, goal=goal).exists():
        raise ValidationError(_("Kommunen har allerede vedtatt dette målet."))
    adoption = GoalAdoption(municipality=municipality, goal=goal, adopted_at=now, adopted_by=actor)
    return _save(adoption, actor=actor, action="planning.goal_adopt", now=now, goal=goal.pk)


def _check_parent(municipality, parent: Goal) -> None:
    adopted = parent.municipality_id == municipality.pk or (
        parent.municipality_id is None
        and GoalAdoption.objects.filter(municipality=municipality, goal=parent).exists()
    )
    if parent.level != Goal.Level.EFFECT or not adopted:
        raise ValidationError({"parent": _("Velg et effektmål kommunen har vedtatt.")})


@transaction.atomic
def goal_create(
    *, actor, municipality, parent: Goal, title: str, description: str = "", now: datetime.datetime
) -> Goal:
    """A municipality's own delmål under an effektmål it has adopted (or made itself)."""
    _check_parent(municipality, parent)
    goal = Goal(
        level=Goal.Level.SUB,
        parent=parent,
        municipality=municipality,
        title=title,
        description=description,
        position=parent.children.count() + 1,
    )
    return _save(goal, actor=actor, action="planning.goal_create", now=now, parent=parent.pk)


@transaction.atomic
def goal_update(
    *, actor, goal: Goal, parent: Goal, title: str, description: str = "", now: datetime.datetime
) -> Goal:
    """Change a municipality's own delmål (its text, or the effektmål it is under)."""
    if goal.level != Goal.Level.SUB or goal.municipality_id is None:
        raise ValidationError(_("Bare kommunens egne delmål kan endres her."))
    _check_parent(goal.municipality, parent)
    before = {"title": goal.title, "parent": goal.parent_id}
    if parent.pk != goal.parent_id:
        goal.position = parent.children.count() + 1
    goal.parent, goal.title, goal.description = parent, title, description
    return _save(goal, actor=actor, action="planning.goal_update", now=now, before=before)


@transaction.atomic
def goal_delete(*, actor, goal: Goal, now: datetime.datetime) -> None:
    """Delete a municipality's own delmål that nothing follows yet: a delmål with measures or
    indicator targets is refused, so that no one's work goes with it."""
    if goal.level != Goal.Level.SUB or goal.municipality_id is None:
        raise ValidationError(_("Bare kommunens egne delmål kan slettes her."))
    if goal.measures.exists() or goal.indicator_targets.exists():
        raise ValidationError(
            _("Delmålet har tiltak eller mål for indikatorer. Flytt eller slett dem først.")
        )
    audit_record(
        actor=actor,
        action="planning.goal_delete",
        obj=goal,
        at=now,
        changes={"title": goal.title, "parent": goal.parent_id},
    )
    goal.delete()


def _measure_fields(measure: Measure, *, municipality, related: dict) -> None:
    """Everything linked to a measure must belong to its municipality."""
    errors = {}
    for name in ("units", "offers", "proposals"):
        if any(obj.municipality_id != municipality.pk for obj in related.get(name, ())):
            errors[name] = [_("Velg bare fra kommunens egne.")]
    if any(e.municipality_id not in (None, municipality.pk) for e in related.get("events", ())):
        errors["events"] = [_("Velg bare kommunens egne eller nasjonale møter.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def measure_save(
    *,
    actor,
    municipality,
    measure: Measure | None = None,
    goal: Goal,
    title: str,
    description: str = "",
    status: str = Measure.Status.PLANNED,
    owner=None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    units=(),
    events=(),
    offers=(),
    proposals=(),
    now: datetime.datetime,
) -> Measure:
    """Create a municipality's tiltak, or change one (``measure`` given)."""
    creating = measure is None
    if creating:
        measure = Measure(municipality=municipality)
    if goal.level != Goal.Level.SUB or goal.municipality_id not in (None, municipality.pk):
        raise ValidationError({"goal": _("Velg et delmål.")})
    related = {"units": units, "events": events, "offers": offers, "proposals": proposals}
    _measure_fields(measure, municipality=municipality, related=related)
    before = None if creating else measure.status
    measure.goal, measure.title, measure.description = goal, title, description
    measure.status, measure.owner, measure.start, measure.end = status, owner, start, end
    _save(
        measure,
        actor=actor,
        action="planning.measure_create" if creating else "planning.measure_update",
        now=now,
        goal=goal.pk,
        status=status,
        status_before=before,
        owner=owner.pk if owner else None,
        start=_day(start),
        end=_day(end),
    )
    for name, values in related.items():
        getattr(measure, name).set(list(values))
    return measure


# --- Plans ----------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor, municipality, kind: str, now: datetime.datetime) -> Plan:
    """A municipality's progress plan or action plan (one of each)."""
    titles = {
        Plan.Kind.PROGRESS: _("Fremdriftsplan for %(name)s"),
        Plan.Kind.ACTION: _("Tiltaksplan for %(name)s"),
    }
    if kind not in titles:
        raise ValidationError(_("Ukjent plantype."))
    from ungkultur.planning.periods import current_period, period_plans

    period = current_period(timezone.localdate(now))
    if period_plans(period, municipality=municipality, kind=kind).exists():
        raise ValidationError(_("Kommunen har allerede en slik plan."))
    plan = Plan(
        kind=kind,
        municipality=municipality,
        period=period,
        title=titles[kind] % {"name": municipality.name},
    )
    return _save(plan, actor=actor, action="planning.plan_create", now=now, kind=kind)


@transaction.atomic
def plan_item_create(
    *,
    actor,
    plan: Plan,
    title: str,
    start: datetime.date,
    end: datetime.date,
    description: str = "",
    status: str = PlanItem.Status.PLANNED,
    measure: Measure | None = None,
    now: datetime.datetime,
) -> PlanItem:
    if measure is not None and measure.municipality_id != plan.municipality_id:
        raise ValidationError({"measure": _("Tiltaket hører til en annen kommune.")})
    item = PlanItem(
        plan=plan,
        title=title,
        description=description,
        start=start,
        end=end,
        status=status,
        measure=measure,
    )
    return _save(
        item,
        actor=actor,
        action="planning.plan_item_create",
        now=now,
        plan=plan.pk,
        start=_day(start),
        end=_day(end),
        status=status,
    )


PLAN_ITEM_EDITABLE = ("title", "description", "start", "end", "status", "measure")


@transaction.atomic
def plan_item_update(*, actor, item: PlanItem, now: datetime.datetime, **fields) -> PlanItem:
    """Change a plan item's text, dates, status or measure; the audit row keeps each changed
    field's value before and after."""
    item = PlanItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
    changes = {}
    for name, value in fields.items():
        if name not in PLAN_ITEM_EDITABLE:
            raise TypeError(name)
        before = getattr(item, name)
        if before != value:
            if name == "measure":
                if value is not None and value.municipality_id != item.plan.municipality_id:
                    raise ValidationError({"measure": _("Tiltaket hører til en annen kommune.")})
                changes[name] = [before.pk if before else None, value.pk if value else None]
            elif name in ("start", "end"):
                changes[name] = [_day(before), _day(value)]
            else:
                changes[name] = [before, value]
            setattr(item, name, value)
    if not changes:
        return item
    return _save(item, actor=actor, action="planning.plan_item_update", now=now, **changes)


@transaction.atomic
def plan_item_set_status(*, actor, item: PlanItem, status: str, now: datetime.datetime) -> PlanItem:
    if status not in PlanItem.Status.values:
        raise ValidationError({"status": _("Ukjent status.")})
    before, item.status = item.status, status
    return _save(
        item, actor=actor, action="planning.plan_item_status", now=now, before=before, to=status
    )


# --- Annual wheel ---------------------------------------------------------------------------------


def _wheel_when(activity: WheelActivity) -> dict:
    return {
        "rule": activity.rule,
        "month": activity.month,
        "day": activity.day,
        "week": activity.week,
        "weekday": activity.weekday,
    }


@transaction.atomic
def wheel_activity_save(
    *,
    actor,
    municipality=None,
    activity: WheelActivity | None = None,
    service: str | None = None,
    title: str,
    age_min: int,
    age_max: int,
    rule: str = WheelActivity.Rule.FIXED,
    month: int | None = None,
    day: int | None = None,
    week: int | None = None,
    weekday: int | None = None,
    date: datetime.date | None = None,
    remove_years=(),
    days: int = 1,
    unit=None,
    description: str = "",
    now: datetime.datetime,
) -> WheelActivity:
    """Add a yearly activity to a municipality's wheel (``municipality=None``: a national one in
    every wheel), or change one (``activity`` given; a national one keeps its service).

    Its date each year follows ``rule``: ``month`` and ``day`` (the same date every year),
    ``month``, ``week`` and ``weekday`` (a weekday of the N-th week of the month), or, for a
    date set for each year, ``date`` sets (or moves) the date in ``date.year`` and
    ``remove_years`` takes the activity out of those years."""
    creating = activity is None
    if creating:
        activity = WheelActivity(municipality=municipality, service=service)
    else:
        activity = WheelActivity.objects.select_for_update().get(pk=activity.pk)
        if activity.municipality_id is not None:
            activity.service = service
    if unit is not None and unit.municipality_id != activity.municipality_id:
        raise ValidationError({"unit": _("Enheten hører til en annen kommune.")})
    before = None if creating else _wheel_when(activity) | {"title": activity.title}
    errors = {}
    required = {
        WheelActivity.Rule.FIXED: {"month": month, "day": day},
        WheelActivity.Rule.WEEK: {"month": month, "week": week, "weekday": weekday},
        WheelActivity.Rule.YEARLY: {},
    }
    if rule not in required:
        raise ValidationError({"rule": _("Ukjent måte å gjenta på.")})
    for name, value in required[rule].items():
        if value is None:
            errors[name] = _("Fyll ut dette feltet for denne måten å gjenta på.")
    had_dates = not creating and activity.dates.exists()
    if rule == WheelActivity.Rule.YEARLY and date is None and not had_dates:
        errors["date"] = _("Skriv inn datoen for året.")
    if errors:
        raise ValidationError(errors)
    keep = required[rule]
    activity.rule = rule
    activity.month = keep.get("month")
    activity.day = keep.get("day")
    activity.week = keep.get("week")
    activity.weekday = keep.get("weekday")
    activity.unit, activity.title, activity.description = unit, title, description
    activity.days = days
    activity.age_min, activity.age_max = age_min, age_max
    activity.full_clean()
    activity.save()
    dates = {}
    if rule == WheelActivity.Rule.YEARLY:
        removed = sorted({int(year) for year in remove_years})
        activity.dates.filter(year__in=removed).delete()
        if date is not None:
            WheelActivityDate.objects.update_or_create(
                activity=activity, year=date.year, defaults={"start": date}
            )
        dates = {"date": _day(date), "removed_years": removed}
    else:
        activity.dates.all().delete()
    audit_record(
        actor=actor,
        action="planning.wheel_activity_create" if creating else "planning.wheel_activity_update",
        obj=activity,
        at=now,
        changes={"before": before, **_wheel_when(activity), **dates, "ages": [age_min, age_max]},
    )
    return activity


@transaction.atomic
def wheel_activity_delete(*, actor, activity: WheelActivity, now: datetime.datetime) -> None:
    """Take an activity out of the wheel; the audit row keeps what it was."""
    audit_record(
        actor=actor,
        action="planning.wheel_activity_delete",
        obj=activity,
        at=now,
        changes={"title": activity.title, **_wheel_when(activity)},
    )
    activity.delete()


# --- Competence orders ----------------------------------------------------------------------------


def _order_url(order: CompetenceOrder) -> str:
    return settings.SITE_URL + reverse("planning:order_detail", args=[order.pk])


def _tell_orderer(order: CompetenceOrder, *, subject: str, body: str) -> None:
    if order.ordered_by is not None and order.ordered_by.is_active:
        _send_later(addresses=[order.ordered_by.email], subject=subject, body=body)


def _tell_coordinators(order: CompetenceOrder, *, subject: str, body: str, now) -> None:
    _send_later(
        addresses=coordinator_emails(order.organisation, today=timezone.localdate(now)),
        subject=subject,
        body=body,
    )


def _lock_order(order: CompetenceOrder) -> CompetenceOrder:
    return (
        CompetenceOrder.objects.select_for_update(of=("self",))
        .select_related("organisation", "municipality", "ordered_by")
        .get(pk=order.pk)
    )


def _move(order: CompetenceOrder, *, to: str, allowed_from: tuple) -> str:
    before = order.status
    if before not in allowed_from:
        raise ValidationError(
            _("Bestillingen har status «%(status)s», så dette kan ikke gjøres nå.")
            % {"status": order.get_status_display()}
        )
    order.status = to
    return before


@transaction.atomic
def order_create(
    *,
    actor,
    municipality,
    organisation,
    kind: str,
    topic: str,
    target_group: str,
    wanted_from: datetime.date,
    wanted_to: datetime.date,
    expected_participants: int,
    description: str = "",
    now: datetime.datetime,
) -> CompetenceOrder:
    order = CompetenceOrder(
        municipality=municipality,
        organisation=organisation,
        kind=kind,
        topic=topic,
        target_group=target_group,
        wanted_from=wanted_from,
        wanted_to=wanted_to,
        expected_participants=expected_participants,
        description=description,
        ordered_by=actor,
        ordered_at=now,
    )
    _save(
        order,
        actor=actor,
        action="planning.order_create",
        now=now,
        organisation=organisation.pk,
        kind=kind,
    )
    _tell_coordinators(
        order,
        subject=_("Ny bestilling fra %(municipality)s: %(topic)s")
        % {"municipality": municipality.name, "topic": topic},
        body=_(
            "%(municipality)s har bestilt %(kind)s fra %(organisation)s.\n\n"
            "Tema: %(topic)s\nMålgruppe: %(target)s\nØnsket periode: %(from)s–%(to)s\n"
            "Forventet antall deltakere: %(count)s\n\nSvar på bestillingen her: %(url)s\n"
        )
        % {
            "municipality": municipality.name,
            "kind": order.get_kind_display(),
            "organisation": organisation.name,
            "topic": topic,
            "target": target_group,
            "from": date_format(wanted_from, "DATE_FORMAT"),
            "to": date_format(wanted_to, "DATE_FORMAT"),
            "count": expected_participants,
            "url": _order_url(order),
        },
        now=now,
    )
    return order


@transaction.atomic
def order_accept(*, actor, order: CompetenceOrder, now: datetime.datetime) -> CompetenceOrder:
    order = _lock_order(order)
    before = _move(order, to=OrderStatus.ACCEPTED, allowed_from=(OrderStatus.ORDERED,))
    order.answered_by, order.answered_at = actor, now
    _save(order, actor=actor, action="planning.order_accept", now=now, before=before)
    _tell_orderer(
        order,
        subject=_("%(organisation)s har akseptert bestillingen: %(topic)s")
        % {"organisation": order.organisation.name, "topic": order.topic},
        body=_(
            "%(organisation)s har akseptert bestillingen av %(kind)s om «%(topic)s». "
            "Du får beskjed når tidspunktet er satt.\n\nSe bestillingen her: %(url)s\n"
        )
        % {
            "organisation": order.organisation.name,
            "kind": order.get_kind_display(),
            "topic": order.topic,
            "url": _order_url(order),
        },
    )
    return order


@transaction.atomic
def order_decline(
    *, actor, order: CompetenceOrder, reason: str, now: datetime.datetime
) -> CompetenceOrder:
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor bestillingen avslås.")})
    order = _lock_order(order)
    before = _move(order, to=OrderStatus.DECLINED, allowed_from=(OrderStatus.ORDERED,))
    order.answered_by, order.answered_at, order.decline_reason = actor, now, reason.strip()
    _save(order, actor=actor, action="planning.order_decline", now=now, before=before)
    _tell_orderer(
        order,
        subject=_("%(organisation)s har avslått bestillingen: %(topic)s")
        % {"organisation": order.organisation.name, "topic": order.topic},
        body=_(
            "%(organisation)s kan dessverre ikke levere «%(topic)s».\n\nBegrunnelse: %(reason)s\n\n"
            "Se bestillingen her: %(url)s\n"
        )
        % {
            "organisation": order.organisation.name,
            "topic": order.topic,
            "reason": order.decline_reason,
            "url": _order_url(order),
        },
    )
    return order


@transaction.atomic
def order_schedule(
    *,
    actor,
    order: CompetenceOrder,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    online_url: str = "",
    now: datetime.datetime,
) -> CompetenceOrder:
    """Set the time: the order becomes an event of the municipality, organised by the actor."""
    order = _lock_order(order)
    before = _move(order, to=OrderStatus.SCHEDULED, allowed_from=(OrderStatus.ACCEPTED,))
    if not place.strip() and not online_url.strip():
        raise ValidationError({"place": _("Oppgi et sted eller en lenke til nettmøtet.")})
    order.event = event_create(
        actor=actor,
        municipality=order.municipality,
        kind=EVENT_KIND[order.kind],
        title=order.topic,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_url=online_url.strip(),
        description=_("%(kind)s fra %(organisation)s for %(target)s.")
        % {
            "kind": order.get_kind_display().capitalize(),
            "organisation": order.organisation.name,
            "target": order.target_group,
        },
        capacity=None,
        now=now,
    )
    _save(
        order,
        actor=actor,
        action="planning.order_schedule",
        now=now,
        before=before,
        event=order.event.pk,
    )
    _tell_orderer(
        order,
        subject=_("Tidspunkt satt: %(topic)s") % {"topic": order.topic},
        body=_(
            "%(organisation)s holder «%(topic)s» %(when)s.\n\nInviter deltakerne fra møtesiden: "
            "%(event_url)s\n\nSe bestillingen her: %(url)s\n"
        )
        % {
            "organisation": order.organisation.name,
            "topic": order.topic,
            "when": date_format(timezone.localtime(starts_at), "DATE_AT_TIME_FORMAT"),
            "event_url": settings.SITE_URL
            + reverse("meetings:event_detail", args=[order.event.pk]),
            "url": _order_url(order),
        },
    )
    return order


@transaction.atomic
def order_deliver(*, actor, order: CompetenceOrder, now: datetime.datetime) -> CompetenceOrder:
    order = _lock_order(order)
    before = _move(order, to=OrderStatus.DELIVERED, allowed_from=(OrderStatus.SCHEDULED,))
    if order.event is not None and order.event.starts_at > now:
        raise ValidationError(_("Arrangementet har ikke begynt ennå."))
    order.delivered_at = now
    _save(order, actor=actor, action="planning.order_deliver", now=now, before=before)
    _tell_orderer(
        order,
        subject=_("Gjennomført: %(topic)s – gi en kort vurdering") % {"topic": order.topic},
        body=_(
            "%(organisation)s har meldt «%(topic)s» som gjennomført. Deltakerne kan nå gi en kort "
            "vurdering (karakter 1–5 og en kommentar) her: %(url)s\n"
        )
        % {"organisation": order.organisation.name, "topic": order.topic, "url": _order_url(order)},
    )
    return order


@transaction.atomic
def order_evaluate(
    *, actor, order: CompetenceOrder, score: int, text: str = "", now: datetime.datetime
):
    if order.status != OrderStatus.DELIVERED:
        raise ValidationError(_("Bare gjennomførte bestillinger kan vurderes."))
    evaluation = OrderEvaluation(order=order, user=actor, score=score, text=text, created_at=now)
    evaluation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:
        raise ValidationError(_("Du har allerede gitt din vurdering.")) from None
    audit_record(
        actor=actor, action="planning.order_evaluate", obj=order, at=now, changes={"score": score}
    )
    _tell_coordinators(
        order,
        subject=_("Ny vurdering av «%(topic)s»") % {"topic": order.topic},
        body=_(
            "En deltaker fra %(municipality)s ga «%(topic)s» karakteren %(score)s av 5.\n\n"
            "Se alle vurderinger her: %(url)s\n"
        )
        % {
            "municipality": order.municipality.name,
            "topic": order.topic,
            "score": score,
            "url": _order_url(order),
        },
        now=now,
    )
    return evaluation


# --- Collaboration --------------------------------------------------------------------------------


@transaction.atomic
def collaboration_create(
    *,
    actor,
    municipality,
    term: str,
    title: str,
    units,
    description: str = "",
    offer=None,
    event=None,
    measure=None,
    now: datetime.datetime,
) -> Collaboration:
    """Record that two or more of the municipality's units worked together in a term."""
    units = list(units)
    errors = {}
    if not is_term(term):
        errors["term"] = [_("Skriv halvåret som år og H eller V, for eksempel 2024H.")]
    if len({u.pk for u in units}) < 2:
        errors["units"] = [_("Velg minst to enheter.")]
    elif any(u.municipality_id != municipality.pk for u in units):
        errors["units"] = [_("Velg bare kommunens egne enheter.")]
    for name, obj in (("offer", offer), ("measure", measure)):
        if obj is not None and obj.municipality_id != municipality.pk:
            errors[name] = [_("Velg bare fra kommunens egne.")]
    if event is not None and event.municipality_id not in (None, municipality.pk):
        errors["event"] = [_("Velg bare kommunens egne eller nasjonale møter.")]
    if errors:
        raise ValidationError(errors)
    collaboration = Collaboration(
        municipality=municipality,
        term=term,
        title=title,
        description=description,
        offer=offer,
        event=event,
        measure=measure,
        created_by=actor,
    )
    _save(
        collaboration,
        actor=actor,
        action="planning.collaboration_create",
        now=now,
        term=term,
        units=sorted(u.pk for u in units),
    )
    collaboration.units.set(units)
    return collaboration


@transaction.atomic
def collaboration_model_create(
    *,
    actor,
    municipality,
    title: str,
    what: str,
    who: str,
    how: str,
    agreements: str = "",
    experiences: str = "",
    now: datetime.datetime,
) -> CollaborationModel:
    model = CollaborationModel(
        municipality=municipality,
        title=title,
        what=what,
        who=who,
        how=how,
        agreements=agreements,
        experiences=experiences,
        created_by=actor,
        created_at=now,
    )
    return _save(model, actor=actor, action="planning.collaboration_model_create", now=now)


def order_reminders_send(*, now: datetime.datetime) -> int:
    """Remind the organisation's coordinators of orders waiting for them: once when an order has
    waited ``UNGKULTUR_PLANNING_ORDER_ANSWER_DAYS`` days for an answer, and once when an accepted
    order is not scheduled ``UNGKULTUR_PLANNING_ORDER_SCHEDULE_DAYS`` days before the wanted
    period. Safe to run as often as wanted. Each reminder is also a notice to each coordinator."""
    from ungkultur.planning.waiting import order_reminder_notices

    today = timezone.localdate(now)
    answer_by = now - datetime.timedelta(days=settings.UNGKULTUR_PLANNING_ORDER_ANSWER_DAYS)
    schedule_by = today + datetime.timedelta(days=settings.UNGKULTUR_PLANNING_ORDER_SCHEDULE_DAYS)
    waiting = [
        (order, "unanswered")
        for order in CompetenceOrder.objects.filter(
            status=OrderStatus.ORDERED, ordered_at__lte=answer_by
        )
    ] + [
        (order, "unscheduled")
        for order in CompetenceOrder.objects.filter(
            status=OrderStatus.ACCEPTED, wanted_from__lte=schedule_by
        )
    ]
    sent = 0
    for order, stage in sorted(waiting, key=lambda pair: pair[0].pk):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    OrderReminder.objects.create(order=order, stage=stage, sent_at=now)
            except IntegrityError:
                continue
            values = {
                "municipality": order.municipality.name,
                "topic": order.topic,
                "from": date_format(order.wanted_from, "DATE_FORMAT"),
                "ordered": date_format(timezone.localdate(order.ordered_at), "DATE_FORMAT"),
                "url": _order_url(order),
            }
            if stage == "unanswered":
                subject = _("Bestillingen venter på svar: %(topic)s") % values
                body = (
                    _(
                        "%(municipality)s bestilte «%(topic)s» %(ordered)s og venter fortsatt på "
                        "svar.\n\nSvar på bestillingen her: %(url)s\n"
                    )
                    % values
                )
            else:
                subject = _("Bestillingen er ikke planlagt: %(topic)s") % values
                body = (
                    _(
                        "Dere har akseptert «%(topic)s» for %(municipality)s, ønsket fra "
                        "%(from)s, men ikke satt en dato ennå.\n\nPlanlegg den her: %(url)s\n"
                    )
                    % values
                )
            _tell_coordinators(order, subject=subject, body=body, now=now)
            order_reminder_notices(order, stage=stage, now=now)
            audit_record(
                actor=None,
                action="planning.order_reminder",
                obj=order,
                at=now,
                changes={"stage": stage},
            )
            sent += 1
    return sent
