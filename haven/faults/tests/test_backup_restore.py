"""R7: pg_dump → restore into an empty database → key rotation → everything readable, audit chain intact.

The procedure is the one written for operators (docs/operations.md, "Backup and restore"): the database
dump and the master key are backed up apart; a restore needs both. Run with the right key, `haven
rotate_keys` re-encrypts every value in the restored copy and `haven audit_verify` passes; run with another
key, or none, nothing decrypts and the error says why.
"""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from haven.cases.actions import open_case
from haven.conftest import World
from haven.faults.tests import support
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.people.models import Person
from haven.privacy import audit, rotation
from haven.privacy.keyring import keyring
from haven.privacy.models import DataKey

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

PEOPLE = [("Rahima Begum", "+8801711000001"), ("Nasrin Akter", "+8801711000002"), ("Joya Das", "")]


def _pg_env() -> dict[str, str]:
    password = connection.settings_dict.get("PASSWORD") or ""
    return {**os.environ, **({"PGPASSWORD": password} if password else {})}


def _pg_args(database: str) -> list[str]:
    host, port = support.database_address()
    user = connection.settings_dict.get("USER") or ""
    return [
        "--host",
        host,
        "--port",
        str(port),
        *(["--username", user] if user else []),
        "--dbname",
        database,
    ]


def _haven(var_dir: Path, database: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = support.haven_env(support.database_url(database), var_dir, **env)
    return subprocess.run(
        support.haven_command(*args), env=environment, capture_output=True, text=True, timeout=300
    )


@contextmanager
def _connected_to(database: str) -> Iterator[None]:
    """Point this process's Django connection (and key ring) at another database for a while."""
    settings = connection.settings_dict
    original = settings["NAME"]
    connection.close()
    settings["NAME"] = database
    keyring.clear()
    try:
        yield
    finally:
        connection.close()
        settings["NAME"] = original
        keyring.clear()


def _synthetic_records(world: World) -> dict[uuid.UUID, tuple[str, str]]:
    people = {}
    for name, phone in PEOPLE:
        person = register_person(org=world.org, name=name, phone=phone, acting_user=None, at=world.at)
        open_case(survivor=person, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at)
        people[person.pk] = (name, phone)
    return people


def test_a_restored_backup_rotates_keys_reads_everything_and_verifies_its_audit_chain(
    world: World, tmp_path: Path
) -> None:
    originals = _synthetic_records(world)
    restored = f"flt_restore_{secrets.token_hex(4)}"
    dump = tmp_path / "haven.dump"
    try:
        subprocess.run(
            ["pg_dump", "--format=custom", "--file", str(dump), *_pg_args(connection.settings_dict["NAME"])],
            env=_pg_env(),
            check=True,
            timeout=120,
        )
        support.create_database(restored)
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", *_pg_args(restored), str(dump)],
            env=_pg_env(),
            check=True,
            timeout=120,
        )

        rotated = _haven(tmp_path, restored, "rotate_keys")
        assert rotated.returncode == 0, rotated.stderr
        assert f"{world.org.slug}: new key version 2; done" in rotated.stdout
        verified = _haven(tmp_path, restored, "audit_verify")
        assert verified.returncode == 0 and "Audit log intact" in verified.stdout, verified.stderr

        with _connected_to(restored):
            assert rotation.pending_versions(world.org.pk) == []
            active = DataKey.objects.filter(org=world.org, purpose="ENCRYPTION", is_active=True)
            assert list(active.values_list("version", flat=True)) == [2]
            read_back = {p.pk: (p.name, p.phone) for p in Person.objects.filter(pk__in=originals)}
            assert read_back == originals
            checked, problems = audit.verify_all()
            assert checked > len(originals) and problems == []
    finally:
        support.drop_database(restored)
        dump.unlink(missing_ok=True)


def test_a_restore_without_its_master_key_reads_nothing(world: World, tmp_path: Path) -> None:
    _synthetic_records(world)
    database = connection.settings_dict["NAME"]
    read = "from haven.people.models import Person; print(len(Person.objects.first().name))"

    other_key = base64.b64encode(secrets.token_bytes(32)).decode()
    wrong = _haven(tmp_path, database, "shell", "-c", read, HAVEN_MASTER_KEY=other_key)
    assert wrong.returncode != 0
    assert "the master key is not the one that wrapped it" in wrong.stderr

    missing = _haven(tmp_path, database, "shell", "-c", read, HAVEN_MASTER_KEY="", HAVEN_MASTER_KEY_FILE="")
    assert missing.returncode != 0
    assert "No master key" in missing.stderr
    assert Person.objects.count() == len(PEOPLE)  # the right key still reads them (this process)
