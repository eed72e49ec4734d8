"""A national administrator switches a municipality outside the demo on, is led to invite its
project leader, and the project leader accepts and makes an account: the pages pass axe-core at
desktop and phone width (and reflow at 360 px)."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_personas import log_in
from ungkultur.organisations.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def narrow(page, name):
    """The same page at 360 px: nothing wider than the screen; a screenshot when asked for."""
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than 360 px"
    shots = os.environ.get("UNGKULTUR_SCREENSHOTS")
    if shots and page.width_name == "phone":
        page.screenshot(path=str(Path(shots) / f"{name}-360.png"), full_page=True)
    page.set_viewport_size(size)


def test_switch_on_invite_and_accept(page, live_server, personas):
    log_in(page, live_server, personas.admin)
    page.goto(live_server.url + "/kommuner/1804/")
    page.get_by_role("link", name="Ta med i koordinert kulturarbeid").click()
    check_page(page, "kk-switch-on")
    page.get_by_label("Begrunnelse").fill("Vedtak i kommunestyret")
    page.get_by_role("button", name="Ta med i koordinert kulturarbeid").click()
    expect(page.get_by_text("Bodø er nå med i koordinert kulturarbeid")).to_be_visible()
    page.get_by_role("link", name="Neste steg: inviter prosjektleder").click()
    check_page(page, "invitation-create")
    narrow(page, "invitation-create")
    page.get_by_label("E-postadresse").fill("pia@bodo.example")
    page.get_by_label("Fornavn (kan stå tomt)").fill("Pia")
    page.get_by_role("button", name="Send invitasjonen").click()
    expect(page.get_by_text("Invitasjonen er sendt til pia@bodo.example")).to_be_visible()
    check_page(page, "invitation-list")
    narrow(page, "invitation-list")

    link = re.search(r"https?://\S+?(/invitasjon/\S+/)", mail.outbox[-1].body).group(1)
    page.context.clear_cookies()
    page.goto(live_server.url + link)
    check_page(page, "invitation-accept")
    narrow(page, "invitation-accept")
    page.get_by_label("Etternavn").fill("Prosjekt")
    page.get_by_label("Velg passord").fill("Et-langt-passord-9")
    page.get_by_label("Gjenta passordet").fill("Annet-passord-9")
    page.get_by_role("button", name="Lag konto og godta").click()
    expect(page.get_by_text("Passordene er ikke like.").first).to_be_visible()
    check_page(page, "invitation-accept-error", status_errors=(400,))
    page.get_by_label("Velg passord").fill("Et-langt-passord-9")
    page.get_by_label("Gjenta passordet").fill("Et-langt-passord-9")
    page.get_by_role("button", name="Lag konto og godta").click()
    expect(page.get_by_text("Velkommen! Du er nå prosjektleder")).to_be_visible()
    check_page(page, "invitation-accepted")
    assert Membership.objects.get(user__email="pia@bodo.example").role == "project_leader"
