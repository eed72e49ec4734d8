"""Decode JSON-stat 2.0 datasets (https://json-stat.org/format/) into one dict per cell.

A dataset holds its values in one flat list in row-major order: the dimensions come in the
order of ``id`` and the last one varies fastest. Dimension ``k`` has a stride, the product of
the sizes after it; dividing a cell's position by the first stride gives its category in the
first dimension, the remainder divided by the next stride the category in the next, and so
on. The decoder reads the order from ``id`` and ``size`` and never assumes one.
"""

from collections.abc import Iterator, Mapping, Sequence
from math import prod
from typing import Any

VALUE = "value"


def iter_cells(dataset: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield every cell of ``dataset`` in position order as ``{dimension id: category code, ...,
    "value": value}``; a missing value (``null``, or absent from a sparse value object) is None.

    Raises ValueError at once (before the first cell) when the dataset does not hold together.
    """
    dimensions = categories(dataset)
    sizes = [len(codes) for codes in dimensions.values()]
    total = prod(sizes)
    value_at = _value_getter(dataset.get(VALUE), total)
    strides = [prod(sizes[k + 1 :]) for k in range(len(sizes))]
    return _cells(list(dimensions.items()), strides, total, value_at)


def categories(dataset: Mapping[str, Any]) -> dict[str, list[str]]:
    """The category codes of each dimension in index order, the dimensions in ``id`` order."""
    if not isinstance(dataset, Mapping):
        raise ValueError(f"not a JSON-stat dataset: an object is needed, not {type(dataset)}")
    if dataset.get("class") != "dataset":
        raise ValueError(f'not a JSON-stat dataset: "class" is {dataset.get("class")!r}')
    ids, sizes = _ids_and_sizes(dataset)
    return {
        dim_id: _categories(dataset, dim_id, size) for dim_id, size in zip(ids, sizes, strict=True)
    }


def _cells(dimensions, strides, total, value_at) -> Iterator[dict[str, Any]]:
    for position in range(total):
        cell: dict[str, Any] = {}
        rest = position
        for (dim_id, codes), stride in zip(dimensions, strides, strict=True):
            index, rest = divmod(rest, stride)
            cell[dim_id] = codes[index]
        cell[VALUE] = value_at(position)
        yield cell


def _ids_and_sizes(dataset: Mapping[str, Any]) -> tuple[list[str], list[int]]:
    ids, sizes = dataset.get("id"), dataset.get("size")
    if not isinstance(ids, list) or not isinstance(sizes, list):
        raise ValueError('a JSON-stat dataset needs an "id" list and a "size" list')
    if len(ids) != len(sizes):
        raise ValueError(f'"id" names {len(ids)} dimensions but "size" gives {len(sizes)} sizes')
    if len(set(ids)) != len(ids):
        raise ValueError(f'"id" names a dimension twice: {ids}')
    if not all(isinstance(size, int) and not isinstance(size, bool) for size in sizes):
        raise ValueError(f'"size" must hold whole numbers, not {sizes}')
    if VALUE in ids:
        raise ValueError(f'a dimension may not be called "{VALUE}"')
    return ids, sizes


def _categories(dataset: Mapping[str, Any], dim_id: str, size: int) -> list[str]:
    """The category codes of one dimension, in index order."""
    dimension = (dataset.get("dimension") or {}).get(dim_id)
    if not isinstance(dimension, Mapping):
        raise ValueError(f'dimension "{dim_id}" is in "id" but not in "dimension"')
    category = dimension.get("category") or {}
    index = category.get("index")
    if index is None:
        # The format lets a dimension with a single category leave out the index.
        index = list(category.get("label") or {})
    if isinstance(index, Mapping):
        codes = _codes_from_positions(dim_id, index)
    elif isinstance(index, list):
        codes = list(index)
    else:
        raise ValueError(f'dimension "{dim_id}": "category.index" must be an object or a list')
    if len(codes) != size:
        raise ValueError(f'dimension "{dim_id}" has {len(codes)} categories but "size" says {size}')
    return codes


def _codes_from_positions(dim_id: str, index: Mapping[str, Any]) -> list[str]:
    by_position = {position: code for code, position in index.items()}
    if sorted(by_position) != list(range(len(index))):
        raise ValueError(
            f'dimension "{dim_id}": "category.index" positions must be 0..{len(index) - 1} '
            f"each once, not {sorted(index.values())}"
        )
    return [by_position[position] for position in range(len(index))]


def _value_getter(values: Any, total: int):
    if isinstance(values, Sequence) and not isinstance(values, str):
        if len(values) != total:
            raise ValueError(
                f'"value" has {len(values)} entries but "size" gives {total} cells '
                f"(the product of the sizes)"
            )
        return values.__getitem__
    if isinstance(values, Mapping):
        # The sparse form: {"position": value}; a position that is not there is missing.
        if any(not key.isdigit() or int(key) >= total for key in values):
            raise ValueError(f'"value" has a position outside 0..{total - 1}')
        return lambda position: values.get(str(position))
    raise ValueError('"value" must be a list or an object')
