"""PostgreSQL connections prepare the statements they run again and again, unless told not to, and the
statements written by hand stay valid when a migration adds a column."""

from __future__ import annotations

import os

import psycopg
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from haven import settings as haven_settings
from haven.channels.tests import factories as channel_factories
from haven.conftest import World
from haven.hotline.intake import _open_contact
from haven.people.models import Person

URL = "postgresql://127.0.0.1:5432/haven"


def test_postgresql_sends_parameters_apart_and_prepares_after_two_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HAVEN_DB_PREPARE_AFTER", raising=False)
    options = haven_settings._database_from_url(URL)["OPTIONS"]
    assert options["server_side_binding"] is True and options["prepare_threshold"] == 2


@pytest.mark.parametrize(
    ("value", "expected"), [("0", {}), ("7", {"server_side_binding": True, "prepare_threshold": 7})]
)
def test_the_operator_sets_or_turns_off_preparing(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: dict[str, object]
) -> None:
    monkeypatch.setenv("HAVEN_DB_PREPARE_AFTER", value)
    options = haven_settings._database_from_url(URL)["OPTIONS"]
    assert {k: options[k] for k in ("server_side_binding", "prepare_threshold") if k in options} == expected


@pytest.mark.parametrize("value", ["-1", "often"])
def test_a_bad_value_says_what_to_set(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("HAVEN_DB_PREPARE_AFTER", value)
    with pytest.raises(ImproperlyConfigured, match="HAVEN_DB_PREPARE_AFTER must be"):
        haven_settings._database_from_url(URL)


def test_sqlite_is_left_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAVEN_DB_PREPARE_AFTER", "2")
    options = haven_settings._database_from_url("sqlite:////tmp/haven.sqlite3").get("OPTIONS", {})
    assert "server_side_binding" not in options and "prepare_threshold" not in options


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
@pytest.mark.skipif(os.environ.get("HAVEN_DB_PREPARE_AFTER") == "0", reason="preparing turned off here")
def test_a_query_run_twice_is_prepared_on_the_server() -> None:
    """The test database runs with the project's own settings: the server holds the prepared statement."""
    for _ in range(3):  # a new queryset each time: one evaluated already would not ask again
        assert not Person.objects.filter(phone_index="no-such-index").exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%phone_index%"]
        )
        prepared = [row[0] for row in cursor.fetchall()]
    # Parameters travel apart from the text ($1, $2), which is what lets the server keep the plan.
    assert any('FROM "people_person" WHERE "people_person"."phone_index" = $2' in sql for sql in prepared)


@pytest.mark.django_db(transaction=True)  # the migration runs on another connection, and must not wait
@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
@pytest.mark.skipif(os.environ.get("HAVEN_DB_PREPARE_AFTER") == "0", reason="preparing turned off here")
def test_a_statement_written_by_hand_survives_a_column_added_by_a_migration(world: World) -> None:
    """A process running while a migration adds a column keeps its prepared statements: they name their
    columns (`sql.columns`); a prepared `SELECT *` would fail ("cached plan must not change result type")."""
    channel = channel_factories.channel(world.org, "SMS")
    for _ in range(3):
        assert _open_contact(channel, "an-index") is None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%hotline_contact%"]
        )
        assert cursor.fetchone()[0] >= 1
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as migration:
        migration.execute("ALTER TABLE hotline_contact ADD COLUMN added_by_a_later_release integer")
        try:
            assert _open_contact(channel, "an-index") is None
        finally:
            migration.execute("ALTER TABLE hotline_contact DROP COLUMN added_by_a_later_release")
