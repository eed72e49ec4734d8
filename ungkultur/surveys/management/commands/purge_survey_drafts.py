from django.core.management.base import BaseCommand
from django.utils import timezone

from ungkultur.surveys.services import answer_draft_purge


class Command(BaseCommand):
    help = (
        "Delete survey answers in progress that began 24 hours ago or more (abandoned; sent "
        "ones are deleted at once). Run hourly from cron; running it again changes nothing."
    )

    def handle(self, *args, **options):
        count = answer_draft_purge(now=timezone.now())
        self.stdout.write(f"{count} unfinished survey answer(s) deleted.")
