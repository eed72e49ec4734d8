"""Who may do what in planning, as named rules (checked in views and templates).

- ``planning.view_municipality`` (a municipality): its staff and youth resource-group members,
  national coordinators and administrators. Plans, measures and orders are working documents
  of the project group, not public pages.
- ``planning.manage_municipality`` (a municipality): its project leader, national administrators.
- ``planning.record_collaboration`` (a municipality): its staff, national administrators.
- ``planning.manage_national``: national coordinators and administrators (milestone plan,
  national goals, national wheel activities).
- ``planning.follow_all``: national coordinators and administrators (the overview of all plans).
- ``planning.order_competence`` (a municipality): its project leader, national administrators.
- ``planning.handle_order`` (an order): the national coordinators of the ordered organisation,
  national administrators.
- ``planning.view_order`` (an order): those who handle it and those who see its municipality.
- ``planning.evaluate_order`` (an order): once delivered, those who attended its event and the
  municipality's staff.
- ``planning.share_model``: staff of any municipality, national administrators.
"""

import rules

from ungkultur.organisations.rules import (
    is_national_admin,
    is_national_coordinator,
    is_staff_anywhere,
    is_staff_for_municipality,
)
from ungkultur.organisations.selectors import roles_for
from ungkultur.planning.selectors import coordinator_organisation_ids, evaluator_ids


@rules.predicate
def is_youth_member_in(user, municipality):
    return (
        municipality is not None and municipality.pk in roles_for(user).youth_member_municipalities
    )


@rules.predicate
def is_project_leader_in(user, municipality):
    return municipality is not None and municipality.pk in roles_for(user).leader_municipalities


@rules.predicate
def coordinates_order(user, order):
    return order is not None and order.organisation_id in coordinator_organisation_ids(user)


@rules.predicate
def sees_order_municipality(user, order):
    return order is not None and can_view_municipality.test(user, order.municipality)


@rules.predicate
def may_evaluate(user, order):
    return (
        order is not None
        and order.status == order.Status.DELIVERED
        and user.is_authenticated
        and user.pk in evaluator_ids(order)
    )


can_view_municipality = (
    is_national_admin | is_national_coordinator | is_staff_for_municipality | is_youth_member_in
)
can_handle_order = is_national_admin | coordinates_order

rules.add_perm("planning.view_municipality", can_view_municipality)
rules.add_perm("planning.manage_municipality", is_national_admin | is_project_leader_in)
rules.add_perm("planning.record_collaboration", is_national_admin | is_staff_for_municipality)
rules.add_perm("planning.manage_national", is_national_admin | is_national_coordinator)
rules.add_perm("planning.follow_all", is_national_admin | is_national_coordinator)
rules.add_perm("planning.order_competence", is_national_admin | is_project_leader_in)
rules.add_perm("planning.handle_order", can_handle_order)
rules.add_perm("planning.view_order", can_handle_order | sees_order_municipality)
rules.add_perm("planning.evaluate_order", may_evaluate)
rules.add_perm("planning.share_model", is_staff_anywhere)
