import pytest

from ungkultur.lib.jsonstat import iter_cells


def dataset(ids, categories, values):
    """A dataset with ``categories`` ({dimension: [codes]}) indexed as code -> position."""
    return {
        "version": "2.0",
        "class": "dataset",
        "id": ids,
        "size": [len(categories[dim_id]) for dim_id in ids],
        "dimension": {
            dim_id: {
                "category": {
                    "index": {code: i for i, code in enumerate(codes)},
                    "label": {code: code for code in codes},
                }
            }
            for dim_id, codes in categories.items()
        },
        "value": values,
    }


CATEGORIES = {"Region": ["K-4203", "K-1124"], "Kjonn": ["1", "2"], "Tid": ["2023", "2024", "2025"]}

# Region, Kjonn, Tid with Tid fastest: the value's digits spell the cell (region, sex, year).
ROW_MAJOR = [111, 112, 113, 121, 122, 123, 211, 212, 213, 221, 222, 223]


def as_set(cells):
    return {(c["Region"], c["Kjonn"], c["Tid"], c["value"]) for c in cells}


def expected():
    return {
        (region, sex, year, (r + 1) * 100 + (s + 1) * 10 + y + 1)
        for r, region in enumerate(CATEGORIES["Region"])
        for s, sex in enumerate(CATEGORIES["Kjonn"])
        for y, year in enumerate(CATEGORIES["Tid"])
    }


def test_last_dimension_varies_fastest():
    cells = list(iter_cells(dataset(["Region", "Kjonn", "Tid"], CATEGORIES, ROW_MAJOR)))
    assert cells[0] == {"Region": "K-4203", "Kjonn": "1", "Tid": "2023", "value": 111}
    assert cells[1] == {"Region": "K-4203", "Kjonn": "1", "Tid": "2024", "value": 112}
    assert cells[3] == {"Region": "K-4203", "Kjonn": "2", "Tid": "2023", "value": 121}
    assert cells[-1] == {"Region": "K-1124", "Kjonn": "2", "Tid": "2025", "value": 223}
    assert as_set(cells) == expected()


def test_dimension_order_is_read_from_id():
    # The same cells with Tid first and Region last: Region now varies fastest.
    permuted = [111, 211, 121, 221, 112, 212, 122, 222, 113, 213, 123, 223]
    cells = list(iter_cells(dataset(["Tid", "Kjonn", "Region"], CATEGORIES, permuted)))
    assert cells[1] == {"Tid": "2023", "Kjonn": "1", "Region": "K-1124", "value": 211}
    assert as_set(cells) == expected()


def test_index_may_be_a_list():
    data = dataset(["Region", "Kjonn", "Tid"], CATEGORIES, ROW_MAJOR)
    for dim_id, codes in CATEGORIES.items():
        data["dimension"][dim_id]["category"]["index"] = codes
    assert as_set(iter_cells(data)) == expected()


def test_index_object_is_ordered_by_position_not_by_key_order():
    data = dataset(["Region", "Kjonn", "Tid"], CATEGORIES, ROW_MAJOR)
    data["dimension"]["Tid"]["category"]["index"] = {"2025": 2, "2023": 0, "2024": 1}
    assert as_set(iter_cells(data)) == expected()


def test_single_category_dimension_may_leave_out_the_index():
    categories = {"ContentsCode": ["Personer1"], "Tid": ["2023", "2024"]}
    data = dataset(["ContentsCode", "Tid"], categories, [5, 6])
    del data["dimension"]["ContentsCode"]["category"]["index"]
    assert [c["ContentsCode"] for c in iter_cells(data)] == ["Personer1", "Personer1"]


def test_null_is_yielded_as_none():
    values = list(ROW_MAJOR)
    values[4] = None
    cells = list(iter_cells(dataset(["Region", "Kjonn", "Tid"], CATEGORIES, values)))
    assert cells[4] == {"Region": "K-4203", "Kjonn": "2", "Tid": "2024", "value": None}
    assert sum(c["value"] is None for c in cells) == 1


def test_sparse_value_object_leaves_the_other_cells_missing():
    data = dataset(["Region", "Kjonn", "Tid"], CATEGORIES, {"0": 111, "11": 223})
    values = [c["value"] for c in iter_cells(data)]
    assert values == [111] + [None] * 10 + [223]


def test_size_and_value_length_mismatch_is_an_error():
    data = dataset(["Region", "Kjonn", "Tid"], CATEGORIES, ROW_MAJOR[:-1])
    with pytest.raises(ValueError, match=r'"value" has 11 entries but "size" gives 12 cells'):
        list(iter_cells(data))


def test_category_count_must_match_size():
    data = dataset(["Region", "Kjonn", "Tid"], CATEGORIES, ROW_MAJOR)
    data["size"] = [2, 2, 4]
    with pytest.raises(ValueError, match='dimension "Tid" has 3 categories but "size" says 4'):
        list(iter_cells(data))


def test_id_and_size_must_have_the_same_length():
    data = dataset(["Region", "Kjonn", "Tid"], CATEGORIES, ROW_MAJOR)
    data["size"] = [2, 2]
    with pytest.raises(ValueError, match='"id" names 3 dimensions but "size" gives 2 sizes'):
        list(iter_cells(data))


def test_dimension_missing_from_dimension_object_is_an_error():
    data = dataset(["Region", "Kjonn", "Tid"], CATEGORIES, ROW_MAJOR)
    del data["dimension"]["Kjonn"]
    with pytest.raises(ValueError, match='dimension "Kjonn" is in "id" but not in "dimension"'):
        list(iter_cells(data))


def test_index_positions_must_be_a_permutation():
    data = dataset(["Region", "Kjonn", "Tid"], CATEGORIES, ROW_MAJOR)
    data["dimension"]["Kjonn"]["category"]["index"] = {"1": 0, "2": 0}
    with pytest.raises(ValueError, match='dimension "Kjonn": "category.index" positions'):
        list(iter_cells(data))


def test_only_datasets_are_decoded():
    with pytest.raises(ValueError, match="not a JSON-stat dataset"):
        list(iter_cells({"class": "collection", "link": {}}))


def test_a_broken_dataset_fails_before_the_first_cell():
    data = dataset(["Region", "Kjonn", "Tid"], CATEGORIES, ROW_MAJOR[:-1])
    with pytest.raises(ValueError):
        iter_cells(data)
