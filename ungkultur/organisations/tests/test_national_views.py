import datetime

import pytest
from django.urls import reverse

from ungkultur.municipalities.models import Municipality
from ungkultur.organisations.models import Group, Membership, Organisation
from ungkultur.testing import START, make_user

pytestmark = pytest.mark.django_db

URL = reverse("organisations:national")


@pytest.fixture
def national(personas):
    """The seed's national structure: three owners and the four national groups."""
    Organisation.objects.create(name="Ungdom og Fritid", short_name="UoF", slug="uof")
    Organisation.objects.create(name="UKM Norge", short_name="UKM", slug="ukm")
    steering = personas.steering
    reference = Group.objects.create(
        kind=Group.Kind.REFERENCE_GROUP, name="Barne- og ungdomskulturnettverket"
    )
    forum = Group.objects.create(kind=Group.Kind.PROJECT_LEADER_FORUM, name="Prosjektlederforum")
    leader_group = Group.objects.create(
        kind=Group.Kind.PROJECT_LEADER_GROUP, name="Prosjektledergruppen"
    )
    director = make_user("direktor@example.org", first_name="Direktør", last_name="Nasjonal")
    Membership.objects.create(
        group=steering, user=director, role=Membership.Role.DIRECTOR, start=START
    )
    main_leader = make_user("hoved@example.org", first_name="Hoved", last_name="Prosjektleder")
    Membership.objects.create(
        group=forum, user=main_leader, role=Membership.Role.MAIN_PROJECT_LEADER, start=START
    )
    Membership.objects.create(
        group=leader_group, user=personas.leader_a, role=Membership.Role.PROJECT_LEADER, start=START
    )
    Membership.objects.create(
        group=reference,
        user=personas.youth_member_a,
        role=Membership.Role.YOUTH_MEMBER,
        start=START,
    )
    return {"reference": reference, "forum": forum, "leader_group": leader_group}


def test_national_page_shows_owners_groups_and_members(client, national, personas):
    response = client.get(URL)
    assert response.status_code == 200
    for name in ["Norsk kulturskoleråd", "Ungdom og Fritid", "UKM Norge"]:
        assert name in response.text
    text = response.text
    # The seed's order: steering group, reference group, project leader forum and group.
    positions = [
        text.index(name)
        for name in [
            "Styringsgruppen",
            "Barne- og ungdomskulturnettverket",
            "Prosjektlederforum",
            "Prosjektledergruppen",
        ]
    ]
    assert positions == sorted(positions)
    assert "Direktør Nasjonal, representant for eierorganisasjon" in text
    assert "Hoved Prosjektleder, hovedprosjektleder" in text
    assert f"{personas.coordinator.full_name}, medlem" in text
    assert reverse("organisations:group_detail", args=[national["forum"].pk]) in text


def test_youth_in_a_national_group_are_only_counted(client, national, personas):
    client.force_login(personas.admin)
    response = client.get(URL)
    assert "1 ungdomsmedlem." in response.text
    assert "RessursA" not in response.text


def test_ended_national_membership_is_not_shown(client, national, personas):
    Membership.objects.filter(group=personas.steering, user=personas.coordinator).update(
        end=datetime.date(2021, 1, 1)
    )
    response = client.get(URL)
    assert f"{personas.coordinator.full_name}, medlem" not in response.text


def test_national_page_lists_kk_municipalities_with_project_leaders(client, national, personas):
    Municipality.objects.filter(code="5028").update(kk_active=True)
    response = client.get(URL)
    text = response.text
    assert reverse("organisations:municipality_detail", args=["4203"]) in text
    assert reverse("organisations:municipality_detail", args=["1124"]) in text
    assert personas.leader_a.full_name in text
    assert personas.leader_b.full_name in text
    # Melhus is in KK but has no project leader yet.
    assert "Melhus" in text
    assert "Ikke valgt ennå" in text
    assert "Kongsberg" not in text


def test_national_page_query_count_is_bounded(
    client, national, personas, django_assert_max_num_queries
):
    Municipality.objects.filter(code__in=["5028", "1563", "3303"]).update(kk_active=True)
    # Organisations; national groups; their active memberships with users; the KK
    # municipalities with county; their project leaders with users.
    with django_assert_max_num_queries(5):
        response = client.get(URL)
    assert response.status_code == 200


def test_national_page_refuses_post(client):
    assert client.post(URL).status_code == 405


def test_national_page_links_plans_for_all_and_follow_up_for_coordinators(client, personas):
    url = reverse("organisations:national")
    anonymous = client.get(url).text
    assert reverse("planning:milestone_plan") in anonymous
    assert reverse("meetings:national_events") in anonymous
    assert reverse("planning:overview") not in anonymous
    assert reverse("indicators:national") not in anonymous
    client.force_login(personas.coordinator)
    page = client.get(url).text
    assert reverse("planning:overview") in page and reverse("indicators:national") in page
    assert reverse("surveys:index") in page and reverse("surveys:index") not in anonymous
