from django.utils import timezone
from django_tasks import task

from ungkultur.core.tasks import retry_transient
from ungkultur.participation.services import digests_send, proposal_reminders_send


@task()
@retry_transient
def send_participation_digests() -> int:
    """The daily digest of participation notices: at most one e-mail per person per day."""
    return digests_send(now=timezone.now())


@task()
@retry_transient
def send_proposal_reminders() -> int:
    """Reminders to the project groups of proposals near or past their answer deadline."""
    return proposal_reminders_send(now=timezone.now())
