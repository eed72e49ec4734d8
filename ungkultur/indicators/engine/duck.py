"""The national engine: every municipality and term at once in DuckDB (docs/architecture.md, §4).

``load`` reads the operational tables into Arrow (engine/load.py); ``compute`` runs the
indicators as set-based SQL over them. The per-municipality engine (engine/orm.py) must give
exactly the same raw cells; tests/test_engines.py proves it on SQLite and PostgreSQL.

Terms are numbered ``year * 2 + (1 if autumn)`` (terms.Term.index); a date's term is
``tidx(d)``. An enrolment is active in every term from the term of its start to the term of its
end, which is the same as "start <= term end and (no end or end >= term start)".

Participation, cross-service, retention and dropout do not build a row per person, service and
term: per person and service, the terms active are the bits of one integer and the end reasons
four bits per term beside them (PERSON_TERMS: one grouping pass by person, service and last
term, one by person), and only then is each person expanded to the terms they are active in,
counted straight into small groups (municipality, term, gender, age).
"""

import datetime
from dataclasses import dataclass

import duckdb
import pyarrow as pa
from django.conf import settings
from django.utils import timezone

from ungkultur.catalogue.models import Offer
from ungkultur.clubs.models import ClubEvening, ClubHeadcount
from ungkultur.enrolment.models import Enrolment, Participant
from ungkultur.indicators.definitions import (
    AGE,
    AGE_GROUPS,
    BAND_INDICATORS,
    DAYS,
    ENDED_BY_PLATFORM,
    INDICATORS,
    NO_POPULATION,
    NO_RECORDS,
    NOT_DROPOUT_REASONS,
    SCALES,
    SERVICE_OF_UNIT_KIND,
    SERVICES,
    UKM_PARTICIPATION,
)
from ungkultur.indicators.engine import SOURCE, UNKNOWN_GENDER, gaps
from ungkultur.indicators.engine.load import boolean, col, day, read, seconds, table
from ungkultur.lib.terms import Term
from ungkultur.meetings.models import Attendance, Event
from ungkultur.municipalities.models import Municipality, MunicipalityCode, PopulationCell
from ungkultur.organisations.models import Unit
from ungkultur.participation.models import Proposal
from ungkultur.ukm.models import WORKING_WITH_TYPES, Innslag, InnslagPerson, UkmEvent

I64, I32, STR = pa.int64(), pa.int32(), pa.string()
# Text with few distinct values (kinds, genders, reasons, statuses) as Arrow dictionaries, which
# DuckDB groups, filters and lists distinct values of much faster than plain text.
CODE = pa.dictionary(pa.int32(), pa.string())


def _schema(**columns) -> pa.Schema:
    return pa.schema(list(columns.items()))


def _kinds(kinds) -> str:
    return ", ".join(f"'{kind}'" for kind in kinds)


@dataclass
class Tables:
    """The operational rows the indicators need, as Arrow tables."""

    municipalities: pa.Table
    codes: pa.Table
    population: pa.Table
    enrolments: pa.Table
    evenings: pa.Table
    headcounts: pa.Table
    ukm_persons: pa.Table
    ukm_entries: pa.Table
    proposals: pa.Table
    meetings: pa.Table
    meeting_attendance: pa.Table


def load(municipality_ids: list[int] | None = None) -> Tables:
    """Read the tables (optionally only some municipalities' rows) into Arrow.

    Only model table and column names and integer ids are put into the SQL (hence noqa S608).
    """
    where_m = (
        ""
        if municipality_ids is None
        else " IN (" + ", ".join(str(int(m)) for m in municipality_ids) + ")"
    )

    def only(column: str) -> str:
        return f" AND {column}{where_m}" if where_m else ""

    e, o, u, p = table(Enrolment), table(Offer), table(Unit), table(Participant)
    kinds = _kinds(SERVICE_OF_UNIT_KIND)
    # The platform's own re-registration withdrawal (definitions.ended_by_platform).
    end, deadline = "e." + col("end"), "e.reregistration_deadline"
    end_reason = (
        f"CASE WHEN e.end_reason = 'unknown' AND e.reregistered_at IS NULL "
        f"AND {deadline} IS NOT NULL AND ({end} = {deadline} "
        f"OR ({end} = e.start AND e.start > {deadline})) "
        f"THEN '{ENDED_BY_PLATFORM}' ELSE e.end_reason END"
    )
    return Tables(
        municipalities=read(
            f"SELECT id, code FROM {table(Municipality)} WHERE 1 = 1{only('id')}",  # noqa: S608
            _schema(id=I64, code=STR),
        ),
        codes=read(
            f"SELECT municipality_id, code, {day('valid_from')}, {day('valid_until')} "  # noqa: S608
            f"FROM {table(MunicipalityCode)} WHERE 1 = 1{only('municipality_id')}",
            _schema(m=I64, code=STR, valid_from=I32, valid_until=I32),
        ),
        population=read(
            f"SELECT code, year, sex, age, persons FROM {table(PopulationCell)}",  # noqa: S608
            _schema(code=STR, year=I32, sex=I32, age=I32, persons=I64),
        ),
        enrolments=read(
            f"SELECT e.id, o.municipality_id, u.kind, e.participant_id, p.birth_year, p.gender, "  # noqa: S608
            f"{day('e.start')}, {day(end)}, {end_reason}, o.subject_area, "
            f"o.programme, e.status, {seconds('e.queued_at')}, {seconds('e.offered_at')} "
            f"FROM {e} e JOIN {o} o ON o.id = e.offer_id JOIN {u} u ON u.id = o.unit_id "
            f"JOIN {p} p ON p.id = e.participant_id WHERE u.kind IN ({kinds})"
            f"{only('o.municipality_id')}",
            _schema(
                id=I64,
                m=I64,
                kind=CODE,
                p=I64,
                birth_year=I32,
                gender=CODE,
                start=I32,
                end=I32,
                end_reason=CODE,
                subject_area=CODE,
                programme=CODE,
                status=CODE,
                queued=I64,
                offered=I64,
            ),
        ),
        evenings=read(
            f"SELECT ev.id, u.municipality_id, {day('ev.date')}, ev.first_time_visitors "  # noqa: S608
            f"FROM {table(ClubEvening)} ev "
            f"JOIN {u} u ON u.id = ev.unit_id WHERE u.kind = 'youth_club'"
            f"{only('u.municipality_id')}",
            _schema(id=I64, m=I64, day=I32, first=I64),
        ),
        headcounts=read(
            f"SELECT evening_id, age_band, gender, {col('count')} FROM {table(ClubHeadcount)}",  # noqa: S608
            _schema(evening=I64, age_band=CODE, gender=CODE, count=I64),
        ),
        ukm_persons=read(
            f"SELECT u.municipality_id, {seconds('ev.starts_at')}, i.type, ip.id, ip.user_id, "  # noqa: S608
            f"ip.birth_year FROM {table(InnslagPerson)} ip "
            f"JOIN {table(Innslag)} i ON i.id = ip.innslag_id "
            f"JOIN {table(UkmEvent)} ev ON ev.id = i.event_id JOIN {u} u ON u.id = ev.unit_id "
            f"WHERE u.kind = 'ukm'{only('u.municipality_id')}",
            _schema(m=I64, starts=I64, type=CODE, id=I64, user_id=I64, birth_year=I32),
        ),
        ukm_entries=read(
            f"SELECT u.municipality_id, {seconds('ev.starts_at')}, i.type "  # noqa: S608
            f"FROM {table(Innslag)} i JOIN {table(UkmEvent)} ev ON ev.id = i.event_id "
            f"JOIN {u} u ON u.id = ev.unit_id WHERE u.kind = 'ukm'{only('u.municipality_id')}",
            _schema(m=I64, starts=I64, type=CODE),
        ),
        proposals=read(
            f"SELECT municipality_id, status, {seconds('submitted_at')}, {day('answer_due')}, "  # noqa: S608
            f"{seconds('answered_at')} FROM {table(Proposal)} WHERE 1 = 1"
            f"{only('municipality_id')}",
            _schema(m=I64, status=CODE, submitted=I64, answer_due=I32, answered=I64),
        ),
        meetings=read(
            f"SELECT id, municipality_id, {seconds('starts_at')} FROM {table(Event)} "  # noqa: S608
            f"WHERE kind = 'project_group_meeting' AND status <> 'cancelled' "
            f"AND municipality_id IS NOT NULL{only('municipality_id')}",
            _schema(id=I64, m=I64, starts=I64),
        ),
        meeting_attendance=read(
            f"SELECT a.event_id, {boolean('a.is_youth')} FROM {table(Attendance)} a "  # noqa: S608
            f"JOIN {table(Event)} ev ON ev.id = a.event_id "
            f"WHERE ev.kind = 'project_group_meeting'",
            _schema(event=I64, is_youth=I32),
        ),
    )


def connect(tables: Tables) -> duckdb.DuckDBPyConnection:
    db = duckdb.connect()
    db.execute("SET TimeZone = 'UTC'")
    for name in Tables.__dataclass_fields__:
        db.register(f"src_{name}", getattr(tables, name))
    return db


PREPARE = """
CREATE MACRO tidx(d) AS year(d) * 2 + CASE WHEN month(d) >= 8 THEN 1 ELSE 0 END;
CREATE MACRO oslo_day(s) AS CAST(timezone('Europe/Oslo', to_timestamp(s)) AS DATE);
CREATE MACRO as_date(n) AS DATE '1970-01-01' + CAST(n AS INTEGER);
-- Oslo's offset from UTC in seconds on each UTC day (at noon) that the enrolment queue times
-- fall on: an instant's Oslo date is (seconds + offset) // 86400, cheaper than oslo_day for
-- many rows. Oslo changes its clocks at 01:00 UTC, when both offsets give the same date.
CREATE TEMP TABLE oslo_offsets AS
    SELECT d, CAST(epoch(timezone('Europe/Oslo', to_timestamp(d * 86400 + 43200))) AS BIGINT)
        - (d * 86400 + 43200) AS off
    FROM range(
        (SELECT least(min(queued), min(offered)) // 86400 FROM src_enrolments),
        (SELECT greatest(max(queued), max(offered)) // 86400 + 1 FROM src_enrolments)
    ) r(d);
CREATE TEMP TABLE terms AS
    SELECT i AS idx, i // 2 AS year,
        make_date(i // 2, CASE WHEN i % 2 = 1 THEN 8 ELSE 1 END, 1) AS first_day,
        make_date(i // 2, CASE WHEN i % 2 = 1 THEN 12 ELSE 7 END, 31) AS last_day
    FROM range($lo - 1, $hi + 1) r(i);
CREATE TEMP TABLE grid AS
    SELECT mu.id AS m, t.idx, t.year FROM src_municipalities mu, terms t WHERE t.idx >= $lo;
-- Population under the numbers each municipality had on 1 January (or its current number).
CREATE TEMP TABLE valid_codes AS
    SELECT c.m, y.year, c.code FROM src_codes c, (SELECT DISTINCT year FROM grid) y
    WHERE (c.valid_from IS NULL OR as_date(c.valid_from) <= make_date(y.year, 1, 1))
      AND (c.valid_until IS NULL OR as_date(c.valid_until) > make_date(y.year, 1, 1));
CREATE TEMP TABLE muni_codes AS
    SELECT * FROM valid_codes
    UNION ALL
    SELECT mu.id, y.year, mu.code FROM src_municipalities mu, (SELECT DISTINCT year FROM grid) y
    WHERE NOT EXISTS (SELECT 1 FROM valid_codes v WHERE v.m = mu.id AND v.year = y.year);
CREATE TEMP TABLE pop AS
    SELECT mc.m, p.year, p.sex, p.age, sum(p.persons) AS persons
    FROM src_population p JOIN muni_codes mc ON mc.code = p.code AND mc.year = p.year
    GROUP BY ALL;
CREATE TEMP TABLE pop_years AS SELECT DISTINCT m, year FROM pop;
CREATE TEMP TABLE pop_bands AS
    SELECT b.a, b.b, p.m, p.year, sum(p.persons) AS total,
        coalesce(sum(p.persons) FILTER (WHERE p.sex = 1), 0) AS male,
        coalesce(sum(p.persons) FILTER (WHERE p.sex = 2), 0) AS female
    FROM pop p JOIN (SELECT a, b FROM bands UNION SELECT 6, 20 UNION SELECT 10, 20) b
        ON p.age BETWEEN b.a AND b.b
    GROUP BY ALL;
CREATE TEMP TABLE pop_ages AS SELECT m, year, age, sum(persons) AS persons FROM pop GROUP BY ALL;
-- Age groups cut to each band (club 10–18: 16–18), and their population.
CREATE TEMP TABLE age_ranges AS
    SELECT DISTINCT greatest(g.lo, b.a) AS lo, least(g.hi, b.b) AS hi
    FROM age_groups g JOIN bands b ON g.lo <= b.b AND g.hi >= b.a;
-- Each age of each band with its age group cut to the band, for an equality join.
CREATE TEMP TABLE band_ages AS
    SELECT b.key, b.s, b.a, b.b, b.by_age, x.age, greatest(g.lo, b.a) AS lo,
        least(g.hi, b.b) AS hi
    FROM bands b, (SELECT key, unnest(range(a, b + 1)) AS age FROM bands) x, age_groups g
    WHERE x.key = b.key AND x.age BETWEEN g.lo AND g.hi;
CREATE TEMP TABLE pop_ranges AS
    SELECT pa.m, pa.year, r.lo, r.hi, sum(pa.persons) AS persons
    FROM pop_ages pa JOIN age_ranges r ON pa.age BETWEEN r.lo AND r.hi GROUP BY ALL;
-- A denominator: NULL where the year has no population at all, else the sum (0 if none).
CREATE MACRO persons(has_year, value) AS
    CASE WHEN has_year IS NULL THEN NULL ELSE coalesce(value, 0) END;
CREATE TEMP TABLE ukm_people AS
    SELECT m, tidx(oslo_day(starts)) AS idx, type, birth_year,
        CASE WHEN user_id IS NULL THEN -id ELSE user_id END AS who
    FROM src_ukm_persons;
CREATE TEMP TABLE ukm_entry_terms AS
    SELECT m, tidx(oslo_day(starts)) AS idx, type FROM src_ukm_entries;
"""


def _bands() -> pa.Table:
    rows = [(i.key, i.service, i.age_from, i.age_to, AGE in i.breakdowns) for i in BAND_INDICATORS]
    keys, services, lows, highs, by_age = zip(*rows, strict=True)
    return pa.table(
        {
            "key": list(keys),
            "s": list(services),
            "a": list(lows),
            "b": list(highs),
            "by_age": list(by_age),
        }
    )


PARTICIPATION = """
WITH people AS (
    -- Counts of people by municipality, service, term, gender and age; 'all' counts each once.
    SELECT m, s, idx, g, age, people FROM person_counts WHERE people > 0
), counted AS (
    SELECT b.key, b.a, b.b, b.by_age, pe.m, pe.idx, pe.g,
        b.lo, b.hi, GROUPING(pe.g) AS no_g, GROUPING(b.lo) AS no_age, sum(people) AS num
    FROM people pe JOIN band_ages b ON pe.s = b.s AND pe.age = b.age
    GROUP BY GROUPING SETS ((b.key, b.a, b.b, b.by_age, pe.m, pe.idx),
        (b.key, b.a, b.b, b.by_age, pe.m, pe.idx, pe.g),
        (b.key, b.a, b.b, b.by_age, pe.m, pe.idx, b.lo, b.hi))
)
SELECT gr.m, gr.idx, b.key, '' AS breakdown, coalesce(c.num, 0), persons(py.m, pb.total)
FROM grid gr CROSS JOIN bands b
LEFT JOIN counted c ON c.m = gr.m AND c.idx = gr.idx AND c.key = b.key AND c.no_g = 1
    AND c.no_age = 1
LEFT JOIN pop_years py ON py.m = gr.m AND py.year = gr.year
LEFT JOIN pop_bands pb ON pb.m = gr.m AND pb.year = gr.year AND pb.a = b.a AND pb.b = b.b
UNION ALL
SELECT c.m, c.idx, c.key, 'gender=' || c.g, c.num,
    CASE WHEN c.g = 'male' THEN persons(py.m, pb.male)
        WHEN c.g = 'female' THEN persons(py.m, pb.female) END
FROM counted c LEFT JOIN pop_years py ON py.m = c.m AND py.year = c.idx // 2
LEFT JOIN pop_bands pb ON pb.m = c.m AND pb.year = c.idx // 2 AND pb.a = c.a AND pb.b = c.b
WHERE c.no_g = 0
UNION ALL
SELECT c.m, c.idx, c.key, 'age=' || c.lo || '-' || c.hi, c.num, persons(py.m, pr.persons)
FROM counted c LEFT JOIN pop_years py ON py.m = c.m AND py.year = c.idx // 2
LEFT JOIN pop_ranges pr ON pr.m = c.m AND pr.year = c.idx // 2 AND pr.lo = c.lo AND pr.hi = c.hi
WHERE c.no_age = 0 AND c.by_age
"""

CROSS_SERVICE = """
WITH counted AS (
    SELECT m, idx, g, GROUPING(g) AS no_g, sum(people) AS num
    FROM person_counts WHERE s = 'several' GROUP BY GROUPING SETS ((m, idx), (m, idx, g))
), everyone AS (
    SELECT m, idx, g, GROUPING(g) AS no_g, sum(people) AS den
    FROM person_counts WHERE s = 'all' GROUP BY GROUPING SETS ((m, idx), (m, idx, g))
)
SELECT gr.m, gr.idx, 'cross_service', '', coalesce(c.num, 0), coalesce(e.den, 0)
FROM grid gr LEFT JOIN everyone e ON e.m = gr.m AND e.idx = gr.idx AND e.no_g = 1
LEFT JOIN counted c ON c.m = gr.m AND c.idx = gr.idx AND c.no_g = 1
UNION ALL
SELECT e.m, e.idx, 'cross_service', 'gender=' || e.g, coalesce(c.num, 0), e.den
FROM everyone e LEFT JOIN counted c ON c.m = e.m AND c.idx = e.idx AND c.g = e.g AND c.no_g = 0
WHERE e.no_g = 0
"""

# The gender and end reason of an enrolment as the indicators name them.
CODED = {
    "gender": f"coalesce(nullif(gender, ''), '{UNKNOWN_GENDER}')",
    "reason": "coalesce(nullif(end_reason, ''), 'none')",
}

# The values that occur in a few text columns of the enrolments, so that the person-term pass
# can work on their positions in lists (list_position) instead of on the text.
DICTIONARIES = """
SELECT (SELECT list(gender) FROM (SELECT DISTINCT gender FROM src_enrolments)),
    (SELECT list(end_reason) FROM (SELECT DISTINCT end_reason FROM src_enrolments)),
    (SELECT list(subject_area) FROM (SELECT DISTINCT subject_area FROM src_enrolments)),
    (SELECT list(programme) FROM (SELECT DISTINCT programme FROM src_enrolments))
"""

# Who is active in which service in which term, as bits: term t is bit t - $base, counting from
# the term before the first asked ($base). Three grouping passes over enrolments, none of them
# per person and term.
PERSON_TERMS = """
-- Each enrolment that reaches the terms asked for, in integers: ``who`` packs the municipality,
-- the position of the gender in $genders and the birth year (+ 1; 0 for none); ``sn`` is the
-- service's position in $kinds (from 0); ``mask`` the terms it covers; ``rk`` orders
-- enrolments by end (none last), then id, and carries the end reason's position in $reasons in
-- its lowest four bits; ``area`` and ``programme`` number the kulturskole's subject area and
-- programme as in the list area_names.
CREATE TEMP TABLE spans AS
    SELECT p, sn, who, last, area, programme,
        (CAST(1 AS BIGINT) << (last - $base + 1))
            - (CAST(1 AS BIGINT) << (greatest(first, $base) - $base)) AS mask,
        (least(greatest(coalesce(end_day, 1048575), 0), 1048575) << 42) | (id << 4)
            | list_position($reasons, {reason}) AS rk
    FROM (
        SELECT id, p, list_position($kinds, kind) - 1 AS sn, end_reason,
            (m << 20) | (list_position($genders, {gender}) << 14) | coalesce(birth_year + 1, 0)
                AS who,
            tidx(as_date(start)) AS first,
            least(coalesce(tidx(as_date("end")), $hi), $hi) AS last,
            CAST("end" AS BIGINT) AS end_day,
            CASE WHEN kind = 'kulturskole' AND subject_area <> ''
                THEN list_position($subject_areas, subject_area) END AS area,
            CASE WHEN kind = 'kulturskole' AND programme <> ''
                THEN $first_programme + list_position($programmes, programme) END AS programme
        FROM src_enrolments WHERE start IS NOT NULL
    )
    WHERE last >= $base AND first <= last;
-- Per person, service and last term: the end reason of the latest-ending enrolment (what someone
-- who left after that term left for) and the terms covered.
CREATE TEMP TABLE ends AS
    SELECT p, sn, last, max(rk) & 15 AS code, bit_or(mask) AS mask, any_value(who) AS who
    FROM spans GROUP BY p, sn, last;
-- The terms in which each pupil had each subject area and programme.
CREATE TEMP TABLE area_masks AS
    SELECT p, area, bit_or(mask) AS mask FROM (
        SELECT p, area, mask FROM spans WHERE area IS NOT NULL
        UNION ALL SELECT p, programme, mask FROM spans WHERE programme IS NOT NULL
    ) GROUP BY p, area;
DROP TABLE spans;
-- Per person and service i: the terms active (``maski``) and, four bits per term, the end reason
-- of those who leave after it (``codesi``), gathered in one integer (the mask in the lowest 12
-- bits); for the kulturskole also the terms after which someone who leaves counts as dropping
-- out (``dropouts``). (A participant belongs to one municipality.)
CREATE TEMP TABLE persons AS
    SELECT p, who, {service_unpacked}, {dropouts} AS dropouts
    FROM (SELECT p, any_value(who) AS who, {service_packed} FROM ends GROUP BY p);
DROP TABLE ends;
-- Each person and term they are active in, counted by municipality, term, gender and age: in
-- each service, in any ('all'), in two or more ('several'); and of those active in a service,
-- those still active the term after ('service:kept') and those who left, by the position of
-- their end reason ('service:1', ...). ``sti`` has bit 0 for active in service i and bit 1 for
-- active in the next term; ``ci`` is the end reason's position if they leave, else 0.
CREATE TEMP TABLE person_terms AS
    SELECT m, idx, g, age, {service_counts}, count(*) AS "all",
        count_if({services_of_person} >= 2) AS several, {cohort_counts}
    FROM (
        SELECT who >> 20 AS m, $base + j AS idx, (who >> 14) & 63 AS g,
            ($base + j) // 2 - nullif(who & 16383, 0) + 1 AS age, {service_states}
        FROM (SELECT *, unnest(range(0, $slots)) AS j FROM persons)
        WHERE (({any_mask}) >> j) & 1 = 1
    )
    GROUP BY ALL;
"""

# Counts of people per municipality, term, gender and age (the terms asked for): per service, in
# any service ('all', each person once) and in two or more ('several').
PERSON_COUNTS = """
CREATE TEMP TABLE person_counts AS
    UNPIVOT (
        SELECT m, idx, $genders[g] AS g, age, {service_names}, "all", several FROM person_terms
        WHERE idx >= $lo
    ) ON {service_names}, "all", several INTO NAME s VALUE people;
"""

# The cohort of term t + 1 in each service: those active in t, whether they are still active
# (retained) and if not, the reason they left.
RETENTION = """
CREATE TEMP TABLE cohort_counts AS
    WITH grouped AS (
        SELECT m, idx + 1 AS idx, $genders[g] AS g, {age_group} AS ag, {cohort_sums}
        FROM person_terms WHERE idx + 1 BETWEEN $lo AND $hi GROUP BY ALL
    ), cohort AS (
        SELECT m, split_part(k, ':', 1) AS s, idx, g, ag,
            split_part(k, ':', 2) = 'kept' AS retained,
            CASE WHEN NOT retained THEN $reasons[CAST(split_part(k, ':', 2) AS INTEGER)] END
                AS reason,
            people
        FROM (UNPIVOT grouped ON {cohort_names} INTO NAME k VALUE people)
        WHERE people > 0
    )
    SELECT m, s, idx, g, ag, retained, reason,
        retained OR reason NOT IN ({not_dropout}) AS counts, people
    FROM cohort;
"""

RETENTION_CELLS = """
WITH grouped AS (
    SELECT m, s, idx, CASE WHEN GROUPING(g) = 0 THEN 'gender=' || g
        WHEN GROUPING(ag) = 0 THEN 'age=' || {age_label} ELSE '' END AS breakdown,
        GROUPING(g) + GROUPING(ag) AS level, sum(kept) AS num, sum(people) AS den
    FROM (
        SELECT m, s, idx, g, ag, CASE WHEN retained THEN people ELSE 0 END AS kept, people
        FROM cohort_counts WHERE counts
    ) GROUP BY GROUPING SETS ((m, s, idx), (m, s, idx, g), (m, s, idx, ag))
    HAVING GROUPING(ag) = 1 OR ag IS NOT NULL
), patterns AS (
    -- Pupils by municipality, area and the terms after which they stayed (``kept``) or left
    -- with a reason that counts as dropping out (``dropped``).
    SELECT pe.who >> 20 AS m, am.area, am.mask & (pe.mask{kulturskole} >> 1) AS kept,
        am.mask & ~(pe.mask{kulturskole} >> 1) & pe.dropouts AS dropped, count(*) AS people
    FROM area_masks am JOIN persons pe ON pe.p = am.p
    GROUP BY ALL
), by_area AS (
    SELECT m, 'kulturskole' AS s, $base + j + 1 AS idx, $area_names[area] AS breakdown,
        coalesce(sum(people) FILTER (WHERE (kept >> j) & 1 = 1), 0) AS num,
        sum(people) AS den
    FROM (SELECT *, unnest(range(0, $slots - 1)) AS j FROM patterns)
    WHERE ((kept | dropped) >> j) & 1 = 1
    GROUP BY ALL
), cells AS (
    SELECT gr.m, gr.idx, sv.s, '' AS breakdown, coalesce(g.num, 0) AS num,
        coalesce(g.den, 0) AS den
    FROM grid gr CROSS JOIN (SELECT unnest($services) AS s) sv
    LEFT JOIN grouped g ON g.m = gr.m AND g.idx = gr.idx AND g.s = sv.s AND g.level = 2
    UNION ALL SELECT m, idx, s, breakdown, num, den FROM grouped WHERE level < 2
    UNION ALL SELECT m, idx, s, breakdown, num, den FROM by_area
)
SELECT m, idx, 'retention.' || s, breakdown, num, den FROM cells
UNION ALL
SELECT m, idx, 'dropout.' || s, breakdown, den - num, den FROM cells
"""

LEAVERS = """
WITH grouped AS (
    SELECT m, s, idx, reason, GROUPING(reason) AS total, sum(people) AS num
    FROM (SELECT * FROM cohort_counts WHERE NOT retained)
    GROUP BY GROUPING SETS ((m, s, idx), (m, s, idx, reason))
)
SELECT gr.m, gr.idx, 'leavers.' || sv.s, '', coalesce(g.num, 0), NULL
FROM grid gr CROSS JOIN (SELECT unnest($services) AS s) sv
LEFT JOIN grouped g ON g.m = gr.m AND g.idx = gr.idx AND g.s = sv.s AND g.total = 1
UNION ALL
SELECT m, idx, 'leavers.' || s, 'end_reason=' || reason, num, NULL FROM grouped WHERE total = 0
"""

WAITING = """
WITH queue AS (
    -- In Oslo time, as days since 1970-01-01 and terms.
    SELECT m, s, p, queued, offered, tidx(as_date(queued)) AS queued_term,
        tidx(as_date(offered)) AS offered_term
    FROM (
        SELECT e.m, CASE e.kind WHEN 'youth_club' THEN 'club' ELSE e.kind END AS s, e.p,
            (e.queued + q.off) // 86400 AS queued, (e.offered + o.off) // 86400 AS offered
        FROM src_enrolments e LEFT JOIN oslo_offsets q ON q.d = e.queued // 86400
        LEFT JOIN oslo_offsets o ON o.d = e.offered // 86400
        WHERE e.offered IS NOT NULL OR e.status IN ('applied', 'waiting')
    )
), waiting AS (
    -- The terms at whose start someone was waiting, as bits from $lo: queued before the term,
    -- and offered a place in it or later (or still waiting: the queue holds no one else without
    -- an offer).
    SELECT m, s, p, (CAST(1 AS BIGINT) << (least(coalesce(offered_term, $hi), $hi) - $lo + 1))
        - (CAST(1 AS BIGINT) << (greatest(queued_term + 1, $lo) - $lo)) AS mask
    FROM queue
    WHERE queued_term IS NOT NULL
        AND greatest(queued_term + 1, $lo) <= least(coalesce(offered_term, $hi), $hi)
), by_service AS (
    SELECT m, s, p, bit_or(mask) AS mask FROM waiting GROUP BY m, s, p
), patterns AS (
    SELECT m, s, mask, count(*) AS people FROM by_service GROUP BY ALL
    UNION ALL
    SELECT m, NULL, mask, count(*) FROM (
        SELECT m, p, bit_or(mask) AS mask FROM by_service GROUP BY m, p
    ) GROUP BY ALL
), counted AS (
    SELECT m, $lo + j AS idx, s, s IS NULL AS total, sum(people) AS num
    FROM (SELECT *, unnest(range(0, $hi - $lo + 1)) AS j FROM patterns)
    WHERE (mask >> j) & 1 = 1
    GROUP BY ALL
), offered AS (
    SELECT m, offered_term AS idx, s, offered - queued AS days FROM queue
    WHERE offered_term BETWEEN $lo AND $hi
), days AS (
    SELECT m, idx, s, GROUPING(s) AS total, median(days) AS num, count(*) AS den
    FROM offered GROUP BY GROUPING SETS ((m, idx), (m, idx, s))
)
SELECT gr.m, gr.idx, 'waiting', '', coalesce(c.num, 0), NULL
FROM grid gr LEFT JOIN counted c ON c.m = gr.m AND c.idx = gr.idx AND c.total
UNION ALL SELECT m, idx, 'waiting', 'service=' || s, num, NULL FROM counted WHERE NOT total
UNION ALL
SELECT gr.m, gr.idx, 'waiting_days', '', d.num, coalesce(d.den, 0)
FROM grid gr LEFT JOIN days d ON d.m = gr.m AND d.idx = gr.idx AND d.total = 1
UNION ALL SELECT m, idx, 'waiting_days', 'service=' || s, num, den FROM days WHERE total = 0
"""

# What the enrolments recorded: people per service in the term and in the term before
# (engine/__init__.py: source cells, read by ``gaps``).
SOURCES = """
WITH enrolled AS (
    SELECT m, idx, {service_sums} FROM person_terms GROUP BY m, idx
), per_service AS (
    UNPIVOT enrolled ON {service_names} INTO NAME s VALUE people
)
SELECT gr.m, gr.idx, '{source}enrolled.' || sv.s, '', coalesce(n.people, 0), NULL
FROM grid gr CROSS JOIN (SELECT unnest($services) AS s) sv
LEFT JOIN per_service n ON n.m = gr.m AND n.idx = gr.idx AND n.s = sv.s
UNION ALL
SELECT gr.m, gr.idx, '{source}enrolled_before.' || sv.s, '', coalesce(n.people, 0), NULL
FROM grid gr CROSS JOIN (SELECT unnest($services) AS s) sv
LEFT JOIN per_service n ON n.m = gr.m AND n.idx = gr.idx - 1 AND n.s = sv.s
"""

CLUBS = """
WITH evenings AS (
    SELECT id, m, tidx(as_date(day)) AS idx, first FROM src_evenings
), visits AS (
    SELECT evening, sum(count) AS visits FROM src_headcounts GROUP BY evening
), per_term AS (
    SELECT e.m, e.idx, count(*) AS evenings, coalesce(sum(v.visits), 0) AS visits,
        coalesce(sum(e.first), 0) AS first
    FROM evenings e LEFT JOIN visits v ON v.evening = e.id GROUP BY e.m, e.idx
), cells AS (
    SELECT e.m, e.idx, 'gender=' || h.gender AS breakdown, sum(h.count) AS num
    FROM evenings e JOIN src_headcounts h ON h.evening = e.id GROUP BY ALL
    UNION ALL
    SELECT e.m, e.idx, 'age_band=' || h.age_band, sum(h.count)
    FROM evenings e JOIN src_headcounts h ON h.evening = e.id GROUP BY ALL
)
SELECT gr.m, gr.idx, 'club.visits_per_evening', '', coalesce(pt.visits, 0),
    coalesce(pt.evenings, 0)
FROM grid gr LEFT JOIN per_term pt ON pt.m = gr.m AND pt.idx = gr.idx
UNION ALL
SELECT gr.m, gr.idx, 'club.visits', '', coalesce(pt.visits, 0), NULL
FROM grid gr LEFT JOIN per_term pt ON pt.m = gr.m AND pt.idx = gr.idx
UNION ALL
SELECT gr.m, gr.idx, 'club.first_time_visitors', '', coalesce(pt.first, 0), NULL
FROM grid gr LEFT JOIN per_term pt ON pt.m = gr.m AND pt.idx = gr.idx
UNION ALL
SELECT gr.m, gr.idx, '{source}club_evenings', '', coalesce(pt.evenings, 0), NULL
FROM grid gr LEFT JOIN per_term pt ON pt.m = gr.m AND pt.idx = gr.idx
UNION ALL
SELECT gr.m, gr.idx, '{source}club_evenings_before', '', coalesce(pt.evenings, 0), NULL
FROM grid gr LEFT JOIN per_term pt ON pt.m = gr.m AND pt.idx = gr.idx - 1
UNION ALL
SELECT c.m, c.idx, 'club.visits_per_evening', c.breakdown, c.num, pt.evenings
FROM cells c JOIN per_term pt ON pt.m = c.m AND pt.idx = c.idx
WHERE c.num > 0 AND c.idx BETWEEN $lo AND $hi
UNION ALL
SELECT gr.m, gr.idx, 'club.visits_per_1000', '',
    coalesce(now.visits, 0) + coalesce(before.visits, 0), persons(py.m, pb.total)
FROM grid gr LEFT JOIN per_term now ON now.m = gr.m AND now.idx = gr.idx
LEFT JOIN per_term before ON before.m = gr.m AND before.idx = gr.idx - 1
LEFT JOIN pop_years py ON py.m = gr.m AND py.year = gr.year
LEFT JOIN pop_bands pb ON pb.m = gr.m AND pb.year = gr.year AND pb.a = 6 AND pb.b = 20
"""

UKM = """
WITH counted AS (
    SELECT m, idx,
        count(DISTINCT CASE WHEN idx // 2 - birth_year BETWEEN 10 AND 20 THEN who END) AS band,
        count(DISTINCT CASE WHEN type IN ({working}) THEN who END) AS working,
        count(DISTINCT who) AS everyone
    FROM ukm_people GROUP BY m, idx
), entries AS (
    SELECT m, idx, type, GROUPING(type) AS total, count(*) AS num
    FROM ukm_entry_terms GROUP BY GROUPING SETS ((m, idx), (m, idx, type))
)
SELECT gr.m, gr.idx, k.key, '', coalesce(c.band, 0), persons(py.m, pb.total)
FROM grid gr CROSS JOIN (SELECT unnest(['ukm.participants_per_1000', '{participation}']) AS key) k
LEFT JOIN counted c ON c.m = gr.m AND c.idx = gr.idx
LEFT JOIN pop_years py ON py.m = gr.m AND py.year = gr.year
LEFT JOIN pop_bands pb ON pb.m = gr.m AND pb.year = gr.year AND pb.a = 10 AND pb.b = 20
UNION ALL
SELECT gr.m, gr.idx, 'ukm.working_with', '', coalesce(c.working, 0), coalesce(c.everyone, 0)
FROM grid gr LEFT JOIN counted c ON c.m = gr.m AND c.idx = gr.idx
UNION ALL
SELECT gr.m, gr.idx, k.key, '', coalesce(e.num, 0), NULL
FROM grid gr CROSS JOIN (SELECT unnest(['ukm.entries', '{source}ukm_entries']) AS key) k
LEFT JOIN entries e ON e.m = gr.m AND e.idx = gr.idx AND e.total = 1
UNION ALL
SELECT m, idx, 'ukm.entries', 'type=' || type, num, NULL FROM entries
WHERE total = 0 AND idx BETWEEN $lo AND $hi
"""

INFLUENCE = """
WITH proposals AS (
    SELECT m, tidx(oslo_day(submitted)) AS idx, status, oslo_day(submitted) AS submitted,
        oslo_day(answered) AS answered, as_date(answer_due) AS due
    FROM src_proposals
), counted AS (
    SELECT m, idx,
        count_if(answered IS NOT NULL OR due < oslo_day($now)) AS due,
        count(answered) AS answered,
        count_if(answered <= due) AS on_time,
        count_if(answered IS NOT NULL AND status IN ({accepted})) AS accepted,
        count_if(answered IS NOT NULL AND status = 'implemented') AS implemented,
        median(answered - submitted) AS days
    FROM proposals GROUP BY m, idx
)
SELECT gr.m, gr.idx, 'influence.answered_on_time', '', coalesce(c.on_time, 0),
    coalesce(c.due, 0)
FROM grid gr LEFT JOIN counted c ON c.m = gr.m AND c.idx = gr.idx
UNION ALL
SELECT gr.m, gr.idx, 'influence.accepted', '', coalesce(c.accepted, 0), coalesce(c.answered, 0)
FROM grid gr LEFT JOIN counted c ON c.m = gr.m AND c.idx = gr.idx
UNION ALL
SELECT gr.m, gr.idx, 'influence.implemented', '', coalesce(c.implemented, 0),
    coalesce(c.accepted, 0)
FROM grid gr LEFT JOIN counted c ON c.m = gr.m AND c.idx = gr.idx
UNION ALL
SELECT gr.m, gr.idx, 'influence.days_to_answer', '', c.days, coalesce(c.answered, 0)
FROM grid gr LEFT JOIN counted c ON c.m = gr.m AND c.idx = gr.idx
"""

GOVERNANCE = """
WITH meetings AS (
    SELECT mt.id, mt.m, tidx(oslo_day(mt.starts)) AS idx,
        (SELECT count(*) FROM src_meeting_attendance a WHERE a.event = mt.id) AS present,
        (SELECT count(*) FROM src_meeting_attendance a WHERE a.event = mt.id AND a.is_youth = 1)
            AS youth
    FROM src_meetings mt
    -- Held meetings only: started before the computation (meetings.models: held).
    WHERE mt.starts < $now
), counted AS (
    SELECT m, idx, count(*) AS meetings, count_if(youth > 0) AS with_youth,
        sum(present) AS present, sum(youth) AS youth
    FROM meetings GROUP BY m, idx
)
SELECT gr.m, gr.idx, 'governance.meetings_with_youth', '', coalesce(c.with_youth, 0),
    coalesce(c.meetings, 0)
FROM grid gr LEFT JOIN counted c ON c.m = gr.m AND c.idx = gr.idx
UNION ALL
SELECT gr.m, gr.idx, 'governance.youth_share', '', coalesce(c.youth, 0), coalesce(c.present, 0)
FROM grid gr LEFT JOIN counted c ON c.m = gr.m AND c.idx = gr.idx
"""


# Disclosure control and rounding in SQL, exactly as engine.finalise does in Python: a figure
# resting on 1 to n − 1 people is hidden (counts of people only); where that leaves one hidden
# cell in a breakdown dimension, the smallest other non-zero cell (then the first by name) is
# hidden too. A figure with no data (``gaps``, computed by engine.gaps from the source cells, or
# a total with nothing to divide by) is missing, with the reason, and has no value.
FINALISE = """
WITH cells AS (
    SELECT r.*, k.scale, k.days, k.people, d.dim,
        CAST(trunc(coalesce(CASE WHEN k.on_den THEN r.den ELSE r.num END, 0)) AS BIGINT) AS n
    FROM raw r JOIN keys k ON k.key = r.key
    -- Text work once per distinct breakdown and term, not per cell.
    JOIN (SELECT DISTINCT breakdown, split_part(breakdown, '=', 1) AS dim FROM raw) d
        ON d.breakdown = r.breakdown
), flagged AS (
    SELECT *, people AND n > 0 AND n < $min_n AS small FROM cells
), one_hidden AS (
    SELECT m, idx, key, dim FROM flagged WHERE small AND dim <> '' GROUP BY ALL HAVING count(*) = 1
), second AS (
    SELECT f.m, f.idx, f.key, arg_min(f.breakdown, (f.n, f.breakdown)) AS breakdown
    FROM flagged f JOIN one_hidden o ON o.m = f.m AND o.idx = f.idx AND o.key = f.key
        AND o.dim = f.dim
    WHERE NOT f.small AND f.n > 0
    GROUP BY f.m, f.idx, f.key, f.dim
), marked AS (
    SELECT f.*, f.small OR s.breakdown IS NOT NULL AS hidden,
        coalesce(g.missing, CASE WHEN f.breakdown <> '' THEN ''
            WHEN f.scale IS NOT NULL AND f.den IS NULL THEN '{no_population}'
            WHEN (f.scale IS NOT NULL OR f.days) AND f.den = 0 THEN '{no_records}'
            ELSE '' END) AS missing
    FROM flagged f LEFT JOIN second s
        ON s.m = f.m AND s.idx = f.idx AND s.key = f.key AND s.breakdown = f.breakdown
    LEFT JOIN gaps g ON g.m = f.m AND g.idx = f.idx AND g.key = f.key
)
SELECT m AS municipality_id, t.term,
    key, breakdown,
    CASE WHEN hidden THEN NULL ELSE num END AS numerator,
    CASE WHEN hidden THEN NULL ELSE den END AS denominator,
    CASE WHEN hidden OR missing <> '' THEN NULL
        WHEN scale IS NULL THEN floor(num * 10 + 0.5) / 10
        WHEN den IS NULL OR den = 0 THEN NULL
        ELSE floor(scale * num / den * 10 + 0.5) / 10 END AS value,
    CASE WHEN hidden THEN 0 ELSE n END AS n,
    hidden AS suppressed,
    missing
FROM marked JOIN (
    SELECT DISTINCT idx,
        CAST(idx // 2 AS VARCHAR) || CASE WHEN idx % 2 = 1 THEN 'H' ELSE 'V' END AS term
    FROM raw
) t USING (idx)
"""


def _quoted(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _age_group_sql(age: str) -> str:
    """The lower bound of the age group (AGE_GROUPS) of an age, NULL outside them."""
    whens = " ".join(f"WHEN {age} BETWEEN {lo} AND {hi} THEN {lo}" for lo, hi in AGE_GROUPS)
    return f"CASE {whens} END"


def _age_label_sql(group: str) -> str:
    whens = " ".join(f"WHEN {lo} THEN '{lo}-{hi}'" for lo, hi in AGE_GROUPS)
    return f"CASE {group} {whens} END"


def _keys() -> pa.Table:
    return pa.table(
        {
            "key": [i.key for i in INDICATORS],
            "on_den": [i.unit == DAYS or i.rests_on == "denominator" for i in INDICATORS],
            "scale": pa.array([SCALES.get(i.unit) for i in INDICATORS], type=pa.float64()),
            "days": [i.unit == DAYS for i in INDICATORS],
            "people": [i.counts_people for i in INDICATORS],
        }
    )


def _execute(db, sql: str, params: dict) -> None:
    for statement in sql.split(";\n"):
        if statement.strip():
            db.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})


def _per_service(reasons: int, slots: int) -> dict[str, str]:
    """The SQL of PERSON_TERMS, PERSON_COUNTS and RETENTION that is written once per service (and
    end reason, and term): for service i of SERVICES, ``maski`` and ``codesi`` in ``persons``,
    ``sti`` and ``ci`` in the rows ``person_terms`` counts."""
    numbered = list(enumerate(SERVICES))
    kulturskole = SERVICES.index("kulturskole")

    def each(template: str, sep: str = ", ") -> str:
        return sep.join(template.format(i=i, s=s) for i, s in numbered)

    cohort = [(f"{s}:kept", f"st{i} = 3") for i, s in numbered] + [
        (f"{s}:{code}", f"c{i} = {code}") for i, s in numbered for code in range(1, reasons + 1)
    ]
    return {
        "kulturskole": str(kulturskole),
        "service_packed": each(
            "coalesce(bit_or(mask | (code << (12 + 4 * (last - $base))))"
            " FILTER (WHERE sn = {i}), 0) AS v{i}"
        ),
        "service_unpacked": each("v{i} & 4095 AS mask{i}, v{i} >> 12 AS codes{i}"),
        "dropouts": " | ".join(
            f"CASE WHEN list_contains($not_dropout_codes, (v{kulturskole} >> {12 + 4 * j}) & 15) "
            f"THEN 0 ELSE {1 << j} END"
            for j in range(slots)
        ),
        "any_mask": each("mask{i}", " | "),
        "service_states": each(
            "(mask{i} >> j) & 3 AS st{i}, "
            "CASE WHEN (mask{i} >> j) & 3 = 1 THEN (codes{i} >> (4 * j)) & 15 ELSE 0 END AS c{i}"
        ),
        "service_counts": each('count_if(st{i} & 1 = 1) AS "{s}"'),
        "services_of_person": each("(st{i} & 1)", " + "),
        "service_names": each('"{s}"'),
        "cohort_counts": ", ".join(f'count_if({test}) AS "{name}"' for name, test in cohort),
        "cohort_names": ", ".join(f'"{name}"' for name, _test in cohort),
        "cohort_sums": ", ".join(f'sum("{name}") AS "{name}"' for name, _test in cohort),
    }


# Terms in one pass: a person's terms in a service take a bit each and the end reasons four bits
# each, counting the term before the first, together in a 64-bit integer (12 + 48 bits). A longer
# range is computed in parts (``run``).
MAX_TERMS = 11


def _dictionaries(db) -> dict:
    """The parameters of PERSON_TERMS that list values (subject areas are followed by
    programmes in area_names)."""
    # Each list is NULL when there are no enrolments at all (a new installation).
    genders, reasons, areas, programmes = (v or [] for v in db.execute(DICTIONARIES).fetchone())
    genders = sorted({g or UNKNOWN_GENDER for g in genders})
    reasons = sorted({r or "none" for r in reasons})
    areas = sorted(a for a in areas if a)
    programmes = sorted(p for p in programmes if p)
    if len(reasons) > 15 or len(genders) > 63:
        raise ValueError(
            f"{len(reasons)} end reasons (at most 15) or {len(genders)} genders (at most 63): "
            "widen the codes in engine/duck.py"
        )
    return {
        "kinds": [kind for s in SERVICES for kind, of in SERVICE_OF_UNIT_KIND.items() if of == s],
        "genders": genders,
        "reasons": reasons,
        "subject_areas": areas,
        "programmes": programmes,
        "first_programme": len(areas),
        "not_dropout_codes": [i for i, r in enumerate(reasons, 1) if r in NOT_DROPOUT_REASONS]
        or [0],
        "area_names": [f"subject_area={a}" for a in areas] + [f"programme={p}" for p in programmes],
    }


def run(
    tables: Tables, terms: list[Term], now: datetime.datetime | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection holding ``raw``: the raw cells of every indicator (and the source
    cells) for every municipality in ``tables`` and the given terms (a consecutive range);
    meetings count as held when they started before ``now`` (default: now)."""
    now = now or timezone.now()
    if len(terms) > MAX_TERMS:
        raws = []
        for i in range(0, len(terms), MAX_TERMS):
            db = run(tables, terms[i : i + MAX_TERMS], now)
            raws.append(db.sql("SELECT * FROM raw").to_arrow_table())
            db.close()
        db = connect(tables)
        db.register("parts", pa.concat_tables(raws))
        db.execute("CREATE TEMP TABLE raw AS SELECT * FROM parts")
        db.unregister("parts")
        return db
    lo, hi = terms[0].index, terms[-1].index
    params = {
        "lo": lo,
        "hi": hi,
        "base": lo - 1,
        "slots": hi - lo + 2,
        "services": list(SERVICES),
        "now": int(now.timestamp()),
    }
    db = connect(tables)
    # Every statement is set-based and no result's row order means anything (the final select has
    # no ORDER BY), so DuckDB need not keep rows in scan order: less work and memory.
    db.execute("SET preserve_insertion_order = false")
    db.register("bands", _bands())
    db.register(
        "age_groups",
        pa.table({"lo": [g[0] for g in AGE_GROUPS], "hi": [g[1] for g in AGE_GROUPS]}),
    )
    _execute(db, PREPARE, params)
    params |= _dictionaries(db)
    snippets = _per_service(len(params["reasons"]), params["slots"])
    not_dropout = _quoted(NOT_DROPOUT_REASONS)
    _execute(db, PERSON_TERMS.format(**snippets, **CODED), params)
    _execute(db, PERSON_COUNTS.format(**snippets), params)
    _execute(
        db,
        RETENTION.format(
            cohort_names=snippets["cohort_names"],
            cohort_sums=snippets["cohort_sums"],
            not_dropout=not_dropout,
            age_group=_age_group_sql("age"),
        ),
        params,
    )
    db.execute(
        "CREATE TEMP TABLE raw (m BIGINT, idx BIGINT, key VARCHAR, breakdown VARCHAR, "
        "num DOUBLE, den DOUBLE)"
    )
    for sql in (
        PARTICIPATION,
        CROSS_SERVICE,
        RETENTION_CELLS.format(
            age_label=_age_label_sql("ag"),
            not_dropout=not_dropout,
            kulturskole=snippets["kulturskole"],
        ),
        LEAVERS,
        SOURCES.format(
            source=SOURCE,
            service_names=snippets["service_names"],
            service_sums=", ".join(f'sum("{s}") AS "{s}"' for s in SERVICES),
        ),
        WAITING,
        CLUBS.format(source=SOURCE),
        UKM.format(
            working=_quoted(WORKING_WITH_TYPES), participation=UKM_PARTICIPATION, source=SOURCE
        ),
        INFLUENCE.format(
            accepted=_quoted(("accepted", "partly_accepted", "in_progress", "implemented"))
        ),
        GOVERNANCE,
    ):
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        db.execute(f"INSERT INTO raw SELECT * FROM ({sql})", used)  # noqa: S608
    db.execute("DELETE FROM raw WHERE idx < $lo OR idx > $hi", {"lo": lo, "hi": hi})
    return db


def compute(tables: Tables, terms: list[Term], *, now: datetime.datetime | None = None) -> dict:
    """Raw cells {(municipality_id, term, key, breakdown): (numerator, denominator)}, as the
    per-municipality engine gives them (for comparing the two)."""
    db = run(tables, terms, now)
    names = {t.index: str(t) for t in terms}
    rows = db.execute("SELECT m, idx, key, breakdown, num, den FROM raw").fetchall()
    db.close()
    return {(m, names[idx], key, b): (num, den) for m, idx, key, b, num, den in rows}


def _gaps(db) -> pa.Table:
    """The figures with no data, per municipality and term (engine.gaps over the source
    cells: a few per municipality and term, so in Python, the same function as finalise)."""
    recorded: dict = {}
    rows = db.execute(
        "SELECT m, idx, key, num FROM raw WHERE starts_with(key, $source)", {"source": SOURCE}
    ).fetchall()
    for m, idx, key, num in rows:
        recorded.setdefault((m, idx), {})[key.removeprefix(SOURCE)] = num or 0
    found = [
        (m, idx, key, reason)
        for (m, idx), counts in recorded.items()
        for key, reason in gaps(counts).items()
    ]
    columns = list(zip(*found, strict=True)) if found else [[], [], [], []]
    return pa.table(
        {
            "m": pa.array(columns[0], type=I64),
            "idx": pa.array(columns[1], type=I64),
            "key": pa.array(columns[2], type=STR),
            "missing": pa.array(columns[3], type=STR),
        }
    )


def published(
    tables: Tables,
    terms: list[Term],
    *,
    min_n: int | None = None,
    now: datetime.datetime | None = None,
) -> pa.Table:
    """The published values of every municipality and term as an Arrow table, with the
    columns of IndicatorValue: disclosure control, rounding and missing data done in DuckDB."""
    min_n = settings.UNGKULTUR_DISCLOSURE_MIN_N if min_n is None else min_n
    db = run(tables, terms, now)
    db.register("keys", _keys())
    db.register("gaps", _gaps(db))
    sql = FINALISE.format(no_population=NO_POPULATION, no_records=NO_RECORDS)
    table = db.sql(sql, params={"min_n": min_n}).to_arrow_table()
    db.close()
    return table
