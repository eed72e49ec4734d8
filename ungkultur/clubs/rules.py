"""Who may register a youth club's opening evenings (named rules, checked in views)."""

import rules

from ungkultur.organisations.models import Unit
from ungkultur.organisations.rules import can_run_unit


@rules.predicate
def is_youth_club(user, unit):
    return unit is not None and unit.kind == Unit.Kind.YOUTH_CLUB


rules.add_perm(
    "clubs.register_evening",
    is_youth_club & can_run_unit,
)
