"""XLSForm in and out (openpyxl). The model maps 1:1 to XLSForm rows:

    begin group (appearance field-list or none)   → Section (a page)
    begin group appearance=table-list             → Question likert_grid; its select_one rows
                                                    → GridItem (all on one choice list)
    select_one L (appearance likert)              → single (likert)
    select_multiple L                             → multiple
    integer / decimal                             → number
    text (appearance multiline)                   → short_text (long_text)

Labels come from ``label`` (bokmål, or the settings' ``default_language``) and
``label::<language>`` columns, where the language is a code (``nb``), a name with a code
(``Norsk bokmål (nb)``) or a name (``nynorsk``). Import is all-or-nothing: every row that
cannot be represented is reported with its sheet and row number, and nothing is stored.
"""

import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from ungkultur.core.services import audit_record
from ungkultur.lib import spreadsheet
from ungkultur.surveys import conditions
from ungkultur.surveys.models import (
    Choice,
    ChoiceList,
    GridItem,
    Question,
    Questionnaire,
    Section,
)
from ungkultur.surveys.selectors import questionnaire_structure
from ungkultur.surveys.services import VARIABLE_NAME, VARIABLE_NAME_RULE

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$")
LANGUAGE_NAMES = {
    "nb": {"nb", "nob", "bokmål", "bokmal", "norsk bokmål", "norwegian bokmål", "norsk"},
    "nn": {"nn", "nno", "nynorsk", "norsk nynorsk", "norwegian nynorsk"},
    "en": {"en", "eng", "english", "engelsk"},
}
LANGUAGE_LABELS = {"nb": "Norsk bokmål (nb)", "nn": "Norsk nynorsk (nn)", "en": "English (en)"}
TRANSLATED = ("label", "hint", "constraint_message")
SURVEY_COLUMNS = {"type", "name", "required", "relevant", "constraint", "appearance"}
SETTINGS_COLUMNS = {"form_title", "form_id", "version", "default_language", "style"}
YES = {"yes", "true", "true()", "1", "ja"}
NO = {"", "no", "false", "false()", "0", "nei"}
# Types that collect device data or do things a page cannot: refused, never dropped silently.
METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "phonenumber",
    "username",
    "email",
    "audit",
    "subscriberid",
    "simserial",
    "start-geopoint",
    "background-audio",
}


class XLSFormError(Exception):
    """The file cannot be imported; ``errors`` lists "sheet, row N: reason"."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


def language_of(text: str) -> str | None:
    text = text.strip().lower()
    match = re.search(r"\(([a-z]{2,3})\)\s*$", text)
    if match:
        text = match.group(1)
    for code, names in LANGUAGE_NAMES.items():
        if text in names:
            return code
    return None


@dataclass
class Row:
    number: int
    values: dict
    labels: dict = field(default_factory=dict)  # (column, lang) -> text


class _Sheet:
    """One sheet as rows of {column: text}, with translated columns split by language."""

    def __init__(self, name, worksheet, default_language, errors):
        self.name, self.rows = name, []
        rows = worksheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        columns = []
        for index, title in enumerate(header):
            base, _sep, lang_name = title.partition("::")
            base = base.strip().lower()
            if base in TRANSLATED:
                lang = language_of(lang_name) if lang_name else default_language
                if lang is None:
                    errors.append(
                        _(
                            "%(sheet)s, rad 1: språket i kolonnen «%(col)s» støttes ikke "
                            "(bare bokmål, nynorsk og engelsk)."
                        )
                        % {"sheet": name, "col": title}
                    )
                columns.append((index, base, lang))
            elif base:
                columns.append((index, base, None))
        for number, raw in enumerate(rows, start=2):
            values, labels = {}, {}
            for index, base, lang in columns:
                cell = raw[index] if index < len(raw) else None
                text = "" if cell is None else str(cell).strip()
                if base in TRANSLATED:
                    if lang and text:
                        labels[(base, lang)] = text
                else:
                    values[base] = text
            if any(values.values()) or labels:
                self.rows.append(Row(number, values, labels))


@dataclass
class _Parsed:
    title: str = ""
    form_id: str = ""
    version: str = ""
    languages: set = field(default_factory=set)
    lists: dict = field(default_factory=dict)  # name -> [(value, labels)]
    sections: list = field(
        default_factory=list
    )  # [{"row", "name", "labels", "relevant", "questions"}]


def _labels(row, column="label"):
    return {lang: row.labels.get((column, lang), "") for lang in ("nb", "nn", "en")}


class _Reader:
    def __init__(self, workbook):
        self.errors, self.parsed = [], _Parsed()
        self.workbook = workbook

    def error(self, sheet, row, message):
        self.errors.append(
            _("%(sheet)s, rad %(row)s: %(message)s")
            % {"sheet": sheet, "row": row, "message": message}
        )

    def read(self):
        sheets = {name.strip().lower(): name for name in self.workbook.sheetnames}
        if "survey" not in sheets:
            raise XLSFormError([_("Filen mangler arket «survey».")])
        default = self.read_settings(sheets)
        choices = (
            _Sheet("choices", self.workbook[sheets["choices"]], default, self.errors)
            if ("choices" in sheets)
            else None
        )
        survey = _Sheet("survey", self.workbook[sheets["survey"]], default, self.errors)
        if choices:
            self.read_choices(choices)
        self.read_survey(survey)
        self.check_expressions()
        if self.errors:
            raise XLSFormError(self.errors)
        return self.parsed

    def read_settings(self, sheets):
        if "settings" not in sheets:
            return "nb"
        worksheet = self.workbook[sheets["settings"]]
        sheet = _Sheet("settings", worksheet, "nb", [])
        row = sheet.rows[0] if sheet.rows else Row(2, {})
        for column, value in row.values.items():
            if value and column not in SETTINGS_COLUMNS:
                self.error(
                    "settings", row.number, _("kolonnen «%(col)s» støttes ikke.") % {"col": column}
                )
        self.parsed.title = row.values.get("form_title", "")
        self.parsed.form_id = row.values.get("form_id", "")
        self.parsed.version = row.values.get("version", "")
        language = row.values.get("default_language", "")
        code = language_of(language) if language else "nb"
        if code is None:
            self.error(
                "settings",
                row.number,
                _("standardspråket «%(lang)s» støttes ikke.") % {"lang": language},
            )
            return "nb"
        return code

    def read_choices(self, sheet):
        for row in sheet.rows:
            list_name, value = row.values.get("list_name", ""), row.values.get("name", "")
            for column, text in row.values.items():
                if text and column not in ("list_name", "name"):
                    self.error(
                        "choices",
                        row.number,
                        _("kolonnen «%(col)s» støttes ikke.") % {"col": column},
                    )
            if not NAME.match(list_name):
                self.error(
                    "choices", row.number, _("ugyldig list_name «%(name)s».") % {"name": list_name}
                )
                continue
            if not value or len(value) > 64:
                self.error("choices", row.number, _("svaralternativet mangler name."))
                continue
            labels = self.labels_of("choices", row)
            entries = self.parsed.lists.setdefault(list_name, [])
            if any(v == value for v, _l in entries):
                self.error(
                    "choices",
                    row.number,
                    _("verdien «%(value)s» finnes to ganger i listen «%(list)s».")
                    % {"value": value, "list": list_name},
                )
                continue
            entries.append((value, labels))

    def labels_of(self, sheet, row, column="label"):
        labels = _labels(row, column)
        if column == "label" and not labels["nb"]:
            self.error(sheet, row.number, _("teksten på bokmål mangler."))
        self.parsed.languages |= {lang for lang, text in labels.items() if text}
        return labels

    def section(self, row, name, labels, relevant):
        section = {
            "row": row,
            "name": name,
            "labels": labels,
            "relevant": relevant,
            "questions": [],
        }
        self.parsed.sections.append(section)
        return section

    def read_survey(self, sheet):
        current, grid, depth, names = None, None, 0, {}
        for row in sheet.rows:
            v = row.values
            raw_type = " ".join(v.get("type", "").split())
            kind = (
                raw_type.lower().replace("_", " ")
                if raw_type.lower().startswith(("begin", "end"))
                else raw_type.split(" ")[0].lower()
            )
            name = v.get("name", "")
            for column, text in v.items():
                if text and column not in SURVEY_COLUMNS:
                    self.error(
                        "survey",
                        row.number,
                        _("kolonnen «%(col)s» støttes ikke.") % {"col": column},
                    )
            appearance = v.get("appearance", "").lower()
            if kind == "end group":
                if grid is not None:
                    if not grid["items"]:
                        self.error("survey", grid["row"], _("rutenettet har ingen spørsmål."))
                    grid = None
                elif depth:
                    depth, current = depth - 1, current if depth > 1 else None
                else:
                    self.error("survey", row.number, _("«end group» uten «begin group»."))
                continue
            if kind in ("begin repeat", "end repeat"):
                self.error("survey", row.number, _("gjentakende grupper (repeat) støttes ikke."))
                continue
            if kind in (
                "begin group",
                "select_one",
                "select_multiple",
                "integer",
                "decimal",
                "text",
            ):
                if not NAME.match(name):
                    self.error(
                        "survey",
                        row.number,
                        _("ugyldig eller manglende name «%(name)s».") % {"name": name},
                    )
                    continue
            if kind == "begin group":
                if "table-list" in appearance:
                    if grid is not None:
                        self.error(
                            "survey", row.number, _("et rutenett kan ikke ligge i et rutenett.")
                        )
                        continue
                    if current is None:
                        current = self.section(
                            row.number,
                            f"del{len(self.parsed.sections) + 1}",
                            {
                                "nb": _("Del %(n)s") % {"n": len(self.parsed.sections) + 1},
                                "nn": "",
                                "en": "",
                            },
                            "",
                        )
                    grid = {
                        "row": row.number,
                        "name": name,
                        "type": Question.Type.LIKERT_GRID,
                        "labels": self.labels_of("survey", row),
                        "hints": _labels(row, "hint"),
                        "relevant": v.get("relevant", ""),
                        "constraint": "",
                        "messages": _labels(row, "constraint_message"),
                        "required": False,
                        "list": None,
                        "items": [],
                        "allow_decimals": False,
                    }
                    self.claim(names, name, row.number)
                    current["questions"].append(grid)
                    continue
                if depth >= 1:
                    self.error(
                        "survey",
                        row.number,
                        _("grupper i grupper støttes ikke (bortsett fra rutenett med table-list)."),
                    )
                    depth += 1
                    continue
                depth = 1
                current = self.section(
                    row.number, name, self.labels_of("survey", row), v.get("relevant", "")
                )
                continue
            if kind in METADATA or kind in (
                "note",
                "calculate",
                "acknowledge",
                "geopoint",
                "image",
                "audio",
                "video",
                "file",
                "barcode",
                "date",
                "time",
                "datetime",
                "range",
                "rank",
                "hidden",
                "trigger",
                "geotrace",
                "geoshape",
            ):
                self.error(
                    "survey",
                    row.number,
                    _("typen «%(type)s» kan ikke brukes her.") % {"type": kind},
                )
                continue
            question = self.question(row, raw_type, appearance)
            if question is None:
                continue
            if grid is not None:
                if question["type"] not in (Question.Type.SINGLE, Question.Type.LIKERT):
                    self.error(
                        "survey",
                        row.number,
                        _("et rutenett (table-list) kan bare ha select_one-spørsmål."),
                    )
                    continue
                if grid["list"] is None:
                    grid["list"] = question["list"]
                elif grid["list"] != question["list"]:
                    self.error(
                        "survey", row.number, _("alle spørsmål i et rutenett må bruke samme liste.")
                    )
                    continue
                if question["relevant"] or question["constraint"]:
                    self.error(
                        "survey",
                        row.number,
                        _(
                            "et spørsmål i et rutenett kan ikke ha egne vilkår; "
                            "sett relevant på gruppen."
                        ),
                    )
                    continue
                grid["required"] = grid["required"] or question["required"]
                self.claim(names, question["name"], row.number)
                grid["items"].append(question)
                continue
            if current is None:
                current = self.section(
                    row.number,
                    f"del{len(self.parsed.sections) + 1}",
                    {
                        "nb": _("Del %(n)s") % {"n": len(self.parsed.sections) + 1},
                        "nn": "",
                        "en": "",
                    },
                    "",
                )
            self.claim(names, question["name"], row.number)
            current["questions"].append(question)
        if depth or grid is not None:
            self.error(
                "survey",
                (sheet.rows[-1].number if sheet.rows else 1),
                _("en gruppe mangler «end group»."),
            )

    def claim(self, names, name, number):
        if not VARIABLE_NAME.match(name):
            self.error("survey", number, f"«{name}»: {VARIABLE_NAME_RULE}")
        if name in names:
            self.error(
                "survey",
                number,
                _("variabelnavnet «%(name)s» er brukt før (rad %(row)s).")
                % {"name": name, "row": names[name]},
            )
        names[name] = number

    def question(self, row, raw_type, appearance):
        v = row.values
        words = raw_type.split(" ")
        base, list_name = words[0].lower(), None
        if base in ("select_one", "select_multiple"):
            list_name = words[1] if len(words) > 1 else ""
            if list_name not in self.parsed.lists:
                self.error(
                    "survey",
                    row.number,
                    _("listen «%(list)s» finnes ikke i arket choices.") % {"list": list_name},
                )
                return None
            if len(words) > 2:
                self.error(
                    "survey", row.number, _("«%(extra)s» støttes ikke.") % {"extra": words[2]}
                )
                return None
            qtype = (
                Question.Type.MULTIPLE
                if base == "select_multiple"
                else (Question.Type.LIKERT if "likert" in appearance else Question.Type.SINGLE)
            )
        elif base in ("integer", "decimal"):
            qtype = Question.Type.NUMBER
        elif base == "text":
            qtype = (
                Question.Type.LONG_TEXT if "multiline" in appearance else Question.Type.SHORT_TEXT
            )
        else:
            self.error(
                "survey", row.number, _("ukjent type «%(type)s».") % {"type": raw_type or "—"}
            )
            return None
        required = v.get("required", "").strip().lower()
        if required not in YES | NO:
            self.error(
                "survey",
                row.number,
                _("required må være yes eller no, ikke «%(value)s».") % {"value": required},
            )
        return {
            "row": row.number,
            "name": v.get("name", ""),
            "type": qtype,
            "labels": self.labels_of("survey", row),
            "hints": _labels(row, "hint"),
            "messages": _labels(row, "constraint_message"),
            "required": required in YES,
            "relevant": v.get("relevant", ""),
            "constraint": v.get("constraint", ""),
            "list": list_name,
            "items": [],
            "allow_decimals": base == "decimal",
        }

    def check_expressions(self):
        known = set()
        for section in self.parsed.sections:
            for question in section["questions"]:
                known |= (
                    {i["name"] for i in question["items"]}
                    if question["items"]
                    else {question["name"]}
                )
        for section in self.parsed.sections:
            self.check_one(section["row"], "relevant", section["relevant"], known)
            for question in section["questions"]:
                self.check_one(question["row"], "relevant", question["relevant"], known)
                self.check_one(question["row"], "constraint", question["constraint"], known)

    def check_one(self, row, column, text, known):
        if not text.strip():
            return
        try:
            conditions.check(text, known=known)
        except conditions.ConditionError as error:
            self.error("survey", row, f"{column}: {error}")


def read_xlsform(data: bytes):
    """The parsed form, or XLSFormError with every problem by sheet and row."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise XLSFormError([_("Filen kan ikke leses som et XLSX-regneark.")]) from error
    try:
        parsed = _Reader(workbook).read()
    finally:
        workbook.close()
    _pyxform_check(data)
    return parsed


def _pyxform_check(data: bytes) -> None:
    """Where pyxform is installed, it checks the form too (ODK's own reading of XLSForm)."""
    try:
        from pyxform.errors import PyXFormError
        from pyxform.xls2xform import convert
    except ImportError:
        return
    try:
        convert(xlsform=io.BytesIO(data), warnings=[])
    except PyXFormError as error:
        raise XLSFormError([_("pyxform: %(error)s") % {"error": error}]) from error


@transaction.atomic
def import_xlsform(*, actor, data: bytes, title="", now=None) -> Questionnaire:
    """Create a draft questionnaire from an XLSForm file (all or nothing)."""
    now = now or timezone.now()
    parsed = read_xlsform(data)
    questionnaire = Questionnaire.objects.create(
        title=title or parsed.title or parsed.form_id or _("Importert spørreskjema"),
        form_id=parsed.form_id[:100],
        version=parsed.version[:50],
        languages=[lang for lang in ("nb", "nn", "en") if lang in parsed.languages] or ["nb"],
        created_by=actor,
        created_at=now,
    )
    lists = {}
    for list_name, entries in parsed.lists.items():
        lists[list_name] = ChoiceList.objects.create(questionnaire=questionnaire, name=list_name)
        Choice.objects.bulk_create(
            Choice(choice_list=lists[list_name], value=value, position=i, **_cols(labels))
            for i, (value, labels) in enumerate(entries, start=1)
        )
    for s_pos, data_section in enumerate(parsed.sections, start=1):
        section = Section.objects.create(
            questionnaire=questionnaire,
            name=data_section["name"],
            position=s_pos,
            relevant=data_section["relevant"],
            **_cols(data_section["labels"]),
        )
        for q_pos, q in enumerate(data_section["questions"], start=1):
            question = Question.objects.create(
                questionnaire=questionnaire,
                section=section,
                position=q_pos,
                name=q["name"],
                type=q["type"],
                choice_list=lists.get(q["list"]),
                required=q["required"],
                relevant=q["relevant"],
                constraint=q["constraint"],
                allow_decimals=q["allow_decimals"],
                **_cols(q["labels"]),
                **_cols(q["hints"], "hint"),
                **_cols(q["messages"], "constraint_message"),
            )
            GridItem.objects.bulk_create(
                GridItem(question=question, name=i["name"], position=n, **_cols(i["labels"]))
                for n, i in enumerate(q["items"], start=1)
            )
    audit_record(actor=actor, action="surveys.xlsform_import", obj=questionnaire, at=now)
    return questionnaire


def _cols(labels, prefix="label"):
    return {f"{prefix}_{lang}": labels.get(lang, "") for lang in ("nb", "nn", "en")}


# --- Export -------------------------------------------------------------------------------------


def export_xlsform(questionnaire) -> bytes:
    structure = questionnaire_structure(questionnaire)
    languages = [lang for lang in ("nb", "nn", "en") if lang in questionnaire.languages] or ["nb"]

    def translated(column):
        return [f"{column}::{LANGUAGE_LABELS[lang]}" for lang in languages]

    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(
        [
            "type",
            "name",
            *translated("label"),
            *translated("hint"),
            "required",
            "relevant",
            "constraint",
            *translated("constraint_message"),
            "appearance",
        ]
    )

    def row(
        kind,
        name,
        labels,
        *,
        hints=None,
        required=False,
        relevant="",
        constraint="",
        messages=None,
        appearance="",
    ):
        survey.append(
            [
                kind,
                name,
                *(labels.get(lang, "") for lang in languages),
                *((hints or {}).get(lang, "") for lang in languages),
                "yes" if required else "",
                relevant,
                constraint,
                *((messages or {}).get(lang, "") for lang in languages),
                appearance,
            ]
        )

    for section in structure.sections:
        row(
            "begin_group",
            section.name,
            section.labels,
            relevant=section.relevant_text,
            appearance="field-list",
        )
        for q in section.questions:
            _export_question(row, q)
        row("end_group", "", {})
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", *translated("label")])
    for choice_list in questionnaire.choice_lists.prefetch_related("choices"):
        for choice in choice_list.choices.all():
            choices.append(
                [
                    choice_list.name,
                    choice.value,
                    *(getattr(choice, f"label_{lang}") for lang in languages),
                ]
            )
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language", "style"])
    settings.append(
        [
            questionnaire.title,
            questionnaire.form_id or f"ungkultur_{questionnaire.pk}",
            questionnaire.version,
            LANGUAGE_LABELS["nb"],
            "pages",
        ]
    )
    # Every cell as stored, never run: a label, a hint or an expression that begins with "="
    # stays a string cell (openpyxl would make it a formula, and the import, which reads the
    # values, would then find it empty). No ' in front: the form reads back unchanged.
    spreadsheet.inert_workbook(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _export_question(row, q):
    relevant = q.relevant_text
    constraint = q.constraint_text
    if q.type == Question.Type.LIKERT_GRID:
        row(
            "begin_group",
            q.name,
            q.labels,
            hints=q.hints,
            relevant=relevant,
            appearance="table-list",
        )
        for name, labels in q.items:
            row(f"select_one {q.list_name}", name, labels, required=q.required)
        row("end_group", "", {})
        return
    kind, appearance = {
        Question.Type.SINGLE: (f"select_one {q.list_name}", ""),
        Question.Type.LIKERT: (f"select_one {q.list_name}", "likert"),
        Question.Type.MULTIPLE: (f"select_multiple {q.list_name}", ""),
        Question.Type.NUMBER: ("decimal" if q.allow_decimals else "integer", ""),
        Question.Type.SHORT_TEXT: ("text", ""),
        Question.Type.LONG_TEXT: ("text", "multiline"),
    }[q.type]
    row(
        kind,
        q.name,
        q.labels,
        hints=q.hints,
        required=q.required,
        relevant=relevant,
        constraint=constraint,
        messages=q.constraint_messages,
        appearance=appearance,
    )
