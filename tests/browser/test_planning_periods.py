"""Issue 22, plans for the next period: a national coordinator starts a project period from the
previous milestone plan, Arendal's project leader carries the plans over, and adds an activity
on a weekday of the second week of February to the annual wheel. Every page passes axe-core
at 1,280 and 360 px."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_evaluations import log_in_as
from ungkultur.planning.models import Plan, PlanItem, ProjectPeriod, WheelActivity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


@pytest.fixture
def pilot(personas):
    period = ProjectPeriod.objects.create(title="2020/21", start=D(2020, 1, 1), end=D(2021, 12, 31))
    milestones = Plan.objects.create(kind="milestone", period=period, title="Milepælsplan 2020/21")
    action = Plan.objects.create(
        kind="action", municipality=personas.arendal, period=period, title="Tiltaksplan for Arendal"
    )
    rows = [
        (milestones, "Felles oppstartsamling", D(2020, 2, 1), D(2020, 4, 30), "done"),
        (milestones, "Midtveisevaluering", D(2020, 11, 1), D(2020, 12, 15), "done"),
        (milestones, "Nasjonal konferanse", D(2021, 11, 1), D(2021, 11, 30), "done"),
        (action, "Kartlegging", D(2020, 3, 1), D(2020, 5, 1), "done"),
        (action, "Verksted med biblioteket", D(2021, 9, 1), D(2021, 10, 1), "ongoing"),
    ]
    for plan, title, start, end, status in rows:
        PlanItem.objects.create(plan=plan, title=title, start=start, end=end, status=status)
    return period


def narrow(page):
    if page.width_name == "phone":
        page.set_viewport_size({"width": 360, "height": 740})


def test_a_new_period_and_its_plans(page, live_server, personas, pilot):
    narrow(page)
    year = timezone.localdate().year
    TOTP.activate(personas.coordinator, generate_totp_secret())
    log_in_as(page, live_server, personas.coordinator)
    page.goto(f"{live_server.url}/milepaelsplan/")
    check_page(page, "milestones-old")
    page.get_by_role("link", name="Start ny prosjektperiode").click()
    check_page(page, "period-form")
    page.get_by_label("Navn på perioden").fill(f"{year}/{str(year + 1)[2:]}")
    page.get_by_label("Fra").fill(f"{year}-01-01")
    page.get_by_label("Til og med").fill(f"{year + 1}-12-31")
    page.get_by_role("button", name="Start perioden").click()
    expect(page.get_by_text("er startet med sin milepælsplan")).to_be_visible()
    expect(page.locator("h1")).to_contain_text(f"Milepælsplan {year}/")
    check_page(page, "milestones-new")
    assert "i dag" in page.locator("figure").inner_html()

    log_in_as(page, live_server, personas.leader_a)
    page.goto(f"{live_server.url}/kommuner/4203/planer/")
    check_page(page, "plans-roll-over")
    page.get_by_label("Alle punktene, med status satt tilbake til planlagt").check()
    page.get_by_role("button", name="Videreføre planene").click()
    expect(page.get_by_text("Planene er videreført til")).to_be_visible()
    check_page(page, "plans-rolled")
    assert Plan.objects.filter(kind="action", period__start=D(year, 1, 1)).count() == 1


def test_an_activity_in_the_second_week_of_february(page, live_server, personas):
    narrow(page)
    year = timezone.localdate().year + 1
    log_in_as(page, live_server, personas.leader_a)
    page.goto(f"{live_server.url}/kommuner/4203/arshjul/ny/?year={year}")
    check_page(page, "wheel-activity-form")
    page.get_by_label("Aktivitet", exact=True).fill("Vinterkonsert")
    page.get_by_label("Tjeneste").select_option("kulturskole")
    page.get_by_label("en ukedag i en bestemt uke av måneden").check()
    page.get_by_label("Måned", exact=True).select_option("2")
    page.get_by_label("Uke i måneden").select_option("2")
    page.get_by_label("Ukedag", exact=True).select_option("1")
    page.get_by_label("Alder fra").fill("10")
    page.get_by_label("Alder til").fill("18")
    page.get_by_role("button", name="Legg til").click()
    expect(page.locator("h1")).to_have_text(f"Årshjul for Arendal {year}")
    expect(page.get_by_text("Andre uke i februar, tirsdag")).to_be_visible()
    check_page(page, "wheel-week-rule")
    assert WheelActivity.objects.get().rule == "week"
