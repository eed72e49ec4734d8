import pytest
from django.urls import reverse

from ungkultur.municipalities.models import Municipality
from ungkultur.onboarding import selectors
from ungkultur.onboarding.tests.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["admin", "coordinator"])
def test_national_roles_see_how_far_each_kk_municipality_has_come(client, personas, now, who):
    client.force_login(getattr(personas, who))
    page = client.get(reverse("onboarding:overview"))
    assert page.status_code == 200
    states = selectors.checklist_states([personas.arendal.pk], now=NOW)[personas.arendal.pk]
    done = sum(states[key] for key, _title in selectors.STEPS)
    assert 'data-code="4203"' in page.text
    assert f"{done} av 11" in page.text
    assert 'data-code="1124"' in page.text
    # A municipality outside KK is not listed.
    assert 'data-code="1804"' not in page.text
    assert reverse("onboarding:checklist", args=["4203"]) in page.text


def test_a_municipality_switched_off_leaves_the_overview(client, personas, now):
    Municipality.objects.filter(code="1124").update(kk_active=False)
    client.force_login(personas.admin)
    page = client.get(reverse("onboarding:overview"))
    assert 'data-code="1124"' not in page.text
    assert 'data-code="4203"' in page.text


@pytest.mark.parametrize("who", ["leader_a", "rector_a", "teacher_a", "youth_a", "researcher"])
def test_others_may_not_see_the_overview(client, personas, now, who):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("onboarding:overview")).status_code == 403


def test_anonymous_is_sent_to_login(client, personas):
    assert client.get(reverse("onboarding:overview")).status_code == 302


def test_the_overview_costs_the_same_queries_for_any_number_of_municipalities(
    client, personas, now, django_assert_num_queries
):
    client.force_login(personas.admin)
    client.get(reverse("onboarding:overview"))
    Municipality.objects.filter(code__in=["1804", "0301", "4601"]).update(kk_active=True)
    # session, user, roles (3), municipalities, 11 step queries, population 3
    with django_assert_num_queries(20):
        page = client.get(reverse("onboarding:overview"))
    assert 'data-code="1804"' in page.text


def test_the_national_page_links_to_the_overview_for_national_roles(client, personas):
    client.force_login(personas.coordinator)
    assert reverse("onboarding:overview") in client.get(reverse("organisations:national")).text
    client.force_login(personas.leader_a)
    assert reverse("onboarding:overview") not in client.get(reverse("organisations:national")).text
