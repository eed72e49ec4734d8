"""The published responses of a wave: results that a before/after comparison cannot read one
response from (docs/privacy.md, "live results must resist differencing").

Every page, aggregate export and API answer about a wave is computed from one set P of its
responses, the same for everyone who asks; ``results.wave_frame`` reads it.

The rule. The first time results are asked for, P is every response then stored: a single
publication is protected by the tables' own suppression. After that P only grows, and it grows
by B, the largest set of new responses in which every group of every grouping has either no
member or at least n. The groupings G are every set of at most two of the background columns
(municipality, gender, age, grade), and the municipality with any two others: the rows of
every table an open wave's results can show (split by up to two, filtered to a municipality or
not). G holds every subset of each of its members, so the margins of a table (the "Alle" row,
a municipality's total) are groups of G too. Responses outside B wait for the next time.

Claim: for any two publications P_s ⊂ P_t and any group g of G, |(P_t − P_s) ∩ g| is 0 or at
least n. Proof: P_t − P_s is the disjoint union of the batches B_{s+1} … B_t that came between
them (P only grows by its batches), each of which has 0 or at least n members in g by
construction, and a sum of numbers each 0 or at least n is 0 or at least n. Hence, even for
someone who knew two versions of a table in full (hidden numbers too), their difference is a
table of new responses in which every row rests on nobody or on at least n people: the kind
of number a published table shows for a group of n, never one response's answer. Two
different tables compared over time (a page and a filtered page, a split and no split) share
only groups of G and single questions' counts in them, so the same holds. The comparison of
waves splits each wave's own P by wave: the claim for each wave covers it.

Tables split by the answers to a question (rows "answered Ja to X") cannot be kept to this: a
batch in which every answer group of every question grows by 0 or at least n almost never
exists (measured: none in 20 000 random responses to 60 questions), so P would stand still.
They are offered only for a closed wave, and made from one publication alone, frozen the first
time they are asked for (``frozen``): one version of each exists, so there is nothing to
compare it with over time; what it shares with the background tables (its margins: one
question's counts in a background group) is covered by the claim.

B is the largest such set and does not depend on the order responses came in: removing every
response that lies in a group of 1 to n − 1 members, again until none is left, never removes a
response of an admissible subset (its groups there have at least n members, and removal never
makes a superset's group smaller than the subset's), and the union of admissible sets is
admissible. So a response waits only as long as it must: until enough others like it in
background have come. Closing a wave releases nothing more (a final release of the rest is the
very comparison this rule forbids). A response deleted from the wave leaves P.

Publishing is serialised per wave by a file lock, so each publication extends the one before.
"""

import fcntl
import json
import os
import uuid
from collections.abc import Sequence
from contextlib import contextmanager
from itertools import combinations
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

PLACE = "municipality_id"


def groupings(columns: Sequence[str]) -> list[tuple[str, ...]]:
    """Every set of columns a published table's rows can be made of (see the module's rule)."""
    columns = list(dict.fromkeys(columns))
    found = [()]
    for size in (1, 2):
        found += list(combinations(columns, size))
    others = [c for c in columns if c != PLACE]
    if PLACE in columns:
        found += [(PLACE, *pair) for pair in combinations(others, 2)]
    return found


def _codes(column: pl.Series) -> np.ndarray:
    if isinstance(column.dtype, pl.Enum):
        column = column.to_physical()
    return column.rank("dense").fill_null(0).cast(pl.Int64).to_numpy()


def releasable(batch: pl.DataFrame, found_groupings, *, n: int) -> np.ndarray:
    """Which responses of ``batch`` make up its largest part in which every group of every
    grouping has 0 or at least n members (a boolean mask)."""
    keep = np.ones(batch.height, dtype=bool)
    names = {c for grouping in found_groupings for c in grouping}
    codes = {c: _codes(batch.get_column(c)) for c in names}
    sizes = {c: int(codes[c].max()) + 1 if batch.height else 1 for c in names}
    changed = True
    while changed and keep.any():
        changed = False
        for grouping in found_groupings:
            rows = np.flatnonzero(keep)
            if not len(rows):
                break
            key, size = np.zeros(len(rows), dtype=np.int64), 1
            for c in grouping:
                key = key * sizes[c] + codes[c][rows]
                size *= sizes[c]
            if size <= 4 * len(rows) + 1024:
                counts = np.bincount(key, minlength=size)[key]
            else:
                _values, inverse, tally = np.unique(key, return_inverse=True, return_counts=True)
                counts = tally[inverse]
            small = counts < n
            if small.any():
                keep[rows[small]] = False
                changed = True
    return keep


@contextmanager
def _locked(path: Path):
    with open(path.with_suffix(".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read_state(path: Path) -> tuple[np.ndarray | None, dict | None]:
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowInvalid):
        return None, None
    raw = (table.schema.metadata or {}).get(b"ungkultur")
    return table.column("pk").to_numpy(), (json.loads(raw) if raw else None)


def _write_state(path: Path, pks: np.ndarray, source: dict) -> None:
    table = pa.table({"pk": pa.array(pks, type=pa.int64())})
    table = table.replace_schema_metadata({"ungkultur": json.dumps({"from": source})})
    partial = path.with_suffix(f".{uuid.uuid4().hex}.partial")
    pq.write_table(table, partial)
    os.replace(partial, path)


def published(
    live: pl.DataFrame, source: dict, state_path: Path, columns: Sequence[str], *, n: int
) -> pl.DataFrame:
    """The published part of ``live`` (a wave's frame with its ``pk`` column), after adding
    what may be added since the last publication. ``source`` names the live snapshot (its
    stamp): nothing is recomputed while it is the same."""
    state_path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(state_path):
        pks, meta = _read_state(state_path)
        if pks is None:
            chosen = live.get_column("pk").to_numpy()
        else:
            inside = pl.Series(np.isin(live.get_column("pk").to_numpy(), pks))
            if source is not None and meta is not None and meta.get("from") == source:
                return live.filter(inside)
            batch = live.filter(~inside)
            mask = releasable(batch, groupings(columns), n=n)
            chosen = np.concatenate(
                [
                    live.filter(inside).get_column("pk").to_numpy(),
                    batch.get_column("pk").to_numpy()[mask],
                ]
            )
        _write_state(state_path, chosen, source)
    return live.filter(pl.Series(np.isin(live.get_column("pk").to_numpy(), chosen)))


def frozen(current: pl.DataFrame, state_path: Path) -> pl.DataFrame:
    """``current`` (the published frame, with ``pk``) as it was the first time this was called:
    the one publication tables split by answers are made from."""
    state_path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(state_path):
        pks, _meta = _read_state(state_path)
        if pks is None:
            pks = current.get_column("pk").to_numpy()
            _write_state(state_path, pks, {"frozen": True})
    return current.filter(pl.Series(np.isin(current.get_column("pk").to_numpy(), pks)))
