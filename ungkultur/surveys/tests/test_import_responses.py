"""Importing an earlier survey's responses: all or nothing, every bad line, never twice."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from ungkultur.core.models import AuditEntry
from ungkultur.surveys import services
from ungkultur.surveys.models import Questionnaire, Response, ResponseImport
from ungkultur.surveys.tests.results_data import NOW, make_survey

pytestmark = pytest.mark.django_db

GOOD = (
    "kommunenr;dato;kjonn;alder;klubb_bruk;aktiviteter;onske\n"
    "4203;2020-10-12;1;14;4;1 3;Et ungdomshus\n"
    "1124;12.10.2020;2;15,0;1;;\n"
    "4203;;9;;;2;\n"
)


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.UNGKULTUR_SURVEY_FILES_DIR = str(tmp_path)


@pytest.fixture
def wave(personas):
    _survey, (wave,) = make_survey(personas.researcher)
    return wave


def _file(tmp_path, text, name="svar.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_command_imports_every_line_as_stored_responses(wave, personas, tmp_path, capsys):
    call_command("import_responses", _file(tmp_path, GOOD), wave=wave.pk)
    assert "3 svar ble importert" in capsys.readouterr().out
    rows = list(Response.objects.filter(wave=wave).order_by("pk"))
    assert [r.municipality for r in rows] == [personas.arendal, personas.sola, personas.arendal]
    assert rows[0].answers == {
        "kjonn": "1",
        "alder": 14,
        "klubb_bruk": "4",
        "aktiviteter": ["1", "3"],
        "onske": "Et ungdomshus",
    }
    assert rows[1].submitted_on.isoformat() == "2020-10-12"
    assert rows[1].answers["alder"] == 15
    assert rows[2].submitted_on == wave.opens_on
    assert {r.channel for r in rows} == {Response.Channel.IMPORT}
    assert AuditEntry.objects.filter(action="surveys.responses_import").count() == 1


def test_the_same_file_twice_changes_nothing(wave, tmp_path, capsys):
    path = _file(tmp_path, GOOD)
    call_command("import_responses", path, wave=wave.pk)
    call_command("import_responses", path, wave=wave.pk)
    assert "importert til runden før" in capsys.readouterr().out
    assert Response.objects.filter(wave=wave).count() == 3
    assert ResponseImport.objects.count() == 1


def test_every_bad_line_is_reported_and_nothing_is_stored(wave, tmp_path):
    bad = (
        "kommunenr,kjonn,alder,aktiviteter,dato\n"
        "4203,1,14,1,2020-01-01\n"
        "9999,7,14,1,2020-01-01\n"
        "4203,1,fjorten,1 8,31.02.2020\n"
        "4203,1,14\n"
        "4203,1,14,1,2099-01-01\n"
    )
    with pytest.raises(CommandError) as error:
        call_command("import_responses", _file(tmp_path, bad), wave=wave.pk)
    text = str(error.value)
    assert "4 feil" in text
    assert "Linje 3: ukjent kommunenummer «9999»; kjonn: Velg et av svaralternativene." in text
    assert "Linje 4: dato «31.02.2020» finnes ikke i kalenderen" in text
    assert "alder: Skriv et tall" in text and "aktiviteter: Velg blant svaralternativene" in text
    assert "Linje 5: linjen har 3 felt, men skal ha 5" in text
    assert "Linje 6: dato 2099-01-01 er fram i tid" in text
    assert not Response.objects.exists()
    assert not ResponseImport.objects.exists()


def test_unknown_columns_are_refused_on_line_1(wave, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command(
            "import_responses", _file(tmp_path, "kommunenr,skostørrelse\n4203,38\n"), wave=wave.pk
        )
    assert "Linje 1: disse kolonnene er ikke variabler i spørreskjemaet: skostørrelse" in str(
        error.value
    )


def test_without_kommunenr_the_municipality_is_given_for_the_file(wave, personas, tmp_path):
    call_command(
        "import_responses", _file(tmp_path, "kjonn\n1\n2\n"), wave=wave.pk, municipality="1124"
    )
    assert set(Response.objects.values_list("municipality", flat=True)) == {personas.sola.pk}
    with pytest.raises(CommandError) as error:
        call_command("import_responses", _file(tmp_path, "kjonn\n1\n", "b.csv"), wave=wave.pk)
    assert "kommunenr mangler" in str(error.value) or "kolonnen kommunenr mangler" in str(
        error.value
    )


def test_an_unknown_wave_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Fant ingen runde med id 999"):
        call_command("import_responses", _file(tmp_path, GOOD), wave=999)


def test_importing_into_a_planned_wave_freezes_its_questionnaire(personas, tmp_path):
    survey, _waves = make_survey(personas.researcher, waves=())
    wave = services.wave_create(
        actor=personas.researcher, survey=survey, identifier="pilot-2020", title="2020", now=NOW
    )
    assert not survey.questionnaire.is_frozen
    call_command("import_responses", _file(tmp_path, GOOD), wave=wave.pk)
    assert Questionnaire.objects.get(pk=survey.questionnaire.pk).is_frozen


def test_the_upload_page_imports_and_reports(client, personas, wave):
    client.force_login(personas.researcher)
    url = reverse("surveys:response_import", args=[wave.pk])
    response = client.post(url, {"file": SimpleUploadedFile("svar.csv", GOOD.encode())})
    assert response.status_code == 200
    assert "3 svar ble importert" in response.content.decode()
    assert Response.objects.filter(wave=wave).count() == 3


def test_the_upload_page_lists_bad_lines_with_400(client, personas, wave):
    client.force_login(personas.researcher)
    url = reverse("surveys:response_import", args=[wave.pk])
    bad = "kommunenr,kjonn\n4203,1\n4203,5\n"
    response = client.post(url, {"file": SimpleUploadedFile("svar.csv", bad.encode())})
    assert response.status_code == 400
    assert "Linje 3: kjonn: Velg et av svaralternativene." in response.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize("who", ["leader", "teacher"])
def test_municipal_staff_may_not_import(client, personas, wave, who):
    client.force_login(getattr(personas.a, who))
    url = reverse("surveys:response_import", args=[wave.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"file": SimpleUploadedFile("svar.csv", GOOD.encode())})
    assert response.status_code == 403
    assert not Response.objects.exists()
