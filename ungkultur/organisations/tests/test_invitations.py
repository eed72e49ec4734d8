"""Invitations by e-mail: the national administrator invites the project leader, the project leader
(and a unit's leader, for their unit's other roles) invites the rest; the account is made when the
invitation is accepted. Every refusal says why in Norwegian and changes nothing."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ungkultur.accounts.models import User
from ungkultur.core.models import AuditEntry
from ungkultur.municipalities.models import Municipality
from ungkultur.municipalities.services import municipality_set_kk
from ungkultur.organisations.invitations import invitation_create
from ungkultur.organisations.models import Group, Invitation, Membership, UnitStaff
from ungkultur.testing import make_user

pytestmark = pytest.mark.django_db

NEW = "ny.person@example.org"
PASSWORD = "Et-langt-passord-9"


def _create_url(code="4203"):
    return reverse("organisations:invitation_create", args=[code])


def _link(message) -> str:
    """The path of the accept link in an invitation e-mail."""
    match = re.search(r"https?://[^/\s]+(/invitasjon/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _invite(client, actor, data, *, code="4203", capture):
    client.force_login(actor)
    with capture(execute=True):
        return client.post(_create_url(code), data)


def _bodo_on(personas):
    bodo = Municipality.objects.get(code="1804")
    municipality_set_kk(
        actor=personas.admin, municipality=bodo, active=True, today=timezone.localdate(), reason="x"
    )
    return bodo


def _snapshot():
    return (
        Invitation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        UnitStaff.objects.count(),
        Group.objects.count(),
        AuditEntry.objects.count(),
        len(mail.outbox),
    )


# --- The project leader, invited by the national administrator ----------------------------------


def test_admin_invites_the_project_leader_of_a_new_municipality_who_makes_an_account(
    client, personas, django_capture_on_commit_callbacks
):
    bodo = _bodo_on(personas)
    response = _invite(
        client,
        personas.admin,
        {
            "email": "Prosjekt.Leder@Bodo.example",
            "first_name": "Pia",
            "last_name": "Prosjekt",
            "target": "group:local_project_group",
            "role": "group:project_leader",
        },
        code="1804",
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:invitation_list", args=["1804"])
    invitation = Invitation.objects.get()
    assert invitation.email == "prosjekt.leder@bodo.example"
    assert invitation.group.kind == Group.Kind.LOCAL_PROJECT_GROUP
    assert invitation.group.municipality == bodo
    assert invitation.invited_by == personas.admin
    assert AuditEntry.objects.filter(action="group.created", actor=personas.admin).count() == 1
    created = AuditEntry.objects.get(action="invitation.created")
    assert created.actor == personas.admin
    assert created.changes["role"] == "project_leader"
    assert "prosjekt.leder" not in created.object_repr  # no e-mail address in the audit text
    assert not User.objects.filter(email__iexact="prosjekt.leder@bodo.example").exists()
    (message,) = mail.outbox
    assert message.to == ["prosjekt.leder@bodo.example"]
    assert "prosjektleder" in message.subject
    link = _link(message)

    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert "Lag kontoen din" in page.text
    assert 'value="Pia"' in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            link,
            {
                "first_name": "Pia",
                "last_name": "Prosjekt",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:municipality_detail", args=["1804"])
    user = User.objects.get(email="prosjekt.leder@bodo.example")
    assert user.check_password(PASSWORD)
    assert user.full_name == "Pia Prosjekt"
    membership = Membership.objects.get(user=user)
    assert membership.role == Membership.Role.PROJECT_LEADER
    assert membership.group == invitation.group
    assert membership.start == timezone.localdate()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert AuditEntry.objects.get(action="invitation.accepted").actor == user
    assert AuditEntry.objects.get(action="user.created_by_invitation").actor == user
    assert AuditEntry.objects.get(action="membership.created").actor == personas.admin
    # Logged in as the new project leader, who may now invite the rest.
    assert client.get(_create_url("1804")).status_code == 200


def test_a_used_link_does_nothing_the_second_time(
    client, personas, django_capture_on_commit_callbacks
):
    _invite(
        client,
        personas.leader_a,
        {"email": NEW, "target": f"unit:{personas.a.club.pk}", "role": "unit:youth_worker"},
        capture=django_capture_on_commit_callbacks,
    )
    link = _link(mail.outbox[0])
    client.logout()
    data = {"first_name": "Ny", "last_name": "P", "password1": PASSWORD, "password2": PASSWORD}
    assert client.post(link, data).status_code == 302
    client.logout()
    before = _snapshot()
    response = client.post(link, {**data, "password1": "Annet-passord-77", "password2": "x"})
    assert response.status_code == 410
    assert "Invitasjonen er allerede brukt" in response.text
    assert _snapshot() == before
    assert User.objects.get(email=NEW).check_password(PASSWORD)


def test_an_expired_link_says_so_and_makes_no_account(
    client, personas, django_capture_on_commit_callbacks
):
    _invite(
        client,
        personas.leader_a,
        {"email": NEW, "target": f"unit:{personas.a.club.pk}", "role": "unit:youth_worker"},
        capture=django_capture_on_commit_callbacks,
    )
    link = _link(mail.outbox[0])
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    client.logout()
    before = _snapshot()
    assert client.get(link).status_code == 410
    response = client.post(
        link, {"first_name": "Ny", "last_name": "P", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 410
    assert "Invitasjonen har gått ut" in response.text
    assert _snapshot() == before


def test_an_invitation_lasts_fourteen_days(client, personas, django_capture_on_commit_callbacks):
    _invite(
        client,
        personas.leader_a,
        {"email": NEW, "target": f"unit:{personas.a.club.pk}", "role": "unit:youth_worker"},
        capture=django_capture_on_commit_callbacks,
    )
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)
    # The e-mail gives the day in Oslo (the next day from 23:00 or 22:00 UTC).
    assert timezone.localdate(invitation.expires_at).strftime("%-d.") in mail.outbox[0].body


def test_a_tampered_link_is_refused(client, personas, django_capture_on_commit_callbacks):
    _invite(
        client,
        personas.leader_a,
        {"email": NEW, "target": f"unit:{personas.a.club.pk}", "role": "unit:youth_worker"},
        capture=django_capture_on_commit_callbacks,
    )
    link = _link(mail.outbox[0])
    client.logout()
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    response = client.post(
        tampered,
        {"first_name": "Ny", "last_name": "P", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 400
    assert "Lenken er ikke gyldig" in response.text
    assert not User.objects.filter(email=NEW).exists()


def test_resend_makes_the_old_link_useless(client, personas, django_capture_on_commit_callbacks):
    _invite(
        client,
        personas.leader_a,
        {"email": NEW, "target": f"unit:{personas.a.club.pk}", "role": "unit:youth_worker"},
        capture=django_capture_on_commit_callbacks,
    )
    old = _link(mail.outbox[0])
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisations:invitation_resend", args=[invitation.pk]))
    assert response.status_code == 302
    new = _link(mail.outbox[1])
    assert new != old
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    entry = AuditEntry.objects.get(action="invitation.resent")
    assert entry.actor == personas.leader_a
    client.logout()
    assert client.get(old).status_code == 410
    assert client.get(new).status_code == 200


def test_revoked_link_is_refused(client, personas, django_capture_on_commit_callbacks):
    _invite(
        client,
        personas.leader_a,
        {"email": NEW, "target": f"unit:{personas.a.club.pk}", "role": "unit:youth_worker"},
        capture=django_capture_on_commit_callbacks,
    )
    link = _link(mail.outbox[0])
    invitation = Invitation.objects.get()
    client.post(reverse("organisations:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEntry.objects.get(action="invitation.revoked").actor == personas.leader_a
    # Revoked twice: a message, no second audit row.
    client.post(reverse("organisations:invitation_revoke", args=[invitation.pk]))
    assert AuditEntry.objects.filter(action="invitation.revoked").count() == 1
    # Nor can it be resent.
    client.post(reverse("organisations:invitation_resend", args=[invitation.pk]))
    assert not AuditEntry.objects.filter(action="invitation.resent").exists()
    client.logout()
    response = client.get(link)
    assert response.status_code == 410
    assert "trukket tilbake" in response.text


@pytest.mark.parametrize("who", ["teacher_a", "youth_a", "youth_member_a", "researcher"])
@pytest.mark.parametrize("action", ["invitation_resend", "invitation_revoke"])
def test_others_may_not_resend_or_revoke(client, personas, who, action):
    invitation = invitation_create(
        actor=personas.leader_a,
        municipality=personas.arendal,
        email=NEW,
        unit=personas.a.club,
        unit_role="youth_worker",
        now=timezone.now(),
    )
    client.force_login(getattr(personas, who))
    expected = 404 if who == "researcher" else 403
    assert client.post(reverse(f"organisations:{action}", args=[invitation.pk])).status_code == (
        expected
    )
    invitation.refresh_from_db()
    assert invitation.is_open and invitation.send_count == 1


def test_another_municipalitys_leader_gets_404_on_resend(client, personas):
    invitation = invitation_create(
        actor=personas.leader_a,
        municipality=personas.arendal,
        email=NEW,
        unit=personas.a.club,
        unit_role="youth_worker",
        now=timezone.now(),
    )
    client.force_login(personas.leader_b)
    response = client.post(reverse("organisations:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 404
    assert Invitation.objects.get().is_open


# --- Who may invite ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["teacher_a", "youth_a", "youth_member_a", "coordinator"])
def test_non_leaders_get_403(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(_create_url()).status_code == 403
    assert client.get(reverse("organisations:staff_list", args=["4203"])).status_code == 403
    response = client.post(
        _create_url(),
        {"email": NEW, "target": f"unit:{personas.a.club.pk}", "role": "unit:youth_worker"},
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", ["leader_b", "rector_b", "teacher_b", "researcher"])
def test_another_municipality_gets_404(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(_create_url()).status_code == 404
    assert client.get(reverse("organisations:staff_list", args=["4203"])).status_code == 404
    assert not Invitation.objects.exists()


def test_anonymous_is_sent_to_login(client, personas):
    response = client.get(_create_url())
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_only_a_national_admin_invites_a_project_leader(
    client, personas, django_capture_on_commit_callbacks
):
    before = _snapshot()
    response = _invite(
        client,
        personas.leader_a,
        {"email": NEW, "target": "group:local_project_group", "role": "group:project_leader"},
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert "Velg en rolle du kan gi." in response.text
    assert _snapshot() == before
    with pytest.raises(PermissionDenied):
        invitation_create(
            actor=personas.leader_a,
            municipality=personas.arendal,
            email=NEW,
            group_kind=Group.Kind.LOCAL_PROJECT_GROUP,
            membership_role=Membership.Role.PROJECT_LEADER,
            now=timezone.now(),
        )


def test_inviting_to_another_municipalitys_unit_is_refused(
    client, personas, django_capture_on_commit_callbacks
):
    before = _snapshot()
    response = _invite(
        client,
        personas.leader_a,
        {"email": NEW, "target": f"unit:{personas.b.club.pk}", "role": "unit:youth_worker"},
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert "Velg en gruppe eller enhet i Arendal som du kan invitere til." in response.text
    assert _snapshot() == before
    with pytest.raises(ValidationError) as error:
        invitation_create(
            actor=personas.admin,
            municipality=personas.arendal,
            email=NEW,
            unit=personas.b.club,
            unit_role="youth_worker",
            now=timezone.now(),
        )
    assert error.value.message_dict == {"unit": ["Enheten hører til en annen kommune."]}
    assert _snapshot() == before


def test_a_teacher_is_not_a_rector(client, personas, django_capture_on_commit_callbacks):
    """The rector invites the kulturskole's teachers, not another rector, nor into the club."""
    client.force_login(personas.rector_a)
    page = client.get(_create_url())
    assert page.status_code == 200
    assert personas.a.kulturskole.name in page.text
    assert personas.a.club.name not in page.text
    assert "Lokal prosjektgruppe" not in page.text
    before = _snapshot()
    for target, role in [
        (f"unit:{personas.a.kulturskole.pk}", "unit:rector"),
        (f"unit:{personas.a.club.pk}", "unit:youth_worker"),
        ("group:youth_resource_group", "group:youth_member"),
    ]:
        response = _invite(
            client,
            personas.rector_a,
            {"email": NEW, "target": target, "role": role},
            capture=django_capture_on_commit_callbacks,
        )
        assert response.status_code == 400, (target, role)
    assert _snapshot() == before
    response = _invite(
        client,
        personas.rector_a,
        {"email": NEW, "target": f"unit:{personas.a.kulturskole.pk}", "role": "unit:teacher"},
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert Invitation.objects.get().unit_role == "teacher"
    # The teacher invites nobody.
    client.force_login(personas.teacher_a)
    assert client.get(_create_url()).status_code == 403


def test_nobody_invites_themself(client, personas, django_capture_on_commit_callbacks):
    before = _snapshot()
    response = _invite(
        client,
        personas.leader_a,
        {
            "email": "LEDER.A@example.org",
            "target": f"unit:{personas.a.club.pk}",
            "role": "unit:club_leader",
        },
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 403
    assert "Du kan ikke gi deg selv en rolle" in response.text
    assert _snapshot() == before


@pytest.mark.parametrize(
    "email,message",
    [
        ("ikke-en-epost", "Oppgi en gyldig e-postadresse"),
        ("", "Feltet er påkrevet."),
    ],
)
def test_a_bad_email_is_refused(
    client, personas, django_capture_on_commit_callbacks, email, message
):
    before = _snapshot()
    response = _invite(
        client,
        personas.leader_a,
        {"email": email, "target": f"unit:{personas.a.club.pk}", "role": "unit:youth_worker"},
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert message in response.text
    assert _snapshot() == before


def test_an_unknown_youth_email_is_refused(client, personas, django_capture_on_commit_callbacks):
    before = _snapshot()
    response = _invite(
        client,
        personas.leader_a,
        {
            "email": "ukjent@example.org",
            "target": "group:youth_resource_group",
            "role": "group:youth_member",
        },
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert "Ingen ungdom er registrert med denne e-postadressen" in response.text
    assert _snapshot() == before


def test_a_youth_from_another_municipality_is_refused(
    client, personas, django_capture_on_commit_callbacks
):
    before = _snapshot()
    response = _invite(
        client,
        personas.leader_a,
        {
            "email": personas.youth_b.email,
            "target": "group:youth_resource_group",
            "role": "group:youth_member",
        },
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert "Ungdomsmedlemmer må bo i Arendal" in response.text
    assert _snapshot() == before


def test_a_second_open_invitation_is_refused(client, personas, django_capture_on_commit_callbacks):
    data = {"email": NEW, "target": f"unit:{personas.a.club.pk}", "role": "unit:youth_worker"}
    _invite(client, personas.leader_a, data, capture=django_capture_on_commit_callbacks)
    before = _snapshot()
    response = _invite(client, personas.leader_a, data, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "har allerede en åpen invitasjon" in response.text
    assert _snapshot() == before


def test_someone_with_the_role_already_is_refused(
    client, personas, django_capture_on_commit_callbacks
):
    before = _snapshot()
    response = _invite(
        client,
        personas.leader_a,
        {
            "email": personas.teacher_a.email,
            "target": f"unit:{personas.a.kulturskole.pk}",
            "role": "unit:teacher",
        },
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert "har allerede en rolle i Arendal kulturskole" in response.text
    assert _snapshot() == before


def test_a_municipality_out_of_kk_gets_no_invitations(
    client, personas, django_capture_on_commit_callbacks
):
    Municipality.objects.filter(code="1804").update(kk_active=False)
    before = _snapshot()
    response = _invite(
        client,
        personas.admin,
        {"email": NEW, "target": "group:local_project_group", "role": "group:project_leader"},
        code="1804",
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert "Bodø er ikke med i koordinert kulturarbeid" in response.text
    assert _snapshot() == before


# --- Accepting -----------------------------------------------------------------------------------


def test_an_existing_account_logs_in_to_accept(
    client, personas, django_capture_on_commit_callbacks
):
    chief = make_user("kultursjef@example.org", first_name="Kari", municipality=personas.arendal)
    _invite(
        client,
        personas.leader_a,
        {
            "email": chief.email,
            "target": "group:local_project_group",
            "role": "group:culture_chief",
        },
        capture=django_capture_on_commit_callbacks,
    )
    link = _link(mail.outbox[0])
    client.logout()
    page = client.get(link)
    assert "Logg inn for å godta" in page.text
    assert "Lag kontoen din" not in page.text
    # Posting without logging in changes nothing (no account is made over the existing one).
    before = _snapshot()
    client.post(link, {"first_name": "X", "password1": PASSWORD, "password2": PASSWORD})
    assert _snapshot() == before
    # Logged in as somebody else: refused.
    client.force_login(personas.teacher_a)
    assert client.post(link).status_code == 403
    assert _snapshot() == before
    client.force_login(chief)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 302
    membership = Membership.objects.get(user=chief)
    assert membership.role == Membership.Role.CULTURE_CHIEF
    assert membership.group == personas.a.project_group


def test_mismatched_passwords_make_no_account(client, personas, django_capture_on_commit_callbacks):
    _invite(
        client,
        personas.leader_a,
        {"email": NEW, "target": f"unit:{personas.a.club.pk}", "role": "unit:youth_worker"},
        capture=django_capture_on_commit_callbacks,
    )
    link = _link(mail.outbox[0])
    client.logout()
    response = client.post(
        link,
        {"first_name": "Ny", "last_name": "P", "password1": PASSWORD, "password2": "Annet-9x"},
    )
    assert response.status_code == 400
    assert "Passordene er ikke like." in response.text
    assert not User.objects.filter(email=NEW).exists()
    assert Invitation.objects.get().is_open


def test_unit_role_from_an_accepted_invitation(
    client, personas, django_capture_on_commit_callbacks
):
    _invite(
        client,
        personas.rector_a,
        {"email": NEW, "target": f"unit:{personas.a.kulturskole.pk}", "role": "unit:teacher"},
        capture=django_capture_on_commit_callbacks,
    )
    link = _link(mail.outbox[0])
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            link,
            {"first_name": "Ny", "last_name": "P", "password1": PASSWORD, "password2": PASSWORD},
        )
    staff = UnitStaff.objects.get(user__email=NEW)
    assert staff.unit == personas.a.kulturskole
    assert staff.role == UnitStaff.Role.TEACHER
    entry = AuditEntry.objects.get(action="unitstaff.created")
    assert entry.changes["granted_by"] == personas.rector_a.pk
    assert entry.actor == staff.user


def test_accepting_after_the_inviter_lost_the_right_is_refused(
    client, personas, django_capture_on_commit_callbacks
):
    _invite(
        client,
        personas.rector_a,
        {"email": NEW, "target": f"unit:{personas.a.kulturskole.pk}", "role": "unit:teacher"},
        capture=django_capture_on_commit_callbacks,
    )
    link = _link(mail.outbox[0])
    UnitStaff.objects.filter(user=personas.rector_a).update(end=timezone.localdate())
    client.logout()
    response = client.post(
        link, {"first_name": "Ny", "last_name": "P", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 403
    assert "kan ikke lenger gi denne rollen" in response.text
    assert not User.objects.filter(email=NEW).exists()
    assert not UnitStaff.objects.filter(user__email=NEW).exists()


def test_youth_accept_on_min_side(client, personas, django_capture_on_commit_callbacks):
    _invite(
        client,
        personas.leader_a,
        {
            "email": personas.youth_a.email,
            "target": "group:youth_resource_group",
            "role": "group:youth_member",
        },
        capture=django_capture_on_commit_callbacks,
    )
    (message,) = mail.outbox
    assert "Min side" in message.body
    link = _link(message)
    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert "svare på invitasjonen på Min side" in page.text
    assert "Lag kontoen din" not in page.text
    before = _snapshot()
    client.post(link, {"first_name": "X", "password1": PASSWORD, "password2": PASSWORD})
    assert _snapshot() == before
    client.force_login(personas.youth_a)
    assert client.get(link)["Location"] == reverse("mypage:index")
    mypage = client.get(reverse("mypage:index"))
    assert "Invitasjoner til deg" in mypage.text
    invitation = Invitation.objects.get()
    accept = reverse("organisations:invitation_accept_own", args=[invitation.pk])
    assert accept in mypage.text
    # Nobody else accepts it for them.
    client.force_login(personas.youth_b)
    assert client.post(accept).status_code == 404
    client.force_login(personas.youth_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(accept)
    assert response.status_code == 302
    membership = Membership.objects.get(user=personas.youth_a)
    assert membership.role == Membership.Role.YOUTH_MEMBER
    assert membership.group == personas.a.resource_group
    assert "Invitasjoner til deg" not in client.get(reverse("mypage:index")).text
    # Accepting twice: a message, nothing more.
    before = _snapshot()
    client.post(accept)
    assert _snapshot() == before


# --- The people page -----------------------------------------------------------------------------


def test_the_people_page_lists_staff_and_open_invitations(client, personas):
    invitation_create(
        actor=personas.leader_a,
        municipality=personas.arendal,
        email=NEW,
        unit=personas.a.club,
        unit_role="youth_worker",
        now=timezone.now(),
    )
    client.force_login(personas.leader_a)
    page = client.get(reverse("organisations:staff_list", args=["4203"]))
    assert page.status_code == 200
    for name in ["LærerA", "RektorA", "KlubbA", "UkmA", NEW]:
        assert name in page.text
    assert "LærerB" not in page.text
    # The rector sees the kulturskole's people only.
    client.force_login(personas.rector_a)
    page = client.get(reverse("organisations:staff_list", args=["4203"]))
    assert "LærerA" in page.text
    assert "KlubbA" not in page.text
    assert NEW not in page.text


def test_the_people_page_query_count_does_not_grow(client, personas, django_assert_max_num_queries):
    def invite(n):
        for i in range(n):
            invitation_create(
                actor=personas.leader_a,
                municipality=personas.arendal,
                email=f"p{n}-{i}@example.org",
                unit=personas.a.club,
                unit_role="youth_worker",
                now=timezone.now(),
            )
            invitation_create(
                actor=personas.leader_a,
                municipality=personas.arendal,
                email=f"g{n}-{i}@example.org",
                group_kind=Group.Kind.LOCAL_PROJECT_GROUP,
                membership_role=Membership.Role.ADVISER,
                now=timezone.now(),
            )

    client.force_login(personas.leader_a)
    url = reverse("organisations:staff_list", args=["4203"])
    invite(1)
    client.get(url)
    # session, user, roles (national, memberships, units), municipality, staff, invitations,
    # whether there is a project leader, the municipality's units for the base template.
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    invite(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_new_staff_account_needs_a_staff_password(
    client, personas, django_capture_on_commit_callbacks
):
    _invite(
        client,
        personas.leader_a,
        {"email": NEW, "target": f"unit:{personas.a.club.pk}", "role": "unit:youth_worker"},
        capture=django_capture_on_commit_callbacks,
    )
    link = _link(mail.outbox[0])
    client.logout()
    short = "Kort-pass9"  # 10 characters: enough for youth, not for staff
    response = client.post(
        link, {"first_name": "Ny", "last_name": "P", "password1": short, "password2": short}
    )
    assert response.status_code == 400
    assert "minst 12 tegn" in response.text
    assert not User.objects.filter(email=NEW).exists()
