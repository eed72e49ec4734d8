"""Writes of the dashboard: a delmål's target for an indicator (``GoalTarget``)."""

import datetime

from django.db import transaction

from ungkultur.core.services import audit_record
from ungkultur.indicators.models import GoalTarget


@transaction.atomic
def goal_target_set(
    *,
    actor,
    municipality,
    goal,
    key: str,
    target_value: float,
    target_date: datetime.date,
    now: datetime.datetime,
) -> GoalTarget:
    """Set (or change) the target a delmål follows for one indicator in one municipality."""
    target = (
        GoalTarget.objects.select_for_update()
        .filter(goal=goal, municipality=municipality, key=key)
        .first()
    ) or GoalTarget(goal=goal, municipality=municipality, key=key)
    before = (
        {"target_value": target.target_value, "target_date": str(target.target_date)}
        if target.pk
        else {}
    )
    target.target_value, target.target_date = target_value, target_date
    target.full_clean()
    target.save()
    audit_record(
        actor=actor,
        action="indicators.goal_target_set",
        obj=target,
        changes={
            "before": before,
            "after": {"key": key, "target_value": target_value, "target_date": str(target_date)},
        },
        at=now,
    )
    return target


@transaction.atomic
def goal_target_delete(*, actor, target: GoalTarget, now: datetime.datetime) -> None:
    audit_record(
        actor=actor,
        action="indicators.goal_target_delete",
        obj=target,
        changes={"key": target.key, "target_value": target.target_value},
        at=now,
    )
    target.delete()
