"""Writing many rows fast: COPY on PostgreSQL, executemany on SQLite (the synthetic nation,
and storing a national run's values)."""

import datetime
import io

import pyarrow as pa
import pyarrow.csv as pacsv
from django.core.management.color import no_style
from django.db import connection

UTC = datetime.UTC


class Writer:
    """Inserts many rows of one model fast: COPY on PostgreSQL, executemany on SQLite.

    Columns not given get the field's default, so new fields with defaults keep working."""

    def __init__(self):
        self.counts: dict[str, int] = {}

    def next_id(self, model) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")  # noqa: S608
            return cursor.fetchone()[0] + 1

    def write(self, model, columns: list[str], rows) -> None:
        given = set(columns)
        fields = [
            f for f in model._meta.concrete_fields if f.column not in given and not f.primary_key
        ]
        defaults = [f.get_db_prep_save(f.get_default(), connection) for f in fields]
        names = columns + [f.column for f in fields]
        table = connection.ops.quote_name(model._meta.db_table)
        quoted = ", ".join(connection.ops.quote_name(n) for n in names)
        count = 0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row((*row, *defaults))
                        count += 1
        else:
            marks = ", ".join(["%s"] * len(names))
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608
            batch = []
            with connection.cursor() as cursor:
                for row in rows:
                    batch.append((*(_sqlite(v) for v in row), *defaults))
                    if len(batch) == 20_000:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + count

    def write_arrow(self, model, table: pa.Table) -> None:
        """The rows of an Arrow table whose columns are named as the model's columns."""
        if connection.vendor != "postgresql":
            columns = [column.to_pylist() for column in table.columns]
            self.write(model, table.column_names, zip(*columns, strict=True))
            return
        buffer = io.BytesIO()
        pacsv.write_csv(table, buffer, write_options=pacsv.WriteOptions(include_header=False))
        quoted = ", ".join(connection.ops.quote_name(n) for n in table.column_names)
        name = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {name} ({quoted}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(buffer.getvalue())
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + table.num_rows

    def reset_sequences(self, models) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


def _sqlite(value):
    # Django keeps SQLite datetimes as naive UTC text.
    if isinstance(value, datetime.datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    return value
