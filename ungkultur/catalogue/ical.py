"""The municipality's sessions as an iCalendar feed (RFC 5545) for calendar apps."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

OSLO = ZoneInfo("Europe/Oslo")


def session_uid(session) -> str:
    """Stable across feeds and time, so a calendar app updates an event rather than doubling it."""
    return f"session-{session.pk}@ungkultur"


def _location(venue) -> str:
    if venue is None:
        return ""
    return f"{venue.name}, {venue.address}" if venue.address else venue.name


def _event(session, *, now: datetime.datetime) -> Event:
    offer = session.offer
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("dtstart", session.starts_at.astimezone(OSLO))
    event.add("dtend", session.ends_at.astimezone(OSLO))
    event.add("summary", offer.title)
    location = _location(session.venue or offer.venue)
    if location:
        event.add("location", location)
    event.add("url", settings.SITE_URL + reverse("catalogue:offer_detail", args=[offer.pk]))
    description = offer.unit.name
    if session.is_cancelled:
        event.add("status", "CANCELLED")
        if session.cancel_reason:
            description += "\n" + _("Avlyst: %(reason)s") % {"reason": session.cancel_reason}
    else:
        event.add("status", "CONFIRMED")
    event.add("description", description)
    return event


def sessions_calendar(sessions, *, name: str, now: datetime.datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Ungkultur//Kalender//NO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Oslo")
    last = None
    for session in sessions:
        calendar.add_component(_event(session, now=now))
        last = session.ends_at
    if last is not None:
        # Only the rules for the years the feed covers, not every change since 1970.
        first = (now - datetime.timedelta(days=366)).date()
        calendar.add_missing_timezones(
            first_date=first, last_date=last.date() + datetime.timedelta(days=366)
        )
    return calendar.to_ical()
