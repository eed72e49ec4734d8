"""A wave's responses read from the database: variables, chunks, snapshots."""

import polars as pl
import pytest
from django.db import connection

from ungkultur.surveys import results
from ungkultur.surveys.models import Response
from ungkultur.surveys.tests.results_data import DAY, a_mixed_wave, add_responses, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.UNGKULTUR_SURVEY_FILES_DIR = str(tmp_path)


@pytest.fixture
def wave(personas):
    _survey, (wave,) = make_survey(personas.researcher)
    a_mixed_wave(wave, personas.arendal, personas.sola)
    return wave


def _expected(wave, variables):
    rows = Response.objects.filter(wave=wave).order_by("pk")
    return results.frame_from_rows(
        [(r.municipality_id, r.submitted_on, r.answers) for r in rows], variables
    )


def test_variables_follow_the_questionnaire_with_grid_items_in_place(wave):
    variables = results.variables_for(wave.survey.questionnaire)
    names = [v.name for v in variables]
    assert names[:3] == ["kjonn", "trinn", "alder"]
    assert names[-4:] == ["moteplass_inne", "moteplass_trygg", "moteplass_medvirke", "onske"]
    kinds = {v.name: v.kind for v in variables}
    assert kinds["aktiviteter"] == results.MULTIPLE
    assert kinds["alder"] == results.NUMBER
    assert kinds["onske"] == results.TEXT
    assert dict(variables[0].choices)["1"] == "Jente"


def test_dimensions_offer_background_and_choice_questions(wave):
    variables = results.variables_for(wave.survey.questionnaire)
    dims = results.dimensions_for(variables, answers=True)
    assert {"municipality", "gender", "grade", "age", "klubb_bruk"} <= set(dims)
    # An open wave's results are split by background only (publication.py).
    assert set(results.dimensions_for(variables)) == {"municipality", "gender", "grade", "age"}
    assert dims["gender"].column == "kjonn"
    # A coordinator of one municipality is not offered a split by municipality.
    assert "municipality" not in results.dimensions_for(variables, [wave.pk])


@pytest.mark.parametrize("chunk_rows", [1, 5, 20000])
def test_the_chunks_hold_every_response_as_stored(wave, chunk_rows):
    variables = results.variables_for(wave.survey.questionnaire)
    chunks = list(results.response_chunks(wave, variables, chunk_rows=chunk_rows))
    frame = pl.concat(chunks).drop("pk")
    assert frame.height == 33
    # How each response came in and its language ride along for the research exports.
    assert frame.get_column(results.CHANNEL).to_list() == ["code"] * 33
    assert frame.get_column(results.LANGUAGE).to_list() == [None] * 33
    frame = frame.drop(results.CHANNEL, results.LANGUAGE)
    assert frame.equals(_expected(wave, variables))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_gives_the_same_frame_as_reading_row_by_row(wave):
    variables = results.variables_for(wave.survey.questionnaire)
    by_copy = pl.concat(list(results._chunks_postgresql(wave, variables, 7)))
    by_rows = pl.concat(list(results._chunks_python(wave, variables, 7)))
    assert by_copy.equals(by_rows)


def test_the_snapshot_gives_the_same_numbers_as_the_database(wave, personas):
    variables = results.variables_for(wave.survey.questionnaire)
    frame, fresh = results.wave_frame(wave, variables)
    assert fresh
    assert results.snapshot_path(wave).exists()
    dims = results.dimensions_for(variables)
    for by in ([], [dims["municipality"]], [dims["gender"]], [dims["age"]]):
        from_snapshot = [t.as_dict() for t in results.tables(frame, variables, by, n=5)]
        direct = results.tables(_expected(wave, variables), variables, by, n=5)
        assert from_snapshot == [t.as_dict() for t in direct]


def test_a_new_response_makes_the_snapshot_out_of_date_and_it_is_rewritten(wave, personas):
    variables = results.variables_for(wave.survey.questionnaire)
    frame, _fresh = results.wave_frame(wave, variables)
    assert frame.height == 33
    add_responses(wave, personas.sola, 1, kjonn="1", day=DAY)
    frame, fresh = results.wave_frame(wave, variables)
    assert fresh and results._snapshot_stamp(results.snapshot_path(wave))["count"] == 34
    # One response alone is not published: a comparison before and after would show it.
    assert frame.height == 33
    add_responses(wave, personas.sola, 4, kjonn="1", day=DAY)
    frame, fresh = results.wave_frame(wave, variables)
    assert frame.height == 38  # five alike: every group they belong to grew by five


def test_a_large_wave_out_of_date_is_refreshed_by_the_task(wave, personas, settings):
    settings.UNGKULTUR_SURVEY_INLINE_SNAPSHOT_MAX = 10
    variables = results.variables_for(wave.survey.questionnaire)
    frame, fresh = results.wave_frame(wave, variables)
    # The task ran at once in the tests; the page read the snapshot it wrote.
    assert frame.height == 33
    assert results._snapshot_stamp(results.snapshot_path(wave))["count"] == 33


def test_protected_tables_are_cached_until_a_response_comes(
    wave, personas, django_assert_max_num_queries
):
    variables = results.variables_for(wave.survey.questionnaire)
    dims = results.dimensions_for(variables)
    first, respondents, fresh = results.wave_tables(wave, variables, [dims["gender"]])
    assert respondents == 33 and fresh
    # From the cache: one query for the stamp (count and newest), none for the answers.
    with django_assert_max_num_queries(1):
        again, _n, _fresh = results.wave_tables(wave, variables, [dims["gender"]])
    assert [t.as_dict() for t in again] == [t.as_dict() for t in first]
    add_responses(wave, personas.sola, 5, kjonn="2", day=DAY)
    _tables, respondents, _fresh = results.wave_tables(wave, variables, [dims["gender"]])
    assert respondents == 38
