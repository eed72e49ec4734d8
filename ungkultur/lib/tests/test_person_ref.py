import hashlib
import hmac

import pytest
from django.core.exceptions import ImproperlyConfigured

from ungkultur.lib.person_ref import person_ref_hash


def test_hash_is_hmac_sha256_of_municipality_and_ref():
    expected = hmac.new(b"k", b"4203:elev-17", hashlib.sha256).hexdigest()
    assert person_ref_hash("4203", "elev-17", key="k") == expected
    assert len(expected) == 64


def test_hash_never_contains_the_reference():
    digest = person_ref_hash("4203", "12345", key="k")
    assert "12345" not in digest
    assert digest != hashlib.sha256(b"4203:12345").hexdigest()  # not a plain, guessable hash


def test_same_person_in_another_municipality_gets_another_hash():
    assert person_ref_hash("4203", "17", key="k") != person_ref_hash("1124", "17", key="k")


def test_another_key_gives_another_hash():
    assert person_ref_hash("4203", "17", key="k1") != person_ref_hash("4203", "17", key="k2")


def test_key_comes_from_settings(settings):
    settings.UNGKULTUR_PERSON_REF_KEY = "from-settings"
    assert person_ref_hash("4203", "17") == person_ref_hash("4203", "17", key="from-settings")


def test_missing_key_is_refused(settings):
    settings.UNGKULTUR_PERSON_REF_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        person_ref_hash("4203", "17")
