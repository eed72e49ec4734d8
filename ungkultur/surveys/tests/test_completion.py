"""Completion statistics: started, sent and where people stopped, as counts only and under
the disclosure rules (issue 20, docs/privacy.md)."""

import datetime

import pytest
from django.urls import reverse

from ungkultur.surveys import services
from ungkultur.surveys.models import AnswerDraft, WaveProgress
from ungkultur.surveys.selectors import wave_completion
from ungkultur.surveys.tests.factories import NOW, make_questionnaire, open_wave

START = reverse("surveys:answer_start")
PAGE = reverse("surveys:answer_page")
SEND = reverse("surveys:answer_send")
PAGE_ONE = {"kjonn": "1", "alder": "15", "kulturskole": "2"}
PAGE_TWO = {"fornoyd": "4", "moteplass_inne": "2", "onske": "Mer band"}


@pytest.fixture
def wave(personas):
    return open_wave(personas.researcher, make_questionnaire(personas.researcher))


@pytest.fixture
def codes(personas, wave):
    _batch, codes = services.code_batch_create(
        actor=personas.teacher_a, wave=wave, municipality=personas.arendal, count=20, now=NOW
    )
    return codes


def _respondent(client_class, code, pages):
    client = client_class()
    client.post(START, {"code": code, "language": "nb"})
    for page in pages:
        client.post(PAGE, page)
    return client


def test_starts_sends_and_stops_are_counted_by_page_and_nothing_else(client, personas, wave, codes):
    cls = type(client)
    for code in codes[:6]:  # six send
        _respondent(cls, code, [PAGE_ONE, PAGE_TWO]).post(SEND)
    for code in codes[6:11]:  # five stop on page 2 and give up ("Slett svarene")
        _respondent(cls, code, [PAGE_ONE]).post(reverse("surveys:answer_forget"))
    for code in codes[11:13]:  # two stop on page 1 and are purged a day later
        _respondent(cls, code, [])
    services.answer_draft_purge(
        now=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2)
    )
    assert not AnswerDraft.objects.exists()
    rows = {(r.kind, r.page): r.count for r in WaveProgress.objects.filter(wave=wave)}
    assert rows == {("started", 0): 13, ("stopped", 1): 5, ("stopped", 0): 2}
    # The counters hold counts only: no draft, code, time or answer.
    assert {f.name for f in WaveProgress._meta.fields} == {"id", "wave", "kind", "page", "count"}
    completion = wave_completion(wave, n=5)
    assert (completion["started"], completion["sent"]) == (13, 6)
    stopped = [(r["label"], r["count"], r["hidden"]) for r in completion["stopped"]]
    # Two on page 1 is under 5: hidden; the one other non-zero count is hidden too, or the
    # two could be worked out from started − sent.
    assert stopped == [
        ("Om deg", None, "færre enn 5"),
        ("Kultur der du bor", None, "skjult"),
        ("Oversikten før innsending", 0, None),
    ]


def test_the_wave_page_shows_completion_to_the_whole_wave_s_roles_only(
    client, personas, wave, codes
):
    cls = type(client)
    for code in codes[:5]:
        _respondent(cls, code, [PAGE_ONE, PAGE_TWO]).post(SEND)
    url = reverse("surveys:wave_detail", args=[wave.pk])
    client.force_login(personas.researcher)
    text = client.get(url).content.decode()
    assert "Gjennomføring" in text and "Stoppet uten å sende" in text
    client.force_login(personas.teacher_a)  # one municipality's staff: not the whole wave
    assert "Gjennomføring" not in client.get(url).content.decode()


def test_a_preview_counts_nothing(client, personas):
    questionnaire = make_questionnaire(personas.researcher)
    client.force_login(personas.researcher)
    client.post(reverse("surveys:answer_preview", args=[questionnaire.pk]), {"language": "nb"})
    client.post(reverse("surveys:answer_forget"))
    assert not WaveProgress.objects.exists()
