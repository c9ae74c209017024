"""Small aids for the few statements Haven writes by hand.

The hotline's busiest path (bench/contact_intake.py) reads a handful of rows per message and writes an
audit entry per change, and building those queries through the ORM cost more than the database's work on
them (docs/performance.md, P1). The statements written by hand there and in the audit log name their
table and pass their values through these two helpers, so quoting and each backend's form of a value (a
UUID is text on SQLite) stay Django's.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, models


def table(model: type[models.Model]) -> str:
    """The model's table name, quoted for this connection's database."""
    return connection.ops.quote_name(model._meta.db_table)


def column_value(model: type[models.Model], field_name: str, value: Any) -> Any:
    """`value` as the database stores it in the model's `field_name` column.

    For a foreign key, pass the id of the row it points to; it takes that key's form.
    """
    return model._meta.get_field(field_name).get_db_prep_value(value, connection)  # type: ignore[union-attr]
