"""Audited writes of one organisation do not queue behind each other, and every stripe stays a proven chain.

Only PostgreSQL runs transactions side by side; SQLite keeps one chain per organisation.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from haven.conftest import World
from haven.orgs.models import Site
from haven.privacy import audit
from haven.privacy.models import AuditChain, AuditEntry

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")


def _audit_in_open_transaction(world: World, started: threading.Event, release: threading.Event) -> None:
    """Write an entry and keep the transaction (and the head it locked) open until told to commit."""
    try:
        with transaction.atomic():
            audit.record(action="site.view", actor=None, org=world.org, at=timezone.now(), obj=world.shelter)
            started.set()
            assert release.wait(timeout=10)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_a_second_writer_does_not_wait_for_the_first_to_commit(world: World) -> None:
    started, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_audit_in_open_transaction, args=(world, started, release))
    holder.start()
    try:
        assert started.wait(timeout=10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # with one chain this would time out
        with transaction.atomic():
            second = audit.record(
                action="site.view", actor=None, org=world.org, at=timezone.now(), obj=world.shelter
            )
    finally:
        release.set()
        holder.join()
    first = AuditEntry.objects.filter(action="site.view").exclude(pk=second.pk).get()
    assert first.chain != second.chain
    assert {first.chain, second.chain} <= set(audit.chain_keys(world.org.pk))
    entries, problems = audit.verify_all()
    assert problems == [] and entries == AuditEntry.objects.count()


@pytest.mark.django_db(transaction=True)
def test_one_transaction_keeps_to_one_chain(world: World) -> None:
    with transaction.atomic():
        written = [
            audit.record(action="site.view", actor=None, org=world.org, at=timezone.now(), obj=site)
            for site in Site.objects.filter(org=world.org)
        ]
    assert len(written) > 1 and len({entry.chain for entry in written}) == 1


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_writers_leave_every_chain_intact(world: World) -> None:
    before = AuditEntry.objects.count()
    barrier = threading.Barrier(12)

    def write() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():
                    audit.record(
                        action="site.view", actor=None, org=world.org, at=timezone.now(), obj=world.shelter
                    )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert AuditEntry.objects.count() == before + 60
    _checked, problems = audit.verify_all()
    assert problems == [], problems
    stripes = AuditChain.objects.filter(key__in=audit.chain_keys(world.org.pk))
    assert sum(head.last_seq for head in stripes) == AuditEntry.objects.filter(org=world.org).count()


@pytest.mark.django_db(transaction=True)
def test_sessions_start_on_different_stripes(world: World) -> None:
    """Eight sessions writing one after another, none busy, land on several chains, not all on one.

    Each session prefers a stripe of its own; with every session preferring the same one, writers met
    there first and went on down the same list, and at 50 clients a third found every head taken.
    """
    chains: list[str] = []

    def write_once() -> None:
        try:
            with transaction.atomic():
                entry = audit.record(
                    action="site.view", actor=None, org=world.org, at=timezone.now(), obj=world.shelter
                )
            chains.append(entry.chain)
        finally:
            connections.close_all()

    for _ in range(8):  # one at a time: every head is free, so each goes to its own session's stripe
        thread = threading.Thread(target=write_once)
        thread.start()
        thread.join()
    assert len(chains) == 8 and len(set(chains)) >= 4, chains
