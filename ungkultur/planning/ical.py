"""The annual wheel as an iCalendar feed (RFC 5545): an activity on the same date every year once,
repeating yearly; the others once for this year and once for the next, where they are held."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def activity_uid(activity) -> str:
    """Stable across feeds and time, so a calendar app updates an event rather than doubling it."""
    return f"arshjul-{activity.pk}@ungkultur"


def _event(activity, *, year: int, now: datetime.datetime) -> Event:
    """The activity in ``year``; one on the same date every year repeats yearly, the others
    (a week of a month, a date set each year) are one event a year with their own UID."""
    event = Event()
    fixed = activity.rule == activity.Rule.FIXED
    uid = activity_uid(activity)
    event.add("uid", uid if fixed else uid.replace("@", f"-{year}@"))
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("dtstart", activity.starts_in(year))
    # All-day events end on the day after the last (DTEND is not included).
    event.add("dtend", activity.ends_in(year) + datetime.timedelta(days=1))
    if fixed:
        event.add("rrule", {"freq": "yearly"})
    event.add("summary", activity.title)
    description = [activity.get_service_display()]
    if activity.unit is not None:
        description.append(activity.unit.name)
    description.append(_("%(min)s–%(max)s år") % {"min": activity.age_min, "max": activity.age_max})
    if activity.description:
        description.append(activity.description)
    event.add("description", "\n".join(description))
    event.add("categories", [activity.get_service_display()])
    if activity.municipality is not None:
        event.add(
            "url",
            settings.SITE_URL + reverse("planning:wheel", args=[activity.municipality.code]),
        )
    return event


def wheel_calendar(activities, *, name: str, now: datetime.datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Ungkultur//Arshjul//NO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Oslo")
    for activity in activities.select_related("municipality", "unit").prefetch_related("dates"):
        if activity.rule == activity.Rule.FIXED:
            calendar.add_component(_event(activity, year=now.year, now=now))
            continue
        for year in (now.year, now.year + 1):
            if activity.starts_in(year) is not None:
                calendar.add_component(_event(activity, year=year, now=now))
    return calendar.to_ical()
