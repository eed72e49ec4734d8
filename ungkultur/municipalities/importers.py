"""Import population figures: SSB table 07459 as JSON-stat 2.0, or a plain CSV.

All or nothing: the whole file is read and checked first; if any cell is wrong nothing is
written and every problem is reported. Otherwise one transaction inserts the new cells,
updates the changed ones and leaves the equal ones, so importing a file twice changes nothing.
"""

import csv
import datetime
import io
import itertools
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ungkultur.core.services import audit_record
from ungkultur.lib.jsonstat import categories, iter_cells
from ungkultur.municipalities.models import Municipality, MunicipalityCode, PopulationCell

logger = logging.getLogger(__name__)

CSV_HEADER = ["municipality_code", "year", "sex", "age", "persons"]
DIMENSIONS = ["Region", "Kjonn", "Alder", "ContentsCode", "Tid"]
CONTENTS_CODE = "Personer1"  # "Personer": the only statistic of 07459 we store
FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_AGE = 105  # SSB's oldest group is "105 år eller eldre", coded "105+"
AGES = MAX_AGE + 1
SEXES = (PopulationCell.Sex.MALE, PopulationCell.Sex.FEMALE)
MAX_PERSONS = 2**31 - 1  # the largest number a PositiveIntegerField holds on every database
# Region numbers with these county parts are not municipalities: Svalbard, Jan Mayen, the
# continental shelf, and SSB's "unknown".
NOT_MUNICIPALITY_COUNTIES = {"21", "22", "23", "99"}
BATCH_SIZE = 2000
KEPT_ERRORS = 500


class PopulationImportError(Exception):
    """The file cannot be imported; ``errors`` says why, line by line (the first ones of
    ``total``)."""

    def __init__(self, errors: list[str], total: int | None = None):
        super().__init__("\n".join(errors))
        self.errors = errors
        self.total = len(errors) if total is None else total


@dataclass
class ImportReport:
    source_format: str
    imported_at: datetime.datetime
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_regions: list[str] = field(default_factory=list)
    null_cells: int = 0
    years: list[int] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            _("%(created)s nye, %(updated)s endret, %(unchanged)s uendret")
            % {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        ]
        if self.skipped_regions:
            count = len(self.skipped_regions)
            parts.append(
                ngettext(
                    "%(count)s region som ikke er en kommune, ble hoppet over (%(codes)s)",
                    "%(count)s regioner som ikke er kommuner, ble hoppet over (%(codes)s)",
                    count,
                )
                % {"count": count, "codes": ", ".join(self.skipped_regions)}
            )
        if self.null_cells:
            parts.append(
                ngettext(
                    "%(count)s tom celle ble hoppet over",
                    "%(count)s tomme celler ble hoppet over",
                    self.null_cells,
                )
                % {"count": self.null_cells}
            )
        return "; ".join(parts) + "."


def population_import(
    *,
    path: str | Path | None = None,
    file: IO[Any] | None = None,
    now: datetime.datetime,
    municipality: Municipality | None = None,
    actor=None,
) -> ImportReport:
    """Import population cells from a JSON-stat 2.0 dataset (SSB 07459) or a CSV with the header
    ``municipality_code,year,sex,age,persons``, given as a path or an open file (bytes or text).

    With ``municipality``, every cell must be of one of its numbers (the upload page of one
    municipality); without, any municipality (the command). Raises PopulationImportError, having
    written nothing, if any cell is wrong. With ``actor``, the import leaves an audit row.
    """
    if (path is None) == (file is None):
        raise TypeError("population_import takes either path or file")
    if path is not None:
        with open(path, "rb") as binary:
            return population_import(file=binary, now=now, municipality=municipality, actor=actor)
    assert file is not None  # for the type checker: the check above
    cells, report = _read(file, now=now, municipality=municipality)
    with transaction.atomic():
        _store(cells, report)
        if actor is not None:
            audit_record(
                actor=actor,
                action="population.import",
                obj=municipality or actor,
                changes={
                    "format": report.source_format,
                    "years": report.years,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                },
                at=now,
            )
    logger.info(
        "Population import (%s): %d new, %d changed, %d unchanged, regions skipped %s, "
        "%d null cells",
        report.source_format,
        report.created,
        report.updated,
        report.unchanged,
        report.skipped_regions,
        report.null_cells,
    )
    return report


# --- Reading ----------------------------------------------------------------------------------


class _Cells:
    """The file's cells by (code, year), with one slot per sex and age: a full 07459 extract
    (~750k cells) then takes a few thousand short lists rather than a dict entry per cell."""

    def __init__(self) -> None:
        self.persons: dict[tuple[str, int], list[int | None]] = {}
        self.origins: dict[tuple[str, int], list[int | None]] = {}

    def add(self, code: str, year: int, sex: int, age: int, persons: int, origin: int):
        """Store a cell; if the file had it already, store nothing and return where it was."""
        key = (code, year)
        if key not in self.persons:
            self.persons[key] = [None] * (len(SEXES) * AGES)
            self.origins[key] = [None] * (len(SEXES) * AGES)
        slot = _slot(sex, age)
        if self.persons[key][slot] is not None:
            return self.origins[key][slot]
        self.persons[key][slot] = persons
        self.origins[key][slot] = origin
        return None

    def remaining(self) -> Iterator[PopulationCell]:
        for (code, year), slots in self.persons.items():
            for slot, persons in enumerate(slots):
                if persons is not None:
                    sex, age = divmod(slot, AGES)
                    yield PopulationCell(
                        code=code, year=year, sex=sex + 1, age=age, persons=persons
                    )


def _slot(sex: int, age: int) -> int:
    return (sex - 1) * AGES + age


class _Errors:
    def __init__(self) -> None:
        self.messages: list[str] = []
        self.total = 0

    def add(self, message: str) -> None:
        self.total += 1
        if len(self.messages) < KEPT_ERRORS:
            self.messages.append(message)

    def raise_any(self) -> None:
        if self.total:
            raise PopulationImportError(self.messages, self.total)


def _read(
    file: IO[Any], *, now: datetime.datetime, municipality: Municipality | None = None
) -> tuple[_Cells, ImportReport]:
    text = file if isinstance(file, io.TextIOBase) else _utf8(file)
    cells, errors, known = _Cells(), _Errors(), _known_codes()
    report = ImportReport(source_format="csv", imported_at=now)
    try:
        head = _leading_lines(text)
        if "".join(head).lstrip().startswith(("{", "[")):
            report.source_format = "json-stat"
            _read_jsonstat("".join(head) + text.read(), known, cells, errors, report)
        else:
            _read_csv(itertools.chain(head, text), known, cells, errors)
    except UnicodeDecodeError as error:
        errors.add(
            _("Filen er ikke UTF-8: ugyldig tegn ved byte %(position)s i en blokk av filen.")
            % {"position": error.start}
        )
    finally:
        if isinstance(text, io.TextIOWrapper) and text is not file:
            text.detach()  # leave the caller's file open
    if municipality is not None and not errors.total:
        _check_one_municipality(cells, municipality, errors)
    errors.raise_any()
    cells.origins.clear()
    report.years = sorted({year for _code, year in cells.persons})
    return cells, report


def _check_one_municipality(cells: _Cells, municipality: Municipality, errors: _Errors) -> None:
    """A file uploaded for one municipality holds its figures and no other municipality's."""
    own = set(municipality.codes.values_list("code", flat=True)) | {municipality.code}
    in_file = {code for code, _year in cells.persons}
    others = sorted(in_file - own)
    if others:
        shown = ", ".join(others[:10]) + (" …" if len(others) > 10 else "")
        errors.add(
            ngettext(
                "Filen har tall for en annen kommune enn %(name)s (kommunenummer %(codes)s). "
                "Last ned tabellen for %(name)s alene.",
                "Filen har tall for %(count)s andre kommuner enn %(name)s (kommunenummer "
                "%(codes)s). Last ned tabellen for %(name)s alene.",
                len(others),
            )
            % {"name": municipality.name, "codes": shown, "count": len(others)}
        )
    elif not in_file:
        errors.add(
            _("Filen har ingen befolkningstall for %(name)s (kommunenummer %(code)s).")
            % {"name": municipality.name, "code": municipality.code}
        )


def _utf8(binary: IO[bytes]) -> io.TextIOWrapper:
    # utf-8-sig drops the byte order mark that Excel writes at the start of a CSV file.
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")  # type: ignore[type-var]


def _leading_lines(text: IO[str]) -> list[str]:
    """The lines up to the first one that is not blank: enough to tell JSON from CSV."""
    lines = [text.readline().removeprefix("\ufeff")]
    while lines[-1] and not lines[-1].strip():
        lines.append(text.readline())
    return lines


def _known_codes() -> set[str]:
    return set(MunicipalityCode.objects.values_list("code", flat=True)) | set(
        Municipality.objects.values_list("code", flat=True)
    )


def _whole_number(text: str) -> int | None:
    text = text.strip()
    return int(text) if re.fullmatch(r"[0-9]+", text) else None


def _code_problem(code: str, known: set[str]) -> str | None:
    if code in known:
        return None
    if code.isdigit() and len(code) < 4 and code.zfill(4) in known:
        return _(
            "ukjent kommunenummer «%(value)s» (kommunenummer har fire sifre: mente du "
            "«%(padded)s»?)"
        ) % {"value": code, "padded": code.zfill(4)}
    return _("ukjent kommunenummer «%(value)s»") % {"value": code}


def _year(text: str) -> tuple[int | None, str | None]:
    year = _whole_number(text)
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        return None, _("året «%(value)s» er ikke mellom 1900 og 2100") % {"value": text}
    return year, None


def _sex(text: str) -> tuple[int | None, str | None]:
    if text.strip() in ("1", "2"):
        return int(text), None
    return None, _("kjønn må være 1 (menn) eller 2 (kvinner), ikke «%(value)s»") % {"value": text}


def _age(text: str) -> tuple[int | None, str | None]:
    age = _whole_number(text)
    if age is None or age > MAX_AGE:
        return None, _age_problem(text)
    return age, None


def _age_problem(text: str) -> str:
    return _("alderen «%(value)s» er ikke mellom 0 og 105") % {"value": text}


def _persons(value: Any) -> tuple[int | None, str | None]:
    if isinstance(value, str):
        number = _whole_number(value)
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        number = None
    if number is None or not 0 <= number <= MAX_PERSONS:
        return None, _("antall personer «%(value)s» er ikke et helt tall som er 0 eller mer") % {
            "value": value
        }
    return number, None


def _read_csv(lines: Iterable[str], known: set[str], cells: _Cells, errors: _Errors) -> None:
    reader = csv.reader(lines)
    header = next(reader, [])
    if [name.strip() for name in header] != CSV_HEADER:
        errors.add(
            _("Linje 1: feil overskrift «%(found)s»; den skal være «%(expected)s».")
            % {"found": ",".join(header), "expected": ",".join(CSV_HEADER)}
        )
        return
    for row in reader:
        if not any(value.strip() for value in row):
            continue
        line = reader.line_num
        cell, problems = _csv_cell(row, known)
        if cell and not problems:
            first = cells.add(*cell, origin=line)
            if first is not None:
                problems = [
                    _("samme kommune, år, kjønn og alder som på linje %(line)s") % {"line": first}
                ]
        if problems:
            errors.add(
                _("Linje %(line)s: %(problems)s.") % {"line": line, "problems": "; ".join(problems)}
            )


def _csv_cell(row: list[str], known: set[str]) -> tuple[tuple | None, list[str]]:
    if len(row) != len(CSV_HEADER):
        problem = _("linjen har %(found)s felt, men skal ha %(expected)s") % {
            "found": len(row),
            "expected": len(CSV_HEADER),
        }
        return None, [problem]
    code = row[0].strip()
    (year, year_problem), (sex, sex_problem) = _year(row[1]), _sex(row[2])
    (age, age_problem), (persons, persons_problem) = _age(row[3]), _persons(row[4])
    problems = [_code_problem(code, known), year_problem, sex_problem, age_problem, persons_problem]
    return (code, year, sex, age, persons), [problem for problem in problems if problem]


def _read_jsonstat(
    content: str, known: set[str], cells: _Cells, errors: _Errors, report: ImportReport
) -> None:
    try:
        dataset = json.loads(content)
    except json.JSONDecodeError as error:
        errors.add(
            _("Ugyldig JSON på linje %(line)s, kolonne %(column)s: %(reason)s.")
            % {"line": error.lineno, "column": error.colno, "reason": error.msg}
        )
        return
    if not isinstance(dataset, dict) or dataset.get("class") != "dataset":
        errors.add(
            _("Filen er JSON, men ikke et JSON-stat 2.0-datasett («class» skal være «dataset»).")
        )
        return
    try:
        dimensions = categories(dataset)
    except ValueError as error:
        errors.add(
            _("Filen er ikke et gyldig JSON-stat 2.0-datasett (%(reason)s).") % {"reason": error}
        )
        return
    if sorted(dimensions) != sorted(DIMENSIONS):
        errors.add(
            _("Datasettet skal ha dimensjonene %(expected)s, men har %(found)s.")
            % {"expected": ", ".join(DIMENSIONS), "found": ", ".join(dimensions)}
        )
        return
    for code in dimensions["ContentsCode"]:
        if code != CONTENTS_CODE:
            errors.add(
                _(
                    "Statistikkvariabelen (ContentsCode) «%(found)s» kan ikke importeres; "
                    "bare «%(expected)s» (personer) kan det."
                )
                % {"found": code, "expected": CONTENTS_CODE}
            )
    if errors.total:
        return
    try:
        _read_jsonstat_cells(dataset, dimensions, known, cells, errors, report)
    except ValueError as error:
        errors.add(
            _("Filen er ikke et gyldig JSON-stat 2.0-datasett (%(reason)s).") % {"reason": error}
        )


SKIP = object()


def _region(code: str, known: set[str]) -> tuple[Any, str | None]:
    number = code.removeprefix("K-")
    if not re.fullmatch(r"[0-9]{4}", number) or number[:2] in NOT_MUNICIPALITY_COUNTIES:
        return SKIP, None  # the whole country, a county, Svalbard, "unknown" and the like
    problem = _code_problem(number, known)
    return (None, problem) if problem else (number, None)


def _jsonstat_age(code: str) -> tuple[int | None, str | None]:
    if code == f"{MAX_AGE}+":
        return MAX_AGE, None
    # SSB codes ages with three digits: "000", "013", "104".
    return _age(code) if re.fullmatch(r"[0-9]{3}", code) else (None, _age_problem(code))


def _read_jsonstat_cells(
    dataset: dict[str, Any],
    dimensions: dict[str, list[str]],
    known: set[str],
    cells: _Cells,
    errors: _Errors,
    report: ImportReport,
) -> None:
    # Each category is interpreted once; a cell then looks up its five.
    parsed = {
        "Region": {code: _region(code, known) for code in dimensions["Region"]},
        "Tid": {code: _year(code) for code in dimensions["Tid"]},
        "Kjonn": {code: _sex(code) for code in dimensions["Kjonn"]},
        "Alder": {code: _jsonstat_age(code) for code in dimensions["Alder"]},
    }
    regions = parsed["Region"]
    report.skipped_regions = [
        code for code, (number, _problem) in regions.items() if number is SKIP
    ]
    bad_categories: dict[tuple[str, str], list] = {}  # -> [first position, its cell, count]
    cell_errors = _Errors()
    for position, cell in enumerate(iter_cells(dataset)):
        if regions[cell["Region"]][0] is SKIP:
            continue
        if cell["value"] is None:
            report.null_cells += 1
            continue
        values = {}
        for dim_id, by_code in parsed.items():
            values[dim_id], category_problem = by_code[cell[dim_id]]
            if category_problem:
                first = bad_categories.setdefault((dim_id, cell[dim_id]), [position, cell, 0])
                first[2] += 1
        persons, problem = _persons(cell["value"])
        if persons is not None and None not in values.values():
            first = cells.add(
                values["Region"], values["Tid"], values["Kjonn"], values["Alder"], persons, position
            )
            if first is not None:
                problem = _("samme kommune, år, kjønn og alder som celle %(position)s") % {
                    "position": first
                }
        if problem:
            cell_errors.add(
                _("Celle %(position)s (%(cell)s): %(problem)s.")
                % {"position": position, "cell": _describe(cell), "problem": problem}
            )
    for (dim_id, code), (position, cell, count) in bad_categories.items():
        errors.add(_category_error(parsed[dim_id][code][1], position, cell, count))
    errors.messages.extend(cell_errors.messages[: KEPT_ERRORS - len(errors.messages)])
    errors.total += cell_errors.total


def _category_error(problem: str, position: int, cell: dict, count: int) -> str:
    others = count - 1
    if not others:
        return _("Celle %(position)s (%(cell)s): %(problem)s.") % {
            "position": position,
            "cell": _describe(cell),
            "problem": problem,
        }
    return ngettext(
        "Celle %(position)s (%(cell)s) og %(others)s celle til med samme kode: %(problem)s.",
        "Celle %(position)s (%(cell)s) og %(others)s celler til med samme kode: %(problem)s.",
        others,
    ) % {"position": position, "cell": _describe(cell), "others": others, "problem": problem}


def _describe(cell: dict) -> str:
    return ", ".join(f"{dim_id}={code}" for dim_id, code in cell.items() if dim_id != "value")


# --- Writing ----------------------------------------------------------------------------------


@transaction.atomic
def _store(cells: _Cells, report: ImportReport) -> None:
    # Cells are written without full_clean(): the reader has checked every field against the
    # same rules, and a per-cell unique check would cost one query for each of ~750k cells.
    report.updated = _drop_unchanged(cells, report)
    # New and changed cells in one stream of upserts (INSERT ... ON CONFLICT DO UPDATE): on
    # SQLite, bulk_update's CASE WHEN took over two minutes to change a full extract.
    for batch in _batched(cells.remaining(), BATCH_SIZE):
        PopulationCell.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["code", "year", "sex", "age"],
            update_fields=["persons"],
        )
        report.created += len(batch)
    report.created -= report.updated


def _drop_unchanged(cells: _Cells, report: ImportReport) -> int:
    """Empty the slots of the file's cells that are stored with the same number, counting
    them as unchanged; return how many of the others are stored with another number."""
    codes = {key[0] for key in cells.persons}
    years = {key[1] for key in cells.persons}
    # One query; it may also return pairs of code and year that the file does not have.
    stored = PopulationCell.objects.filter(code__in=codes, year__in=years).values_list(
        "code", "year", "sex", "age", "persons"
    )
    changed = 0
    for code, year, sex, age, persons in stored.iterator(chunk_size=BATCH_SIZE):
        slots = cells.persons.get((code, year))
        if slots is None or sex not in SEXES or not 0 <= age <= MAX_AGE:
            continue
        new = slots[_slot(sex, age)]
        if new == persons:
            slots[_slot(sex, age)] = None
            report.unchanged += 1
        elif new is not None:
            changed += 1
    return changed


def _batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
