"""Amounts in the project's money messages are formatted like every other amount ("325 001 kr" in
Norwegian, "325,001 kr" in English) and passed into the translated text, so no catalogue carries
the unit ("NOK 325001" in English before)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from ungkultur.evaluations import services
from ungkultur.evaluations.models import Allocation, Frame, Payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def frame(personas):
    return services.frame_set(actor=personas.admin, year=2021, amount=650_000, now=timezone.now())


def refusal(language, call, **kwargs):
    with translation.override(language), pytest.raises(ValidationError) as caught:
        call(now=timezone.now(), **kwargs)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    ("language", "total", "earmarked"),
    [("nb", "325\u00a0001 kr", "325\u00a0000 kr"), ("en", "325,001 kr", "325,000 kr")],
)
def test_an_allocation_above_the_earmark_names_the_amounts_in_the_language(
    personas, frame, language, total, earmarked
):
    services.allocation_set(actor=personas.admin, frame=frame, municipality=personas.sola,
                            amount=300_000, now=timezone.now())  # fmt: skip
    message = refusal(language, services.allocation_set, actor=personas.admin, frame=frame,
                      municipality=personas.arendal, amount=25_001)  # fmt: skip
    assert total in message and earmarked in message
    assert "NOK" not in message
    if language == "nb":
        assert message == (
            "Tildelingene blir 325\u00a0001 kr, mer enn de 325\u00a0000 kr som er øremerket "
            "kommunene i 2021."
        )
    assert not Allocation.objects.filter(municipality=personas.arendal).exists()


@pytest.mark.parametrize(("language", "amount"), [("nb", "1\u00a0000 kr"), ("en", "1,000 kr")])
def test_a_payment_beyond_the_allocation_names_the_amount_in_the_language(
    personas, frame, language, amount
):
    allocation = services.allocation_set(actor=personas.admin, frame=frame,
                                         municipality=personas.arendal, amount=1000,
                                         now=timezone.now())  # fmt: skip
    message = refusal(language, services.payment_record, actor=personas.admin,
                      allocation=allocation, paid_on=timezone.localdate(), amount=1001)  # fmt: skip
    assert amount in message and "NOK" not in message
    if language == "nb":
        assert message == "Utbetalingene blir mer enn de 1\u00a0000 kr som er tildelt."
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("language", "allocated", "earmarked"),
    [("nb", "200\u00a0000 kr", "100\u00a0000 kr"), ("en", "200,000 kr", "100,000 kr")],
)
def test_lowering_the_earmark_names_the_amounts_in_the_language(
    personas, frame, language, allocated, earmarked
):
    services.allocation_set(actor=personas.admin, frame=frame, municipality=personas.arendal,
                            amount=200_000, now=timezone.now())  # fmt: skip
    message = refusal(language, services.frame_set, actor=personas.admin, year=2021,
                      amount=650_000, earmarked=100_000)  # fmt: skip
    assert allocated in message and earmarked in message and "NOK" not in message
    assert Frame.objects.get().earmarked == 325_000
