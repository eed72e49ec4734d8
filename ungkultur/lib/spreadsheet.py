"""Cells that stay data when a CSV or XLSX file is opened in a spreadsheet.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula (and tab
or carriage return can hide such a start), so a respondent's ``=HYPERLINK("http://…?"&A2)``
would send the neighbouring cells away (CSV injection). Every CSV and XLSX the platform writes
goes through this module:

- CSV: such text gets a leading ``'`` (OWASP's advice; the text stays readable), and every
  text field is quoted, so that a spreadsheet that splits on ``;`` (Excel in Norway does) does
  not start a new cell inside it. Numbers (int, float, Decimal) are written as numbers: -3
  stays -3, while the text "-3" a respondent typed becomes "'-3". A choice code that is a
  number (``-1``, "vet ikke") is written as that number (``inert_code``).
- XLSX: a cell is a typed string or number; openpyxl makes any text that begins with ``=`` a
  formula, and ``inert_workbook`` turns those back into strings, so the text stays exactly as
  typed (no ``'``: an XLSForm or a codebook reads back unchanged) and is never run.
"""

import csv
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import polars as pl
from django.utils.functional import Promise
from openpyxl import Workbook

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TRIGGER_PATTERN = r"^[=+\-@\t\r]"
# A choice code that is a whole number: a spreadsheet reads "-1" as the number -1, never as a
# formula (survey codes are whole numbers; see surveys.exports._numeric_codes).
NUMBER_PATTERN = r"^-?[0-9]+$"
_NEGATIVE = re.compile(r"-[0-9]+")
# For Polars' CSV writers: quote every field that is not a number.
QUOTE_STYLE = "non_numeric"

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)


def inert(value: Any) -> Any:
    """``value`` as a spreadsheet cell that is never run: text that would start a formula
    gets a leading ``'``; numbers, dates, booleans and None are returned as they are."""
    if isinstance(value, Promise):  # a lazy translation is text too
        value = str(value)
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def inert_code(value: Any) -> Any:
    """A choice code: a negative whole number written as text (``"-1"``) becomes that number,
    other text is made ``inert``."""
    if isinstance(value, str) and _NEGATIVE.fullmatch(value):
        return int(value)
    return inert(value)


def inert_row(values: Iterable[Any] | Mapping[str, Any]) -> Any:
    if isinstance(values, Mapping):
        return {key: inert(value) for key, value in values.items()}
    return [inert(value) for value in values]


class _InertWriter:
    """A csv writer (or DictWriter) whose rows pass through ``inert_row``."""

    def __init__(self, writer):
        self._writer = writer

    def writeheader(self):
        return self._writer.writeheader()

    def writerow(self, row):
        return self._writer.writerow(inert_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **options) -> _InertWriter:
    """``csv.writer`` for a file a spreadsheet may open: text inert and quoted."""
    return _InertWriter(csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, **options))


def csv_dict_writer(out, fieldnames, **options) -> _InertWriter:
    """``csv.DictWriter`` for a file a spreadsheet may open: text inert and quoted."""
    return _InertWriter(
        csv.DictWriter(out, fieldnames=fieldnames, quoting=csv.QUOTE_NONNUMERIC, **options)
    )


def inert_text(frame: Frame, *, codes: Iterable[str] = ()) -> Frame:
    """Every text column of a Polars frame (eager or lazy) made inert; ``codes`` names the
    columns of choice codes, where a number written as text stays as it is. Write the
    result with ``quote_style=QUOTE_STYLE``."""
    codes = set(codes)
    exprs = []
    for name, dtype in frame.collect_schema().items():
        if dtype == pl.String or isinstance(dtype, pl.Categorical | pl.Enum):
            exprs.append(_inert_expr(pl.col(name).cast(pl.String), code=name in codes).alias(name))
    return frame.with_columns(exprs) if exprs else frame


def _inert_expr(text: pl.Expr, *, code: bool) -> pl.Expr:
    # A test and a concatenation where needed: a regex replace on every cell was about twice
    # as slow in the streaming CSV export.
    risky = text.str.contains(TRIGGER_PATTERN)
    if code:
        risky = risky & ~text.str.contains(NUMBER_PATTERN)
    return pl.when(risky).then(pl.lit("'") + text).otherwise(text)


def inert_workbook(book: Workbook) -> Workbook:
    """Every formula cell of ``book`` made a string cell with the same text (call before
    saving: the platform writes no formulas, so each one came from text beginning with
    ``=``)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return book
