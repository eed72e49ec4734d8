from django.core.management.base import BaseCommand
from django.utils import timezone

from ungkultur.participation.services import digests_send


class Command(BaseCommand):
    help = (
        "Send each person one e-mail with their new participation notices (unless they opted "
        "out). Run daily from cron; a second run the same day sends nothing to the same person."
    )

    def handle(self, *args, **options):
        count = digests_send(now=timezone.now())
        self.stdout.write(f"{count} digest(s) sent.")
