"""Disclosure control (DESIGN.md §5): no published number rests on fewer than n people.

Primary suppression hides every count from 1 to n − 1. Secondary suppression: where the total of
a set of cells is published, a single hidden cell could be worked out by subtraction, so the
smallest other non-zero cell is hidden too.
"""

from collections.abc import Hashable, Mapping


def suppress(cells: Mapping[Hashable, int], *, n: int) -> dict[Hashable, int | None]:
    """The cells with small counts replaced by None (zeros stay: they rest on no one)."""
    shown = {key: (None if 0 < count < n else count) for key, count in cells.items()}
    hidden = [key for key, value in shown.items() if value is None]
    if len(hidden) == 1:
        others = [(count, str(key)) for key, count in shown.items() if count]
        if others:
            _, smallest = min(others)
            key = next(k for k in shown if str(k) == smallest)
            shown[key] = None
    return shown


def suppress_total(total: int, *, n: int) -> int | None:
    return None if 0 < total < n else total
