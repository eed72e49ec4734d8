from ungkultur.lib.disclosure import suppress, suppress_total


def test_small_counts_are_hidden_and_zeros_and_large_ones_kept():
    assert suppress({"a": 0, "b": 5, "c": 12}, n=5) == {"a": 0, "b": 5, "c": 12}
    assert suppress({"a": 1, "b": 4, "c": 12}, n=5) == {"a": None, "b": None, "c": 12}


def test_a_single_hidden_cell_takes_the_smallest_other_with_it():
    # With the total 27 published, a lone hidden 3 would be 27 - 12 - 12.
    assert suppress({"a": 3, "b": 12, "c": 12, "d": 0}, n=5) == {
        "a": None,
        "b": None,
        "c": 12,
        "d": 0,
    }
    assert suppress({"a": 3, "b": 20, "c": 7}, n=5) == {"a": None, "b": 20, "c": None}


def test_nothing_to_pair_with_leaves_one_hidden_cell():
    assert suppress({"a": 3, "b": 0}, n=5) == {"a": None, "b": 0}


def test_totals():
    assert suppress_total(0, n=5) == 0
    assert suppress_total(4, n=5) is None
    assert suppress_total(5, n=5) == 5
