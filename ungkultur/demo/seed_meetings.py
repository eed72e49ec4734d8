"""Demo data for meetings."""

import datetime


def seed_meetings(*, municipalities: list, today: datetime.date) -> None:
    """Seed meetings for the pilot municipalities (idempotent)."""
