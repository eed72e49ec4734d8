import pytest

from ungkultur.testing import make_personas


@pytest.fixture
def personas(db):
    return make_personas()
