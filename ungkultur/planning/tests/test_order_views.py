"""A competence order from order to evaluation, by role and municipality."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.meetings.models import Event, Registration
from ungkultur.planning.models import CompetenceOrder, OrderEvaluation
from ungkultur.testing import make_user

from .conftest import make_order, who_is

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def order_data(orgs, **fields):
    today = timezone.localdate()
    return {
        "organisation": orgs["uof"].pk,
        "kind": "course",
        "topic": "Kurs i ungdomsledelse",
        "target_group": "Ungdomsarbeidere",
        "wanted_from": (today + 30 * DAY).isoformat(),
        "wanted_to": (today + 60 * DAY).isoformat(),
        "expected_participants": 12,
        "description": "Helst en kveld.",
        **fields,
    }


def test_the_project_leader_orders_and_the_organisations_coordinators_are_told(
    client, personas, orgs
):
    client.force_login(personas.leader_a)
    response = client.post(reverse("planning:order_create", args=["4203"]), order_data(orgs))
    order = CompetenceOrder.objects.get()
    assert response["Location"] == reverse("planning:order_detail", args=[order.pk])
    assert (order.municipality, order.organisation, order.status, order.ordered_by) == (
        personas.arendal,
        orgs["uof"],
        "ordered",
        personas.leader_a,
    )
    assert [m.to for m in mail.outbox] == [["koordinator.uof@example.org"]]
    assert "Ny bestilling fra Arendal" in mail.outbox[0].subject
    assert AuditEntry.objects.get(action="planning.order_create").actor == personas.leader_a


@pytest.mark.parametrize("who", ["teacher_a", "youth_member_a", "coordinator"])
def test_only_the_project_leader_orders(client, personas, orgs, who):
    client.force_login(who_is(personas, who))
    response = client.post(reverse("planning:order_create", args=["4203"]), order_data(orgs))
    assert response.status_code == 403
    assert not CompetenceOrder.objects.exists()


def test_sola_cannot_order_for_arendal(client, personas, orgs):
    client.force_login(personas.leader_b)
    response = client.post(reverse("planning:order_create", args=["4203"]), order_data(orgs))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"wanted_to": "2020-01-01"}, "Slutten av perioden kan ikke være før starten."),
        ({"expected_participants": 0}, "Verdien må være større enn eller lik 1."),
        ({"topic": ""}, "Feltet er påkrevet."),
    ],
)
def test_a_bad_order_is_400_and_nothing_is_sent(client, personas, orgs, fields, message):
    client.force_login(personas.leader_a)
    response = client.post(
        reverse("planning:order_create", args=["4203"]), order_data(orgs, **fields)
    )
    assert response.status_code == 400
    assert message in response.text
    assert not CompetenceOrder.objects.exists() and not mail.outbox


def test_the_inbox_shows_the_orders_to_the_coordinators_organisation_only(client, personas, orgs):
    make_order(personas, orgs)
    make_order(personas, orgs, organisation=orgs["nkr"], municipality=personas.sola)
    client.force_login(orgs["uof_coordinator"])
    response = client.get(reverse("planning:order_inbox"))
    assert response.status_code == 200
    assert response.text.count('href="/kompetanse/') == 1
    assert "Arendal" in response.text
    client.force_login(personas.coordinator)  # NKR
    assert "Sola" in client.get(reverse("planning:order_inbox")).text
    assert client.get(reverse("planning:order_inbox"), {"status": "nope"}).status_code == 400


@pytest.mark.parametrize("who", ["leader_a", "teacher_a", "researcher"])
def test_the_inbox_is_for_coordinators(client, personas, orgs, who):
    client.force_login(who_is(personas, who))
    assert client.get(reverse("planning:order_inbox")).status_code == 403


def test_the_inbox_is_a_fixed_number_of_queries(
    client, personas, orgs, django_assert_max_num_queries
):
    for _ in range(15):
        make_order(personas, orgs)
    client.force_login(orgs["uof_coordinator"])
    # session, user, coordinator organisations, the organisations' names, orders with their
    # municipality, organisation and event: five, however many orders.
    # And the unread notices beside "Min side" (counted here, then cached).
    with django_assert_max_num_queries(6):
        response = client.get(reverse("planning:order_inbox"))
    assert response.text.count('href="/kompetanse/') == 15


def test_the_coordinator_accepts_and_the_orderer_is_told(client, personas, orgs):
    order = make_order(personas, orgs)
    client.force_login(orgs["uof_coordinator"])
    response = client.post(reverse("planning:order_accept", args=[order.pk]))
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.answered_by) == ("accepted", orgs["uof_coordinator"])
    assert [m.to for m in mail.outbox] == [["leder.a@example.org"]]
    assert "akseptert" in mail.outbox[0].subject
    # Accepting twice does nothing more.
    client.post(reverse("planning:order_accept", args=[order.pk]))
    assert len(mail.outbox) == 1


def test_another_organisations_coordinator_sees_but_may_not_handle(client, personas, orgs):
    order = make_order(personas, orgs)
    client.force_login(personas.coordinator)  # NKR, the order is to UoF
    assert client.get(reverse("planning:order_detail", args=[order.pk])).status_code == 200
    assert client.post(reverse("planning:order_accept", args=[order.pk])).status_code == 403
    order.refresh_from_db()
    assert order.status == "ordered"


@pytest.mark.parametrize(("who", "status"), [("leader_b", 404), ("youth_b", 404), ("youth_a", 403)])
def test_outsiders_do_not_see_the_order(client, personas, orgs, who, status):
    order = make_order(personas, orgs)
    client.force_login(who_is(personas, who))
    assert client.get(reverse("planning:order_detail", args=[order.pk])).status_code == status


def test_declining_needs_a_reason(client, personas, orgs):
    order = make_order(personas, orgs)
    client.force_login(orgs["uof_coordinator"])
    url = reverse("planning:order_decline", args=[order.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == "ordered" and not mail.outbox
    response = client.post(url, {"reason": "Vi har ikke kapasitet i høst."})
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.decline_reason) == ("declined", "Vi har ikke kapasitet i høst.")
    assert "Vi har ikke kapasitet i høst." in mail.outbox[0].body


def test_scheduling_creates_the_event_in_the_municipality(client, personas, orgs):
    order = make_order(personas, orgs, status=CompetenceOrder.Status.ACCEPTED)
    client.force_login(orgs["uof_coordinator"])
    url = reverse("planning:order_schedule", args=[order.pk])
    response = client.post(url, {"starts_at": "2026-12-01T18:00", "ends_at": "2026-12-01T17:00"})
    assert response.status_code == 400
    assert not Event.objects.exists()
    response = client.post(
        url, {"starts_at": "2026-12-01T18:00", "ends_at": "2026-12-01T21:00", "place": ""}
    )
    assert response.status_code == 400
    assert "Oppgi et sted eller en lenke til nettmøtet." in response.text
    response = client.post(
        url,
        {"starts_at": "2026-12-01T18:00", "ends_at": "2026-12-01T21:00", "place": "Kulturhuset"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    event = order.event
    assert order.status == "scheduled"
    assert (event.kind, event.municipality, event.title, event.place) == (
        "course",
        personas.arendal,
        "Kurs i ungdomsledelse",
        "Kulturhuset",
    )
    assert list(event.organisers.all()) == [orgs["uof_coordinator"]]
    assert timezone.localtime(event.starts_at).hour == 18
    assert mail.outbox[-1].to == ["leder.a@example.org"]
    assert f"/moter/{event.pk}/" in mail.outbox[-1].body
    # The event's page leads back to the order for those who see its inner parts.
    page = client.get(reverse("meetings:event_detail", args=[event.pk])).text
    assert reverse("planning:order_detail", args=[order.pk]) in page
    client.logout()
    page = client.get(reverse("meetings:event_detail", args=[event.pk])).text
    assert reverse("planning:order_detail", args=[order.pk]) not in page


def test_steps_out_of_order_are_refused_with_a_message(client, personas, orgs):
    order = make_order(personas, orgs)
    client.force_login(orgs["uof_coordinator"])
    response = client.post(reverse("planning:order_deliver", args=[order.pk]), follow=True)
    assert "Bestillingen har status «bestilt», så dette kan ikke gjøres nå." in response.text
    order.refresh_from_db()
    assert order.status == "ordered"


def test_delivering_tells_the_orderer_to_evaluate(client, personas, orgs, delivered):
    delivered.status = CompetenceOrder.Status.SCHEDULED
    delivered.save()
    client.force_login(orgs["uof_coordinator"])
    client.post(reverse("planning:order_deliver", args=[delivered.pk]))
    delivered.refresh_from_db()
    assert delivered.status == "delivered"
    assert "vurdering" in mail.outbox[0].subject


@pytest.mark.parametrize("who", ["youth_member_a", "leader_a"])
def test_participants_and_the_orderer_evaluate_once(client, personas, orgs, delivered, who):
    user = who_is(personas, who)
    client.force_login(user)
    url = reverse("planning:order_evaluate", args=[delivered.pk])
    assert client.post(url, {"score": "6"}).status_code == 400
    response = client.post(url, {"score": "4", "text": "Nyttig"})
    assert response.status_code == 302
    evaluation = OrderEvaluation.objects.get()
    assert (evaluation.user, evaluation.score, evaluation.text) == (user, 4, "Nyttig")
    assert mail.outbox[-1].to == ["koordinator.uof@example.org"]
    response = client.post(url, {"score": "5"})
    assert response.status_code == 400
    assert "Du har allerede gitt din vurdering." in response.text
    assert OrderEvaluation.objects.get().score == 4


def test_a_registered_participant_evaluates_too(client, personas, orgs, delivered):
    Registration.objects.create(
        event=delivered.event, user=personas.teacher_a, status=Registration.Status.REGISTERED
    )
    Registration.objects.create(
        event=delivered.event, user=personas.a.club_worker, status=Registration.Status.WAITING
    )
    client.force_login(personas.teacher_a)
    url = reverse("planning:order_evaluate", args=[delivered.pk])
    assert client.post(url, {"score": "3"}).status_code == 302
    client.force_login(personas.a.club_worker)
    assert client.post(url, {"score": "1"}).status_code == 403
    assert list(OrderEvaluation.objects.values_list("score", flat=True)) == [3]


def test_the_evaluations_show_only_once_enough_have_answered(
    client, personas, orgs, delivered, settings
):
    """An average of one or two scores would tell what those people thought (docs/privacy.md)."""
    settings.UNGKULTUR_DISCLOSURE_MIN_N = 3
    users = [make_user(f"deltaker{i}@example.org", first_name=f"Deltaker{i}") for i in range(3)]
    url = reverse("planning:order_detail", args=[delivered.pk])
    client.force_login(orgs["uof_coordinator"])
    for count, user in enumerate(users[:2], 1):
        OrderEvaluation.objects.create(
            order=delivered, user=user, score=count, text=f"Svar {count}", created_at=timezone.now()
        )
        response = client.get(url)
        assert "For få svar: snittet og vurderingene vises når minst 3 har svart" in response.text
        assert "snitt " not in response.text and "Svar 1" not in response.text
        # Not even how many: a count under n is a number resting on fewer than n.
        assert f"{count} vurdering" not in response.text
    OrderEvaluation.objects.create(
        order=delivered, user=users[2], score=5, text="Svar 3", created_at=timezone.now()
    )
    response = client.get(url)
    assert "3 vurderinger, snitt 2,7 av 5." in response.text
    assert "Svar 1" in response.text and "Svar 3" in response.text
    client.force_login(personas.leader_a)
    response = client.get(url)
    assert "3 vurderinger, snitt 2,7 av 5." in response.text
    assert "Svar 1" not in response.text


def test_the_evaluations_move_only_in_steps_of_n(client, personas, orgs, delivered, settings):
    """The average after one more score minus the one before would give that score away."""
    settings.UNGKULTUR_DISCLOSURE_MIN_N = 3
    client.force_login(orgs["uof_coordinator"])
    url = reverse("planning:order_detail", args=[delivered.pk])
    seen = []
    for i, score in enumerate([5, 1, 3, 4, 2, 5, 1]):
        user = make_user(f"steg{i}@example.org", first_name=f"Steg{i}")
        OrderEvaluation.objects.create(
            order=delivered, user=user, score=score, text=f"Tekst {i}", created_at=timezone.now()
        )
        summary = client.get(url).context["summary"]
        seen.append((summary["count"], summary["average"], summary["evaluations"]))
    for (count_before, *before), (count_after, *after) in zip(seen, seen[1:], strict=False):
        assert before == after or count_after - count_before >= 3
    assert [count for count, _average, _list in seen] == [0, 0, 3, 3, 3, 6, 6]
    # Listed by score, so the newest cannot be picked out by its place.
    assert [e.score for e in seen[-1][2]] == [1, 2, 3, 4, 5, 5]


@pytest.mark.parametrize(("who", "status"), [("teacher_a", 403), ("leader_b", 404)])
def test_those_who_were_not_there_may_not_evaluate(client, personas, orgs, delivered, who, status):
    client.force_login(who_is(personas, who))
    response = client.post(reverse("planning:order_evaluate", args=[delivered.pk]), {"score": 5})
    assert response.status_code == status
    assert not OrderEvaluation.objects.exists()


def test_the_municipality_sees_the_state_of_its_orders(client, personas, orgs, delivered):
    make_order(personas, orgs, municipality=personas.sola, topic="Sola sin")
    client.force_login(personas.teacher_a)
    response = client.get(reverse("planning:order_list", args=["4203"]))
    assert response.status_code == 200
    assert "Gjennomført" in response.text and "Sola sin" not in response.text


def test_the_municipalitys_order_list_is_a_fixed_number_of_queries(
    client, personas, orgs, django_assert_max_num_queries
):
    for _ in range(12):
        make_order(personas, orgs)
    client.force_login(personas.leader_a)
    # session, user, municipality, roles (national, memberships, unit staff), orders with
    # organisation and event: seven, however many orders.
    # And the unread notices beside "Min side" (counted here, then cached).
    with django_assert_max_num_queries(8):
        response = client.get(reverse("planning:order_list", args=["4203"]))
    assert response.text.count('href="/kompetanse/') == 12
