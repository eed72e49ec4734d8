from django.core.management.base import BaseCommand
from django.utils import timezone

from ungkultur.meetings.services import action_item_reminders_send


class Command(BaseCommand):
    help = (
        "Remind the owners of open action items from minutes before their due date "
        "(UNGKULTUR_MEETINGS_ACTION_REMINDER_DAYS) and when it has passed. Run daily from cron; "
        "each reminder goes out once, however often it runs."
    )

    def handle(self, *args, **options):
        count = action_item_reminders_send(now=timezone.now())
        self.stdout.write(f"{count} reminder(s) sent.")
