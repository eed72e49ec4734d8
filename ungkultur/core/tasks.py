import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult


@task()
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail. Texts are rendered by the caller, in the user's language."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


@task()
def worker_heartbeat() -> None:
    """Show /readyz that a worker takes tasks from the queue.

    django_tasks_db records no polls of its own, only the tasks a worker starts; so this one
    queues its successor a few seconds ahead and a live worker starts one every interval.
    Finished heartbeats are deleted after ten minutes.
    """
    now = timezone.now()
    heartbeats = DBTaskResult.objects.filter(task_path=worker_heartbeat.module_path)
    # Two chains (two first probes at once) merge: the later one sees the other waiting.
    if not heartbeats.filter(status="READY").exists():
        interval = datetime.timedelta(seconds=settings.UNGKULTUR_WORKER_HEARTBEAT_INTERVAL)
        worker_heartbeat.using(run_after=now + interval).enqueue()
    heartbeats.filter(finished_at__lt=now - datetime.timedelta(minutes=10)).delete()
