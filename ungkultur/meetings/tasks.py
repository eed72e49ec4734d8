import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task

from ungkultur.core.tasks import retry_transient
from ungkultur.meetings.services import action_item_reminders_send, event_answers_purge


@task()
@retry_transient
def purge_event_answers() -> int:
    """Delete sensitive registration answers of ended events (store the minimum)."""
    return event_answers_purge(now=timezone.now())


@task()
@retry_transient(
    also=(ConnectionError, TimeoutError, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)
)
def send_email_with_calendar(*, subject: str, body: str, to: list[str], ics: str, method: str):
    """A plain-text e-mail with the event as an iCalendar attachment (invite.ics)."""
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    message.attach("invite.ics", ics, f"text/calendar; method={method}; charset=utf-8")
    return message.send()


@task()
@retry_transient
def send_action_reminders() -> int:
    """Reminders to owners of action items near or past their due date."""
    return action_item_reminders_send(now=timezone.now())
