"""Demo data for planning."""

import datetime


def seed_planning(*, municipalities: list, today: datetime.date) -> None:
    """Seed planning for the pilot municipalities (idempotent)."""
