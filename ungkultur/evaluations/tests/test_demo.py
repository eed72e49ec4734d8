import datetime

import pytest

from ungkultur.evaluations import report
from ungkultur.evaluations.models import Allocation, Answer, Frame, Story, UseEntry

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_midway_round_stories_and_two_budgets(settings, tmp_path):
    from ungkultur.demo.seed import seed_demo

    # The wave's snapshot files of its own, not another run's under var/surveys (same wave pk).
    settings.UNGKULTUR_SURVEY_FILES_DIR = str(tmp_path)

    today = datetime.date(2026, 11, 26)
    seed_demo(today=today)
    answers = Answer.objects.filter(round__kind="midway", status="submitted")
    assert answers.filter(part="project_group").count() == 5
    assert answers.filter(part="youth").count() == 5
    assert Story.objects.count() == 2
    assert Story.objects.filter(collaboration_model__isnull=False).count() == 2
    assert sorted(Frame.objects.values_list("year", "earmarked")) == [
        (2020, 325_000),
        (2021, 325_000),
    ]
    assert Allocation.objects.filter(frame__year=2021).count() == 5
    assert UseEntry.objects.filter(allocation__frame__year=2021).count() == 5
    # The final report over the demo: the pilots' answers and the indicators with their trends.
    html = report.render_html_page(report.context(None))
    assert "Midtveisevaluering våren 2021" in html
    assert "Ingen indikatorer er beregnet ennå." not in html
    assert "KK-median" in html or "<svg" in html
    # A closed survey wave with published tables (64 responses per pilot, above n).
    assert "Ingen avsluttede undersøkelser ennå." not in html
    context = report.context(None)
    (wave,) = context["surveys"]
    assert wave["wave"].title == "Ved pilotstart" and wave["respondents"] == 5 * 64
    assert any(not table.all_too_few for table in wave["tables"])
    # 320 answered every table: a total is shown or hidden, never 0 (the pilots' «Er du …» has
    # a group under n in each pilot, so nothing of it is counted nationally: «For få svar»).
    assert all(table.total != 0 for table in wave["tables"])
    gender = next(t for t in wave["tables"] if t.variable.name == "kjonn")
    assert gender.total is None or gender.total >= 5
    assert "320 svar i utvalget." in html
    before = (Answer.objects.count(), Story.objects.count(), UseEntry.objects.count())
    seed_demo(today=today)
    assert (Answer.objects.count(), Story.objects.count(), UseEntry.objects.count()) == before
