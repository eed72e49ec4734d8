"""Who may do what with evaluations, stories, the final report and the money.

- ``evaluations.manage``: national coordinators and administrators (open and close rounds, read
  all answers side by side, comment, mark themes, reopen, the budget, the final report).
- ``evaluations.view_municipality`` (a municipality): its staff and youth resource-group
  members, national roles.
- ``evaluations.answer_project_group`` (a municipality): its staff (the project group).
- ``evaluations.answer_youth`` (a municipality): its youth resource-group members.
- ``evaluations.report_use`` (a municipality): its project leader, national administrators.
- ``evaluations.publish_story`` (a municipality): its staff, national administrators.
"""

import rules

from ungkultur.organisations.rules import (
    is_national_admin,
    is_national_coordinator,
    is_staff_for_municipality,
)
from ungkultur.planning.rules import is_project_leader_in, is_youth_member_in

is_national = is_national_admin | is_national_coordinator

rules.add_perm("evaluations.manage", is_national)
rules.add_perm(
    "evaluations.view_municipality", is_national | is_staff_for_municipality | is_youth_member_in
)
rules.add_perm("evaluations.answer_project_group", is_staff_for_municipality)
rules.add_perm("evaluations.answer_youth", is_youth_member_in)
rules.add_perm("evaluations.report_use", is_national_admin | is_project_leader_in)
rules.add_perm("evaluations.publish_story", is_national_admin | is_staff_for_municipality)
