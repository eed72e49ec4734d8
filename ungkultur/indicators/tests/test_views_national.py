import re

import pytest

from ungkultur.indicators.tests.dashboard_data import arendal_values, hide, put
from ungkultur.municipalities.models import Municipality

pytestmark = pytest.mark.django_db

URL = "/nasjonalt/indikatorer/"


@pytest.fixture
def values(personas):
    Municipality.objects.filter(pk=personas.arendal.pk).update(is_pilot=True)
    arendal_values(personas.arendal)
    put(personas.sola, "2025V", "participation.all", 18.2, 91, 500)
    hide(personas.sola, "2024H", "participation.all")
    oslo = Municipality.objects.get(code="0301")
    put(oslo, "2025V", "participation.all", 15.0, 1500, 10000)
    return oslo


def _text(response):
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())


@pytest.mark.parametrize("persona", ["coordinator", "admin", "researcher"])
def test_national_roles_see_every_kk_municipality(client, personas, values, persona):
    client.force_login(getattr(personas, persona))
    response = client.get(URL, {"term": "2025V"})
    assert response.status_code == 200
    text = _text(response)
    assert "Arendal (pilot)" in text and "Sola" in text
    assert "23,4\u00a0%" in text and "18,2\u00a0%" in text
    # Oslo is not in KK: it is only there when asked for.
    assert "Oslo" not in text
    # The pilot's row is highlighted; Sola's hidden autumn shows as hidden, not as a number.
    assert '<tr class="indicators-highlight"> <th scope="row">Arendal (pilot)</th>' in text
    assert ">skjult<" in text and "skjult (under" not in text
    assert text.count("<svg") == 2


def test_a_municipality_outside_kk_can_be_compared(client, personas, values):
    client.force_login(personas.coordinator)
    text = _text(client.get(URL, {"term": "2025V", "compare": "0301"}))
    assert "Oslo (utenfor KK)" in text and "15,0\u00a0%" in text


def test_another_indicator_can_be_chosen(client, personas, values):
    client.force_login(personas.coordinator)
    text = _text(client.get(URL, {"term": "2025V", "indicator": "waiting_days"}))
    assert "Ventetid til tilbud om plass (median)" in text and "14,5 dager" in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"compare": "9999"}, "Fant ingen kommune med nummeret 9999."),
        ({"indicator": "nope"}, "Velg en av indikatorene i listen."),
        ({"term": "2025Q"}, "Ukjent semester «2025Q»"),
    ],
)
def test_bad_choices_answer_400_in_norwegian(client, personas, values, query, message):
    client.force_login(personas.coordinator)
    response = client.get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("persona", ["leader_a", "teacher_a", "youth_a", "leader_b"])
def test_municipal_roles_get_403(client, personas, values, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_log_in(client, personas):
    assert client.get(URL).status_code == 302


def test_post_is_not_allowed(client, personas):
    client.force_login(personas.coordinator)
    assert client.post(URL).status_code == 405


def test_the_national_view_runs_a_fixed_number_of_queries(
    client, personas, values, django_assert_max_num_queries
):
    others = Municipality.objects.exclude(code__in=["4203", "1124", "0301"])
    for municipality in others[:60]:
        Municipality.objects.filter(pk=municipality.pk).update(kk_active=True)
        put(municipality, "2025V", "participation.all", 10.0, 50, 500)
    client.force_login(personas.coordinator)
    # session, user, national roles, memberships, unit staff, runs, the compared
    # municipality, the KK municipalities, the values
    # And the unread notices beside "Min side" (counted here, then cached).
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"term": "2025V", "compare": "0301"})
    assert response.status_code == 200


def test_the_trend_follows_the_pilots_and_the_kk_median(client, personas, values):
    client.force_login(personas.coordinator)
    text = _text(client.get(URL, {"term": "2025V"}))
    trend = text.split('id="figure-national-trend"')[1].split("</article>")[0]
    assert "Arendal (pilot)" in trend and "Sola</th>" not in trend
    # Median of Arendal's 23.4 and Sola's 18.2; in 2024H Sola's figure is hidden: Arendal's.
    median = re.search(r'<th scope="row">KK-median</th>(.*?)</tr>', trend).group(1)
    assert "20,8\u00a0%" in median and "20,0\u00a0%" in median
    # The terms start at the first that has figures (2024V).
    assert "2023H" not in trend and "2024V" in trend
