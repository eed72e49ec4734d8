import datetime
import os
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from ungkultur.surveys import selectors as survey_selectors
from ungkultur.testing import make_personas


def pytest_configure(config):
    """UNGKULTUR_TEST_NOW="2026-12-31 23:30" (Oslo time) runs the suite as if started then.

    The clock ticks on from there, in every xdist worker; `make test-clock AT=...` sets it. No
    test may depend on when it runs, so the suite must pass at 00:30, on the nights summer time
    begins and ends, and on 31 December as on any afternoon.
    """
    at = os.environ.get("UNGKULTUR_TEST_NOW")
    if at:
        start = datetime.datetime.fromisoformat(at).replace(tzinfo=zoneinfo.ZoneInfo("Europe/Oslo"))
        config._ungkultur_clock = time_machine.travel(start, tick=True)
        config._ungkultur_clock.start()


def pytest_unconfigure(config):
    clock = getattr(config, "_ungkultur_clock", None)
    if clock is not None:
        clock.stop()


def pytest_report_header(config):
    at = os.environ.get("UNGKULTUR_TEST_NOW")
    return f"clock: started at {at} Europe/Oslo (UNGKULTUR_TEST_NOW)" if at else None


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the catalogue keeps pages there), and without the
    frozen questionnaires the process keeps: they are keyed by id and freeze time, which a test
    database that rolls back and a frozen clock give again to another questionnaire."""
    cache.clear()
    survey_selectors._FROZEN.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in bokmål: a request in English leaves English active in the thread
    (LocaleMiddleware activates, nothing deactivates), and a later test that reads a text
    outside a request would read it in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def personas(db):
    return make_personas()
