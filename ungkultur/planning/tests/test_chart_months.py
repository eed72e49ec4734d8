"""The month axis of the plan timeline is in the page's language: "des 26" in Norwegian (as
before), "Dec ’26" in English (was the Norwegian "des 26" in every language)."""

import datetime
import re

import pytest
from django.utils import translation

from ungkultur.planning.charts import Span, timeline


def month_labels(language):
    spans = [
        Span("Ungdomsråd", datetime.date(2026, 11, 3), datetime.date(2027, 1, 20), "planned"),
    ]
    with translation.override(language):
        svg = timeline(
            spans,
            title="Tidslinje",
            description="Tiltakene",
            today=datetime.date(2026, 12, 5),
            today_label="i dag",
        )
    return re.findall(r'font-size="11">([^<]*)</text>', svg)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", ["nov 26", "des 26", "jan 27"]),
        ("en", ["Nov ’26", "Dec ’26", "Jan ’27"]),
    ],
)
def test_month_labels_in_each_language(language, expected):
    labels = month_labels(language)
    assert [label for label in labels if label in expected] == expected
