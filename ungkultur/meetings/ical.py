"""Meetings and events as an iCalendar feed (RFC 5545): public facts only, no personal data."""

import datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

OSLO = ZoneInfo("Europe/Oslo")


def _vevent(event, *, now: datetime.datetime, personal: bool = False) -> VEvent:
    """One VEVENT. ``personal`` (an invitee's own e-mail, not the public feed) adds the online
    meeting's link to the description."""
    vevent = VEvent()
    # Stable, so a calendar app moves a moved meeting rather than doubling it.
    vevent.add("uid", f"event-{event.pk}@ungkultur")
    # Raised on every move and cancellation: a calendar keeps the copy with the highest.
    vevent.add("sequence", event.sequence)
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
    if personal and event.online_url:
        description += "\n" + _("Nettmøte: %(url)s") % {"url": event.online_url}
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


def event_invitation(event, *, method: str, attendee: str, now: datetime.datetime) -> str:
    """An iTIP message (RFC 5546) for one person's e-mail: ``REQUEST`` for an invitation or a
    change, ``CANCEL`` for a cancellation. The UID stays the event's and the SEQUENCE its number
    of changes, so a phone's calendar updates the entry it already has."""
    calendar = Calendar()
    calendar.add("prodid", "-//Ungkultur//Møter//NO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    vevent = _vevent(event, now=now, personal=True)
    vevent.add("organizer", f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    vevent.add("attendee", f"mailto:{attendee}", parameters={"ROLE": "REQ-PARTICIPANT"})
    calendar.add_component(vevent)
    return calendar.to_ical().decode()
