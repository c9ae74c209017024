"""System checks: no usable master key stops `runserver`, `migrate` and friends; a PostgreSQL server
without autovacuum is warned about when the database is checked (`migrate`, `check --database default`)."""

from collections.abc import Sequence
from typing import Any

from django.core import checks
from django.db import connections

from haven.privacy.keyring import MasterKeyError, read_master_key


@checks.register(checks.Tags.security)
def master_key_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        read_master_key()
    except MasterKeyError as exc:
        return [checks.Critical(str(exc), id="haven.E001")]
    return []


@checks.register(checks.Tags.database)
def autovacuum_check(
    app_configs: Any = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Every audited write updates one of its organisation's audit-chain head rows. Without autovacuum
    their dead versions are never cleared: after some 85,000 audited writes, reading a head was a 3 ms
    scan (docs/performance.md, P1)."""
    warnings: list[checks.CheckMessage] = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute("SHOW autovacuum")
            row = cursor.fetchone()
        if row is None or row[0] != "on":
            warnings.append(
                checks.Warning(
                    f"PostgreSQL runs without autovacuum (database '{alias}').",
                    hint="Set autovacuum = on in postgresql.conf (its default) and reload the server.",
                    id="haven.W001",
                )
            )
    return warnings
