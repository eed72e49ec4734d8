from django.core.management.base import BaseCommand
from django.utils import timezone

from ungkultur.meetings.services import event_answers_purge


class Command(BaseCommand):
    help = (
        "Delete answers to sensitive registration questions (such as dietary needs) of events "
        "that have ended. Run daily from cron; running it again changes nothing."
    )

    def handle(self, *args, **options):
        count = event_answers_purge(now=timezone.now())
        self.stdout.write(f"{count} sensitive answer(s) deleted.")
