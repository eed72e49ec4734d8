"""The web side of the refresh test (test_indicator_refresh.py), in one process of its own as
a web server is, with the project's real settings (`make run`: a per-process memory cache):
make a change, wait until the task worker (another process) has refreshed the figures, make a
second change, wait again. Prints the seconds each took as JSON; exits 1 if one never showed.

    python -m tests.concurrency.refresh_web LIMIT_SECONDS
"""

import json
import sys
import time


def main(limit: float) -> int:
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from ungkultur.catalogue.models import Category
    from ungkultur.indicators.models import IndicatorValue
    from ungkultur.lib.terms import Term
    from ungkultur.participation.models import Proposal
    from ungkultur.participation.services import proposal_answer, proposal_create
    from ungkultur.testing import make_personas

    p = make_personas()
    term = str(Term.containing(timezone.localdate()))

    def answered() -> float | None:
        cell = IndicatorValue.objects.filter(
            municipality=p.arendal, term=term, key="influence.answered_on_time", breakdown=""
        ).first()
        return None if cell is None else cell.denominator

    waited = []
    for n in (1, 2):
        # A proposal counts in the figure once answered (or late: one whose deadline is still
        # ahead does not), so each change is a proposal the project leader answers at once.
        with transaction.atomic():
            proposal = proposal_create(
                actor=p.youth_a,
                municipality=p.arendal,
                title=f"Forslag {n}",
                text="Et øvingsrom for band på fredager.",
                category=Category.MUSIC,
                services=[],
                now=timezone.now(),
            )
            proposal_answer(
                actor=p.leader_a,
                proposal=proposal,
                status=Proposal.Status.ACCEPTED,
                answer="Ja, vi åpner øvingsrommet på fredager.",
                youth_participants=[],
                now=timezone.now(),
            )
        started = time.monotonic()
        while answered() != n:
            if time.monotonic() - started > limit:
                print(json.dumps({"waited": waited, "stale_at": n, "shown": answered()}))
                return 1
            time.sleep(0.5)
        waited.append(round(time.monotonic() - started, 1))
    print(json.dumps({"waited": waited}))
    return 0


if __name__ == "__main__":
    sys.exit(main(float(sys.argv[1])))
