import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from ungkultur.enrolment.models import Enrolment
from ungkultur.indicators.engine import Value, finalise
from ungkultur.indicators.models import IndicatorRun, IndicatorValue
from ungkultur.indicators.selectors import dashboard_values
from ungkultur.indicators.services import computed_key, indicators_refresh
from ungkultur.indicators.tests.data import at, build
from ungkultur.lib.terms import Term, term_range

TERMS = term_range(Term.parse("2023H"), Term.parse("2024H"))
NOW = at(2025, 1, 15)


def test_a_figure_resting_on_fewer_than_n_people_is_hidden():
    raw = {
        (1, "2024V", "participation.club", ""): (4, 1000),
        (1, "2024V", "retention.club", ""): (4, 4),
        (1, "2024V", "participation.kulturskole", ""): (5, 1000),
        (1, "2024V", "waiting", ""): (0, None),
    }
    values = finalise(raw, min_n=5)
    assert values[(1, "2024V", "participation.club", "")] == Value(None, None, None, 0, True)
    assert values[(1, "2024V", "retention.club", "")].suppressed
    assert values[(1, "2024V", "participation.kulturskole", "")] == Value(5, 1000, 0.5, 5, False)
    # Zero rests on no one: shown.
    assert values[(1, "2024V", "waiting", "")] == Value(0, None, 0.0, 0, False)


def test_retention_rests_on_the_cohort_not_on_those_retained():
    values = finalise({(1, "2024V", "retention.club", ""): (2, 40)}, min_n=5)
    assert values[(1, "2024V", "retention.club", "")].value == 5.0


def test_secondary_suppression_hides_a_second_cell_where_the_total_is_shown():
    key = "participation.kulturskole"
    raw = {
        (1, "2024V", key, ""): (30, 1000),
        (1, "2024V", key, "gender=female"): (18, 500),
        (1, "2024V", key, "gender=male"): (9, 500),
        (1, "2024V", key, "gender=other"): (3, None),
        (1, "2024V", key, "age=13"): (30, 100),
    }
    values = finalise(raw, min_n=5)
    assert values[(1, "2024V", key, "gender=other")].suppressed
    # Otherwise 30 − 18 − 9 would give the hidden 3 away: the smallest other cell goes too.
    assert values[(1, "2024V", key, "gender=male")].suppressed
    assert values[(1, "2024V", key, "gender=female")].value == 3.6
    assert values[(1, "2024V", key, "age=13")].value == 30.0
    assert values[(1, "2024V", key, "")].value == 3.0


@pytest.mark.django_db
def test_refresh_stores_published_values_and_the_run(settings):
    settings.UNGKULTUR_DISCLOSURE_MIN_N = 3
    k = build()
    run = indicators_refresh(municipality=k.kongsberg, terms=TERMS, now=NOW)
    assert run.engine == "sql"
    assert (run.first_term, run.last_term) == ("2023H", "2024H")
    stored = IndicatorValue.objects.get(
        municipality=k.kongsberg, term="2024V", key="retention.kulturskole", breakdown=""
    )
    assert (stored.numerator, stored.denominator, stored.value, stored.n) == (6, 8, 75.0, 8)
    hidden = IndicatorValue.objects.get(
        municipality=k.kongsberg,
        term="2024V",
        key="dropout.kulturskole",
        breakdown="gender=unknown",
    )
    assert hidden.suppressed
    assert (hidden.value, hidden.numerator, hidden.denominator, hidden.n) == (None, None, None, 0)
    assert not IndicatorValue.objects.filter(municipality=k.arendal).exists()
    assert cache.get(computed_key(k.kongsberg.pk)) is None  # set on commit only


@pytest.mark.django_db
def test_refresh_again_replaces_and_the_dashboard_reads_it(settings):
    settings.UNGKULTUR_DISCLOSURE_MIN_N = 1
    k = build()
    indicators_refresh(municipality=k.kongsberg, terms=TERMS, now=NOW)
    count = IndicatorValue.objects.count()
    later = NOW + datetime.timedelta(hours=1)
    indicators_refresh(municipality=k.kongsberg, terms=TERMS, now=later)
    assert IndicatorValue.objects.count() == count
    data = dashboard_values(k.kongsberg, TERMS)
    assert data.computed_at == later
    assert data.value("retention.kulturskole", "2024V") == 75.0
    assert data.change("participation.club", Term.parse("2024V")) == round(
        100 * 2 / 1980 - 100 * 1 / 1800, 1
    )
    assert [cell.breakdown for cell in data.breakdown("ukm.entries", "2024V", "type")] == [
        "type=media",
        "type=music",
    ]


@pytest.mark.django_db
def test_all_at_once_stores_what_one_at_a_time_stores(settings):
    settings.UNGKULTUR_DISCLOSURE_MIN_N = 2
    k = build()

    def stored(municipality):
        return {
            (v.term, v.key, v.breakdown): (v.value, v.numerator, v.denominator, v.suppressed)
            for v in IndicatorValue.objects.filter(municipality=municipality)
        }

    indicators_refresh(municipality=k.kongsberg, terms=TERMS, now=NOW)
    one = stored(k.kongsberg)
    run = indicators_refresh(terms=TERMS, now=NOW)
    assert run.engine == "duckdb" and run.municipality is None
    assert stored(k.kongsberg) == one
    assert IndicatorRun.objects.count() == 2


@pytest.mark.django_db
def test_a_committed_enrolment_change_refreshes_its_municipality(
    settings, django_capture_on_commit_callbacks
):
    settings.UNGKULTUR_DISCLOSURE_MIN_N = 1
    k = build()
    enrolment = Enrolment.objects.filter(participant=k.h).get()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment.end, enrolment.end_reason, enrolment.status = (
            datetime.date(2024, 2, 1),
            "moved",
            "ended",
        )
        enrolment.save()
    run = IndicatorRun.objects.get()
    assert run.municipality == k.kongsberg
    assert IndicatorValue.objects.filter(municipality=k.kongsberg).exists()
    assert cache.get(computed_key(k.kongsberg.pk)) == run.computed_at.isoformat()


@pytest.mark.django_db
def test_changes_close_together_share_one_refresh(django_capture_on_commit_callbacks):
    from ungkultur.indicators.models import RefreshRequest
    from ungkultur.indicators.signals import enqueue_refresh

    k = build()
    enrolments = list(Enrolment.objects.filter(participant__in=[k.a, k.g]))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for enrolment in enrolments:
            enrolment.save()
    # The immediate task backend would run at once; here a request waiting for the worker (a
    # row in the database every process sees) stops the second.
    RefreshRequest.objects.create(municipality_id=k.kongsberg.pk, requested_at=timezone.now())
    for callback in callbacks:
        callback()
    assert not IndicatorRun.objects.exists()
    enqueue_refresh(k.kongsberg.pk)
    assert not IndicatorRun.objects.exists()
    assert RefreshRequest.objects.count() == 1


@pytest.mark.django_db
def test_a_request_whose_task_was_lost_is_taken_over_after_the_debounce(settings):
    """A request older than the debounce (the worker never took it) no longer stops a refresh;
    the refresh takes the request, so the next change enqueues again."""
    from ungkultur.indicators.models import RefreshRequest
    from ungkultur.indicators.signals import enqueue_refresh

    k = build()
    old = timezone.now() - datetime.timedelta(
        seconds=settings.UNGKULTUR_INDICATOR_REFRESH_DEBOUNCE + 1
    )
    RefreshRequest.objects.create(municipality_id=k.kongsberg.pk, requested_at=old)
    enqueue_refresh(k.kongsberg.pk)
    assert IndicatorRun.objects.get().municipality == k.kongsberg
    assert not RefreshRequest.objects.exists()
    enqueue_refresh(k.kongsberg.pk)
    assert IndicatorRun.objects.count() == 2


@pytest.mark.django_db
def test_the_demo_seed_computes_the_pilots_once():
    from ungkultur.demo.seed_indicators import seed_indicators

    k = build()
    today = datetime.date(2025, 1, 15)
    seed_indicators(municipalities=[k.kongsberg], today=today)
    seed_indicators(municipalities=[k.kongsberg], today=today)
    assert IndicatorRun.objects.get().municipality == k.kongsberg
    assert IndicatorValue.objects.filter(municipality=k.kongsberg, term="2024H").exists()


@pytest.mark.django_db
def test_every_municipality_is_refreshed_before_anyone_has_enrolled():
    """A new installation (`indicators --all` from cron before the first enrolment): the
    national engine's lists of genders and end reasons are empty, not missing."""
    assert not Enrolment.objects.exists()
    run = indicators_refresh(terms=TERMS, now=NOW)
    assert run.engine == "duckdb"
    assert IndicatorValue.objects.filter(key="waiting", breakdown="", value=0).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("everyone", [False, True])
def test_refresh_computes_before_it_holds_the_write_transaction(everyone):
    """On SQLite a transaction holds the one writer from its start (DESIGN: a web request that
    joins an offer waits for it): only the replacing of the stored values is inside it."""
    from django.db import connection

    from ungkultur.municipalities.models import County, Municipality, MunicipalityCode
    from ungkultur.municipalities.reference import load_municipalities

    load_municipalities(County, Municipality, MunicipalityCode)  # emptied by an earlier one
    k = build()
    seen = []

    def spy(execute, sql, params, many, context):
        seen.append((sql.lower(), connection.in_atomic_block))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        indicators_refresh(municipality=None if everyone else k.kongsberg, terms=TERMS, now=NOW)
    reads = [atomic for sql, atomic in seen if "enrolment" in sql and "indicatorvalue" not in sql]
    writes = [atomic for sql, atomic in seen if "indicators_indicator" in sql]
    assert not any(reads)
    assert reads or (everyone and connection.vendor == "postgresql")  # COPY is not wrapped
    assert writes and all(writes)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second_everyone", [False, True])
def test_two_refreshes_at_once_replace_each_other_without_a_duplicate(second_everyone):
    """A refresh task and `indicators --all` (or a second task) at the same moment: the second
    waits for the first to commit, then replaces its rows. Before, on PostgreSQL, the second's
    delete found nothing new to delete and its insert hit the first's rows (UniqueViolation)."""
    import threading

    from django.db import connection

    from ungkultur.indicators import bulk
    from ungkultur.municipalities.models import County, Municipality, MunicipalityCode
    from ungkultur.municipalities.reference import load_municipalities

    if connection.vendor == "sqlite":
        pytest.skip("SQLite's one writer serialises refreshes already; the race is PostgreSQL's")
    load_municipalities(County, Municipality, MunicipalityCode)
    k = build()
    runs = IndicatorRun.objects.count()
    first_wrote, go = threading.Event(), threading.Event()
    errors = []
    write, write_arrow = bulk.Writer.write, bulk.Writer.write_arrow

    def pausing(original):
        def run(self, *args, **kwargs):
            result = original(self, *args, **kwargs)
            if threading.current_thread().name == "first":
                first_wrote.set()
                go.wait(10)
            return result

        return run

    def refresh(everyone):
        try:
            indicators_refresh(municipality=None if everyone else k.kongsberg, terms=TERMS, now=NOW)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    bulk.Writer.write, bulk.Writer.write_arrow = pausing(write), pausing(write_arrow)
    try:
        first = threading.Thread(target=refresh, args=(False,), name="first")
        first.start()
        assert first_wrote.wait(10)
        second = threading.Thread(target=refresh, args=(second_everyone,), name="second")
        second.start()
        second.join(1)  # it waits for the first, which has not committed
        go.set()
        first.join(10)
        second.join(10)
    finally:
        bulk.Writer.write, bulk.Writer.write_arrow = write, write_arrow
        go.set()
    assert errors == []
    assert IndicatorRun.objects.count() == runs + 2
    stored = IndicatorValue.objects.filter(municipality=k.kongsberg)
    assert stored.count() == len({(v.term, v.key, v.breakdown) for v in stored})
