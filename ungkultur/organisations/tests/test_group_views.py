import datetime

import pytest
from django.urls import reverse

from ungkultur.organisations.models import Membership

pytestmark = pytest.mark.django_db


def _url(group):
    return reverse("organisations:group_detail", args=[group.pk])


def test_public_page_shows_group_adults_and_youth_as_count(client, personas):
    response = client.get(_url(personas.a.project_group))
    assert response.status_code == 200
    assert "Lokal prosjektgruppe Arendal" in response.text
    assert "Lokal prosjektgruppe ·" in response.text
    assert reverse("organisations:municipality_detail", args=["4203"]) in response.text
    assert personas.leader_a.full_name in response.text
    assert "Prosjektleder" in response.text
    assert "fra 12. februar 2020" in response.text
    # The resource group's youth are members of the project group, shown only as a count.
    assert "1 ungdomsmedlem." in response.text
    assert "RessursA" not in response.text
    assert "Navn på ungdom vises ikke offentlig." in response.text
    assert "Legg til medlem" not in response.text
    assert "Kommende og tidligere medlemskap" not in response.text


def test_public_resource_group_page_shows_seats(client, personas):
    response = client.get(_url(personas.a.resource_group))
    assert "Gruppen har 5 plasser." in response.text
    assert "4 er ledige nå." in response.text
    assert "1 ungdomsmedlem." in response.text
    assert "RessursA" not in response.text


def test_staff_of_the_municipality_see_youth_by_first_name(client, personas):
    client.force_login(personas.teacher_a)
    response = client.get(_url(personas.a.resource_group))
    assert response.status_code == 200
    assert "RessursA" in response.text
    assert personas.youth_member_a.full_name not in response.text
    assert "fra 12. februar 2020" in response.text
    assert "Legg til medlem" not in response.text
    assert "Avslutt medlemskapet" not in response.text


def test_project_leader_sees_full_names_and_manage_buttons(client, personas):
    client.force_login(personas.leader_a)
    response = client.get(_url(personas.a.resource_group))
    assert personas.youth_member_a.full_name in response.text
    assert reverse("organisations:membership_add", args=[personas.a.resource_group.pk]) in (
        response.text
    )
    membership = Membership.objects.get(user=personas.youth_member_a)
    assert reverse("organisations:membership_end", args=[membership.pk]) in response.text


def test_project_group_lists_resource_group_youth_as_members(client, personas):
    client.force_login(personas.leader_a)
    response = client.get(_url(personas.a.project_group))
    assert personas.youth_member_a.full_name in response.text
    assert reverse("organisations:group_detail", args=[personas.a.resource_group.pk]) in (
        response.text
    )
    # Their membership is ended on the resource group's page, not here.
    membership = Membership.objects.get(user=personas.youth_member_a)
    assert reverse("organisations:membership_end", args=[membership.pk]) not in response.text
    assert Membership.objects.filter(group=personas.a.project_group).count() == 1


def test_ended_resource_group_youth_leaves_the_project_group(client, personas):
    Membership.objects.filter(user=personas.youth_member_a).update(end=datetime.date(2021, 1, 1))
    response = client.get(_url(personas.a.project_group))
    assert "0 ungdomsmedlemmer." in response.text


def test_member_list_shows_coming_and_past_memberships_to_those_who_may_see(client, personas):
    Membership.objects.create(
        group=personas.a.project_group,
        user=personas.teacher_a,
        role=Membership.Role.KULTURSKOLE_RECTOR,
        start=datetime.date(2020, 2, 12),
        end=datetime.date(2021, 2, 12),
    )
    client.force_login(personas.leader_a)
    response = client.get(_url(personas.a.project_group))
    assert "Kommende og tidligere medlemskap" in response.text
    assert "12. februar 2020 – 12. februar 2021" in response.text


def test_other_municipalitys_leader_sees_only_the_public_page(client, personas):
    client.force_login(personas.leader_b)
    response = client.get(_url(personas.a.resource_group))
    assert response.status_code == 200
    assert "RessursA" not in response.text
    assert "Legg til medlem" not in response.text


def test_national_group_page(client, personas):
    response = client.get(_url(personas.steering))
    assert response.status_code == 200
    assert "Styringsgruppen" in response.text
    assert personas.coordinator.full_name in response.text
    assert "nasjonal gruppe" in response.text


def test_unknown_group_is_404(client, personas):
    assert client.get(reverse("organisations:group_detail", args=[999999])).status_code == 404


def test_group_page_refuses_post(client, personas):
    client.force_login(personas.admin)
    assert client.post(_url(personas.a.project_group)).status_code == 405


def test_group_page_query_count_is_bounded(client, personas, django_assert_max_num_queries):
    for n in range(3):
        Membership.objects.create(
            group=personas.a.project_group,
            user=getattr(personas, ["teacher_a", "guardian_a", "admin"][n]),
            role=Membership.Role.MEMBER,
            start=datetime.date(2021, 1, 1),
        )
    client.force_login(personas.leader_a)
    # Session, user, the leader's national roles, memberships and unit roles, the group with
    # its municipality, the active memberships (own and the resource group's), the history.
    # And the unread notices beside "Min side" (counted here, then cached).
    with django_assert_max_num_queries(9):
        response = client.get(_url(personas.a.project_group))
    assert response.status_code == 200
    assert personas.guardian_a.full_name in response.text
