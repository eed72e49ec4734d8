import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.organisations.models import Membership

pytestmark = pytest.mark.django_db

MANAGERS = ["admin", "coordinator", "leader_a"]
NOT_ALLOWED = ["teacher_a", "youth_a", "youth_member_a"]


def _add_url(group):
    return reverse("organisations:membership_add", args=[group.pk])


def _end_url(membership):
    return reverse("organisations:membership_end", args=[membership.pk])


def _youth_data(personas, **overrides):
    return {
        "email": personas.youth_a.email,
        "role": "youth_member",
        "start": "2025-08-01",
        "end": "",
        **overrides,
    }


def _youth_member_a(personas):
    return Membership.objects.get(user=personas.youth_member_a)


# --- Add a member ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", MANAGERS)
def test_managers_add_a_youth_member(client, personas, who, django_capture_on_commit_callbacks):
    client.force_login(getattr(personas, who))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_add_url(personas.a.resource_group), _youth_data(personas))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "organisations:group_detail", args=[personas.a.resource_group.pk]
    )
    membership = Membership.objects.get(user=personas.youth_a)
    assert membership.group == personas.a.resource_group
    assert membership.start == datetime.date(2025, 8, 1)
    assert membership.end is None
    entry = AuditEntry.objects.get(action="membership.created")
    assert entry.actor == getattr(personas, who)
    assert entry.changes["user"] == personas.youth_a.pk
    assert mail.outbox[0].to == [personas.youth_a.email]


def test_add_finds_the_person_whatever_the_case_of_the_email(client, personas):
    client.force_login(personas.leader_a)
    data = _youth_data(personas, email="UNGDOM.A@Example.org", end="2026-08-01")
    response = client.post(_add_url(personas.a.resource_group), data)
    assert response.status_code == 302
    assert Membership.objects.get(user=personas.youth_a).end == datetime.date(2026, 8, 1)


def test_add_shows_success_message_on_group_page(client, personas):
    client.force_login(personas.leader_a)
    response = client.post(_add_url(personas.a.resource_group), _youth_data(personas), follow=True)
    assert "UngdomA Testesen er lagt til i Ressursgruppe ungdom Arendal." in response.text


def test_add_form_offers_roles_and_today(client, personas):
    client.force_login(personas.leader_a)
    response = client.get(_add_url(personas.a.project_group))
    assert response.status_code == 200
    assert 'type="date"' in response.text
    assert f'value="{timezone.localdate().isoformat()}"' in response.text
    assert '<option value="culture_chief">' in response.text
    assert '<label class="ds-label" for="id_email">' in response.text


def test_add_form_for_resource_group_offers_only_youth_member(client, personas):
    client.force_login(personas.leader_a)
    response = client.get(_add_url(personas.a.resource_group))
    assert '<option value="youth_member">' in response.text
    assert '<option value="culture_chief">' not in response.text


def test_coordinator_adds_member_to_national_group(client, personas):
    client.force_login(personas.coordinator)
    data = {"email": personas.leader_a.email, "role": "member", "start": "2025-08-01"}
    response = client.post(_add_url(personas.steering), data)
    assert response.status_code == 302
    assert Membership.objects.filter(group=personas.steering, user=personas.leader_a).exists()


def test_local_leader_may_not_manage_national_group(client, personas):
    client.force_login(personas.leader_a)
    data = {"email": personas.leader_a.email, "role": "member", "start": "2025-08-01"}
    response = client.post(_add_url(personas.steering), data)
    assert response.status_code == 403
    assert not Membership.objects.filter(group=personas.steering, user=personas.leader_a).exists()


def test_other_municipalitys_leader_gets_404(client, personas):
    client.force_login(personas.leader_b)
    assert client.get(_add_url(personas.a.resource_group)).status_code == 404
    response = client.post(_add_url(personas.a.resource_group), _youth_data(personas))
    assert response.status_code == 404
    assert not Membership.objects.filter(user=personas.youth_a).exists()


@pytest.mark.parametrize("who", NOT_ALLOWED)
def test_others_in_the_municipality_get_403(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(_add_url(personas.a.resource_group)).status_code == 403
    response = client.post(_add_url(personas.a.resource_group), _youth_data(personas))
    assert response.status_code == 403
    assert not Membership.objects.filter(user=personas.youth_a).exists()
    assert not AuditEntry.objects.exists()


def test_anonymous_is_sent_to_login_to_add(client, personas):
    response = client.post(_add_url(personas.a.resource_group), _youth_data(personas))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not Membership.objects.filter(user=personas.youth_a).exists()


def test_add_refuses_put(client, personas):
    client.force_login(personas.admin)
    assert client.put(_add_url(personas.a.resource_group)).status_code == 405


def test_unknown_group_is_404(client, personas):
    client.force_login(personas.admin)
    assert client.get(reverse("organisations:membership_add", args=[999999])).status_code == 404


def _assert_add_rejected(client, personas, data, message, group=None):
    client.force_login(personas.leader_a)
    before = Membership.objects.count()
    response = client.post(_add_url(group or personas.a.resource_group), data)
    assert response.status_code == 400
    assert message in response.text
    assert Membership.objects.count() == before
    assert not AuditEntry.objects.exists()
    assert not mail.outbox
    return response


def test_unknown_email_is_400_and_keeps_the_input(client, personas):
    data = _youth_data(personas, email="ingen@example.org")
    response = _assert_add_rejected(
        client, personas, data, "Fant ingen bruker med denne e-postadressen"
    )
    assert 'value="ingen@example.org"' in response.text
    assert 'value="2025-08-01"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'aria-describedby="id_email_helptext id_email_error"' in response.text
    assert 'id="id_email_error"' in response.text
    assert "Noe må rettes før du kan lagre" in response.text


def test_inactive_user_is_not_found(client, personas):
    personas.youth_a.is_active = False
    personas.youth_a.save()
    _assert_add_rejected(
        client, personas, _youth_data(personas), "Fant ingen bruker med denne e-postadressen"
    )


def test_bad_date_is_400(client, personas):
    _assert_add_rejected(
        client, personas, _youth_data(personas, start="1. august"), "Oppgi en gyldig dato."
    )


def test_end_before_start_is_400(client, personas):
    data = _youth_data(personas, end="2025-07-01")
    response = _assert_add_rejected(
        client, personas, data, "Sluttdatoen må være etter startdatoen."
    )
    assert 'id="id_end_error"' in response.text


def test_youth_outside_13_to_19_is_400(client, personas):
    data = _youth_data(personas, email=personas.child_a.email)
    _assert_add_rejected(client, personas, data, "Ungdomsmedlemmer må være mellom 13 og 19 år.")


def test_youth_from_other_municipality_is_400(client, personas):
    data = _youth_data(personas, email=personas.youth_b.email)
    _assert_add_rejected(client, personas, data, "Ungdomsmedlemmer må bo i Arendal.")


def test_adult_role_in_resource_group_is_400(client, personas):
    data = _youth_data(personas, role="member")
    _assert_add_rejected(client, personas, data, "Velg et gyldig valg.")


def test_overlapping_membership_is_400(client, personas):
    data = _youth_data(personas, email=personas.youth_member_a.email)
    _assert_add_rejected(
        client, personas, data, "Personen er allerede medlem av gruppen i denne perioden."
    )


def test_full_resource_group_is_400(client, personas):
    for n in range(4):
        youth = personas.youth_a.__class__.objects.create_user(
            f"ung{n}@example.org",
            "x",
            first_name=f"Ung{n}",
            birth_year=2011,
            municipality=personas.arendal,
        )
        Membership.objects.create(
            group=personas.a.resource_group,
            user=youth,
            role=Membership.Role.YOUTH_MEMBER,
            start=datetime.date(2025, 1, 1),
        )
    _assert_add_rejected(
        client, personas, _youth_data(personas), "Ressursgruppen har ingen ledige plasser"
    )


# --- End a membership -----------------------------------------------------------------------


def test_end_page_asks_for_confirmation_with_today(client, personas):
    client.force_login(personas.leader_a)
    response = client.get(_end_url(_youth_member_a(personas)))
    assert response.status_code == 200
    assert personas.youth_member_a.full_name in response.text
    assert f'value="{timezone.localdate().isoformat()}"' in response.text
    assert _youth_member_a(personas).end is None


@pytest.mark.parametrize("who", MANAGERS)
def test_managers_end_a_membership(client, personas, who):
    client.force_login(getattr(personas, who))
    response = client.post(_end_url(_youth_member_a(personas)), {"end": "2025-08-01"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "organisations:group_detail", args=[personas.a.resource_group.pk]
    )
    assert _youth_member_a(personas).end == datetime.date(2025, 8, 1)
    entry = AuditEntry.objects.get(action="membership.ended")
    assert entry.actor == getattr(personas, who)
    assert entry.changes["end"] == "2025-08-01"


def test_ended_member_is_gone_from_group_page(client, personas):
    client.force_login(personas.leader_a)
    today = timezone.localdate().isoformat()
    response = client.post(_end_url(_youth_member_a(personas)), {"end": today}, follow=True)
    assert "Medlemskapet til RessursA Testesen i Ressursgruppe ungdom Arendal er avsluttet." in (
        response.text
    )
    assert "0 ungdomsmedlemmer." in response.text


def test_other_municipalitys_leader_gets_404_on_end(client, personas):
    client.force_login(personas.leader_b)
    assert client.get(_end_url(_youth_member_a(personas))).status_code == 404
    response = client.post(_end_url(_youth_member_a(personas)), {"end": "2025-08-01"})
    assert response.status_code == 404
    assert _youth_member_a(personas).end is None


@pytest.mark.parametrize("who", NOT_ALLOWED)
def test_others_in_the_municipality_get_403_on_end(client, personas, who):
    client.force_login(getattr(personas, who))
    response = client.post(_end_url(_youth_member_a(personas)), {"end": "2025-08-01"})
    assert response.status_code == 403
    assert _youth_member_a(personas).end is None
    assert not AuditEntry.objects.exists()


def test_anonymous_is_sent_to_login_to_end(client, personas):
    response = client.post(_end_url(_youth_member_a(personas)), {"end": "2025-08-01"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert _youth_member_a(personas).end is None


def test_end_refuses_delete(client, personas):
    client.force_login(personas.admin)
    assert client.delete(_end_url(_youth_member_a(personas))).status_code == 405
    assert _youth_member_a(personas).end is None


def test_unknown_membership_is_404(client, personas):
    client.force_login(personas.admin)
    response = client.get(reverse("organisations:membership_end", args=[999999]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "end, message",
    [
        ("2020-02-12", "Sluttdatoen må være etter startdatoen 12. februar 2020."),
        ("", "Feltet er påkrevet."),
        ("snart", "Oppgi en gyldig dato."),
    ],
)
def test_bad_end_is_400(client, personas, end, message):
    client.force_login(personas.leader_a)
    response = client.post(_end_url(_youth_member_a(personas)), {"end": end})
    assert response.status_code == 400
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert _youth_member_a(personas).end is None
    assert not AuditEntry.objects.exists()
