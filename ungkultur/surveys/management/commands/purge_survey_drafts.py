from django.core.management.base import BaseCommand
from django.utils import timezone

from ungkultur.surveys.services import answer_draft_purge, pending_responses_move_all


class Command(BaseCommand):
    help = (
        "Delete survey answers in progress that began 24 hours ago or more (abandoned; sent "
        "ones are deleted at once), and move sent responses still waiting: groups of at least n "
        "a task missed, and all of a wave that no longer takes responses. Run hourly from "
        "cron; running it again changes nothing."
    )

    def handle(self, *args, **options):
        count = answer_draft_purge(now=timezone.now())
        self.stdout.write(f"{count} unfinished survey answer(s) deleted.")
        moved = pending_responses_move_all(today=timezone.localdate())
        self.stdout.write(f"{moved} sent survey response(s) moved.")
