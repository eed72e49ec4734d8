"""An evaluation round from opening to the final report (issue 21): a national coordinator opens
the round, Arendal's project leader and a youth resource-group member answer their parts and
submit them, the coordinator reads them side by side, marks a theme, writes the report and
distributes it; the project leader then reads it. Every page passes axe-core."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from ungkultur.evaluations.models import Answer, FinalReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in_as(page, live_server, user):
    """A session made by the test client: the coordinator's second factor is not what this
    test is about (tests/browser/test_idporten_feide.py and the identity tests cover it)."""
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def answer_part(page, live_server, round_pk, part, texts):
    page.goto(f"{live_server.url}/kommuner/4203/evaluering/{round_pk}/{part}/")
    check_page(page, f"answer-{part}")
    for label, text in texts.items():
        page.get_by_label(label).fill(text)
    page.get_by_label("publiseres").check()
    page.get_by_role("button", name="Lagre utkast").click()
    expect(page.get_by_text("Utkastet er lagret.")).to_be_visible()
    page.get_by_role("button", name="Send inn svaret").click()
    expect(page.get_by_text("Svaret er sendt inn.")).to_be_visible()


def test_a_round_from_opening_to_the_report(page, live_server, personas):
    TOTP.activate(personas.coordinator, generate_totp_secret())
    log_in_as(page, live_server, personas.coordinator)
    page.goto(f"{live_server.url}/evaluering/ny/")
    check_page(page, "round-open")
    page.get_by_label("Tittel").fill("Midtveisevaluering 2021")
    page.get_by_role("button", name="Åpne runden").click()
    expect(page.locator("h1")).to_have_text("Midtveisevaluering 2021")
    round_pk = page.url.rstrip("/").split("/")[-1]

    log_in_as(page, live_server, personas.leader_a)
    answer_part(page, live_server, round_pk, "project_group",
                {"Hva har vært de største hindringene?": "Få stillinger å dele på."})  # fmt: skip
    log_in_as(page, live_server, personas.youth_member_a)
    answer_part(page, live_server, round_pk, "youth",
                {"Hva har ungdomsmedvirkningen endret?": "De spør oss først."})  # fmt: skip
    assert set(Answer.objects.values_list("part", "status")) == {
        ("project_group", "submitted"),
        ("youth", "submitted"),
    }

    log_in_as(page, live_server, personas.coordinator)
    page.goto(f"{live_server.url}/evaluering/{round_pk}/")
    check_page(page, "round-detail")
    expect(page.get_by_text("De spør oss først.")).to_be_visible()
    expect(page.get_by_text(personas.youth_member_a.first_name)).to_have_count(0)
    page.get_by_label("Temaer (skill med komma)").first.fill("bemanning")
    page.get_by_role("button", name="Merk temaer").first.click()
    expect(page.get_by_text("Temaene er lagret.")).to_be_visible()

    page.goto(f"{live_server.url}/sluttrapport/endre/")
    check_page(page, "report-edit")
    page.get_by_label("Sammendrag").fill("Piloten har vist at samarbeid virker.")
    page.get_by_role("button", name="Lagre rapporten").click()
    expect(page.get_by_text("Piloten har vist at samarbeid virker.")).to_be_visible()
    expect(page.get_by_text("Få stillinger å dele på.")).to_be_visible()
    expect(page.get_by_text("bemanning (1)")).to_be_visible()
    check_page(page, "report")
    page.get_by_role("button", name="Distribuer til kommunene").click()
    expect(page.get_by_text("Distribuert til kommunene")).to_be_visible()
    assert FinalReport.objects.get().distributed_at is not None

    log_in_as(page, live_server, personas.leader_a)
    page.goto(f"{live_server.url}/kommuner/4203/evaluering/")
    page.get_by_role("link", name="Sluttrapporten").click()
    expect(page.get_by_text("De spør oss først.")).to_be_visible()
