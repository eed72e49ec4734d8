import pytest

from ungkultur.lib.nicknames import nickname_problem


@pytest.mark.parametrize("nickname", ["", "Blåbær", "Lydnerd", "DJ Ø", "Theodor", "Mo_2011"])
def test_it_accepts_a_nickname_that_does_not_give_the_person_away(nickname):
    assert nickname_problem(nickname, first_name="Theo", last_name="Hansen") is None


@pytest.mark.parametrize(
    "nickname",
    ["Theo", "theo", "Theo_07", "Kule Theo", "hansen", "THEO HANSEN", "Anne-Theo"],
)
def test_it_refuses_the_persons_own_first_name_or_surname(nickname):
    problem = nickname_problem(nickname, first_name="Theo", last_name="Hansen")
    assert problem == "Kallenavnet kan ikke inneholde fornavnet eller etternavnet ditt."


@pytest.mark.parametrize("nickname", ["theo@example.org", "a@b", "www.theo.no", "https://x.no"])
def test_it_refuses_an_email_or_web_address(nickname):
    assert "e-postadresse" in nickname_problem(nickname, first_name="Per")


@pytest.mark.parametrize("nickname", ["412 34 567", "+4741234567", "Blåbær12345"])
def test_it_refuses_what_could_be_a_phone_number(nickname):
    assert "telefonnummer" in nickname_problem(nickname, first_name="Per")


@pytest.mark.parametrize("nickname", ["B", "x" * 31])
def test_it_refuses_too_short_or_too_long(nickname):
    assert nickname_problem(nickname) == "Kallenavnet må ha mellom 2 og 30 tegn."
