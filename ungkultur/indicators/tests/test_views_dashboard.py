import datetime
import re

import pytest
from django.test import override_settings

from ungkultur.indicators.definitions import BY_KEY, INDICATORS
from ungkultur.indicators.tests.dashboard_data import arendal_values, put, run

pytestmark = pytest.mark.django_db

URL = "/kommuner/4203/indikatorer/"


@pytest.fixture
def values(personas):
    arendal_values(personas.arendal)


def _text(response):
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())


def test_leader_sees_each_figure_with_its_definition_and_change(client, personas, values):
    client.force_login(personas.leader_a)
    response = client.get(URL, {"term": "2025V"})
    assert response.status_code == 200
    text = _text(response)
    assert "23,4\u00a0%" in text and "20,0\u00a0%" in text
    assert "+3,4 prosentpoeng" in text
    assert "117" in text and "500" in text
    assert str(BY_KEY["participation.all"].definition) in text
    assert "14,5 dager" in text
    # Every indicator of docs/indicators.md has its place on the page.
    for indicator in INDICATORS:
        figure_id = indicator.key.replace(".", "-")
        assert f'id="figure-{figure_id}"' in text
    # A chart wherever there is a figure: the summary, 7 series, 3 breakdowns.
    assert text.count("<svg") >= 7
    assert "Tallene ble beregnet 1. juni 2025 kl. 14:00." in text


def test_a_hidden_figure_is_never_shown_as_a_number(client, personas, values):
    client.force_login(personas.leader_a)
    text = _text(client.get(URL, {"term": "2025V"}))
    # The 2025V dropout row: value, numerator and denominator are all hidden.
    row = re.search(
        r'<tr class="indicators-highlight"> <th scope="row">2025V</th>(.*?)</tr>',
        text.split('id="figure-dropout-kulturskole"')[1],
    ).group(1)
    # "skjult", not "under 5": a figure may be hidden only to protect another one.
    assert row.count(">skjult<") == 3 and "under" not in row
    # And so is the change since the term before.
    section = text.split('id="figure-dropout-kulturskole"')[1].split("</article>")[0]
    assert "Endring siden forrige semester: <strong>skjult</strong>" in section
    # The breakdown by gender: girls shown, boys hidden.
    gender = text.split('id="figure-dropout-kulturskole-gender"')[1].split("</article>")[0]
    assert "10,0\u00a0%" in gender
    assert ">skjult<" in gender and "skjult (under" not in gender


@override_settings(UNGKULTUR_DISCLOSURE_MIN_N=10)
def test_the_page_names_the_threshold_in_force_not_each_hidden_figure(client, personas, values):
    client.force_login(personas.leader_a)
    text = _text(client.get(URL, {"term": "2025V"}))
    assert "Tall som bygger på færre enn 10 personer, er skjult." in text
    assert ">skjult<" in text and "under 10" not in text


def test_breakdowns_are_labelled_in_norwegian(client, personas, values):
    put(personas.arendal, "2025V", "participation.all", 30.0, 30, 100, breakdown="gender=unknown")
    client.force_login(personas.leader_a)
    text = _text(client.get(URL, {"term": "2025V"}))
    assert "jente/kvinne" in text
    assert "ikke oppgitt" in text and ">unknown<" not in text  # gender left blank on import
    assert "flyttet" in text  # end reason "moved"
    assert "musikk" in text  # UKM entry type


def test_the_default_term_is_the_latest_with_figures(client, personas, values):
    client.force_login(personas.leader_a)
    response = client.get(URL)
    assert response.status_code == 200
    assert 'value="2025V" selected' in response.content.decode()


def test_without_figures_the_page_says_so(client, personas):
    client.force_login(personas.leader_a)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Ingen tall er beregnet for kommunen ennå." in response.content.decode()


@pytest.mark.parametrize("term", ["2025X", "25V", "høst"])
def test_a_bad_term_answers_400_in_norwegian(client, personas, values, term):
    client.force_login(personas.leader_a)
    response = client.get(URL, {"term": term})
    assert response.status_code == 400
    assert f"Ukjent semester «{term}»" in response.content.decode()


@pytest.mark.parametrize(
    "persona",
    ["leader_a", "teacher_a", "coordinator", "admin", "researcher"],
)
def test_who_may_see_the_dashboard(client, personas, values, persona):
    client.force_login(getattr(personas, persona))
    response = client.get(URL, {"term": "2025V"})
    assert response.status_code == 200
    assert "23,4\u00a0%" in response.content.decode()


def test_only_national_roles_get_the_link_to_compare(client, personas, values):
    client.force_login(personas.coordinator)
    assert "Sammenlign med de andre kommunene" in client.get(URL).content.decode()
    client.force_login(personas.leader_a)
    text = client.get(URL).content.decode()
    assert "Sammenlign med de andre kommunene" not in text
    assert "Sett mål for delmålene" in text
    client.force_login(personas.teacher_a)
    assert "Sett mål for delmålene" not in client.get(URL).content.decode()


def test_club_and_ukm_staff_see_their_municipality(client, personas, values):
    for user in (personas.a.club_worker, personas.a.ukm_contact):
        client.force_login(user)
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("persona", ["youth_member_a", "youth_a", "guardian_a", "child_a"])
def test_youth_and_guardians_of_the_municipality_get_403(client, personas, values, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["leader_b", "teacher_b", "youth_b"])
def test_another_municipality_gets_404(client, personas, values, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(URL).status_code == 404


def test_anonymous_is_sent_to_log_in(client, personas, values):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/konto/logg-inn/")


def test_an_unknown_municipality_is_404(client, personas):
    client.force_login(personas.admin)
    assert client.get("/kommuner/0000/indikatorer/").status_code == 404


def test_an_old_number_leads_to_the_current_one(client, personas):
    client.force_login(personas.admin)
    response = client.get("/kommuner/3006/indikatorer/")
    assert response.status_code == 301
    assert response.url == "/kommuner/3303/indikatorer/"


def test_post_is_not_allowed(client, personas, values):
    client.force_login(personas.leader_a)
    assert client.post(URL).status_code == 405


def test_the_page_runs_a_fixed_number_of_queries(
    client, personas, values, django_assert_max_num_queries
):
    # Many more figures must not mean more queries.
    for term in ("2023H", "2024V", "2024H", "2025V"):
        for indicator in INDICATORS:
            put(personas.arendal, term, indicator.key + "", 40.0, 20, 50, breakdown="age=14")
    client.force_login(personas.leader_a)
    # session, user, municipality, national roles, memberships, unit staff, runs (twice:
    # the view's and dashboard_values'), the latest run of any municipality (the KK medians'
    # part of the cache key), values, the KK medians of the aims, targets
    # And the unread notices beside "Min side" (counted here, then cached).
    with django_assert_max_num_queries(13):
        response = client.get(URL, {"term": "2025V"})
    assert response.status_code == 200


def test_a_cached_dashboard_is_served_until_the_figures_are_computed_again(
    client, personas, values, django_assert_max_num_queries
):
    client.force_login(personas.leader_a)
    client.get(URL, {"term": "2025V"})
    cell = personas.arendal.indicator_values.get(key="participation.all", term="2025V")
    cell.value = 31.0
    cell.save()
    # Cached: session, user, municipality, 3 for the roles, runs, the latest run of any
    # municipality; neither the values, nor dashboard_values' run, nor the targets are read again.
    with django_assert_max_num_queries(8):
        assert "23,4\u00a0%" in client.get(URL, {"term": "2025V"}).content.decode()
    run(computed_at=datetime.datetime(2025, 6, 2, tzinfo=datetime.UTC))
    text = client.get(URL, {"term": "2025V"}).content.decode()
    assert "31,0\u00a0%" in text and "23,4\u00a0%" not in text


def test_participation_is_broken_down_by_age_and_gender(client, personas, values):
    put(personas.arendal, "2025V", "participation.club", 41.5, 83, 200, breakdown="age=13-15")
    put(personas.arendal, "2025V", "participation.club", 9.0, 9, 100, breakdown="age=10-12")
    put(personas.arendal, "2025V", "participation.club", 7.0, 7, 100, breakdown="age=9")
    client.force_login(personas.leader_a)
    text = _text(client.get(URL, {"term": "2025V"}))
    figure = text.split('id="figure-participation-club-age"')[1].split("</article>")[0]
    # Age groups in their order, not as text ("13-15" before "9").
    assert figure.index(">9 år") < figure.index("10–12 år") < figure.index("13–15 år")
    assert "41,5\u00a0%" in figure


def test_a_term_without_figures_says_so(client, personas, values):
    client.force_login(personas.leader_a)
    text = _text(client.get(URL, {"term": "2019V"}))
    assert "Det er ikke beregnet tall for vår 2019. Velg et annet semester." in text
    assert "Det er ikke beregnet tall" not in _text(client.get(URL, {"term": "2025V"}))
