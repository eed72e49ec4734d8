import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from ungkultur.meetings.models import Registration
from ungkultur.planning.models import CompetenceOrder, Measure, OrderEvaluation
from ungkultur.planning.selectors import mypage_section

from .conftest import make_order

pytestmark = pytest.mark.django_db


def test_min_side_shows_my_measures_and_the_orders_i_may_evaluate(personas, measure, orgs):
    Measure.objects.create(
        goal=measure.goal, municipality=personas.arendal, title="Ferdig", status="done",
        owner=personas.leader_a,
    )  # fmt: skip
    measure.owner = personas.leader_a
    measure.save()
    delivered = make_order(personas, orgs, status=CompetenceOrder.Status.DELIVERED)
    make_order(personas, orgs, status=CompetenceOrder.Status.SCHEDULED)
    section = mypage_section(personas.leader_a, now=timezone.now())
    assert section["measures"] == [measure]
    assert section["to_evaluate"] == [delivered]
    html = render_to_string(section["template"], {"section": section})
    assert "Ungdomsstyre på klubben" in html and "Kurs i ungdomsledelse" in html
    OrderEvaluation.objects.create(
        order=delivered, user=personas.leader_a, score=4, created_at=timezone.now()
    )
    assert mypage_section(personas.leader_a, now=timezone.now())["to_evaluate"] == []


def test_a_registered_participant_is_asked_and_a_coordinator_sees_new_orders(
    personas, orgs, delivered
):
    Registration.objects.create(
        event=delivered.event, user=personas.teacher_a, status=Registration.Status.REGISTERED
    )
    assert mypage_section(personas.teacher_a, now=timezone.now())["to_evaluate"] == [delivered]
    make_order(personas, orgs)
    section = mypage_section(orgs["uof_coordinator"], now=timezone.now())
    assert section["new_orders"] == 1
    assert "1 ny kompetansebestilling venter på svar" in render_to_string(
        section["template"], {"section": section}
    )


def test_nothing_to_show_is_none(personas):
    assert mypage_section(personas.youth_a, now=timezone.now()) is None
