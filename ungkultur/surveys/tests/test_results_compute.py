"""The protected results computed from a plain frame (no database)."""

import datetime

import pytest

from ungkultur.surveys.results import (
    ALL,
    CHOICE,
    MULTIPLE,
    NUMBER,
    SKIPPED,
    TEXT,
    UNKNOWN,
    Dimension,
    Variable,
    compare_waves,
    frame_from_rows,
    table,
    tables,
)

DAY = datetime.date(2026, 10, 1)
CLUB = Variable("klubb", "Går du på klubb?", CHOICE, (("1", "Ja"), ("2", "Nei")))
GENDER = Variable("kjonn", "Er du …", CHOICE, (("1", "Jente"), ("2", "Gutt")), bank_key="gender")
ACTIVITIES = Variable("akt", "Aktiviteter", MULTIPLE, (("1", "Band"), ("2", "Dans")))
AGE = Variable("alder", "Alder", NUMBER)
WISH = Variable("onske", "Ønske", TEXT)
VARIABLES = [CLUB, GENDER, ACTIVITIES, AGE, WISH]
BY_GENDER = Dimension("gender", "Kjønn", "kjonn", GENDER.choices)
BY_MUNICIPALITY = Dimension("municipality", "Kommune", "municipality_id", ((1, "A"), (2, "B")))


def _frame(rows):
    return frame_from_rows([(m, DAY, answers) for m, answers in rows], VARIABLES)


def _people(count, municipality=1, **answers):
    return [(municipality, dict(answers))] * count


def test_frequencies_count_answers_and_those_who_did_not_answer():
    frame = _frame(_people(12, klubb="1") + _people(8, klubb="2") + _people(6))
    result = table(frame, CLUB, n=5)
    assert result.cells == {(ALL, "1"): 12, (ALL, "2"): 8, (ALL, SKIPPED): 6}
    assert result.row_totals[ALL] == 26
    assert result.percent(ALL, "1") == pytest.approx(100 * 12 / 26)


def test_a_small_answer_is_hidden_with_another_so_it_cannot_be_subtracted():
    frame = _frame(_people(3, klubb="1") + _people(30, klubb="2") + _people(9))
    result = table(frame, CLUB, n=5)
    assert result.cells[(ALL, "1")] is None
    # 42 respondents are shown: 42 − 30 − 9 would give the 3 away, so the 9 goes too.
    assert result.row_totals[ALL] == 42
    assert result.cells[(ALL, SKIPPED)] is None
    assert result.cells[(ALL, "2")] == 30
    assert result.percent(ALL, "1") is None


def test_crosstab_by_gender_hides_small_cells_and_what_would_reveal_them():
    frame = _frame(
        _people(3, klubb="1", kjonn="1")
        + _people(17, klubb="2", kjonn="1")
        + _people(2, klubb="1", kjonn="2")
        + _people(18, klubb="2", kjonn="2")
    )
    result = table(frame, CLUB, [BY_GENDER], n=5)
    assert [label for _key, label in result.rows] == ["Jente", "Gutt"]
    assert result.cells[("1", "1")] is None and result.cells[("2", "1")] is None
    # The margins are shown (20 girls, 20 boys, 5 who go to a club), so the 17 and 18 go.
    assert result.cells[("1", "2")] is None and result.cells[("2", "2")] is None
    assert result.row_totals == {"1": 20, "2": 20}
    assert result.column_totals["1"] == 5


def test_a_group_below_n_is_hidden_whole():
    frame = _frame(
        _people(20, municipality=1, klubb="1")
        + _people(20, municipality=1, klubb="2")
        + _people(2, municipality=2, klubb="1")
        + _people(1, municipality=2, klubb="2")
    )
    result = table(frame, CLUB, [BY_MUNICIPALITY], n=5)
    assert result.row_totals[2] is None
    assert result.cells[(2, "1")] is None and result.cells[(2, "2")] is None
    # The total (43) and A's 40 would give B's 3: A's total goes as well, or the grand total.
    assert None in (result.row_totals[1], result.total)


def test_unknown_groups_are_a_row_of_their_own():
    frame = _frame(_people(10, klubb="1", kjonn="1") + _people(10, klubb="2"))
    result = table(frame, CLUB, [BY_GENDER], n=5)
    assert [key for key, _label in result.rows] == ["1", UNKNOWN]
    assert result.rows[1][1] == "Ikke oppgitt"


def test_multiple_choice_is_protected_option_by_option():
    frame = _frame(
        _people(20, akt=["1"]) + _people(3, akt=["1", "2"]) + _people(10, akt=[]) + _people(7)
    )
    result = table(frame, ACTIVITIES, n=5)
    assert result.cells[(ALL, "1")] == 23
    # 3 chose dance: hidden; and the 37 who did not, since 40 − 7 − 37 would give the 3 back.
    assert result.cells[(ALL, "2")] is None
    assert result.row_totals[ALL] == 40


def test_number_questions_show_mean_and_median_only_on_n_answers():
    frame = _frame(
        _people(6, municipality=1, alder=14)
        + _people(4, municipality=1, alder=16)
        + _people(3, municipality=2, alder=18)
        + _people(8, municipality=3, alder=15)
    )
    result = table(frame, AGE, [BY_MUNICIPALITY], n=5)
    assert result.stats[1] == (14.8, 14.0)
    # B's three answers are hidden, and with them the next smallest count of the column (C's
    # eight): its mean could otherwise be worked back from the others.
    assert 2 not in result.stats
    assert 3 not in result.stats


def test_free_text_is_never_in_results():
    frame = _frame(_people(10, onske="Et ungdomshus"))
    assert WISH.name not in [t.variable.name for t in tables(frame, VARIABLES, n=5)]


def test_two_dimensions_make_one_row_per_combination():
    frame = _frame(
        _people(10, municipality=1, kjonn="1", klubb="1")
        + _people(10, municipality=2, kjonn="2", klubb="2")
    )
    result = table(frame, CLUB, [BY_MUNICIPALITY, BY_GENDER], n=5)
    assert [label for _key, label in result.rows] == ["A – Jente", "B – Gutt"]
    assert result.as_dict()["rows"][0]["group"] == {"municipality": 1, "gender": "1"}


def test_waves_are_compared_row_by_row():
    first = _frame(_people(10, klubb="1") + _people(10, klubb="2") + _people(6))
    second = _frame(_people(15, klubb="1") + _people(2, klubb="2") + _people(8))
    waves = [("base", "Baseline", first), ("follow", "Oppfølging", second)]
    result = compare_waves(waves, CLUB, n=5)
    assert [label for _key, label in result.rows] == ["Baseline", "Oppfølging"]
    assert result.cells[("base", "1")] == 10
    assert result.cells[("follow", "1")] == 15
    assert result.cells[("follow", "2")] is None
    assert result.row_totals == {"base": 26, "follow": 25}


def test_the_chart_has_the_table_numbers_and_gaps_for_hidden_ones():
    frame = _frame(_people(3, klubb="1") + _people(30, klubb="2") + _people(9))
    svg = str(table(frame, CLUB, n=5).chart())
    assert "skjult" in svg
    assert "71" in svg  # 30 of 42


def test_an_empty_wave_has_empty_tables():
    frame = _frame([])
    result = table(frame, CLUB, n=5)
    assert result.total == 0
    assert set(result.cells.values()) == {0}


def test_margins_in_all_tables_never_give_a_hidden_number_away():
    # Everything published about a table is its cells and margins: check them exhaustively.
    frame = _frame(
        _people(4, municipality=1, klubb="1", kjonn="1")
        + _people(9, municipality=1, klubb="2", kjonn="2")
        + _people(6, municipality=2, klubb="1", kjonn="2")
        + _people(1, municipality=2, klubb="2", kjonn="1")
    )
    result = table(frame, CLUB, [BY_MUNICIPALITY], n=5)
    for key, _label in result.rows:
        shown = [result.cells[(key, c)] for c, _l in result.columns]
        assert shown.count(None) != 1 or result.row_totals[key] is None
    for column, _label in result.columns:
        shown = [result.cells[(key, column)] for key, _l in result.rows]
        assert shown.count(None) != 1 or result.column_totals[column] is None
