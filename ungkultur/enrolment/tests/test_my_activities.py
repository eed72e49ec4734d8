"""Mine aktiviteter on Min side: what a youth (or a guardian's children) takes part in, waits
for and applied to."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ungkultur.accounts.models import Guardianship
from ungkultur.catalogue.models import Category, Offer
from ungkultur.enrolment.models import Enrolment
from ungkultur.enrolment.selectors import my_activities
from ungkultur.enrolment.services import (
    enrolment_join,
    enrolment_leave,
    enrolment_offer_place,
    enrolment_reregistration_open,
)
from ungkultur.enrolment.tests.conftest import born
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db
URL = reverse("mypage:index")


def earlier(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


def extra_offer(current, title, **fields):
    base = Offer.objects.filter(pk=current.a.workshop.pk).values()[0]
    base.update(id=None, title=title, **fields)
    return Offer.objects.create(**base)


@pytest.fixture
def busy(current, fill):
    """youth_a: active on the workshop, second on a waiting list, offered a place, applied."""
    youth = current.youth_a
    now = earlier(1)

    def join(offer):
        return enrolment_join(actor=youth, offer=offer, person=youth, now=now)

    active = join(current.a.workshop)
    full = extra_offer(current, "Fullt kurs", capacity=1)
    fill(full, 2, now=earlier(5), birth_year=born(15))
    waiting = join(full)
    band = extra_offer(current, "Band", join_mode=Offer.JoinMode.APPLICATION, capacity=3)
    offered = join(band)
    enrolment_offer_place(actor=current.admin, enrolment=offered, now=now)
    applied = join(current.a.piano)
    return {"active": active, "waiting": waiting, "offered": offered, "applied": applied}


def test_youth_sees_what_they_take_part_in_wait_for_and_applied_to(client, current, busy):
    client.force_login(current.youth_a)
    text = client.get(URL).text
    assert "Mine aktiviteter" in text
    assert "Du er med på" in text and "Tegneserieverksted" in text
    full = reverse("catalogue:offer_detail", args=[busy["waiting"].offer_id])
    assert f'href="{full}">Fullt kurs</a> – du er nummer 2 på ventelisten' in text
    assert "Tilbud om plass – svar nå" in text
    assert "Svar innen" in text
    assert reverse("enrolment:accept", args=[busy["offered"].pk]) in text
    assert reverse("enrolment:decline", args=[busy["offered"].pk]) in text
    assert "Søknader" in text and "Piano" in text
    assert reverse("enrolment:leave", args=[busy["active"].pk]) in text


def test_ended_enrolments_are_not_shown(client, current, busy):
    enrolment_leave(
        actor=current.youth_a, enrolment=busy["active"], end_reason="moved", now=timezone.now()
    )
    client.force_login(current.youth_a)
    text = client.get(URL).text
    assert "Du er med på" not in text


def test_reregistration_due_is_shown(client, current, busy):
    enrolment_reregistration_open(
        actor=current.leader_a,
        offer=current.a.workshop,
        deadline=timezone.localdate() + datetime.timedelta(days=5),
        now=timezone.now(),
    )
    client.force_login(current.youth_a)
    text = client.get(URL).text
    assert "Vil du fortsette? Meld på igjen" in text
    assert reverse("enrolment:reregister", args=[busy["active"].pk]) in text


def test_youth_with_nothing_gets_a_hint(client, current):
    client.force_login(current.youth_a)
    assert "Du er ikke med på noe ennå." in client.get(URL).text


def test_staff_without_enrolments_see_no_section(client, current):
    client.force_login(current.teacher_a)
    assert "Mine aktiviteter" not in client.get(URL).text


def test_guardian_sees_the_childs_activities_and_answers(client, current):
    enrolment = enrolment_join(
        actor=current.guardian_a, offer=current.a.piano, person=current.child_a, now=earlier(2)
    )
    enrolment_offer_place(actor=current.teacher_a, enrolment=enrolment, now=earlier(1))
    client.force_login(current.guardian_a)
    text = client.get(URL).text
    assert "Mine aktiviteter" in text
    assert f'id="activities-{current.child_a.pk}">BarnA<' in text
    assert reverse("enrolment:accept", args=[enrolment.pk]) in text


def test_a_child_sees_their_own_but_the_guardian_answers(client, current):
    enrolment = enrolment_join(
        actor=current.guardian_a, offer=current.a.piano, person=current.child_a, now=earlier(2)
    )
    enrolment_offer_place(actor=current.teacher_a, enrolment=enrolment, now=earlier(1))
    client.force_login(current.child_a)
    text = client.get(URL).text
    assert "Det er en foresatt som svarer for deg." in text
    assert "Piano" in text
    assert reverse("enrolment:accept", args=[enrolment.pk]) not in text


def test_query_count_is_bounded(client, current, fill, django_assert_max_num_queries):
    children = [current.child_a]
    for n in range(3):
        child = make_user(f"barn{n}@example.org", first_name=f"Barn{n}", birth_year=born(14))
        Guardianship.objects.create(
            guardian=current.guardian_a, child=child, confirmed_at=timezone.now()
        )
        children.append(child)
    for n in range(4):
        offer = extra_offer(current, f"Kurs {n}", capacity=1, age_min=8, category=Category.DANCE)
        for child in children:
            enrolment_join(actor=current.guardian_a, offer=offer, person=child, now=earlier(n))
    client.force_login(current.guardian_a)
    # Min side's own 14 queries (session, user, children, consents, roles, tokens, the rules)
    # and one for Mine aktiviteter: the open enrolments with offers, units and waiting
    # positions (a guardian without a birth year is not asked for a calendar link); seven for
    # the participation, meetings and planning sections; one for invitations waiting for the
    # user; one for the answers to the user's comments on survey drafts (surveys.selectors.
    # comment_replies_for, at most 10, as in mypage/tests/test_index.py); one for the
    # children's places in youth resource groups, all children at once (evaluations.selectors.
    # guardian_name_decisions, a naming decision to link to). The same with more children or
    # enrolments.
    with django_assert_max_num_queries(25):
        response = client.get(URL)
    assert response.text.count("på ventelisten") == 12


def test_selector_shows_only_the_viewer_and_confirmed_children(current, busy):
    Guardianship.objects.create(guardian=current.guardian_a, child=current.youth_a)
    activities = my_activities(current.guardian_a, now=timezone.now())
    assert [p.person for p in activities.people] == [current.child_a]
    own = my_activities(current.youth_a, now=timezone.now())
    (entry,) = own.people
    assert [e.pk for e in entry.waiting] == [busy["waiting"].pk]
    assert entry.waiting[0].position == 2
    assert Enrolment.objects.filter(participant__user=current.youth_a).count() == 4
