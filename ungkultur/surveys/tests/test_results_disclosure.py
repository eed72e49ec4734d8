"""Issue 13: results that cannot be read back to a respondent.

A lone pupil in Sola (a group under n) is hidden whole, zeros too, on the page, in the API and
in the aggregate CSV; a before/after comparison never reveals one response; hidden numbers
are labelled truthfully.
"""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from ungkultur.accounts.services import api_token_create
from ungkultur.surveys import services
from ungkultur.surveys.tests.results_data import NOW, add_responses, make_survey

pytestmark = pytest.mark.django_db

N = 5
LONE = {"kjonn": "2", "trinn": "9", "klubb_bruk": "4", "kulturskole": "1"}


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.UNGKULTUR_SURVEY_FILES_DIR = str(tmp_path)
    settings.UNGKULTUR_DISCLOSURE_MIN_N = N


@pytest.fixture
def wave(personas):
    _survey, (wave,) = make_survey(personas.researcher)
    add_responses(wave, personas.arendal, 12, kjonn="1", trinn="8", klubb_bruk="1")
    add_responses(wave, personas.arendal, 9, kjonn="2", trinn="10", klubb_bruk="2")
    add_responses(wave, personas.sola, 1, **LONE)  # the pupil who answered by an open link
    return wave


def _api(client, user, wave, query=""):
    url = reverse("api:survey_wave_results", args=[wave.survey_id, wave.identifier])
    _token, raw = api_token_create(user=user, name="test", now=timezone.now())
    return client.get(url + query, headers={"Authorization": f"Bearer {raw}"})


def _sola_rows(body):
    return [
        (table["variable"], row)
        for table in body["results"]
        for row in table["rows"]
        if row["group"].get("municipality") == "1124"
    ]


def test_the_api_leaves_a_lone_respondents_municipality_out_of_national_tables(
    client, personas, wave
):
    # Not even a row "for få svar": Sola (1 response) is in no number of a national table,
    # which the answer says without naming it.
    body = _api(client, personas.researcher, wave, "?by=municipality").json()
    assert _sola_rows(body) == []
    assert body["respondents"] == 21
    assert body["note"].startswith("Kommuner med færre enn 5 svar er ikke med.")
    assert all(table["municipalities_left_out"] for table in body["results"])
    assert "Sola" not in body["note"]


def test_the_api_for_the_sola_leader_says_too_few_and_shows_no_zeros(client, personas, wave):
    body = _api(client, personas.leader_b, wave).json()
    assert body["municipality"] == "1124" and body["respondents"] is None
    for table in body["results"]:
        assert table["too_few"] is True and table["note"] == "for få svar"
        (row,) = table["rows"]
        assert set(row["counts"]) == {None} and set(table["column_totals"]) == {None}


def test_the_page_by_municipality_leaves_sola_out_and_says_so(client, personas, wave):
    client.force_login(personas.researcher)
    url = reverse("surveys:wave_results", args=[wave.pk])
    response = client.get(url + "?by=municipality&sporsmal=kjonn")
    (table,) = response.context["tables"]
    assert [key for key, _label in table.rows] == [personas.arendal.pk]
    assert table.total == 21
    text = response.content.decode()
    assert '<th scope="row">Sola</th>' not in text
    assert "Kommuner med færre enn 5 svar er ikke med." in text


def test_the_sola_leaders_page_without_split_shows_only_too_few(client, personas, wave):
    client.force_login(personas.leader_b)
    response = client.get(reverse("surveys:wave_results", args=[wave.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "For få svar: tallene vises når minst 5 har svart." in text
    assert "results-table" not in text  # not a single number of his, zero or otherwise
    for table in response.context["tables"]:
        assert set(table.cells.values()) == {None}


def test_the_aggregate_csv_leaves_sola_out_and_says_so(client, personas, wave):
    client.force_login(personas.researcher)
    url = reverse("surveys:wave_results_csv", args=[wave.pk])
    response = client.get(url + "?by=municipality")
    assert response.status_code == 200
    *lines, last = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert lines and not [line for line in lines if line["gruppe"] == "Sola"]
    assert last["merknad"].startswith("Kommuner med færre enn 5 svar er ikke med.")
    assert last["antall"] == "" and last["gruppe"] == ""


def test_the_sola_leaders_csv_says_too_few(client, personas, wave):
    client.force_login(personas.leader_b)
    response = client.get(reverse("surveys:wave_results_csv", args=[wave.pk]))
    lines = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert lines
    assert {(line["antall"], line["merknad"]) for line in lines} == {("", "for få svar")}


def test_a_number_hidden_only_to_protect_another_is_labelled_skjult(client, personas, wave):
    add_responses(wave, personas.arendal, 2, kjonn="3", trinn="8", klubb_bruk="1")
    client.force_login(personas.leader_a)
    url = reverse("surveys:wave_results_csv", args=[wave.pk])
    lines = list(csv.DictReader(io.StringIO(client.get(url + "?by=gender").content.decode())))
    others = [line for line in lines if line["gruppe"] in ("Gutt", "Jente") and not line["antall"]]
    # The boys and girls are not too few: their numbers hidden to keep the two «Annet» from
    # the totals are "skjult", never "for få svar" nor "under 5".
    assert others
    assert {line["merknad"] for line in others} == {"skjult"}
    page = client.get(reverse("surveys:wave_results", args=[wave.pk]) + "?by=gender&sporsmal=kjonn")
    text = page.content.decode()
    assert "skjult" in text and "under 5" not in text  # the chart's gaps too


# --- Differencing ---------------------------------------------------------------------------

VIEWS = ["", "?by=municipality", "?by=gender", "?by=municipality,gender", "?municipality=1124"]


def _snapshot(client, user, wave) -> dict:
    found = {}
    for query in VIEWS:
        body = _api(client, user, wave, query).json()
        found[(query, "respondents")] = body["respondents"]
        for table in body["results"]:
            found[(query, table["variable"], "all")] = (
                table["total"],
                table["column_totals"],
                table.get("mean"),
            )
            for row in table["rows"]:
                key = (query, table["variable"], tuple(sorted(row["group"].items())))
                found[key] = (row["total"], row["counts"], row.get("mean"))
    return found


def _reveals_one(before: dict, after: dict) -> list:
    """What changed between two publications without resting on at least n new responses:
    a group whose numbers changed, unless it was shown before and after and grew by n or more
    (or was hidden before and shows n or more now)."""
    found = []
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        old_total = old if not isinstance(old, tuple) else old[0]
        new_total = new if not isinstance(new, tuple) else new[0]
        if new_total is None or new_total < N:
            found.append(key)  # something moved inside a hidden group: its pattern of hiding
        elif old_total == new_total:
            # The group did not grow: only what is hidden beside it may have changed.
            if any(a != b for a, b in zip(old[1], new[1], strict=True) if None not in (a, b)):
                found.append(key)
        elif old_total is not None and new_total - old_total < N:
            found.append(key)
    return found


@pytest.mark.parametrize("alike", [False, True], ids=["different", "alike"])
def test_no_comparison_of_consecutive_results_reveals_one_response(client, personas, wave, alike):
    published = [_snapshot(client, personas.researcher, wave)]
    answers = [
        {"kjonn": "1", "trinn": "8", "klubb_bruk": "3"},
        {"kjonn": "2", "trinn": "9", "klubb_bruk": "1", "kulturskole": "2"},
        {"kjonn": "3", "klubb_bruk": "4"},
    ]
    for i in range(N + 1):
        add_responses(wave, personas.sola, 1, **(LONE if alike else answers[i % len(answers)]))
        published.append(_snapshot(client, personas.researcher, wave))
    for i, (before, after) in enumerate(zip(published, published[1:], strict=False)):
        assert _reveals_one(before, after) == [], f"after response {i + 1}"
    if alike:
        # Five alike are published together (the lone pupil's group grew by five)...
        assert published[-1][("?by=municipality", "kjonn", (("municipality", "1124"),))][0] == 6
    else:
        # ... while responses unlike each other wait, and nothing moves.
        assert published[-1] == published[0]


def test_a_split_by_answers_is_made_once_when_the_wave_is_closed(client, personas, wave):
    # Rows "answered X to another question" cannot grow by n in every batch: an open wave does
    # not offer them; a closed wave's come from one frozen publication, never a second version.
    query = "?by=klubb_bruk&variable=kjonn"
    assert _api(client, personas.researcher, wave, query).status_code == 400
    services.wave_close(actor=personas.researcher, wave=wave, now=NOW)
    first = _api(client, personas.researcher, wave, query).json()
    add_responses(wave, personas.arendal, 5, kjonn="1", trinn="8", klubb_bruk="3")  # imported
    again = _api(client, personas.researcher, wave, query).json()
    assert again["results"] == first["results"]
    # The background tables take the five alike (their groups grew by five); Sola's lone
    # pupil is not counted nationally.
    assert _api(client, personas.researcher, wave).json()["respondents"] == 26
