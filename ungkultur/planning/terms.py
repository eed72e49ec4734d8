"""Terms as written in collaborations: ``2024H`` is autumn (1 August–31 December 2024),
``2025V`` is spring (1 January–31 July 2025), as in DESIGN.md §4."""

import datetime
import re

TERM_PATTERN = re.compile(r"^(\d{4})([HV])$")


def term_is_valid(term: str) -> bool:
    return bool(TERM_PATTERN.match(term or ""))


def term_of(day: datetime.date) -> str:
    return f"{day.year}{'H' if day.month >= 8 else 'V'}"


def term_bounds(term: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day (both included)."""
    year, half = TERM_PATTERN.match(term).groups()
    year = int(year)
    if half == "H":
        return datetime.date(year, 8, 1), datetime.date(year, 12, 31)
    return datetime.date(year, 1, 1), datetime.date(year, 7, 31)


def term_before(term: str) -> str:
    year, half = TERM_PATTERN.match(term).groups()
    return f"{year}V" if half == "H" else f"{int(year) - 1}H"


def term_sort_key(term: str) -> tuple[int, int]:
    year, half = TERM_PATTERN.match(term).groups()
    return int(year), 1 if half == "H" else 0
