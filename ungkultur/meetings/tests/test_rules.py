"""The meetings permissions as a grid of roles × event scope and kind."""

import pytest

from ungkultur.meetings.models import Event, Registration
from ungkultur.meetings.tests.factories import make_event

pytestmark = pytest.mark.django_db

ROLES = ["admin", "coordinator", "leader_a", "teacher_a", "youth_member_a", "youth_a", "leader_b"]


def _allowed(personas, perm, obj):
    return {who for who in ROLES if getattr(personas, who).has_perm(perm, obj)}


def test_create_in(personas):
    assert _allowed(personas, "meetings.create_in", personas.arendal) == {
        "admin",
        "coordinator",
        "leader_a",
    }
    assert _allowed(personas, "meetings.create_in", None) == {"admin", "coordinator"}


def test_organise_local_and_national(personas):
    local = make_event(personas)
    assert _allowed(personas, "meetings.organise", local) == {"admin", "coordinator", "leader_a"}
    national = make_event(
        personas, municipality=None, kind=Event.Kind.WEBINAR, actor=personas.coordinator
    )
    assert _allowed(personas, "meetings.organise", national) == {"admin", "coordinator"}


def test_an_explicit_organiser_organises(personas):
    national = make_event(
        personas,
        municipality=None,
        kind=Event.Kind.COURSE,
        actor=personas.coordinator,
        organisers=[personas.teacher_a],
    )
    assert personas.teacher_a.has_perm("meetings.organise", national)


def test_view_internal_of_a_project_group_meeting(personas):
    event = make_event(personas)
    assert _allowed(personas, "meetings.view_internal", event) == {
        "admin",
        "coordinator",
        "leader_a",
        "teacher_a",
        "youth_member_a",
    }


def test_view_internal_of_a_national_event_follows_registration(personas):
    event = make_event(
        personas, municipality=None, kind=Event.Kind.CONFERENCE, actor=personas.coordinator
    )
    assert "youth_a" not in _allowed(personas, "meetings.view_internal", event)
    Registration.objects.create(event=event, user=personas.youth_a, status="registered")
    assert "youth_a" in _allowed(personas, "meetings.view_internal", event)


def test_add_agenda_item(personas):
    project = make_event(personas)
    theme = make_event(personas, kind=Event.Kind.THEME_MEETING)
    assert _allowed(personas, "meetings.add_agenda_item", project) == {
        "admin",
        "coordinator",
        "leader_a",
        "youth_member_a",
    }
    assert "youth_member_a" not in _allowed(personas, "meetings.add_agenda_item", theme)


def test_internal_event_ids_agrees_with_the_rule(personas):
    from ungkultur.meetings.selectors import internal_event_ids

    events = [
        make_event(personas),
        make_event(personas, kind=Event.Kind.THEME_MEETING),
        make_event(personas, municipality="sola", actor=personas.leader_b),
        make_event(personas, municipality=None, kind=Event.Kind.WEBINAR, actor=personas.admin),
    ]
    Registration.objects.create(event=events[3], user=personas.youth_a, status="invited")
    events[1].group_invitations.create(
        group=personas.a.resource_group, invited_at=events[1].created_at
    )
    for who in ROLES + ["teacher_b", "youth_b", "researcher"]:
        user = getattr(personas, who)
        expected = {e.pk for e in events if user.has_perm("meetings.view_internal", e)}
        assert internal_event_ids(user, events) == expected, who
