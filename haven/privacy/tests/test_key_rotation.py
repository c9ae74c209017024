"""rotate_keys: new key versions, every value re-encrypted in batches, resumable, values stay readable."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from haven.conftest import World
from haven.orgs import actions
from haven.orgs.models import Site
from haven.privacy import rotation
from haven.privacy.keyring import keyring, master_key_id, new_master_key_text
from haven.privacy.models import DataKey


def _many_sites(world: World, count: int) -> dict[str, str]:
    expected = {}
    for n in range(count):
        site = actions.create_site(
            org=world.org,
            name=f"Site {n}",
            kind=Site.Kind.OFFICE,
            address=f"{n} Synthetic Street",
            phone=f"+1514555{n:04d}",
            acting_user=world.persona_admin,
            at=world.at,
        )
        expected[str(site.pk)] = site.address
    expected[str(world.shelter.pk)] = "12 Hidden Lane"
    return expected


def _versions_in_use(world: World) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT address, phone FROM orgs_site WHERE org_id = %s",
            [world.org.pk.hex if connection.vendor == "sqlite" else world.org.pk],
        )
        return {value.split("$")[1] for row in cursor.fetchall() for value in row}


def _assert_readable(expected: dict[str, str]) -> None:
    keyring.clear()
    for pk, address in expected.items():
        assert Site.objects.get(pk=pk).address == address


def test_it_reencrypts_every_value_and_retires_the_old_key(world: World) -> None:
    expected = _many_sites(world, 12)
    call_command("rotate_keys", "--org", "home", "--batch-size", "5")
    assert _versions_in_use(world) == {"2"}
    old = DataKey.objects.get(org=world.org, purpose=DataKey.Purpose.ENCRYPTION, version=1)
    assert not old.is_active and old.retired_at is not None
    _assert_readable(expected)


def test_it_resumes_after_an_interruption(world: World) -> None:
    expected = _many_sites(world, 12)
    call_command("rotate_keys", "--org", "home", "--batch-size", "4", "--max-batches", "1")
    assert _versions_in_use(world) == {"1", "2"}  # stopped half-way: both versions in use
    assert rotation.pending_versions(world.org.pk) == [1]
    _assert_readable(expected)  # half-rotated data is still readable
    call_command("rotate_keys", "--org", "home", "--batch-size", "4")
    assert _versions_in_use(world) == {"2"}
    assert rotation.pending_versions(world.org.pk) == []
    _assert_readable(expected)


def test_it_leaves_other_organisations_alone(world: World) -> None:
    other = actions.create_site(
        org=world.other_org,
        name="Other",
        kind=Site.Kind.OFFICE,
        address="Elsewhere",
        acting_user=world.outsider.user,
        at=world.at,
    )
    call_command("rotate_keys", "--org", "home")
    assert Site.objects.get(pk=other.pk).address == "Elsewhere"
    assert not DataKey.objects.filter(org=world.other_org, version=2).exists()


def test_it_refuses_to_finish_while_rows_remain(world: World) -> None:
    _many_sites(world, 3)
    rotation.start_rotation(world.org.pk, at=world.at)
    with pytest.raises(RuntimeError):
        rotation.finish_rotation(world.org.pk, at=world.at)


def test_it_rewraps_data_keys_under_a_new_master_key(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _many_sites(world, 2)
    key_file = tmp_path / "new.key"
    new_key_text = new_master_key_text()
    key_file.write_text(new_key_text)
    call_command("rotate_keys", "--new-master-key-file", str(key_file))
    from haven.privacy.keyring import decode_master_key

    new_id = master_key_id(decode_master_key(new_key_text, "test"))
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {new_id}
    monkeypatch.setenv("HAVEN_MASTER_KEY", new_key_text)
    _assert_readable(expected)  # the data keys unwrap under the new master key


def test_it_fails_clearly_for_an_unknown_org(world: World) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No organisation"):
        call_command("rotate_keys", "--org", "nope")
