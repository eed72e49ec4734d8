import datetime

import pytest
from django.urls import reverse

from ungkultur.organisations.models import Membership, Unit

pytestmark = pytest.mark.django_db


def _url(code="4203"):
    return reverse("api:municipality_organisation", args=[code])


def _groups(response):
    return {g["kind"]: g for g in response.json()["groups"]}


def test_anonymous_gets_units_and_counts_but_no_personal_data(client, personas):
    personas.a.kulturskole.organisation = personas.nkr
    personas.a.kulturskole.save()
    response = client.get(_url())
    assert response.status_code == 200
    data = response.json()
    assert data["municipality"] == {"code": "4203", "name": "Arendal"}
    assert {"kind": "kulturskole", "name": "Arendal kulturskole", "organisation": "NKR"} in (
        data["units"]
    )
    assert {"kind": "library", "name": "Arendal bibliotek", "organisation": None} in data["units"]
    groups = _groups(response)
    assert groups["youth_resource_group"] == {
        "id": personas.a.resource_group.pk,
        "kind": "youth_resource_group",
        "name": "Ressursgruppe ungdom Arendal",
        "seats": 5,
        "member_count": 1,
        "youth_count": 1,
    }
    # The resource group's youth count as members of the project group.
    assert groups["local_project_group"]["member_count"] == 2
    assert groups["local_project_group"]["youth_count"] == 1
    assert all("members" not in g for g in groups.values())
    assert b"Testesen" not in response.content
    assert b"RessursA" not in response.content


def test_project_leaders_token_sees_members_with_youth_names(client, personas, bearer):
    response = client.get(_url(), **bearer(personas.leader_a))
    assert response.status_code == 200
    groups = _groups(response)
    assert groups["youth_resource_group"]["members"] == [
        {
            "name": "RessursA Testesen",
            "role": "youth_member",
            "start": "2020-02-12",
            "end": None,
        }
    ]
    assert groups["local_project_group"]["members"] == [
        {"name": "LederA Testesen", "role": "project_leader", "start": "2020-02-12", "end": None},
        {"name": "RessursA Testesen", "role": "youth_member", "start": "2020-02-12", "end": None},
    ]
    assert response["Cache-Control"] == "private, no-store"


def test_staff_token_sees_youth_by_first_name_only(client, personas, bearer):
    response = client.get(_url(), **bearer(personas.teacher_a))
    members = _groups(response)["youth_resource_group"]["members"]
    assert members == [
        {"name": "RessursA", "role": "youth_member", "start": "2020-02-12", "end": None}
    ]


def test_other_municipalitys_leader_sees_no_members(client, personas, bearer):
    response = client.get(_url(), **bearer(personas.leader_b))
    assert response.status_code == 200
    assert all("members" not in g for g in _groups(response).values())
    assert b"RessursA" not in response.content
    # ...but the same token sees Sola's.
    sola = client.get(_url("1124"), **bearer(personas.leader_b))
    assert "members" in _groups(sola)["youth_resource_group"]


# Youth get no API tokens at all (identity/tests/test_staff_hardening.py).
@pytest.mark.parametrize("who", ["guardian_a", "researcher"])
def test_tokens_without_the_right_see_no_members(client, personas, bearer, who):
    response = client.get(_url(), **bearer(getattr(personas, who)))
    assert response.status_code == 200
    assert all("members" not in g for g in _groups(response).values())


def test_session_login_gives_no_members(client, personas):
    # The API answers to tokens only; a logged-in browser is anonymous here.
    client.force_login(personas.leader_a)
    response = client.get(_url())
    assert all("members" not in g for g in _groups(response).values())


def test_ended_memberships_are_not_listed(client, personas, bearer):
    Membership.objects.filter(user=personas.youth_member_a).update(end=datetime.date(2021, 1, 1))
    groups = _groups(client.get(_url(), **bearer(personas.leader_a)))
    assert groups["youth_resource_group"]["members"] == []
    assert groups["local_project_group"]["youth_count"] == 0


def test_old_code_gives_the_same_municipality(client):
    response = client.get(_url("3006"))
    assert response.status_code == 200
    assert response.json() == {
        "municipality": {"code": "3303", "name": "Kongsberg"},
        "units": [],
        "groups": [],
    }


def test_unknown_municipality_is_404_json(client):
    response = client.get(_url("9999"))
    assert response.status_code == 404
    assert response.json()["error"] == "Fant ingen kommune med nummeret 9999."


def test_post_is_405(client, personas, bearer):
    response = client.post(_url(), **bearer(personas.leader_a))
    assert response.status_code == 405
    assert "error" in response.json()


def test_query_count_is_bounded(client, personas, bearer, django_assert_max_num_queries):
    for n in range(10):
        Unit.objects.create(municipality=personas.arendal, kind=Unit.Kind.OTHER, name=f"Lag {n}")
    headers = bearer(personas.leader_a)
    # Token with its user; last_used_at; the municipality by number; units with organisation;
    # groups; active memberships with users and groups; the leader's national roles,
    # memberships and unit roles (once per request, for all groups).
    with django_assert_max_num_queries(9):
        response = client.get(_url(), **headers)
    assert len(response.json()["units"]) == personas.arendal.units.count()
