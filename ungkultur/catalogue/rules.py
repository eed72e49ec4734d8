"""Who may run a unit's offers: its active staff, the municipality's local project leader and
national administrators."""

import rules

from ungkultur.organisations.rules import can_run_unit, is_national_admin
from ungkultur.organisations.selectors import roles_for


@rules.predicate
def is_staff_of_offer_unit(user, offer):
    return offer is not None and offer.unit_id in roles_for(user).unit_ids


@rules.predicate
def is_project_leader_for_offer(user, offer):
    return offer is not None and offer.municipality_id in roles_for(user).leader_municipalities


rules.add_perm("catalogue.manage_unit_offers", can_run_unit)
rules.add_perm(
    "catalogue.manage_offer",
    is_national_admin | is_staff_of_offer_unit | is_project_leader_for_offer,
)
