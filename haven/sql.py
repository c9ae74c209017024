"""Small aids for the few statements Haven writes by hand.

The hotline's busiest path (bench/contact_intake.py) reads a handful of rows per message and writes an
audit entry per change, and building those queries through the ORM cost more than the database's work on
them (docs/performance.md, P1). The statements written by hand there and in the audit log name their
table and pass their values through these helpers, so quoting, each backend's form of a value (a UUID is
text on SQLite) and the preparing of each value (`pre_save`: encryption, defaults) stay Django's.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection, models
from django.db.models.constants import OnConflict


def table(model: type[models.Model]) -> str:
    """The model's table name, quoted for this connection's database."""
    return connection.ops.quote_name(model._meta.db_table)


def columns(model: type[models.Model]) -> str:
    """The model's columns, quoted and comma-separated, for a SELECT written by hand.

    Named rather than `*`: PostgreSQL connections prepare the statements they repeat (settings,
    `HAVEN_DB_PREPARE_AFTER`), and the server refuses to run a prepared `SELECT *` whose table has gained a
    column since ("cached plan must not change result type"). A process still running while a migration
    adds one would fail on each of these statements until its connection is renewed.
    """
    return _columns(model, connection.vendor)


@functools.cache
def _columns(model: type[models.Model], vendor: str) -> str:
    return ", ".join(connection.ops.quote_name(field.column) for field in model._meta.concrete_fields)


def column_value(model: type[models.Model], field_name: str, value: Any) -> Any:
    """`value` as the database stores it in the model's `field_name` column.

    For a foreign key, pass the id of the row it points to; it takes that key's form.
    """
    return model._meta.get_field(field_name).get_db_prep_value(value, connection)  # type: ignore[union-attr]


@functools.cache
def written_fields(model: type[models.Model]) -> tuple[Any, ...]:
    """The columns an INSERT of the model writes: all, minus a primary key the database generates."""
    generated = model._meta.db_returning_fields
    return tuple(field for field in model._meta.concrete_fields if field not in generated)


def db_value(field: Any, obj: models.Model) -> Any:
    """The value `save()` would write: `pre_save` (encryption, `auto_now_add`), then the database form."""
    return field.get_db_prep_save(field.pre_save(obj, True), connection)


def insert_values(obj: models.Model) -> list[Any]:
    """The values of `insert_statement` for a new object, as `save()` would write them."""
    return [db_value(field, obj) for field in written_fields(type(obj))]


def insert(obj: models.Model, *, ignore_conflicts: bool = False) -> bool:
    """Insert one new object as `save()` would, in one statement built once per model; True if written.

    Like `bulk_create`, it sends no signals and runs no `save()` of the model's own: use it for models
    that have neither. With `ignore_conflicts`, a row that would break a unique constraint is skipped
    (False). A key the database generates (an auto-increment id) is read back onto the object.
    """
    model = type(obj)
    returning = model._meta.db_returning_fields
    with connection.cursor() as cursor:
        cursor.execute(insert_statement(model, ignore_conflicts=ignore_conflicts), insert_values(obj))
        written: bool = cursor.rowcount != 0
        generated = cursor.fetchone() if returning else None
    for field, value in zip(returning, generated or (), strict=False):
        setattr(obj, field.attname, value)
    obj._state.adding = False
    obj._state.db = connection.alias
    return written


def insert_statement(model: type[models.Model], *, ignore_conflicts: bool = False) -> str:
    """The INSERT of one row of `model`, its values in `written_fields` order, returning the keys the
    database generates (none when `ignore_conflicts` skips the row)."""
    return _insert_statement(model, connection.vendor, ignore_conflicts)


@functools.cache
def _insert_statement(model: type[models.Model], vendor: str, ignore_conflicts: bool) -> str:
    # Built once per model and kind of database: the hot path pays for its values only.
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    fields = written_fields(model)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    places = ", ".join(["%s"] * len(fields))
    parts = [
        f"{connection.ops.insert_statement(on_conflict=on_conflict)} {table(model)} ({columns})",
        f"VALUES ({places})",
        connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None),
    ]
    if returning := model._meta.db_returning_fields:
        parts.append("RETURNING " + ", ".join(connection.ops.quote_name(field.column) for field in returning))
    return " ".join(part for part in parts if part)
