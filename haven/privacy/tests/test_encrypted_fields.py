"""Encrypted fields: plaintext never reaches the database, ciphertexts are bound to their row and column."""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from haven.conftest import World
from haven.orgs import actions
from haven.orgs.models import Site
from haven.privacy.fields import DecryptionError, Sealed
from haven.privacy.tests.dumps import sqlite_file

SENTINEL = "SENTINEL-7f3a-Rue-Cachee-42"


def _raw_dump(table: str) -> bytes:
    """Everything the database holds for a table: the whole file on SQLite, a COPY dump on PostgreSQL."""
    if connection.vendor == "sqlite":
        return sqlite_file()
    with connection.cursor() as cursor, cursor.copy(f"COPY (SELECT * FROM {table}) TO STDOUT") as copy:
        return b"".join(bytes(chunk) for chunk in copy)


def _raw_column(site: Site, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM orgs_site WHERE id = %s",
            [site.pk.hex if connection.vendor == "sqlite" else site.pk],
        )
        return str(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)  # SQLite cannot VACUUM INTO inside the test's transaction
def test_it_keeps_the_sentinel_out_of_the_database(world: World) -> None:
    site = actions.create_site(
        org=world.org,
        name="Sentinel house",
        kind=Site.Kind.SHELTER,
        address=SENTINEL,
        phone="+15145550111",
        acting_user=world.persona_admin,
        at=world.at,
    )
    dump = _raw_dump("orgs_site")
    assert b"Sentinel house" in dump  # the dump is real: the unencrypted name is there
    assert SENTINEL.encode() not in dump
    assert SENTINEL.encode("utf-16-le") not in dump
    assert Site.objects.get(pk=site.pk).address == SENTINEL


def test_it_stores_the_versioned_ciphertext_format(world: World) -> None:
    raw = _raw_column(world.shelter, "address")
    assert raw.startswith("h1$1$")
    assert "Hidden" not in raw


def test_it_refuses_a_ciphertext_swapped_between_rows(world: World) -> None:
    shelter_raw = _raw_column(world.shelter, "address")
    office_raw = _raw_column(world.office, "address")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE orgs_site SET address = %s WHERE name = %s", [shelter_raw, "Office"])
        cursor.execute("UPDATE orgs_site SET address = %s WHERE name = %s", [office_raw, "Shelter"])
    office = Site.objects.get(pk=world.office.pk)
    with pytest.raises(DecryptionError):
        _ = office.address


def test_it_refuses_a_ciphertext_moved_to_another_column(world: World) -> None:
    address_raw = _raw_column(world.shelter, "address")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE orgs_site SET phone = %s WHERE name = %s", [address_raw, "Shelter"])
    with pytest.raises(DecryptionError):
        _ = Site.objects.get(pk=world.shelter.pk).phone


def test_it_refuses_a_tampered_or_plaintext_value(world: World) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE orgs_site SET address = %s WHERE name = %s", ["12 Hidden Lane", "Shelter"])
    with pytest.raises(DecryptionError):
        _ = Site.objects.get(pk=world.shelter.pk).address


def test_it_cannot_be_read_with_another_organisations_key(world: World) -> None:
    raw = _raw_column(world.shelter, "address")
    foreign = Site(org=world.other_org, name="x", kind=Site.Kind.OFFICE)
    foreign.pk = world.shelter.pk
    foreign.__dict__["address"] = Sealed(raw)
    with pytest.raises(DecryptionError):
        _ = foreign.address


def test_it_never_hands_plaintext_to_values_or_bulk_writes(world: World) -> None:
    value = Site.objects.filter(pk=world.shelter.pk).values_list("address", flat=True).get()
    assert isinstance(value, Sealed)
    assert "Hidden" not in str(value) and "Hidden" not in repr(value)
    with pytest.raises(TypeError):
        Site.objects.filter(pk=world.shelter.pk).update(address="plain text")
    with pytest.raises(FieldError):
        list(Site.objects.filter(address="12 Hidden Lane"))


def test_it_reads_back_none_and_empty_values(world: World) -> None:
    site = actions.create_site(
        org=world.org, name="No address", kind=Site.Kind.OFFICE, acting_user=world.persona_admin, at=world.at
    )
    assert Site.objects.get(pk=site.pk).address == ""


def test_it_does_not_use_the_same_ciphertext_twice(world: World) -> None:
    a = actions.create_site(
        org=world.org,
        name="A",
        kind=Site.Kind.OFFICE,
        address="Same street",
        acting_user=world.persona_admin,
        at=world.at,
    )
    b = actions.create_site(
        org=world.org,
        name="B",
        kind=Site.Kind.OFFICE,
        address="Same street",
        acting_user=world.persona_admin,
        at=world.at,
    )
    assert _raw_column(a, "address") != _raw_column(b, "address")
