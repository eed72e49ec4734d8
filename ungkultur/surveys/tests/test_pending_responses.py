"""A sent response waits until its group is large enough, then moves into Response with its group.

On PostgreSQL every row carries the id of the transaction that wrote it (``xmin``). Sending marks
the code used; if the same transaction stored the response, a join on ``xmin`` would tie each
response to its code's batch (school, class) and order the responses by time (docs/privacy.md).
"""

import threading

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, connections

from ungkultur.surveys import services
from ungkultur.surveys.models import AccessCode, PendingResponse, Response
from ungkultur.surveys.tests.factories import (
    GOOD_ANSWERS,
    NOW,
    TODAY,
    make_questionnaire,
    open_wave,
)

N = 5  # UNGKULTUR_DISCLOSURE_MIN_N in these tests


@pytest.fixture(autouse=True)
def min_n(settings):
    settings.UNGKULTUR_DISCLOSURE_MIN_N = N


@pytest.fixture
def wave(personas):
    return open_wave(personas.researcher, make_questionnaire(personas.researcher))


def _codes(wave, municipality, count, class_label=""):
    _batch, codes = services.code_batch_create(
        actor=None,
        wave=wave,
        municipality=municipality,
        count=count,
        class_label=class_label,
        now=NOW,
    )
    return codes


def _send(wave, code, age=14):
    return services.response_submit(
        wave=wave, answers={**GOOD_ANSWERS, "alder": age}, code=code, today=TODAY
    )


def _ages(queryset):
    return sorted(answers["alder"] for answers in queryset.values_list("answers", flat=True))


def test_a_sent_response_waits_and_is_no_response_until_it_is_moved(personas, wave):
    (code,) = _codes(wave, personas.arendal, 1)
    sent = _send(wave, code)
    assert PendingResponse.objects.get().pk == sent.pk
    assert not Response.objects.exists()
    # Alone in its group: an ordinary move leaves it waiting.
    assert services.pending_responses_move(wave_id=wave.pk) == 0
    assert not Response.objects.exists()
    assert services.pending_responses_move(wave_id=wave.pk, leftovers=True) == 1
    stored = Response.objects.get()
    assert not PendingResponse.objects.exists()
    assert stored.pk != sent.pk  # a new random id: the pending one may have been seen
    assert (stored.wave, stored.municipality, stored.submitted_on, stored.channel) == (
        wave,
        personas.arendal,
        TODAY,
        Response.Channel.CODE,
    )
    assert stored.answers == sent.answers


def test_the_send_that_makes_a_group_of_n_moves_the_group_after_commit(
    personas, wave, django_capture_on_commit_callbacks
):
    arendal = _codes(wave, personas.arendal, N)
    (sola,) = _codes(wave, personas.sola, 1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for age, code in enumerate(arendal[:-1], start=10):
            _send(wave, code, age)
        _send(wave, sola)
    assert not callbacks  # no group has n yet: sending enqueues nothing
    assert PendingResponse.objects.count() == N
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _send(wave, arendal[-1], 20)
    assert len(callbacks) == 1  # the move, run at once by the tests' task backend
    assert _ages(Response.objects.filter(municipality=personas.arendal)) == [10, 11, 12, 13, 20]
    # Sola's one response waits for more from Sola.
    assert list(PendingResponse.objects.values_list("municipality", flat=True)) == [
        personas.sola.pk
    ]


def test_code_and_open_link_responses_are_separate_groups(personas, wave):
    link = services.open_link_create(
        actor=None, wave=wave, municipality=personas.arendal, label="UKM", now=NOW
    )
    for code in _codes(wave, personas.arendal, N - 1):
        _send(wave, code)
    for _ in range(N):
        services.response_submit(wave=wave, answers=GOOD_ANSWERS, open_link=link, today=TODAY)
    assert services.pending_responses_move(wave_id=wave.pk) == N
    # The four code responses are not hidden among open-link ones (a code batch would point
    # at them by channel); they wait.
    assert set(Response.objects.values_list("channel", flat=True)) == {"open_link"}
    assert set(PendingResponse.objects.values_list("channel", flat=True)) == {"code"}


def test_a_wave_that_closes_moves_what_is_left(personas, wave, django_capture_on_commit_callbacks):
    for code in _codes(wave, personas.arendal, 2):
        _send(wave, code)
    with django_capture_on_commit_callbacks(execute=True):
        services.wave_close(actor=personas.researcher, wave=wave, now=NOW)
    assert Response.objects.filter(wave=wave).count() == 2
    assert not PendingResponse.objects.exists()


def test_the_hourly_command_moves_groups_of_n_and_all_of_a_wave_past_its_closing_date(
    personas, wave
):
    # Sent without running the enqueued move (as if the task was lost).
    for code in _codes(wave, personas.arendal, N):
        _send(wave, code)
    (sola,) = _codes(wave, personas.sola, 1)
    _send(wave, sola)
    call_command("purge_survey_drafts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Response.objects.count() == N
    assert PendingResponse.objects.count() == 1  # the wave is open: Sola's one waits
    wave.closes_on = TODAY
    wave.save(update_fields=["closes_on"])
    call_command("purge_survey_drafts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # The command runs today (the real date), after the wave's closing date.
    assert Response.objects.count() == N + 1
    assert not PendingResponse.objects.exists()


def test_the_move_stores_the_group_in_an_order_unrelated_to_sending(personas, wave, monkeypatch):
    ages = list(range(10, 26))  # sixteen responses told apart by age
    for age, code in zip(ages, _codes(wave, personas.arendal, len(ages)), strict=True):
        _send(wave, code, age)
    by_pending_id = [
        a["alder"] for a in PendingResponse.objects.order_by("pk").values_list("answers", flat=True)
    ]
    inserted = []
    real = Response.objects.bulk_create

    def spy(objs, **kwargs):
        inserted.extend(o.answers["alder"] for o in objs)
        return real(objs, **kwargs)

    monkeypatch.setattr(Response.objects, "bulk_create", spy)
    assert services.pending_responses_move(wave_id=wave.pk) == len(ages)
    assert sorted(inserted) == ages
    # Neither the order sent nor the order the waiting rows are read in (by id on SQLite, on
    # disk on PostgreSQL): each by chance one in 16! (2 * 10**13).
    assert inserted != ages
    assert inserted != by_pending_id


def test_a_move_that_fails_part_way_moves_nothing_and_loses_nothing(personas, wave, monkeypatch):
    for age, code in enumerate(_codes(wave, personas.arendal, N + 1), start=10):
        _send(wave, code, age)
    taken = Response.objects.create(
        id=services._response_id(),
        wave=wave,
        municipality=personas.sola,
        submitted_on=TODAY,
        channel=Response.Channel.IMPORT,
    )
    # Row by row, and the last row's id clashes with a stored response: the first rows are
    # written before the database refuses.
    ids = iter([services._response_id() for _ in range(N)] + [taken.pk])
    monkeypatch.setattr(services, "_response_id", lambda: next(ids))
    real = Response.objects.bulk_create
    monkeypatch.setattr(
        Response.objects, "bulk_create", lambda objs, **kwargs: real(objs, batch_size=1)
    )
    with pytest.raises(IntegrityError):
        services.pending_responses_move(wave_id=wave.pk)
    assert list(Response.objects.all()) == [taken]
    assert _ages(PendingResponse.objects.all()) == list(range(10, 10 + N + 1))


def test_a_second_move_finds_nothing_to_move(personas, wave):
    for code in _codes(wave, personas.arendal, N):
        _send(wave, code)
    assert services.pending_responses_move(wave_id=wave.pk) == N
    assert services.pending_responses_move(wave_id=wave.pk, leftovers=True) == 0
    assert Response.objects.count() == N


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("xmin and row locks are PostgreSQL's; SQLite has neither")


def _xmins(model):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {model._meta.db_table}")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_no_response_shares_a_transaction_id_with_a_code_and_a_group_shares_one(personas):
    _postgresql_only()
    wave = open_wave(personas.researcher, make_questionnaire(personas.researcher))
    first = _codes(wave, personas.arendal, 2 * N, class_label="9A")
    second = _codes(wave, personas.sola, N, class_label="9B")
    # Arendal's class fills two groups of N; each move runs after its send commits.
    for age, code in enumerate(first + second, start=10):
        _send(wave, code, age % 26)
    assert not PendingResponse.objects.exists()
    code_xmins = set(_xmins(AccessCode))
    response_xmins = _xmins(Response)
    assert len(response_xmins) == 3 * N
    assert not code_xmins & set(response_xmins)
    # Three moves, N responses each, each move one transaction.
    assert sorted(response_xmins.count(x) for x in set(response_xmins)) == [N, N, N]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xmin::text, answers->'alder' FROM surveys_response ORDER BY ctid"  # on disk
        )
        on_disk = [(xmin, int(age)) for xmin, age in cursor.fetchall()]
    for xmin in set(response_xmins):
        group = [age for x, age in on_disk if x == xmin]
        assert len(group) == N
    # Not in the order sent (by chance one in 5!**3, about 1.7 million).
    assert [age for _x, age in on_disk] != [(10 + i) % 26 for i in range(3 * N)]


@pytest.mark.django_db(transaction=True)
def test_two_moves_at_once_move_each_response_exactly_once(personas, settings):
    _postgresql_only()
    settings.UNGKULTUR_DISCLOSURE_MIN_N = 40  # no move while sending
    wave = open_wave(personas.researcher, make_questionnaire(personas.researcher))
    for age, code in enumerate(_codes(wave, personas.arendal, 20)):
        _send(wave, code, 10 + age % 16)
    barrier, moved, errors = threading.Barrier(2), [], []

    def move():
        try:
            barrier.wait()
            moved.append(services.pending_responses_move(wave_id=wave.pk, leftovers=True))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=move) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(moved) == 20
    assert Response.objects.filter(wave=wave).count() == 20
    assert not PendingResponse.objects.exists()
    assert sorted(moved) == [0, 20]  # one took them all; the other waited, then found none
    assert len(set(_xmins(Response))) == 1
