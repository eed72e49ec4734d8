"""Nothing links an answer to a person (docs/privacy.md).

A respondent answers a whole survey with a code, logged in and not; then every table, the
session table, the cache and the request log are searched for anything that ties the stored
response (or the answers in progress) to the code, its batch, the account or a time of day.
"""

import re

import pytest
import segno
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.signals import request_started
from django.db import models
from django.urls import reverse
from django.views.debug import ExceptionReporter

from ungkultur.surveys import services, views_answer
from ungkultur.surveys.models import (
    AccessCode,
    AccessCodeBatch,
    PendingResponse,
    Response,
    Section,
    WaveProgress,
)
from ungkultur.surveys.tests.factories import NOW, make_questionnaire, open_wave, question

START = reverse("surveys:answer_start")
SEND = reverse("surveys:answer_send")
# A free-text answer: found nowhere but in the stored response (and its draft while answering).
MARK = "Et øvingsrom for bandet Zyxqvörn"
ANSWERS = {
    "kjonn": "1",
    "alder": "15",
    "kulturskole_ar": "3",
    "fag": "Fiolin",
    "fornoyd": "4",
    "onske": MARK,
}


@pytest.fixture
def wave(personas):
    questionnaire = make_questionnaire(personas.researcher)
    # A page shown only to kulturskole pupils: which pages a respondent sees tells an answer.
    section = services.section_save(
        actor=personas.researcher,
        section=Section(
            questionnaire=questionnaire,
            name="kulturskolen",
            label_nb="Kulturskolen",
            relevant="${kulturskole} = '1'",
        ),
        now=NOW,
    )
    question(personas.researcher, section, "fag", "short_text", "Hvilket fag?")
    return open_wave(personas.researcher, questionnaire)


@pytest.fixture
def codes(personas, wave):
    _batch, codes = services.code_batch_create(
        actor=personas.teacher_a,
        wave=wave,
        municipality=personas.arendal,
        count=3,
        school="Stintajuvet skole",
        class_label="9B",
        now=NOW,
    )
    return codes


@pytest.fixture
def requests_seen():
    """Every address the server is asked for, as a request log or a proxy would record it."""
    seen = []

    def record(sender, environ, **kwargs):
        query = environ.get("QUERY_STRING", "")
        seen.append(environ["PATH_INFO"] + (f"?{query}" if query else ""))

    request_started.connect(record)
    yield seen
    request_started.disconnect(record)


def _answer(client, code, *, kulturskole, before_sending=None):
    """Answer like a browser: each form is posted to the page it is on, until the send page."""
    client.get(START)
    response = client.post(START, {"code": code, "language": "nb"}, follow=True)
    for _step in range(10):
        if response.request["PATH_INFO"] == SEND:
            break
        assert response.status_code == 200, response.content.decode()
        response = client.post(
            response.request["PATH_INFO"],
            {**ANSWERS, "kulturskole": kulturskole},
            follow=True,
        )
    else:
        pytest.fail("the send page was never reached")
    if before_sending:
        before_sending()
    response = client.post(SEND, follow=True)
    assert "Takk for svarene!" in response.content.decode()


def _rows():
    """(model, text) for every row of every table; a session with its data decoded."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for obj in model._default_manager.all():
            values = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
            if isinstance(obj, Session):
                values["session_data"] = obj.get_decoded()
            yield model, obj.pk, repr(values)


def _snapshot():
    return {(model, pk): text for model, pk, text in _rows()}


def _cache_texts():
    for cache in caches.all(initialized_only=True):
        store = getattr(cache, "_cache", None)
        assert store is not None, f"cannot search the cache {cache!r}"
        for key, value in store.items():
            yield key.encode() + b" " + value


def _secrets(code, user=None):
    """What must not stand beside an answer: the code in any spelling, its hash, the account."""
    normal = services.code_normalise(code)
    found = [code, normal, normal.lower(), services.code_hash(code)]
    if user is not None:
        found += [user.email, user.get_username()]
    return found


def _assert_nothing_ties_the_response_to_a_person(before, code, user=None):
    # Sent, the response waits in PendingResponse; moved, it is a Response (services).
    _assert_only_the_stored_row_holds_the_answers(before, code, user, stored_in=PendingResponse)
    (wave_id,) = PendingResponse.objects.values_list("wave_id", flat=True)
    assert services.pending_responses_move(wave_id=wave_id, leftovers=True) == 1
    _assert_only_the_stored_row_holds_the_answers(before, code, user, stored_in=Response)


def _assert_only_the_stored_row_holds_the_answers(before, code, user, *, stored_in):
    stored = stored_in.objects.get()
    after = _snapshot()
    changed = {key for key, text in after.items() if before.get(key) != text}
    # The response is new; the code is marked used; the wave's count of starts is one more;
    # nothing else is written or left behind (no draft, no audit row, no task row, no session
    # data).
    assert {model for model, _pk in changed} == {stored_in, AccessCode, WaveProgress}
    (progress,) = [
        WaveProgress.objects.get(pk=pk) for model, pk in changed if model is WaveProgress
    ]
    assert (progress.kind, progress.page) == ("started", 0)
    assert {f.name for f in WaveProgress._meta.concrete_fields} == {
        "id",
        "wave",
        "kind",
        "page",
        "count",
    }
    (code_key,) = [key for key in changed if key[0] is AccessCode]
    used = AccessCode.objects.get(pk=code_key[1])
    assert used.used and not any(
        f.is_relation and f.related_model is stored_in for f in AccessCode._meta.get_fields()
    )
    assert {f.name for f in stored_in._meta.concrete_fields} == {
        "id",
        "wave",
        "municipality",
        "submitted_on",
        "channel",
        # The language the pages were in (nb, nn, en): a research column, not a link to
        # anyone (docs/privacy.md says where it may stand out).
        "language",
        "answers",
    }
    assert not any(
        isinstance(f, models.DateTimeField | models.TimeField) for f in stored_in._meta.fields
    )
    # Only the response row holds the answers, and nothing else names the response.
    for (model, _pk), text in after.items():
        if model is stored_in:
            assert not any(secret in text for secret in _secrets(code, user))
            continue
        assert MARK not in text, model
        assert str(stored.pk) not in text, model
        assert services.code_normalise(code) not in text, model
        if model is not AccessCode:
            assert services.code_hash(code) not in text, model
    for text in _cache_texts():
        assert MARK.encode() not in text
        assert str(stored.pk).encode() not in text
        assert not any(secret.encode() in text for secret in _secrets(code, user))


def _assert_no_answer_in_progress_stands_beside_a_person(code, user=None):
    """While answering: whatever holds the answers holds neither the code nor the account."""
    holders = [(model, text) for model, _pk, text in _rows() if MARK in text]
    assert holders, "the answers in progress are kept somewhere"
    for model, text in holders:
        assert not any(secret in text for secret in _secrets(code, user)), model
        linked = {f.related_model for f in model._meta.get_fields() if f.is_relation}
        assert not linked & {apps.get_model("accounts", "User"), AccessCode, AccessCodeBatch}
    for model, _pk, text in _rows():
        if model is Session:
            assert MARK not in text
            assert services.code_hash(code) not in text


@pytest.mark.django_db
def test_an_anonymous_respondent_leaves_nothing_that_ties_the_response_to_the_code(client, codes):
    before = _snapshot()
    _answer(
        client,
        codes[0],
        kulturskole="1",
        before_sending=lambda: _assert_no_answer_in_progress_stands_beside_a_person(codes[0]),
    )
    _assert_nothing_ties_the_response_to_a_person(before, codes[0])


@pytest.mark.django_db
def test_a_logged_in_respondent_leaves_nothing_that_ties_the_response_to_the_account(
    client, personas, codes
):
    user = personas.youth_a
    client.force_login(user)
    before = _snapshot()
    _answer(
        client,
        codes[1],
        kulturskole="1",
        before_sending=lambda: _assert_no_answer_in_progress_stands_beside_a_person(codes[1], user),
    )
    _assert_nothing_ties_the_response_to_a_person(before, codes[1], user)
    session = Session.objects.get().get_decoded()
    assert not any(key.startswith("surveys") for key in session)


@pytest.mark.django_db
def test_no_code_and_no_answer_shows_in_the_addresses_requested(
    client, codes, requests_seen, caplog
):
    caplog.set_level("DEBUG", logger="django.request")
    caplog.set_level("DEBUG", logger="django.server")
    client.post(START, {"code": "ZZZZZ-ZZZZZ", "language": "nb"})  # a typo is logged as a 400
    _answer(client, codes[0], kulturskole="1")
    with_yes = set(requests_seen)
    requests_seen.clear()
    _answer(client, codes[1], kulturskole="2")
    with_no = set(requests_seen)
    for url in with_yes | with_no:
        assert "?" not in url
        for code in codes:
            assert not any(secret.lower() in url.lower() for secret in _secrets(code))
    # The same addresses whatever the answers: "Ja" opens no page that "Nei" does not.
    assert with_yes == with_no
    for code in codes:
        assert services.code_normalise(code) not in caplog.text.upper()


@pytest.mark.django_db
def test_the_qr_code_carries_the_code_in_the_fragment_which_is_never_sent(client, personas, wave):
    client.force_login(personas.teacher_a)
    response = client.post(
        reverse("surveys:batch_create", args=[wave.pk]),
        {"municipality": personas.arendal.pk, "count": "1", "school": "", "class_label": ""},
    )
    (code,) = client.session["surveys.print_codes"]["codes"]
    text = client.get(response.url).content.decode()
    address = f"http://testserver{START}#kode={code}"
    assert segno.make(address, error="m").svg_inline(scale=3, border=2) in text


@pytest.mark.django_db
def test_an_old_qr_address_with_the_code_in_the_query_moves_it_to_the_fragment(client):
    response = client.get(START + "?kode=ABCDE-23456")
    assert response.status_code == 302
    assert response.url == START + "#kode=ABCDE-23456"
    # The start page fills the code in from the fragment with a script of its own (CSP).
    text = client.get(START).content.decode()
    assert re.search(r'<script src="[^"]*surveys/answer_start\.js" defer>', text)


@pytest.mark.django_db
def test_an_error_report_shows_neither_the_answers_nor_the_code(client, codes, caplog, monkeypatch):
    client.raise_request_exception = False
    client.post(START, {"code": codes[0], "language": "nb"})
    client.post(reverse("surveys:answer_page"), {"kjonn": "1", "kulturskole": "2"})

    def fail(*args, **kwargs):  # a bug, as it would reach an error report
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "page_clean", fail)
    response = client.post(reverse("surveys:answer_page"), {"onske": MARK, "fornoyd": "4"})
    assert response.status_code == 500
    (record,) = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    report = ExceptionReporter(record.request, *record.exc_info).get_traceback_text()
    assert "a bug" in report and "onske" in report  # the report is there, the values are not
    assert MARK not in report
    assert client.cookies[views_answer.COOKIE].value not in report
    assert not any(secret in report for secret in _secrets(codes[0]))
