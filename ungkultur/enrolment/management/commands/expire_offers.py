from django.core.management.base import BaseCommand
from django.utils import timezone

from ungkultur.enrolment.services import enrolment_offers_expire


class Command(BaseCommand):
    help = (
        "Mark offered places not answered by their deadline as expired and offer each place to "
        "the next on the waiting list. Run from cron; running it again changes nothing."
    )

    def handle(self, *args, **options):
        count = enrolment_offers_expire(now=timezone.now())
        self.stdout.write(f"{count} offered place(s) expired.")
