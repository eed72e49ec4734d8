"""Builder tools (issue 20): the condition picker, several choices at once, a warning for a
condition on a value no list has, a preview in nynorsk and English, and a choice value with
a space refused."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from ungkultur.core.models import AuditEntry
from ungkultur.surveys import services
from ungkultur.surveys.models import AnswerDraft, Choice, ChoiceList, Question
from ungkultur.surveys.tests.factories import NOW, make_questionnaire, open_wave


@pytest.fixture
def questionnaire(personas):
    return make_questionnaire(personas.researcher)


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_condition_picker_writes_the_expression(client, personas, questionnaire):
    onske = Question.objects.get(questionnaire=questionnaire, name="onske")
    url = reverse("surveys:question_condition_add", args=[onske.pk])
    client.force_login(personas.researcher)
    assert (
        "Legg til et vilkår"
        in client.get(reverse("surveys:question_edit", args=[onske.pk])).content.decode()
    )
    response = client.post(url, {"variable": "kjonn", "operator": "=", "value": "2"})
    assert response.url == reverse("surveys:question_edit", args=[onske.pk])
    onske.refresh_from_db()
    assert onske.relevant == "${kjonn} = '2'"
    client.post(url, {"variable": "aktiviteter", "operator": "selected", "value": "3"})
    client.post(url, {"variable": "alder", "operator": ">=", "value": "13"})
    onske.refresh_from_db()
    assert onske.relevant == ("${kjonn} = '2' and selected(${aktiviteter}, '3') and ${alder} >= 13")
    assert AuditEntry.objects.filter(action="surveys.question_save", object_id=onske.pk).exists()


def test_the_picker_refuses_what_makes_no_expression_and_stores_nothing(
    client, personas, questionnaire
):
    onske = Question.objects.get(questionnaire=questionnaire, name="onske")
    url = reverse("surveys:question_condition_add", args=[onske.pk])
    client.force_login(personas.researcher)
    for data in (
        {"variable": "finnes_ikke", "operator": "=", "value": "1"},
        {"variable": "onske", "operator": "=", "value": "1"},  # itself
        {"variable": "alder", "operator": ">", "value": "mange"},
        {"variable": "kjonn", "operator": "=", "value": "it's"},
        {"variable": "kjonn", "operator": "like", "value": "1"},
    ):
        assert client.post(url, data).status_code == 400, data
    onske.refresh_from_db()
    assert onske.relevant == ""
    client.force_login(personas.teacher_a)
    assert client.post(url, {"variable": "kjonn", "operator": "=", "value": "1"}).status_code == 403


def test_a_condition_on_a_value_no_list_has_is_warned_about(client, personas, questionnaire):
    onske = Question.objects.get(questionnaire=questionnaire, name="onske")
    client.force_login(personas.researcher)
    response = client.post(
        reverse("surveys:question_condition_add", args=[onske.pk]),
        {"variable": "kjonn", "operator": "=", "value": "7"},
    )
    assert any("«7» for «kjonn»" in m for m in _messages(response))
    assert services.condition_warnings(questionnaire, "selected(${aktiviteter}, '9')")
    assert services.condition_warnings(questionnaire, "${kjonn} = '1'") == []
    assert services.condition_warnings(questionnaire, "${alder} = 99") == []  # a number


def test_several_choices_are_added_at_once_all_or_none(client, personas, questionnaire):
    choice_list = ChoiceList.objects.get(questionnaire=questionnaire, name="ja_nei")
    url = reverse("surveys:choice_list_detail", args=[choice_list.pk])
    client.force_login(personas.researcher)
    response = client.post(url, {"lines": "Vet ikke\n9 = Vil ikke svare\n"})
    assert response.url == url
    assert list(choice_list.choices.values_list("value", "label_nb")) == [
        ("1", "Ja"),
        ("2", "Nei"),
        ("3", "Vet ikke"),
        ("9", "Vil ikke svare"),
    ]
    assert AuditEntry.objects.filter(action="surveys.choices_add_many").count() == 1
    # A value with a space, or one already there: nothing is added.
    response = client.post(url, {"lines": "Kanskje\nto ord = To ord\n1 = Ja igjen"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Linje 2" in text and "Linje 3" in text
    assert choice_list.choices.count() == 4


def test_a_choice_value_with_a_space_is_refused(personas, questionnaire):
    choice_list = ChoiceList.objects.get(questionnaire=questionnaire, name="ja_nei")
    with pytest.raises(ValidationError):
        services.choice_save(
            actor=personas.researcher,
            choice=Choice(choice_list=choice_list, value="to ord", label_nb="To ord"),
            now=NOW,
        )


def test_the_preview_is_offered_in_nynorsk_and_english(client, personas, questionnaire):
    client.force_login(personas.researcher)
    page = client.get(reverse("surveys:questionnaire_detail", args=[questionnaire.pk]))
    assert 'name="language" value="nn"' in page.content.decode()
    preview = reverse("surveys:answer_preview", args=[questionnaire.pk])
    client.post(preview, {"language": "nn"})
    assert AnswerDraft.objects.get().lang == "nn"
    text = client.get(reverse("surveys:answer_page")).content.decode()
    assert "Gut" in text and "Gutt" not in text  # the nynorsk choice, not the bokmål one


def test_a_frozen_questionnaire_takes_no_condition(client, personas, questionnaire):
    open_wave(personas.researcher, questionnaire)
    onske = Question.objects.get(questionnaire=questionnaire, name="onske")
    client.force_login(personas.researcher)
    client.post(
        reverse("surveys:question_condition_add", args=[onske.pk]),
        {"variable": "kjonn", "operator": "=", "value": "1"},
    )
    onske.refresh_from_db()
    assert onske.relevant == ""
