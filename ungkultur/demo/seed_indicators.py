"""Demo data for indicators."""

import datetime


def seed_indicators(*, municipalities: list, today: datetime.date) -> None:
    """Seed indicators for the pilot municipalities (idempotent)."""
