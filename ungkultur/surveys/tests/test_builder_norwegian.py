"""Every message the survey builder shows is Norwegian (issue 20): its pages, and the errors
of bad input (Django's own say "slug" and name fields in English, such as "Choice list")."""

import html
import re

import pytest
from django.urls import reverse

from ungkultur.surveys.models import Choice, ChoiceList, Question, Section, Wave
from ungkultur.surveys.tests.factories import make_questionnaire, open_wave

pytestmark = pytest.mark.django_db

# English a Norwegian builder page must not show (data such as label_en aside: the fixtures'
# English labels are not among these words).
ENGLISH = [
    "slug",
    "Choice list",
    "choice list",
    "Questionnaire",
    "Section",
    "Grid item",
    "This field",
    "Enter a",
    "Select a valid",
    "already exists",
    "with this",
    "Ensure this",
    "is violated",
    "Constraint",
    "Survey",
    "Wave ",
    "Identifier",
]


def _visible(content: str) -> str:
    text = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", content)
    attributes = " ".join(re.findall(r'(?:title|aria-label|placeholder|alt)="([^"]*)"', text))
    text = re.sub(r"<[^>]+>", " ", text)
    return html.unescape(re.sub(r"\s+", " ", f"{text} {attributes}"))


def _english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


@pytest.fixture
def builder(client, personas):
    client.force_login(personas.researcher)
    return client


def test_builder_pages_and_their_errors_are_in_norwegian(builder, personas):
    questionnaire = make_questionnaire(personas.researcher)
    section = questionnaire.sections.first()
    listed = Question.objects.filter(questionnaire=questionnaire).exclude(choice_list=None).first()
    grid = Question.objects.get(questionnaire=questionnaire, type=Question.Type.LIKERT_GRID)
    choice_list = ChoiceList.objects.filter(questionnaire=questionnaire).first()
    choice = Choice.objects.filter(choice_list=choice_list).first()
    requests = [
        ("get", reverse("surveys:index"), None, 200),
        ("get", reverse("surveys:questionnaire_create"), None, 200),
        ("post", reverse("surveys:questionnaire_create"), {"title": ""}, 400),
        ("get", reverse("surveys:questionnaire_detail", args=[questionnaire.pk]), None, 200),
        ("get", reverse("surveys:questionnaire_edit", args=[questionnaire.pk]), None, 200),
        ("get", reverse("surveys:section_create", args=[questionnaire.pk]), None, 200),
        (
            "post",
            reverse("surveys:section_create", args=[questionnaire.pk]),
            {"name": "æ ø!", "label_nb": ""},
            400,
        ),
        (
            "post",
            reverse("surveys:section_create", args=[questionnaire.pk]),
            {"name": section.name, "label_nb": "Igjen"},
            400,
        ),
        ("get", reverse("surveys:section_edit", args=[section.pk]), None, 200),
        ("get", reverse("surveys:bank_add", args=[questionnaire.pk]), None, 200),
        (
            "post",
            reverse("surveys:choice_list_create", args=[questionnaire.pk]),
            {"name": "æ ø!"},
            400,
        ),
        (
            "post",
            reverse("surveys:choice_list_create", args=[questionnaire.pk]),
            {"name": choice_list.name},
            400,
        ),
        ("get", reverse("surveys:choice_list_detail", args=[choice_list.pk]), None, 200),
        (
            "post",
            reverse("surveys:choice_list_detail", args=[choice_list.pk]),
            {"value": choice.value, "label_nb": "Igjen"},
            400,
        ),
        ("get", reverse("surveys:choice_edit", args=[choice.pk]), None, 200),
        ("get", reverse("surveys:question_create", args=[section.pk]), None, 200),
        (
            "post",
            reverse("surveys:question_create", args=[section.pk]),
            {"type": "single", "name": "1 x", "label_nb": ""},
            400,
        ),
        (
            "post",
            reverse("surveys:question_create", args=[section.pk]),
            {"type": "single", "name": listed.name, "label_nb": "Igjen"},
            400,
        ),
        ("get", reverse("surveys:question_edit", args=[listed.pk]), None, 200),
        ("get", reverse("surveys:question_edit", args=[grid.pk]), None, 200),
        (
            "post",
            reverse("surveys:grid_item_create", args=[grid.pk]),
            {"name": "æ", "label_nb": ""},
            400,
        ),
        ("get", reverse("surveys:xlsform_import"), None, 200),
        ("post", reverse("surveys:xlsform_import"), {}, 400),
        ("get", reverse("surveys:survey_create"), None, 200),
        ("post", reverse("surveys:survey_create"), {"title": ""}, 400),
        ("get", reverse("surveys:comments", args=[questionnaire.pk]), None, 200),
    ]
    found = {}
    for method, url, data, status in requests:
        response = getattr(builder, method)(url, data) if data is not None else builder.get(url)
        assert response.status_code == status, (method, url, data)
        english = _english_in(_visible(response.content.decode()))
        if english:
            found[f"{method.upper()} {url} {data}"] = english
    assert found == {}


def test_the_messages_say_what_to_do_in_norwegian(builder, personas):
    questionnaire = make_questionnaire(personas.researcher)
    section = questionnaire.sections.first()
    before = Section.objects.count()
    text = _visible(
        builder.post(
            reverse("surveys:section_create", args=[questionnaire.pk]),
            {"name": "æ ø!", "label_nb": "Ny"},
        ).content.decode()
    )
    assert "Bruk bare bokstaver uten æ, ø og å" in text
    text = _visible(
        builder.post(
            reverse("surveys:section_create", args=[questionnaire.pk]),
            {"name": section.name, "label_nb": "Ny"},
        ).content.decode()
    )
    assert "Skjemaet har allerede en del med dette navnet." in text
    assert Section.objects.count() == before
    choice_list = ChoiceList.objects.filter(questionnaire=questionnaire).first()
    choice = choice_list.choices.first()
    text = _visible(
        builder.post(
            reverse("surveys:choice_list_detail", args=[choice_list.pk]),
            {"value": choice.value, "label_nb": "Igjen"},
        ).content.decode()
    )
    assert "Listen har allerede et svaralternativ med denne verdien." in text
    assert choice_list.choices.filter(value=choice.value).count() == 1


def test_wave_pages_and_their_errors_are_in_norwegian(builder, personas):
    questionnaire = make_questionnaire(personas.researcher)
    wave = open_wave(personas.researcher, questionnaire)
    url = reverse("surveys:wave_create", args=[wave.survey.pk])
    for response in (
        builder.get(url),
        builder.post(url, {"identifier": "høst 2026", "title": ""}),
        builder.post(url, {"identifier": wave.identifier, "title": "Igjen"}),
        builder.get(reverse("surveys:survey_detail", args=[wave.survey.pk])),
    ):
        assert _english_in(_visible(response.content.decode())) == []
    assert Wave.objects.count() == 1
