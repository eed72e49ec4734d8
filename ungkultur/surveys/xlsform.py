"""XLSForm in and out. pyxform, ODK's own reader, reads the file (.xlsx or .xls, every alias and
dialect it accepts: ``list name``, ``label:English``, ``select one from X``, ``or_other``);
this module maps its reading onto the model:

    begin group (top level)                       → Section (a page)
    begin group inside a page                     → its questions join the page, under its
                                                    ``relevant``
    begin group appearance=table-list, all rows   → Question likert_grid; its select_one rows
      select_one on one list                        → GridItem
    select_one L (appearance likert)              → single (likert)
    select_multiple L                             → multiple
    integer / decimal                             → number
    text (appearance multiline)                   → short_text (long_text)
    note                                          → note (text only, no variable)
    date / time                                   → date / time (ISO text)
    select_one L or_other                         → L gets "other", and a text question
                                                    ``<name>_other`` shown when it is chosen
    calculate (calculation)                       → calculate: computed from the answers
                                                    before it, stored with the response
    choice_filter on a select                     → kept; the choices sheet's other columns
                                                    are kept on each choice (``columns``)

``appearance`` is kept and written back on export. Labels are read in every language pyxform
finds; bokmål, nynorsk and English are kept (a language is known by its code, its name, or
both: ``Norsk bokmål (nb)``). A form without bokmål keeps its own default language as the
source: its texts also stand in the bokmål columns until a translation is written, and the
export gives them back under that language. Names that SPSS and Stata cannot take are renamed
(and every ``${name}`` with them), and the import says so.

Calculations and choice filters are read by ``conditions.py`` (its functions and operators;
today(), jr:choice-name(), pulldata() and the like are refused with their row). A calculation
may use only the variables before it, as it is computed page by page.

Import is all-or-nothing. What the platform cannot do (repeat, geopoint, a calculation on
another type, …) is refused once per feature, with the sheet and row where it first occurs and
how many more rows have it. What only changes the look in ODK (media, guidance hints) and
metadata that anonymous responses never store (start, end, deviceid, …) is left out and
reported as a notice (``questionnaire.import_notices``).
"""

import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

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
from ungkultur.surveys.services import VARIABLE_NAME

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$")
# A choice value is stored as text and a multiple-choice answer is written "1 3" in XLSForm
# and the exports, so a value has no spaces (pyxform refuses them in select_multiple lists).
CHOICE_VALUE = re.compile(r"^[^\s]{1,64}$")
LANGUAGE_NAMES = {
    "nb": {"nb", "nob", "bokmål", "bokmal", "norsk bokmål", "norwegian bokmål", "norsk"},
    "nn": {"nn", "nno", "nynorsk", "norsk nynorsk", "norwegian nynorsk"},
    "en": {"en", "eng", "english", "engelsk"},
}
LANGUAGE_LABELS = {"nb": "Norsk bokmål (nb)", "nn": "Norsk nynorsk (nn)", "en": "English (en)"}
YES = {"yes", "true", "true()", "1", "ja"}
NO = {"", "no", "false", "false()", "0", "nei"}
# Types that record the device, the time or the person: anonymous responses never store them
# (docs/privacy.md), so the rows are left out and the import says so.
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
    "uri:email",
    "uri:phonenumber",
    "uri:username",
    "uri:subscriberid",
    "uri:simserial",
    "uri:deviceid",
}
SUPPORTED = {
    "select one",
    "select all that apply",
    "integer",
    "decimal",
    "text",
    "note",
    "date",
    "time",
}
# Keys of pyxform's reading that only change how a question looks in ODK: reported, not kept.
LOOKS = {
    "media": gettext_lazy("bilder, lyd og video i tekstene"),
    "guidance_hint": gettext_lazy("veiledningstekster (guidance_hint)"),
    "jr:requiredMsg": gettext_lazy("egne meldinger for obligatoriske spørsmål (required_message)"),
}
ELEMENT_KEYS = {
    "type",
    "name",
    "label",
    "hint",
    "bind",
    "control",
    "choices",
    "itemset",
    "list_name",
    "parameters",
    "children",
}
OTHER_LABELS = {"nb": "Annet", "nn": "Anna", "en": "Other"}
SPECIFY_OTHER = {"nb": "Annet, nemlig:", "nn": "Anna, nemleg:", "en": "Specify other."}


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
class _Parsed:
    title: str = ""
    form_id: str = ""
    version: str = ""
    source: str = "nb"
    languages: set = field(default_factory=set)
    lists: dict = field(default_factory=dict)  # name -> [(value, labels)]
    sections: list = field(default_factory=list)  # [{"row", "name", "labels", "relevant", ...}]
    notices: list = field(default_factory=list)


def _definition(data: bytes):
    """pyxform's own reading of the workbook: .xlsx first, then .xls (never CSV or Markdown)."""
    for file_type in (".xlsx", ".xls"):
        try:
            return get_xlsform(xlsform=data, file_type=file_type)
        except Exception:  # noqa: BLE001, S112 - xlrd and openpyxl raise many kinds
            continue
    raise XLSFormError([_("Filen kan ikke leses som et XLSForm-regneark (.xlsx eller .xls).")])


def _cell(row: dict, *keys):
    """A raw row's value by column name, whatever case or spacing the header has."""
    for key, value in row.items():
        if str(key).strip().lower().replace(" ", "_") in keys and value not in (None, ""):
            return str(value).strip()
    return ""


def _and(first: str, second: str) -> str:
    first, second = first.strip(), second.strip()
    if first and second:
        return f"({first}) and ({second})"
    return first or second


class _Reader:
    def __init__(self, data: bytes):
        self.data = data
        self.errors = []
        self.refused = {}  # feature -> [sheet, row, message, more rows]
        self.told = {}  # the same, for what is left out but asked nothing of the respondent
        self.parsed = _Parsed()
        self.present = set()

    # -- reporting: every problem with its sheet and row, each feature once ---------------------

    def error(self, sheet, row, message):
        self.errors.append(
            _("%(sheet)s, rad %(row)s: %(message)s")
            % {"sheet": sheet, "row": row, "message": message}
        )

    def refuse(self, key, row, feature, sheet="survey"):
        if key in self.refused:
            self.refused[key][3] += 1
        else:
            self.refused[key] = [sheet, row, feature, 0]

    def tell(self, key, row, message, sheet="survey"):
        if key not in self.told:
            self.told[key] = (sheet, row, message)

    def report(self):
        for sheet, row, feature, more in self.refused.values():
            text = _("%(feature)s kan ikke brukes i Ungkultur.") % {"feature": feature}
            if more:
                text += " " + _("(Det gjelder også %(n)s rad(er) til.)") % {"n": more}
            self.error(sheet, row, text)
        for sheet, row, message in self.told.values():
            self.parsed.notices.append(
                _("%(sheet)s, rad %(row)s: %(message)s")
                % {"sheet": sheet, "row": row, "message": message}
            )

    # -- reading -----------------------------------------------------------------------------------

    def read(self):
        definition = _definition(self.data)
        warnings = []
        try:
            tree = workbook_to_json(workbook_dict=definition, warnings=warnings)
        except PyXFormError as error:
            raise XLSFormError([_("pyxform: %(error)s") % {"error": error}]) from error
        self.rows = {}
        for number, row in enumerate(definition.survey or (), start=2):
            name = _cell(row, "name", "value", "tag")
            if name and name not in self.rows:
                self.rows[name] = number
        self.choice_rows = {}
        for number, row in enumerate(definition.choices or (), start=2):
            key = (_cell(row, "list_name"), _cell(row, "name", "value"))
            self.choice_rows.setdefault(key, number)
        self.read_settings((definition.settings or [{}])[0], tree)
        self.read_choices(tree.get("choices") or {})
        self.read_survey(tree.get("children") or [])
        self.finish_languages()
        self.rename()
        self.check_expressions()
        self.report()
        if self.errors:
            raise XLSFormError(self.errors)
        return self.parsed

    def read_settings(self, settings, tree):
        self.parsed.title = _cell(settings, "form_title", "title", "set_form_title")
        self.parsed.form_id = _cell(settings, "form_id", "id_string")
        self.parsed.version = _cell(settings, "version")
        default = tree.get("default_language") or "default"
        self.default = "nb" if default == "default" else language_of(default)
        for key, value in settings.items():
            column = str(key).strip().lower()
            if value not in (None, "") and column not in (
                "form_title",
                "title",
                "set_form_title",
                "form_id",
                "id_string",
                "version",
                "default_language",
                "style",
            ):
                self.tell(
                    ("setting", column),
                    2,
                    _("innstillingen «%(col)s» brukes ikke her.") % {"col": key},
                    sheet="settings",
                )

    def labels(self, value, sheet="survey", row=1):
        """{nb, nn, en} from pyxform's label: a text, or {language name: text}."""
        found = {"nb": "", "nn": "", "en": ""}
        if value is None or value == "":
            return found
        if not isinstance(value, dict):
            value = {"default": value}
        for name, text in value.items():
            code = self.default if name == "default" else language_of(name)
            if code is None:
                self.tell(
                    ("language", name),
                    1,
                    _("språket «%(lang)s» kan ikke lagres; tekstene på det er ikke importert.")
                    % {"lang": name if name != "default" else _("uten navn")},
                    sheet=sheet,
                )
                continue
            if str(text).strip():
                found[code] = str(text).strip()
                self.present.add(code)
        return found

    def read_choices(self, choices):
        for list_name, entries in choices.items():
            first = self.choice_rows.get((list_name, ""), None) or min(
                (n for (lst, _v), n in self.choice_rows.items() if lst == list_name), default=2
            )
            if not NAME.match(list_name):
                self.error(
                    "choices", first, _("ugyldig list_name «%(name)s».") % {"name": list_name}
                )
                continue
            values, parsed = set(), []
            for entry in entries:
                value = str(entry.get("name", "")).strip()
                row = self.choice_rows.get((list_name, value), first)
                columns = {}
                for key, cell in entry.items():
                    if key in ("name", "label"):
                        continue
                    if key in LOOKS:
                        self.tell(key, row, _("%(what)s vises ikke.") % {"what": LOOKS[key]})
                    elif NAME.match(key) and not isinstance(cell, dict | list):
                        # Read by choice_filter, written back on export.
                        columns[key] = str(cell).strip()[:500]
                    else:
                        self.tell(
                            ("choice-column", key),
                            row,
                            _("kolonnen «%(col)s» er ikke importert.") % {"col": key},
                            sheet="choices",
                        )
                if not CHOICE_VALUE.match(value):
                    self.error(
                        "choices",
                        row,
                        _(
                            "verdien «%(value)s» i listen «%(list)s» kan ikke ha mellomrom "
                            "og kan være høyst 64 tegn (ODK og Kobo leser den ellers feil)."
                        )
                        % {"value": value, "list": list_name},
                    )
                    continue
                if value in values:
                    self.error(
                        "choices",
                        row,
                        _("verdien «%(value)s» finnes to ganger i listen «%(list)s».")
                        % {"value": value, "list": list_name},
                    )
                    continue
                values.add(value)
                if value == "other" and (list_name, value) not in self.choice_rows:
                    labels = dict(OTHER_LABELS)  # pyxform's own "or_other" choice
                else:
                    labels = self.labels(entry.get("label"), "choices", row)
                    if not any(labels.values()):
                        self.error("choices", row, _("svaralternativet mangler tekst."))
                parsed.append((value, labels, columns))
            self.parsed.lists[list_name] = parsed

    def new_section(self, row, name="", labels=None, relevant="", appearance=""):
        n = len(self.parsed.sections) + 1
        section = {
            "row": row,
            "name": name or f"del{n}",
            "labels": labels or {"nb": _("Del %(n)s") % {"n": n}, "nn": "", "en": ""},
            "relevant": relevant,
            "questions": [],
        }
        self.parsed.sections.append(section)
        return section

    def read_survey(self, children):
        loose = None
        for element in children:
            if element.get("name") == "meta" and element.get("control", {}).get("bodyless"):
                continue  # pyxform's own instanceID
            if element.get("type") == "group" and self.grid(element, "") is None:
                row = self.rows.get(element.get("name"), 1)
                self.check_keys(element, row)
                name = element.get("name", "")
                if not NAME.match(name) or any(s["name"] == name for s in self.parsed.sections):
                    self.error(
                        "survey",
                        row,
                        _("ugyldig eller gjentatt gruppenavn «%(name)s».") % {"name": name},
                    )
                    continue
                labels = self.labels(element.get("label"), row=row)
                section = self.new_section(
                    row,
                    name,
                    labels if any(labels.values()) else None,
                    self.expression(element, "relevant"),
                )
                self.fill(section, element.get("children") or [], "")
                loose = None
                continue
            if loose is None:
                loose = self.new_section(self.rows.get(element.get("name"), 2))
            self.fill(loose, [element], "")
        if not any(s["questions"] for s in self.parsed.sections) and not self.refused:
            self.error("survey", 2, _("skjemaet har ingen spørsmål Ungkultur kan bruke."))

    def fill(self, section, children, relevant):
        for element in children:
            if element.get("type") == "group":
                grid = self.grid(element, relevant)
                if grid is not None:
                    section["questions"].append(grid)
                    continue
                self.check_keys(element, self.rows.get(element.get("name"), 1))
                # A group inside a page: its questions join the page, under its condition.
                self.fill(
                    section,
                    element.get("children") or [],
                    _and(relevant, self.expression(element, "relevant")),
                )
                continue
            question = self.question(element, relevant)
            if question is not None:
                section["questions"].append(question)

    def grid(self, element, relevant):
        """A table-list group is a Likert grid; else None. pyxform reads a table-list as a
        field-list with a generated note (the group's label) and a header row."""
        children = element.get("children") or []
        if element.get("type") != "group" or not any(
            c.get("name", "").startswith("reserved_name_for_field_list_labels_") for c in children
        ):
            return None
        notes = [c for c in children if c.get("name", "").startswith("generated_table_list_label_")]
        items = [
            c
            for c in children
            if not c.get("name", "").startswith(
                ("reserved_name_for_field_list_labels_", "generated_table_list_label_")
            )
        ]
        lists = {c.get("list_name") for c in items}
        allowed = {"type", "name", "label", "control", "bind", "choices", "itemset", "list_name"}
        if (
            not items
            or len(lists) != 1
            or any(c.get("type") != "select one" for c in items)
            or any(set(c.get("bind", {})) - {"required"} for c in items)
            or any(set(c) - allowed - {"parameters"} for c in items)
            or any(c.get("parameters") for c in items)
        ):
            return None
        appearance = "table-list"
        row = self.rows.get(element.get("name"), 1)
        list_name = lists.pop()
        if list_name not in self.parsed.lists:
            return None
        required = False
        parsed_items = []
        for c in items:
            flag = self.required(c, self.rows.get(c.get("name"), row))
            required = required or flag
            parsed_items.append(
                {
                    "row": self.rows.get(c.get("name"), row),
                    "name": c.get("name", ""),
                    "labels": self.labels(c.get("label"), row=row),
                }
            )
        return {
            "row": row,
            "name": element.get("name", ""),
            "type": Question.Type.LIKERT_GRID,
            "labels": self.labels(
                notes[0].get("label") if notes else element.get("label"), row=row
            ),
            "hints": self.labels(element.get("hint"), row=row),
            "relevant": _and(relevant, self.expression(element, "relevant")),
            "constraint": "",
            "messages": {"nb": "", "nn": "", "en": ""},
            "required": required,
            "list": list_name,
            "items": parsed_items,
            "allow_decimals": False,
            "appearance": appearance,
            "calculation": "",
            "choice_filter": "",
        }

    def expression(self, element, key):
        text = str(element.get("bind", {}).get(key, "") or "")
        # pyxform writes the "or_other" condition with a path; the platform reads ${name}.
        return re.sub(r"\.\./([A-Za-z_][A-Za-z0-9_.-]*)", r"${\1}", text).strip()

    def required(self, element, row):
        value = str(element.get("bind", {}).get("required", "") or "").strip().lower()
        if value in YES:
            return True
        if value not in NO:
            self.refuse("required-expression", row, _("«required» som uttrykk"))
        return False

    def check_keys(self, element, row, allowed=()):
        for key in element:
            if key in ELEMENT_KEYS or key in allowed:
                continue
            if key in LOOKS:
                self.tell(key, row, _("%(what)s vises ikke.") % {"what": LOOKS[key]})
            elif key == "choice_filter":
                self.refuse(key, row, _("Filtrerte svaralternativer (choice_filter)"))
            elif key == "default":
                self.refuse(key, row, _("Forhåndsutfylte svar (default)"))
            elif key == "trigger":
                self.refuse(key, row, _("«trigger»"))
            else:
                self.refuse(key, row, _("Kolonnen «%(col)s»") % {"col": key})
        for key in element.get("bind", {}):
            if key in ("relevant", "constraint", "jr:constraintMsg", "required") or key in allowed:
                continue
            if key in LOOKS:
                self.tell(key, row, _("%(what)s vises ikke.") % {"what": LOOKS[key]})
            elif key == "calculate":
                self.refuse(
                    "calculation", row, _("Beregninger (calculation) på andre typer enn calculate")
                )
            elif key == "readonly":
                self.refuse(key, row, _("Skrivebeskyttede spørsmål (read_only)"))
            else:
                self.refuse(key, row, _("Kolonnen «%(col)s»") % {"col": key})
        for key in element.get("control", {}):
            if key not in ("appearance", "bodyless"):
                self.refuse(key, row, _("Kolonnen «%(col)s»") % {"col": key})
        if element.get("parameters"):
            self.refuse("parameters", row, _("Parametre (parameters)"))

    def question(self, element, relevant):
        kind, name = element.get("type", ""), element.get("name", "")
        generated_other = name not in self.rows and name.endswith("_other")
        row = self.rows.get(name) or self.rows.get(name[: -len("_other")], 1)
        if kind in METADATA:
            self.tell(
                "metadata",
                row,
                _(
                    "«%(type)s» og andre opplysninger om enheten, tiden eller personen lagres "
                    "ikke (svarene er anonyme); radene er utelatt."
                )
                % {"type": kind},
            )
            return None
        if kind == "repeat":
            self.refuse(kind, row, _("Gjentakende grupper (repeat)"))
            return None
        if kind == "calculate":
            return self.calculate(element, name, row, relevant)
        if kind not in SUPPORTED:
            self.refuse(("type", kind), row, _("Typen «%(type)s»") % {"type": kind})
            return None
        self.check_keys(
            element, row, allowed=("choice_filter",) if element.get("list_name") else ()
        )
        appearance = str(element.get("control", {}).get("appearance", "") or "").strip()
        list_name = None
        if kind in ("select one", "select all that apply"):
            list_name = element.get("list_name") or element.get("itemset") or ""
            if "." in list_name:
                self.refuse("from_file", row, _("Svaralternativer fra fil (select_one_from_file)"))
                return None
            if list_name not in self.parsed.lists:
                return None  # pyxform has refused it already
            qtype = (
                Question.Type.MULTIPLE
                if kind == "select all that apply"
                else (Question.Type.LIKERT if "likert" in appearance else Question.Type.SINGLE)
            )
        elif kind in ("integer", "decimal"):
            qtype = Question.Type.NUMBER
        elif kind in ("note", "date", "time"):
            qtype = {"note": Question.Type.NOTE, "date": Question.Type.DATE}.get(
                kind, Question.Type.TIME
            )
        else:
            qtype = (
                Question.Type.LONG_TEXT if "multiline" in appearance else Question.Type.SHORT_TEXT
            )
        labels = (
            dict(SPECIFY_OTHER) if generated_other else self.labels(element.get("label"), row=row)
        )
        if not any(labels.values()):
            self.error("survey", row, _("spørsmålet «%(name)s» mangler tekst.") % {"name": name})
        return {
            "row": row,
            "name": name,
            "type": qtype,
            "labels": labels,
            "hints": self.labels(element.get("hint"), row=row),
            "messages": self.labels(element.get("bind", {}).get("jr:constraintMsg"), row=row),
            "required": self.required(element, row) and qtype != Question.Type.NOTE,
            "relevant": _and(relevant, self.expression(element, "relevant")),
            "constraint": self.expression(element, "constraint"),
            "list": list_name,
            "items": [],
            "allow_decimals": kind == "decimal",
            "appearance": appearance[:100],
            "calculation": "",
            "choice_filter": str(element.get("choice_filter", "") or "").strip(),
        }

    def calculate(self, element, name, row, relevant):
        """A calculate row: its value is computed from the answers, never asked."""
        self.check_keys(element, row, allowed=("calculate",))
        calculation = self.expression(element, "calculate")
        if not calculation:
            self.error(
                "survey", row, _("beregningen «%(name)s» mangler calculation.") % {"name": name}
            )
        empty = {"nb": "", "nn": "", "en": ""}
        return {
            "row": row,
            "name": name,
            "type": Question.Type.CALCULATE,
            "labels": self.labels(element.get("label"), row=row),
            "hints": self.labels(element.get("hint"), row=row),
            "messages": dict(empty),
            "required": False,
            "relevant": _and(relevant, self.expression(element, "relevant")),
            "constraint": "",
            "list": None,
            "items": [],
            "allow_decimals": False,
            "appearance": "",
            "calculation": calculation,
            "choice_filter": "",
        }

    def labelled(self):
        for section in self.parsed.sections:
            yield section["labels"]
            for q in section["questions"]:
                yield q["labels"]
                yield q["hints"]
                yield q["messages"]
                for item in q["items"]:
                    yield item["labels"]
        for entries in self.parsed.lists.values():
            for _value, labels, _columns in entries:
                yield labels

    def finish_languages(self):
        """The form's own default language is the source text; bokmål falls back to it."""
        if not self.present:
            if not self.errors and not self.refused:
                self.error(
                    "survey", 1, _("skjemaet har ingen tekster på bokmål, nynorsk eller engelsk.")
                )
            return
        source = self.default if self.default in self.present else None
        source = source or next(lang for lang in ("nb", "nn", "en") if lang in self.present)
        self.parsed.source, self.parsed.languages = source, set(self.present)
        for labels in self.labelled():
            if not labels.get("nb"):
                labels["nb"] = labels.get(source, "")

    def rename(self):
        """Names SPSS and Stata cannot take get one they can; every reference follows."""
        taken = {
            n
            for s in self.parsed.sections
            for q in s["questions"]
            for n in [q["name"]] + [i["name"] for i in q["items"]]
        }
        renamed = {}

        def fix(entry):
            name = entry["name"]
            if VARIABLE_NAME.match(name):
                return
            new = re.sub(r"[^A-Za-z0-9_]", "_", name)
            if not new[:1].isalpha():
                new = "v" + new
            new, base, n = new[:32], new[:29], 1
            while new in taken:
                n += 1
                new = f"{base}_{n}"
            taken.add(new)
            renamed[name] = new
            entry["name"] = new
            self.tell(
                ("rename", name),
                entry["row"],
                _("variabelen «%(old)s» heter «%(new)s» her (SPSS og Stata).")
                % {"old": name, "new": new},
            )

        for section in self.parsed.sections:
            for q in section["questions"]:
                fix(q)
                for item in q["items"]:
                    fix(item)
        if not renamed:
            return

        def swap(text):
            return re.sub(
                r"\$\{([^}]*)\}",
                lambda m: "${" + renamed.get(m.group(1), m.group(1)) + "}",
                text,
            )

        for section in self.parsed.sections:
            section["relevant"] = swap(section["relevant"])
            for q in section["questions"]:
                for key in ("relevant", "constraint", "calculation", "choice_filter"):
                    q[key] = swap(q[key])
        for labels in self.labelled():
            for lang, text in labels.items():
                labels[lang] = swap(text)

    def check_expressions(self):
        known = set()
        for section in self.parsed.sections:
            for question in section["questions"]:
                if question["items"]:
                    known |= {i["name"] for i in question["items"]}
                elif question["type"] != Question.Type.NOTE:
                    known.add(question["name"])
        before = set()
        for section in self.parsed.sections:
            self.check_one(section["row"], "relevant", section["relevant"], known)
            for question in section["questions"]:
                self.check_one(question["row"], "relevant", question["relevant"], known)
                self.check_one(question["row"], "constraint", question["constraint"], known)
                if question["choice_filter"]:
                    entries = self.parsed.lists.get(question["list"], [])
                    columns = {"name"}.union(*(cols for _v, _l, cols in entries))
                    self.check_one(
                        question["row"],
                        "choice_filter",
                        question["choice_filter"],
                        known,
                        columns=columns,
                    )
                if question["calculation"] and self.check_one(
                    question["row"], "calculation", question["calculation"], known
                ):
                    later = sorted(
                        conditions.variables(conditions.parse(question["calculation"])) - before
                    )
                    if later:
                        self.error(
                            "survey",
                            question["row"],
                            _(
                                "calculation: beregningen bruker %(names)s, som kommer etter "
                                "den; den kan bare bruke svar som er gitt før den."
                            )
                            % {"names": ", ".join(f"«{name}»" for name in later)},
                        )
                before |= {i["name"] for i in question["items"]} or {question["name"]}
        names = {}
        for section in self.parsed.sections:
            for question in section["questions"]:
                for entry in [question, *question["items"]]:
                    if entry["name"] in names:
                        self.error(
                            "survey",
                            entry["row"],
                            _("variabelnavnet «%(name)s» er brukt før (rad %(row)s).")
                            % {"name": entry["name"], "row": names[entry["name"]]},
                        )
                    names[entry["name"]] = entry["row"]

    def check_one(self, row, column, text, known, columns=None):
        """Whether the expression is in the subset (else the error is noted)."""
        if not text.strip():
            return False
        try:
            conditions.check(text, known=known, columns=columns)
        except conditions.ConditionError as error:
            if error.function:
                # today(), jr:choice-name(), pulldata(), …: refused once for the whole form.
                self.refuse(
                    ("function", error.function),
                    row,
                    _("Funksjonen %(name)s() i uttrykk") % {"name": error.function},
                )
            else:
                self.error("survey", row, f"{column}: {error}")
            return False
        return True


def read_xlsform(data: bytes):
    """The parsed form, or XLSFormError with every problem by sheet and row (each feature the
    platform cannot do once). pyxform reads the file, so its aliases and dialects hold."""
    return _Reader(data).read()


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
        source_language=parsed.source,
        created_by=actor,
        created_at=now,
    )
    lists = {}
    for list_name, entries in parsed.lists.items():
        lists[list_name] = ChoiceList.objects.create(questionnaire=questionnaire, name=list_name)
        Choice.objects.bulk_create(
            Choice(
                choice_list=lists[list_name],
                value=value,
                position=i,
                columns=columns,
                **_cols(labels),
            )
            for i, (value, labels, columns) in enumerate(entries, start=1)
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
                appearance=q["appearance"],
                calculation=q["calculation"],
                choice_filter=q["choice_filter"],
                **_cols(q["labels"]),
                **_cols(q["hints"], "hint"),
                **_cols(q["messages"], "constraint_message"),
            )
            GridItem.objects.bulk_create(
                GridItem(question=question, name=i["name"], position=n, **_cols(i["labels"]))
                for n, i in enumerate(q["items"], start=1)
            )
    audit_record(actor=actor, action="surveys.xlsform_import", obj=questionnaire, at=now)
    questionnaire.import_notices = parsed.notices
    return questionnaire


def _cols(labels, prefix="label"):
    return {f"{prefix}_{lang}": labels.get(lang, "") for lang in ("nb", "nn", "en")}


# --- Export -------------------------------------------------------------------------------------


def export_xlsform(questionnaire) -> bytes:
    structure = questionnaire_structure(questionnaire)
    languages = [lang for lang in ("nb", "nn", "en") if lang in questionnaire.languages] or ["nb"]
    source = questionnaire.source_language
    source = source if source in languages else languages[0]
    # The source language first: it is the form's default language (the column ODK falls
    # back to), and a form without bokmål writes no bokmål column.
    languages = [source, *(lang for lang in languages if lang != source)]

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
            "calculation",
            "choice_filter",
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
        calculation="",
        choice_filter="",
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
                calculation,
                choice_filter,
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
    choice_lists = list(questionnaire.choice_lists.prefetch_related("choices"))
    # The other columns choice filters read, each once, in the order they first occur.
    extra = list(
        dict.fromkeys(
            key for cl in choice_lists for choice in cl.choices.all() for key in choice.columns
        )
    )
    choices.append(["list_name", "name", *translated("label"), *extra])
    for choice_list in choice_lists:
        for choice in choice_list.choices.all():
            choices.append(
                [
                    choice_list.name,
                    choice.value,
                    *(getattr(choice, f"label_{lang}") for lang in languages),
                    *(choice.columns.get(key, "") for key in extra),
                ]
            )
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language", "style"])
    settings.append(
        [
            questionnaire.title,
            questionnaire.form_id or f"ungkultur_{questionnaire.pk}",
            questionnaire.version,
            LANGUAGE_LABELS[source],
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
            appearance=q.appearance or "table-list",
        )
        for name, labels in q.items:
            row(f"select_one {q.list_name}", name, labels, required=q.required)
        row("end_group", "", {})
        return
    if q.type == Question.Type.CALCULATE:
        row("calculate", q.name, q.labels, relevant=relevant, calculation=q.calculation_text)
        return
    kind, appearance = {
        Question.Type.NOTE: ("note", ""),
        Question.Type.DATE: ("date", ""),
        Question.Type.TIME: ("time", ""),
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
        appearance=q.appearance or appearance,
        choice_filter=q.choice_filter_text,
    )
