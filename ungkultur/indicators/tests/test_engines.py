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


@pytest.mark.django_db
def test_the_engines_agree_on_a_small_synthetic_nation():
    import io

    from django.core.management import call_command
    from django.db.models import Count

    from ungkultur.enrolment.models import Enrolment
    from ungkultur.municipalities.models import Municipality

    call_command(
        "generate_national", "--scale", "0.003", "--today", "2026-11-20", stdout=io.StringIO()
    )
    assert Enrolment.objects.filter(status="ended", end_reason="dropped_out").exists()
    terms = term_range(Term.parse("2024V"), Term.parse("2026H"))
    national = duck.compute(duck.load(), terms)
    by_size = Municipality.objects.annotate(n=Count("participants")).order_by("-n")
    for municipality in (by_size.first(), by_size.last(), by_size.get(code="3303")):
        alone = orm.compute(municipality, terms)
        assert alone == {cell: v for cell, v in national.items() if cell[0] == municipality.pk}
        assert alone[(municipality.pk, "2025V", "retention.kulturskole", "")][1] > 0
