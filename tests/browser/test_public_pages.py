import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_pages_pass_axe(page, live_server, personas):
    for name, path in [
        ("home", "/"),
        ("municipalities", "/kommuner/"),
        ("municipality", "/kommuner/4203/"),
        ("privacy", "/personvern/"),
        ("national-public", "/nasjonalt/"),
        ("password-reset", "/konto/passord/glemt/"),
        ("guardian-resend", "/konto/foresatt/send-pa-nytt/"),
    ]:
        page.goto(live_server.url + path)
        check_page(page, name)


def test_municipality_search_updates_results_as_you_type(page, live_server, personas):
    page.goto(live_server.url + "/kommuner/")
    page.fill("#id_q", "Sunnd")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Sunndal")
    # The address keeps the search, so it can be shared.
    assert "q=Sunnd" in page.url
