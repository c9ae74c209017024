"""A waitlist verb locks her entry, not her case or the organisation it reads with it.

A row lock on the organisation would queue every waitlist verb of the organisation behind each other, and a
lock on the case every other verb on her case. Only PostgreSQL runs transactions side by side.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, cast

import pytest
from django.db import DatabaseError, OperationalError, connection, connections, transaction

from haven.cases.models import Case
from haven.conftest import World
from haven.orgs.models import Organisation
from haven.shelters import actions
from haven.shelters.models import Bed, BedHold, Facility, WaitlistEntry
from haven.shelters.tests.conftest import Household, bed

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")


def _hold_entry_lock(entry: WaitlistEntry, locked: threading.Event, release: threading.Event) -> None:
    try:
        with transaction.atomic():
            actions._lock_open_entry(entry)
            locked.set()
            assert release.wait(timeout=10)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_her_case_and_the_organisation_stay_free_while_her_entry_is_locked(
    world: World, household: Household, facility: Facility
) -> None:
    entry = actions.add_to_waitlist(case=household.case, facility=facility, acting_user=None, at=world.at)
    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_entry_lock, args=(entry, locked, release))
    holder.start()
    try:
        assert locked.wait(timeout=10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")  # a lock held by the verb would time out
            assert Case.objects.select_for_update().get(pk=household.case.pk)
            assert Organisation.objects.select_for_update().get(pk=world.org.pk)
            with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
                WaitlistEntry.objects.select_for_update().get(pk=entry.pk)  # the entry itself is locked
    finally:
        release.set()
        holder.join()


def _in_a_thread(work: Callable[[], object]) -> object:
    """Run `work` on a connection of its own (another transaction), and return what it returned."""
    result: list[object] = []

    def run() -> None:
        try:
            result.append(work())
        except DatabaseError as exc:
            result.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=10)
    return result[0]


def _taken_elsewhere(locked: Bed) -> bool:
    def try_to_lock() -> object:
        with transaction.atomic():
            return Bed.objects.select_for_update(nowait=True).get(pk=locked.pk)

    return isinstance(_in_a_thread(try_to_lock), DatabaseError)


@pytest.mark.django_db(transaction=True)
def test_an_offer_replaced_while_her_entry_is_being_locked_has_its_beds_locked_before_it(
    world: World, household: Household, facility: Facility, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = actions.add_to_waitlist(case=household.case, facility=facility, acting_user=None, at=world.at)
    actions.offer_bed(
        entry=entry, facility=facility, beds=[bed(facility, "1")], acting_user=None, at=world.at
    )
    beds_of = actions._held_beds
    replacements: list[object] = []
    first_read = threading.Event()

    def someone_replaces_the_offer_meanwhile(group: Any) -> list[Bed]:
        beds = beds_of(group)
        if not first_read.is_set():  # the first read of her offer: another member of staff replaces it now
            first_read.set()
            replacements.append(
                _in_a_thread(
                    lambda: actions.offer_bed(
                        entry=entry,
                        facility=facility,
                        beds=[bed(facility, "2")],
                        acting_user=None,
                        at=world.at,
                    )
                )
            )
        return beds

    monkeypatch.setattr(actions, "_held_beds", someone_replaces_the_offer_meanwhile)
    with transaction.atomic():
        locked = actions._lock_open_entry(entry)
        (new_hold,) = cast(list[BedHold], replacements[0])
        assert locked.offer_group == new_hold.group
        assert _taken_elsewhere(bed(facility, "2"))  # the new offer's bed, locked before her entry
        assert not _taken_elsewhere(bed(facility, "1"))  # the old offer's bed, given back
