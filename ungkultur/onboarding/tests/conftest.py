import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

# A Tuesday in the personas' autumn term of 2026.
NOW = datetime.datetime(2026, 9, 1, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))


@pytest.fixture
def now(monkeypatch):
    """Freeze the clock the views read (timezone.now and timezone.localdate)."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW
