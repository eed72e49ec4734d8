"""Budget messages and choices give amounts in the page's language: "110 000 kr" in Norwegian,
"110,000 kr" in English (were "110 000 kr" in every language)."""

import pytest
from django.utils import translation

from ungkultur.participation.forms import BallotForm
from ungkultur.participation.services import ballot_errors
from ungkultur.participation.tests.test_budget import project, round_  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", "Prosjektene du valgte koster 110\u00a0000 kr, men budsjettet er 100\u00a0000 kr."),
        ("en", "The projects you chose cost 110,000 kr, but the budget is 100,000 kr."),
    ],
)
def test_over_budget_names_the_amounts_in_the_language(round_, language, expected):  # noqa: F811
    projects = [project(round_, "Lydstudio", 60_000), project(round_, "Graffitivegg", 50_000)]
    with translation.override(language):
        assert [str(e) for e in ballot_errors(round_, projects)] == [expected]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nb", "Lydstudio – 60\u00a0000 kr"), ("en", "Lydstudio – 60,000 kr")],
)
def test_a_ballot_choice_names_the_cost_in_the_language(round_, language, expected):  # noqa: F811
    project(round_, "Lydstudio", 60_000)
    with translation.override(language):
        labels = [str(label) for _, label in BallotForm(round=round_).fields["projects"].choices]
    assert labels == [expected]
