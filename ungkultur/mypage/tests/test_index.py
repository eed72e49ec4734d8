import datetime

import pytest
from django.urls import reverse

from ungkultur.accounts.models import Guardianship
from ungkultur.accounts.services import api_token_create, consent_give
from ungkultur.organisations.models import Membership
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db

URL = reverse("mypage:index")
NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_index_is_get_only(client, personas):
    client.force_login(personas.youth_a)
    assert client.post(URL).status_code == 405


def test_youth_sees_own_details(client, personas):
    client.force_login(personas.youth_a)
    response = client.get(URL)
    assert response.status_code == 200
    text = response.text
    assert "UngdomA Testesen" in text
    assert "ungdom.a@example.org" in text
    assert "Arendal" in text
    assert ">2011<" in text
    assert "Vil ikke oppgi" in text
    assert "Du har ingen roller ennå" in text
    assert "API-nøkler" not in text


def test_staff_without_birth_year_sees_no_birth_year(client, personas):
    client.force_login(personas.leader_a)
    response = client.get(URL)
    assert "Fødselsår" not in response.text


def test_leader_sees_membership_with_role_group_and_term(client, personas):
    client.force_login(personas.leader_a)
    response = client.get(URL)
    assert "Prosjektleder" in response.text
    assert "Lokal prosjektgruppe Arendal" in response.text
    assert "12. februar 2020" in response.text
    assert "løpende" in response.text


def test_youth_member_sees_resource_group(client, personas):
    client.force_login(personas.youth_member_a)
    response = client.get(URL)
    assert "Ungdomsmedlem" in response.text
    assert "Ressursgruppe ungdom Arendal" in response.text


def test_ended_membership_is_not_shown(client, personas):
    Membership.objects.filter(user=personas.youth_member_a).update(end=datetime.date(2021, 1, 1))
    client.force_login(personas.youth_member_a)
    response = client.get(URL)
    assert "Ressursgruppe ungdom Arendal" not in response.text


def test_teacher_and_national_roles_are_shown(client, personas):
    client.force_login(personas.teacher_a)
    response = client.get(URL)
    assert "Lærer" in response.text
    assert "Arendal kulturskole" in response.text
    client.force_login(personas.coordinator)
    response = client.get(URL)
    assert "Nasjonal koordinator" in response.text
    assert "Norsk kulturskoleråd" in response.text
    assert "Styringsgruppen" in response.text


def test_guardian_sees_confirmed_children_and_their_consents(client, personas):
    consent_give(actor=personas.guardian_a, subject=personas.child_a, purpose="photo", now=NOW)
    client.force_login(personas.guardian_a)
    response = client.get(URL)
    assert "Barna dine" in response.text
    assert "BarnA" in response.text
    assert "Født 2015" in response.text
    assert "Bilder og film" in response.text
    assert "Foresatt (ForesattA Testesen)" in response.text


def test_unconfirmed_child_is_not_shown(client, personas):
    personas.guardian_a.children_links.update(confirmed_at=None)
    client.force_login(personas.guardian_a)
    response = client.get(URL)
    # An adult always sees "Barna dine" (to add a child), but not a child whose link waits.
    children = response.text.split('id="children-heading"')[1].split("</section>")[0]
    assert "BarnA" not in response.text
    assert "Her kan du legge til barna dine" in children


def test_consents_show_purpose_status_grantor_date_and_version(client, personas):
    consent_give(actor=personas.youth_a, subject=personas.youth_a, purpose="photo", now=NOW)
    client.force_login(personas.youth_a)
    response = client.get(URL)
    assert "Bilder og film" in response.text
    assert "Gitt" in response.text
    assert "Personen selv (UngdomA Testesen)" in response.text
    assert "1. mars 2026" in response.text
    assert "2026-12" in response.text
    assert reverse("mypage:consent_withdraw", args=[1]).rsplit("/", 3)[0] in response.text


def test_query_count_is_bounded(client, personas, django_assert_max_num_queries):
    sibling = make_user("barn2.a@example.org", first_name="Barn2", birth_year=2017)
    Guardianship.objects.create(guardian=personas.guardian_a, child=sibling, confirmed_at=NOW)
    for child in (personas.child_a, sibling):
        for purpose in ("photo", "sharing", "registration"):
            consent_give(actor=personas.guardian_a, subject=child, purpose=purpose, now=NOW)
    consent_give(actor=personas.guardian_a, subject=personas.guardian_a, purpose="photo", now=NOW)
    api_token_create(user=personas.guardian_a, name="A", now=NOW)
    api_token_create(user=personas.guardian_a, name="B", now=NOW)
    client.force_login(personas.guardian_a)
    # session, user, the user's municipality; confirmed children; consents of the user and
    # the children with their grantors; memberships, unit roles, national roles; live tokens;
    # roles_for behind the api-token rule (national roles, memberships, unit roles), and, as the
    # rule says no, ModelBackend's user and group permissions; the open enrolments of the user
    # and the children (Mine aktiviteter); whether there is anything of participation to show
    # (proposals or notices) and the user's municipality for it; upcoming meeting registrations
    # and open action items; measures the user owns, orders to evaluate and (for national
    # coordinators) their organisations; invitations waiting for the user's e-mail; answers to
    # the user's comments on survey drafts; the children's places in youth resource groups (a
    # naming decision to link to). The same with more children, consents or tokens.
    with django_assert_max_num_queries(25):
        response = client.get(URL)
    assert response.status_code == 200
    assert "Barn2" in response.text
    assert response.text.count("Bilder og film") >= 3
