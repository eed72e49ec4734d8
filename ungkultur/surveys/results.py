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

import hashlib
import io
import json
import logging
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max
from django.utils import translation
from django.utils.translation import gettext as _

from ungkultur.lib.charts import Bar, bar_chart
from ungkultur.lib.disclosure import TOTAL, suppress_table, suppress_total, too_few
from ungkultur.municipalities.models import Municipality
from ungkultur.surveys import conditions, publication
from ungkultur.surveys.models import Question, Response, Wave
from ungkultur.surveys.selectors import questionnaire_structure

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
    # The groups (row keys, ALL for the whole table) of fewer than n people: hidden whole and
    # said to be "for få svar". A number hidden elsewhere is hidden to protect another one.
    too_few: frozenset = frozenset()
    # Some municipalities are not counted in this table of several (``linked_tables``).
    left_out: bool = False

    @property
    def all_too_few(self) -> bool:
        """Whether the whole table rests on fewer than n people (and shows nothing)."""
        return ALL in self.too_few

    @property
    def width(self) -> int:
        """The columns of a split table after the row label (answers, total, mean, median)."""
        return len(self.columns) + 1 + (2 if self.variable.kind == NUMBER else 0)

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
                "too_few": key in self.too_few,
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
                    "too_few": ALL in self.too_few,
                }
            )
        return rows

    @property
    def frequency_rows(self) -> list[dict]:
        """A table without split, one line per answer (for a table beside its chart)."""
        return [
            {"label": label, "count": self.cells[(ALL, c)], "percent": self.percent(ALL, c)}
            for c, label in self.columns
        ]

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
            # Not "under n": a share may be hidden only to protect another one.
            hidden_label=_("skjult"),
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
                    **_too_few_dict(key in self.too_few),
                }
                for key, label in self.rows
            ],
            **_too_few_dict(ALL in self.too_few),
            "municipalities_left_out": self.left_out,
            "total": self.total,
            "column_totals": [self.column_totals[c] for c, _label in self.columns],
            **_stats_dict(self.stats.get(ALL)),
        }


def left_out_note(tables) -> str | None:
    """What to say when municipalities were left out of tables that cover several
    (``linked_tables``); never which ones."""
    if not any(t.left_out for t in tables):
        return None
    return _(
        "Kommuner med færre enn %(n)s svar er ikke med. Tabeller som ikke er fordelt på "
        "kommune, teller bare kommuner uten skjulte tall i sin egen tabell for spørsmålet."
    ) % {"n": min_n()}


def _row_group(key, dimensions) -> dict:
    if not dimensions:
        return {}
    values = key if isinstance(key, tuple) else (key,)
    return {
        d.key: (None if value == UNKNOWN else value)
        for d, value in zip(dimensions, values, strict=True)
    }


def _too_few_dict(small: bool) -> dict:
    return {"too_few": small, "note": _("for få svar") if small else None}


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


def _factorize(column: pl.Series) -> tuple[np.ndarray, list]:
    """Each value's code (0 for missing, then 1… in sorted order) and the values by code."""
    if isinstance(column.dtype, pl.Enum):
        categories = column.dtype.categories.to_list()
        base = column.to_physical()
    else:
        categories = None
        base = column
    codes = base.rank("dense").fill_null(0).cast(pl.Int64).to_numpy()
    values = base.drop_nulls().unique().sort().to_list()
    if categories is not None:
        values = [categories[v] for v in values]
    return codes, [None, *values]


def _group_index(frame: pl.DataFrame, dimensions) -> tuple[np.ndarray, list]:
    """Each row's group as 0..G-1, and each group's key."""
    if not dimensions:
        return np.zeros(frame.height, dtype=np.int64), [ALL]
    combined = np.zeros(frame.height, dtype=np.int64)
    decoders = []
    for d in dimensions:
        codes, values = _factorize(frame.get_column(d.column))
        combined = combined * len(values) + codes
        decoders.append(values)
    # The groups that occur, numbered in order: by counting (no sort) while the range is small.
    if len(combined) and combined.max() < 10_000_000:
        present = np.flatnonzero(np.bincount(combined))
        renumber = np.zeros(int(combined.max()) + 1, dtype=np.int64)
        renumber[present] = np.arange(len(present))
        index = renumber[combined]
    else:
        present, index = np.unique(combined, return_inverse=True)
    keys = []
    for value in present.tolist():
        parts = []
        for values in reversed(decoders):
            value, code = divmod(value, len(values))
            parts.append(values[code])
        keys.append(_row_key(tuple(reversed(parts))))
    return index.astype(np.int64), keys


def grouped_counts(frame: pl.DataFrame, variables, dimensions) -> dict:
    """Per row key, the respondents and every variable's counts, as
    ``{key: {"__n": respondents, "<variable>\x1f<value>": count, ...}}``.

    Counting is numpy's bincount over (group, answer) codes: one pass per variable, several
    times faster than a group-by per variable.
    """
    index, keys = _group_index(frame, dimensions)
    size = len(keys)
    records = [{"__n": int(value)} for value in np.bincount(index, minlength=size).tolist()]
    choices = [v for v in variables if v.kind == CHOICE]
    # Every choice column's codes in one pass (Polars works on the columns in parallel); a
    # missing answer gets the code after the last choice.
    codes = frame.select(
        pl.col(v.name).to_physical().fill_null(len(v.codes)).cast(pl.UInt16) for v in choices
    )
    for v in choices:
        width = len(v.codes) + 1
        flat = index * width + codes.get_column(v.name).to_numpy()
        counts = np.bincount(flat, minlength=size * width).reshape(size, width).tolist()
        names = [f"{v.name}{SEP}{code}" for code in v.codes] + [f"{v.name}{SEP}{SKIPPED}"]
        for record, row in zip(records, counts, strict=True):
            record.update(zip(names, row, strict=True))
    for v in variables:
        if v.kind == CHOICE:
            continue
        column = frame.get_column(v.name)
        missing = column.is_null().to_numpy()
        _put(
            records, f"{v.name}{SEP}{SKIPPED}", np.bincount(index, weights=missing, minlength=size)
        )
        if v.kind == MULTIPLE:
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


PLACE = "municipality_id"


def linked_tables(
    frame: pl.DataFrame,
    variables: Sequence[Variable],
    dimensions: Sequence[Dimension] = (),
    *,
    n: int | None = None,
) -> tuple[list[ResultTable], int]:
    """The protected tables of a frame that covers several municipalities (a national view,
    split or not, also by municipality), protected against each municipality's own tables too;
    and the number of respondents in municipalities of at least n.

    Each table is safe alone, but a national user can also fetch every municipality's table of
    the same question and split (``kommune=…``), and subtract: the national table minus every
    other municipality's leaves the one municipality's, and a number that municipality's own
    table hides would show (Sola's lone pupil: national − Arendal = her whole profile). The
    rule, for one question and one split s (none, gender, …; "own table": the municipality's
    table of that question split by s, as its page shows it):

    1. A municipality with fewer than n respondents is in no table here (its own table shows
       nothing); the page, API and CSV say that some were left out, never which.
    2. A table not split by municipality (the national table, split by s or not) counts the
       municipalities whose own table hides nothing, and only those: each of its numbers is
       the sum of the same number (row, answer, or margin) in their own tables.
    3. A table split by municipality (and s) shows each municipality's rows as its own table
       does, hiding what that table hides, and its "Alle" row hides an answer wherever any
       municipality's own table hides it. Then the usual suppression (a group under n whole,
       secondary) runs on it with those positions hidden from the start.

    Claim: whatever a national user combines, these tables tell nothing that the municipalities'
    own tables do not. By 1–3 every number shown here is a sum of numbers the municipalities'
    own tables show (2: of every counted municipality; 3: a row is one municipality's own, the
    "Alle" row sums numbers each municipality shows), so it can be computed from them: any
    subtraction or other linear combination of these tables and municipality tables gives
    what a combination of municipality tables alone gives. Those rest on disjoint groups of
    people and each is protected alone, so nothing one hides follows from the others; and
    which municipalities 2 counts is public too (whose own table hides something is there to
    see). More hiding by 3's own suppression only takes away numbers that could be computed.

    Why 2 leaves municipalities out rather than hiding a number any of them hides (as 3 does
    in its "Alle" row): with a few small municipalities among many, nearly every number of a
    national table is hidden in one of them (measured on 3.1 million responses from 357
    municipalities, 50 of them with 5–40: 45 of 54 cells hidden without split, all 216 by
    gender), while leaving out those few hides none and keeps nearly every respondent (there:
    99.9 % of them without split, 87–91 % by gender, where the rare genders leave many out).

    The municipalities' own tables are made here from one grouping by municipality and split,
    the very numbers each one's own page shows.
    """
    n = min_n() if n is None else n
    variables = [v for v in variables if v.in_results]
    dimensions = tuple(dimensions)
    sizes = frame.group_by(PLACE).len()
    counted = sizes.filter(pl.col("len") >= n).get_column(PLACE)
    small_left_out = counted.len() < sizes.height
    if small_left_out:
        frame = frame.filter(pl.col(PLACE).is_in(counted.to_list()))
    at = next((i for i, d in enumerate(dimensions) if d.column == PLACE), None)
    inner = tuple(d for d in dimensions if d.column != PLACE)
    place = dimensions[at] if at is not None else Dimension("municipality", "", PLACE)
    by_place = grouped_counts(frame, variables, (place, *inner))
    own: dict = {}  # municipality → its own table's counts, by its own row keys
    for key, record in by_place.items():
        values = key if isinstance(key, tuple) else (key,)
        own.setdefault(values[0], {})[_row_key(values[1:]) if inner else ALL] = record
    if at is not None:
        counts = by_place if at == 0 else grouped_counts(frame, variables, dimensions)
        rows = _rows_in_order(list(counts), dimensions)
    own_rows = {m: _rows_in_order(list(r), inner) for m, r in own.items()} if at is not None else {}
    found = []
    for v in variables:
        # A table with no count from 1 to n − 1 hides nothing (suppress_table); one with such a
        # count hides at least it.
        small = {m for m, records in own.items() if _has_small(v, records, n)}
        if at is None:
            clean = [m for m in own if m not in small]
            table = _table_of(v, inner, [own[m] for m in clean], frame, clean, n)
            table.left_out = small_left_out or len(clean) < len(own)
            if not clean and table.left_out:
                # People answered, but every municipality's own table hides something: none
                # is counted, and a table of zeros would read as "nobody answered".
                _hide_whole(table)
        else:
            also_hidden = {
                (_linked_row(row, m, at, inner), column)
                for m in small
                for row, column in _hidden_positions(_table(v, inner, own_rows[m], own[m], n))
            }
            table = _table(v, dimensions, rows, counts, n, also_hidden, as_unsplit=False)
            table.left_out = small_left_out
            if counted.is_empty() and small_left_out:
                _hide_whole(table)  # every municipality under n: nothing counted, not zeros
        found.append(table)
    return found, frame.height


def _hide_whole(table: ResultTable) -> None:
    """A table none of whose respondents could be counted (``linked_tables``): every number
    hidden and the table said to have too few answers, so no 0 stands for answers left out."""
    table.cells = dict.fromkeys(table.cells)
    table.row_totals = dict.fromkeys(table.row_totals)
    table.column_totals = dict.fromkeys(table.column_totals)
    table.total = None
    table.stats = {}
    table.too_few = frozenset({*table.too_few, *table.row_totals, ALL})


def _table_of(variable, dimensions, parts, frame, municipalities, n) -> ResultTable:
    """The table of ``variable`` over some municipalities, from their own tables' counts (a
    number question's median is not a sum: counted again over their responses)."""
    if variable.kind == NUMBER:
        chosen = frame.filter(pl.col(PLACE).is_in(municipalities))
        counts = grouped_counts(chosen, [variable], dimensions)
    else:
        names = ["__n", *_count_names(variable)]
        counts = {}
        for records in parts:
            for key, record in records.items():
                into = counts.setdefault(key, dict.fromkeys(names, 0))
                for name in names:
                    into[name] += record[name]
    if not counts and not dimensions:
        counts = grouped_counts(frame.clear(), [variable], dimensions)
    return _table(variable, dimensions, _rows_in_order(list(counts), dimensions), counts, n)


def _count_names(variable) -> list[str]:
    """The names of a variable's counts in a ``grouped_counts`` record."""
    codes = variable.codes if variable.kind != NUMBER else []
    return [f"{variable.name}{SEP}{code}" for code in [*codes, SKIPPED]]


def _has_small(variable, records, n) -> bool:
    """Whether a count from 1 to n − 1 is among the numbers the variable's table is protected
    from (its margins are sums of these: a sum of counts each 0 or at least n is one too)."""
    names = _count_names(variable)
    skipped = names[-1]
    for record in records.values():
        total = record["__n"]
        values = [total, *(record[name] for name in names)]
        if variable.kind == MULTIPLE:
            values += [total - record[skipped] - record[name] for name in names[:-1]]
        elif variable.kind == NUMBER:
            values.append(total - record[skipped])
        if any(0 < value < n for value in values):
            return True
    return False


def _linked_row(row, municipality, at, inner):
    """A row of a municipality's own table as the row of the linked table it is part of."""
    if row == TOTAL or at is None:
        return row  # the "Alle" row, or the same row key (no split by municipality)
    values = [] if not inner else list(row) if isinstance(row, tuple) else [row]
    values.insert(at, municipality)
    return _row_key(tuple(values))


def _hidden_positions(protected: "ResultTable") -> set:
    """Where a table shown hides a number: (row, column), TOTAL for a margin."""
    found = {key for key, value in protected.cells.items() if value is None}
    found |= {(row, TOTAL) for row, value in protected.row_totals.items() if value is None}
    found |= {(TOTAL, c) for c, value in protected.column_totals.items() if value is None}
    return found | ({(TOTAL, TOTAL)} if protected.total is None else set())


def compare_waves(
    frames: Sequence[tuple[str, str, pl.DataFrame]], variable, *, n=None, linked=False
) -> ResultTable:
    """One table with a row per wave: frames are (identifier, title, frame). ``linked``: the
    frames cover several municipalities, each of which has its own comparison (see
    ``linked_tables``)."""
    parts = [
        frame.select(pl.col("municipality_id"), pl.col(variable.name)).with_columns(
            pl.lit(ident).alias("__wave")
        )
        for ident, _title, frame in frames
    ]
    waves = Dimension(
        "wave", _("Runde"), "__wave", tuple((ident, title) for ident, title, _frame in frames)
    )
    if linked:
        return linked_tables(pl.concat(parts), [variable], [waves], n=n)[0][0]
    return table(pl.concat(parts), variable, [waves], n=n)


def _table(
    variable, dimensions, rows, counts, n, also_hidden=frozenset(), *, as_unsplit=True
) -> ResultTable:
    """The protected table of one variable; ``also_hidden``: positions of the table shown
    ((row, column), TOTAL for a margin) to hide whatever their counts (``linked_tables``).

    A split table's «Alle» row is, number for number, the table of the same respondents
    without split, which is published too (the same page without split, the same municipality
    or selection). Protected each alone, the one could show what the other hides: the table
    without split hides the one «a» and its «Ikke svart», the table by gender shows «Ikke
    svart» in its «Alle» row, and «a» = 22 − 8 − 8 − 5 = 1. The rule (``as_unsplit``): the
    «Alle» row of a split table is hidden exactly where the table without split is hidden,
    and nowhere else (``_protect``, ``suppress_table``'s ``total_row``). So both tables show
    the very same numbers there, and the table without split tells nothing the split table
    does not: together they are safe because the split table alone is. Its suppression runs
    with those positions fixed, so no hidden number of its «Alle» row follows from its group
    rows, and what it hides in a group row does not follow from the «Alle» row (the table
    without split) and the other groups. Tables split otherwise (by gender, by grade) share
    that «Alle» row and each determines no sum of its hidden numbers but their grand total
    (``suppress_table``), so they reveal nothing together either. Not covered: a two-way split
    against a one-way split of the same people (gender × grade against gender), which share
    more than the «Alle» row.

    ``as_unsplit`` is off for a national table split by municipality: its «Alle» row is not a
    table published without split but a sum of numbers the municipalities' own tables show
    (``linked_tables``).
    """
    keys = [key for key, _label in rows]
    name = variable.name
    if variable.kind == CHOICE:
        columns = [*variable.choices, (SKIPPED, _("Ikke svart"))]
        cells = {(k, c): counts[k][f"{name}{SEP}{c}"] for k in keys for c, _label in columns}
        protected = _protect(cells, keys, [c for c, _l in columns], n, also_hidden, as_unsplit)
        return ResultTable(
            variable,
            dimensions,
            rows,
            columns,
            protected.cells,
            protected.row_totals,
            protected.column_totals,
            protected.total,
            too_few=_too_few(keys, counts, n),
        )
    if variable.kind == MULTIPLE:
        return _multiple_table(variable, dimensions, rows, counts, n, also_hidden, as_unsplit)
    return _number_table(variable, dimensions, rows, counts, n, also_hidden, as_unsplit)


def _protect(cells, keys, columns, n, also_hidden, as_unsplit):
    """``suppress_table`` of a table of groups; a split table's total row fixed to what the
    table of all of them without split hides (``_table``)."""
    total_row = None
    if as_unsplit and keys != [ALL]:
        whole = {(ALL, c): sum(cells[(k, c)] for k in keys) for c in columns}
        alone = suppress_table(whole, rows=[ALL], columns=columns, n=n, whole_rows=True)
        total_row = {c for _row, c in alone.hidden()}
    return suppress_table(
        cells,
        rows=keys,
        columns=columns,
        n=n,
        whole_rows=True,
        also_hidden=also_hidden,
        total_row=total_row,
    )


def _too_few(keys, counts, n) -> frozenset:
    """The groups hidden whole: those of fewer than n, and ALL when the table is."""
    found = {k for k in keys if too_few(counts[k]["__n"], n=n)}
    if too_few(sum(counts[k]["__n"] for k in keys), n=n):
        found.add(ALL)
    return frozenset(found)


def _multiple_table(variable, dimensions, rows, counts, n, also_hidden, as_unsplit) -> ResultTable:
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
        protected = _protect(
            split,
            keys,
            [SELECTED, NOT_SELECTED, SKIPPED],
            n,
            _option_positions(also_hidden, code),
            as_unsplit,
        )
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
        protected = _protect(
            split, keys, [SKIPPED], n, _option_positions(also_hidden, None), as_unsplit
        )
        hidden_skipped = {k for k in keys if protected.cells[(k, SKIPPED)] is None}
        hidden_rows = {k for k in keys if protected.row_totals[k] is None}
        skipped_total_hidden = protected.column_totals[SKIPPED] is None
        total_hidden = protected.total is None
    for k in keys:
        cells[(k, SKIPPED)] = None if k in hidden_skipped else skipped[k]
    column_totals[SKIPPED] = None if skipped_total_hidden else sum(skipped.values())
    row_totals = {k: None if k in hidden_rows else counts[k]["__n"] for k in keys}
    total = None if total_hidden else sum(counts[k]["__n"] for k in keys)
    columns = [*variable.choices, (SKIPPED, _("Ikke svart"))]
    return ResultTable(
        variable,
        dimensions,
        rows,
        columns,
        cells,
        row_totals,
        column_totals,
        total,
        too_few=_too_few(keys, counts, n),
    )


def _option_positions(also_hidden, code) -> set:
    """The positions of the table shown for a multiple-choice question as positions of one
    option's split (selected, not selected, not answered)."""
    found = set()
    for row, column in also_hidden:
        if column == code:
            found.add((row, SELECTED))
        elif column in (SKIPPED, TOTAL):
            found.add((row, column))
    return found


def _number_table(variable, dimensions, rows, counts, n, also_hidden, as_unsplit) -> ResultTable:
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
    protected = _protect(split, keys, [answered, SKIPPED], n, also_hidden, as_unsplit)
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
        too_few=_too_few(keys, counts, n),
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


# --- A wave from the database --------------------------------------------------------------------
logger = logging.getLogger(__name__)

KINDS = {
    Question.Type.SINGLE: CHOICE,
    Question.Type.LIKERT: CHOICE,
    Question.Type.LIKERT_GRID: CHOICE,
    Question.Type.MULTIPLE: MULTIPLE,
    Question.Type.NUMBER: NUMBER,
    Question.Type.SHORT_TEXT: TEXT,
    Question.Type.LONG_TEXT: TEXT,
    Question.Type.DATE: TEXT,
    Question.Type.TIME: TEXT,
    # A calculated variable: a number when its expression always gives one, else text.
    Question.Type.CALCULATE: TEXT,
}
# Background questions found by their question-bank key, or by the bank's variable name.
BACKGROUND = {"gender": "kjonn", "grade": "trinn", "age": "alder"}
# What results of an open wave may be split by (publication.py); a closed wave's also by the
# answers to any other choice question.
BACKGROUND_SPLITS = ("municipality", *BACKGROUND)
# Rows per chunk read from the database: bounded memory however large the wave.
CHUNK_ROWS = 20000


def variables_for(questionnaire, *, lang: str = "nb") -> list[Variable]:
    """The questionnaire's variables in order (a grid's items in place of the grid)."""
    structure = questionnaire_structure(questionnaire)
    bank_keys = dict(
        Question.objects.filter(questionnaire=questionnaire).values_list("name", "bank_key")
    )
    found = []
    for q in structure.questions():
        if not q.variables:
            continue  # a note asks nothing
        kind = KINDS[q.type]
        choices = tuple((value, labels.get(lang) or labels["nb"]) for value, labels in q.choices)
        common = {
            "kind": kind,
            "choices": choices,
            "question_type": q.type,
            "decimals": q.allow_decimals,
        }
        if q.type == Question.Type.CALCULATE:
            numeric = q.calculation is not None and conditions.numeric(q.calculation)
            common.update(kind=NUMBER if numeric else TEXT, decimals=numeric)
            # The codebook and the files say how it is calculated.
            label = q.label(lang)
            about = {"label": label, "calculation": q.calculation_text}
            if label:
                label = _("%(label)s (beregnet: %(calculation)s)") % about
            else:
                label = _("Beregnet: %(calculation)s") % about
            found.append(Variable(q.name, label, **common))
            continue
        if q.type == Question.Type.LIKERT_GRID:
            for name, labels in q.items:
                item = labels.get(lang) or labels["nb"]
                found.append(Variable(name, f"{q.label(lang)} – {item}", **common))
        else:
            found.append(
                Variable(q.name, q.label(lang), bank_key=bank_keys.get(q.name, ""), **common)
            )
    return found


def background_variable(variables, key: str) -> Variable | None:
    for v in variables:
        if v.bank_key == key:
            return v
    return next((v for v in variables if v.name == BACKGROUND[key]), None)


def dimensions_for(variables, municipality_ids=None, *, answers=False) -> dict[str, Dimension]:
    """What a table may be split by: municipality, gender, age, grade and, with ``answers``
    (a closed wave, see ``publication.py``), every other choice question (by its name)."""
    found = {}
    if municipality_ids is None or len(municipality_ids) != 1:
        names = Municipality.objects.order_by("name").values_list("pk", "name")
        if municipality_ids is not None:
            names = names.filter(pk__in=municipality_ids)
        found["municipality"] = Dimension(
            "municipality", _("Kommune"), "municipality_id", tuple(names)
        )
    found.update(_answer_dimensions(variables, answers=answers))
    return found


def split_columns(variables) -> list[str]:
    """The background columns a table can be split or filtered by (publication.py)."""
    background = _answer_dimensions(variables, answers=False)
    return ["municipality_id", *(d.column for d in background.values())]


def splits_by_answers(dimensions) -> bool:
    return any(d.key not in BACKGROUND_SPLITS for d in dimensions)


def _answer_dimensions(variables, *, answers) -> dict[str, Dimension]:
    found = {}
    labels = {"gender": _("Kjønn"), "age": _("Alder"), "grade": _("Trinn")}
    background = set()
    for key, label in labels.items():
        v = background_variable(variables, key)
        if v is not None and v.kind in (CHOICE, NUMBER):
            found[key] = Dimension(key, label, v.name, v.choices)
            background.add(v.name)
    if not answers:
        return found
    for v in variables:
        if v.kind == CHOICE and v.name not in background:
            found[v.name] = Dimension(v.name, v.label, v.name, v.choices)
    return found


# --- Reading responses in chunks -----------------------------------------------------------------


# How each response came in and the language it was answered in, kept in the snapshot for the
# research exports (never in results). Names no variable can have (a variable begins with a
# letter).
CHANNEL, LANGUAGE = "__channel__", "__language__"
CHANNELS = tuple(Response.Channel.values)
LANGUAGES = ("nb", "nn", "en")
# The snapshot's own columns; a snapshot written without them is out of date.
SNAPSHOT_COLUMNS = ["pk", "municipality_id", "submitted_on", CHANNEL, LANGUAGE]


def _snapshot_schema(variables) -> dict:
    schema = frame_schema(variables)
    return {
        "pk": pl.Int64,
        "municipality_id": schema.pop("municipality_id"),
        "submitted_on": schema.pop("submitted_on"),
        CHANNEL: pl.Enum(CHANNELS),
        LANGUAGE: pl.Enum(LANGUAGES),
        **schema,
    }


def _arrow_schema(variables) -> pa.Schema:
    return pl.DataFrame(schema=_snapshot_schema(variables)).to_arrow().schema


def _chunk_frame(columns: dict, variables) -> pl.DataFrame:
    return pl.DataFrame(columns, schema=_snapshot_schema(variables))


def response_chunks(wave, variables, *, chunk_rows: int = CHUNK_ROWS):
    """The wave's responses in pk order as frames of at most ``chunk_rows`` rows (with a
    ``pk`` column first). On PostgreSQL the answers are taken apart by the database and read
    with COPY; elsewhere row by row. Both give the same frames (tests compare them)."""
    if connection.vendor == "postgresql":
        yield from _chunks_postgresql(wave, variables, chunk_rows)
    else:
        yield from _chunks_python(wave, variables, chunk_rows)


def _chunks_python(wave, variables, chunk_rows):
    names = [v.name for v in variables]
    rows = (
        Response.objects.filter(wave=wave)
        .order_by("pk")
        .values_list("pk", "municipality_id", "submitted_on", "channel", "language", "answers")
        .iterator(chunk_size=chunk_rows)
    )
    while True:
        columns: dict = {name: [] for name in SNAPSHOT_COLUMNS}
        columns.update({name: [] for name in names})
        count = 0
        for pk, municipality_id, submitted_on, channel, language, answers in rows:
            columns["pk"].append(pk)
            columns["municipality_id"].append(municipality_id)
            columns["submitted_on"].append(submitted_on)
            columns[CHANNEL].append(channel)
            columns[LANGUAGE].append(language or None)
            for name in names:
                columns[name].append(clean_value(answers.get(name)))
            count += 1
            if count == chunk_rows:
                break
        if not count:
            return
        yield _chunk_frame(columns, variables)
        if count < chunk_rows:
            return


def _chunks_postgresql(wave, variables, chunk_rows):
    """COPY of the answers split into text columns by PostgreSQL; Polars parses each chunk."""
    table = Response._meta.db_table
    selects = ["id", "municipality_id", "submitted_on", "channel", "NULLIF(language, '')"]
    for v in variables:
        # A list stays JSON text (decoded below); everything else is the value as text.
        operator = "->" if v.kind == MULTIPLE else "->>"
        selects.append(f"answers {operator} %s")
    # The table name is the model's and the selects are fixed text; the variable names and
    # the wave are bound as parameters.
    sql = (
        f"COPY (SELECT {', '.join(selects)} FROM {table} WHERE wave_id = %s ORDER BY id) "  # noqa: S608
        "TO STDOUT WITH (FORMAT csv)"
    )
    params = [v.name for v in variables] + [wave.pk]
    text_schema = {
        "pk": pl.Int64,
        "municipality_id": pl.Int32,
        "submitted_on": pl.Date,
        CHANNEL: pl.String,
        LANGUAGE: pl.String,
    }
    text_schema.update({v.name: pl.String for v in variables})
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: COPY streams
        buffer, lines = io.BytesIO(), 0
        with raw.copy(sql, params) as copy:
            for block in copy:
                buffer.write(block)
                lines += bytes(block).count(b"\n")
                if lines >= chunk_rows:
                    data, rest = _split_at_last_line(buffer.getvalue())
                    yield _parse_csv(data, text_schema, variables)
                    buffer, lines = io.BytesIO(rest), rest.count(b"\n")
        if buffer.tell():
            yield _parse_csv(buffer.getvalue(), text_schema, variables)


def _split_at_last_line(data: bytes) -> tuple[bytes, bytes]:
    # Free text may hold newlines inside quotes; a line end inside quotes is not a row end, so
    # cut at the last newline outside quotes (an even number of quotes before it).
    end = len(data)
    while True:
        cut = data.rfind(b"\n", 0, end)
        if cut < 0:
            return b"", data
        if data.count(b'"', 0, cut) % 2 == 0:
            return data[: cut + 1], data[cut + 1 :]
        end = cut


def _parse_csv(data: bytes, text_schema, variables) -> pl.DataFrame:
    if not data:
        return _chunk_frame({}, variables)
    frame = pl.read_csv(data, has_header=False, new_columns=list(text_schema), schema=text_schema)
    casts = [
        pl.col(CHANNEL).cast(pl.Enum(CHANNELS)),
        pl.col(LANGUAGE).cast(pl.Enum(LANGUAGES), strict=False),
    ]
    for v in variables:
        col = pl.col(v.name)
        if v.kind == MULTIPLE:
            casts.append(col.str.json_decode(pl.List(pl.String)))
        elif v.kind == CHOICE:
            casts.append(col.cast(pl.Enum(v.codes), strict=False))
        elif v.kind == NUMBER:
            casts.append(col.cast(pl.Float64, strict=False))
    return frame.with_columns(casts)


# --- Snapshots -----------------------------------------------------------------------------------


def files_dir() -> Path:
    path = Path(settings.UNGKULTUR_SURVEY_FILES_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def snapshot_path(wave) -> Path:
    return files_dir() / "snapshots" / f"wave-{wave.pk}.parquet"


def wave_stamp(wave) -> dict:
    """What the snapshot must match: how many responses, and the newest."""
    found = Response.objects.filter(wave=wave).aggregate(count=Count("pk"), last=Max("pk"))
    return {"count": found["count"], "last": found["last"] or 0}


def _snapshot_stamp(path: Path) -> dict | None:
    try:
        metadata = pq.read_metadata(path).metadata or {}
    except (OSError, pa.ArrowInvalid):
        return None
    raw = metadata.get(b"ungkultur")
    return json.loads(raw) if raw else None


def snapshot_write(wave, variables=None) -> dict:
    """Write the wave's columnar snapshot from the database, chunk by chunk (bounded memory),
    and return its stamp. Written beside and moved into place, so a reader never sees half."""
    variables = variables or variables_for(wave.survey.questionnaire)
    path = snapshot_path(wave)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name of its own: two requests (threads of one process) may refresh at the same time.
    partial = path.with_suffix(f".{uuid.uuid4().hex}.partial")
    count, last = 0, 0
    schema = _arrow_schema(variables)
    names = [v.name for v in variables]
    with pq.ParquetWriter(partial, schema, compression="snappy") as writer:
        for chunk in response_chunks(wave, variables):
            if chunk.height:
                count += chunk.height
                last = int(chunk.get_column("pk").max())
                table = chunk.to_arrow().cast(schema)
                writer.write_table(table)
        writer.add_key_value_metadata(
            {
                "ungkultur": json.dumps(
                    {
                        "count": count,
                        "last": last,
                        "variables": names,
                        "columns": SNAPSHOT_COLUMNS,
                    }
                )
            }
        )
    os.replace(partial, path)
    return {"count": count, "last": last, "variables": names, "columns": SNAPSHOT_COLUMNS}


def snapshot_ensure(wave, variables=None) -> dict:
    """The snapshot's stamp, after rewriting it if it is out of date (for the task worker)."""
    variables = variables or variables_for(wave.survey.questionnaire)
    have = _snapshot_stamp(snapshot_path(wave))
    if _is_fresh(have, wave_stamp(wave), variables):
        return have
    return snapshot_write(wave, variables)


def _is_fresh(have, stamp, variables) -> bool:
    return (
        have is not None
        and have["count"] == stamp["count"]
        and have["last"] == stamp["last"]
        and have.get("variables") == [v.name for v in variables]
        and have.get("columns") == SNAPSHOT_COLUMNS
    )


def wave_frame(wave, variables=None, *, refresh: bool = True) -> tuple[pl.DataFrame | None, bool]:
    """The wave's published responses as a frame (``publication.py``: what a before/after
    comparison cannot read one response from), and whether its snapshot is up to date.

    A snapshot out of date is rewritten at once for a small wave; a large one is refreshed by
    the task worker while the older snapshot is shown. None if there is none yet.
    """
    variables = variables or variables_for(wave.survey.questionnaire)
    path = snapshot_path(wave)
    stamp = wave_stamp(wave)
    have = _snapshot_stamp(path)
    fresh = _is_fresh(have, stamp, variables)
    if not fresh and refresh:
        if stamp["count"] <= settings.UNGKULTUR_SURVEY_INLINE_SNAPSHOT_MAX:
            snapshot_write(wave, variables)
            fresh = True
        else:
            from ungkultur.surveys.tasks import refresh_snapshot

            refresh_snapshot.enqueue(wave_id=wave.pk)
    if not path.exists():
        return None, False
    return published_frame(wave, variables).drop("pk"), fresh


def frozen_frame(wave, variables) -> pl.DataFrame:
    """The published responses as they were the first time a table split by the answers to a
    question was asked for, the wave closed: such tables come from this set alone, ever."""
    if wave.status != Wave.Status.CLOSED:
        raise ValueError("tables split by answers are made only for a closed wave")
    return publication.frozen(published_frame(wave, variables), frozen_path(wave))


def frozen_path(wave) -> Path:
    return files_dir() / "snapshots" / f"wave-{wave.pk}.frozen.parquet"


def published_path(wave) -> Path:
    return files_dir() / "snapshots" / f"wave-{wave.pk}.published.parquet"


def published_frame(wave, variables) -> pl.DataFrame:
    """The published part of the wave's snapshot (with its ``pk`` column), brought up to date
    with what may be added since the last publication."""
    with open(snapshot_path(wave), "rb") as snapshot:  # the frame and its stamp, one file
        schema = pq.read_schema(snapshot)
        source = json.loads((schema.metadata or {}).get(b"ungkultur", b"null"))
        snapshot.seek(0)
        # How responses came in and their language are for research exports, not results.
        names = [name for name in schema.names if name not in (CHANNEL, LANGUAGE)]
        live = pl.read_parquet(snapshot, columns=names)
    return publication.published(
        live,
        source,
        published_path(wave),
        split_columns(variables),
        n=min_n(),
    )


# --- Protected tables of a wave, cached ----------------------------------------------------------

CACHE_SECONDS = 60 * 60


def wave_tables(
    wave, variables, dimensions=(), *, municipality_id=None, names=None
) -> tuple[list[ResultTable], int | None, bool]:
    """The protected tables of a wave (optionally one municipality's, some variables), the
    number of respondents (hidden below n) and whether the snapshot was up to date.

    Kept in the cache under the snapshot's stamp, so a new response makes new tables, and every
    user asking the same question gets the very same protected numbers.
    """
    chosen = [v for v in variables if v.in_results and (not names or v.name in names)]
    stamp = wave_stamp(wave)
    key = (
        "surveys:tables:"
        + hashlib.sha256(
            json.dumps(
                [
                    wave.pk,
                    stamp,
                    municipality_id,
                    [d.key for d in dimensions],
                    [(v.name, v.label, v.codes) for v in chosen],
                    min_n(),
                    translation.get_language(),
                ]
            ).encode()
        ).hexdigest()
    )
    found = cache.get(key)
    if found is not None:
        return found
    frame, fresh = wave_frame(wave, variables)
    if frame is not None and splits_by_answers(dimensions):
        frame = frozen_frame(wave, variables).drop("pk")
    if frame is None:
        return [], None, fresh
    if municipality_id is not None:
        frame = frame.filter(pl.col("municipality_id") == municipality_id)
        found, respondents = tables(frame, chosen, dimensions), frame.height
    else:
        # Beside every municipality's own tables: see linked_tables.
        found, respondents = linked_tables(frame, chosen, dimensions)
    # Answers all left out (every municipality under n) are hidden, not "0 svar".
    shown = suppress_total(respondents, n=min_n()) if respondents or not frame.height else None
    result = (found, shown, fresh)
    if fresh:
        cache.set(key, result, CACHE_SECONDS)
    return result
