"""Who may do what with meetings and events, as named rules (checked in views and templates).

- ``meetings.create_in`` (object: a municipality, or None for a national event): for a
  municipality its project leader; national coordinators and administrators everywhere.
- ``meetings.organise`` (object: an event): the above for the event's scope, and the event's own
  organisers (such as an organisation's coordinator whose competence order made the event).
- ``meetings.view_internal`` (object: an event): agenda, attendance, minutes and actions. The
  organisers, the invited and registered, members of invited groups, the municipality's staff,
  and the municipality's youth resource-group members for project- and resource-group meetings.
- ``meetings.add_agenda_item`` (object: an event): organisers, and resource-group youth of the
  municipality on project- and resource-group meetings (issue 4: they put items on the agenda).
- ``meetings.view_registrations`` (object: an event): who registered, with their answers that
  are not sensitive: the event's own organisers, and the project leader of its municipality.
  National roles that run every event but do not organise this one see counts only.
- ``meetings.view_sensitive_answers`` (object: an event): the event's own organisers alone
  (docs/privacy.md); the registration form promises it.
"""

import rules

from ungkultur.meetings.models import Event
from ungkultur.organisations.rules import is_national_admin, is_national_coordinator
from ungkultur.organisations.selectors import roles_for

YOUTH_GROUP_MEETINGS = (Event.Kind.PROJECT_GROUP_MEETING, Event.Kind.RESOURCE_GROUP_MEETING)


@rules.predicate
def leads_municipality(user, municipality):
    return municipality is not None and municipality.pk in roles_for(user).leader_municipalities


@rules.predicate
def leads_event_municipality(user, event):
    return (
        event is not None
        and event.municipality_id is not None
        and event.municipality_id in roles_for(user).leader_municipalities
    )


@rules.predicate
def is_event_organiser(user, event):
    return (
        event is not None and user.is_authenticated and event.organisers.filter(pk=user.pk).exists()
    )


@rules.predicate
def is_invited_or_registered(user, event):
    return (
        event is not None
        and user.is_authenticated
        and (
            event.registrations.filter(user=user).exists()
            or event.attendances.filter(user=user).exists()
            or event.group_invitations.filter(group_id__in=roles_for(user).group_ids).exists()
        )
    )


@rules.predicate
def is_staff_of_event_municipality(user, event):
    return (
        event is not None
        and event.municipality_id is not None
        and event.municipality_id in roles_for(user).staff_municipalities
    )


@rules.predicate
def is_youth_member_for_group_meeting(user, event):
    return (
        event is not None
        and event.kind in YOUTH_GROUP_MEETINGS
        and event.municipality_id in roles_for(user).youth_member_municipalities
    )


can_create_in = is_national_admin | is_national_coordinator | leads_municipality
can_organise = (
    is_national_admin | is_national_coordinator | leads_event_municipality | is_event_organiser
)

rules.add_perm("meetings.create_in", can_create_in)
rules.add_perm("meetings.organise", can_organise)
rules.add_perm(
    "meetings.view_internal",
    can_organise
    | is_invited_or_registered
    | is_staff_of_event_municipality
    | is_youth_member_for_group_meeting,
)
rules.add_perm("meetings.add_agenda_item", can_organise | is_youth_member_for_group_meeting)
rules.add_perm("meetings.view_registrations", is_event_organiser | leads_event_municipality)
rules.add_perm("meetings.view_sensitive_answers", is_event_organiser)
rules.add_perm(
    "meetings.view_youth_attendance",
    is_national_admin | is_national_coordinator | leads_municipality,
)
