"""The two engines give the same raw cells, municipality by municipality (SQLite and
PostgreSQL: run the suite with DATABASE_URL for the second)."""

import pytest

from ungkultur.indicators.engine import duck, finalise, orm
from ungkultur.indicators.tests.data import build
from ungkultur.lib.terms import Term, term_range

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
def test_a_range_longer_than_one_pass_is_computed_in_parts_with_the_same_cells():
    k = build()
    terms = term_range(Term.parse("2019V"), Term.parse("2025H"))
    assert len(terms) > duck.MAX_TERMS
    national = duck.compute(duck.load(), terms)
    for municipality in (k.kongsberg, k.arendal):
        alone = orm.compute(municipality, terms)
        assert alone == {cell: v for cell, v in national.items() if cell[0] == municipality.pk}
    # The parts meet between 2024V and 2024H: retention into 2024H still sees 2024V.
    assert national[(k.kongsberg.pk, "2024H", "retention.kulturskole", "")][1] > 0


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
    tables = duck.load()
    national = duck.compute(tables, terms)
    shown = _published(duck.published(tables, terms))
    by_size = Municipality.objects.annotate(n=Count("participants")).order_by("-n")
    for municipality in (by_size.first(), by_size.last(), by_size.get(code="3303")):
        alone = orm.compute(municipality, terms)
        assert alone == {cell: v for cell, v in national.items() if cell[0] == municipality.pk}
        assert alone[(municipality.pk, "2025V", "retention.kulturskole", "")][1] > 0
        published = finalise(alone)
        assert {c: tuple(v) for c, v in published.items()} == {
            c: v for c, v in shown.items() if c[0] == municipality.pk
        }


def _published(table) -> dict:
    return {
        (r["municipality_id"], r["term"], r["key"], r["breakdown"]): (
            r["numerator"],
            r["denominator"],
            r["value"],
            r["n"],
            r["suppressed"],
            r["missing"],
        )
        for r in table.to_pylist()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("min_n", [2, 5])
def test_disclosure_control_in_duckdb_matches_the_python_one(min_n):
    k = build()
    national = _published(duck.published(duck.load(), TERMS, min_n=min_n))
    for municipality in (k.kongsberg, k.arendal):
        alone = finalise(orm.compute(municipality, TERMS), min_n=min_n)
        assert {c: tuple(v) for c, v in alone.items()} == {
            c: v for c, v in national.items() if c[0] == municipality.pk
        }
    suppressed = [c for c, v in national.items() if c[0] == k.kongsberg.pk and v[4]]
    assert suppressed
