"""A fingerprint of a PostgreSQL database, to tell that a restored backup equals its source."""

import hashlib


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def database_fingerprint(cursor) -> dict[str, list]:
    """Per table in the current schema: [row count, md5 of its rows in a fixed order]; per
    sequence: ["sequence", last value]. Any DB-API cursor on PostgreSQL.

    Rows are hashed one by one and the hashes sorted, so neither physical order, collation nor
    the table's size in memory matters.
    """
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    tables = sorted(row[0] for row in cursor.fetchall())
    fingerprint: dict[str, list] = {}
    for table in tables:
        cursor.execute(
            "SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), '')) "  # noqa: S608
            f"FROM (SELECT md5(t::text) AS h FROM {_quote(table)} AS t) AS rows"
        )
        count, digest = cursor.fetchone()
        fingerprint[table] = [count, digest]
    cursor.execute(
        "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"
    )
    for name, last_value in cursor.fetchall():
        fingerprint[f"{name} (sequence)"] = ["sequence", last_value]
    return fingerprint


def directory_fingerprint(path) -> dict[str, str]:
    """sha256 of every file under ``path``, by its relative name."""
    return {
        str(f.relative_to(path)): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(path.rglob("*"))
        if f.is_file()
    }
