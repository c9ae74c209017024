"""The waitlist: ordered by risk, then by how long she has waited; the next household when a bed frees up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from haven.conftest import World
from haven.risk.tests.walk import lap_screen
from haven.shelters import actions, queries
from haven.shelters.models import BedHold, Facility, RiskLevel, WaitlistEntry
from haven.shelters.tests.conftest import Household, admit, bed, counts, make_household


def _wait(
    world: World, household: Household, facility: Facility | None, minutes: int, level: str | None = None
) -> WaitlistEntry:
    return actions.add_to_waitlist(
        case=household.case,
        facility=facility,
        risk_level=level,
        acting_user=None,
        at=world.at + timedelta(minutes=minutes),
    )


def test_it_orders_by_risk_then_waiting_time(world: World, facility: Facility) -> None:
    standard_early = _wait(world, make_household(world, "A"), facility, 0, RiskLevel.STANDARD)
    high_late = _wait(world, make_household(world, "B"), None, 30, RiskLevel.HIGH)  # any facility of the org
    high_early = _wait(world, make_household(world, "C"), facility, 10, RiskLevel.HIGH)
    imminent = _wait(world, make_household(world, "D"), facility, 40, RiskLevel.IMMINENT)
    manager = world.persona_admin  # sees no cases: the list is empty for her
    assert list(queries.waitlist(facility, manager)) == []
    ordered = list(WaitlistEntry.objects.order_by("risk_rank", "requested_at"))
    assert ordered == [imminent, high_early, high_late, standard_early]
    assert queries.next_for(facility) == imminent


def test_next_for_skips_offered_and_households_the_facility_does_not_take(
    world: World, facility: Facility
) -> None:
    actions.update_facility(facility=facility, changes={"boys_max_age": 8}, acting_user=None, at=world.at)
    big_boy = actions.add_to_waitlist(
        case=make_household(world, "A").case,
        facility=facility,
        children=[{"age": 12, "sex": "MALE"}],
        risk_level=RiskLevel.IMMINENT,
        acting_user=None,
        at=world.at,
    )
    offered = _wait(world, make_household(world, "B"), facility, 1, RiskLevel.HIGH)
    waiting = _wait(world, make_household(world, "C"), facility, 2, RiskLevel.MEDIUM)
    actions.offer_bed(
        entry=offered, facility=facility, beds=[bed(facility, "1")], acting_user=None, at=world.at
    )
    assert queries.next_for(facility) == waiting
    assert big_boy.status == WaitlistEntry.Status.WAITING


def test_the_risk_level_comes_from_her_latest_screen(
    world: World, facility: Facility, household: Household
) -> None:
    lap_screen(household.case, at=world.at)  # her case's survivor is household.woman
    entry = _wait(world, household, facility, 0)
    assert entry.risk_level == RiskLevel.HIGH and entry.risk_rank == 2
    assert _wait(world, make_household(world, "B"), facility, 0).risk_level == RiskLevel.STANDARD


def test_an_offer_holds_beds_and_admission_places_her(
    world: World, facility: Facility, household: Household
) -> None:
    entry = _wait(world, household, facility, 0, RiskLevel.HIGH)
    (hold,) = actions.offer_bed(
        entry=entry, facility=facility, beds=[bed(facility, "1")], acting_user=None, at=world.at
    )
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED and entry.offer_group == hold.group
    assert hold.reference == str(household.case.pk)
    admit(household, facility, world.at, hold=hold)
    entry.refresh_from_db()
    hold.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.PLACED and hold.status == BedHold.Status.USED


def test_withdrawing_releases_the_offered_beds(
    world: World, facility: Facility, household: Household
) -> None:
    entry = _wait(world, household, facility, 0)
    actions.offer_bed(
        entry=entry, facility=facility, beds=[bed(facility, "1")], acting_user=None, at=world.at
    )
    actions.withdraw_from_waitlist(entry=entry, acting_user=None, at=world.at)
    assert BedHold.objects.get().status == BedHold.Status.RELEASED
    with pytest.raises(ValidationError, match="no longer waiting"):
        actions.withdraw_from_waitlist(entry=entry, acting_user=None, at=world.at)


def test_it_refuses_a_second_entry_and_a_woman_already_staying(
    world: World, facility: Facility, household: Household
) -> None:
    _wait(world, household, facility, 0)
    with pytest.raises(ValidationError, match="already on the waitlist"):
        _wait(world, household, None, 1)
    other = make_household(world, "B")
    admit(other, facility, world.at)
    with pytest.raises(ValidationError, match="staying at a facility already"):
        _wait(world, other, facility, 1)
    assert WaitlistEntry.objects.count() == 1


def test_an_offer_replaced_at_every_attempt_is_refused_with_a_message_and_nothing_written(
    world: World, facility: Facility, household: Household, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = _wait(world, household, facility, 0)
    attempts: list[int] = []

    def replaced_again(entry: WaitlistEntry, beds: object) -> WaitlistEntry:
        attempts.append(1)
        raise actions._OfferReplaced

    monkeypatch.setattr(actions, "_lock_beds_then_entry", replaced_again)
    before = counts()
    with pytest.raises(ValidationError, match="changed at the same moment"):
        actions.offer_bed(
            entry=entry, facility=facility, beds=[bed(facility, "1")], acting_user=None, at=world.at
        )
    assert len(attempts) == actions.LOCK_ENTRY_ATTEMPTS
    assert counts() == before
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.WAITING
