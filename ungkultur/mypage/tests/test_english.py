"""In English, dates read "Tuesday 8 December 2026" / "8 December" (never "8. December") and
money one way ("2,200 kr"); Norwegian pages keep "8. desember" (ungkultur/formats/)."""

import datetime
import importlib
import re
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from ungkultur.catalogue.models import Offer
from ungkultur.participation.models import BudgetRound, Proposal

pytestmark = pytest.mark.django_db
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
NOW = datetime.datetime(2026, 12, 5, 12, 0, tzinfo=OSLO)
MONTHS = "(January|February|March|April|May|June|July|August|September|October|November|December)"
NORWEGIAN_STYLE = re.compile(rf"\d\. {MONTHS}")
MONTHS_FIRST = re.compile(rf"{MONTHS} \d{{1,2}}(?!\d)")  # the American "December 8, 2026"


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_every_language_names_every_date_format():
    names = {
        name
        for name in dir(importlib.import_module("ungkultur.formats.nb.formats"))
        if name.endswith("_FORMAT")
    }
    for language in ("nn", "en"):
        module = importlib.import_module(f"ungkultur.formats.{language}.formats")
        assert names <= set(dir(module)), language


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", "tirsdag 8. desember 2026"),
        ("nn", "tysdag 8. desember 2026"),
        ("en", "Tuesday 8 December 2026"),
    ],
)
def test_a_weekday_date_in_each_language(language, expected):
    with translation.override(language):
        assert date_format(datetime.date(2026, 12, 8), "WEEKDAY_DATE_FORMAT") == expected


@pytest.fixture
def vote_and_proposal(personas):
    BudgetRound.objects.create(
        municipality=personas.arendal,
        title="Ungdomsbudsjett Arendal",
        amount=100_000,
        propose_opens=NOW - datetime.timedelta(days=40),
        propose_closes=NOW - datetime.timedelta(days=20),
        vote_opens=NOW - datetime.timedelta(days=2),
        vote_closes=datetime.datetime(2026, 12, 8, 18, 0, tzinfo=OSLO),
    )
    return Proposal.objects.create(
        municipality=personas.arendal,
        author=personas.youth_member_a,
        title="Åpen scene",
        text="Vi vil ha en åpen scene.",
        category="music",
        status="submitted",
        submitted_at=NOW,
        answer_due=datetime.date(2027, 1, 4),
    )


@time_machine.travel(NOW, tick=False)
def test_english_pages_write_dates_the_english_way(client, personas, vote_and_proposal):
    in_english(client).force_login(personas.youth_a)
    pages = {
        "say": reverse("mypage:say"),
        "proposal": reverse("participation:proposal_detail", args=[vote_and_proposal.pk]),
        "municipality": reverse("organisations:municipality_detail", args=["4203"]),
        "my page": reverse("mypage:index"),
    }
    texts = {name: client.get(url).text for name, url in pages.items()}
    for name, text in texts.items():
        assert '<html lang="en"' in text, name
        assert not NORWEGIAN_STYLE.search(text), (name, NORWEGIAN_STYLE.search(text))
        assert not MONTHS_FIRST.search(text), (name, MONTHS_FIRST.search(text))
    assert "8 December at 18:00" in texts["say"]
    assert "5 December 2026" in texts["proposal"] and "4 January 2027" in texts["proposal"]


@time_machine.travel(NOW, tick=False)
def test_norwegian_pages_keep_the_norwegian_dates(client, personas, vote_and_proposal):
    client.force_login(personas.youth_a)
    assert "8. desember kl. 18:00" in client.get(reverse("mypage:say")).text
    text = client.get(reverse("participation:proposal_detail", args=[vote_and_proposal.pk])).text
    assert "5. desember 2026" in text and "4. januar 2027" in text


def test_english_money_is_written_one_way(client, personas):
    offer = personas.a.workshop
    Offer.objects.filter(pk=offer.pk).update(price=2200, reduced_price=1100)
    client = in_english(client)
    client.force_login(personas.youth_a)
    for url in (
        reverse("catalogue:offer_detail", args=[offer.pk]),
        reverse("enrolment:join", args=[offer.pk]),
    ):
        text = client.get(url).text
        assert "2,200 kr" in text, url
        assert "1,100 kr" in text, url
        assert "NOK" not in text, url


@time_machine.travel(NOW, tick=False)
def test_the_thank_you_for_a_proposal_names_the_answer_day_in_the_page_s_language(client, personas):
    client.force_login(personas.youth_a)
    data = {"title": "Mer musikk", "text": "Et øvingsrom.", "category": "music"}
    response = client.post(reverse("participation:proposal_new", args=["4203"]), data, follow=True)
    assert response.status_code == 200
    answer_due = Proposal.objects.get(title="Mer musikk").answer_due
    with translation.override("nb"):
        assert date_format(answer_due, "DATE_FORMAT") in response.text
    assert ". januar 2027" in response.text or ". desember 2026" in response.text
