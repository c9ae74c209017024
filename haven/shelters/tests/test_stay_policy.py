"""Stay policy: the longest stay, extensions decided by a manager who did not ask, overstays flagged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from haven.accounts.models import User
from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.shelters import actions, queries
from haven.shelters.models import Stay, StayExtension
from haven.shelters.tests.conftest import Household, admit, make_facility


def _acting(member: Membership) -> User:
    user: User = member.user
    user.active_membership = member
    return user


@pytest.fixture
def short_stay(world: World, household: Household) -> Stay:
    """Five days at most, like Uttar Pradesh's one-stop centres."""
    facility = make_facility(world, facility_type="ONE_STOP_CENTRE", max_stay_days=5)
    return admit(household, facility, world.at)


def test_an_extension_needs_a_manager_other_than_the_requester(world: World, short_stay: Stay) -> None:
    caseworker = _acting(world.members[Role.CASEWORKER])
    manager = _acting(world.members[Role.SHELTER_MANAGER])
    assert short_stay.planned_end is not None
    new_end = short_stay.planned_end + timedelta(days=10)
    extension = actions.request_extension(
        stay=short_stay,
        new_planned_end=new_end,
        reason="Waiting for a long-stay home",
        acting_user=manager,
        at=world.at,
    )
    with pytest.raises(ValidationError, match="Only a centre or shelter manager"):
        actions.decide_extension(extension=extension, approve=True, acting_user=caseworker, at=world.at)
    with pytest.raises(ValidationError, match="Someone other than the person who asked"):
        actions.decide_extension(extension=extension, approve=True, acting_user=manager, at=world.at)
    short_stay.refresh_from_db()
    assert short_stay.planned_end == world.at.date() + timedelta(days=5)

    centre_manager = _acting(world.members[Role.CENTRE_MANAGER])
    decided = actions.decide_extension(
        extension=extension, approve=True, acting_user=centre_manager, at=world.at
    )
    short_stay.refresh_from_db()
    assert decided.status == StayExtension.Status.APPROVED and decided.decided_by == centre_manager
    assert short_stay.planned_end == new_end
    with pytest.raises(ValidationError, match="already been decided"):
        actions.decide_extension(extension=extension, approve=False, acting_user=centre_manager, at=world.at)


def test_a_refused_extension_leaves_the_planned_end(world: World, short_stay: Stay) -> None:
    assert short_stay.planned_end is not None
    extension = actions.request_extension(
        stay=short_stay,
        new_planned_end=short_stay.planned_end + timedelta(days=3),
        reason="More time",
        acting_user=None,
        at=world.at,
    )
    manager = _acting(world.members[Role.SHELTER_MANAGER])
    actions.decide_extension(extension=extension, approve=False, acting_user=manager, at=world.at)
    short_stay.refresh_from_db()
    assert short_stay.planned_end == world.at.date() + timedelta(days=5)


def test_it_refuses_an_extension_without_a_reason_or_to_an_earlier_date(
    world: World, short_stay: Stay
) -> None:
    with pytest.raises(ValidationError, match="Say why"):
        actions.request_extension(
            stay=short_stay,
            new_planned_end=world.at.date() + timedelta(days=9),
            reason=" ",
            acting_user=None,
            at=world.at,
        )
    with pytest.raises(ValidationError, match="after the current planned end"):
        actions.request_extension(
            stay=short_stay,
            new_planned_end=world.at.date() + timedelta(days=2),
            reason="x",
            acting_user=None,
            at=world.at,
        )
    assert StayExtension.objects.count() == 0


def test_the_board_flags_overstays_and_who_is_due_to_leave(
    world: World, short_stay: Stay, household: Household
) -> None:
    manager = _acting(world.members[Role.SHELTER_MANAGER])
    facility = short_stay.facility
    (row,) = queries.residents_today(facility, manager, world.at)
    assert row.survivor_code == household.woman.survivor_code and not row.overstay and not row.due_to_leave

    (row,) = queries.residents_today(facility, manager, world.at + timedelta(days=4))
    assert row.due_to_leave and not row.overstay

    (row,) = queries.residents_today(facility, manager, world.at + timedelta(days=6))
    assert row.overstay and row.past_planned_end

    extension = actions.request_extension(
        stay=short_stay,
        new_planned_end=world.at.date() + timedelta(days=12),
        reason="Court date",
        acting_user=None,
        at=world.at + timedelta(days=6),
    )
    actions.decide_extension(
        extension=extension, approve=True, acting_user=manager, at=world.at + timedelta(days=6)
    )
    (row,) = queries.residents_today(facility, manager, world.at + timedelta(days=6))
    assert not row.overstay and not row.past_planned_end


def test_the_board_shows_codes_and_children_not_names(world: World, household: Household) -> None:
    facility = make_facility(world)
    admit(household, facility, world.at, (household.woman, "1"), (household.daughter, "Cot"))
    manager = _acting(world.members[Role.SHELTER_MANAGER])
    (row,) = queries.residents_today(facility, manager, world.at)
    assert [(c.code, c.bed) for c in row.children] == [(household.daughter.survivor_code, "Cot")]
    assert row.survivor_code == household.woman.survivor_code and "Amina" not in repr(row)
    # Staff not on the case and not based at the facility see nobody on the board.
    assert queries.residents_today(facility, _acting(world.members[Role.LAWYER]), world.at) == []
    # Staff based at the facility's site see everyone staying there.
    nurse = world.members[Role.NURSE]
    nurse.site = world.shelter
    nurse.save(update_fields=["site"])
    assert len(queries.residents_today(facility, _acting(nurse), world.at)) == 1


def test_the_board_takes_a_fixed_number_of_queries(world: World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    from haven.shelters.tests.conftest import make_household

    facility = make_facility(world, beds=8)
    for n in range(4):
        h = make_household(world, f"W{n}")
        admit(h, facility, world.at, (h.woman, str(2 * n + 1)), (h.daughter, str(2 * n + 2)))
    manager = _acting(world.members[Role.SHELTER_MANAGER])
    with django_assert_max_num_queries(5):
        rows = queries.residents_today(facility, manager, world.at)
    assert len(rows) == 4
