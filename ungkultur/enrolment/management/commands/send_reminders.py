from django.core.management.base import BaseCommand
from django.utils import timezone

from ungkultur.enrolment.services import enrolment_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail a reminder to those offered a place with less than a day left to answer, and to "
        "pupils who have not re-registered with the deadline three days or less away. Run hourly "
        "from cron; nobody is reminded twice of the same deadline."
    )

    def handle(self, *args, **options):
        count = enrolment_reminders_send(now=timezone.now())
        self.stdout.write(f"{count} reminder(s) sent.")
