"""Who sees what of a meeting's registrations (docs/privacy.md, least privilege).

- Sensitive answers (health, needs): the event's organisers alone.
- Names and the other answers: the organisers, and the municipality's project leader for a
  meeting in their municipality.
- National administrators and coordinators who do not organise the meeting: counts only.
- The organiser of a national meeting sees every participant, whatever their municipality: they
  gave their answers to the organisers by registering, and the form says so.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.meetings.models import Registration
from ungkultur.meetings.services import event_organiser_add
from ungkultur.meetings.tests.factories import make_event

pytestmark = pytest.mark.django_db
RS = Registration.Status

ALLERGY = "Nøtteallergi"
FOOD = "Vegetar"


def _event_with_answers(personas, **fields):
    event = make_event(personas, **fields)
    sensitive = event.questions.create(text="Helse", is_sensitive=True, position=1)
    plain = event.questions.create(text="Mat", position=2)
    for user in (personas.youth_member_a, personas.youth_b):
        registration = Registration.objects.create(
            event=event, user=user, status=RS.REGISTERED, registered_at=timezone.now()
        )
        registration.answers.create(question=sensitive, text=ALLERGY)
        registration.answers.create(question=plain, text=FOOD)
    return event


def _page(client, user, event):
    client.force_login(user)
    return client.get(reverse("meetings:registrations", args=[event.pk]))


def test_the_organiser_sees_names_and_sensitive_answers(client, personas):
    event = _event_with_answers(personas)
    response = _page(client, personas.leader_a, event)
    assert response.status_code == 200
    text = response.content.decode()
    assert ALLERGY in text and FOOD in text
    assert personas.youth_member_a.full_name in text


@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_national_roles_see_counts_only_of_a_meeting_they_do_not_organise(client, personas, who):
    event = _event_with_answers(personas)
    response = _page(client, getattr(personas, who), event)
    assert response.status_code == 200
    text = response.content.decode()
    assert ALLERGY not in text
    assert FOOD not in text
    assert personas.youth_member_a.full_name not in text
    assert personas.youth_member_a.first_name not in text
    assert "Påmeldt: 2" in text


def test_the_project_leader_sees_names_but_not_sensitive_answers_when_not_organising(
    client, personas
):
    event = _event_with_answers(personas, actor=personas.coordinator)
    response = _page(client, personas.leader_a, event)
    assert response.status_code == 200
    text = response.content.decode()
    assert personas.youth_member_a.full_name in text
    assert FOOD in text
    assert ALLERGY not in text


def test_a_coordinator_who_organises_sees_sensitive_answers(client, personas):
    event = _event_with_answers(personas, actor=personas.coordinator)
    text = _page(client, personas.coordinator, event).content.decode()
    assert ALLERGY in text


def test_the_organiser_of_a_national_meeting_sees_every_municipalitys_participants(
    client, personas
):
    event = _event_with_answers(personas, municipality=None, actor=personas.coordinator)
    text = _page(client, personas.coordinator, event).content.decode()
    assert personas.youth_member_a.full_name in text
    assert personas.youth_b.full_name in text
    assert text.count(ALLERGY) == 2
    # The other national role, not organising it, sees counts.
    text = _page(client, personas.admin, event).content.decode()
    assert ALLERGY not in text and personas.youth_b.full_name not in text


@pytest.mark.parametrize("who,status", [("teacher_a", 403), ("leader_b", 404)])
def test_others_see_nothing(client, personas, who, status):
    event = _event_with_answers(personas)
    assert _page(client, getattr(personas, who), event).status_code == status


def test_nobody_makes_themself_an_organiser(client, personas):
    event = _event_with_answers(personas)
    client.force_login(personas.coordinator)
    response = client.post(
        reverse("meetings:organiser_add", args=[event.pk]), {"email": personas.coordinator.email}
    )
    assert response.status_code == 403
    assert "Du kan ikke gi deg selv" in response.content.decode()
    assert not event.organisers.filter(pk=personas.coordinator.pk).exists()
    assert not AuditEntry.objects.filter(action="meetings.event_organiser_add").exists()
    assert ALLERGY not in _page(client, personas.coordinator, event).content.decode()


def test_the_service_refuses_a_self_made_organiser(personas):
    event = make_event(personas)
    with pytest.raises(PermissionDenied) as error:
        event_organiser_add(
            actor=personas.admin, event=event, user=personas.admin, now=timezone.now()
        )
    assert "Du kan ikke gi deg selv" in str(error.value)
    assert not event.organisers.filter(pk=personas.admin.pk).exists()
