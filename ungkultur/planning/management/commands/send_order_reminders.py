from django.core.management.base import BaseCommand
from django.utils import timezone

from ungkultur.planning.services import order_reminders_send


class Command(BaseCommand):
    help = (
        "Remind organisations' coordinators of competence orders waiting for an answer or for a "
        "date. Run daily from cron; each reminder goes out once, however often it runs."
    )

    def handle(self, *args, **options):
        count = order_reminders_send(now=timezone.now())
        self.stdout.write(f"{count} reminder(s) sent.")
