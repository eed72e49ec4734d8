"""The admin shows project periods (not added there), plans by period and an activity's dates."""

import datetime

import pytest

from ungkultur.planning.models import ProjectPeriod, WheelActivity, WheelActivityDate

pytestmark = pytest.mark.django_db


def test_the_admin_pages_of_periods_and_activity_dates(client, personas):
    ProjectPeriod.objects.create(
        title="2020/21", start=datetime.date(2020, 1, 1), end=datetime.date(2021, 12, 31)
    )
    activity = WheelActivity.objects.create(
        municipality=personas.arendal, service="ukm", title="Festival", rule="yearly",
        age_min=13, age_max=19,
    )  # fmt: skip
    WheelActivityDate.objects.create(activity=activity, year=2027, start=datetime.date(2027, 6, 1))
    client.force_login(personas.admin)
    assert "2020/21" in client.get("/admin/planning/projectperiod/").text
    assert client.get("/admin/planning/projectperiod/add/").status_code == 403
    assert client.get("/admin/planning/plan/?period__id__exact=1").status_code == 200
    page = client.get(f"/admin/planning/wheelactivity/{activity.pk}/change/")
    assert page.status_code == 200 and "2027-06-01" in page.text
