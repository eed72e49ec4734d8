"""XLSForms as others write them, in the dialects pyxform documents (xlsform.org): the column
and type aliases (``list name``, ``label:English``, ``select one from X``), .xls and .xlsx,
forms without bokmål, ``or_other``, notes, nested groups, table-lists, metadata. pyxform decides
which are valid; of those, at least 90 % import, and every export of an imported form passes
pyxform again."""

import io

import pytest
import xlwt
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from ungkultur.surveys.models import AnswerDraft, Question, Questionnaire
from ungkultur.surveys.selectors import questionnaire_structure
from ungkultur.surveys.xlsform import XLSFormError, export_xlsform, import_xlsform


def xlsx(sheets):
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls(sheets):
    """The old binary format (Excel 97–2003), as many forms on the web still are."""
    book = xlwt.Workbook()
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value not in (None, ""):
                    sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


YN = [("list_name", "name", "label"), ("yn", "yes", "Yes"), ("yn", "no", "No")]
YN_EN = [("list name", "name", "label:English"), ("yn", "yes", "Yes"), ("yn", "no", "No")]
AGREE = [
    ("list_name", "name", "label::English (en)", "label::Norsk bokmål (nb)"),
    ("agree", "1", "Disagree", "Uenig"),
    ("agree", "2", "Neutral", "Nøytral"),
    ("agree", "3", "Agree", "Enig"),
]


def _forms():
    """(name, file bytes, what the import should give: None = refused)."""
    forms = []

    def add(name, sheets, expect="ok"):
        forms.append((name + ".xlsx", xlsx(sheets), expect))
        forms.append((name + ".xls", xls(sheets), expect))

    add(
        "plain",
        {
            "survey": [
                ("type", "name", "label", "required"),
                ("select_one yn", "member", "Are you a member?", "yes"),
                ("integer", "age", "Age", ""),
                ("text", "why", "Why?", ""),
            ],
            "choices": YN,
        },
    )
    add(
        "aliases",
        {
            "survey": [
                ("type", "name", "label:English", "hint:English", "relevance"),
                ("select one from yn", "member", "Member?", "Pick one", ""),
                ("select all that apply from yn", "both", "Both?", "", "${member} = 'yes'"),
                ("decimal", "hours", "Hours", "", ""),
            ],
            "choices": YN_EN,
            "settings": [("form_title", "default_language"), ("Aliases", "English")],
        },
    )
    add(
        "english_only",
        {
            "survey": [
                ("type", "name", "label::English (en)", "constraint", "constraint_message"),
                ("integer", "age", "How old are you?", ". >= 10 and . <= 25", "10 to 25"),
                ("note", "thanks", "You are ${age} years old.", "", ""),
            ],
            "settings": [("form_title", "default_language"), ("English", "English (en)")],
        },
    )
    add(
        "bokmal_nynorsk",
        {
            "survey": [
                ("type", "name", "label::nb", "label::nn"),
                ("begin group", "om", "Om deg", "Om deg"),
                ("select_one yn", "medlem", "Er du medlem?", "Er du medlem?"),
                ("end group", "", "", ""),
            ],
            "choices": [
                ("list_name", "name", "label::nb", "label::nn"),
                ("yn", "ja", "Ja", "Ja"),
                ("yn", "nei", "Nei", "Nei"),
            ],
        },
    )
    add(
        "or_other",
        {
            "survey": [
                ("type", "name", "label"),
                ("select_one yn or_other", "member", "Member?"),
            ],
            "choices": YN,
        },
    )
    add(
        "nested_groups",
        {
            "survey": [
                ("type", "name", "label", "relevant", "appearance"),
                ("begin group", "page1", "Page 1", "", "field-list"),
                ("select_one yn", "club", "Club?", "", "minimal"),
                ("begin group", "inner", "More", "${club} = 'yes'", ""),
                ("text", "which", "Which club?", "", ""),
                ("end group", "", "", "", ""),
                ("end group", "", "", "", ""),
                ("begin_group", "page2", "Page 2", "", ""),
                ("text", "comments", "Anything else?", "", "multiline"),
                ("end_group", "", "", "", ""),
            ],
            "choices": YN,
        },
    )
    add(
        "table_list",
        {
            "survey": [
                ("type", "name", "label::English (en)", "label::Norsk bokmål (nb)", "appearance"),
                ("begin group", "places", "Places", "Steder", "table-list"),
                ("select_one agree", "safe", "Safe", "Trygt", ""),
                ("select_one agree", "fun", "Fun", "Gøy", ""),
                ("end group", "", "", "", ""),
                ("select_one agree", "overall", "Overall", "Alt i alt", "likert"),
            ],
            "choices": AGREE,
        },
    )
    add(
        "metadata",
        {
            "survey": [
                ("type", "name", "label"),
                ("start", "start", ""),
                ("end", "end", ""),
                ("deviceid", "deviceid", ""),
                ("today", "today", ""),
                ("text", "name_of_club", "Club"),
            ],
        },
    )
    add(
        "other_language",
        {
            "survey": [
                ("type", "name", "label::English", "label::Français"),
                ("text", "q", "Question", "Question en français"),
            ],
        },
    )
    add(
        "odd_names",
        {
            "survey": [
                ("type", "name", "label"),
                ("integer", "q-1", "First"),
                ("integer", "q.2", "Second"),
                ("text", "q3", "Third, shown when first is ${q-1}"),
            ],
        },
    )
    add(
        "date_time",
        {
            "survey": [
                ("type", "name", "label", "required"),
                ("date", "when", "When did you start?", "true"),
                ("time", "at", "At what time?", "false"),
            ],
        },
    )
    add(
        "required_messages",
        {
            "survey": [
                ("type", "name", "label", "required", "required_message", "guidance_hint"),
                ("text", "q", "Q", "yes", "Please answer", "Ask the teacher"),
            ],
        },
    )
    add(
        "kobo_style",
        {
            "survey": [
                ("type", "name", "label::English (en)", "label::Norsk (nb)", "required"),
                ("start", "start", "", "", ""),
                ("select_multiple yn", "things", "Things", "Ting", "true"),
                ("integer", "n", "Number", "Tall", "false"),
            ],
            "choices": [
                ("list_name", "name", "label::English (en)", "label::Norsk (nb)"),
                ("yn", "yes", "Yes", "Ja"),
                ("yn", "no", "No", "Nei"),
            ],
            "settings": [("form_title", "form_id", "version"), ("Kobo", "kobo_1", "2024")],
        },
    )
    add(
        "nynorsk_source",
        {
            "survey": [
                ("type", "name", "label"),
                ("select_one yn", "kor", "Syng du i kor?"),
            ],
            "choices": [("list_name", "name", "label"), ("yn", "1", "Ja"), ("yn", "2", "Nei")],
            "settings": [("default_language",), ("nynorsk",)],
        },
    )
    add(
        "pages",
        {
            "survey": [
                ("type", "name", "label", "hint"),
                ("begin group", "a", "A", "First page"),
                ("integer", "x", "X", "a number"),
                ("end group", "", "", ""),
                ("begin group", "b", "B", ""),
                ("integer", "y", "Y", ""),
                ("end group", "", "", ""),
                ("note", "bye", "Bye", ""),
            ],
            "settings": [("form_title", "style"), ("Pages", "pages")],
        },
    )
    add(
        "calculate",
        {
            "survey": [
                ("type", "name", "label", "calculation"),
                ("integer", "a", "A", ""),
                ("calculate", "b", "", "${a} * 2"),
            ]
        },
    )
    add(
        "choice_filter",
        {
            "survey": [
                ("type", "name", "label", "choice_filter"),
                ("select_one yn", "a", "A", ""),
                ("select_one yn", "b", "B", "name != ${a}"),
            ],
            "choices": YN,
        },
    )
    # Ungdata-style: a score from Likert items, a band from the score, the band piped into a
    # note and a page shown by it.
    add(
        "ungdata_scores",
        {
            "survey": [
                ("type", "name", "label", "calculation", "relevant"),
                ("begin group", "trivsel", "Trivsel", "", ""),
                ("select_one agree", "glad", "Jeg er glad", "", ""),
                ("select_one agree", "trygg", "Jeg er trygg", "", ""),
                ("integer", "timer", "Timer fritid i uka", "", ""),
                ("calculate", "poeng", "", "coalesce(${glad}, 0) + coalesce(${trygg}, 0)", ""),
                ("calculate", "snitt", "", "round(${poeng} div 2, 1)", ""),
                (
                    "calculate",
                    "niva",
                    "",
                    "if(${poeng} >= 5, 'høy', if(${poeng} >= 3, 'middels', 'lav'))",
                    "",
                ),
                ("calculate", "dager", "", "int(${timer} div 24)", "${timer} != ''"),
                ("end group", "", "", "", ""),
                ("begin group", "slutt", "Slutt", "", ""),
                ("note", "takk", "Trivselen din er ${niva} (${poeng} poeng).", "", ""),
                ("text", "hvorfor", "Hva gjør deg glad?", "", "${niva} = 'høy'"),
                ("note", "alt", "${glad}: ${snitt}", "", "concat(${niva}, '') != ''"),
                ("end group", "", "", "", ""),
            ],
            "choices": [
                ("list_name", "name", "label"),
                ("agree", "1", "Uenig"),
                ("agree", "2", "Nøytral"),
                ("agree", "3", "Enig"),
            ],
        },
    )
    # Cascading selects: a choices-sheet column read by the next question's filter.
    add(
        "cascading",
        {
            "survey": [
                ("type", "name", "label::English (en)", "choice_filter", "required"),
                ("select_one county", "county", "County", "", "yes"),
                ("select_one town", "town", "Town", "county=${county}", "yes"),
                ("select_one club", "club", "Club", "filter=${town} or filter='all'", ""),
            ],
            "choices": [
                ("list_name", "name", "label::English (en)", "county", "filter"),
                ("county", "agder", "Agder", "", ""),
                ("county", "rogaland", "Rogaland", "", ""),
                ("town", "arendal", "Arendal", "agder", ""),
                ("town", "grimstad", "Grimstad", "agder", ""),
                ("town", "sola", "Sola", "rogaland", ""),
                ("club", "band", "Band", "", "arendal"),
                ("club", "kor", "Choir", "", "sola"),
                ("club", "ukm", "UKM", "", "all"),
            ],
        },
    )
    # Kobo-style follow-up: which of the chosen ones is the favourite.
    add(
        "chosen_follow_up",
        {
            "survey": [
                ("type", "name", "label", "choice_filter"),
                ("select_multiple act", "liked", "What do you like?", ""),
                ("select_one act", "best", "Which is best?", "selected(${liked}, name)"),
            ],
            "choices": [
                ("list_name", "name", "label"),
                ("act", "music", "Music"),
                ("act", "dance", "Dance"),
                ("act", "film", "Film"),
            ],
        },
    )
    # Features the platform cannot do: refused, each once (xlsx only, so the share is fair).
    forms.append(
        (
            "calculate_today.xlsx",
            xlsx(
                {
                    "survey": [
                        ("type", "name", "label", "calculation"),
                        ("integer", "born", "Born", ""),
                        ("calculate", "age", "", "format-date(today(), '%Y') - ${born}"),
                    ]
                }
            ),
            None,
        )
    )
    forms.append(
        (
            "choice_name.xlsx",
            xlsx(
                {
                    "survey": [
                        ("type", "name", "label", "calculation"),
                        ("select_one yn", "a", "A", ""),
                        ("calculate", "a_label", "", "jr:choice-name(${a}, '${a}')"),
                    ],
                    "choices": YN,
                }
            ),
            None,
        )
    )
    forms.append(
        (
            "repeat.xlsx",
            xlsx(
                {
                    "survey": [
                        ("type", "name", "label"),
                        ("begin repeat", "kids", "Kids"),
                        ("text", "kid", "Name"),
                        ("end repeat", "", ""),
                    ]
                }
            ),
            None,
        )
    )
    # Broken forms: pyxform refuses them, so do we.
    forms.append(
        (
            "missing_list.xlsx",
            xlsx({"survey": [("type", "name", "label"), ("select_one nope", "a", "A")]}),
            None,
        )
    )
    forms.append(
        (
            "unclosed.xls",
            xls({"survey": [("type", "name", "label"), ("begin group", "g", "G")]}),
            None,
        )
    )
    return forms


CORPUS = _forms()


def _pyxform_accepts(data):
    try:
        convert(xlsform=data, warnings=[])
    except PyXFormError:
        return False
    return True


def test_at_least_90_percent_of_the_forms_pyxform_accepts_import_and_their_exports_pass_pyxform(
    personas,
):
    accepted = [(name, data) for name, data, _e in CORPUS if _pyxform_accepts(data)]
    assert len(accepted) >= 43
    imported, refused = [], []
    for name, data in accepted:
        try:
            questionnaire = import_xlsform(actor=personas.researcher, data=data)
        except XLSFormError as error:
            refused.append((name, error.errors))
            continue
        imported.append(name)
        again = export_xlsform(questionnaire)
        assert _pyxform_accepts(again), name
        # And the export imports to the same variables.
        copy = import_xlsform(actor=personas.researcher, data=again)
        assert (
            questionnaire_structure(copy).variables()
            == questionnaire_structure(questionnaire).variables()
        ), name
    assert len(imported) / len(accepted) >= 0.9, refused
    assert sorted(name for name, _errors in refused) == [
        "calculate_today.xlsx",
        "choice_name.xlsx",
        "repeat.xlsx",
    ]


@pytest.mark.parametrize("name,data,expect", [c for c in CORPUS if c[2] is None])
def test_what_pyxform_refuses_or_the_platform_cannot_do_stores_nothing(
    personas, name, data, expect
):
    with pytest.raises(XLSFormError) as error:
        import_xlsform(actor=personas.researcher, data=data)
    assert error.value.errors
    assert not Questionnaire.objects.exists()


def _corpus(name):
    return next(data for n, data, _e in CORPUS if n == name)


@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
def test_aliases_and_an_english_only_form_keep_english_as_the_source(personas, suffix):
    questionnaire = import_xlsform(actor=personas.researcher, data=_corpus("aliases" + suffix))
    assert questionnaire.languages == ["en"] and questionnaire.source_language == "en"
    structure = questionnaire_structure(questionnaire)
    member, both, hours = structure.questions()
    assert (member.type, member.labels["en"], member.hints["en"]) == (
        "single",
        "Member?",
        "Pick one",
    )
    assert both.type == "multiple" and both.relevant_text == "${member} = 'yes'"
    assert hours.type == "number" and hours.allow_decimals
    # The English text stands in for bokmål until a translation is written.
    assert member.label("nb") == "Member?"
    # The export writes English as the default language, and no bokmål column.
    exported = export_xlsform(questionnaire)
    book = load_workbook(io.BytesIO(exported))
    header = [c.value for c in book["survey"][1]]
    assert "label::English (en)" in header
    assert not any("bokmål" in str(h) for h in header)
    assert [c.value for c in book["settings"][2]][3] == "English (en)"


def test_nynorsk_as_default_language_is_the_source(personas):
    questionnaire = import_xlsform(actor=personas.researcher, data=_corpus("nynorsk_source.xlsx"))
    assert questionnaire.languages == ["nn"] and questionnaire.source_language == "nn"
    (question,) = questionnaire_structure(questionnaire).questions()
    assert question.labels["nn"] == "Syng du i kor?"


def test_or_other_adds_the_choice_and_a_text_question_shown_when_it_is_chosen(personas):
    questionnaire = import_xlsform(actor=personas.researcher, data=_corpus("or_other.xls"))
    member, other = questionnaire_structure(questionnaire).questions()
    assert member.choice_values == ["yes", "no", "other"]
    assert other.name == "member_other" and other.type == "short_text"
    assert other.relevant_text == "selected(${member}, 'other')"
    assert other.labels["nb"] == "Annet, nemlig:"


def test_nested_groups_join_their_page_under_the_group_condition_and_appearance_is_kept(
    personas,
):
    questionnaire = import_xlsform(actor=personas.researcher, data=_corpus("nested_groups.xlsx"))
    structure = questionnaire_structure(questionnaire)
    assert [s.name for s in structure.sections] == ["page1", "page2"]
    club, which = structure.sections[0].questions
    assert which.relevant_text == "${club} = 'yes'"
    assert club.appearance == "minimal"
    book = load_workbook(io.BytesIO(export_xlsform(questionnaire)))
    rows = {r[1]: r for r in book["survey"].iter_rows(values_only=True)}
    assert rows["club"][-1] == "minimal"
    assert rows["comments"][-1] == "multiline"


def test_a_table_list_is_a_grid_and_notes_dates_and_times_are_questions(personas):
    grid_form = import_xlsform(actor=personas.researcher, data=_corpus("table_list.xls"))
    grid, overall = questionnaire_structure(grid_form).questions()
    assert grid.type == Question.Type.LIKERT_GRID and grid.labels["nb"] == "Steder"
    assert [name for name, _l in grid.items] == ["safe", "fun"]
    assert overall.type == Question.Type.LIKERT
    moments = import_xlsform(actor=personas.researcher, data=_corpus("date_time.xlsx"))
    when, at = questionnaire_structure(moments).questions()
    assert (when.type, when.required, at.type) == ("date", True, "time")
    notes = import_xlsform(actor=personas.researcher, data=_corpus("english_only.xlsx"))
    age, thanks = questionnaire_structure(notes).questions()
    assert thanks.type == Question.Type.NOTE and thanks.variables == []
    assert questionnaire_structure(notes).variables() == ["age"]
    assert age.constraint_messages["en"] == "10 to 25"


def test_metadata_other_languages_and_odd_names_are_reported_not_dropped_silently(personas):
    metadata = import_xlsform(actor=personas.researcher, data=_corpus("metadata.xlsx"))
    assert questionnaire_structure(metadata).variables() == ["name_of_club"]
    assert len(metadata.import_notices) == 1
    assert metadata.import_notices[0].startswith("survey, rad 2: «start»")
    french = import_xlsform(actor=personas.researcher, data=_corpus("other_language.xls"))
    assert french.languages == ["en"]
    assert french.import_notices == [
        "survey, rad 1: språket «Français» kan ikke lagres; tekstene på det er ikke importert."
    ]
    odd = import_xlsform(actor=personas.researcher, data=_corpus("odd_names.xlsx"))
    structure = questionnaire_structure(odd)
    assert structure.variables() == ["q_1", "q_2", "q3"]
    assert structure.questions()[2].labels["nb"] == "Third, shown when first is ${q_1}"
    assert (
        odd.import_notices[0] == "survey, rad 2: variabelen «q-1» heter «q_1» her (SPSS og Stata)."
    )


def test_piping_shows_the_answer_given(personas):
    questionnaire = import_xlsform(actor=personas.researcher, data=_corpus("english_only.xlsx"))
    structure = questionnaire_structure(questionnaire)
    assert structure.piped("You are ${age} years old.", {"age": 15}, "en") == (
        "You are 15 years old."
    )
    assert structure.piped("You are ${age} years old.", {}, "en") == "You are … years old."
    member = import_xlsform(actor=personas.researcher, data=_corpus("plain.xlsx"))
    assert questionnaire_structure(member).piped("${member}!", {"member": "yes"}, "nb") == "Yes!"


def test_a_choice_value_with_a_space_is_refused_and_nothing_is_stored(personas):
    data = xlsx(
        {
            "survey": [("type", "name", "label"), ("select_one l", "a", "A")],
            "choices": [("list_name", "name", "label"), ("l", "to ord", "To ord")],
        }
    )
    with pytest.raises(XLSFormError) as error:
        import_xlsform(actor=personas.researcher, data=data)
    assert error.value.errors == [
        "choices, rad 2: verdien «to ord» i listen «l» kan ikke ha mellomrom og kan være høyst "
        "64 tegn (ODK og Kobo leser den ellers feil)."
    ]
    assert not Questionnaire.objects.exists()


def test_an_imported_form_is_answered_with_notes_piping_and_dates(client, personas):
    data = xlsx(
        {
            "survey": [
                ("type", "name", "label::English (en)"),
                ("begin group", "p1", "About you"),
                ("text", "nick", "What do people call you?"),
                ("end group", "", ""),
                ("begin group", "p2", "More"),
                ("note", "hello", "Hello, ${nick}!"),
                ("date", "when", "When did you start?"),
                ("end group", "", ""),
            ]
        }
    )
    questionnaire = import_xlsform(actor=personas.researcher, data=data)
    client.force_login(personas.researcher)
    page = reverse("surveys:answer_page")
    preview = reverse("surveys:answer_preview", args=[questionnaire.pk])
    assert client.post(preview, {"language": "en"}).url == page
    client.post(page, {"nick": "<b>Kim</b>"})
    text = client.get(page).content.decode()
    # The note shows the answer given, escaped as any text.
    assert "Hello, &lt;b&gt;Kim&lt;/b&gt;!" in text and "<b>Kim</b>" not in text
    response = client.post(page, {"when": "17.05.2026"})
    assert response.status_code == 400
    response = client.post(page, {"when": "2026-05-17"})
    assert response.url == reverse("surveys:answer_send")
    assert AnswerDraft.objects.get().answers == {"nick": "<b>Kim</b>", "when": "2026-05-17"}
