"""Permissions as named rules over role (and, later, phase). Checked in views and templates."""

import rules
from django.utils import timezone

from ungkultur.accounts.selectors import is_youth
from ungkultur.organisations.selectors import roles_for


@rules.predicate
def is_national_admin(user):
    return roles_for(user).is_admin


@rules.predicate
def is_national_coordinator(user):
    return roles_for(user).is_coordinator


@rules.predicate
def is_researcher(user):
    return roles_for(user).is_researcher


@rules.predicate
def is_project_leader_for_group(user, group):
    return (
        group is not None
        and group.municipality_id is not None
        and group.municipality_id in roles_for(user).leader_municipalities
    )


@rules.predicate
def is_staff_for_group(user, group):
    return (
        group is not None
        and group.municipality_id is not None
        and group.municipality_id in roles_for(user).staff_municipalities
    )


@rules.predicate
def is_member_of_group(user, group):
    return group is not None and group.pk in roles_for(user).group_ids


@rules.predicate
def is_staff_for_municipality(user, municipality):
    return municipality is not None and municipality.pk in roles_for(user).staff_municipalities


@rules.predicate
def is_staff_anywhere(user):
    roles = roles_for(user)
    return bool(roles.staff_municipalities or roles.national)


@rules.predicate
def is_staff_of_unit(user, unit):
    """Active staff of this very unit."""
    return unit is not None and unit.pk in roles_for(user).unit_ids


@rules.predicate
def is_leader_of_unit(user, unit):
    """Active leader of this very unit (rector, club leader, UKM contact, leader)."""
    return unit is not None and unit.pk in roles_for(user).led_unit_ids


@rules.predicate
def is_project_leader_for_unit(user, unit):
    return unit is not None and unit.municipality_id in roles_for(user).leader_municipalities


# Who works in a unit: any of its staff (a youth worker records the club's evenings), the
# municipality's project leader, national admins.
can_run_unit = is_national_admin | is_staff_of_unit | is_project_leader_for_unit

# Who leads a unit's work (offers, re-registration rounds, imports, cancellations): its leader,
# not its teachers; the municipality's project leader; national admins.
can_lead_unit = is_national_admin | is_leader_of_unit | is_project_leader_for_unit

can_manage_group = is_national_admin | is_national_coordinator | is_project_leader_for_group

rules.add_perm("municipalities.set_kk", is_national_admin)
rules.add_perm("organisations.manage_group", can_manage_group)
rules.add_perm(
    "organisations.view_group_members", can_manage_group | is_staff_for_group | is_member_of_group
)
rules.add_perm(
    "organisations.view_municipality_people",
    is_national_admin | is_national_coordinator | is_staff_for_municipality,
)


@rules.predicate
def is_youth_now(user):
    return user.is_authenticated and is_youth(user, timezone.now())


# API tokens are for staff, and never for youth (issue 19), even youth working at a unit.
rules.add_perm("accounts.create_api_token", is_staff_anywhere & ~is_youth_now)
