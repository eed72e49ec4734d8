"""The results pages: who sees what, protected numbers, filters and bad queries."""

import csv
import io

import pytest
from django.urls import reverse

from ungkultur.surveys import services
from ungkultur.surveys.tests.results_data import NOW, a_mixed_wave, add_responses, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.UNGKULTUR_SURVEY_FILES_DIR = str(tmp_path)


@pytest.fixture
def wave(personas):
    _survey, (wave,) = make_survey(personas.researcher)
    a_mixed_wave(wave, personas.arendal, personas.sola)
    return wave


def _url(wave, **query):
    url = reverse("surveys:wave_results", args=[wave.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize("who", ["researcher", "coordinator", "admin"])
def test_national_roles_see_all_municipalities(client, personas, wave, who):
    client.force_login(getattr(personas, who))
    response = client.get(_url(wave, by="municipality", sporsmal="kjonn"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Arendal" in text and "Sola" in text
    assert "33 svar i utvalget" in text


def test_a_municipal_coordinator_sees_only_their_own_municipality(client, personas, wave):
    client.force_login(personas.a.leader)
    response = client.get(_url(wave, by="gender", sporsmal="klubb_bruk"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "24 svar i utvalget" in text  # Arendal's 24, not all 33
    assert "Sola" not in text
    # They are not offered a split by municipality.
    assert response.context["form"].fields["by"].choices[1][0] != "municipality"


def test_another_municipality_answers_404(client, personas, wave):
    client.force_login(personas.a.leader)
    assert client.get(_url(wave, kommune=personas.sola.pk)).status_code == 404


@pytest.mark.parametrize("who", ["teacher", "club_worker", "youth_member", "youth"])
def test_other_roles_may_not_see_results(client, personas, wave, who):
    client.force_login(getattr(personas.a, who))
    assert client.get(_url(wave)).status_code == 403
    assert client.get(reverse("surveys:results_index")).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, wave):
    response = client.get(_url(wave))
    assert response.status_code == 302 and "logg-inn" in response["Location"]


def test_small_groups_are_hidden_in_the_page(client, personas, wave):
    client.force_login(personas.researcher)
    response = client.get(_url(wave, by="municipality", sporsmal="kjonn"))
    (table,) = response.context["tables"]
    arendal, sola = personas.arendal.pk, personas.sola.pk
    # Sola: 7 girls, 2 boys → the 2 is hidden, and with it what would give it away.
    assert table.cells[(sola, "2")] is None
    assert table.cells[(arendal, "1")] == 12
    for key, _label in table.rows:
        counts = [table.cells[(key, c)] for c, _l in table.columns]
        assert counts.count(None) != 1
    assert "skjult" in response.content.decode()


def test_a_bad_query_answers_400_with_a_message(client, personas, wave):
    client.force_login(personas.researcher)
    response = client.get(_url(wave, by="shoe_size"))
    assert response.status_code == 400
    assert "er ikke et gyldig valg" in response.content.decode()
    response = client.get(_url(wave, by="gender", by2="gender"))
    assert response.status_code == 400
    assert "Velg to forskjellige ting" in response.content.decode()


def test_crosstab_by_another_question_once_the_wave_is_closed(client, personas, wave):
    client.force_login(personas.researcher)
    # While the wave is open, the rows of a table are background groups only: a split by the
    # answers could not be published in batches that every row grows by n (publication.py).
    response = client.get(_url(wave, by="kulturskole", sporsmal="klubb_bruk"))
    assert response.status_code == 400
    assert "«kulturskole» er ikke et gyldig valg." in response.content.decode()
    services.wave_close(actor=personas.researcher, wave=wave, now=NOW)
    client.force_login(personas.a.leader)
    response = client.get(_url(wave, by="kulturskole", sporsmal="klubb_bruk"))
    (table,) = response.context["tables"]
    assert [label for _k, label in table.rows][:2] == ["Ja", "Nei"]
    assert table.cells[("2", "1")] == 9
    # Arendal's own table hides numbers (its three «Ikke oppgitt»), so the national table of
    # the question by kulturskole leaves Arendal out (results.linked_tables): Sola's nine.
    client.force_login(personas.researcher)
    response = client.get(_url(wave, by="kulturskole", sporsmal="klubb_bruk"))
    (table,) = response.context["tables"]
    assert [label for _k, label in table.rows] == ["Ikke oppgitt"]
    assert table.total == 9 and table.left_out


def test_wrong_method_answers_405(client, personas, wave):
    client.force_login(personas.researcher)
    assert client.post(_url(wave)).status_code == 405


def test_htmx_gets_the_results_fragment(client, personas, wave):
    client.force_login(personas.researcher)
    response = client.get(_url(wave, sporsmal="kjonn"), headers={"HX-Request": "true"})
    text = response.content.decode()
    assert 'id="results"' in text and "<html" not in text


def test_aggregate_csv_has_the_protected_numbers(client, personas, wave):
    client.force_login(personas.a.leader)
    response = client.get(
        reverse("surveys:wave_results_csv", args=[wave.pk]) + "?by=gender&sporsmal=kjonn"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv.reader(io.StringIO(response.content.decode()))
    assert header[:4] == ["variabel", "sporsmal", "gruppe", "svar"]
    boys = next(row for row in rows if row[0] == "kjonn" and row[2:5] == ["Gutt", "Gutt", "2"])
    assert boys[5] == "9"
    # The «Alle» row is the table without split, hidden where it is (results._table): the 12
    # girls shown, the 9 boys hidden to protect the three «Annet».
    everyone = [row[5] for row in rows if row[0] == "kjonn" and row[2] == "Alle"]
    assert everyone[:3] == ["12", "", ""]
    # The three answering "Annet" are below n: the count is left empty.
    other = next(row for row in rows if row[2:5] == ["Annet", "Annet", "3"])
    assert other[5] == ""


def test_waves_are_compared(client, personas):
    _survey, (first, second) = make_survey(personas.researcher, waves=("baseline", "follow-up"))
    add_responses(first, personas.arendal, 10, kjonn="1", klubb_bruk="4")
    add_responses(second, personas.arendal, 20, kjonn="1", klubb_bruk="4")
    client.force_login(personas.coordinator)
    response = client.get(
        reverse("surveys:survey_compare", args=[first.survey.pk]) + "?sporsmal=klubb_bruk"
    )
    assert response.status_code == 200
    (table,) = response.context["tables"]
    assert table.cells[("baseline", "4")] == 10
    assert table.cells[("follow-up", "4")] == 20


def test_the_results_list_shows_open_waves(client, personas, wave, django_assert_max_num_queries):
    client.force_login(personas.researcher)
    # session, user, roles (3), waves
    with django_assert_max_num_queries(8):
        response = client.get(reverse("surveys:results_index"))
    assert wave.title in response.content.decode()
