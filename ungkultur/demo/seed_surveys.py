"""Demo data for surveys."""

import datetime


def seed_surveys(*, municipalities: list, today: datetime.date) -> None:
    """Seed surveys for the pilot municipalities (idempotent)."""
