"""A small questionnaire with every question type, built through the services."""

import datetime

from ungkultur.surveys import services
from ungkultur.surveys.models import Choice, GridItem, Question, Section

NOW = datetime.datetime(2026, 9, 1, 10, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()


def choice_list(actor, questionnaire, name, rows):
    cl = services.choice_list_create(actor=actor, questionnaire=questionnaire, name=name, now=NOW)
    for value, nb, nn, en in rows:
        services.choice_save(
            actor=actor,
            choice=Choice(choice_list=cl, value=value, label_nb=nb, label_nn=nn, label_en=en),
            now=NOW,
        )
    return cl


def question(actor, section, name, type, label, **fields):
    return services.question_save(
        actor=actor,
        question=Question(section=section, name=name, type=type, label_nb=label, **fields),
        now=NOW,
    )


def make_questionnaire(actor, title="Ungdom og kultur"):
    """Two pages: background (gender, age, kulturskole, activities) and culture (a likert,
    a grid, a conditional number, texts). ``kulturskole_ar`` shows only for kulturskole = 1."""
    q = services.questionnaire_create(actor=actor, title=title, now=NOW)
    yes_no = choice_list(actor, q, "ja_nei", [("1", "Ja", "Ja", "Yes"), ("2", "Nei", "Nei", "No")])
    gender = choice_list(
        actor, q, "kjonn", [("1", "Jente", "Jente", "Girl"), ("2", "Gutt", "Gut", "Boy")]
    )
    scale = choice_list(
        actor,
        q,
        "enig",
        [(str(i), f"Nivå {i}", f"Nivå {i}", f"Level {i}") for i in range(1, 6)],
    )
    page1 = q.sections.get()
    page1.label_nb, page1.label_nn, page1.label_en = "Om deg", "Om deg", "About you"
    page1.save()
    question(
        actor,
        page1,
        "kjonn",
        "single",
        "Er du …",
        choice_list=gender,
        required=True,
        label_nn="Er du …",
        label_en="Are you …",
    )
    question(
        actor,
        page1,
        "alder",
        "number",
        "Hvor gammel er du?",
        constraint=". >= 10 and . <= 25",
        constraint_message_nb="Alder må være mellom 10 og 25.",
    )
    question(actor, page1, "kulturskole", "single", "Går du i kulturskolen?", choice_list=yes_no)
    question(
        actor, page1, "kulturskole_ar", "number", "Hvor mange år?", relevant="${kulturskole} = '1'"
    )
    question(actor, page1, "aktiviteter", "multiple", "Hva driver du med?", choice_list=scale)
    page2 = services.section_save(
        actor=actor,
        section=Section(
            questionnaire=q,
            name="kultur",
            label_nb="Kultur der du bor",
            label_en="Culture where you live",
        ),
        now=NOW,
    )
    question(actor, page2, "fornoyd", "likert", "Hvor fornøyd er du?", choice_list=scale)
    grid = question(actor, page2, "moteplass", "likert_grid", "Møteplasser", choice_list=scale)
    for name, label in (("moteplass_inne", "Inne"), ("moteplass_trygg", "Trygg")):
        services.grid_item_save(
            actor=actor, item=GridItem(question=grid, name=name, label_nb=label), now=NOW
        )
    question(actor, page2, "navn_klubb", "short_text", "Hva heter klubben din?")
    question(actor, page2, "onske", "long_text", "Hva ønsker du deg?")
    return q


def open_wave(actor, questionnaire, identifier="baseline"):
    survey = services.survey_create(
        actor=actor, title="Ungdata-kultur 2026", questionnaire=questionnaire, now=NOW
    )
    wave = services.wave_create(
        actor=actor, survey=survey, identifier=identifier, title="Første runde", now=NOW
    )
    return services.wave_open(actor=actor, wave=wave, now=NOW)


GOOD_ANSWERS = {
    "kjonn": "1",
    "alder": 14,
    "kulturskole": "1",
    "kulturskole_ar": 3,
    "aktiviteter": ["3", "1"],
    "fornoyd": "4",
    "moteplass_inne": "2",
    "moteplass_trygg": "5",
    "onske": "Et øvingsrom for band",
}
