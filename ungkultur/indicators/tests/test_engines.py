"""The two engines give the same raw cells, municipality by municipality (SQLite and
PostgreSQL: run the suite with DATABASE_URL for the second)."""

import pytest

from ungkultur.indicators.engine import duck, orm
from ungkultur.indicators.terms import Term, term_range
from ungkultur.indicators.tests.data import build

TERMS = term_range(Term.parse("2023H"), Term.parse("2024H"))


@pytest.mark.django_db
def test_one_municipality_and_all_at_once_agree():
    k = build()
    national = duck.compute(duck.load(), TERMS)
    for municipality in (k.kongsberg, k.arendal):
        alone = orm.compute(municipality, TERMS)
        mine = {cell: v for cell, v in national.items() if cell[0] == municipality.pk}
        assert alone == mine
