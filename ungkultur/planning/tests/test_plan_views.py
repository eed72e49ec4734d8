import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.planning.models import Plan, PlanItem
from ungkultur.planning.selectors import plan_rows

from .conftest import who_is

pytestmark = pytest.mark.django_db


def test_late_means_the_last_day_has_passed_and_the_item_is_still_open(action_plan):
    today = timezone.localdate()
    late = {row.item.title: row.late for row in plan_rows(action_plan, today=today)}
    assert late == {
        "Kartlegging": False,
        "Verksted med biblioteket": True,
        "Ungdomsarrangement": False,
    }
    # On its last day an item is not late yet.
    item = PlanItem.objects.get(title="Verksted med biblioteket")
    assert not item.is_late(item.end)
    assert item.is_late(item.end + datetime.timedelta(days=1))
    item.status = PlanItem.Status.CANCELLED
    assert not item.is_late(item.end + datetime.timedelta(days=1))


def test_the_plan_page_has_a_timeline_a_table_and_the_late_list(client, personas, action_plan):
    client.force_login(personas.teacher_a)
    response = client.get(reverse("planning:plan_detail", args=[action_plan.pk]))
    assert response.status_code == 200
    text = response.text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="site-chart" role="img"' in text
    assert "<title>Tiltaksplan for Arendal</title>" in text
    assert "3 punkter; 1 er forsinket" in text
    late = text.split('id="late-heading"')[1].split("</section>")[0]
    assert "Verksted med biblioteket" in late and "Kartlegging" not in late
    assert text.count("<tr>") == 4  # header + three items
    assert "style=" not in text


@pytest.mark.parametrize("who", ["leader_b", "youth_b"])
def test_another_municipalitys_plan_is_404(client, personas, action_plan, who):
    client.force_login(who_is(personas, who))
    assert client.get(reverse("planning:plan_detail", args=[action_plan.pk])).status_code == 404


def test_the_milestone_plan_is_public(client, milestones):
    response = client.get(reverse("planning:milestone_plan"))
    assert response.status_code == 200
    assert "Felles oppstartsamling" in response.text
    # Postponed and past its end: late.
    late = response.text.split('id="late-heading"')[1].split("</section>")[0]
    assert "Nasjonal konferanse" in late
    assert client.get(reverse("planning:plan_detail", args=[milestones.pk]))["Location"] == reverse(
        "planning:milestone_plan"
    )


def test_the_leader_creates_the_plans_once(client, personas):
    client.force_login(personas.leader_a)
    url = reverse("planning:plan_create", args=["4203"])
    response = client.post(url, {"kind": "progress"})
    plan = Plan.objects.get()
    assert response["Location"] == reverse("planning:plan_detail", args=[plan.pk])
    assert (plan.kind, plan.municipality, plan.title) == (
        "progress",
        personas.arendal,
        "Fremdriftsplan for Arendal",
    )
    assert client.post(url, {"kind": "progress"}).status_code == 400
    assert client.post(url, {"kind": "milestone"}).status_code == 400
    assert Plan.objects.count() == 1
    client.force_login(personas.teacher_a)
    assert client.post(url, {"kind": "action"}).status_code == 403


def test_the_leader_adds_an_item_and_sets_its_status(client, personas, action_plan, measure):
    client.force_login(personas.leader_a)
    url = reverse("planning:plan_item_create", args=[action_plan.pk])
    data = {"title": "Felles konsert", "start": "2026-09-01", "end": "2026-09-01",
            "status": "planned", "measure": measure.pk}  # fmt: skip
    assert client.post(url, {**data, "end": "2026-08-31"}).status_code == 400
    response = client.post(url, data)
    assert response.status_code == 302
    item = PlanItem.objects.get(title="Felles konsert")
    assert item.measure == measure
    response = client.post(reverse("planning:plan_item_status", args=[item.pk]), {"status": "done"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    entry = AuditEntry.objects.get(action="planning.plan_item_status")
    assert entry.changes == {"before": "planned", "to": "done"}
    assert (
        client.post(
            reverse("planning:plan_item_status", args=[item.pk]), {"status": "x"}
        ).status_code
        == 400
    )
    assert client.get(reverse("planning:plan_item_status", args=[item.pk])).status_code == 405


@pytest.mark.parametrize("who", ["teacher_a", "youth_member_a", "coordinator"])
def test_only_the_leader_changes_the_local_plan(client, personas, action_plan, who):
    item = action_plan.items.get(title="Ungdomsarrangement")
    client.force_login(who_is(personas, who))
    response = client.post(reverse("planning:plan_item_status", args=[item.pk]), {"status": "done"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == "planned"


def test_sola_cannot_change_arendals_plan(client, personas, action_plan):
    item = action_plan.items.get(title="Ungdomsarrangement")
    client.force_login(personas.leader_b)
    response = client.post(reverse("planning:plan_item_status", args=[item.pk]), {"status": "done"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == "planned"


def test_coordinators_edit_the_milestone_plan_and_leaders_do_not(client, personas, milestones):
    url = reverse("planning:plan_item_create", args=[milestones.pk])
    data = {"title": "Sluttrapport", "start": "2021-12-01", "end": "2021-12-31", "status": "done"}
    client.force_login(personas.leader_a)
    assert client.post(url, data).status_code == 403
    client.force_login(personas.coordinator)
    assert client.post(url, data)["Location"] == reverse("planning:milestone_plan")
    assert milestones.items.filter(title="Sluttrapport").exists()


def test_the_plan_page_is_a_fixed_number_of_queries(
    client, personas, action_plan, django_assert_max_num_queries
):
    today = timezone.localdate()
    for n in range(20):
        PlanItem.objects.create(plan=action_plan, title=f"P{n}", start=today, end=today)
    client.force_login(personas.leader_a)
    # session, user, plan (read twice: national or not, then with access), roles (national,
    # memberships, unit staff), items with their measures: eight, however many items.
    # And the unread notices beside "Min side" (counted here, then cached).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("planning:plan_detail", args=[action_plan.pk]))
    assert response.text.count("<tr>") == 24


def test_the_planning_page_counts_what_is_late(client, personas, action_plan):
    client.force_login(personas.youth_member_a)
    response = client.get(reverse("planning:municipality_home", args=["4203"]))
    assert response.status_code == 200
    assert "1 punkt i planene er forsinket." in response.text
    client.force_login(personas.youth_a)
    assert client.get(reverse("planning:municipality_home", args=["4203"])).status_code == 403


def test_the_leader_edits_an_items_text_and_dates_audited(client, personas, action_plan):
    item = action_plan.items.get(title="Ungdomsarrangement")
    url = reverse("planning:plan_item_update", args=[item.pk])
    client.force_login(personas.leader_a)
    page = client.get(url)
    assert page.status_code == 200 and 'value="Ungdomsarrangement"' in page.text
    assert url in client.get(reverse("planning:plan_detail", args=[action_plan.pk])).text
    before = (item.start, item.end)
    data = {"title": "Ungdomsfestival", "description": "I parken", "start": "2026-06-01",
            "end": "2026-06-03", "status": "planned"}  # fmt: skip
    # End before start: the form again with the reason, nothing changed.
    response = client.post(url, {**data, "end": "2026-05-31"})
    assert response.status_code == 400
    assert "Sluttdatoen kan ikke være før startdatoen." in response.text
    item.refresh_from_db()
    assert (item.title, item.start, item.end) == ("Ungdomsarrangement", *before)
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.description) == ("Ungdomsfestival", "I parken")
    assert (item.start, item.end) == (datetime.date(2026, 6, 1), datetime.date(2026, 6, 3))
    entry = AuditEntry.objects.get(action="planning.plan_item_update")
    assert entry.changes["title"] == ["Ungdomsarrangement", "Ungdomsfestival"]
    assert entry.changes["end"] == [before[1].isoformat(), "2026-06-03"]
    assert "status" not in entry.changes  # only what changed


@pytest.mark.parametrize("who,status", [("teacher_a", 403), ("leader_b", 404)])
def test_others_may_not_edit_items(client, personas, action_plan, who, status):
    item = action_plan.items.get(title="Ungdomsarrangement")
    client.force_login(who_is(personas, who))
    data = {"title": "Hacket", "start": "2026-06-01", "end": "2026-06-03", "status": "done"}
    assert client.post(reverse("planning:plan_item_update", args=[item.pk]), data).status_code == (
        status
    )
    item.refresh_from_db()
    assert item.title == "Ungdomsarrangement"
