"""Who may do what with surveys. Builders are national: administrators, coordinators and
researchers. Municipal staff hand out codes for their own municipality. Members of a youth
resource group comment on drafts shared with their group; the questionnaire's own researchers
(and the national roles) answer and resolve the comments."""

import rules

from ungkultur.organisations.rules import (
    is_national_admin,
    is_national_coordinator,
    is_researcher,
    is_staff_for_municipality,
)
from ungkultur.organisations.selectors import roles_for


@rules.predicate
def is_in_a_sharing_group(user, questionnaire):
    if questionnaire is None or questionnaire.is_frozen:
        return False
    group_ids = roles_for(user).group_ids
    return questionnaire.shares.filter(group_id__in=group_ids).exists()


@rules.predicate
def is_questionnaire_owner(user, questionnaire):
    """The user made the questionnaire, or a survey that runs it."""
    if questionnaire is None or not user.is_authenticated:
        return False
    return (
        questionnaire.created_by_id == user.pk
        or questionnaire.surveys.filter(created_by=user).exists()
    )


@rules.predicate
def is_municipal_staff(user):
    return bool(roles_for(user).staff_municipalities)


can_build = is_national_admin | is_national_coordinator | is_researcher

rules.add_perm("surveys.build", can_build)
rules.add_perm("surveys.comment", is_in_a_sharing_group)
# Answer and resolve the youth's comments: the national roles, and a researcher on their own
# questionnaire (or one their survey runs), not every researcher's.
rules.add_perm(
    "surveys.answer_comments",
    is_national_admin | is_national_coordinator | (is_researcher & is_questionnaire_owner),
)
rules.add_perm("surveys.manage_codes", can_build | is_staff_for_municipality)
rules.add_perm("surveys.view_waves", can_build | is_municipal_staff)
