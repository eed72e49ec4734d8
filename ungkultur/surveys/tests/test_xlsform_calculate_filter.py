"""XLSForm ``calculate`` and ``choice_filter`` (issue 20): a calculated variable is computed
from the answers before it, stored with the response, piped and exported; a select's choices
are filtered on the server (no script), a choice the filter leaves out is refused, and the
export back to XLSForm keeps both and passes pyxform."""

import io

import polars as pl
import pyreadstat
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from ungkultur.surveys import exports, services
from ungkultur.surveys.models import (
    AccessCode,
    AnswerDraft,
    Choice,
    PendingResponse,
    Question,
    Questionnaire,
    ResearchExport,
    Response,
)
from ungkultur.surveys.selectors import questionnaire_structure
from ungkultur.surveys.tests.factories import NOW, open_wave
from ungkultur.surveys.tests.test_xlsform_corpus import _pyxform_accepts, xlsx
from ungkultur.surveys.xlsform import XLSFormError, export_xlsform, import_xlsform

START = reverse("surveys:answer_start")
PAGE = reverse("surveys:answer_page")
SEND = reverse("surveys:answer_send")

FORM = {
    "survey": [
        ("type", "name", "label", "calculation", "choice_filter", "relevant"),
        ("begin group", "om_deg", "Om deg", "", "", ""),
        ("select_one region", "region", "Hvor bor du?", "", "", ""),
        ("integer", "alder", "Hvor gammel er du?", "", "", ""),
        ("calculate", "om_fem", "", "${alder} + 5", "", ""),
        ("calculate", "gruppe", "", "if(${om_fem} >= 20, 'eldre', 'yngre')", "", ""),
        ("select_multiple act", "liker", "Hva liker du?", "", "", ""),
        ("select_one act", "best", "Hva liker du best?", "", "selected(${liker}, name)", ""),
        ("end group", "", "", "", "", ""),
        ("begin group", "sted", "Sted", "", "", ""),
        ("note", "hei", "Om fem år er du ${om_fem} (${gruppe}).", "", "", ""),
        ("select_one city", "by", "Hvilken by?", "", "region=${region}", ""),
        ("text", "voksen", "Hva gjør du da?", "", "", "${om_fem} >= 20"),
        ("end group", "", "", "", "", ""),
    ],
    "choices": [
        ("list_name", "name", "label", "region"),
        ("region", "ost", "Østlandet", ""),
        ("region", "vest", "Vestlandet", ""),
        ("city", "oslo", "Oslo", "ost"),
        ("city", "hamar", "Hamar", "ost"),
        ("city", "bergen", "Bergen", "vest"),
        ("act", "musikk", "Musikk", ""),
        ("act", "dans", "Dans", ""),
        ("act", "film", "Film", ""),
    ],
}


@pytest.fixture
def imported(personas):
    return import_xlsform(actor=personas.researcher, data=xlsx(FORM))


@pytest.fixture
def wave(personas, imported):
    return open_wave(personas.researcher, imported)


@pytest.fixture
def codes(personas, wave):
    _batch, codes = services.code_batch_create(
        actor=personas.teacher_a, wave=wave, municipality=personas.arendal, count=3, now=NOW
    )
    return codes


def test_the_import_keeps_calculations_filters_and_the_choice_columns(imported):
    structure = questionnaire_structure(imported)
    by_name = {q.name: q for q in structure.questions()}
    om_fem = by_name["om_fem"]
    assert (om_fem.type, om_fem.calculation_text) == (Question.Type.CALCULATE, "${alder} + 5")
    assert by_name["by"].choice_filter_text == "region=${region}"
    assert by_name["best"].choice_filter_text == "selected(${liker}, name)"
    assert Choice.objects.get(value="oslo").columns == {"region": "ost"}
    assert Choice.objects.get(value="ost").columns == {}  # an empty cell is no column
    # A calculated variable is a variable; a note is not.
    assert structure.variables() == [
        "region",
        "alder",
        "om_fem",
        "gruppe",
        "liker",
        "best",
        "by",
        "voksen",
    ]
    assert imported.import_notices == []


def test_the_export_keeps_them_and_passes_pyxform(personas, imported):
    exported = export_xlsform(imported)
    assert _pyxform_accepts(exported)
    book = load_workbook(io.BytesIO(exported))
    header = [c.value for c in book["survey"][1]]
    rows = {
        r[1]: dict(zip(header, r, strict=True))
        for r in book["survey"].iter_rows(min_row=2, values_only=True)
    }
    assert rows["om_fem"]["type"] == "calculate"
    assert rows["om_fem"]["calculation"] == "${alder} + 5"
    assert rows["by"]["choice_filter"] == "region=${region}"
    assert rows["voksen"]["relevant"] == "${om_fem} >= 20"
    choices = list(book["choices"].iter_rows(values_only=True))
    assert choices[0][-1] == "region"
    assert ("city", "bergen", "Bergen", "vest") in choices
    again = questionnaire_structure(import_xlsform(actor=personas.researcher, data=exported))
    assert [(q.name, q.calculation_text, q.choice_filter_text) for q in again.questions()] == [
        (q.name, q.calculation_text, q.choice_filter_text)
        for q in questionnaire_structure(imported).questions()
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ("calculate", "c", "", "today()", "", ""),
            "survey, rad 3: Funksjonen today() i uttrykk kan ikke brukes i Ungkultur. "
            "(Det gjelder også 1 rad(er) til.)",
        ),
        (
            ("calculate", "c", "", "${b} * 2", "", ""),
            "survey, rad 3: calculation: beregningen bruker «b», som kommer etter den; den kan "
            "bare bruke svar som er gitt før den.",
        ),
        (
            ("calculate", "c", "", "${a} ** 2", "", ""),
            "survey, rad 3: calculation: «*» er ikke tillatt i et uttrykk.",
        ),
        (
            ("select_one l", "c", "C", "", "regon=${a}", ""),
            "survey, rad 3: choice_filter: Listen har ingen kolonne «regon» på choices-arket.",
        ),
    ],
)
def test_what_the_expressions_cannot_do_is_refused_with_sheet_and_row(personas, row, message):
    data = xlsx(
        {
            "survey": [
                ("type", "name", "label", "calculation", "choice_filter", "relevant"),
                ("integer", "a", "A", "", "", ""),
                row,
                ("integer", "b", "B", "", "", ""),
                ("calculate", "d", "", "today()", "", ""),
            ],
            "choices": [("list_name", "name", "label", "region"), ("l", "x", "X", "1")],
        }
    )
    with pytest.raises(XLSFormError) as error:
        import_xlsform(actor=personas.researcher, data=data)
    assert any(e.startswith(message) for e in error.value.errors), error.value.errors
    assert not Questionnaire.objects.exists()


def _start(client, code):
    client.post(START, {"code": code, "language": "nb"})


def test_the_page_shows_only_the_choices_the_filter_lets_through(client, codes):
    _start(client, codes[0])
    # "Hva liker du best?" is filtered by the answer above it on the same page: shown once
    # something is chosen (on a second look, no script), with only what was chosen.
    text = client.get(PAGE).content.decode()
    assert "Hva liker du best?" not in text
    response = client.post(PAGE, {"region": "ost", "alder": "15", "liker": ["musikk", "film"]})
    assert response.url == PAGE
    text = client.get(PAGE).content.decode()
    assert "Hva liker du best?" in text
    assert 'value="film"' in text and text.count('value="dans"') == 1  # only in "liker"
    assert (
        client.post(
            PAGE, {"region": "ost", "alder": "15", "liker": ["musikk", "film"], "best": "film"}
        ).url
        == PAGE
    )
    text = client.get(PAGE).content.decode()
    assert "Side 2 av 2" in text
    assert 'value="oslo"' in text and 'value="hamar"' in text
    assert 'value="bergen"' not in text and "Bergen" not in text


def test_a_choice_the_filter_leaves_out_is_refused_and_nothing_is_saved(client, codes, wave):
    _start(client, codes[0])
    first = {"region": "ost", "alder": "15", "liker": ["dans"]}
    client.post(PAGE, first)
    # "best" may only be one of those chosen in "liker", on the same page.
    response = client.post(PAGE, {**first, "best": "film"})
    assert response.status_code == 400
    assert "Velg et av svaralternativene." in response.content.decode()
    assert "best" not in AnswerDraft.objects.get().answers
    client.post(PAGE, {**first, "best": "dans"})
    before = AnswerDraft.objects.get().answers
    assert before["best"] == "dans" and AnswerDraft.objects.get().page == 1
    # Bergen is not in Østlandet.
    response = client.post(PAGE, {"by": "bergen"})
    assert response.status_code == 400
    assert "Velg et av svaralternativene." in response.content.decode()
    assert AnswerDraft.objects.get().answers == before
    assert AnswerDraft.objects.get().page == 1
    # Sent directly (as the API or an import would): refused, no response, the code unused.
    answers = {"region": "vest", "alder": 15, "liker": ["dans"], "best": "musikk", "by": "bergen"}
    with pytest.raises(ValidationError) as error:
        services.response_submit(wave=wave, answers=answers, code=codes[1], today=NOW.date())
    assert error.value.message_dict == {"best": ["Velg et av svaralternativene."]}
    assert PendingResponse.objects.count() == 0
    assert not AccessCode.objects.filter(used=True).exists()


def test_the_calculated_value_is_stored_piped_and_never_taken_from_the_post(client, codes):
    _start(client, codes[0])
    client.post(PAGE, {"region": "vest", "alder": "16", "om_fem": "99", "gruppe": "<b>x</b>"})
    answers = AnswerDraft.objects.get().answers
    assert (answers["om_fem"], answers["gruppe"]) == (21, "eldre")
    text = client.get(PAGE).content.decode()
    assert "Om fem år er du 21 (eldre)." in text
    # A question shown by the calculated value.
    assert "Hva gjør du da?" in text
    client.post(PAGE, {"by": "bergen", "voksen": "Jobber"})
    assert "Om fem år er du" not in client.get(SEND).content.decode()  # not a question
    client.post(SEND)
    (pending,) = PendingResponse.objects.all()
    assert pending.answers == {
        "region": "vest",
        "alder": 16,
        "om_fem": 21,
        "gruppe": "eldre",
        "by": "bergen",
        "voksen": "Jobber",
    }


def test_a_calculation_with_no_value_stores_no_key(wave, codes):
    pending = services.response_submit(
        wave=wave, answers={"region": "ost", "om_fem": 3}, code=codes[0], today=NOW.date()
    )
    assert pending.answers == {"region": "ost", "gruppe": "yngre"}


@pytest.fixture
def _files(settings, tmp_path):
    settings.UNGKULTUR_SURVEY_FILES_DIR = str(tmp_path)


@pytest.mark.usefixtures("_files")
def test_the_research_exports_and_the_codebook_have_the_calculated_variables(
    personas, wave, codes, django_capture_on_commit_callbacks
):
    for code, age in zip(codes, (13, 15, 17), strict=True):
        services.response_submit(
            wave=wave,
            answers={"region": "ost", "alder": age, "by": "oslo"},
            code=code,
            today=NOW.date(),
        )
    services.pending_responses_move(wave_id=wave.pk, leftovers=True)
    assert sorted(r.answers["om_fem"] for r in Response.objects.all()) == [18, 20, 22]

    def export(fmt):
        with django_capture_on_commit_callbacks(execute=True):
            done = exports.research_export_request(
                actor=personas.researcher, wave=wave, fmt=fmt, now=NOW
            )
        done.refresh_from_db()
        assert done.status == ResearchExport.Status.DONE, done.error
        return exports.export_path(done)

    frame = pl.read_csv(export("csv"))
    assert sorted(frame.get_column("om_fem").to_list()) == [18, 20, 22]
    assert sorted(frame.get_column("gruppe").to_list()) == ["eldre", "eldre", "yngre"]
    sav, meta = pyreadstat.read_sav(str(export("sav")), output_format="polars")
    assert sorted(sav.get_column("om_fem").to_list()) == [18.0, 20.0, 22.0]
    assert meta.column_names_to_labels["om_fem"] == "Beregnet: ${alder} + 5"
    assert meta.variable_measure["om_fem"] == "scale"
    dta, meta = pyreadstat.read_dta(str(export("dta")), output_format="polars")
    assert sorted(dta.get_column("gruppe").to_list()) == ["eldre", "eldre", "yngre"]
    assert meta.column_names_to_labels["gruppe"].startswith("Beregnet: if(${om_fem} >= 20")
    book = load_workbook(export("codebook"))
    rows = {row[0]: row for row in book["Variabler"].iter_rows(values_only=True)}
    assert rows["om_fem"][1:5] == ("Beregnet: ${alder} + 5", "number", "scale", "om_fem")


def test_the_builder_cannot_make_a_calculation_without_one(personas, imported):
    """The builder has no field for the calculation: a calculate question without one would
    make an export that pyxform refuses."""
    section = imported.sections.first()
    with pytest.raises(ValidationError) as error:
        services.question_save(
            actor=personas.researcher,
            question=Question(section=section, name="ny", type="calculate", label_nb="Ny"),
            now=NOW,
        )
    assert error.value.message_dict == {
        "type": ["En beregning kan bare komme fra et importert XLSForm-skjema."]
    }
    assert not Question.objects.filter(name="ny").exists()
    # An imported one keeps its calculation when saved again, and it is checked.
    om_fem = Question.objects.get(name="om_fem")
    om_fem.label_nb = "Alder om fem år"
    services.question_save(actor=personas.researcher, question=om_fem, now=NOW)
    om_fem.calculation = "${finnes_ikke} + 5"
    with pytest.raises(ValidationError, match="ukjente variabler: finnes_ikke"):
        services.question_save(actor=personas.researcher, question=om_fem, now=NOW)
    om_fem.refresh_from_db()
    assert om_fem.calculation == "${alder} + 5"


def test_the_builder_offers_no_calculation_type(client, personas, imported):
    client.force_login(personas.researcher)
    section = imported.sections.first()
    url = reverse("surveys:question_create", args=[section.pk])
    assert 'value="calculate"' not in client.get(url).content.decode()
    data = {"type": "calculate", "name": "ny", "label_nb": "Ny"}
    assert client.post(url, data).status_code == 400
    assert not Question.objects.filter(name="ny").exists()
