"""The reference data of counties, municipalities and their numbers, as the migration loads it
and as tests that empty the database load it again."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ungkultur.municipalities.models import County, Municipality, MunicipalityCode
from ungkultur.municipalities.reference import load_municipalities


@pytest.mark.django_db
def test_the_migration_loaded_every_municipality_and_the_numbers_they_had():
    assert County.objects.count() == 15
    assert Municipality.objects.count() == 357
    kongsberg = Municipality.objects.get(code="3303")
    assert {(c.code, c.valid_from, c.valid_until) for c in kongsberg.codes.all()} == {
        ("3303", datetime.date(2024, 1, 1), None),
        ("3006", None, datetime.date(2024, 1, 1)),
    }


@pytest.mark.django_db
def test_loading_again_changes_nothing_and_fills_in_what_is_missing_in_a_few_queries():
    before = set(MunicipalityCode.objects.values_list("code", "municipality__code"))
    MunicipalityCode.objects.filter(code__in=["3006", "4203"]).delete()
    Municipality.objects.filter(code="5001").delete()
    with CaptureQueriesContext(connection) as queries:
        load_municipalities(County, Municipality, MunicipalityCode)
    assert len(queries) <= 10
    assert set(MunicipalityCode.objects.values_list("code", "municipality__code")) == before
    assert Municipality.objects.count() == 357
    with CaptureQueriesContext(connection) as queries:
        load_municipalities(County, Municipality, MunicipalityCode)
    assert not [q for q in queries if q["sql"].startswith("INSERT")]
