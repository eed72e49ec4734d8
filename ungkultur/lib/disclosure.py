"""Disclosure control (docs/privacy.md): no published number rests on fewer than n people.

Primary suppression hides every count from 1 to n − 1. Secondary suppression: where the total of
a set of cells is published, a single hidden cell could be worked out by subtraction, so the
smallest other non-zero cell is hidden too.
"""

from collections.abc import Hashable, Iterable, Mapping

from django.utils.translation import gettext as _


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


def hidden_label(count: int, shown: int | None, *, n: int) -> str | None:
    """What to write for a hidden count: "færre enn n" only when it is (primary suppression);
    a count hidden to protect another (secondary) is "skjult". None for a shown count."""
    if shown is not None:
        return None
    if 0 < count < n:
        return _("færre enn %(n)s") % {"n": n}
    return _("skjult")


# --- Tables with margins ------------------------------------------------------------------------

TOTAL = "__total__"


class ProtectedTable:
    """A two-way table of counts with its row, column and grand totals, after suppression.

    ``cells[(row, column)]``, ``row_totals[row]``, ``column_totals[column]`` and ``total`` are
    counts or None where hidden.
    """

    def __init__(self, rows, columns, values: dict):
        self.rows = list(rows)
        self.columns = list(columns)
        self.cells = {(r, c): values[(r, c)] for r in self.rows for c in self.columns}
        self.row_totals = {r: values[(r, TOTAL)] for r in self.rows}
        self.column_totals = {c: values[(TOTAL, c)] for c in self.columns}
        self.total = values[(TOTAL, TOTAL)]

    def hidden(self) -> set:
        """The hidden positions, margins as (row, TOTAL), (TOTAL, column) and (TOTAL, TOTAL)."""
        found = {key for key, value in self.cells.items() if value is None}
        found |= {(r, TOTAL) for r, value in self.row_totals.items() if value is None}
        found |= {(TOTAL, c) for c, value in self.column_totals.items() if value is None}
        return found | ({(TOTAL, TOTAL)} if self.total is None else set())


def suppress_table(
    cells: Mapping[tuple[Hashable, Hashable], int],
    *,
    rows: list | None = None,
    columns: list | None = None,
    n: int,
    whole_rows: bool = False,
    also_hidden: Iterable = (),
    total_row: Iterable | None = None,
) -> ProtectedTable:
    """Protect a two-way table whose row, column and grand totals are published with it.

    Primary suppression hides every count (cell or total) from 1 to n − 1. Secondary
    suppression then hides more until no hidden number can be worked out from what is shown:
    every row and every column (each with its total) has no hidden number or at least two, and
    every hidden number lies on a cycle of hidden numbers. In a two-way table a hidden number
    that lies on no such cycle is fixed by the sums, however many others are hidden around it
    (the hidden numbers are the edges of a graph of rows and columns, and exactly the bridges
    of that graph are determined). Cells are hidden in preference to totals, small before
    large; zeros stay shown, since they rest on no one.

    With ``whole_rows`` each row is a group of people (a municipality, a gender) and a row with
    fewer than n people is hidden whole, its zeros too: "0 of 3 chose B" tells what the 3
    chose. So is the whole table when the grand total is under n. The hidden zeros then take
    part in secondary suppression like any hidden number.

    ``also_hidden`` names positions ((row, column), TOTAL for a margin) hidden from the start, for
    another reason than their own count: a table linked to others (``surveys.results``, a
    national table beside each municipality's) hides what any of them hides.

    ``total_row`` fixes the total row: the columns (TOTAL for the grand total) where it is
    hidden, and it is hidden nowhere else. A split table's total row is the table of the same
    people without split, published too; given that table's hidden columns, both show the very
    same numbers (``surveys.results._table``). Secondary suppression then hides cells of the
    group rows only, and also joins the hidden columns of the total row: every one of them is
    linked to every other by hidden cells of the group rows (one component of the hidden
    numbers without the total row). So this table determines no sum of hidden total-row
    numbers but their grand sum, which the total row itself gives; another table split
    otherwise with the same total row determines no other sum either, and the two together
    reveal nothing that one of them hides. If that cannot be had from the group rows (it
    always can in practice), all of the group rows are hidden.
    """
    rows = list(rows) if rows is not None else list(dict.fromkeys(r for r, _ in cells))
    columns = list(columns) if columns is not None else list(dict.fromkeys(c for _, c in cells))
    counts: dict = {}
    for r in rows:
        for c in columns:
            counts[(r, c)] = int(cells.get((r, c), 0))
    for r in rows:
        counts[(r, TOTAL)] = sum(counts[(r, c)] for c in columns)
    for c in columns:
        counts[(TOTAL, c)] = sum(counts[(r, c)] for r in rows)
    counts[(TOTAL, TOTAL)] = sum(counts[(r, TOTAL)] for r in rows)
    forced = {key for key in also_hidden if key in counts}
    kept: set = set()  # positions secondary suppression never hides: the fixed total row
    if total_row is not None:
        fixed = {(TOTAL, c) for c in total_row if (TOTAL, c) in counts}
        kept = {(TOTAL, c) for c in [*columns, TOTAL]} - fixed
        forced |= fixed
    if not forced and not any(0 < count < n for count in counts.values()):
        return ProtectedTable(rows, columns, counts)  # nothing small: nothing to hide
    small_rows = _small_rows(counts, rows, n) if whole_rows else []
    hidden: set = set()
    all_rows, all_columns = [*rows, TOTAL], [*columns, TOTAL]
    order = {key: i for i, key in enumerate(counts)}
    members = {("r", r): [(r, c) for c in all_columns] for r in all_rows}
    members.update({("c", c): [(r, c) for r in all_rows] for c in all_columns})
    hidden_in = dict.fromkeys(members, 0)
    singles: set = set()

    def hide(key) -> None:
        hidden.add(key)
        for line in (("r", key[0]), ("c", key[1])):
            hidden_in[line] += 1
            if hidden_in[line] == 1:
                singles.add(line)
            else:
                singles.discard(line)

    def cost(key):
        # First a number that also pairs a lone hidden number in its other line, then a cell
        # before a total, a small number before a large one, then table order.
        r, c = key
        pairs = (("r", r) in singles) + (("c", c) in singles)
        return (-pairs, TOTAL in key, counts[key], order[key])

    for key, count in counts.items():
        if 0 < count < n or key[0] in small_rows or key in forced:
            hide(key)
    if small_rows and 0 < counts[(TOTAL, TOTAL)] < n:
        for c in all_columns:
            if (TOTAL, c) not in hidden:
                hide((TOTAL, c))  # the whole table rests on fewer than n: nothing of it shows
    stuck: set = set()
    while True:
        # Rows and columns of cells before the margins: pairing inside the table hides less.
        open_lines = sorted(singles - stuck, key=lambda line: (line[1] == TOTAL, repr(line)))
        if open_lines:
            line = open_lines[0]
            candidates = [
                k for k in members[line] if k not in hidden and counts[k] and k not in kept
            ]
            if candidates:
                hide(min(candidates, key=cost))
            else:
                stuck.add(line)  # only zeros beside it: its total equals the hidden number
            continue
        bridge = _a_bridge(hidden)
        if bridge is not None:
            # Hide one more number joining the two sides the bridge holds together: a cycle.
            sides = (
                _reachable(hidden - {bridge}, ("r", bridge[0])),
                _reachable(hidden - {bridge}, ("c", bridge[1])),
            )
        elif total_row is not None and (apart := _apart_in_total_row(hidden, all_columns)):
            sides = apart  # join two parts of the hidden total row through the group rows
        else:
            break
        candidates = [
            (r, c)
            for r in all_rows
            for c in all_columns
            if (r, c) not in hidden
            and (r, c) not in kept
            and (
                (("r", r) in sides[0] and ("c", c) in sides[1])
                or (("r", r) in sides[1] and ("c", c) in sides[0])
            )
        ]
        if not candidates:
            if not _hide_group_rows(hide, hidden, rows, all_columns):
                break
            continue
        positive = [key for key in candidates if counts[key]]
        # Only zeros left to pair with: hiding one still leaves the number open (upwards).
        hide(min(positive or candidates, key=cost))
    values = {key: (None if key in hidden else count) for key, count in counts.items()}
    return ProtectedTable(rows, columns, values)


def _hide_group_rows(hide, hidden, rows, all_columns) -> bool:
    """The last resort of a fixed total row: every number of the group rows hidden. Each is on
    a cycle (two rows, two columns), and every hidden total-row number is joined to every other
    through any group row."""
    missing = [(r, c) for r in rows for c in all_columns if (r, c) not in hidden]
    for key in missing:
        hide(key)
    return bool(missing)


def _apart_in_total_row(hidden, all_columns):
    """Two parts of the hidden numbers, the total row left out, that each hold a hidden
    total-row number (the nodes of each part), or None if all of those are in one part."""
    body = {key for key in hidden if key[0] != TOTAL}
    parts: list = []
    for c in all_columns:
        if (TOTAL, c) not in hidden or any(("c", c) in part for part in parts):
            continue
        parts.append(_reachable(body, ("c", c)))
        if len(parts) == 2:
            return parts
    return None


def _small_rows(counts, rows, n) -> list:
    return [r for r in rows if 0 < counts[(r, TOTAL)] < n]


def too_few(total: int, *, n: int) -> bool:
    """Whether a group of ``total`` people is too small to show anything of (not empty)."""
    return 0 < total < n


def _graph(hidden) -> dict:
    edges: dict = {}
    for r, c in hidden:
        edges.setdefault(("r", r), []).append((("c", c), (r, c)))
        edges.setdefault(("c", c), []).append((("r", r), (r, c)))
    return edges


def _a_bridge(hidden):
    """One hidden position that lies on no cycle of hidden positions (Tarjan, iteratively)."""
    edges = _graph(hidden)
    seen: dict = {}
    low: dict = {}
    counter = 0
    for root in edges:
        if root in seen:
            continue
        seen[root] = low[root] = counter
        counter += 1
        stack = [(root, None, iter(edges[root]))]
        while stack:
            node, via, neighbours = stack[-1]
            for other, key in neighbours:
                if key == via:
                    continue
                if other in seen:
                    low[node] = min(low[node], seen[other])
                else:
                    seen[other] = low[other] = counter
                    counter += 1
                    stack.append((other, key, iter(edges[other])))
                    break
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > seen[parent]:
                        return via
    return None


def _reachable(hidden, start) -> set:
    """The rows and columns joined to ``start`` by hidden positions."""
    edges = _graph(hidden)
    side, todo = {start}, [start]
    while todo:
        node = todo.pop()
        for other, _key in edges.get(node, []):
            if other not in side:
                side.add(other)
                todo.append(other)
    return side
