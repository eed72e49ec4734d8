"""Import responses from an earlier survey (CSV) into a wave.

The header holds the questionnaire's variable names (any of them, in any order), and may hold
``kommunenr`` (municipality number; else every line belongs to the municipality given with the
file) and ``dato`` (the date answered, ÅÅÅÅ-MM-DD or DD.MM.ÅÅÅÅ; else the wave's opening
date). Choices are written as their values (``2``), several choices separated by spaces
(``1 3``, as in XLSForm), numbers with a point or a comma.

Every line is checked with the same rules as a submitted response (``services.answers_clean``),
except that no question is required: an earlier survey may have asked less. All or nothing: if
any line is wrong, nothing is stored and every bad line is reported with its line number and
reason. The file's SHA-256 is recorded with the wave, so importing the same file again changes
nothing. Importing freezes the questionnaire, as opening a wave does.
"""

import csv
import dataclasses
import datetime
import hashlib
import io
import re
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ungkultur.core.services import audit_record
from ungkultur.municipalities.models import Municipality, MunicipalityCode
from ungkultur.surveys.models import Questionnaire, Response, ResponseImport, Wave
from ungkultur.surveys.selectors import questionnaire_structure
from ungkultur.surveys.services import answers_clean

MAX_BYTES = 50 * 1024 * 1024
KEPT_ERRORS = 1000
BATCH_SIZE = 1000
MUNICIPALITY_COLUMN = "kommunenr"
DATE_COLUMN = "dato"
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
NORWEGIAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


class ResponseImportError(Exception):
    """The file cannot be imported; ``errors`` says why, line by line (the first ones of
    ``total``). Nothing was written."""

    def __init__(self, errors: list[str], total: int | None = None):
        super().__init__("\n".join(errors))
        self.errors = errors
        self.total = len(errors) if total is None else total


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    already_imported: bool = False

    def summary(self) -> str:
        if self.already_imported:
            return _("Denne filen er importert til runden før. Ingenting ble endret.")
        return ngettext(
            "%(count)s svar ble importert.", "%(count)s svar ble importert.", self.created
        ) % {"count": self.created}


@dataclass(slots=True)
class _Row:
    line: int
    municipality_id: int
    day: datetime.date
    answers: dict


def responses_import(
    *,
    actor,
    wave: Wave,
    file: IO[bytes],
    file_name: str = "",
    municipality: Municipality | None = None,
    now: datetime.datetime,
) -> ImportReport:
    """Import the responses in a CSV file into ``wave``. Raises ResponseImportError, having
    written nothing, if any line is wrong."""
    content = file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ResponseImportError(
            [_("Filen er for stor: den kan være på høyst %(mb)s MB.") % {"mb": MAX_BYTES >> 20}]
        )
    sha256 = hashlib.sha256(content).hexdigest()
    if ResponseImport.objects.filter(wave=wave, sha256=sha256).exists():
        return ImportReport(already_imported=True)
    questionnaire = wave.survey.questionnaire
    rows = _parse(content, questionnaire, wave, municipality, today=timezone.localdate(now))
    report = ImportReport(rows=len(rows))
    try:
        with transaction.atomic():
            # One import at a time per wave: the second waits, then finds the first's file.
            Wave.objects.select_for_update().get(pk=wave.pk)
            if ResponseImport.objects.filter(wave=wave, sha256=sha256).exists():
                return ImportReport(already_imported=True)
            _freeze(actor, questionnaire, now)
            Response.objects.bulk_create(
                (
                    Response(
                        wave=wave,
                        municipality_id=row.municipality_id,
                        submitted_on=row.day,
                        channel=Response.Channel.IMPORT,
                        answers=row.answers,
                    )
                    for row in rows
                ),
                batch_size=BATCH_SIZE,
            )
            record = ResponseImport.objects.create(
                wave=wave,
                sha256=sha256,
                file_name=file_name[:200],
                rows=len(rows),
                imported_by=actor if actor is not None and actor.is_authenticated else None,
                imported_at=now,
            )
            audit_record(
                actor=actor,
                action="surveys.responses_import",
                obj=record,
                at=now,
                changes={"wave": wave.pk, "rows": len(rows), "sha256": sha256},
            )
            transaction.on_commit(lambda: _refresh(wave))
    except IntegrityError as error:
        raise ResponseImportError(
            [_("Noe ble endret samtidig med importen, så ingenting ble lagret. Prøv igjen.")]
        ) from error
    report.created = len(rows)
    return report


def _refresh(wave):
    from ungkultur.surveys.tasks import refresh_snapshot

    refresh_snapshot.enqueue(wave_id=wave.pk)


def _freeze(actor, questionnaire, now):
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.is_frozen:
        return
    locked.status = Questionnaire.Status.FROZEN
    locked.frozen_at = now
    locked.save(update_fields=["status", "frozen_at"])
    questionnaire.status, questionnaire.frozen_at = locked.status, locked.frozen_at
    audit_record(actor=actor, action="surveys.questionnaire_freeze", obj=locked, at=now)


# --- Reading ----------------------------------------------------------------------------------


def _lenient(structure):
    """The questionnaire with no question required (the earlier survey may have asked less)."""
    sections = [
        dataclasses.replace(
            section,
            questions=[dataclasses.replace(q, required=False) for q in section.questions],
        )
        for section in structure.sections
    ]
    return dataclasses.replace(structure, sections=sections)


def _parse(content, questionnaire, wave, municipality, *, today) -> list[_Row]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise ResponseImportError([_("Filen er tom.")])
    # Excel writes semicolons where the decimal mark is a comma, as in Norway.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    structure = _lenient(questionnaire_structure(questionnaire))
    columns = _columns(next(reader), structure.variables(), municipality)
    codes = _municipality_codes()
    default_day = wave.opens_on or today
    rows, errors = [], {}
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        line = reader.line_num
        if len(values) != len(columns):
            errors[line] = [
                _("linjen har %(found)s felt, men skal ha %(expected)s (skilt med «%(sep)s»)")
                % {"found": len(values), "expected": len(columns), "sep": delimiter}
            ]
            continue
        problems: list[str] = []
        row = _row(
            line,
            dict(zip(columns, values, strict=True)),
            structure,
            codes,
            municipality,
            default_day,
            today,
            problems,
        )
        if problems:
            errors[line] = problems
        else:
            rows.append(row)
    if not rows and not errors:
        raise ResponseImportError([_("Filen har ingen svar, bare overskriften.")])
    if errors:
        messages = [
            _("Linje %(line)s: %(problems)s.") % {"line": line, "problems": "; ".join(problems)}
            for line, problems in sorted(errors.items())
        ]
        raise ResponseImportError(messages[:KEPT_ERRORS], len(messages))
    return rows


def _decode(content: bytes) -> str:
    try:
        # utf-8-sig drops the byte order mark that Excel writes at the start of a CSV file.
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise ResponseImportError(
            [
                _(
                    "Linje %(line)s: filen er ikke lagret som UTF-8. Lagre den som «CSV UTF-8» "
                    "og prøv igjen."
                )
                % {"line": line}
            ]
        ) from error


def _columns(header, variables, municipality) -> list[str]:
    names = [name.strip() for name in header]
    known = set(variables) | {MUNICIPALITY_COLUMN, DATE_COLUMN}
    problems = []
    unknown = [name for name in names if name not in known]
    if unknown:
        problems.append(
            _("disse kolonnene er ikke variabler i spørreskjemaet: %(names)s")
            % {"names": ", ".join(unknown)}
        )
    if len(set(names)) != len(names):
        problems.append(_("en kolonne står to ganger"))
    if not set(names) & set(variables):
        problems.append(_("ingen kolonne er en variabel i spørreskjemaet"))
    if MUNICIPALITY_COLUMN not in names and municipality is None:
        problems.append(
            _("kolonnen %(column)s mangler, og ingen kommune er valgt for hele filen")
            % {"column": MUNICIPALITY_COLUMN}
        )
    if problems:
        raise ResponseImportError(
            [
                _("Linje 1: %(problems)s. Variablene i spørreskjemaet er: %(names)s.")
                % {"problems": "; ".join(problems), "names": ", ".join(variables)}
            ]
        )
    return names


def _municipality_codes() -> dict[str, int]:
    """Every municipality number, current or former, to its municipality."""
    codes = dict(MunicipalityCode.objects.values_list("code", "municipality_id"))
    codes.update(Municipality.objects.values_list("code", "pk"))
    return codes


def _row(line, values, structure, codes, municipality, default_day, today, problems):
    values = {name: value.strip() for name, value in values.items()}
    municipality_id = municipality.pk if municipality is not None else None
    code = values.pop(MUNICIPALITY_COLUMN, "")
    if code:
        municipality_id = codes.get(code.zfill(4))
        if municipality_id is None:
            problems.append(_("ukjent kommunenummer «%(code)s»") % {"code": code})
    elif municipality_id is None:
        problems.append(_("kommunenr mangler"))
    day = _date(values.pop(DATE_COLUMN, ""), problems) or default_day
    if day > today:
        problems.append(_("dato %(day)s er fram i tid") % {"day": day.isoformat()})
    raw = {name: value for name, value in values.items() if value}
    try:
        answers = answers_clean(structure, raw)
    except ValidationError as error:
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for name, texts in messages.items():
            text = texts[0].rstrip(".")  # the line's message ends with its own full stop
            problems.append(f"{name}: {text}" if name else text)
        return None
    dropped = [name for name in raw if name not in answers]
    if dropped:
        problems.append(
            _("%(names)s er besvart, men spørsmålet gjelder ikke etter de andre svarene")
            % {"names": ", ".join(dropped)}
        )
    return _Row(line, municipality_id, day, answers)


def _date(text: str, problems) -> datetime.date | None:
    if not text:
        return None
    if match := ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := NORWEGIAN_DATE.fullmatch(text):
        day, month, year = match.groups()
    else:
        problems.append(
            _("dato «%(value)s» er ikke en dato (skriv ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ)")
            % {"value": text}
        )
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        problems.append(_("dato «%(value)s» finnes ikke i kalenderen") % {"value": text})
        return None
