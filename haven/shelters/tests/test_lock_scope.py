"""A waitlist verb locks her entry, not her case or the organisation it reads with it.

A row lock on the organisation would queue every waitlist verb of the organisation behind each other, and a
lock on the case every other verb on her case. Only PostgreSQL runs transactions side by side.
"""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from haven.cases.models import Case
from haven.conftest import World
from haven.orgs.models import Organisation
from haven.shelters import actions
from haven.shelters.models import Facility, WaitlistEntry
from haven.shelters.tests.conftest import Household

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
