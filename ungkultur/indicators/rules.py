"""Who may read the indicators: the municipality's own staff and leaders for its
dashboard, the national roles for every municipality, the national view and research data."""

import rules

from ungkultur.organisations.rules import (
    is_national_admin,
    is_national_coordinator,
    is_researcher,
)
from ungkultur.organisations.selectors import roles_for


@rules.predicate
def is_staff_of_municipality(user, municipality):
    """Project leader, culture chief and the local project group, and the staff of its units."""
    return municipality is not None and municipality.pk in roles_for(user).staff_municipalities


@rules.predicate
def is_project_leader_of_municipality(user, municipality):
    return municipality is not None and municipality.pk in roles_for(user).leader_municipalities


sees_every_municipality = is_national_admin | is_national_coordinator | is_researcher

rules.add_perm("indicators.view_dashboard", sees_every_municipality | is_staff_of_municipality)
rules.add_perm("indicators.set_targets", is_national_admin | is_project_leader_of_municipality)
rules.add_perm("indicators.view_national", sees_every_municipality)
rules.add_perm("indicators.download_research_data", sees_every_municipality)
