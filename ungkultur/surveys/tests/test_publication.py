"""The publication rule (surveys/publication.py): what is added to published results at once."""

import random
from itertools import combinations

import numpy as np
import polars as pl
import pytest

from ungkultur.surveys.publication import groupings, published, releasable

N = 3


def _frame(rows):
    return pl.DataFrame(
        rows,
        schema={"pk": pl.Int64, "municipality_id": pl.Int32, "a": pl.String, "b": pl.String},
        orient="row",
    )


def _admissible(batch, found, n) -> bool:
    for grouping in found:
        if not grouping:
            sizes = [batch.height] if batch.height else []
        else:
            sizes = batch.group_by(list(grouping)).len().get_column("len").to_list()
        if any(0 < size < n for size in sizes):
            return False
    return True


def test_groupings_are_the_rows_of_every_table_and_their_margins():
    found = groupings(["municipality_id", "a", "b", "c"])
    assert () in found and ("a",) in found and ("a", "b") in found
    assert ("municipality_id", "a", "b") in found  # one municipality's results split by two
    assert ("a", "b", "c") not in found  # no table has three splits


def test_a_lone_new_response_waits():
    batch = _frame([(1, 1, "x", "y")])
    assert releasable(batch, groupings(["municipality_id", "a", "b"]), n=N).tolist() == [False]


def test_responses_alike_in_every_grouping_go_together():
    batch = _frame([(i, 1, "x", "y") for i in range(N)] + [(9, 2, "x", "y")])
    # The three alike go; the one from municipality 2 would be alone in its group, and waits.
    mask = releasable(batch, groupings(["municipality_id", "a", "b"]), n=N)
    assert mask.tolist() == [True, True, True, False]


@pytest.mark.parametrize("seed", range(25))
def test_the_batch_is_the_largest_admissible_one(seed):
    rng = random.Random(seed)
    rows = [
        (i, rng.choice([1, 2]), rng.choice("xy"), rng.choice(["u", "v", None]))
        for i in range(rng.randint(0, 9))
    ]
    batch = _frame(rows)
    found = groupings(["municipality_id", "a", "b"])
    mask = releasable(batch, found, n=N)
    chosen = batch.filter(pl.Series(mask))
    assert _admissible(chosen, found, N)
    # No larger subset is admissible (brute force over every subset).
    best = max(
        (
            size
            for size in range(len(rows) + 1)
            for subset in combinations(range(len(rows)), size)
            if _admissible(batch[list(subset)], found, N)
        ),
        default=0,
    )
    assert int(mask.sum()) == best


def test_published_only_grows_and_every_step_is_admissible(tmp_path):
    rng = random.Random(7)
    state = tmp_path / "published.parquet"
    columns = ["municipality_id", "a", "b"]
    rows, steps = [], []
    for pk in range(1, 60):
        rows.append((pk, rng.choice([1, 2]), rng.choice("xy"), rng.choice("uv")))
        live = _frame(rows)
        shown = published(live, {"count": pk}, state, columns, n=N)
        steps.append(set(shown.get_column("pk").to_list()))
    assert steps[0] == {1}  # the first publication is everything then: tables protect it
    for before, after in zip(steps, steps[1:], strict=False):
        assert before <= after
        added = _frame([row for row in rows if row[0] in after - before])
        assert _admissible(added, groupings(columns), N)
    assert len(steps[-1]) > 1  # it does move


def test_nothing_is_recomputed_while_the_snapshot_is_the_same(tmp_path):
    state = tmp_path / "published.parquet"
    live = _frame([(1, 1, "x", "u")])
    published(live, {"count": 1}, state, ["a"], n=N)
    more = _frame([(1, 1, "x", "u"), (2, 1, "x", "u")])
    # Same stamp: the stored publication is used as it is.
    shown = published(more, {"count": 1}, state, ["a"], n=N)
    assert shown.get_column("pk").to_list() == [1]
    assert np.array_equal(
        published(more, {"count": 2}, state, ["a"], n=N).get_column("pk").to_numpy(), [1]
    )
