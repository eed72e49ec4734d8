import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from ungkultur.core.models import AuditEntry
from ungkultur.surveys.models import Choice, GridItem, Question, Questionnaire, Section
from ungkultur.surveys.tests.factories import make_questionnaire, open_wave


@pytest.fixture
def questionnaire(personas):
    return make_questionnaire(personas.researcher)


@pytest.mark.parametrize("who", ["researcher", "coordinator", "admin"])
def test_national_roles_build_questionnaires(client, personas, who):
    client.force_login(getattr(personas, who))
    response = client.post(
        reverse("surveys:questionnaire_create"), {"title": "Kultur 2027", "languages": ["nb", "en"]}
    )
    questionnaire = Questionnaire.objects.get()
    assert response.url == reverse("surveys:questionnaire_detail", args=[questionnaire.pk])
    assert questionnaire.languages == ["nb", "en"]
    assert questionnaire.sections.count() == 1
    assert AuditEntry.objects.filter(action="surveys.questionnaire_create").exists()


@pytest.mark.parametrize("who", ["teacher_a", "leader_a", "youth_a", "youth_member_a"])
def test_others_may_not_build(client, personas, questionnaire, who):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("surveys:questionnaire_create")).status_code == 403
    assert (
        client.get(reverse("surveys:questionnaire_detail", args=[questionnaire.pk])).status_code
        == 403
    )
    section = questionnaire.sections.first()
    response = client.post(
        reverse("surveys:question_create", args=[section.pk]),
        {"type": "short_text", "name": "x", "label_nb": "X"},
    )
    assert response.status_code == 403
    assert not Question.objects.filter(name="x").exists()


def test_anonymous_visitors_are_sent_to_log_in(client, questionnaire):
    response = client.get(reverse("surveys:questionnaire_detail", args=[questionnaire.pk]))
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))


def test_the_builder_page_shows_every_section_and_question_in_few_queries(
    client, personas, questionnaire, django_assert_max_num_queries
):
    client.force_login(personas.researcher)
    url = reverse("surveys:questionnaire_detail", args=[questionnaire.pk])
    # session, user, roles (3), questionnaire, sections, questions, grid items, lists, choices,
    # shares, comments, surveys, resource groups
    with django_assert_max_num_queries(18):
        response = client.get(url)
    text = response.content.decode()
    for label in ("Om deg", "Kultur der du bor", "Er du …", "Møteplasser", "ja_nei"):
        assert label in text
    assert "${kulturskole} = &#x27;1&#x27;" in text


def test_a_question_of_every_type_can_be_added(client, personas, questionnaire):
    client.force_login(personas.researcher)
    section = questionnaire.sections.first()
    url = reverse("surveys:question_create", args=[section.pk])
    scale = questionnaire.choice_lists.get(name="enig")
    # A calculation comes only from an imported XLSForm (test_xlsform_calculate_filter.py).
    kinds = [kind for kind in Question.Type.values if kind != Question.Type.CALCULATE]
    for kind in kinds:
        data = {
            "type": kind,
            "name": f"ny_{kind}",
            "label_nb": f"Nytt {kind}",
            "label_nn": "Nytt",
            "label_en": "New",
            "required": "on",
        }
        if kind in Question.CHOICE_TYPES:
            data["choice_list"] = scale.pk
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
    created = Question.objects.filter(name__startswith="ny_")
    assert sorted(created.values_list("type", flat=True)) == sorted(kinds)
    assert all(q.required for q in created)


def test_a_bad_condition_is_refused_with_a_message_and_nothing_changes(
    client, personas, questionnaire
):
    client.force_login(personas.researcher)
    question = Question.objects.get(name="alder")
    response = client.post(
        reverse("surveys:question_edit", args=[question.pk]),
        {"type": "number", "name": "alder", "label_nb": "Alder?", "relevant": "${kjonn} == '1'"},
    )
    assert response.status_code == 400
    assert "Uventet «=»" in response.content.decode()
    question.refresh_from_db()
    assert question.label_nb == "Hvor gammel er du?" and question.relevant == ""
    response = client.post(
        reverse("surveys:question_edit", args=[question.pk]),
        {"type": "number", "name": "alder", "label_nb": "Alder?", "relevant": "${finnes} = '1'"},
    )
    assert response.status_code == 400
    assert "ukjente variabler: finnes" in response.content.decode()


def test_a_choice_question_needs_a_list_and_names_are_unique(client, personas, questionnaire):
    client.force_login(personas.researcher)
    section = questionnaire.sections.first()
    url = reverse("surveys:question_create", args=[section.pk])
    response = client.post(url, {"type": "single", "name": "ny", "label_nb": "Ny"})
    assert response.status_code == 400
    assert "Velg en liste med svaralternativer." in response.content.decode()
    response = client.post(url, {"type": "short_text", "name": "moteplass_inne", "label_nb": "Ny"})
    assert response.status_code == 400
    assert "Variabelnavnet «moteplass_inne» er allerede i bruk." in response.content.decode()
    response = client.post(url, {"type": "short_text", "name": "ny-variabel", "label_nb": "Ny"})
    assert response.status_code == 400
    assert "så det kan brukes i SPSS og Stata" in response.content.decode()
    assert not Question.objects.filter(name="ny-variabel").exists()


def test_sections_and_questions_are_reordered(client, personas, questionnaire):
    client.force_login(personas.researcher)
    first, second = questionnaire.sections.order_by("position")
    client.post(reverse("surveys:section_move", args=[second.pk]), {"direction": "up"})
    assert list(questionnaire.sections.order_by("position")) == [second, first]
    alder = Question.objects.get(name="alder")
    client.post(reverse("surveys:question_move", args=[alder.pk]), {"direction": "up"})
    names = list(first.questions.order_by("position").values_list("name", flat=True))
    assert names[:2] == ["alder", "kjonn"]
    response = client.post(
        reverse("surveys:question_move", args=[alder.pk]), {"direction": "sideways"}
    )
    assert response.status_code == 400


def test_grid_items_and_choices_are_added_and_removed(client, personas, questionnaire):
    client.force_login(personas.researcher)
    grid = Question.objects.get(name="moteplass")
    client.post(
        reverse("surveys:grid_item_create", args=[grid.pk]),
        {"name": "moteplass_ute", "label_nb": "Ute", "label_nn": "Ute", "label_en": "Outside"},
    )
    assert list(grid.items.values_list("name", flat=True)) == [
        "moteplass_inne",
        "moteplass_trygg",
        "moteplass_ute",
    ]
    item = GridItem.objects.get(name="moteplass_inne")
    client.post(reverse("surveys:grid_item_delete", args=[item.pk]))
    assert not GridItem.objects.filter(name="moteplass_inne").exists()
    yes_no = questionnaire.choice_lists.get(name="ja_nei")
    client.post(
        reverse("surveys:choice_list_detail", args=[yes_no.pk]),
        {"value": "3", "label_nb": "Vet ikke", "label_nn": "Veit ikkje", "label_en": "Don't know"},
    )
    assert list(yes_no.choices.values_list("value", flat=True)) == ["1", "2", "3"]
    response = client.post(
        reverse("surveys:choice_list_detail", args=[yes_no.pk]), {"value": "3", "label_nb": "Igjen"}
    )
    assert response.status_code == 400


def test_the_bank_copies_an_item_with_its_choice_list(client, personas, questionnaire):
    client.force_login(personas.researcher)
    section = questionnaire.sections.order_by("position").last()
    response = client.post(
        reverse("surveys:bank_add", args=[questionnaire.pk]),
        {"key": "places_to_meet", "section": section.pk},
    )
    assert response.status_code == 302
    question = Question.objects.get(bank_key="places_to_meet")
    assert question.name == "moteplass_2"  # "moteplass" was taken
    assert question.type == "likert_grid" and question.label_nn.startswith("Kor samd")
    assert question.items.count() == 3
    # The questionnaire's own "enig" list has other labels, so the bank's comes in beside it.
    assert question.choice_list.name == "enig_2"
    assert question.choice_list.choices.count() == 5
    for key in ("club_use", "band_choir"):
        client.post(
            reverse("surveys:bank_add", args=[questionnaire.pk]),
            {"key": key, "section": section.pk},
        )
    # Two items on the same scale share one list.
    club, band = (
        Question.objects.get(bank_key="club_use"),
        Question.objects.get(bank_key="band_choir"),
    )
    assert club.choice_list == band.choice_list and club.choice_list.name == "hvor_ofte"


def test_a_frozen_questionnaire_cannot_be_edited(client, personas, questionnaire):
    open_wave(personas.researcher, questionnaire)
    client.force_login(personas.researcher)
    question = Question.objects.get(name="alder")
    section = questionnaire.sections.first()
    for url, data in [
        (
            reverse("surveys:question_edit", args=[question.pk]),
            {"type": "number", "name": "alder", "label_nb": "Ny"},
        ),
        (
            reverse("surveys:question_create", args=[section.pk]),
            {"type": "short_text", "name": "ny", "label_nb": "Ny"},
        ),
        (reverse("surveys:question_delete", args=[question.pk]), {}),
        (reverse("surveys:section_delete", args=[section.pk]), {}),
        (reverse("surveys:section_move", args=[section.pk]), {"direction": "down"}),
        (reverse("surveys:choice_delete", args=[Choice.objects.first().pk]), {}),
        (
            reverse("surveys:questionnaire_edit", args=[questionnaire.pk]),
            {"title": "Ny", "languages": ["nb"]},
        ),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400, url
        assert "låst" in response.content.decode()
    question.refresh_from_db()
    assert question.label_nb == "Hvor gammel er du?"
    assert Section.objects.filter(pk=section.pk).exists()


def test_wrong_methods_get_405(client, personas, questionnaire):
    client.force_login(personas.researcher)
    question = Question.objects.get(name="alder")
    assert client.get(reverse("surveys:question_delete", args=[question.pk])).status_code == 405
    assert client.put(reverse("surveys:questionnaire_create")).status_code == 405


def test_a_frozen_questionnaire_is_copied_into_a_new_draft(client, personas, questionnaire):
    open_wave(personas.researcher, questionnaire)
    client.force_login(personas.researcher)
    response = client.post(reverse("surveys:questionnaire_copy", args=[questionnaire.pk]))
    copy = Questionnaire.objects.exclude(pk=questionnaire.pk).get()
    assert response.url == reverse("surveys:questionnaire_detail", args=[copy.pk])
    assert copy.title == "Kopi av Ungdom og kultur" and not copy.is_frozen
    assert copy.variables() == questionnaire.variables()
    client.force_login(personas.teacher_a)
    assert client.post(reverse("surveys:questionnaire_copy", args=[copy.pk])).status_code == 403


def test_a_grid_with_items_keeps_its_type_until_they_are_deleted(client, personas, questionnaire):
    client.force_login(personas.researcher)
    grid = Question.objects.get(name="moteplass")
    response = client.post(
        reverse("surveys:question_edit", args=[grid.pk]),
        {"type": "short_text", "name": "moteplass", "label_nb": "Møteplasser"},
    )
    assert response.status_code == 400
    assert "Slett påstandene i rutenettet" in response.content.decode()
    grid.refresh_from_db()
    assert grid.type == "likert_grid"


def test_choices_are_edited_and_reordered(client, personas, questionnaire):
    client.force_login(personas.researcher)
    yes_no = questionnaire.choice_lists.get(name="ja_nei")
    no = yes_no.choices.get(value="2")
    client.post(
        reverse("surveys:choice_edit", args=[no.pk]),
        {"value": "2", "label_nb": "Nei", "label_nn": "Nei", "label_en": "No, never"},
    )
    no.refresh_from_db()
    assert no.label_en == "No, never"
    client.post(reverse("surveys:choice_move", args=[no.pk]), {"direction": "up"})
    assert list(yes_no.choices.order_by("position").values_list("value", flat=True)) == ["2", "1"]
    client.force_login(personas.teacher_a)
    assert (
        client.post(reverse("surveys:choice_move", args=[no.pk]), {"direction": "down"}).status_code
        == 403
    )
