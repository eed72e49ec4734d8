"""Password messages in the page's language: Django's own minimum-length message had no bokmål
or nynorsk and showed in English."""

import pytest
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils import translation


def _messages(password):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    return error.value.messages


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_short_password_is_refused_in_norwegian(language):
    with translation.override(language):
        messages = _messages("kort7")
        assert not any("This password" in m for m in messages), messages
        assert not any("This password" in m for m in password_validators_help_texts())
    if language == "nb":
        with translation.override("nb"):
            assert "Passordet er for kort. Det må ha minst 8 tegn." in _messages("kort7")


def test_the_rule_is_unchanged():
    validate_password("lang-nok-passord-8")  # long enough, not common, not numeric
    with translation.override("nb"):
        assert any("minst 8 tegn" in m for m in _messages("1234567"))
