import datetime

import pytest
from django.urls import reverse

from ungkultur.core.models import AuditEntry
from ungkultur.indicators.models import GoalTarget
from ungkultur.indicators.tests.dashboard_data import arendal_values, put
from ungkultur.planning.models import Goal

pytestmark = pytest.mark.django_db

URL = "/kommuner/4203/indikatorer/mal/"


@pytest.fixture
def goals(personas):
    effect = Goal.objects.create(level=Goal.Level.EFFECT, title="Flere unge deltar")
    return {
        "own": Goal.objects.create(
            level=Goal.Level.SUB,
            parent=effect,
            municipality=personas.arendal,
            title="Flere 13–19 år i minst ett tilbud",
        ),
        "national": Goal.objects.create(
            level=Goal.Level.SUB, parent=effect, title="Mindre frafall fra kulturskolen"
        ),
        "sola": Goal.objects.create(
            level=Goal.Level.SUB,
            parent=effect,
            municipality=personas.sola,
            title="Solas eget delmål",
        ),
        "effect": effect,
    }


def _post(client, goal, **fields):
    data = {
        "goal": goal.pk,
        "key": "participation.all",
        "target_value": "30",
        "target_date": "2026-12-31",
        **fields,
    }
    return client.post(URL, data)


def test_leader_sets_a_target_and_the_dashboard_shows_progress(client, personas, goals):
    arendal_values(personas.arendal)
    put(personas.arendal, "2024V", "participation.all", 16.8, 84, 500)
    client.force_login(personas.leader_a)
    response = _post(client, goals["own"])
    assert response.status_code == 302
    target = GoalTarget.objects.get()
    assert (target.goal, target.municipality, target.key) == (
        goals["own"],
        personas.arendal,
        "participation.all",
    )
    assert target.target_value == 30 and target.target_date == datetime.date(2026, 12, 31)
    audit = AuditEntry.objects.get(action="indicators.goal_target_set")
    assert audit.actor == personas.leader_a and audit.object_id == str(target.pk)
    text = client.get("/kommuner/4203/indikatorer/", {"term": "2025V"}).content.decode()
    assert "Flere 13–19 år i minst ett tilbud" in text
    # From 16.8 (2024V) to 23.4 (2025V) of the way to 30: 50 %.
    assert 'value="50"' in text and "16,8\u00a0% (vår 2024)" in text
    assert "23,4\u00a0% (vår 2025)" in text
    # The progress is written once: the bar is for the eye, the number for everyone.
    assert text.count("50 %") == 1
    assert "30,0\u00a0% innen 31. desember 2026" in text


def test_a_figure_moving_away_from_its_target_shows_the_direction_not_0_percent(
    client, personas, goals
):
    arendal_values(personas.arendal)
    # From 28.0 (2024V) down to 23.4 (2025V), with the target 30 above both.
    put(personas.arendal, "2024V", "participation.all", 28.0, 140, 500)
    client.force_login(personas.leader_a)
    _post(client, goals["own"])
    text = client.get("/kommuner/4203/indikatorer/", {"term": "2025V"}).content.decode()
    row = next(r for r in text.split("<tr>") if "Flere 13–19 år i minst ett tilbud</td>" in r)
    assert "Bort fra målet: −4,6 prosentpoeng siden vår 2024" in row
    assert "<progress" not in row and "0 %" not in row


def test_target_dates_are_written_in_the_language_shown():
    from types import SimpleNamespace

    from django.utils import translation

    from ungkultur.indicators import dashboard as board
    from ungkultur.indicators.definitions import BY_KEY

    item = SimpleNamespace(
        target=SimpleNamespace(
            pk=1,
            goal=SimpleNamespace(title="Delmål"),
            target_value=30,
            target_date=datetime.date(2027, 5, 3),
        ),
        indicator=BY_KEY["participation.all"],
        baseline=None,
        baseline_term=None,
        current=None,
        current_term=None,
        share=None,
        away=False,
    )
    with translation.override("nb"):
        assert board.target_rows([item])[0].target.endswith("3. mai 2027")
    with translation.override("en"):
        assert board.target_rows([item])[0].target.endswith("3 May 2027")


def test_the_delmal_page_shows_the_indicators_chosen_to_follow_it(client, personas, goals):
    client.force_login(personas.leader_a)
    _post(client, goals["national"])
    page = client.get(reverse("planning:goal_detail", args=[goals["national"].pk])).text
    assert "Arendal: " in page and "målet er 30 innen 31. desember 2026." in page
    other = client.get(reverse("planning:goal_detail", args=[goals["own"].pk])).text
    assert "Ingen indikatorer er valgt for dette delmålet ennå." in other


def test_setting_it_again_changes_the_same_target(client, personas, goals):
    client.force_login(personas.leader_a)
    _post(client, goals["national"])
    _post(client, goals["national"], target_value="35")
    assert GoalTarget.objects.get().target_value == 35
    assert AuditEntry.objects.filter(action="indicators.goal_target_set").count() == 2


@pytest.mark.parametrize(
    ("goal", "fields", "message"),
    [
        ("sola", {}, "Velg et av kommunens delmål."),
        ("effect", {}, "Velg et av kommunens delmål."),
        ("own", {"key": "nope"}, "Velg en av indikatorene i listen."),
        ("own", {"target_value": "-1"}, "Indikator"),
        ("own", {"target_date": "i morgen"}, "Innen"),
    ],
)
def test_bad_input_answers_400_and_changes_nothing(client, personas, goals, goal, fields, message):
    client.force_login(personas.leader_a)
    response = _post(client, goals[goal], **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not GoalTarget.objects.exists()


@pytest.mark.parametrize("persona", ["teacher_a", "youth_member_a", "coordinator", "researcher"])
def test_others_of_the_municipality_and_national_readers_get_403(client, personas, goals, persona):
    client.force_login(getattr(personas, persona))
    assert _post(client, goals["own"]).status_code == 403
    assert not GoalTarget.objects.exists()


def test_another_municipality_gets_404(client, personas, goals):
    client.force_login(personas.leader_b)
    assert _post(client, goals["own"]).status_code == 404
    assert client.get(URL).status_code == 404


def test_the_form_lists_only_the_municipality_s_delmal(client, personas, goals):
    client.force_login(personas.leader_a)
    text = client.get(URL).content.decode()
    assert "Flere 13–19 år i minst ett tilbud" in text
    assert "Mindre frafall fra kulturskolen" in text
    assert "Solas eget delmål" not in text


def test_put_is_not_allowed(client, personas, goals):
    client.force_login(personas.leader_a)
    assert client.put(URL).status_code == 405


@pytest.fixture
def target(personas, goals):
    return GoalTarget.objects.create(
        goal=goals["own"],
        municipality=personas.arendal,
        key="participation.all",
        target_value=30,
        target_date=datetime.date(2026, 12, 31),
    )


def test_leader_removes_a_target(client, personas, target):
    client.force_login(personas.leader_a)
    response = client.post(f"{URL}{target.pk}/slett/")
    assert response.status_code == 302
    assert not GoalTarget.objects.exists()
    audit = AuditEntry.objects.get(action="indicators.goal_target_delete")
    assert audit.actor == personas.leader_a and audit.object_id == str(target.pk)


def test_removing_needs_the_right_role_and_municipality(client, personas, target):
    client.force_login(personas.teacher_a)
    assert client.post(f"{URL}{target.pk}/slett/").status_code == 403
    client.force_login(personas.leader_b)
    assert client.post(f"/kommuner/1124/indikatorer/mal/{target.pk}/slett/").status_code == 404
    client.force_login(personas.leader_a)
    assert client.get(f"{URL}{target.pk}/slett/").status_code == 405
    assert GoalTarget.objects.exists()


def test_a_changed_target_shows_at_once_on_a_cached_dashboard(
    client, personas, goals, django_capture_on_commit_callbacks
):
    arendal_values(personas.arendal)
    client.force_login(personas.leader_a)
    dashboard = "/kommuner/4203/indikatorer/"
    assert "Ingen delmål følger en indikator ennå." in client.get(dashboard).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, goals["own"])
    assert "Flere 13–19 år i minst ett tilbud" in client.get(dashboard).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{URL}{GoalTarget.objects.get().pk}/slett/")
    assert "Ingen delmål følger en indikator ennå." in client.get(dashboard).content.decode()
