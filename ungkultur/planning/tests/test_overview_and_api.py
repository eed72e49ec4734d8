import pytest
from django.urls import reverse

from ungkultur.planning.models import Measure

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_national_coordinators_follow_every_municipalitys_plan(
    client, personas, action_plan, measure, who
):
    client.force_login(getattr(personas, who))
    response = client.get(reverse("planning:overview"))
    assert response.status_code == 200
    rows = {row["municipality"].name: row for row in response.context["rows"]}
    assert set(rows) == {"Arendal", "Sola"}
    assert rows["Arendal"]["items"] == {
        "plan__municipality_id": personas.arendal.pk,
        "total": 3,
        "done": 1,
        "late": 1,
    }
    assert (rows["Arendal"]["adopted"], rows["Arendal"]["measures"]) == (1, 1)
    assert rows["Sola"]["items"]["total"] == 0


@pytest.mark.parametrize("who", ["leader_a", "teacher_a", "researcher", "youth_a"])
def test_the_overview_is_for_national_coordinators(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("planning:overview")).status_code == 403


def test_the_overview_is_a_fixed_number_of_queries(
    client, personas, action_plan, measure, django_assert_max_num_queries
):
    for n in range(5):
        Measure.objects.create(goal=measure.goal, municipality=personas.sola, title=f"S{n}")
    client.force_login(personas.coordinator)
    # session, user, roles (national, memberships, unit staff), municipalities, plan items,
    # adoptions, measures, open orders, the milestone plan.
    # And the unread notices beside "Min side" (counted here, then cached).
    with django_assert_max_num_queries(12):
        client.get(reverse("planning:overview"))


def test_the_milestones_api_is_public_and_marks_what_is_late(client, milestones):
    response = client.get("/api/v1/milestones")
    assert response.status_code == 200
    data = response.json()
    assert data["plan"]["title"] == "Overordnet milepælsplan 2020/21"
    assert data["count"] == 2
    first, last = data["results"]
    assert (first["title"], first["start"], first["end"], first["status"], first["late"]) == (
        "Felles oppstartsamling",
        "2020-02-01",
        "2020-04-30",
        "done",
        False,
    )
    assert (last["status"], last["late"]) == ("postponed", True)


def test_the_milestones_api_without_a_plan_and_with_a_wrong_method(client, db):
    assert client.get("/api/v1/milestones").json() == {"plan": None, "count": 0, "results": []}
    response = client.post("/api/v1/milestones")
    assert response.status_code == 405
