"""The annual wheel's repeat rules: the same date, a weekday of the N-th week of a month, or a
date set for each year; the clash check and its warning for the year being saved."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from ungkultur.core.models import AuditEntry
from ungkultur.planning.models import WheelActivity, WheelActivityDate, week_of_month_day
from ungkultur.planning.selectors import wheel_year

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    ("year", "month", "week", "weekday", "expected"),
    [
        (2026, 2, 1, 0, D(2026, 2, 2)),  # 1 February 2026 is a Sunday: week 1 starts on the 2nd
        (2026, 2, 2, 0, D(2026, 2, 9)),
        (2027, 2, 2, 0, D(2027, 2, 8)),  # 1 February 2027 is a Monday
        (2026, 6, 1, 0, D(2026, 6, 1)),
        # The last week of February: in the leap year 2028 its Monday is the 28th and its
        # Sunday is 5 March; in 2027 it is the 22nd.
        (2028, 2, -1, 0, D(2028, 2, 28)),
        (2028, 2, -1, 6, D(2028, 3, 5)),
        (2027, 2, -1, 0, D(2027, 2, 22)),
        (2027, 2, 4, 0, D(2027, 2, 22)),
        # The fourth week of February 2027 (Monday 22nd) ends on Sunday 28th; 2026's on 1 March.
        (2026, 2, 4, 6, D(2026, 3, 1)),
        # The last week of December may end in the next year.
        (2026, 12, -1, 6, D(2027, 1, 3)),
    ],
)
def test_a_weekday_of_the_nth_week_of_a_month(year, month, week, weekday, expected):
    assert week_of_month_day(year, month, week, weekday) == expected


def make(municipality, title, ages=(13, 19), **fields):
    return WheelActivity.objects.create(
        municipality=municipality,
        service=fields.pop("service", WheelActivity.Service.UKM),
        title=title,
        age_min=ages[0],
        age_max=ages[1],
        **fields,
    )


def starts(municipality, year):
    return {o.activity.title: o.start for o in wheel_year(municipality, year=year)}


def test_each_activity_is_on_its_date_for_the_year_shown(client, personas):
    make(personas.arendal, "Fast", rule="fixed", month=3, day=1)
    make(personas.arendal, "Uke 2 i februar", rule="week", month=2, week=2, weekday=1, days=2)
    yearly = make(personas.arendal, "Festival", rule="yearly")
    WheelActivityDate.objects.create(activity=yearly, year=2028, start=D(2028, 2, 29))
    assert starts(personas.arendal, 2026) == {
        "Uke 2 i februar": D(2026, 2, 10),
        "Fast": D(2026, 3, 1),
    }  # the festival has no date in 2026: not held
    assert starts(personas.arendal, 2028) == {
        "Uke 2 i februar": D(2028, 2, 15),  # 1 February 2028 is a Tuesday
        "Festival": D(2028, 2, 29),  # a leap day, set for that year only
        "Fast": D(2028, 3, 1),
    }
    page = client.get(reverse("planning:wheel", args=["4203"]), {"year": 2028}).text
    assert "29. feb" in page and "15. feb–16. feb" in page
    assert "Andre uke i februar, tirsdag" in page
    assert (
        "Festival" not in client.get(reverse("planning:wheel", args=["4203"]), {"year": 2026}).text
    )


def form(**fields):
    return {
        "title": "Vinterkonsert", "service": "kulturskole", "days": 1, "age_min": 10,
        "age_max": 18, **fields,
    }  # fmt: skip


def test_the_leader_adds_an_activity_in_a_week_of_a_month(client, personas):
    client.force_login(personas.leader_a)
    url = reverse("planning:wheel_activity_create", args=["4203"])
    response = client.post(url, form(rule="week", month=2, week=2, weekday=0, day=17))
    assert response.status_code == 302
    created = WheelActivity.objects.get()
    # The day typed for another rule is not kept.
    assert (created.rule, created.month, created.week, created.weekday, created.day) == (
        "week",
        2,
        2,
        0,
        None,
    )
    entry = AuditEntry.objects.get(action="planning.wheel_activity_create")
    assert (entry.changes["rule"], entry.changes["week"]) == ("week", 2)


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"rule": "week", "month": 2, "weekday": 0}, "week"),
        ({"rule": "week", "week": 2, "weekday": 0}, "month"),
        ({"rule": "fixed", "month": 2}, "day"),
        ({"rule": "yearly"}, "date"),
        ({"rule": "sometimes", "month": 2, "day": 3}, "rule"),
        ({"rule": "week", "month": 2, "week": 5, "weekday": 0}, "week"),
    ],
)
def test_a_rule_without_its_fields_is_refused(client, personas, fields, error_field):
    client.force_login(personas.leader_a)
    response = client.post(reverse("planning:wheel_activity_create", args=["4203"]), form(**fields))
    assert response.status_code == 400
    assert f'id="id_{error_field}_error"' in response.text
    assert not WheelActivity.objects.exists()
    assert not AuditEntry.objects.filter(action="planning.wheel_activity_create").exists()


def test_a_date_set_for_each_year_and_a_year_without(client, personas):
    client.force_login(personas.leader_a)
    create = reverse("planning:wheel_activity_create", args=["4203"])
    wheel = reverse("planning:wheel", args=["4203"])
    response = client.post(create, form(rule="yearly", date="2028-02-29"))
    # Saved for 2028: the user lands on 2028's wheel.
    assert response["Location"] == f"{wheel}?year=2028"
    created = WheelActivity.objects.get()
    edit = reverse("planning:wheel_activity_update", args=[created.pk])
    client.post(f"{edit}?year=2029", form(rule="yearly", date="2029-03-03"))
    assert dict(created.dates.values_list("year", "start")) == {
        2028: D(2028, 2, 29),
        2029: D(2029, 3, 3),
    }
    # The edit page of 2029 shows 2029's date; 2028 is taken out.
    page = client.get(f"{edit}?year=2029").text
    assert 'value="2029-03-03"' in page and "29. februar 2028" in page
    client.post(f"{edit}?year=2029", form(rule="yearly", remove_years=[2028]))
    assert list(created.dates.values_list("year", flat=True)) == [2029]
    assert starts(personas.arendal, 2028) == {}
    entry = AuditEntry.objects.filter(action="planning.wheel_activity_update").order_by("pk").last()
    assert entry.changes["removed_years"] == [2028]
    # Back to the same date every year: the per-year dates go.
    client.post(edit, form(rule="fixed", month=5, day=4))
    assert not WheelActivityDate.objects.exists()
    assert starts(personas.arendal, 2030) == {"Vinterkonsert": D(2030, 5, 4)}


def test_the_clash_warning_for_next_year_shows_where_the_user_lands(client, personas):
    # "Tirsdag i andre uke av februar" is 10 February 2026 (ISO week 7) and 9 February 2027
    # (week 6). UKM on 8 February is in week 6 both years: the clash is in 2027 only.
    make(personas.arendal, "UKM lokalmønstring", rule="fixed", month=2, day=8, ages=(10, 19))
    client.force_login(personas.leader_a)
    url = reverse("planning:wheel_activity_create", args=["4203"])
    wheel = reverse("planning:wheel", args=["4203"])
    data = form(rule="week", month=2, week=2, weekday=1)
    response = client.post(f"{url}?year=2026", data, follow=True)
    assert response.redirect_chain[0][0] == f"{wheel}?year=2026"
    assert "kolliderer" not in response.text
    created = WheelActivity.objects.get(title="Vinterkonsert")
    edit = reverse("planning:wheel_activity_update", args=[created.pk])
    response = client.post(f"{edit}?year=2027", data, follow=True)
    assert response.redirect_chain[0][0] == f"{wheel}?year=2027"
    assert "I 2027 kolliderer «Vinterkonsert» med «UKM lokalmønstring»" in response.text
    assert "Årshjul for Arendal 2027" in response.text


def test_a_date_set_for_one_year_is_checked_in_that_year(client, personas):
    make(personas.arendal, "UKM lokalmønstring", rule="fixed", month=2, day=8, ages=(10, 19))
    client.force_login(personas.leader_a)
    url = reverse("planning:wheel_activity_create", args=["4203"])
    # Seen from 2026, but the date is in 2027 (Tuesday 9 February, week 6 with UKM on Monday).
    response = client.post(f"{url}?year=2026", form(rule="yearly", date="2027-02-09"), follow=True)
    assert response.redirect_chain[0][0] == reverse("planning:wheel", args=["4203"]) + "?year=2027"
    assert "I 2027 kolliderer «Vinterkonsert» med «UKM lokalmønstring»" in response.text


def test_the_calendar_feed_gives_each_year_of_a_rule_that_moves(client, personas, settings):
    make(personas.arendal, "Fast", rule="fixed", month=3, day=1)
    make(personas.arendal, "Uke 2", rule="week", month=2, week=2, weekday=0)
    yearly = make(personas.arendal, "Festival", rule="yearly")
    WheelActivityDate.objects.create(activity=yearly, year=2031, start=D(2031, 6, 1))
    response = client.get("/kalender/4203/arshjul.ics")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    by_title = {}
    for event in events:
        by_title.setdefault(str(event["summary"]), []).append(event)
    assert len(by_title["Fast"]) == 1 and "RRULE" in by_title["Fast"][0]
    weekly = by_title["Uke 2"]
    assert len(weekly) == 2 and all("RRULE" not in e for e in weekly)
    assert len({str(e["uid"]) for e in weekly}) == 2
    for event in weekly:
        start = event["dtstart"].dt
        assert start == week_of_month_day(start.year, 2, 2, 0)
    assert "Festival" not in by_title  # its only date is years away
