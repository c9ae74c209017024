"""The database check warns when PostgreSQL runs without autovacuum, and only then."""

from __future__ import annotations

import pytest
from django.db import connection

from haven.privacy.checks import autovacuum_check

pytestmark = pytest.mark.django_db


def test_it_follows_the_servers_setting() -> None:
    if connection.vendor != "postgresql":
        assert autovacuum_check(databases=["default"]) == []
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        running = cursor.fetchone()[0] == "on"
    ids = [message.id for message in autovacuum_check(databases=["default"])]
    assert ids == ([] if running else ["haven.W001"])


def test_it_checks_no_database_unless_asked() -> None:
    assert autovacuum_check(databases=None) == []
