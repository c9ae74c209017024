"""A whole database, dumped byte for byte, holds no plaintext of anything Haven encrypts.

The demo writes every kind of record the seed services keep (people, cases, incidents, notes, hotline
contacts, stays, referrals, programmes...). Every encrypted value is read back through the ORM, then
looked for in a raw dump of every table: `VACUUM INTO` a copy of the file on SQLite, a binary `COPY ... TO
STDOUT` of each table on PostgreSQL. And the log watch (log_watch.py) is shown to catch a leak.
"""

from __future__ import annotations

import logging

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from haven.conftest import World
from haven.people.actions import register_person
from haven.privacy.fields import EncryptedTextField
from haven.privacy.tests import log_watch
from haven.privacy.tests.dumps import sqlite_file
from haven.web.demo import load_demo


def _encrypted_plaintexts() -> set[str]:
    """Every encrypted value in the database long enough to be a person's name, phone or a narrative."""
    values: set[str] = set()
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        for obj in model._base_manager.all() if names else ():
            values.update(str(getattr(obj, name)) for name in names)
    return {value for value in values if len(value) >= log_watch.MIN_LENGTH}


def _whole_database() -> bytes:
    if connection.vendor == "sqlite":
        return sqlite_file()
    chunks: list[bytes] = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            # Binary: values as stored, so a narrative's line breaks are not escaped out of the search.
            with cursor.copy(f"COPY {quote(table)} TO STDOUT WITH (FORMAT binary)") as copy:
                chunks.extend(bytes(chunk) for chunk in copy)
    return b"".join(chunks)


@pytest.mark.django_db(transaction=True)  # SQLite cannot VACUUM INTO inside the test's transaction
def test_a_dump_of_the_demo_database_holds_no_encrypted_value_in_clear() -> None:
    load_demo(at=timezone.now())
    plaintexts = _encrypted_plaintexts()
    dump = _whole_database()

    assert len(plaintexts) > 100, "the demo should have encrypted many values"
    found = sorted(value for value in plaintexts if value.encode() in dump)
    assert found == []


def test_the_log_watch_finds_a_sealed_value_in_a_log_line() -> None:
    sealed = {"Nadia Example", "+8801711000000"}
    logged = ["Not Found: /cases/", "could not reach +8801711000000 on WhatsApp"]
    assert log_watch.leaked_values(sealed, logged) == ["+8801711000000"]
    assert log_watch.leaked_values(sealed, logged[:1]) == []


def test_the_log_watch_keeps_what_the_logging_configuration_lets_through() -> None:
    before = len(log_watch._logged)
    logging.getLogger("haven.test").warning("a warning about %s", "nothing personal")
    logging.getLogger("haven.test").debug("below the configured level")
    assert log_watch._logged[before:] == ["a warning about nothing personal"]


@pytest.mark.django_db
def test_the_log_watch_remembers_every_value_sealed_during_the_run(world: World) -> None:
    register_person(org=world.org, name="Watched Example Name", acting_user=None, at=timezone.now())
    assert "Watched Example Name" in log_watch._sealed
