"""Prices read the same way as the youth budget's amounts: the number first, then "kr", in
every language (English showed "NOK 2,200" here and "100,000 kr" on the budget)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "price", "reduced"),
    [("nb", "1\xa0800 kr", "900 kr"), ("en", "1,800 kr", "900 kr")],
)
def test_a_price_is_the_number_then_kr(client, catalogue, language, price, reduced):
    text = client.get(
        reverse("catalogue:offer_detail", args=[catalogue.a.piano.pk]),
        headers={"accept-language": language},
    ).text
    assert price in text
    assert reduced in text
    assert "NOK" not in text
