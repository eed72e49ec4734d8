"""Protected results of a wave: frequencies, crosstabs and comparisons between waves.

The computation takes plain data: a Polars frame with one row per response (columns
``municipality_id``, ``submitted_on`` and one per variable, see ``frame_schema``) and the
``Variable`` list that describes it. Every table is protected with
``lib.disclosure.suppress_table`` before anyone sees it: no number shown, exported in
aggregate or served by the API rests on fewer than n respondents
(``settings.UNGKULTUR_DISCLOSURE_MIN_N``), and no hidden number can be worked out from the
totals and the other numbers of its table.

Each table is a complete split of its respondents: the columns are the answers and
"not answered", so a row total is the number of respondents in the group, the same in every
table of the wave. A multiple-choice question is protected option by option (selected, not
selected, not answered); a number question shows its mean and median only where the count of
answers is shown. Free text is never in results.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from django.conf import settings
from django.utils.translation import gettext as _

from ungkultur.lib.charts import Bar, bar_chart
from ungkultur.lib.disclosure import suppress_table

SKIPPED = "__skipped__"
UNKNOWN = "__unknown__"
ALL = "__all__"
SELECTED, NOT_SELECTED = "__selected__", "__not_selected__"
SEP = "\x1f"

# Kinds of variable (a Likert item is a choice variable; a grid is one variable per item).
CHOICE, MULTIPLE, NUMBER, TEXT = "choice", "multiple", "number", "text"
# A chart with more bars than this is left out; the table is always there.
MAX_CHART_BARS = 40


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    kind: str
    choices: tuple[tuple[str, str], ...] = ()
    question_type: str = ""
    decimals: bool = False
    bank_key: str = ""

    @property
    def codes(self) -> list[str]:
        return [code for code, _label in self.choices]

    @property
    def in_results(self) -> bool:
        return self.kind != TEXT


@dataclass(frozen=True)
class Dimension:
    """What a table is split by: a column of the frame, with its categories in order."""

    key: str
    label: str
    column: str
    categories: tuple[tuple[object, str], ...] = ()


@dataclass
class ResultTable:
    variable: Variable
    dimensions: tuple[Dimension, ...]
    rows: list[tuple[object, str]]
    columns: list[tuple[str, str]]
    cells: dict
    row_totals: dict
    column_totals: dict
    total: int | None
    # Number questions: (mean, median) per row key and for ALL, None where hidden.
    stats: dict = field(default_factory=dict)

    @property
    def by_label(self) -> str:
        return " × ".join(d.label for d in self.dimensions)

    def percent(self, row, column) -> float | None:
        count = self.cells.get((row, column))
        base = self.row_totals.get(row)
        if count is None or not base:
            return None
        return 100 * count / base

    def column_percent(self, column) -> float | None:
        count = self.column_totals.get(column)
        if count is None or not self.total:
            return None
        return 100 * count / self.total

    def display_rows(self) -> list[dict]:
        """Rows for a template: label, [(count, percent)] per column, total."""
        rows = [
            {
                "key": key,
                "label": label,
                "cells": [
                    (self.cells[(key, c)], self.percent(key, c)) for c, _label in self.columns
                ],
                "total": self.row_totals[key],
                "stats": self.stats.get(key),
            }
            for key, label in self.rows
        ]
        if self.dimensions:
            rows.append(
                {
                    "key": ALL,
                    "label": _("Alle"),
                    "cells": [
                        (self.column_totals[c], self.column_percent(c))
                        for c, _label in self.columns
                    ],
                    "total": self.total,
                    "stats": self.stats.get(ALL),
                    "is_total": True,
                }
            )
        return rows

    def chart(self):
        """Bars of the shares (per cent of the group's respondents); hidden shares as gaps."""
        answer_columns = [(c, label) for c, label in self.columns if c != SKIPPED]
        if self.variable.kind == NUMBER or not answer_columns:
            return ""
        if not self.dimensions:
            bars = [Bar(label, self.percent(ALL, c)) for c, label in answer_columns]
        else:
            bars = [
                Bar(f"{row_label}: {label}", self.percent(row, c))
                for row, row_label in self.rows
                for c, label in answer_columns
            ]
        if len(bars) > MAX_CHART_BARS:
            return ""
        return bar_chart(
            bars,
            title=self.variable.label,
            description=_("Andel av dem som fikk spørsmålet, i prosent. Tallene står i tabellen."),
            unit=" %",
            maximum=100,
            hidden_label=_("skjult (under %(n)s svar)") % {"n": min_n()},
        )

    def as_dict(self) -> dict:
        """The protected numbers as plain JSON (for the API and aggregate exports)."""
        return {
            "variable": self.variable.name,
            "label": self.variable.label,
            "by": [d.key for d in self.dimensions],
            "columns": [{"value": c, "label": label} for c, label in self.columns],
            "rows": [
                {
                    "group": _row_group(key, self.dimensions),
                    "label": label,
                    "total": self.row_totals[key],
                    "counts": [self.cells[(key, c)] for c, _label in self.columns],
                    **_stats_dict(self.stats.get(key)),
                }
                for key, label in self.rows
            ],
            "total": self.total,
            "column_totals": [self.column_totals[c] for c, _label in self.columns],
            **_stats_dict(self.stats.get(ALL)),
        }


def _row_group(key, dimensions) -> dict:
    if not dimensions:
        return {}
    values = key if isinstance(key, tuple) else (key,)
    return {
        d.key: (None if value == UNKNOWN else value)
        for d, value in zip(dimensions, values, strict=True)
    }


def _stats_dict(stats) -> dict:
    if stats is None:
        return {}
    mean, median = stats
    return {"mean": mean, "median": median}


def min_n() -> int:
    return settings.UNGKULTUR_DISCLOSURE_MIN_N


# --- Frames --------------------------------------------------------------------------------------


def frame_schema(variables: Sequence[Variable], *, with_text: bool = True) -> dict:
    """The Polars types of a wave frame: choices as enums, numbers as floats."""
    schema: dict = {"municipality_id": pl.Int32, "submitted_on": pl.Date}
    for variable in variables:
        if variable.kind == CHOICE:
            schema[variable.name] = pl.Enum(variable.codes)
        elif variable.kind == MULTIPLE:
            schema[variable.name] = pl.List(pl.String)
        elif variable.kind == NUMBER:
            schema[variable.name] = pl.Float64
        elif with_text:
            schema[variable.name] = pl.String
    return schema


def frame_from_rows(rows, variables: Sequence[Variable], *, with_text: bool = True):
    """A wave frame from (municipality_id, submitted_on, answers) tuples (small data, tests)."""
    schema = frame_schema(variables, with_text=with_text)
    data: dict = {name: [] for name in schema}
    for municipality_id, submitted_on, answers in rows:
        data["municipality_id"].append(municipality_id)
        data["submitted_on"].append(submitted_on)
        for name in list(schema)[2:]:
            data[name].append(clean_value(answers.get(name)))
    return pl.DataFrame(data, schema=schema)


def clean_value(value):
    """A stored answer as the frame holds it (a number may be stored as an int)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return float(value)
    return value


# --- Computing -----------------------------------------------------------------------------------


def _row_key(values: tuple):
    keys = tuple(UNKNOWN if v is None else v for v in values)
    return keys[0] if len(keys) == 1 else keys


def _group_index(frame: pl.DataFrame, dimensions) -> tuple[np.ndarray, list]:
    """Each row's group as 0..G-1, and each group's key."""
    if not dimensions:
        return np.zeros(frame.height, dtype=np.int64), [ALL]
    columns = [d.column for d in dimensions]
    keys = frame.select(columns)
    groups = keys.unique(maintain_order=True).with_row_index("__g")
    index = (
        keys.join(groups, on=columns, how="left", nulls_equal=True, maintain_order="left")
        .get_column("__g")
        .cast(pl.Int64)
        .to_numpy()
    )
    return index, [_row_key(tuple(row)) for row in groups.select(columns).iter_rows()]


def grouped_counts(frame: pl.DataFrame, variables, dimensions) -> dict:
    """Per row key, the respondents and every variable's counts, as
    ``{key: {"__n": respondents, "<variable>\x1f<value>": count, ...}}``.

    Counting is numpy's bincount over (group, answer) codes: one pass per variable, several
    times faster than a group-by per variable.
    """
    index, keys = _group_index(frame, dimensions)
    size = len(keys)
    records = [{"__n": 0} for _key in keys]
    _put(records, "__n", np.bincount(index, minlength=size))
    for v in variables:
        column = frame.get_column(v.name)
        missing = column.is_null().to_numpy()
        _put(
            records, f"{v.name}{SEP}{SKIPPED}", np.bincount(index, weights=missing, minlength=size)
        )
        if v.kind == CHOICE:
            width = len(v.codes) + 1
            codes = column.to_physical().fill_null(width - 1).cast(pl.Int64).to_numpy()
            counts = np.bincount(index * width + codes, minlength=size * width).reshape(size, width)
            for i, code in enumerate(v.codes):
                _put(records, f"{v.name}{SEP}{code}", counts[:, i])
        elif v.kind == MULTIPLE:
            for code in v.codes:
                chosen = column.list.contains(code).fill_null(False).to_numpy()
                _put(
                    records,
                    f"{v.name}{SEP}{code}",
                    np.bincount(index, weights=chosen, minlength=size),
                )
        elif v.kind == NUMBER:
            _number_stats(records, v.name, index, column, size)
    return dict(zip(keys, records, strict=True))


def _put(records, name, values) -> None:
    for record, value in zip(records, values.tolist(), strict=True):
        record[name] = int(value)


def _number_stats(records, name, index, column, size) -> None:
    stats = (
        pl.DataFrame({"g": index, "v": column})
        .drop_nulls("v")
        .group_by("g")
        .agg(pl.col("v").mean().alias("mean"), pl.col("v").median().alias("median"))
    )
    for record in records:
        record[f"{name}{SEP}__mean"] = record[f"{name}{SEP}__median"] = None
    for g, mean, median in stats.iter_rows():
        records[g][f"{name}{SEP}__mean"] = mean
        records[g][f"{name}{SEP}__median"] = median


def _rows_in_order(keys, dimensions) -> list[tuple[object, str]]:
    if not dimensions:
        return [(ALL, _("Alle"))]
    orders, labels = [], []
    for d in dimensions:
        order = {value: i for i, (value, _label) in enumerate(d.categories)}
        orders.append(order)
        labels.append({value: label for value, label in d.categories})

    def sort_key(key):
        values = key if isinstance(key, tuple) else (key,)
        return tuple(
            (value == UNKNOWN, order.get(value, len(order)), str(value))
            for value, order in zip(values, orders, strict=True)
        )

    def label(key):
        values = key if isinstance(key, tuple) else (key,)
        return " – ".join(
            _("Ikke oppgitt") if value == UNKNOWN else _category_label(value, names)
            for value, names in zip(values, labels, strict=True)
        )

    return [(key, label(key)) for key in sorted(keys, key=sort_key)]


def _category_label(value, names) -> str:
    if value in names:
        return str(names[value])
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def tables(
    frame: pl.DataFrame,
    variables: Sequence[Variable],
    dimensions: Sequence[Dimension] = (),
    *,
    n: int | None = None,
) -> list[ResultTable]:
    """The protected table of every variable in results, split by the dimensions (or none)."""
    n = min_n() if n is None else n
    variables = [v for v in variables if v.in_results]
    dimensions = tuple(dimensions)
    counts = grouped_counts(frame, variables, dimensions)
    rows = _rows_in_order(list(counts), dimensions)
    return [_table(v, dimensions, rows, counts, n) for v in variables]


def table(frame, variable, dimensions=(), *, n=None) -> ResultTable:
    return tables(frame, [variable], dimensions, n=n)[0]


def compare_waves(frames: Sequence[tuple[str, str, pl.DataFrame]], variable, *, n=None):
    """One table with a row per wave: frames are (identifier, title, frame)."""
    parts = [
        frame.select(pl.col(variable.name)).with_columns(pl.lit(ident).alias("__wave"))
        for ident, _title, frame in frames
    ]
    waves = Dimension(
        "wave", _("Runde"), "__wave", tuple((ident, title) for ident, title, _frame in frames)
    )
    return table(pl.concat(parts), variable, [waves], n=n)


def _table(variable, dimensions, rows, counts, n) -> ResultTable:
    keys = [key for key, _label in rows]
    name = variable.name
    if variable.kind == CHOICE:
        columns = [*variable.choices, (SKIPPED, _("Ikke svart"))]
        cells = {(k, c): counts[k][f"{name}{SEP}{c}"] for k in keys for c, _label in columns}
        protected = suppress_table(cells, rows=keys, columns=[c for c, _l in columns], n=n)
        return ResultTable(
            variable,
            dimensions,
            rows,
            columns,
            protected.cells,
            protected.row_totals,
            protected.column_totals,
            protected.total,
        )
    if variable.kind == MULTIPLE:
        return _multiple_table(variable, dimensions, rows, counts, n)
    return _number_table(variable, dimensions, rows, counts, n)


def _multiple_table(variable, dimensions, rows, counts, n) -> ResultTable:
    """Each option is its own split (selected, not selected, not answered), protected alone;
    what is hidden in any of them is hidden in the table shown."""
    keys = [key for key, _label in rows]
    name = variable.name
    cells, column_totals = {}, {}
    skipped = {k: counts[k][f"{name}{SEP}{SKIPPED}"] for k in keys}
    hidden_rows, hidden_skipped, total_hidden = set(), set(), False
    skipped_total_hidden = False
    for code in variable.codes:
        split = {}
        for k in keys:
            selected = counts[k][f"{name}{SEP}{code}"]
            split[(k, SELECTED)] = selected
            split[(k, NOT_SELECTED)] = counts[k]["__n"] - skipped[k] - selected
            split[(k, SKIPPED)] = skipped[k]
        protected = suppress_table(split, rows=keys, columns=[SELECTED, NOT_SELECTED, SKIPPED], n=n)
        for k in keys:
            cells[(k, code)] = protected.cells[(k, SELECTED)]
            if protected.cells[(k, SKIPPED)] is None:
                hidden_skipped.add(k)
            if protected.row_totals[k] is None:
                hidden_rows.add(k)
        column_totals[code] = protected.column_totals[SELECTED]
        skipped_total_hidden |= protected.column_totals[SKIPPED] is None
        total_hidden |= protected.total is None
    if not variable.codes:
        split = {(k, SKIPPED): skipped[k] for k in keys}
        protected = suppress_table(split, rows=keys, columns=[SKIPPED], n=n)
        hidden_skipped = {k for k in keys if protected.cells[(k, SKIPPED)] is None}
    for k in keys:
        cells[(k, SKIPPED)] = None if k in hidden_skipped else skipped[k]
    column_totals[SKIPPED] = None if skipped_total_hidden else sum(skipped.values())
    row_totals = {k: None if k in hidden_rows else counts[k]["__n"] for k in keys}
    total = None if total_hidden else sum(counts[k]["__n"] for k in keys)
    columns = [*variable.choices, (SKIPPED, _("Ikke svart"))]
    return ResultTable(variable, dimensions, rows, columns, cells, row_totals, column_totals, total)


def _number_table(variable, dimensions, rows, counts, n) -> ResultTable:
    """Answered and not answered per group; the mean and median only where the count of
    answers is shown (and so rests on at least n)."""
    keys = [key for key, _label in rows]
    name = variable.name
    answered = "__answered__"
    split = {}
    for k in keys:
        skipped = counts[k][f"{name}{SEP}{SKIPPED}"]
        split[(k, answered)] = counts[k]["__n"] - skipped
        split[(k, SKIPPED)] = skipped
    protected = suppress_table(split, rows=keys, columns=[answered, SKIPPED], n=n)
    stats = {}
    for k in keys:
        if protected.cells[(k, answered)]:
            stats[k] = (
                _rounded(counts[k][f"{name}{SEP}__mean"]),
                _rounded(counts[k][f"{name}{SEP}__median"]),
            )
    if dimensions and protected.column_totals[answered]:
        stats[ALL] = _overall_stats(counts, keys, name)
    columns = [(answered, _("Svart")), (SKIPPED, _("Ikke svart"))]
    return ResultTable(
        variable,
        dimensions,
        rows,
        columns,
        protected.cells,
        protected.row_totals,
        protected.column_totals,
        protected.total,
        stats,
    )


def _overall_stats(counts, keys, name):
    # The overall mean from the groups' means; the median is not additive, so not shown.
    total, weight = 0.0, 0
    for k in keys:
        answered = counts[k]["__n"] - counts[k][f"{name}{SEP}{SKIPPED}"]
        if answered:
            total += counts[k][f"{name}{SEP}__mean"] * answered
            weight += answered
    return (_rounded(total / weight), None) if weight else None


def _rounded(value):
    return None if value is None else round(float(value), 2)
