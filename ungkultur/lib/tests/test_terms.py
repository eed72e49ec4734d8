import datetime

import pytest
from django.core.exceptions import ValidationError

from ungkultur.lib.terms import Term, term_range, terms_before


def test_autumn_and_spring_have_the_bounds_of_design_md():
    autumn, spring = Term.parse("2024H"), Term.parse("2025v")
    assert (autumn.start, autumn.end) == (datetime.date(2024, 8, 1), datetime.date(2024, 12, 31))
    assert (spring.start, spring.end) == (datetime.date(2025, 1, 1), datetime.date(2025, 7, 31))
    assert str(spring) == "2025V" and autumn < spring


def test_a_day_belongs_to_one_term_and_terms_step_across_new_year():
    assert str(Term.containing(datetime.date(2024, 7, 31))) == "2024V"
    assert str(Term.containing(datetime.date(2024, 8, 1))) == "2024H"
    assert str(Term.parse("2025V").previous()) == "2024H"
    assert str(Term.parse("2024H").next()) == "2025V"
    assert [str(t) for t in terms_before(Term.parse("2025V"), 3)] == ["2024V", "2024H", "2025V"]
    assert term_range(Term.parse("2025V"), Term.parse("2024H")) == []


@pytest.mark.parametrize("text", ["2024X", "24H", "", "H2024"])
def test_a_bad_term_is_refused_in_norwegian(text):
    with pytest.raises(ValidationError) as caught:
        Term.parse(text)
    assert "Skriv år og H for høst eller V for vår, som 2024H." in caught.value.messages[0]
