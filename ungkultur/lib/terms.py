"""Terms: half school years, written ``2024H`` (autumn: 1 August – 31 December 2024) and
``2025V`` (spring: 1 January – 31 July 2025). docs/indicators.md."""

import datetime
import re
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
TERM_PATTERN = re.compile(r"^(\d{4})([HV])$")
SPRING, AUTUMN = "V", "H"


@dataclass(frozen=True)
class Term:
    year: int
    half: str  # "V" (vår, spring) or "H" (høst, autumn)

    @classmethod
    def parse(cls, text: str) -> "Term":
        """The term written as ``2024H`` or ``2025V``; ValidationError with a Norwegian message."""
        match = TERM_PATTERN.match((text or "").strip().upper())
        if match is None or not 1900 <= int(match[1]) <= 2999:
            raise ValidationError(
                _("Ukjent semester «%(term)s». Skriv år og H for høst eller V for vår, som 2024H.")
                % {"term": text},
                code="invalid_term",
            )
        return cls(int(match[1]), match[2])

    @classmethod
    def containing(cls, day: datetime.date) -> "Term":
        return cls(day.year, AUTUMN if day.month >= 8 else SPRING)

    @classmethod
    def from_index(cls, index: int) -> "Term":
        return cls(index // 2, AUTUMN if index % 2 else SPRING)

    @property
    def index(self) -> int:
        """Terms in order: spring of a year, then its autumn."""
        return self.year * 2 + (1 if self.half == AUTUMN else 0)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 8 if self.half == AUTUMN else 1, 1)

    @property
    def end(self) -> datetime.date:
        """The last day, inclusive."""
        return (
            datetime.date(self.year, 12, 31)
            if self.half == AUTUMN
            else datetime.date(self.year, 7, 31)
        )

    @property
    def starts_at(self) -> datetime.datetime:
        """Midnight in Oslo at the start: the instant the term begins."""
        return datetime.datetime.combine(self.start, datetime.time(), tzinfo=OSLO)

    @property
    def ends_at(self) -> datetime.datetime:
        """Midnight in Oslo after the last day: terms are [starts_at, ends_at)."""
        return datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time(), tzinfo=OSLO
        )

    @property
    def label(self) -> str:
        if self.half == AUTUMN:
            return _("høst %(year)s") % {"year": self.year}
        return _("vår %(year)s") % {"year": self.year}

    def previous(self) -> "Term":
        return Term.from_index(self.index - 1)

    def next(self) -> "Term":
        return Term.from_index(self.index + 1)

    def __str__(self) -> str:
        return f"{self.year}{self.half}"

    def __lt__(self, other: "Term") -> bool:
        return self.index < other.index

    def __le__(self, other: "Term") -> bool:
        return self.index <= other.index


def is_term(text: str) -> bool:
    """True for a term written as ``2024H`` or ``2025V``."""
    try:
        Term.parse(text)
    except ValidationError:
        return False
    return True


def term_range(first: Term, last: Term) -> list[Term]:
    """Every term from first to last, both included, in order."""
    return [Term.from_index(i) for i in range(first.index, last.index + 1)]


def terms_before(term: Term, count: int) -> list[Term]:
    """``count`` terms ending with ``term``, oldest first."""
    return term_range(Term.from_index(term.index - count + 1), term)
