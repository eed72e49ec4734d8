"""Meetings and events as an iCalendar feed (RFC 5545): public facts only, no personal data."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

OSLO = ZoneInfo("Europe/Oslo")


def _vevent(event, *, now: datetime.datetime) -> VEvent:
    vevent = VEvent()
    # Stable, so a calendar app moves a moved meeting rather than doubling it.
    vevent.add("uid", f"event-{event.pk}@ungkultur")
    vevent.add("dtstamp", now.astimezone(datetime.UTC))
    vevent.add("dtstart", event.starts_at.astimezone(OSLO))
    vevent.add("dtend", event.ends_at.astimezone(OSLO))
    vevent.add("summary", event.title)
    if event.place:
        vevent.add("location", event.place)
    vevent.add("url", settings.SITE_URL + reverse("meetings:event_detail", args=[event.pk]))
    description = event.get_kind_display().capitalize()
    if event.is_cancelled:
        vevent.add("status", "CANCELLED")
        description += "\n" + _("Avlyst: %(reason)s") % {"reason": event.cancel_reason}
    else:
        vevent.add("status", "CONFIRMED")
    vevent.add("description", description)
    return vevent


def events_calendar(events, *, name: str, now: datetime.datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Ungkultur//Møter//NO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Oslo")
    last = None
    for event in events:
        calendar.add_component(_vevent(event, now=now))
        last = max(last, event.ends_at) if last else event.ends_at
    if last is not None:
        first = (now - datetime.timedelta(days=366)).date()
        calendar.add_missing_timezones(
            first_date=first, last_date=last.date() + datetime.timedelta(days=366)
        )
    return calendar.to_ical()
