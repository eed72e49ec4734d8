"""Research exports of a wave: CSV, Parquet, SPSS .sav, Stata .dta, a codebook (XLSX) and a
Frictionless data package (``datapackage.json``), all with the same columns.

One row per response. ``respondent`` is the same number for a response in every export of
the wave (its id XOR a secret key of the wave: never the database key, and nothing about the
order of sending). Columns: ``respondent``, ``kommunenr`` (municipality number, labelled with its
name), ``dato`` (the date only), ``kanal`` (how the response came in: 1 code, 2 open link,
3 imported; labelled), ``sprak`` (the language answered in: 1 bokmål, 2 nynorsk, 3 English,
empty for imports; labelled), then one column per variable: a choice as its numeric code
with value labels (as text where a list has codes that are not whole numbers), a multiple
choice as one 0/1 column per option (empty where the question was not answered), numbers as
numbers, free text as text. Names are made safe for SPSS and Stata (letters, digits and _,
at most 32 characters); the codebook gives each column's question, labels, the condition that
shows it and its missing values.

In SPSS and Stata files a coded answer (a choice code, a multiple-choice 0/1) that is missing
says why: -1 (Stata .a) the question's condition did not show it, -2 (.b) shown but not
answered; a choice labelled "Vil ikke svare" is missing too (.c). SPSS has them as user-missing
values, Stata as extended missing values; whole numbers have integer formats (F8.0, %8.0g).

CSV and XLSX are inert (lib/spreadsheet.py): in a CSV, text that a spreadsheet would run as a
formula (beginning with =, +, -, @, tab or carriage return) starts with ', and text is quoted;
in the codebook such text is a string cell. Parquet, SPSS and Stata files keep the text as it is.

Memory stays bounded for CSV and Parquet: Polars' streaming engine reads the wave's snapshot
and writes the file in batches (about 0.85 GB at a million responses × 60 items), and so does
the data package's CSV. SPSS and Stata files are written whole by pyreadstat, from numeric
columns (8 bytes a cell: about 1.4 GB at a million × 60).

Aggregate exports for everyone else are the protected result tables as CSV
(``aggregate_csv``), with hidden numbers left empty.
"""

import datetime
import hashlib
import hmac
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pyreadstat
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ungkultur.core.services import audit_record
from ungkultur.lib import spreadsheet
from ungkultur.municipalities.models import Municipality
from ungkultur.surveys import conditions, results
from ungkultur.surveys.models import ANSWER_LANGUAGES, ResearchExport, Response
from ungkultur.surveys.results import CHOICE, MULTIPLE, NUMBER, ResultTable, Variable
from ungkultur.surveys.selectors import questionnaire_structure

BATCH_ROWS = 250_000
MAX_NAME = 32  # Stata's limit (SPSS allows 64)
# Stata's longest fixed string; longer free text is cut there in .dta files only.
STATA_MAX_STR = 2045
MEASURES = {"likert": "ordinal", "likert_grid": "ordinal"}


@dataclass(frozen=True)
class Column:
    """One column of the export."""

    name: str
    label: str
    type: str  # integer, number, string, date
    source: str  # the variable (or the fixed column) it comes from
    option: str = ""  # for a multiple-choice dummy: the option's code
    value_labels: dict = field(default_factory=dict)
    measure: str = "nominal"
    question_type: str = ""
    routing: str = ""  # the condition that shows the question ("" = always asked)
    # User-missing codes (SPSS) / extended missing (Stata): code → (Stata letter, label).
    missing: dict = field(default_factory=dict)

    @property
    def coded(self) -> bool:
        """A whole-number code of a question: it gets the missing-value scheme."""
        return self.type == "integer" and bool(self.question_type)

    @property
    def categories(self) -> list[dict]:
        return [{"value": value, "label": label} for value, label in self.value_labels.items()]


@dataclass(frozen=True)
class Dataset:
    """What the files say about themselves."""

    name: str
    title: str
    wave: str
    rows: int
    created: datetime.datetime
    municipalities: dict = field(default_factory=dict)  # code (int) → name


def safe_name(name: str, taken: set) -> str:
    """A name SPSS and Stata accept, unique among ``taken`` (which it joins)."""
    clean = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if not clean or not clean[0].isalpha():
        clean = f"v{clean}"
    clean = clean[:MAX_NAME]
    candidate, n = clean, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f"_{n}"
        candidate = clean[: MAX_NAME - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def _numeric_codes(codes: Sequence[str]) -> bool:
    return bool(codes) and all(re.fullmatch(r"-?\d{1,9}", code) for code in codes)


# The missing-value scheme of SPSS and Stata files (docs/surveys.md): a question its condition
# did not show, one shown but not answered, and an answer "Vil ikke svare" (a choice so labelled).
NOT_ASKED, SKIPPED = -1, -2
REFUSED_LABELS = {"vil ikke svare", "ønsker ikke å svare", "vil ikkje svare", "prefer not to say"}


def _missing(v: Variable) -> dict:
    found = {NOT_ASKED: ("a", _("Ikke spurt")), SKIPPED: ("b", _("Hoppet over"))}
    for code, label in v.choices:
        if label.strip().lower() in REFUSED_LABELS and re.fullmatch(r"-?\d{1,9}", code):
            found[int(code)] = ("c", label)
    return found


def channel_labels() -> dict:
    """The codes of ``kanal``, in the order of ``results.CHANNELS`` (1, 2, 3, …)."""
    names = dict(Response.Channel.choices)
    return {i + 1: str(names[value]) for i, value in enumerate(results.CHANNELS)}


def language_labels() -> dict:
    """The codes of ``sprak``, in the order of ``results.LANGUAGES``."""
    names = dict(ANSWER_LANGUAGES)
    return {i + 1: str(names[code]) for i, code in enumerate(results.LANGUAGES)}


def export_columns(
    variables: Sequence[Variable], municipalities: dict, routing: dict | None = None
) -> list[Column]:
    """The export's columns; ``routing`` maps a variable to the condition that shows it."""
    routing = routing or {}
    taken = {"respondent", "kommunenr", "dato", "kanal", "sprak"}
    columns = [
        Column(
            "respondent",
            _("Fast nummer for svaret i runden (det samme i hvert uttrekk)"),
            "integer",
            "respondent",
            measure="scale",
        ),
        Column(
            "kommunenr",
            _("Kommunenummer"),
            "integer",
            "municipality_id",
            value_labels=dict(sorted(municipalities.items())),
        ),
        Column("dato", _("Dato svaret kom inn"), "date", "submitted_on", measure="scale"),
        Column(
            "kanal",
            _("Hvordan svaret kom inn"),
            "integer",
            results.CHANNEL,
            value_labels=channel_labels(),
        ),
        Column(
            "sprak",
            _("Språket svaret ble gitt på (tomt for importerte svar)"),
            "integer",
            results.LANGUAGE,
            value_labels=language_labels(),
        ),
    ]
    for v in variables:
        if v.kind == MULTIPLE:
            for code, label in v.choices:
                columns.append(
                    Column(
                        safe_name(f"{v.name}_{code}", taken),
                        f"{v.label}: {label}",
                        "integer",
                        v.name,
                        option=code,
                        value_labels={0: _("Ikke valgt"), 1: _("Valgt")},
                        question_type=v.question_type,
                        routing=routing.get(v.name, ""),
                        missing={k: m for k, m in _missing(v).items() if k < 0},
                    )
                )
            continue
        name = safe_name(v.name, taken)
        if v.kind == CHOICE:
            numeric = _numeric_codes(v.codes)
            labels = {(int(c) if numeric else c): label for c, label in v.choices}
            columns.append(
                Column(
                    name,
                    v.label,
                    "integer" if numeric else "string",
                    v.name,
                    value_labels=labels,
                    measure=MEASURES.get(v.question_type, "nominal"),
                    question_type=v.question_type,
                    routing=routing.get(v.name, ""),
                    missing=_missing(v) if numeric else {},
                )
            )
        elif v.kind == NUMBER:
            columns.append(
                Column(
                    name,
                    v.label,
                    "number" if v.decimals else "integer",
                    v.name,
                    measure="scale",
                    question_type=v.question_type,
                    routing=routing.get(v.name, ""),
                )
            )
        else:
            columns.append(
                Column(
                    name,
                    v.label,
                    "string",
                    v.name,
                    question_type=v.question_type,
                    routing=routing.get(v.name, ""),
                )
            )
    return columns


POLARS_TYPES = {"integer": pl.Int64, "number": pl.Float64, "string": pl.String, "date": pl.Date}


RESPONDENT_BITS = 2**53 - 1


def respondent_key(wave) -> tuple:
    """The wave's secret for respondent numbers (three 53-bit numbers, the multipliers odd)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"ungkultur.respondent.{wave.pk}".encode(), hashlib.sha256
    ).digest()
    k, a, b = (int.from_bytes(digest[i : i + 8], "big") & RESPONDENT_BITS for i in (0, 8, 16))
    return k, a | 1, b | 1


def respondent_expr(pk, key) -> pl.Expr:
    """A response's number: its id mixed with the wave's key (XOR, two odd multiplications
    modulo 2**53 and two xor-shifts, each a one-to-one map). The same in every export of the
    wave, one number per response, never the database key, and nothing about the order of the
    ids (imported responses have consecutive ones). Below 2**53, so exact as a double."""
    k, a, b = (pl.lit(v, dtype=pl.UInt64) for v in key)
    mask = pl.lit(RESPONDENT_BITS, dtype=pl.UInt64)
    x = pk.cast(pl.UInt64) ^ k
    x = (x * a) & mask
    x = x ^ (x // pl.lit(2**26, dtype=pl.UInt64))
    x = (x * b) & mask
    x = x ^ (x // pl.lit(2**26, dtype=pl.UInt64))
    return x.cast(pl.Int64)


def export_frame(frame: pl.DataFrame, columns: Sequence[Column], *, key: tuple, codes: dict):
    """A chunk of a wave frame (see results.frame_schema, with its ``pk``) in the export's
    columns. ``key`` is ``respondent_key``; ``codes`` maps municipality ids to municipality
    numbers (as integers)."""
    respondent = respondent_expr(pl.col("pk"), key)
    return frame.select(_export_exprs(columns, codes, respondent))


def export_lazy(path: Path, columns: Sequence[Column], codes: dict, key: tuple) -> pl.LazyFrame:
    """The whole snapshot in the export's columns, for Polars' streaming engine (it reads,
    converts and writes in parallel batches, so memory stays bounded)."""
    frame = pl.scan_parquet(path)
    respondent = respondent_expr(pl.col("pk"), key)
    return frame.select(_export_exprs(columns, codes, respondent))


def _export_exprs(columns, codes, respondent) -> list:
    exprs = []
    for column in columns:
        if column.source == "respondent":
            expr = respondent
        elif column.source == "municipality_id":
            expr = pl.col("municipality_id").replace_strict(codes, return_dtype=pl.Int64)
        elif column.source == "submitted_on":
            expr = pl.col("submitted_on")
        elif column.option:
            expr = pl.col(column.source).list.contains(column.option).cast(pl.Int64)
        elif column.type == "integer" and column.value_labels:
            # The enum's position → its numeric code, without going through text.
            values = list(column.value_labels)
            expr = (
                pl.col(column.source)
                .to_physical()
                .replace_strict(list(range(len(values))), values, return_dtype=pl.Int64)
            )
        else:
            expr = pl.col(column.source).cast(POLARS_TYPES[column.type])
        exprs.append(expr.alias(column.name))
    return exprs


def snapshot_batches(path: Path, *, batch_rows: int = BATCH_ROWS) -> Iterator[pl.DataFrame]:
    """A wave's snapshot in batches (with ``pk``, from which the respondent number comes)."""
    parquet = pq.ParquetFile(path)
    for batch in parquet.iter_batches(batch_size=batch_rows):
        yield pl.from_arrow(batch)


def export_batches(
    frames: Iterable[pl.DataFrame], columns, codes, *, key: tuple, shown=None
) -> Iterator[pl.DataFrame]:
    """The frames in the export's columns. With ``shown`` (``shown_by``), a coded answer that
    is missing says why: NOT_ASKED where its condition did not show it, else SKIPPED."""
    for frame in frames:
        out = export_frame(frame, columns, key=key, codes=codes)
        if shown is not None:
            out = _missing_codes(frame, out, columns, shown)
        yield out


def shown_by(structure) -> dict:
    """Each variable whose question (or page) has a condition → the parsed conditions."""
    found = {}
    for section in structure.sections:
        for question in section.questions:
            trees = [t for t in (section.relevant, question.relevant) if t is not None]
            if trees:
                for name in question.variables:
                    found[name] = trees
    return found


def routing_of(structure) -> dict:
    """Each variable → the condition that shows it, as written (page and question)."""
    found = {}
    for section in structure.sections:
        for question in section.questions:
            texts = [t for t in (section.relevant_text, question.relevant_text) if t.strip()]
            for name in question.variables:
                found[name] = " and ".join(f"({t})" if len(texts) > 1 else t for t in texts)
    return found


def _references(tree) -> set:
    """The variables a parsed condition reads."""
    if not isinstance(tree, tuple):
        return set()
    found = {tree[1]} if tree[0] in ("var", "selected", "count") else set()
    for part in tree[1:]:
        found |= _references(part)
    return found


def _shown_flags(frame, trees) -> pl.Series:
    """Whether the conditions held, row by row: evaluated once per distinct combination of the
    answers they read (few), then joined back in row order."""
    names = sorted(set().union(*(_references(t) for t in trees)) & set(frame.columns))
    if not names:
        value = all(conditions.evaluate(t, {}) for t in trees)
        return pl.Series([value] * frame.height, dtype=pl.Boolean)
    keys = frame.select(
        [
            pl.col(n).cast(pl.String)
            if isinstance(frame.schema[n], pl.Enum)
            else (pl.col(n).list.join(" ") if isinstance(frame.schema[n], pl.List) else pl.col(n))
            for n in names
        ]
    )
    lists = {n for n in names if isinstance(frame.schema[n], pl.List)}
    distinct = keys.unique()
    flags = []
    for row in distinct.iter_rows(named=True):
        answers = {}
        for name, value in row.items():
            if value is None or value == "":
                continue
            answers[name] = value.split(" ") if name in lists else value
        flags.append(all(conditions.evaluate(t, answers) for t in trees))
    table = distinct.with_columns(pl.Series("__shown", flags, dtype=pl.Boolean))
    joined = keys.join(table, on=names, how="left", nulls_equal=True, maintain_order="left")
    return joined.get_column("__shown")


def _missing_codes(frame, out, columns, shown):
    coded = [c for c in columns if c.coded and c.missing]
    if not coded or out.height == 0:
        return out
    flags = {
        source: _shown_flags(frame, shown[source])
        for source in {c.source for c in coded if c.source in shown}
    }
    exprs = []
    for column in coded:
        col = pl.col(column.name)
        why = (
            pl.when(pl.lit(flags[column.source])).then(pl.lit(SKIPPED)).otherwise(pl.lit(NOT_ASKED))
            if column.source in flags
            else pl.lit(SKIPPED)
        )
        exprs.append(pl.when(col.is_null()).then(why).otherwise(col).alias(column.name))
    return out.with_columns(exprs)


# --- Writers -------------------------------------------------------------------------------------


def inert_csv(frame, columns):
    """Text that a spreadsheet would run as a formula made inert (lib/spreadsheet.py); a
    choice code that is a whole number stays as it is. Write it with ``CSV_OPTIONS``."""
    codes = [c.name for c in columns if c.type == "string" and c.value_labels]
    return spreadsheet.inert_text(frame, codes=codes)


CSV_OPTIONS = {"quote_style": spreadsheet.QUOTE_STYLE}


def write_csv(batches: Iterable[pl.DataFrame], path: Path, columns) -> int:
    """UTF-8 with a header, comma separated, text quoted, empty for missing; batch by batch."""
    rows = 0
    with open(path, "wb") as out:
        for i, batch in enumerate(batches):
            inert_csv(batch, columns).write_csv(out, include_header=i == 0, **CSV_OPTIONS)
            rows += batch.height
    return rows


def write_parquet(batches: Iterable[pl.DataFrame], path: Path, columns, dataset) -> int:
    """Parquet (zstd), batch by batch; the codebook rides along in the file's metadata."""
    rows, writer = 0, None
    try:
        for batch in batches:
            table = batch.to_arrow()
            if writer is None:
                metadata = {"datapackage": json.dumps(datapackage(columns, dataset, "data"))}
                schema = table.schema.with_metadata(metadata)
                writer = pq.ParquetWriter(path, schema, compression="snappy")
            writer.write_table(table.cast(writer.schema))
            rows += batch.height
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        empty = pl.DataFrame(schema={c.name: POLARS_TYPES[c.type] for c in columns})
        empty.write_parquet(path)
    return rows


def _readstat_frame(batches: Iterable[pl.DataFrame], columns, *, stata: bool) -> pl.DataFrame:
    parts = list(batches)
    if parts:
        frame = pl.concat(parts, how="vertical")
    else:
        frame = pl.DataFrame(schema={c.name: POLARS_TYPES[c.type] for c in columns})
    casts = []
    for column in columns:
        col = pl.col(column.name)
        if column.type == "integer":
            # Codes and counts fit in 32 bits; SPSS keeps every number as a double anyway.
            casts.append(col.cast(pl.Float64))
        elif column.type == "string" and stata:
            casts.append(col.str.slice(0, STATA_MAX_STR // 4))
    return frame.with_columns(casts) if casts else frame


def _labels(columns, *, stata: bool) -> dict:
    found = {}
    for column in columns:
        if not column.value_labels:
            continue
        if all(isinstance(value, int) for value in column.value_labels):
            labels = dict(column.value_labels)
            for code, (letter, label) in column.missing.items():
                labels.pop(code, None)
                labels[letter if stata else code] = label
            found[column.name] = labels
        elif not stata:
            found[column.name] = dict(column.value_labels)
    return found


def _formats(columns, *, stata: bool) -> dict:
    """Whole numbers as whole numbers (F8.0 / %8.0g, not F8.2); the respondent number wider."""
    found = {}
    for column in columns:
        if column.type != "integer":
            continue
        wide = column.name == "respondent"
        if stata:
            found[column.name] = "%16.0f" if wide else "%8.0g"
        else:
            found[column.name] = "F16.0" if wide else "F8.0"
    return found


def _label_of(dataset) -> str:
    return f"{dataset.title} – {dataset.wave}"


def _note_lines(text: str, width: int = 80) -> list[str]:
    """SPSS keeps a note (document) as lines of 80 bytes: the text split on spaces."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if len(candidate.encode()) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while len(word.encode()) > width:
            cut = width
            while len(word[:cut].encode()) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def write_sav(batches, path: Path, columns, dataset) -> int:
    """SPSS: codes with their formats, labels and user-missing values (NOT_ASKED, SKIPPED and
    an answer "Vil ikke svare"); the whole file label in the file's note (the label field
    holds 64 bytes)."""
    frame = _readstat_frame(batches, columns, stata=False)
    label = _label_of(dataset)
    pyreadstat.write_sav(
        frame,
        str(path),
        file_label=label.encode()[:64].decode(errors="ignore"),
        note=_note_lines(label),
        column_labels={c.name: c.label[:255] for c in columns},
        variable_value_labels=_labels(columns, stata=False),
        variable_measure={c.name: c.measure for c in columns},
        missing_ranges={c.name: sorted(c.missing)[:3] for c in columns if c.missing},
        variable_format=_formats(columns, stata=False),
        row_compress=True,
    )
    return frame.height


def write_dta(batches, path: Path, columns, dataset) -> int:
    """Stata: the same, with the missing codes as extended missing values (.a not asked,
    .b skipped, .c "Vil ikke svare")."""
    frame = _readstat_frame(batches, columns, stata=True)
    for column in columns:
        if column.missing and column.name in frame.columns:
            # pyreadstat takes extended missing values as letters in an object column. The
            # codes go in as Python ints (small ones are shared objects), one column at a
            # time, replacing the numeric column: a million rows cost 8 bytes a cell.
            series = frame.get_column(column.name)
            codes = series.fill_null(0).cast(pl.Int64).to_numpy()
            cells = codes.astype(object)
            cells[series.is_null().to_numpy()] = None
            for code, (letter, _label) in column.missing.items():
                cells[codes == code] = letter
            frame = frame.with_columns(pl.Series(column.name, cells.tolist(), dtype=pl.Object))
            del series, codes, cells
    pyreadstat.write_dta(
        frame,
        str(path),
        file_label=_label_of(dataset)[:80],
        column_labels={c.name: c.label[:80] for c in columns},
        variable_value_labels=_labels(columns, stata=True),
        missing_user_values={
            c.name: sorted({m[0] for m in c.missing.values()}) for c in columns if c.missing
        },
        variable_format=_formats(columns, stata=True),
    )
    return frame.height


# --- Codebook and data package -------------------------------------------------------------------


def datapackage(columns: Sequence[Column], dataset: Dataset, path: str) -> dict:
    """A Frictionless Tabular Data Package describing the CSV at ``path``."""
    fields = []
    for column in columns:
        spec = {
            "name": column.name,
            "title": column.label,
            "type": column.type,
        }
        if column.question_type:
            spec["description"] = _("Spørsmålstype: %(type)s; variabel i skjemaet: %(name)s") % {
                "type": column.question_type,
                "name": column.source,
            }
        if column.value_labels:
            spec["categories"] = column.categories
            spec["constraints"] = {"enum": list(column.value_labels)}
        if column.type == "date":
            spec["format"] = "default"
        fields.append(spec)
    return {
        "profile": "tabular-data-package",
        "name": dataset.name,
        "title": f"{dataset.title} – {dataset.wave}",
        "created": dataset.created.isoformat(),
        "resources": [
            {
                "name": "responses",
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "schema": {
                    "fields": fields,
                    "missingValues": [""],
                    "primaryKey": ["respondent"],
                },
            }
        ],
    }


def write_datapackage_zip(batches, path: Path, columns, dataset) -> int:
    """A ZIP with ``datapackage.json`` and the CSV it describes."""
    data_name = f"{dataset.name}.csv"
    csv_path = path.with_suffix(".csv.partial")
    rows = write_csv(batches, csv_path, columns)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(
            "datapackage.json",
            json.dumps(datapackage(columns, dataset, data_name), ensure_ascii=False, indent=2),
        )
        bundle.write(csv_path, data_name)
    csv_path.unlink()
    return rows


def _sps_text(value) -> str:
    """An SPSS string literal (a quote doubled, lines joined)."""
    return "'" + " ".join(str(value).split()).replace("'", "''") + "'"


def spss_syntax(columns: Sequence[Column], dataset: Dataset, data_name: str) -> str:
    """SPSS syntax that reads the CSV beside it with the names, formats, labels, missing
    values and measurement levels of the .sav file."""
    formats = _formats(columns, stata=False)
    spec = []
    for column in columns:
        if column.type == "string":
            spec.append(f"  {column.name} A2045")
        elif column.type == "date":
            spec.append(f"  {column.name} SDATE10")
        elif column.type == "number":
            spec.append(f"  {column.name} F12.4")
        else:
            spec.append(f"  {column.name} {formats.get(column.name, 'F8.0')}")
    lines = [
        f"* {_label_of(dataset)}.",
        "* " + _("Laget av Ungkultur; les CSV-filen i samme mappe.") + "",
        "GET DATA /TYPE=TXT",
        f"  /FILE={_sps_text(data_name)}",
        "  /ENCODING='UTF8'",
        "  /DELIMITERS=','",
        "  /QUALIFIER='\"'",
        "  /ARRANGEMENT=DELIMITED",
        "  /FIRSTCASE=2",
        "  /VARIABLES=",
        *spec,
        ".",
        "VARIABLE LABELS",
        *(f"  {c.name} {_sps_text(c.label[:255])}" for c in columns),
        ".",
    ]
    labelled = _labels(columns, stata=False)
    for name, labels in labelled.items():
        column = next(c for c in columns if c.name == name)
        quote = column.type == "string"
        pairs = " ".join(
            f"{_sps_text(v) if quote else v} {_sps_text(label)}" for v, label in labels.items()
        )
        lines.append(f"VALUE LABELS {name} {pairs}.")
    for column in columns:
        if column.missing:
            codes = ", ".join(str(code) for code in sorted(column.missing)[:3])
            lines.append(f"MISSING VALUES {column.name} ({codes}).")
    for level in ("nominal", "ordinal", "scale"):
        names = [c.name for c in columns if c.measure == level]
        if names:
            lines.append(f"VARIABLE LEVEL {' '.join(names)} ({level.upper()}).")
    lines.append(f"FILE LABEL {_sps_text(_label_of(dataset)[:64])}.")
    lines.append("EXECUTE.")
    return "\n".join(lines) + "\n"


def write_sps_zip(batches, path: Path, columns, dataset) -> int:
    """A ZIP with the CSV (coded answers that are missing say why, as in the .sav) and the
    SPSS syntax that reads it."""
    data_name = f"{dataset.name}.csv"
    csv_path = path.with_suffix(".csv.partial")
    rows = write_csv(batches, csv_path, columns)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(f"{dataset.name}.sps", spss_syntax(columns, dataset, data_name))
        bundle.write(csv_path, data_name)
    csv_path.unlink()
    return rows


def write_codebook(columns: Sequence[Column], dataset: Dataset, path: Path) -> None:
    book = Workbook()
    about = book.active
    about.title = _("Om datasettet")
    bold = Font(bold=True)
    for row in [
        (_("Undersøkelse"), dataset.title),
        (_("Runde"), dataset.wave),
        (_("Antall svar"), dataset.rows),
        (_("Laget"), timezone.localtime(dataset.created).strftime("%Y-%m-%d %H:%M %Z")),
        (
            _("Manglende verdier"),
            _(
                "I SPSS- og Stata-filene er et kodet svar som mangler, %(not_asked)s (.a) "
                "når vilkåret ikke viste spørsmålet, og %(skipped)s (.b) når det ble vist men "
                "ikke besvart; «Vil ikke svare» er også merket som manglende (.c). I CSV og "
                "Parquet er alle tre tomme."
            )
            % {"not_asked": NOT_ASKED, "skipped": SKIPPED},
        ),
        (
            _("Kanal og språk"),
            _(
                "«kanal» sier hvordan svaret kom inn (engangskode, også skannet fra QR-kode; "
                "åpen lenke, også fra plakat; importert fra fil), «sprak» hvilket språk "
                "respondenten svarte på (tomt for importerte svar). Ingen av dem sier hvem "
                "som svarte."
            ),
        ),
        (
            _("Merk"),
            _(
                "Svarene er anonyme: ingen kode, konto, IP-adresse eller klokkeslett er lagret. "
                "Fritekst kan likevel inneholde opplysninger som identifiserer noen, og må "
                "gjennomgås før deling."
            ),
        ),
    ]:
        about.append(row)
        about.cell(about.max_row, 1).font = bold
    variables = book.create_sheet(_("Variabler"))
    variables.append(
        [
            _("Kolonne"),
            _("Spørsmål"),
            _("Type"),
            _("Målenivå"),
            _("Variabel i skjemaet"),
            _("Verdier"),
            _("Vises når"),
            _("Manglende verdier (SPSS og Stata)"),
        ]
    )
    for column in columns:
        values = "; ".join(f"{value} = {label}" for value, label in column.value_labels.items())
        missing = "; ".join(
            f"{code} (.{letter}) = {label}" for code, (letter, label) in column.missing.items()
        )
        variables.append(
            [
                column.name,
                column.label,
                column.type,
                column.measure,
                column.source if column.question_type else "",
                values,
                column.routing or (_("alltid") if column.question_type else ""),
                missing,
            ]
        )
    values_sheet = book.create_sheet(_("Verdier"))
    values_sheet.append([_("Kolonne"), _("Verdi"), _("Tekst")])
    for column in columns:
        for value, label in column.value_labels.items():
            values_sheet.append([column.name, value, label])
        for code, (_letter, label) in column.missing.items():
            if code not in column.value_labels:
                values_sheet.append([column.name, code, label])
    for sheet in (variables, values_sheet):
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
    spreadsheet.inert_workbook(book)
    book.save(path)


WRITERS = {
    "csv": (write_csv, ".csv"),
    "parquet": (write_parquet, ".parquet"),
    "sav": (write_sav, ".sav"),
    "dta": (write_dta, ".dta"),
    "datapackage": (write_datapackage_zip, ".zip"),
    "sps": (write_sps_zip, ".zip"),
}


def write(fmt: str, batches, path: Path, columns, dataset) -> int:
    """Write one format; returns the number of rows."""
    if fmt == "codebook":
        write_codebook(columns, dataset, path)
        return dataset.rows
    writer, _suffix = WRITERS[fmt]
    if writer is write_csv:
        return write_csv(batches, path, columns)
    return writer(batches, path, columns, dataset)


def suffix(fmt: str) -> str:
    return ".xlsx" if fmt == "codebook" else WRITERS[fmt][1]


# --- Aggregate export (everyone who sees results) ------------------------------------------------


def aggregate_csv(tables: Sequence[ResultTable]) -> str:
    """The protected tables as one CSV: a line per group and answer; hidden numbers empty, and
    why in ``merknad``: a group of fewer than n is "for få svar" (its zeros too), any other
    hidden number "skjult" (it may be hidden only to protect another). When municipalities
    with fewer than n were left out of a national table, a last line says so in ``merknad``."""
    out = io.StringIO()
    writer = spreadsheet.csv_writer(out)  # labels that would start a formula made inert
    writer.writerow(
        [
            "variabel",
            "sporsmal",
            "gruppe",
            "svar",
            "verdi",
            "antall",
            "prosent",
            "antall_i_gruppen",
            "merknad",
        ]
    )
    for table in tables:
        for row in table.display_rows():
            for (value, label), (count, percent) in zip(table.columns, row["cells"], strict=True):
                writer.writerow(
                    [
                        table.variable.name,
                        table.variable.label,
                        row["label"],
                        label,
                        spreadsheet.inert_code(value),
                        "" if count is None else count,
                        "" if percent is None else f"{percent:.1f}",
                        "" if row["total"] is None else row["total"],
                        _hidden_note(row, count),
                    ]
                )
    note = results.left_out_note(tables)
    if note:
        writer.writerow(["", "", "", "", "", "", "", "", note])
    return out.getvalue()


def _hidden_note(row, count) -> str:
    if row["too_few"]:
        return _("for få svar")
    return _("skjult") if count is None else ""


# --- Research exports of a wave (the task and the request) --------------------------------------


def export_path(export) -> Path:
    return results.files_dir() / "exports" / export.file_name


NORWEGIAN = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def dataset_for(wave, rows: int, now) -> Dataset:
    # æ, ø and å written out (slugify would drop ø and æ: «Høst» would be «hst»).
    name = slugify(f"{wave.survey.title}-{wave.identifier}".translate(NORWEGIAN))
    return Dataset(
        name=name[:80] or f"wave-{wave.pk}",
        title=wave.survey.title,
        wave=wave.title,
        rows=rows,
        created=now,
        municipalities={},
    )


def research_export_write(export, *, now) -> None:
    """Make the file of a requested export (on the task worker): the wave's snapshot brought
    up to date, then written out batch by batch."""
    wave = export.wave
    variables = results.variables_for(wave.survey.questionnaire)
    stamp = results.snapshot_ensure(wave, variables)
    path = results.snapshot_path(wave)
    ids = pl.read_parquet(path, columns=["municipality_id"]).get_column("municipality_id").unique()
    found = Municipality.objects.filter(pk__in=ids.to_list()).values_list("pk", "code", "name")
    codes = {pk: int(code) for pk, code, _name in found}
    structure = questionnaire_structure(wave.survey.questionnaire)
    columns = export_columns(
        variables, {int(code): name for _pk, code, name in found}, routing_of(structure)
    )
    key = respondent_key(wave)
    dataset = dataset_for(wave, stamp["count"], now)
    export.file_name = f"wave-{wave.pk}/{export.pk}-{dataset.name}{suffix(export.format)}"
    target = export_path(export)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    if export.format == "parquet":
        metadata = {"datapackage": json.dumps(datapackage(columns, dataset, "data"))}
        export_lazy(path, columns, codes, key).sink_parquet(
            partial, compression="snappy", metadata=metadata
        )
        rows = stamp["count"]
    elif export.format == "csv":
        inert_csv(export_lazy(path, columns, codes, key), columns).sink_csv(partial, **CSV_OPTIONS)
        rows = stamp["count"]
    else:
        readstat = export.format in ("sav", "dta", "sps")
        batches = export_batches(
            snapshot_batches(path),
            columns,
            codes,
            key=key,
            shown=shown_by(structure) if readstat else None,
        )
        rows = write(export.format, batches, partial, columns, dataset)
    partial.replace(target)
    export.rows = rows
    export.size = target.stat().st_size
    export.status = ResearchExport.Status.DONE
    export.finished_at = now
    export.save(update_fields=["file_name", "rows", "size", "status", "finished_at"])


def research_export_request(*, actor, wave, fmt: str, now) -> ResearchExport:
    """Order an export of a wave for a researcher; the task worker makes the file."""
    from ungkultur.surveys.tasks import make_research_export

    export = ResearchExport(wave=wave, format=fmt, requested_by=actor, requested_at=now)
    export.full_clean(exclude=["file_name"])
    with transaction.atomic():
        export.save()
        audit_record(
            actor=actor,
            action="surveys.research_export_request",
            obj=export,
            at=now,
            changes={"wave": wave.pk, "format": fmt},
        )
        transaction.on_commit(lambda: make_research_export.enqueue(export_id=export.pk))
    return export
