"""A holiday within one month reads "5.–9. oktober" in Norwegian and "5–9 October" in English
(was "5.–9 October": the first day carried the Norwegian full stop in every language)."""

import datetime
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation


@pytest.mark.parametrize(
    ("language", "first", "last", "expected"),
    [
        ("nb", (10, 5), (10, 9), "5.–9. oktober"),
        ("nn", (10, 5), (10, 9), "5.–9. oktober"),
        ("en", (10, 5), (10, 9), "5–9 October"),
        ("nb", (12, 21), (1, 1), "21. desember–1. januar"),
        ("en", (12, 21), (1, 1), "21 December–1 January"),
        ("en", (10, 5), (10, 5), "5 October"),
    ],
)
def test_holiday_days_in_each_language(language, first, last, expected):
    holiday = SimpleNamespace(
        first_day=datetime.date(2026, *first),
        last_day=datetime.date(2026 if last[0] >= first[0] else 2027, *last),
    )
    with translation.override(language):
        text = render_to_string("catalogue/_holiday_days.html", {"holiday": holiday})
    assert text.strip() == expected
