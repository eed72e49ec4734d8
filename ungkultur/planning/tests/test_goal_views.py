import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.indicators.models import GoalTarget
from ungkultur.meetings.models import Event
from ungkultur.planning.models import Goal, GoalAdoption, Measure

from .conftest import who_is

pytestmark = pytest.mark.django_db

SEE = ["admin", "coordinator", "leader_a", "teacher_a", "club_worker_a", "youth_member_a"]
MANAGE = ["admin", "leader_a"]
MAY_NOT_MANAGE = ["coordinator", "teacher_a", "youth_member_a"]


def test_national_goals_are_public(client, goals):
    response = client.get(reverse("planning:national_goals"))
    assert response.status_code == 200
    assert "Levende demokrati" in response.text and "Kompetanse i å delta" in response.text


@pytest.mark.parametrize("who", SEE)
def test_the_municipality_and_coordinators_see_its_goals(client, personas, measure, who):
    client.force_login(who_is(personas, who))
    response = client.get(reverse("planning:municipality_goals", args=["4203"]))
    assert response.status_code == 200
    assert "Ungdomsstyre på klubben" in response.text
    assert "Vedtatt" in response.text


def test_a_youth_who_is_not_a_member_may_not_see_the_working_plans(client, personas, goals):
    client.force_login(personas.youth_a)
    response = client.get(reverse("planning:municipality_goals", args=["4203"]))
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["leader_b", "teacher_b", "youth_b"])
def test_it_answers_404_to_another_municipality(client, personas, goals, who):
    client.force_login(who_is(personas, who))
    assert client.get(reverse("planning:municipality_goals", args=["4203"])).status_code == 404


def test_anonymous_is_sent_to_log_in(client, goals):
    response = client.get(reverse("planning:municipality_goals", args=["4203"]))
    assert response.status_code == 302 and "/konto/" in response["Location"]


@pytest.mark.parametrize("who", MANAGE)
def test_the_project_leader_adopts_a_national_goal(client, personas, goals, who):
    client.force_login(who_is(personas, who))
    url = reverse("planning:goal_adopt", args=["4203"])
    response = client.post(url, {"goal": goals["effect"].pk})
    assert response.status_code == 302
    adoption = GoalAdoption.objects.get()
    assert (adoption.municipality, adoption.goal) == (personas.arendal, goals["effect"])
    assert AuditEntry.objects.get(action="planning.goal_adopt").actor == who_is(personas, who)


@pytest.mark.parametrize("who", MAY_NOT_MANAGE)
def test_others_may_not_adopt(client, personas, goals, who):
    client.force_login(who_is(personas, who))
    response = client.post(
        reverse("planning:goal_adopt", args=["4203"]), {"goal": goals["effect"].pk}
    )
    assert response.status_code == 403
    assert not GoalAdoption.objects.exists()


def test_adopting_twice_or_a_delmal_is_refused(client, personas, adopted):
    client.force_login(personas.leader_a)
    url = reverse("planning:goal_adopt", args=["4203"])
    response = client.post(url, {"goal": adopted["effect"].pk})
    assert response.status_code == 400
    assert "allerede vedtatt" in response.text
    assert client.post(url, {"goal": adopted["sub"].pk}).status_code == 400
    assert GoalAdoption.objects.count() == 1


def test_adopt_is_post_only(client, personas, goals):
    client.force_login(personas.leader_a)
    assert client.get(reverse("planning:goal_adopt", args=["4203"])).status_code == 405


def test_the_leader_adds_an_own_delmal_under_an_adopted_goal_only(client, personas, adopted):
    client.force_login(personas.leader_a)
    url = reverse("planning:subgoal_create", args=["4203"])
    response = client.post(url, {"parent": adopted["other"].pk, "title": "Eget"})
    assert response.status_code == 400
    assert not Goal.objects.filter(municipality=personas.arendal).exists()
    response = client.post(url, {"parent": adopted["effect"].pk, "title": "Eget delmål"})
    assert response.status_code == 302
    own = Goal.objects.get(municipality=personas.arendal)
    assert (own.level, own.parent) == ("sub", adopted["effect"])


def measure_data(personas, goal, **fields):
    return {
        "goal": goal.pk,
        "title": "Felles verksted",
        "description": "Med biblioteket.",
        "status": "ongoing",
        "owner": personas.leader_a.pk,
        "start": "2026-08-01",
        "end": "2027-06-30",
        "units": [personas.a.kulturskole.pk, personas.a.library.pk],
        "offers": [personas.a.workshop.pk],
        **fields,
    }


def test_the_leader_creates_a_measure_with_owner_units_period_and_links(client, personas, adopted):
    client.force_login(personas.leader_a)
    response = client.post(
        reverse("planning:measure_create", args=["4203"]), measure_data(personas, adopted["sub"])
    )
    measure = Measure.objects.get()
    assert response["Location"] == reverse("planning:measure_detail", args=[measure.pk])
    assert (measure.municipality, measure.owner, measure.status) == (
        personas.arendal,
        personas.leader_a,
        "ongoing",
    )
    assert set(measure.units.all()) == {personas.a.kulturskole, personas.a.library}
    assert list(measure.offers.all()) == [personas.a.workshop]
    assert AuditEntry.objects.filter(action="planning.measure_create").count() == 1
    page = client.get(response["Location"])
    assert "Tegneserieverksted" in page.text and "Arendal bibliotek" in page.text


def test_a_measure_refuses_another_municipalitys_unit_and_a_goal_not_adopted(
    client, personas, adopted
):
    client.force_login(personas.leader_a)
    url = reverse("planning:measure_create", args=["4203"])
    response = client.post(url, measure_data(personas, adopted["sub"], units=[personas.b.club.pk]))
    assert response.status_code == 400
    response = client.post(url, measure_data(personas, adopted["other_sub"]))
    assert response.status_code == 400
    response = client.post(url, measure_data(personas, adopted["sub"], end="2026-07-01"))
    assert response.status_code == 400
    assert "Sluttdatoen må være etter startdatoen." in response.text
    assert not Measure.objects.exists()


def test_the_leader_changes_a_measure_and_sola_gets_404(client, personas, measure):
    client.force_login(personas.leader_a)
    url = reverse("planning:measure_update", args=[measure.pk])
    response = client.post(url, measure_data(personas, measure.goal, status="done", title="Ny"))
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.status) == ("Ny", "done")
    client.force_login(personas.leader_b)
    assert client.get(url).status_code == 404
    assert client.get(reverse("planning:measure_detail", args=[measure.pk])).status_code == 404
    client.force_login(personas.teacher_a)
    assert client.get(url).status_code == 403


def test_the_goal_page_is_a_fixed_number_of_queries(
    client, personas, measure, django_assert_max_num_queries
):
    for n in range(10):
        Measure.objects.create(goal=measure.goal, municipality=personas.arendal, title=f"T{n}")
    client.force_login(personas.teacher_a)
    # session, user, municipality, roles (national, memberships, unit staff), goals,
    # measures with owners, adoptions: nine, however many measures there are.
    # And the unread notices beside "Min side" (counted here, then cached).
    with django_assert_max_num_queries(10):
        response = client.get(reverse("planning:municipality_goals", args=["4203"]))
    assert response.text.count('href="/tiltak/') == 11


def test_a_delmal_page_shows_its_measures_and_a_place_for_indicators(client, personas, measure):
    Measure.objects.create(goal=measure.goal, title="Nasjonalt tiltak")
    response = client.get(reverse("planning:goal_detail", args=[measure.goal.pk]))
    assert response.status_code == 200
    assert "Nasjonalt tiltak" in response.text
    assert "Ungdomsstyre på klubben" not in response.text  # Arendal's, not national
    assert "Ingen indikatorer er valgt for dette delmålet ennå." in response.text


def test_a_municipalitys_own_delmal_follows_the_municipality(client, personas, adopted):
    own = Goal.objects.create(
        level="sub", parent=adopted["effect"], municipality=personas.arendal, title="Eget"
    )
    url = reverse("planning:goal_detail", args=[own.pk])
    assert client.get(url).status_code == 302
    client.force_login(personas.leader_b)
    assert client.get(url).status_code == 404
    client.force_login(personas.teacher_a)
    assert client.get(url).status_code == 200


def test_the_leader_changes_an_own_delmal_and_others_may_not(client, personas, adopted):
    own = Goal.objects.create(
        level="sub", parent=adopted["effect"], municipality=personas.arendal, title="Eget"
    )
    url = reverse("planning:subgoal_update", args=[own.pk])
    client.force_login(personas.leader_b)
    assert client.post(url, {"parent": adopted["effect"].pk, "title": "X"}).status_code == 404
    client.force_login(personas.teacher_a)
    assert client.post(url, {"parent": adopted["effect"].pk, "title": "X"}).status_code == 403
    assert url not in client.get(reverse("planning:goal_detail", args=[own.pk])).text
    client.force_login(personas.leader_a)
    assert url in client.get(reverse("planning:goal_detail", args=[own.pk])).text
    # Under an effektmål the municipality has not adopted: refused, nothing changed.
    response = client.post(url, {"parent": adopted["other"].pk, "title": "Nytt navn"})
    assert response.status_code == 400
    assert "Velg et gyldig valg." in response.text
    response = client.post(url, {"parent": adopted["effect"].pk, "title": ""})
    assert response.status_code == 400
    own.refresh_from_db()
    assert own.title == "Eget"
    response = client.post(
        url, {"parent": adopted["effect"].pk, "title": "Flere unge i styrene", "description": "Mer"}
    )
    assert response["Location"] == reverse("planning:goal_detail", args=[own.pk])
    own.refresh_from_db()
    assert (own.title, own.description) == ("Flere unge i styrene", "Mer")
    entry = AuditEntry.objects.get(action="planning.goal_update")
    assert (entry.actor, entry.changes["before"]["title"]) == (personas.leader_a, "Eget")


def test_a_national_delmal_is_not_changed_by_a_municipality(client, personas, adopted):
    client.force_login(personas.leader_a)
    url = reverse("planning:subgoal_update", args=[adopted["sub"].pk])
    assert client.post(url, {"parent": adopted["effect"].pk, "title": "X"}).status_code == 403
    adopted["sub"].refresh_from_db()
    assert adopted["sub"].title == "Kompetanse i å delta"


def test_the_leader_deletes_an_own_delmal_that_nothing_follows(client, personas, adopted):
    own = Goal.objects.create(
        level="sub", parent=adopted["effect"], municipality=personas.arendal, title="Eget"
    )
    url = reverse("planning:subgoal_delete", args=[own.pk])
    client.force_login(personas.leader_b)
    assert client.post(url).status_code == 404
    client.force_login(personas.teacher_a)
    assert client.post(url).status_code == 403
    client.force_login(personas.leader_a)
    assert "Slette «Eget»?" in client.get(url).text
    assert Goal.objects.filter(pk=own.pk).exists()
    response = client.post(url, follow=True)
    assert "«Eget» er slettet." in response.text
    assert not Goal.objects.filter(pk=own.pk).exists()
    entry = AuditEntry.objects.get(action="planning.goal_delete")
    assert (entry.actor, entry.changes["title"]) == (personas.leader_a, "Eget")


def test_a_delmal_with_measures_or_targets_is_not_deleted(client, personas, adopted):
    own = Goal.objects.create(
        level="sub", parent=adopted["effect"], municipality=personas.arendal, title="Eget"
    )
    measure = Measure.objects.create(goal=own, municipality=personas.arendal, title="Tiltak")
    url = reverse("planning:subgoal_delete", args=[own.pk])
    client.force_login(personas.leader_a)
    response = client.post(url)
    assert response.status_code == 400
    assert "Delmålet har tiltak eller mål for indikatorer." in response.text
    measure.delete()
    GoalTarget.objects.create(
        goal=own,
        municipality=personas.arendal,
        key="participation.all",
        target_value=30,
        target_date=datetime.date(2026, 12, 31),
    )
    assert client.post(url).status_code == 400
    assert Goal.objects.filter(pk=own.pk).exists()
    assert GoalTarget.objects.filter(goal=own).exists()
    assert not AuditEntry.objects.filter(action="planning.goal_delete").exists()
    # A national delmål is not the municipality's to delete.
    assert (
        client.post(reverse("planning:subgoal_delete", args=[adopted["sub"].pk])).status_code == 403
    )


def test_changing_a_measure_keeps_its_link_to_an_old_meeting(client, personas, measure):
    old = Event.objects.create(
        kind="project_group_meeting",
        municipality=personas.arendal,
        title="Oppstartsmøte",
        starts_at=timezone.now() - datetime.timedelta(days=800),
        ends_at=timezone.now() - datetime.timedelta(days=800, hours=-2),
    )
    measure.events.add(old)
    client.force_login(personas.leader_a)
    data = measure_data(personas, measure.goal, events=[old.pk])
    response = client.post(reverse("planning:measure_update", args=[measure.pk]), data)
    assert response.status_code == 302
    assert list(measure.events.all()) == [old]
