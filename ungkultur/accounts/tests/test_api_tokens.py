import datetime
import hashlib
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from ungkultur.accounts.models import ApiToken
from ungkultur.accounts.selectors import user_for_api_token
from ungkultur.accounts.services import api_token_create, api_token_revoke
from ungkultur.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
LATER = NOW + datetime.timedelta(hours=2)


def test_create_stores_only_prefix_and_hash(personas):
    token, raw = api_token_create(user=personas.leader_a, name="Rapport", now=NOW)
    token.refresh_from_db()
    assert token.prefix == raw[:8]
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.created_at == NOW
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in [str(v) for v in stored.values()]
    assert AuditEntry.objects.filter(action="api_token.created", actor=personas.leader_a).exists()


def test_create_needs_a_name(personas):
    with pytest.raises(ValidationError):
        api_token_create(user=personas.leader_a, name="  ", now=NOW)
    assert not ApiToken.objects.exists()


def test_lookup_finds_the_owner_and_records_use(personas):
    token, raw = api_token_create(user=personas.leader_a, name="Rapport", now=NOW)
    assert user_for_api_token(raw, now=LATER) == personas.leader_a
    token.refresh_from_db()
    assert token.last_used_at == LATER


@pytest.mark.parametrize("raw", ["", "ukjent", "x" * 43])
def test_lookup_of_unknown_token_is_none(personas, raw):
    api_token_create(user=personas.leader_a, name="Rapport", now=NOW)
    assert user_for_api_token(raw, now=LATER) is None


def test_revoked_token_no_longer_works(personas):
    token, raw = api_token_create(user=personas.leader_a, name="Rapport", now=NOW)
    api_token_revoke(actor=personas.leader_a, token=token, now=LATER)
    token.refresh_from_db()
    assert token.revoked_at == LATER
    assert user_for_api_token(raw, now=LATER) is None
    assert AuditEntry.objects.filter(action="api_token.revoked").count() == 1
    with pytest.raises(ValidationError):
        api_token_revoke(actor=personas.leader_a, token=token, now=LATER)


def test_token_of_inactive_user_does_not_work(personas):
    _token, raw = api_token_create(user=personas.leader_a, name="Rapport", now=NOW)
    personas.leader_a.is_active = False
    personas.leader_a.save()
    assert user_for_api_token(raw, now=LATER) is None


def test_only_the_owner_may_revoke(personas):
    token, _raw = api_token_create(user=personas.leader_a, name="Rapport", now=NOW)
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=personas.leader_b, token=token, now=LATER)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_command_prints_the_token_once(personas):
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_token", "Leder.A@example.org", "--name", "Eksport", stdout=out, stderr=err
    )
    raw = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.user == personas.leader_a
    assert token.name == "Eksport"
    assert token.prefix == raw[:8]
    assert user_for_api_token(raw, now=NOW) == personas.leader_a
    assert raw not in err.getvalue()


def test_command_refuses_unknown_user(db):
    with pytest.raises(CommandError, match="No user with the e-mail address 'ingen@example.org'"):
        call_command("create_api_token", "ingen@example.org", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_command_refuses_inactive_user(personas):
    personas.leader_a.is_active = False
    personas.leader_a.save()
    with pytest.raises(CommandError, match="not active"):
        call_command("create_api_token", "leder.a@example.org", stdout=StringIO())
