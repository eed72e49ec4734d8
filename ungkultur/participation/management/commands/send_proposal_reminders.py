from django.core.management.base import BaseCommand
from django.utils import timezone

from ungkultur.participation.services import proposal_reminders_send


class Command(BaseCommand):
    help = (
        "Remind each project group of unanswered proposals before their answer deadline "
        "(UNGKULTUR_PARTICIPATION_REMINDER_DAYS) and when it has passed. Run daily (or hourly) "
        "from cron; each reminder goes out once, however often it runs."
    )

    def handle(self, *args, **options):
        count = proposal_reminders_send(now=timezone.now())
        self.stdout.write(f"{count} reminder(s) sent.")
