"""An import conflict names an enrolment's end date by the named NUMERIC_DATE_FORMAT: "1.3.2026"
in Norwegian (as before), "1/3/2026" in English (was "1.3.2026" in every language)."""

import datetime

import pytest
from django.utils import translation

from ungkultur.enrolment.importers import describe_end


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", "avsluttet 1.3.2026 (flyttet)"),
        ("nn", "1.3.2026"),
        ("en", "1/3/2026"),
    ],
)
def test_the_end_date_in_each_language(language, expected):
    with translation.override(language):
        text = describe_end(datetime.date(2026, 3, 1), "moved")
    assert expected in text
