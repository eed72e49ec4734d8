"""Who may set a municipality up: its local project leader and national administrators.
National coordinators follow how far each municipality has come."""

import rules

from ungkultur.organisations.rules import is_national_admin, is_national_coordinator
from ungkultur.organisations.selectors import roles_for


@rules.predicate
def is_project_leader_of(user, municipality):
    return municipality is not None and municipality.pk in roles_for(user).leader_municipalities


can_set_up = is_national_admin | is_project_leader_of

rules.add_perm("onboarding.manage_units", can_set_up)
rules.add_perm("onboarding.import_population", can_set_up)
rules.add_perm("onboarding.view_checklist", can_set_up | is_national_coordinator)
rules.add_perm("onboarding.view_overview", is_national_admin | is_national_coordinator)
