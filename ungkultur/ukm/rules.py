"""Who may run a municipality's UKM event (named rules, checked in views and templates).

The object is always the event's UKM unit, so one rule serves creating an event and managing it.
The unit's leader (its UKM contact) runs it, not any staff member (docs/privacy.md).
"""

import rules

from ungkultur.organisations.models import Unit
from ungkultur.organisations.rules import can_lead_unit


@rules.predicate
def is_ukm_unit(user, unit):
    return unit is not None and unit.kind == Unit.Kind.UKM


rules.add_perm(
    "ukm.manage_event",
    is_ukm_unit & can_lead_unit,
)
