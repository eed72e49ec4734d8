import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from ungkultur.core.models import AuditEntry
from ungkultur.planning.models import WheelActivity
from ungkultur.planning.selectors import month_grid, wheel_year

pytestmark = pytest.mark.django_db


def activity(municipality, title, month, day, ages=(13, 19), **fields):
    return WheelActivity.objects.create(
        municipality=municipality,
        service=fields.pop("service", WheelActivity.Service.UKM),
        title=title,
        month=month,
        day=day,
        age_min=ages[0],
        age_max=ages[1],
        **fields,
    )


def clashes(municipality, year):
    return {
        o.activity.title: sorted(c.activity.title for c in o.clashes)
        for o in wheel_year(municipality, year=year)
    }


def test_same_iso_week_and_overlapping_ages_clash(personas):
    # 2026: Monday 9 and Sunday 15 February are in ISO week 7; Sunday 8 is in week 6.
    activity(personas.arendal, "UKM", 2, 9)
    activity(personas.arendal, "Konsert", 2, 15, ages=(8, 13), service="kulturskole")
    activity(personas.arendal, "Klubbkveld", 2, 8, service="youth_club")
    activity(personas.arendal, "Barneteater", 2, 10, ages=(6, 12), service="kulturskole")
    assert clashes(personas.arendal, 2026) == {
        "Klubbkveld": [],
        "UKM": ["Konsert"],
        "Barneteater": ["Konsert"],
        "Konsert": ["Barneteater", "UKM"],
    }


def test_the_week_is_the_iso_week_across_new_year(personas):
    # Tuesday 31 December 2024 and Thursday 2 January 2025 are both in ISO week 1 of 2025.
    activity(personas.arendal, "Nyttårskonsert", 1, 2)
    activity(personas.arendal, "Romjulskveld", 12, 31)
    assert clashes(personas.arendal, 2024) == {
        "Nyttårskonsert": [],  # 2 January 2024 is in week 1 of 2024; 31 December 2023 is not
        "Romjulskveld": ["Nyttårskonsert"],
    }


def test_national_activities_are_in_every_wheel_and_clash_too(personas):
    activity(None, "Nasjonal ungdomssamling", 9, 18, service="national")
    activity(personas.arendal, "Klubbtur", 9, 18, service="youth_club")
    activity(personas.sola, "Sola-festival", 3, 1)
    assert clashes(personas.arendal, 2026) == {
        "Klubbtur": ["Nasjonal ungdomssamling"],
        "Nasjonal ungdomssamling": ["Klubbtur"],
    }


def test_the_wheel_page_lists_the_year_and_flags_the_clash(client, personas):
    activity(personas.arendal, "UKM lokalmønstring", 2, 8, days=2)
    activity(personas.arendal, "Vinterkonsert", 2, 8, ages=(8, 19), service="kulturskole")
    activity(personas.arendal, "Søknadsfrist kulturskolen", 6, 1, ages=(6, 19))
    response = client.get(reverse("planning:wheel", args=["4203"]), {"year": 2026})
    assert response.status_code == 200
    text = response.text
    assert "2 aktiviteter kolliderer" in text
    assert "8. feb–9. feb" in text
    assert text.count("<tr>") == 4


def test_the_month_view_shows_days_with_activities(client, personas):
    activity(personas.arendal, "Søknadsfrist kulturskolen", 6, 1, ages=(6, 19))
    response = client.get(
        reverse("planning:wheel_month", args=["4203"]), {"year": 2026, "month": 6}
    )
    assert response.status_code == 200
    assert "juni 2026" in response.text
    assert "Søknadsfrist kulturskolen" in response.text
    weeks = month_grid(wheel_year(personas.arendal, year=2026), year=2026, month=6)
    first = [d for week in weeks for d in week if d["date"]][0]
    assert first["date"] == datetime.date(2026, 6, 1) and first["occurrences"]
    assert all(len(week) == 7 for week in weeks)


@pytest.mark.parametrize("query", [{"year": "abc"}, {"year": "1800"}, {"month": "13"}])
def test_bad_year_or_month_is_400(client, personas, query):
    response = client.get(reverse("planning:wheel_month", args=["4203"]), query)
    assert response.status_code == 400
    assert "Ugyldig år eller måned." in response.text


def test_the_wheel_is_an_icalendar_feed_repeating_yearly(client, personas):
    activity(personas.arendal, "UKM lokalmønstring", 2, 8, days=2)
    activity(None, "Nasjonal konferanse", 11, 12, service="national")
    activity(personas.sola, "Sola-festival", 3, 1)
    response = client.get("/kalender/4203/arshjul.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"UKM lokalmønstring", "Nasjonal konferanse"}
    ukm = events["UKM lokalmønstring"]
    assert ukm["rrule"]["FREQ"] == ["YEARLY"]
    assert (ukm["dtend"].dt - ukm["dtstart"].dt).days == 2
    assert ukm["dtstart"].dt.month == 2 and ukm["dtstart"].dt.day == 8


def test_an_unknown_municipality_has_no_wheel(client, db):
    assert client.get("/kalender/9999/arshjul.ics").status_code == 404
    assert client.get(reverse("planning:wheel", args=["9999"])).status_code == 404


def form(personas, **fields):
    return {
        "title": "Klubbsesongen starter", "service": "youth_club", "unit": personas.a.club.pk,
        "month": 8, "day": 25, "days": 1, "age_min": 10, "age_max": 18, **fields,
    }  # fmt: skip


def test_the_leader_adds_an_activity(client, personas):
    client.force_login(personas.leader_a)
    response = client.post(reverse("planning:wheel_activity_create", args=["4203"]), form(personas))
    assert response["Location"] == reverse("planning:wheel", args=["4203"])
    created = WheelActivity.objects.get()
    assert (created.municipality, created.unit, created.month, created.day) == (
        personas.arendal,
        personas.a.club,
        8,
        25,
    )
    assert AuditEntry.objects.filter(action="planning.wheel_activity_create").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"month": 2, "day": 29}, "Datoen finnes ikke hvert år."),
        ({"month": 4, "day": 31}, "Datoen finnes ikke hvert år."),
        ({"age_min": 15, "age_max": 13}, "Høyeste alder kan ikke være lavere enn laveste alder."),
    ],
)
def test_a_date_that_is_not_in_every_year_is_refused(client, personas, fields, message):
    client.force_login(personas.leader_a)
    response = client.post(
        reverse("planning:wheel_activity_create", args=["4203"]), form(personas, **fields)
    )
    assert response.status_code == 400
    assert message in response.text
    assert not WheelActivity.objects.exists()


def test_a_unit_of_another_municipality_is_not_offered(client, personas):
    client.force_login(personas.leader_a)
    response = client.post(
        reverse("planning:wheel_activity_create", args=["4203"]),
        form(personas, unit=personas.b.club.pk),
    )
    assert response.status_code == 400
    assert not WheelActivity.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("teacher_a", 403), ("leader_b", 404)])
def test_others_may_not_add_activities(client, personas, who, status):
    client.force_login(getattr(personas, who))
    response = client.post(reverse("planning:wheel_activity_create", args=["4203"]), form(personas))
    assert response.status_code == status
    assert not WheelActivity.objects.exists()


def test_the_wheel_page_is_a_fixed_number_of_queries(
    client, personas, django_assert_max_num_queries
):
    for n in range(1, 25):
        activity(personas.arendal, f"Aktivitet {n}", n % 12 + 1, n, unit=personas.a.ukm)
    # municipality (by code), activities with their units, the dates set for each year: three,
    # however many activities.
    with django_assert_max_num_queries(3):
        response = client.get(reverse("planning:wheel", args=["4203"]), {"year": 2026})
    assert response.text.count("<tr>") == 25


def test_a_national_coordinator_adds_an_activity_to_every_wheel(client, personas):
    data = {"title": "Nasjonal ungdomssamling", "month": 9, "day": 18, "days": 3,
            "age_min": 13, "age_max": 19}  # fmt: skip
    url = reverse("planning:national_activity_create")
    client.force_login(personas.leader_a)
    assert client.post(url, data).status_code == 403
    client.force_login(personas.coordinator)
    assert client.post(url, {**data, "day": 31}).status_code == 400
    assert client.post(url, data)["Location"] == reverse("planning:overview")
    created = WheelActivity.objects.get()
    assert (created.municipality, created.service) == (None, "national")
    assert clashes(personas.sola, 2026) == {"Nasjonal ungdomssamling": []}


def test_the_leader_changes_an_activity_and_the_audit_keeps_what_it_was(client, personas):
    changed = activity(personas.arendal, "UKM-festivalen", 3, 14)
    url = reverse("planning:wheel_activity_update", args=[changed.pk])
    client.force_login(personas.leader_a)
    assert client.get(url).status_code == 200
    response = client.post(url, form(personas, title="Klubbsesongen starter", month=9, day=1))
    assert response["Location"] == reverse("planning:wheel", args=["4203"])
    changed.refresh_from_db()
    assert (changed.title, changed.service, changed.unit, changed.month, changed.day) == (
        "Klubbsesongen starter",
        "youth_club",
        personas.a.club,
        9,
        1,
    )
    entry = AuditEntry.objects.get(action="planning.wheel_activity_update")
    assert entry.actor == personas.leader_a
    assert entry.changes["before"] == {
        "title": "UKM-festivalen",
        "rule": "fixed",
        "month": 3,
        "day": 14,
        "week": None,
        "weekday": None,
    }
    wheel = client.get(reverse("planning:wheel", args=["4203"]), {"year": 2026})
    assert url in wheel.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"month": 2, "day": 29}, "Datoen finnes ikke hvert år."),
        ({"title": ""}, "Feltet er påkrevet."),
        ({"unit": "other"}, "Velg et gyldig valg."),
    ],
)
def test_a_bad_change_is_refused_and_changes_nothing(client, personas, fields, message):
    kept = activity(personas.arendal, "UKM-festivalen", 3, 14)
    if fields.get("unit") == "other":
        fields["unit"] = personas.b.club.pk
    client.force_login(personas.leader_a)
    response = client.post(
        reverse("planning:wheel_activity_update", args=[kept.pk]), form(personas, **fields)
    )
    assert response.status_code == 400
    assert message in response.text
    assert "Endre «UKM-festivalen»" in response.text
    kept.refresh_from_db()
    assert (kept.title, kept.month, kept.day, kept.unit) == ("UKM-festivalen", 3, 14, None)
    assert not AuditEntry.objects.filter(action="planning.wheel_activity_update").exists()


@pytest.mark.parametrize(("who", "status"), [("teacher_a", 403), ("leader_b", 404)])
def test_others_may_not_change_or_delete_activities(client, personas, who, status):
    kept = activity(personas.arendal, "UKM-festivalen", 3, 14)
    client.force_login(getattr(personas, who))
    update = reverse("planning:wheel_activity_update", args=[kept.pk])
    delete = reverse("planning:wheel_activity_delete", args=[kept.pk])
    assert client.get(update).status_code == status
    assert client.post(update, form(personas)).status_code == status
    assert client.post(delete).status_code == status
    kept.refresh_from_db()
    assert kept.title == "UKM-festivalen"


def test_the_leader_deletes_an_activity_after_confirming(client, personas):
    gone = activity(personas.arendal, "UKM-festivalen", 3, 14)
    url = reverse("planning:wheel_activity_delete", args=[gone.pk])
    client.force_login(personas.leader_a)
    response = client.get(url)
    assert "Ta «UKM-festivalen» ut av årshjulet?" in response.text
    assert WheelActivity.objects.exists()
    response = client.post(url, follow=True)
    assert "«UKM-festivalen» er tatt ut av årshjulet." in response.text
    assert not WheelActivity.objects.exists()
    entry = AuditEntry.objects.get(action="planning.wheel_activity_delete")
    assert (entry.actor, entry.changes["title"]) == (personas.leader_a, "UKM-festivalen")


def test_only_national_coordinators_change_a_national_activity(client, personas):
    national = activity(None, "Nasjonal ungdomssamling", 9, 18, service="national")
    data = {"title": "Ungdomssamlingen", "month": 9, "day": 20, "days": 2,
            "age_min": 13, "age_max": 19}  # fmt: skip
    url = reverse("planning:wheel_activity_update", args=[national.pk])
    client.force_login(personas.leader_a)
    assert client.post(url, data).status_code == 403
    assert url not in client.get(reverse("planning:wheel", args=["4203"]), {"year": 2026}).text
    client.force_login(personas.coordinator)
    assert client.post(url, data)["Location"] == reverse("planning:overview")
    national.refresh_from_db()
    assert (national.title, national.day, national.service, national.municipality) == (
        "Ungdomssamlingen",
        20,
        "national",
        None,
    )
    client.post(reverse("planning:wheel_activity_delete", args=[national.pk]))
    assert not WheelActivity.objects.exists()


def test_the_clash_check_runs_for_the_year_being_saved(client, personas):
    # 8 and 9 February: Sunday and Monday in 2026 (weeks 6 and 7), Monday and Tuesday in 2027
    # (both week 6). The clash exists in 2027 only.
    activity(personas.arendal, "UKM lokalmønstring", 2, 8, ages=(10, 19))
    client.force_login(personas.leader_a)
    url = reverse("planning:wheel_activity_create", args=["4203"])
    wheel_page = reverse("planning:wheel", args=["4203"])
    assert f"{url}?year=2027" in client.get(wheel_page, {"year": 2027}).text
    response = client.post(f"{url}?year=2027", form(personas, month=2, day=9), follow=True)
    assert response.redirect_chain[0][0] == f"{wheel_page}?year=2027"
    assert "I 2027 kolliderer «Klubbsesongen starter» med «UKM lokalmønstring»" in response.text
    # Saved while looking at 2026: no clash that year, no warning.
    created = WheelActivity.objects.get(title="Klubbsesongen starter")
    edit = reverse("planning:wheel_activity_update", args=[created.pk])
    response = client.post(
        f"{edit}?year=2026", form(personas, month=2, day=9, title="Klubbkveld"), follow=True
    )
    assert response.redirect_chain[0][0] == f"{wheel_page}?year=2026"
    assert "kolliderer «Klubbkveld»" not in response.text
    assert "Aktiviteten er endret." in response.text
    # The same edit seen from 2027 warns.
    response = client.post(
        f"{edit}?year=2027", form(personas, month=2, day=9, title="Klubbkveld"), follow=True
    )
    assert "I 2027 kolliderer «Klubbkveld» med «UKM lokalmønstring»" in response.text
