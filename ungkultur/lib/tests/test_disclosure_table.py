"""suppress_table: no hidden number of a published two-way table can be worked out from the
numbers shown beside it (cells, row totals, column totals, grand total)."""

import random

import numpy as np
import pytest

from ungkultur.lib.disclosure import TOTAL, suppress_table


def _determined(table) -> set:
    """The hidden numbers that the shown numbers fix exactly, by linear algebra: x is fixed
    when its unit vector lies in the row space of the sum equations over the hidden numbers."""
    hidden = sorted(table.hidden(), key=repr)
    if not hidden:
        return set()
    index = {key: i for i, key in enumerate(hidden)}
    equations = []
    for r in [*table.rows, TOTAL]:
        line = [(r, c) for c in table.columns] + [(r, TOTAL)]
        equations.append(line)
    for c in [*table.columns, TOTAL]:
        line = [(r, c) for r in table.rows] + [(TOTAL, c)]
        equations.append(line)
    matrix = []
    for line in equations:
        # The last position of a line is its total: cells − total = 0.
        row = np.zeros(len(hidden))
        for key in line[:-1]:
            if key in index:
                row[index[key]] += 1
        if line[-1] in index:
            row[index[line[-1]]] -= 1
        matrix.append(row)
    matrix = np.array(matrix)
    rank = np.linalg.matrix_rank(matrix)
    fixed = set()
    for key, i in index.items():
        unit = np.zeros(len(hidden))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            fixed.add(key)
    return fixed


def _table(rows):
    return {(r, c): count for r, counts in rows.items() for c, count in enumerate(counts)}


def test_large_counts_are_all_shown():
    table = suppress_table(_table({"F": [10, 20], "M": [30, 40]}), n=5)
    assert table.hidden() == set()
    assert table.row_totals == {"F": 30, "M": 70}
    assert table.column_totals == {0: 40, 1: 60}
    assert table.total == 100


def test_a_small_cell_takes_cells_in_its_row_and_column_with_it():
    # Girls and boys × "bullied": with all margins shown, a lone hidden 3 would be 20 − 17.
    table = suppress_table(_table({"F": [3, 17], "M": [2, 18]}), n=5)
    assert table.cells == {("F", 0): None, ("F", 1): None, ("M", 0): None, ("M", 1): None}
    assert table.row_totals == {"F": 20, "M": 20}
    assert table.column_totals == {0: 5, 1: 35}
    assert _determined(table) == set()


def test_the_margin_derivation_case():
    # Only one small cell; the row total and the column total would each give it away.
    table = suppress_table(_table({"A": [3, 40, 50], "B": [30, 40, 50], "C": [30, 40, 50]}), n=5)
    assert table.cells[("A", 0)] is None
    assert sum(value is None for value in [table.cells[("A", c)] for c in (1, 2)]) >= 1
    assert sum(table.cells[(r, 0)] is None for r in ("B", "C")) >= 1
    assert _determined(table) == set()
    # What is still shown adds up: nothing shown contradicts the data.
    assert table.total == 333


def test_a_small_row_total_is_hidden_with_its_cells():
    table = suppress_table(_table({"small": [1, 2], "big": [40, 50], "other": [30, 30]}), n=5)
    assert table.row_totals["small"] is None
    assert table.cells[("small", 0)] is None and table.cells[("small", 1)] is None
    # The small row's total would be the grand total minus the other rows: one of those goes.
    assert _determined(table) == set()


def test_zeros_stay_shown():
    table = suppress_table(_table({"F": [0, 30], "M": [0, 40]}), n=5)
    assert table.cells[("F", 0)] == 0
    assert table.hidden() == set()


def test_a_whole_table_below_n_is_hidden():
    table = suppress_table(_table({"F": [1, 1], "M": [1, 0]}), n=5)
    assert table.total is None
    assert all(value in (None, 0) for value in table.cells.values())
    assert _determined(table) == set()


def test_a_bridge_between_two_cycles_is_closed():
    # Two blocks of small cells joined by one more small cell: each row and column has two
    # hidden numbers, yet the joining cell would be fixed by the sums.
    rows = {
        "a": [1, 1, 90, 90, 90],
        "b": [1, 1, 90, 90, 90],
        "c": [90, 1, 1, 90, 90],
        "d": [90, 90, 1, 1, 90],
        "e": [90, 90, 1, 1, 90],
    }
    table = suppress_table(_table(rows), n=5)
    assert _determined(table) == set()


def test_the_min_n_setting_is_the_threshold():
    cells = _table({"F": [9, 30], "M": [30, 30]})
    assert suppress_table(cells, n=5).hidden() == set()
    assert ("F", 0) in suppress_table(cells, n=10).hidden()


@pytest.mark.parametrize("seed", range(40))
def test_no_hidden_number_is_ever_determined(seed):
    rng = random.Random(seed)
    size_r, size_c = rng.randint(1, 7), rng.randint(1, 6)
    cells = {
        (r, c): rng.choice([0, 1, 2, 3, 4, 5, 8, 20, 60])
        for r in range(size_r)
        for c in range(size_c)
    }
    table = suppress_table(cells, n=5)
    assert _determined(table) == set()
    for key, value in table.cells.items():
        assert value is None or value == 0 or value >= 5, key
        assert value is None or value == cells[key]
    for value in [*table.row_totals.values(), *table.column_totals.values(), table.total]:
        assert value is None or value == 0 or value >= 5


def test_a_group_below_n_is_hidden_whole_with_its_zeros():
    # One pupil in Sola chose answer 0: with zeros shown beside the hidden 1, "0, 0" would tell
    # what he chose. Today's default keeps zeros; whole_rows hides the whole group.
    cells = _table({"Arendal": [10, 8, 6], "Sola": [1, 0, 0]})
    assert suppress_table(cells, n=5).cells[("Sola", 1)] == 0
    table = suppress_table(cells, n=5, whole_rows=True)
    assert [table.cells[("Sola", c)] for c in range(3)] == [None, None, None]
    assert table.row_totals["Sola"] is None
    # Nor can the hidden zeros be worked out from the column totals.
    assert _determined(table) == set()


def test_a_whole_table_below_n_hides_its_zeros_too():
    table = suppress_table(_table({"all": [2, 0, 1]}), n=5, whole_rows=True)
    assert set(table.cells.values()) == {None}
    assert set(table.column_totals.values()) == {None} and table.total is None


def test_groups_of_n_or_more_keep_their_zeros():
    table = suppress_table(_table({"a": [10, 0], "b": [7, 0]}), n=5, whole_rows=True)
    assert table.hidden() == set()


@pytest.mark.parametrize("seed", range(40))
def test_no_number_of_a_small_group_is_shown_or_determined(seed):
    rng = random.Random(seed)
    size_r, size_c = rng.randint(1, 7), rng.randint(1, 6)
    cells = {
        (r, c): rng.choice([0, 0, 1, 2, 3, 5, 8, 20, 60])
        for r in range(size_r)
        for c in range(size_c)
    }
    table = suppress_table(cells, n=5, whole_rows=True)
    assert _determined(table) == set()
    for r in range(size_r):
        total = sum(cells[(r, c)] for c in range(size_c))
        if 0 < total < 5:
            assert table.row_totals[r] is None
            assert all(table.cells[(r, c)] is None for c in range(size_c))


# --- A fixed total row: a split table beside the table without split and other splits ----------


def _split_by(counts, axis) -> dict:
    """A two-way table (group, column) from counts {(a, b, column): count}, split by a or b."""
    cells: dict = {}
    for key, count in counts.items():
        group = key[axis]
        cells[(group, key[2])] = cells.get((group, key[2]), 0) + count
    return cells


def _linked_splits(counts, *, n):
    """The table without split and the tables by a and by b, their total rows fixed to it."""
    columns = sorted({key[2] for key in counts})
    whole = {("all", c): sum(v for k, v in counts.items() if k[2] == c) for c in columns}
    alone = suppress_table(whole, columns=columns, n=n, whole_rows=True)
    total_row = {c for _row, c in alone.hidden()}
    split = [
        suppress_table(_split_by(counts, axis), n=n, whole_rows=True, total_row=total_row)
        for axis in (0, 1)
    ]
    return alone, split


def _jointly_determined(counts, alone, split) -> list:
    """The hidden numbers of the three tables that the numbers shown in all of them fix, by
    linear algebra over the counts of every (a, b, column)."""
    finest = sorted(counts)
    columns = sorted({key[2] for key in finest})

    def vector(axis, group, column):
        return [
            int((group is None or key[axis] == group) and column in (TOTAL, key[2]))
            for key in finest
        ]

    equations = []
    for axis, table in ((0, alone), (0, split[0]), (1, split[1])):
        groups = [None] if table is alone else table.rows
        for group in groups:
            row = "all" if table is alone else group
            for column in [*columns, TOTAL]:
                value = table.cells[(row, column)] if column != TOTAL else table.row_totals[row]
                equations.append((vector(axis, group, column), value))
        for column in columns:
            equations.append((vector(axis, None, column), table.column_totals[column]))
        equations.append((vector(axis, None, TOTAL), table.total))
    shown = np.array([v for v, value in equations if value is not None] or [[0] * len(finest)])
    rank = np.linalg.matrix_rank(shown)
    found = []
    for v, value in equations:
        if value is None and np.linalg.matrix_rank(np.vstack([shown, v])) == rank:
            worth = sum(x * counts[key] for x, key in zip(v, finest, strict=True))
            if worth:
                found.append((v, worth))
    return found


def _random_counts(rng) -> dict:
    sizes = rng.randint(1, 4), rng.randint(1, 4), rng.randint(1, 5)
    return {
        (a, b, c): rng.choice([0, 0, 0, 1, 1, 2, 3, 6, 20])
        for a in range(sizes[0])
        for b in range(sizes[1])
        for c in range(sizes[2])
    }


@pytest.mark.parametrize("seed", range(150))
def test_tables_sharing_a_fixed_total_row_reveal_nothing_together(seed):
    counts = _random_counts(random.Random(seed))
    alone, split = _linked_splits(counts, n=5)
    for table in split:
        # The total row is the table without split, hidden just where it is.
        assert table.column_totals == {c: alone.cells[("all", c)] for c in alone.columns}
        assert table.total == alone.total
    assert _jointly_determined(counts, alone, split) == []


def test_splits_sharing_a_total_row_do_not_tell_two_sums_of_its_hidden_numbers():
    # Five answers of 2 each (all hidden without split) and 50 in a sixth. Split by a, the
    # hidden cells would fall apart in {0, 1} and {2, 3, 4}, and the table by a would tell
    # answers 0 + 1 = 4; split by b in {0, 1, 2} and {3, 4}: 0 + 1 + 2 = 6. Together: answer
    # 2 is 6 − 4 = 2. So each split joins the hidden numbers of its total row into one part.
    counts = {(a, b, c): 0 for a in range(2) for b in range(2) for c in range(6)}
    for key in [(0, 0, 0), (0, 0, 1), (1, 0, 2), (1, 1, 3), (1, 1, 4)]:
        counts[key] = 2
    counts.update({(0, 0, 5): 12, (0, 1, 5): 13, (1, 0, 5): 13, (1, 1, 5): 12})
    alone, split = _linked_splits(counts, n=5)
    assert {c for c, value in alone.column_totals.items() if value is None} == {0, 1, 2, 3, 4}
    assert _jointly_determined(counts, alone, split) == []
