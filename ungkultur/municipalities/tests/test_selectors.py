import datetime

import pytest

from ungkultur.municipalities.models import Municipality, PopulationCell
from ungkultur.municipalities.selectors import (
    codes_valid_on,
    municipality_by_any_code,
    population,
)

pytestmark = pytest.mark.django_db


def cell(code, year, sex, age, persons):
    return PopulationCell.objects.create(code=code, year=year, sex=sex, age=age, persons=persons)


@pytest.fixture
def kongsberg():
    return Municipality.objects.get(code="3303")


def test_old_and_new_number_find_the_same_municipality(kongsberg):
    assert municipality_by_any_code("3006") == kongsberg
    assert municipality_by_any_code("3303") == kongsberg


def test_unknown_number_finds_nothing():
    assert municipality_by_any_code("9999") is None


def test_kongsberg_had_3006_until_the_end_of_2023(kongsberg):
    assert codes_valid_on(kongsberg, datetime.date(2023, 12, 31)) == ["3006"]
    assert codes_valid_on(kongsberg, datetime.date(2024, 1, 1)) == ["3303"]


def test_municipality_without_number_history_uses_its_code(kongsberg):
    kongsberg.codes.all().delete()
    assert codes_valid_on(kongsberg, datetime.date(2024, 1, 1)) == ["3303"]


def test_kongsberg_population_is_read_under_the_number_of_the_year(kongsberg):
    cell("3006", 2023, 1, 13, 320)
    cell("3006", 2023, 2, 13, 310)
    cell("3303", 2024, 1, 13, 325)
    cell("3303", 2024, 2, 13, 315)
    # Cells under the number that was not in use that year are not counted.
    cell("3303", 2023, 1, 13, 1000)
    cell("3006", 2024, 1, 13, 1000)
    assert population(kongsberg, year=2023, age_from=13, age_to=13) == 630
    assert population(kongsberg, year=2024, age_from=13, age_to=13) == 640


def test_population_counts_both_ends_of_the_age_band():
    arendal = Municipality.objects.get(code="4203")
    for age, persons in [(12, 1), (13, 10), (16, 100), (19, 1000), (20, 10000)]:
        cell("4203", 2024, 1, age, persons)
    assert population(arendal, year=2024, age_from=13, age_to=19) == 1110


def test_population_by_sex():
    sola = Municipality.objects.get(code="1124")
    cell("1124", 2024, 1, 15, 300)
    cell("1124", 2024, 2, 15, 290)
    assert population(sola, year=2024, age_from=15, age_to=15, sex=2) == 290
    assert population(sola, year=2024, age_from=15, age_to=15) == 590


def test_population_without_data_is_none_not_zero():
    sola = Municipality.objects.get(code="1124")
    cell("1124", 2023, 1, 15, 300)
    assert population(sola, year=2024, age_from=13, age_to=19) is None
