from django.core.management.base import BaseCommand
from django.utils import timezone

from ungkultur.evaluations.services import deadline_reminders_send


class Command(BaseCommand):
    help = (
        "Remind the project leaders of KK municipalities that have not answered an evaluation "
        "round, a week before its deadline. Run daily from cron; each round reminds once."
    )

    def handle(self, *args, **options):
        count = deadline_reminders_send(now=timezone.now())
        self.stdout.write(f"{count} reminder(s) sent.")
