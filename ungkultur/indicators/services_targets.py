"""Writes of the dashboard: a delmål's target for an indicator (``GoalTarget``).

The dashboard keeps its rendered figures and targets in the cache; each municipality's targets
have a version number there that every change bumps after commit, so that a changed target is
never served from the cache.
"""

import datetime

from django.core.cache import cache
from django.db import transaction

from ungkultur.core.services import audit_record
from ungkultur.indicators.models import GoalTarget


def _version_key(municipality_id: int) -> str:
    return f"indicators:targets:version:{municipality_id}"


def targets_version(municipality_id: int) -> int:
    return cache.get_or_set(_version_key(municipality_id), 1, None)


def _bump(municipality_id: int) -> None:
    try:
        cache.incr(_version_key(municipality_id))
    except ValueError:  # no version yet: nothing cached to invalidate
        cache.set(_version_key(municipality_id), 2, None)


def _targets_changed(municipality_id: int) -> None:
    transaction.on_commit(lambda: _bump(municipality_id))


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
    _targets_changed(municipality.pk)
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
    _targets_changed(target.municipality_id)
    target.delete()
