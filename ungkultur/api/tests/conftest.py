import pytest
from django.utils import timezone

from ungkultur.accounts.services import api_token_create


@pytest.fixture
def bearer(db):
    """Make a token for a user and return the headers a client sends with it."""

    def make(user):
        _token, raw = api_token_create(user=user, name="Test", now=timezone.now())
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make
