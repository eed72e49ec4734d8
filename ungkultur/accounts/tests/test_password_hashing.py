"""A password is hashed before the transaction that stores it: hashing takes most of a second on
purpose, and on SQLite a transaction holds the one writer the whole site shares (a guardian's
"Bekreft" answered "database is locked" three times of three beside the task worker)."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.utils import timezone

from ungkultur.accounts import services
from ungkultur.accounts.models import Gender, Guardianship

pytestmark = pytest.mark.django_db(transaction=True)  # no test transaction around the service


class RecordingHasher(MD5PasswordHasher):
    """Notes whether each hash was made inside a transaction."""

    inside = []

    def encode(self, password, salt):
        self.inside.append(connection.in_atomic_block)
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.RecordingHasher"]
    RecordingHasher.inside = []
    return RecordingHasher.inside


def register_child(personas):
    now = timezone.now()
    return services.youth_register(
        first_name="Nora",
        email="nora@example.org",
        password="Et-godt-passord-77",
        birth_year=timezone.localdate(now).year - 10,
        gender=Gender.FEMALE,
        municipality=personas.arendal,
        guardian_name="Mor Moe",
        guardian_email="mor@example.org",
        now=now,
    )


def test_sign_up_hashes_before_its_transaction(personas, hashes):
    child = register_child(personas)
    assert hashes == [False]
    assert child.check_password("Et-godt-passord-77")


def test_guardian_confirmation_hashes_before_its_transaction(personas, hashes):
    child = register_child(personas)
    hashes.clear()
    guardianship = Guardianship.objects.get(child=child)
    services.guardian_confirm(
        guardianship=guardianship, password="Foresatt-passord-2026", now=timezone.now()
    )
    assert hashes == [False]
    guardianship.refresh_from_db()
    assert guardianship.confirmed_at is not None
    assert guardianship.guardian.check_password("Foresatt-passord-2026")
