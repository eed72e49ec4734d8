"""Read operational tables into Arrow for DuckDB, on SQLite and PostgreSQL alike.

DuckDB's PostgreSQL and SQLite scanners are extensions it downloads, which a machine without
internet cannot; so the rows come through Django's own connection: on PostgreSQL as CSV from
COPY (the fastest way out of the server), on SQLite through a plain cursor. Dates travel as
days since 1970-01-01 and instants as whole seconds since the epoch, so that both databases
give DuckDB the same integers.
"""

import io

import pyarrow as pa
import pyarrow.csv as pacsv
from django.db import connection


def day(column: str) -> str:
    """SQL for a date column as days since 1970-01-01 (NULL stays NULL)."""
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def seconds(column: str) -> str:
    """SQL for a timestamp column as whole seconds since the epoch (UTC)."""
    if connection.vendor == "postgresql":
        return f"CAST(floor(extract(epoch FROM {column})) AS BIGINT)"
    return f"CAST(strftime('%s', {column}) AS INTEGER)"


def boolean(column: str) -> str:
    return f"CASE WHEN {column} THEN 1 ELSE 0 END"


def table(name) -> str:
    """The quoted table name of a model."""
    return connection.ops.quote_name(name._meta.db_table)


def col(name: str) -> str:
    return connection.ops.quote_name(name)


def read(sql: str, schema: pa.Schema) -> pa.Table:
    """The rows of a query as an Arrow table with the given column names and types."""
    if connection.vendor == "postgresql":
        return _read_copy(sql, schema)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in schema]
    return pa.table(
        [pa.array(list(values), type=f.type) for values, f in zip(columns, schema, strict=True)],
        schema=schema,
    )


def _read_copy(sql: str, schema: pa.Schema) -> pa.Table:
    buffer = io.BytesIO()
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
            for block in copy:
                buffer.write(block)
    buffer.seek(0)
    if buffer.getbuffer().nbytes == 0:
        return schema.empty_table()
    return pacsv.read_csv(
        buffer,
        read_options=pacsv.ReadOptions(column_names=schema.names),
        convert_options=pacsv.ConvertOptions(
            column_types={f.name: f.type for f in schema},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
