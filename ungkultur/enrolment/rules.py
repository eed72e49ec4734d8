"""Who may do what with enrolments, as named rules (checked in views and templates).

- ``enrolment.manage`` (object: an offer): the leader of the offer's unit (rector, club leader,
  UKM contact, leader), the municipality's project leader, a national administrator. They run
  waiting lists, re-registration rounds and cancellations.
- ``enrolment.take_attendance`` (object: an offer): the above, and the offer's own teachers while
  they work in its unit. A teacher sees and takes attendance for the groups they teach only.
- ``enrolment.act_for`` (object: an enrolment): the participant, or a confirmed guardian of the
  participant. Under the online consent age only the guardian decides (docs/privacy.md).
- ``enrolment.leave`` (object: an enrolment): either of the above.
"""

import rules
from django.conf import settings
from django.utils import timezone

from ungkultur.accounts.selectors import confirmed_child_ids
from ungkultur.organisations.rules import is_national_admin
from ungkultur.organisations.selectors import roles_for


def decides_alone(person, *, now) -> bool:
    """Whether a person signs up and answers alone: from the online consent age.

    A person without a birth year (staff, guardians) counts as an adult, as in accounts.
    """
    age = person.age_in(timezone.localtime(now).year)
    return age is None or age >= settings.UNGKULTUR_AGE_ONLINE_CONSENT


def may_act_for(user, person, *, now, child_ids=None) -> bool:
    """Whether ``user`` signs up or answers for ``person`` (themself or a confirmed child)."""
    if person is None or not user.is_authenticated:
        return False
    if person.pk == user.pk:
        return decides_alone(person, now=now)
    if child_ids is None:
        child_ids = confirmed_child_ids(user)
    return person.pk in child_ids


@rules.predicate
def leads_offer_unit(user, offer):
    return offer is not None and offer.unit_id in roles_for(user).led_unit_ids


@rules.predicate
def teaches_offer(user, offer):
    """One of the offer's teachers, and still working in its unit (a teacher who left does not)."""
    return (
        offer is not None
        and offer.unit_id in roles_for(user).unit_ids
        and offer.teachers.filter(pk=user.pk).exists()
    )


@rules.predicate
def is_project_leader_of_offer(user, offer):
    return offer is not None and offer.municipality_id in roles_for(user).leader_municipalities


can_manage_offer = is_national_admin | leads_offer_unit | is_project_leader_of_offer


@rules.predicate
def manages_enrolment_offer(user, enrolment):
    return enrolment is not None and can_manage_offer.test(user, enrolment.offer)


@rules.predicate
def acts_for_participant(user, enrolment):
    return enrolment is not None and may_act_for(
        user, enrolment.participant.user, now=timezone.now()
    )


rules.add_perm("enrolment.manage", can_manage_offer)
rules.add_perm("enrolment.take_attendance", can_manage_offer | teaches_offer)
rules.add_perm("enrolment.act_for", acts_for_participant)
rules.add_perm("enrolment.leave", acts_for_participant | manages_enrolment_offer)
