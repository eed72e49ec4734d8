"""The dashboard's first screen: a verdict per aim of the pilot from figures with gaps, the KK
median beside each figure (checked against a computation of its own here), the sources that
recorded nothing, and the rest of the page folded away."""

import datetime
import re

import pytest

from ungkultur.indicators import aims
from ungkultur.indicators.models import IndicatorValue
from ungkultur.indicators.selectors import dashboard_values
from ungkultur.indicators.selectors_dashboard import kk_medians
from ungkultur.indicators.tests.dashboard_data import hide, put, run
from ungkultur.lib.terms import Term, terms_before
from ungkultur.municipalities.models import Municipality

pytestmark = pytest.mark.django_db

URL = "/kommuner/4203/indikatorer/"
TERM = Term.parse("2025V")


def lack(municipality, term, key, reason="no_records"):
    """A figure whose source recorded nothing: stored with the reason, no value."""
    return IndicatorValue.objects.create(
        municipality=municipality, term=term, key=key, missing=reason
    )


@pytest.fixture
def gaps(personas):
    """Arendal, spring 2025, with gaps:
    - participation: 20,0 % (spring 2024), nothing recorded in autumn 2024, 23,4 % now;
    - dropout from the kulturskole: 12,5 % then 10,0 % (lower is better);
    - influence: no proposal this term (missing), none stored for "accepted";
    - coordination: cross-service share 10 → 12 → 15 %, meetings with youth 50 → 40 %."""
    a = personas.arendal
    put(a, "2024V", "participation.all", 20.0, 100, 500)
    lack(a, "2024H", "participation.all")
    put(a, "2025V", "participation.all", 23.4, 117, 500)
    put(a, "2024H", "dropout.kulturskole", 12.5, 5, 40)
    put(a, "2025V", "dropout.kulturskole", 10.0, 6, 60)
    put(a, "2024H", "influence.answered_on_time", 80.0, 8, 10)
    lack(a, "2025V", "influence.answered_on_time")
    put(a, "2024V", "cross_service", 10.0, 10, 100)
    put(a, "2024H", "cross_service", 12.0, 12, 100)
    put(a, "2025V", "cross_service", 15.0, 15, 100)
    put(a, "2024H", "governance.meetings_with_youth", 50.0, 2, 4)
    put(a, "2025V", "governance.meetings_with_youth", 40.0, 2, 5)
    lack(a, "2025V", "club.visits_per_evening")
    hide(a, "2025V", "reach")
    run()
    return a


def _verdicts(municipality):
    data = dashboard_values(municipality, terms_before(TERM, 3))
    return {v.aim.slug: v for v in aims.aim_verdicts(data, TERM, {})}


def test_no_trend_is_computed_across_a_term_without_data(gaps):
    participation = _verdicts(gaps)["participation"]
    headline = participation.figures[0]
    assert headline.text == "23,4\u00a0%"
    # 20,0 → (nothing in autumn 2024) → 23,4: no change, no direction, no "+3,4".
    assert headline.change is None and headline.direction is None
    assert headline.change_text == "ingen tall fra høsten 2024 å sammenligne med"
    assert [p.text for p in headline.series] == ["20,0\u00a0%", "ingen data", "23,4\u00a0%"]
    # The other figure of the aim is hidden: neither a number nor a direction.
    assert participation.figures[1].text == "skjult" and participation.figures[1].hidden
    assert participation.verdict == aims.TOO_EARLY
    assert participation.verdict_text == "Kan ikke sammenlignes med semesteret før"
    # The club source recorded nothing, and says so with the reason.
    assert ("fritidsklubbene", "Ingenting registrert i kilden dette semesteret") in (
        participation.missing
    )


def test_less_dropout_is_the_right_way(gaps):
    dropout = _verdicts(gaps)["dropout"]
    assert dropout.verdict == aims.BETTER and dropout.verdict_text == "Går riktig vei"
    assert dropout.figures[0].change == -2.5
    assert dropout.figures[0].change_text == "−2,5 prosentpoeng siden høsten 2024"


def test_an_aim_whose_sources_recorded_nothing_has_no_verdict_but_the_reason(gaps):
    influence = _verdicts(gaps)["influence"]
    assert influence.verdict == aims.NO_DATA
    on_time = influence.figures[0]
    assert on_time.text == "ingen data" and not on_time.measured
    assert on_time.reason == "Ingenting registrert i kilden dette semesteret."
    # Nothing computed for "accepted" either: no data, not 0.
    assert influence.figures[1].text == "ingen data"
    assert influence.missing == [
        ("forslag fra ungdom", "Ingenting registrert i kilden dette semesteret")
    ]


def test_one_figure_better_and_one_worse_is_mixed(gaps):
    coordination = _verdicts(gaps)["coordination"]
    cross, meetings = coordination.figures
    # The trend runs over the unbroken terms with figures: since spring 2024, and the last step.
    assert cross.change == 5.0 and cross.direction == aims.BETTER
    assert cross.change_text == (
        "+5,0 prosentpoeng siden våren 2024 (+3,0 prosentpoeng siden høsten 2024)"
    )
    assert meetings.change == -10.0 and meetings.direction == aims.WORSE
    assert coordination.verdict == aims.MIXED


def test_a_change_under_half_a_point_is_about_the_same(personas):
    a = personas.arendal
    put(a, "2024H", "dropout.kulturskole", 10.3, 10, 97)
    put(a, "2025V", "dropout.kulturskole", 10.0, 10, 100)
    assert _verdicts(a)["dropout"].verdict == aims.STEADY


def _kk(*codes):
    Municipality.objects.filter(code__in=codes).update(kk_active=True)
    return [Municipality.objects.get(code=code) for code in codes]


@pytest.fixture
def nation(personas, gaps):
    """Six KK municipalities (Arendal, Sola and four more) and Oslo outside KK, spring 2025."""
    melhus, sunndal, kongsberg, bodo = _kk("5028", "1563", "3303", "1804")
    put(personas.sola, "2025V", "participation.all", 18.2, 91, 500)
    put(melhus, "2025V", "participation.all", 30.0, 150, 500)
    put(sunndal, "2025V", "participation.all", 12.6, 63, 500)
    hide(kongsberg, "2025V", "participation.all")  # hidden: not in the median
    lack(bodo, "2025V", "participation.all")  # nothing recorded: not in the median
    put(Municipality.objects.get(code="0301"), "2025V", "participation.all", 90.0, 9, 10)
    # A breakdown is not a municipality's figure.
    put(melhus, "2025V", "participation.all", 99.0, 99, 100, breakdown="gender=female")
    # Only two KK municipalities with a figure: no median.
    put(melhus, "2025V", "dropout.kulturskole", 4.0, 4, 100)
    return personas


def _median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def test_the_kk_median_is_that_of_the_kk_municipalities_shown_figures(nation):
    medians = kk_medians(
        terms=[TERM],
        keys=["participation.all", "dropout.kulturskole"],
        municipality=nation.arendal,
    )
    # Arendal 23,4, Sola 18,2, Melhus 30,0, Sunndal 12,6: Oslo (outside KK), the hidden,
    # the missing and the breakdown are left out.
    expected = _median([23.4, 18.2, 30.0, 12.6])
    assert expected == pytest.approx(20.8)
    median, others, below = medians[("participation.all", "2025V")]
    assert median == pytest.approx(expected)
    assert (others, below) == (3, 2)
    assert medians[("dropout.kulturskole", "2025V")][0] is None


def test_the_dashboard_opens_with_the_aims_and_the_kk_median(client, nation):
    client.force_login(nation.leader_a)
    text = re.sub(r"[ \t\r\n]+", " ", client.get(URL, {"term": "2025V"}).content.decode())
    aims_at = text.index('id="aims-heading"')
    assert "Virker KK her? Status våren 2025" in text
    # The aims come before every figure and every table of the indicators.
    assert aims_at < text.index("indicators-figure")
    for title in (
        "Flere unge deltar",
        "Færre slutter",
        "Ungdom får innflytelse",
        "Tilbudene og ungdommen jobber sammen",
    ):
        assert title in text
    participation = text.split('id="aim-participation"')[1].split("</article>")[0]
    assert "KK-median: 20,8\u00a0%" in participation
    assert "over medianen; 3 andre KK-kommuner har tall" in participation
    assert "Mangler data fra:" in participation
    assert "fritidsklubbene (Ingenting registrert i kilden dette semesteret)" in participation
    # Two KK municipalities with a dropout figure: no median is shown for it.
    dropout = text.split('id="aim-dropout"')[1].split("</article>")[0]
    assert "KK-median" not in dropout
    influence = text.split('id="aim-influence"')[1].split("</article>")[0]
    assert "Ingen data å vurdere" in influence and not re.search(r"(?<![0-9])0,0", influence)
    # A figure no term has data for shows no trend line of "ingen data".
    assert "våren 2024: ingen data → høsten 2024: ingen data → våren 2025: ingen data" not in (
        influence
    )


def test_another_kk_municipality_sees_the_median_and_nobody_elses_figure(client, nation):
    client.force_login(nation.leader_b)
    run(municipality=nation.sola)
    text = client.get("/kommuner/1124/indikatorer/", {"term": "2025V"}).content.decode()
    participation = text.split('id="aim-participation"')[1].split("</article>")[0]
    assert "18,2\u00a0%" in participation and "KK-median: 20,8\u00a0%" in participation
    for other in ("23,4", "30,0", "12,6", "90,0"):
        assert other not in participation


def test_every_figure_and_breakdown_is_folded_away(client, nation):
    client.force_login(nation.leader_a)
    text = client.get(URL, {"term": "2025V"}).content.decode()
    sections = text.split('<section aria-labelledby="section-')[1:]
    assert len(sections) == 7
    for section in sections:
        assert section.index("<details") < section.index("indicators-figure")
        # Every figure of the section sits inside a <details>.
        outside = re.sub(r"<details.*?</details>", "", section, flags=re.S)
        assert "indicators-figure" not in outside


def test_another_municipalitys_new_figures_move_the_median_on_a_cached_dashboard(client, nation):
    client.force_login(nation.leader_a)
    assert "KK-median: 20,8\u00a0%" in client.get(URL, {"term": "2025V"}).content.decode()
    sunndal = Municipality.objects.get(code="1563")
    cell = sunndal.indicator_values.get(key="participation.all", term="2025V")
    cell.value = 28.0
    cell.save()
    run(computed_at=datetime.datetime(2025, 6, 2, tzinfo=datetime.UTC), municipality=sunndal)
    # Arendal's own figures did not change; the median of 23,4, 18,2, 30,0 and 28,0 did.
    text = client.get(URL, {"term": "2025V"}).content.decode()
    assert "KK-median: 25,7\u00a0%" in text and "KK-median: 20,8" not in text
