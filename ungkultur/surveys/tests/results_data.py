"""Waves with responses for the results, export and import tests (not a test module)."""

import datetime

from django.utils import timezone

from ungkultur.surveys import services
from ungkultur.surveys.models import Response, Section

NOW = datetime.datetime(2026, 10, 1, 10, 0, tzinfo=datetime.UTC)
DAY = datetime.date(2026, 10, 1)
BANK_KEYS = [
    "gender",
    "grade",
    "age",
    "club_use",
    "kulturskole",
    "activities",
    "places_to_meet",
    "wish",
]


def make_survey(actor, *, title="Ungdom og kultur 2026", waves=("baseline",)):
    questionnaire = services.questionnaire_create(actor=actor, title=title, now=NOW)
    section = Section.objects.get(questionnaire=questionnaire)
    for key in BANK_KEYS:
        services.question_add_from_bank(actor=actor, section=section, key=key, now=NOW)
    survey = services.survey_create(actor=actor, title=title, questionnaire=questionnaire, now=NOW)
    made = []
    for identifier in waves:
        wave = services.wave_create(
            actor=actor, survey=survey, identifier=identifier, title=identifier.title(), now=NOW
        )
        made.append(services.wave_open(actor=actor, wave=wave, now=NOW))
    return survey, made


def add_responses(wave, municipality, count, *, day=DAY, **answers):
    Response.objects.bulk_create(
        Response(
            wave=wave,
            municipality=municipality,
            submitted_on=day,
            channel=Response.Channel.CODE,
            answers=dict(answers),
        )
        for _ in range(count)
    )


def a_mixed_wave(wave, arendal, sola):
    """A wave with every kind of answer, some groups large and some small."""
    add_responses(
        wave,
        arendal,
        12,
        kjonn="1",
        trinn="9",
        alder=14,
        klubb_bruk="4",
        kulturskole="1",
        aktiviteter=["1", "3"],
        moteplass_inne="5",
        onske="Et ungdomshus med «scene»,\nog band",
    )
    add_responses(
        wave,
        arendal,
        9,
        kjonn="2",
        trinn="10",
        alder=15,
        klubb_bruk="1",
        kulturskole="2",
        aktiviteter=[],
        moteplass_trygg="2",
    )
    add_responses(wave, arendal, 3, kjonn="3", alder=16.5, klubb_bruk="2")
    add_responses(wave, sola, 7, kjonn="1", trinn="8", klubb_bruk="3", aktiviteter=["2"])
    add_responses(wave, sola, 2, kjonn="2", klubb_bruk="3")
    return timezone.now()
