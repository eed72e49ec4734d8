"""Demo data for participation."""

import datetime


def seed_participation(*, municipalities: list, today: datetime.date) -> None:
    """Seed participation for the pilot municipalities (idempotent)."""
