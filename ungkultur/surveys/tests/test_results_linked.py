"""Issue 13, linked tables: a national table minus municipalities' own tables reveals nothing
(results.linked_tables).

A national user can fetch the national table of a question, the same split by municipality, and
every municipality's own table (``municipality=…``). Each is protected alone; these tests try
every subtraction between them.
"""

import csv
import datetime
import io
from itertools import combinations

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ungkultur.accounts.services import api_token_create
from ungkultur.surveys import results
from ungkultur.surveys.results import CHOICE, MULTIPLE, NUMBER, Dimension, Variable
from ungkultur.surveys.tests.results_data import add_responses, make_survey

N = 5


@pytest.fixture
def _files(settings, tmp_path):
    settings.UNGKULTUR_SURVEY_FILES_DIR = str(tmp_path)
    settings.UNGKULTUR_DISCLOSURE_MIN_N = N


# --- The checker --------------------------------------------------------------------------------


def _positions(table: dict) -> dict:
    """A table as served (``ResultTable.as_dict``) as {(municipality, group, column): count}:
    municipality None for a row not split by municipality and for the "Alle" row."""
    found = {}
    for row in table["rows"]:
        group = tuple(sorted((k, v) for k, v in row["group"].items() if k != "municipality"))
        place = row["group"].get("municipality")
        for column, count in zip(table["columns"], row["counts"], strict=True):
            found[(place, group, column["value"])] = count
        found[(place, group, "total")] = row["total"]
    for column, count in zip(table["columns"], table["column_totals"], strict=True):
        found[(None, "Alle", column["value"])] = count
    found[(None, "Alle", "total")] = table["total"]
    return found


def leaks(national: dict, by_place: dict, own: dict, *, n: int) -> list:
    """What a national user could learn beyond the municipalities' own tables, from one
    question's tables with one split: ``national`` (not split by municipality), ``by_place``
    (the same split by municipality too) and ``own`` (each municipality's table).

    Checked: the national table is the sum of some set of municipalities' tables, over numbers
    they show (else it tells something they hide); the national table minus any set of those
    municipalities never leaves a count of 1 to n − 1; each row of the table by municipality is
    that municipality's own row; its "Alle" row is the sum of numbers they all show.
    """
    found = []
    mine = {place: _positions(table) for place, table in own.items()}
    shown = {key: count for key, count in _positions(national).items() if count is not None}
    counted = next(
        (
            places
            for size in range(len(mine), -1, -1)
            for places in combinations(mine, size)
            if all(_sum_shown(mine, places, key) == count for key, count in shown.items())
        ),
        None,
    )
    if counted is None:
        found.append(("national", "is no sum of numbers the municipalities show"))
    else:
        for size in range(len(counted) + 1):
            for places in combinations(counted, size):
                for key, count in shown.items():
                    rest = count - _sum_shown(mine, places, key)
                    if 0 < rest < n:
                        found.append(("national", key, places, rest))
    rows = _positions(by_place)
    present = {place for place, _group, _column in rows if place is not None}
    for (place, group, column), count in rows.items():
        if count is None:
            continue
        if place is None:  # the "Alle" row
            if _sum_shown(mine, present, (None, group, column)) != count:
                found.append(("by place", group, column, count))
        elif mine[place].get((None, group, column), 0) != count:
            found.append(("by place", place, group, column, count))
    return found


def _sum_shown(mine, places, key):
    """The sum of the number at ``key`` over the municipalities, None if one of them hides it."""
    parts = [mine[place].get(key, 0) for place in places]
    return None if None in parts else sum(parts)


# --- Random data --------------------------------------------------------------------------------

GENDER = Variable("kjonn", "Kjønn", CHOICE, (("1", "Jente"), ("2", "Gutt"), ("3", "Annet")))
VARIABLES = [
    GENDER,
    Variable("q", "Spørsmål", CHOICE, (("a", "A"), ("b", "B"), ("c", "C"))),
    Variable("act", "Aktiviteter", MULTIPLE, (("x", "X"), ("y", "Y"))),
    Variable("num", "Tall", NUMBER),
]
PLACES = (1, 2, 3, 4)
PLACE = Dimension("municipality", "Kommune", "municipality_id", tuple((p, str(p)) for p in PLACES))
SPLITS = {
    "none": (),
    "gender": (Dimension("gender", "Kjønn", "kjonn", GENDER.choices),),
    "answers": (Dimension("q", "Spørsmål", "q", VARIABLES[1].choices),),
}
DAY = datetime.date(2026, 10, 1)

responses = st.lists(
    st.tuples(
        st.sampled_from(PLACES),
        st.sampled_from(["1", "2", "3", None]),
        st.sampled_from(["a", "b", "c", None]),
        st.sampled_from([["x"], ["y"], ["x", "y"], [], None]),
        st.sampled_from([1, 2, 3, None]),
    ),
    max_size=70,
)


def _frame(rows):
    return results.frame_from_rows(
        [
            (place, DAY, {"kjonn": gender, "q": q, "act": act, "num": num})
            for place, gender, q, act, num in rows
        ],
        VARIABLES,
    )


def _all_leaks(rows, split, *, n, protect):
    frame = _frame(rows)
    dimensions = SPLITS[split]
    national = protect(frame, VARIABLES, dimensions, n)
    by_place = protect(frame, VARIABLES, (PLACE, *dimensions), n)
    own = {
        place: results.tables(
            frame.filter(frame["municipality_id"] == place), VARIABLES, dimensions, n=n
        )
        for place in PLACES
    }
    found = []
    for i, variable in enumerate(VARIABLES):
        found += [
            (variable.name, *leak)
            for leak in leaks(
                national[i].as_dict(),
                by_place[i].as_dict(),
                {place: tables[i].as_dict() for place, tables in own.items()},
                n=n,
            )
        ]
    return found


def _linked(frame, variables, dimensions, n):
    return results.linked_tables(frame, variables, dimensions, n=n)[0]


def _alone(frame, variables, dimensions, n):
    return results.tables(frame, variables, dimensions, n=n)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=responses, split=st.sampled_from(sorted(SPLITS)), n=st.sampled_from([3, 5]))
def test_no_subtraction_between_national_and_municipality_tables_reveals_a_small_count(
    rows, split, n
):
    assert _all_leaks(rows, split, n=n, protect=_linked) == []


def test_the_checker_finds_the_leak_of_tables_protected_alone():
    # Arendal's six and Sola's lone girl: protected one by one, the national table minus
    # Arendal's gives her (the checker can fail).
    rows = [(1, "2", "a", ["x"], 1)] * 6 + [(2, "1", "b", ["y"], 3)]
    found = _all_leaks(rows, "none", n=5, protect=_alone)
    assert ("q", "national", "is no sum of numbers the municipalities show") in found
    assert _all_leaks(rows, "none", n=5, protect=_linked) == []


def test_a_municipality_hiding_its_lone_girl_is_left_out_of_the_national_table_by_gender():
    rows = (
        [(1, "2", "a", [], 1)] * 6  # 6 boys and
        + [(1, "1", "b", [], 1)]  # 1 girl in one municipality,
        + [(2, "1", "a", [], 1)] * 7  # girls and boys in the others
        + [(2, "2", "c", [], 1)] * 5
        + [(3, "1", "b", [], 2)] * 9
    )
    frame = _frame(rows)
    national, respondents = results.linked_tables(frame, VARIABLES, SPLITS["gender"], n=5)
    assert respondents == 28
    for table in national:
        # The first municipality's own table hides its girl, so it is not counted at all.
        assert (table.total, table.row_totals["1"], table.row_totals["2"]) == (21, 16, 5)
        assert table.left_out
    assert _all_leaks(rows, "gender", n=5, protect=_linked) == []
    assert _all_leaks(rows, "gender", n=5, protect=_alone) != []


# --- Through the API and the CSV ----------------------------------------------------------------


@pytest.fixture
def wave(personas, _files):
    _survey, (wave,) = make_survey(personas.researcher)
    add_responses(wave, personas.arendal, 12, kjonn="1", trinn="8", klubb_bruk="1")
    add_responses(wave, personas.arendal, 9, kjonn="2", trinn="10", klubb_bruk="2")
    add_responses(wave, personas.sola, 1, kjonn="2", trinn="9", klubb_bruk="4", kulturskole="1")
    return wave


def _api(client, user, wave, query=""):
    url = reverse("api:survey_wave_results", args=[wave.survey_id, wave.identifier])
    _token, raw = api_token_create(user=user, name="test", now=timezone.now())
    response = client.get(url + query, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200, response.content
    return response.json()


def _numbers(table: dict):
    return (table["total"], table["column_totals"], [row["counts"] for row in table["rows"]])


@pytest.mark.django_db
def test_national_minus_arendal_in_the_api_is_nothing(client, personas, wave):
    national = _api(client, personas.researcher, wave)
    arendal = _api(client, personas.researcher, wave, "?municipality=4203")
    assert national["respondents"] == arendal["respondents"] == 21
    assert [_numbers(t) for t in national["results"]] == [_numbers(t) for t in arendal["results"]]
    assert national["note"] and arendal["note"] is None


@pytest.mark.django_db
def test_national_minus_arendal_in_the_csv_is_nothing(client, personas, wave):
    client.force_login(personas.researcher)
    url = reverse("surveys:wave_results_csv", args=[wave.pk])

    def numbers(query):
        lines = csv.DictReader(io.StringIO(client.get(url + query).content.decode()))
        return [
            (line["variabel"], line["gruppe"], line["verdi"], line["antall"], line["merknad"])
            for line in lines
            if line["variabel"]
        ]

    assert numbers("") == numbers(f"?kommune={personas.arendal.pk}")


@pytest.mark.django_db
def test_no_subtraction_between_tables_fetched_from_the_api_reveals_a_small_count(
    client, personas, _files
):
    _survey, (wave,) = make_survey(personas.researcher)
    oslo = type(personas.arendal).objects.get(code="0301")
    add_responses(wave, personas.arendal, 12, kjonn="2", trinn="8", klubb_bruk="1")
    add_responses(wave, personas.arendal, 9, kjonn="1", trinn="10", klubb_bruk="2")
    add_responses(wave, personas.sola, 6, kjonn="2", trinn="9", klubb_bruk="1")
    add_responses(wave, personas.sola, 1, kjonn="1", trinn="9", klubb_bruk="4")  # the lone girl
    add_responses(wave, oslo, 7, kjonn="1", trinn="8", klubb_bruk="2")
    add_responses(wave, oslo, 5, kjonn="2", trinn="9", klubb_bruk="3")
    codes = ["4203", "1124", "0301"]
    for variable in ("klubb_bruk", "trinn"):
        query = f"?by=gender&variable={variable}"
        (national,) = _api(client, personas.researcher, wave, query)["results"]
        girls = next(row for row in national["rows"] if row["group"] == {"gender": "1"})
        assert girls["total"] == 16  # Arendal's and Oslo's: Sola's own table hides her
        (by_place,) = _api(
            client, personas.researcher, wave, query.replace("=gender", "=municipality,gender")
        )["results"]
        own = {
            code: _api(client, personas.researcher, wave, f"{query}&municipality={code}")[
                "results"
            ][0]
            for code in codes
        }
        assert leaks(national, by_place, own, n=N) == [], variable


@pytest.mark.django_db
def test_the_national_comparison_minus_arendals_is_nothing(client, personas, wave):
    client.force_login(personas.researcher)
    url = reverse("surveys:survey_compare", args=[wave.survey_id]) + "?sporsmal=klubb_bruk"
    national = client.get(url)
    arendal = client.get(url + f"&kommune={personas.arendal.pk}")
    (mine,), (theirs,) = national.context["tables"], arendal.context["tables"]
    assert (mine.cells, mine.row_totals, mine.total) == (theirs.cells, theirs.row_totals, 21)
    assert "Kommuner med færre enn 5 svar er ikke med." in national.content.decode()


def test_one_municipalitys_table_and_its_split_do_not_together_reveal_a_small_count():
    counts = {
        (None, None): 1, (None, "b"): 2, (None, "c"): 2, ("1", None): 1, ("1", "b"): 2,
        ("1", "c"): 3, ("2", "a"): 1, ("2", "b"): 1, ("2", "c"): 1, ("3", None): 3,
        ("3", "b"): 3, ("3", "c"): 2,
    }  # fmt: skip
    rows = [(1, g, q, [], 1) for (g, q), count in counts.items() for _ in range(count)]
    frame = _frame(rows)
    alone = results.table(frame, VARIABLES[1], n=5)
    by_gender = results.table(frame, VARIABLES[1], SPLITS["gender"], n=5)
    assert alone.column_totals["a"] is None  # the one «a»
    known = {
        c: alone.column_totals[c] if alone.column_totals[c] is not None else shown
        for c, shown in by_gender.column_totals.items()
    }
    if list(known.values()).count(None) == 1:
        worked_out = alone.total - sum(value for value in known.values() if value is not None)
        assert not 0 < worked_out < 5, f"«a» is {worked_out}"


# --- One population's tables together: without split, by gender, by another answer ---------------

ONE_POPULATION_SPLITS = ("none", "gender", "answers")


def _cell(variable, answers):
    """What one response is in a table of ``variable``: its answer, its set of options, or
    whether it answered; SKIPPED when not answered."""
    value = answers[variable.name]
    if value is None:
        return results.SKIPPED
    if variable.kind == MULTIPLE:
        return frozenset(value)
    return "__answered__" if variable.kind == NUMBER else value


def _possible_cells(variable) -> list:
    if variable.kind == MULTIPLE:
        x, y = variable.codes
        patterns = [frozenset(), frozenset([x]), frozenset([y]), frozenset([x, y])]
        return [*patterns, results.SKIPPED]
    if variable.kind == NUMBER:
        return ["__answered__", results.SKIPPED]
    return [*variable.codes, results.SKIPPED]


def _counted(variable, column, cell) -> bool:
    if column == "total":
        return True
    if column == results.SKIPPED or variable.kind != MULTIPLE:
        return cell == column
    return cell != results.SKIPPED and column in cell


def _equations(variable, split, table: dict, finest) -> list:
    """Each number of a served table (``as_dict``) as (which finest cells it sums, its value
    or None where hidden). A finest cell is (gender, answer to q, cell of the variable)."""
    dimension = SPLITS[split][0].key if SPLITS[split] else None
    names = {"gender": 0, "q": 1}
    lines = [(row["group"], row["counts"], row["total"]) for row in table["rows"]]
    if dimension:
        lines.append(({}, table["column_totals"], table["total"]))
    found = []
    for group, counts, total in lines:
        wanted = {names[key]: value for key, value in group.items()}
        columns = [column["value"] for column in table["columns"]]
        for column, count in zip([*columns, "total"], [*counts, total], strict=True):
            vector = [
                int(
                    all(key[i] == v for i, v in wanted.items())
                    and _counted(variable, column, key[2])
                )
                for key in finest
            ]
            found.append((vector, count))
    return found


def one_population_leaks(rows, *, n) -> list:
    """The hidden numbers of one population's tables of a question (without split, by gender,
    by the answers to q) that the numbers shown in all of them fix exactly (linear algebra
    over the counts of the finest cells), with their values."""
    frame = _frame(rows)
    answers = [{"kjonn": g, "q": q, "act": act, "num": num} for _p, g, q, act, num in rows]
    found = []
    for i, variable in enumerate(VARIABLES[1:], start=1):
        # Every cell the tables could count in, not only those the data fill: a reader does
        # not know which are empty.
        finest = [
            (gender, q, cell)
            for gender in ["1", "2", "3", None]
            for q in ["a", "b", "c", None]
            for cell in _possible_cells(variable)
        ]
        value = {key: 0 for key in finest}
        for a in answers:
            value[(a["kjonn"], a["q"], _cell(variable, a))] += 1
        equations = []
        for split in ONE_POPULATION_SPLITS:
            table = results.tables(frame, VARIABLES, SPLITS[split], n=n)[i].as_dict()
            equations += [
                (split, *equation) for equation in _equations(variable, split, table, finest)
            ]
        shown = np.array(
            [vector for _s, vector, count in equations if count is not None] or [[0] * len(finest)]
        )
        rank = np.linalg.matrix_rank(shown)
        for split, vector, count in equations:
            if count is None and np.linalg.matrix_rank(np.vstack([shown, vector])) == rank:
                worth = sum(v * value[key] for v, key in zip(vector, finest, strict=True))
                found.append((variable.name, split, vector, worth))
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=responses, n=st.sampled_from([3, 5]))
def test_no_number_hidden_in_one_populations_tables_follows_from_those_shown_in_all(rows, n):
    assert [leak for leak in one_population_leaks(rows, n=n) if leak[-1]] == []


# --- A question every municipality hides: its national table shows nothing, not zeros ------------

EVERY_ONE_HIDES = (
    [(1, "1", "a", ["x"], 1)] * 12  # 12 girls and
    + [(1, "2", "a", ["x"], 1)] * 3  # 3 boys in one municipality,
    + [(2, "1", "b", ["y"], 2)] * 7  # 7 girls and
    + [(2, "2", "b", ["y"], 2)] * 2  # 2 boys in the other
)


@pytest.mark.parametrize("split", ["none", "gender"])
def test_a_question_every_municipality_hides_is_hidden_whole_nationally(split):
    national, respondents = results.linked_tables(
        _frame(EVERY_ONE_HIDES), VARIABLES, SPLITS[split], n=5
    )
    assert respondents == 24
    gender = national[0]
    served = gender.as_dict()
    # 24 answered: not one number, and no 0 that reads as "nobody".
    assert gender.all_too_few and gender.left_out
    assert served["too_few"] and served["note"] == "for få svar"
    assert served["total"] is None and set(served["column_totals"]) == {None}
    assert all(count is None for row in served["rows"] for count in row["counts"])
    assert all(row["total"] is None for row in served["rows"])
    if split == "none":
        assert all(row["count"] is None for row in gender.frequency_rows)
    # Nothing under n follows from any subtraction with the tables by municipality.
    assert _all_leaks(EVERY_ONE_HIDES, split, n=5, protect=_linked) == []


def test_a_wave_of_only_small_municipalities_says_too_few_not_zero():
    rows = [(1, "1", "a", [], 1)] * 3 + [(2, "2", "b", [], 2)] * 4
    national, respondents = results.linked_tables(_frame(rows), VARIABLES, (), n=5)
    assert respondents == 0  # hidden below n by wave_tables: suppress_total(0) is 0, see there
    assert all(t.all_too_few and t.total is None for t in national)


@pytest.mark.django_db
def test_the_results_page_says_too_few_for_a_question_every_municipality_hides(
    client, personas, _files
):
    _survey, (wave,) = make_survey(personas.researcher)
    add_responses(wave, personas.arendal, 12, kjonn="1")
    add_responses(wave, personas.arendal, 3, kjonn="2")
    add_responses(wave, personas.sola, 7, kjonn="1")
    add_responses(wave, personas.sola, 2, kjonn="2")
    client.force_login(personas.researcher)
    url = reverse("surveys:wave_results", args=[wave.pk])
    for query in ("?sporsmal=kjonn", "?sporsmal=trinn&by=gender"):
        response = client.get(url + query)
        assert response.status_code == 200
        (table,) = response.context["tables"]
        assert table.all_too_few
        html = response.content.decode()
        section = html[html.index('class="site-stack results-question"') :]
        assert "For få svar" in section or "for få svar" in section
        assert ">0<" not in section and ">0 <" not in section
