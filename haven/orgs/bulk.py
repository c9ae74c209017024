"""Writing many new rows at once: `bulk_create`, or PostgreSQL's COPY where the volume calls for it.

A registry import writes hundreds of thousands of people, tokens and registry entries in one
transaction. `bulk_create` spends most of that time compiling multi-row INSERT statements and handing
psycopg one parameter per cell; COPY streams the same values as rows. The values are prepared exactly
as `save()` would prepare them (`pre_save` then `get_db_prep_save`), so encrypted fields are sealed,
defaults and `auto_now_add` apply, and JSON is dumped the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

from haven import sql

BATCH_SIZE = 2000


def insert_new(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert `objects` (all new) as rows of `model`'s table.

    On PostgreSQL through COPY; elsewhere through `bulk_create`. Unlike `bulk_create`, primary keys the
    database generates (auto-increment ids) are not read back: give objects whose key is needed later a
    UUID key set in Python. No signals are sent, as with `bulk_create`.
    """
    if not objects:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objects, batch_size=BATCH_SIZE)
        return
    fields = sql.written_fields(model)
    # Prepared before COPY starts: sealing a value may read the organisation's key from the database,
    # and the connection can run no other statement until the COPY ends.
    rows = [sql.insert_values(obj) for obj in objects]
    with connection.cursor() as cursor, cursor.copy(_copy_statement(model, fields)) as copy:
        for row in rows:
            copy.write_row(row)
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


def _copy_statement(model: type[models.Model], fields: Sequence[Any]) -> str:
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    return f"COPY {sql.table(model)} ({columns}) FROM STDIN"
