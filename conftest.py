import pytest
from django.core.cache import cache

from ungkultur.testing import make_personas


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the catalogue keeps pages there)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def personas(db):
    return make_personas()
