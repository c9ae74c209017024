"""The audit log is append-only and hash-chained; audit_verify finds edited, deleted and reordered entries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from haven.conftest import World
from haven.orgs import actions
from haven.orgs.models import Site
from haven.privacy import audit
from haven.privacy.models import AuditEntry


@contextmanager
def _as_attacker() -> Iterator[None]:
    """Raw SQL that bypasses Haven; on PostgreSQL even the append-only trigger must be switched off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # a superuser skipping triggers
        yield
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def _org_entries(world: World) -> list[AuditEntry]:
    """The entries of the chain the world's writes went to: its one connection's own stripe."""
    chain = AuditEntry.objects.filter(org=world.org).order_by("id").values_list("chain", flat=True).first()
    return list(AuditEntry.objects.filter(chain=chain).order_by("seq"))


def _verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify")
    return str(failure.value)


def test_it_verifies_an_untouched_log(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("audit_verify")
    assert "Audit log intact" in capsys.readouterr().out


def test_it_records_field_names_never_values(world: World) -> None:
    actions.update_site(
        site=world.shelter,
        changes={"address": "99 Secret Road", "name": "Renamed"},
        acting_user=world.persona_admin,
        at=world.at,
    )
    entry = AuditEntry.objects.filter(action=actions.SITE_UPDATE).get()
    assert entry.fields == ["address", "name"]
    assert entry.actor_id == world.persona_admin.pk and entry.org_id == world.org.pk
    assert entry.object_type == "orgs.site" and entry.object_id == str(world.shelter.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM privacy_auditentry")
        assert "Secret Road" not in repr(cursor.fetchall())


@pytest.mark.faults  # R8 of issue 9: also run by `pytest -m faults`
def test_it_detects_an_edited_entry(world: World) -> None:
    target = _org_entries(world)[2]
    with _as_attacker(), connection.cursor() as cursor:
        cursor.execute("UPDATE privacy_auditentry SET action = %s WHERE id = %s", ["site.view", target.pk])
    assert "contents changed" in str(audit.verify_all()[1]) and "tampered" in _verify_fails()


@pytest.mark.faults
def test_it_detects_a_deleted_entry(world: World) -> None:
    target = _org_entries(world)[3]
    with _as_attacker(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_auditentry WHERE id = %s", [target.pk])
    assert "missing entries" in str(audit.verify_all()[1])
    _verify_fails()


@pytest.mark.faults
def test_it_detects_a_deleted_newest_entry(world: World) -> None:
    target = _org_entries(world)[-1]
    with _as_attacker(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_auditentry WHERE id = %s", [target.pk])
    assert "newest entries" in str(audit.verify_all()[1])


@pytest.mark.faults
def test_it_detects_reordered_entries(world: World) -> None:
    first, second = _org_entries(world)[1:3]
    with _as_attacker(), connection.cursor() as cursor:
        # Swap their positions in the chain (through a free sequence number, for the unique constraint).
        cursor.execute("UPDATE privacy_auditentry SET seq = 999999 WHERE id = %s", [first.pk])
        cursor.execute("UPDATE privacy_auditentry SET seq = %s WHERE id = %s", [first.seq, second.pk])
        cursor.execute("UPDATE privacy_auditentry SET seq = %s WHERE id = %s", [second.seq, first.pk])
    problems = str(audit.verify_all()[1])
    assert "does not link" in problems


def test_it_refuses_updates_and_deletes_through_the_orm(world: World) -> None:
    entry = _org_entries(world)[0]
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_it_refuses_raw_updates_on_postgresql(world: World) -> None:
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE privacy_auditentry SET action = 'x'")


def test_it_writes_nothing_when_the_change_fails(world: World) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        actions.create_site(
            org=world.org,
            name="Shelter",
            kind=Site.Kind.OFFICE,  # the name is taken
            acting_user=world.persona_admin,
            at=world.at,
        )
    assert AuditEntry.objects.count() == before
    call_command("audit_verify")


def test_it_refuses_unregistered_action_codes(world: World) -> None:
    with pytest.raises(audit.UnknownAuditAction):
        audit.record(action="made.up", actor=None, org=world.org, at=world.at)


@pytest.mark.faults
def test_it_detects_a_chain_whose_head_was_deleted(world: World) -> None:
    # Without its head, a chain was never walked: its entries could then be edited unseen.
    target = _org_entries(world)[2]
    with _as_attacker(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_auditchain WHERE key = %s", [target.chain])
        cursor.execute("UPDATE privacy_auditentry SET action = %s WHERE id = %s", ["site.view", target.pk])
    assert "head is missing" in str(audit.verify_all()[1])
    _verify_fails()
