from django.core.management.base import BaseCommand
from django.utils import timezone

from ungkultur.enrolment.services import enrolment_reregistration_close


class Command(BaseCommand):
    help = (
        "End every active place whose re-registration deadline has passed without an answer "
        "(as kulturskoler do). Run daily from cron; running it again changes nothing."
    )

    def handle(self, *args, **options):
        count = enrolment_reregistration_close(now=timezone.now())
        self.stdout.write(f"{count} place(s) ended for want of re-registration.")
