"""A project leader reads the action plan's timeline and the annual wheel with its clash (and
moves and deletes an activity), and orders a course that the organisation's coordinator
accepts. Every page passes axe-core at desktop and phone width."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_personas import log_in
from ungkultur.organisations.models import NationalRole, Organisation
from ungkultur.planning.models import CompetenceOrder, Plan, PlanItem, WheelActivity
from ungkultur.testing import START, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)


@pytest.fixture
def plan(personas):
    today = timezone.localdate()
    plan = Plan.objects.create(
        kind=Plan.Kind.ACTION, municipality=personas.arendal, title="Tiltaksplan for Arendal"
    )
    rows = [
        ("Kartlegge hva ungdom ønsker", -120, -60, PlanItem.Status.DONE),
        ("Felles verksted med biblioteket", -60, -5, PlanItem.Status.PLANNED),
        ("Ungdomsarrangement på klubben", 10, 40, PlanItem.Status.PLANNED),
    ]
    for title, start, end, status in rows:
        PlanItem.objects.create(
            plan=plan, title=title, start=today + start * DAY, end=today + end * DAY, status=status
        )
    return plan


def test_the_leader_reads_the_timeline_and_what_is_late(page, live_server, personas, plan):
    log_in(page, live_server, personas.leader_a)
    page.goto(f"{live_server.url}/kommuner/4203/planer/")
    check_page(page, "plans")
    page.get_by_role("link", name="Tiltaksplan for Arendal").click()
    expect(page.locator("h1")).to_have_text("Tiltaksplan for Arendal")
    expect(page.get_by_role("img", name="Tiltaksplan for Arendal")).to_be_visible()
    late = page.locator("section", has=page.locator("#late-heading"))
    expect(late).to_contain_text("Felles verksted med biblioteket")
    expect(late).not_to_contain_text("Kartlegge")
    check_page(page, "plan-timeline")
    page.get_by_label("Ny status for Felles verksted med biblioteket").select_option("done")
    page.get_by_role("row", name=re.compile("Felles verksted")).get_by_role(
        "button", name="Lagre"
    ).click()
    expect(page.locator("main")).to_contain_text("Ingenting er forsinket.")
    assert PlanItem.objects.get(title="Felles verksted med biblioteket").status == "done"


def test_the_annual_wheel_flags_the_clash_and_the_leader_resolves_it(page, live_server, personas):
    common = {"municipality": personas.arendal, "month": 2, "day": 8}
    WheelActivity.objects.create(
        service="ukm", title="UKM lokalmønstring", days=2, age_min=10, age_max=20, **common
    )
    WheelActivity.objects.create(
        service="kulturskole", title="Vinterkonsert", age_min=8, age_max=19, **common
    )
    WheelActivity.objects.create(
        municipality=personas.arendal, service="kulturskole", title="Søknadsfrist kulturskolen",
        month=6, day=1, age_min=6, age_max=19,
    )  # fmt: skip
    year = timezone.localdate().year
    log_in(page, live_server, personas.leader_a)
    page.goto(f"{live_server.url}/kommuner/4203/arshjul/?year={year}")
    expect(page.locator("main")).to_contain_text("2 aktiviteter kolliderer")
    check_page(page, "wheel-list")
    page.goto(f"{live_server.url}/kommuner/4203/arshjul/maned/?year={year}&month=2")
    expect(page.locator("h1")).to_contain_text("februar")
    expect(page.locator(".planning-month__item--clash").first).to_be_visible()
    check_page(page, "wheel-month")
    # The leader moves the concert three weeks on, which ends the clash, then takes it out.
    page.goto(f"{live_server.url}/kommuner/4203/arshjul/?year={year}")
    page.get_by_role("link", name="Endre Vinterkonsert").click()
    check_page(page, "wheel-activity-update")
    page.get_by_label("Dag i måneden").fill("29")
    page.get_by_role("button", name="Lagre endringene").click()
    expect(page.locator("main")).to_contain_text("Datoen finnes ikke hvert år.")
    check_page(page, "wheel-activity-update-error", status_errors=[400])
    page.get_by_label("Dag i måneden").fill("28")
    page.get_by_role("button", name="Lagre endringene").click()
    expect(page.locator("main")).to_contain_text("Aktiviteten er endret.")
    expect(page.locator("main")).not_to_contain_text("kolliderer")
    page.get_by_role("link", name="Endre Vinterkonsert").click()
    page.get_by_role("link", name="Ta aktiviteten ut av årshjulet").click()
    check_page(page, "wheel-activity-delete")
    page.get_by_role("button", name="Ja, ta den ut").click()
    expect(page.locator("main")).to_contain_text("«Vinterkonsert» er tatt ut av årshjulet.")
    assert not WheelActivity.objects.filter(title="Vinterkonsert").exists()


def test_a_competence_order_from_order_to_accepted(page, live_server, personas):
    uof = Organisation.objects.create(name="Ungdom og Fritid", short_name="UoF", slug="uof")
    coordinator = make_user("koordinator.uof@example.org", first_name="Kari")
    NationalRole.objects.create(
        user=coordinator, role=NationalRole.Role.COORDINATOR, organisation=uof, start=START
    )
    today = timezone.localdate()
    log_in(page, live_server, personas.leader_a)
    page.goto(f"{live_server.url}/kommuner/4203/kompetanse/")
    check_page(page, "orders")
    page.get_by_role("link", name="Ny bestilling").click()
    check_page(page, "order-form")
    page.get_by_label("Fra organisasjon").select_option(label="Ungdom og Fritid")
    page.get_by_label("Hva dere ønsker").select_option("course")
    page.get_by_label("Tema").fill("Kurs i ungdomsledelse")
    page.get_by_label("Målgruppe").fill("Ungdomsarbeidere og ressursgruppa")
    page.get_by_label("Ønsket periode fra").fill((today + 30 * DAY).isoformat())
    page.get_by_label("Ønsket periode til").fill((today + 60 * DAY).isoformat())
    page.get_by_label("Forventet antall deltakere").fill("12")
    page.get_by_role("button", name="Send bestillingen").click()
    expect(page.locator("main")).to_contain_text("Bestillingen er sendt til Ungdom og Fritid.")
    check_page(page, "order-detail")
    order = CompetenceOrder.objects.get()
    assert order.status == "ordered"

    page.context.clear_cookies()
    log_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/kompetanse/innboks/")
    check_page(page, "order-inbox")
    page.get_by_role("link", name="Kurs i ungdomsledelse").click()
    page.get_by_role("button", name="Aksepter").click()
    expect(page.locator("main")).to_contain_text("Bestillingen er akseptert.")
    expect(page.get_by_role("link", name="Sett tidspunkt")).to_be_visible()
    check_page(page, "order-accepted")
    order.refresh_from_db()
    assert (order.status, order.answered_by) == ("accepted", coordinator)
