"""Who may run a unit's offers: its leader (rector, club leader, UKM contact, leader), the
municipality's local project leader and national administrators. A unit's other staff (teachers,
youth workers) see its list of offers; a teacher is not a rector (docs/privacy.md)."""

import rules

from ungkultur.organisations.rules import can_lead_unit, can_run_unit, is_national_admin
from ungkultur.organisations.selectors import roles_for


@rules.predicate
def leads_offer_unit(user, offer):
    return offer is not None and offer.unit_id in roles_for(user).led_unit_ids


@rules.predicate
def is_project_leader_for_offer(user, offer):
    return offer is not None and offer.municipality_id in roles_for(user).leader_municipalities


rules.add_perm("catalogue.view_unit_offers", can_run_unit)
rules.add_perm("catalogue.manage_unit_offers", can_lead_unit)
rules.add_perm(
    "catalogue.manage_offer",
    is_national_admin | leads_offer_unit | is_project_leader_for_offer,
)
