"""Each persona logs in through the form, as a person would, and the pages built for them pass
axe-core at desktop and phone width."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from ungkultur.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    page.goto(live_server.url + "/konto/logg-inn/")
    check_page(page, "login")
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/min-side/$"))


def visit(page, live_server, name, path, **kwargs):
    page.goto(live_server.url + path)
    check_page(page, name, **kwargs)


STAFF_PAGES = ["national", "municipality", "project_group", "min_side"]


@pytest.mark.parametrize(
    "who",
    [
        "admin",
        "coordinator",
        "researcher",
        "leader_a",
        "teacher_a",
        "youth_member_a",
        "youth_a",
        "guardian_a",
    ],
)
def test_persona_pages_pass_axe(page, live_server, personas, who):
    user = getattr(personas, who)
    log_in(page, live_server, user)
    check_page(page, f"{who}-min-side")
    expect(page.locator("h1")).to_contain_text("Min side")
    visit(page, live_server, f"{who}-municipality", "/kommuner/4203/")
    visit(page, live_server, f"{who}-national", "/nasjonalt/")
    visit(page, live_server, f"{who}-project-group", f"/grupper/{personas.a.project_group.pk}/")
    if who in ("admin", "coordinator", "leader_a"):
        visit(
            page,
            live_server,
            f"{who}-membership-add",
            f"/grupper/{personas.a.resource_group.pk}/medlemmer/ny/",
        )
        page.get_by_role("button", name=re.compile("Legg til")).click()
        check_page(page, f"{who}-membership-add-errors", status_errors=[400])


def test_leader_adds_a_youth_to_the_resource_group(page, live_server, personas):
    log_in(page, live_server, personas.leader_a)
    page.goto(live_server.url + f"/grupper/{personas.a.resource_group.pk}/medlemmer/ny/")
    page.get_by_label("E-post").fill(personas.youth_a.email)
    page.get_by_role("button", name=re.compile("Legg til")).click()
    expect(page).to_have_url(re.compile(rf"/grupper/{personas.a.resource_group.pk}/$"))
    expect(page.locator("main")).to_contain_text(personas.youth_a.first_name)
    check_page(page, "resource-group-after-add")


def fill_registration(page):
    page.get_by_label("Fornavn").fill("Mia")
    page.get_by_label("E-post", exact=True).fill("mia@example.org")
    page.get_by_label("Passord", exact=True).fill("Et-langt-passord-42")
    page.get_by_label("Gjenta passordet").fill("Et-langt-passord-42")
    page.get_by_label("Fødselsår").fill("2015")
    page.get_by_label("Vil ikke oppgi").check()
    page.get_by_label("Bostedskommune").select_option(label="Arendal")
    page.get_by_label(re.compile("samtykker til den")).check()


def test_a_child_registers_and_the_guardian_confirms(page, live_server, personas):
    page.goto(live_server.url + "/konto/registrer/")
    check_page(page, "register")
    fill_registration(page)
    page.get_by_role("button", name="Registrer meg").click()
    # Under 13 a guardian must be named: the form comes back with what was typed, and says so.
    check_page(page, "register-errors", status_errors=[400])
    expect(page.get_by_label("Fornavn")).to_have_value("Mia")
    page.get_by_label("Navn på foresatt").fill("Kari Foresatt")
    page.get_by_label("E-post til foresatt").fill("kari@example.org")
    page.get_by_label("Passord", exact=True).fill("Et-langt-passord-42")
    page.get_by_label("Gjenta passordet").fill("Et-langt-passord-42")
    page.get_by_role("button", name="Registrer meg").click()
    check_page(page, "register-pending")
    (message,) = [m for m in mail.outbox if m.to == ["kari@example.org"]]
    path = re.search(r"/konto/foresatt/bekreft/\S+/", message.body).group(0)
    page.goto(live_server.url + path)
    check_page(page, "guardian-confirm")
    page.get_by_label("Passord", exact=True).fill("Foresatt-passord-42")
    page.get_by_label("Gjenta passordet").fill("Foresatt-passord-42")
    page.get_by_label(re.compile("samtykker på vegne av barnet")).check()
    page.get_by_role("button", name="Bekreft").click()
    check_page(page, "guardian-confirm-done")
    # Now the child can log in.
    page.goto(live_server.url + "/konto/logg-inn/")
    page.get_by_label("E-post").fill("mia@example.org")
    page.get_by_label("Passord").fill("Et-langt-passord-42")
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/min-side/$"))
