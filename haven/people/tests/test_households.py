"""Households: a woman and the people who live with her, children first."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from haven.conftest import World
from haven.orgs.roles import Role
from haven.people import actions
from haven.people.models import Household, HouseholdMember, Person


def _person(world: World, name: str, **details: object) -> Person:
    return actions.register_person(org=world.org, name=name, acting_user=None, at=world.at, **details)


def test_it_records_a_mother_and_her_children(world: World) -> None:
    mother = _person(world, "Rokeya")
    son = _person(world, "Rafi", born_on=date(2016, 5, 1), sex="MALE")
    daughter = _person(world, "Mita", born_on=date(2019, 1, 1), born_on_is_estimate=True, sex="FEMALE")
    household = actions.start_household(head=mother, acting_user=world.persona(Role.CASEWORKER), at=world.at)
    for child in (son, daughter):
        actions.add_household_member(
            household=household,
            person=child,
            relationship="CHILD",
            acting_user=world.persona(Role.CASEWORKER),
            at=world.at,
        )
    assert actions.start_household(head=mother, acting_user=None, at=world.at) == household
    children = HouseholdMember.objects.filter(household=household, relationship="CHILD")
    assert {m.person.born_on for m in children} == {date(2016, 5, 1), date(2019, 1, 1)}


def test_it_refuses_bad_members(world: World) -> None:
    mother = _person(world, "Rokeya")
    household = actions.start_household(head=mother, acting_user=None, at=world.at)
    child = _person(world, "Rafi")
    actions.add_household_member(
        household=household, person=child, relationship="CHILD", acting_user=None, at=world.at
    )
    with pytest.raises(ValidationError, match="already in the household"):
        actions.add_household_member(
            household=household, person=child, relationship="CHILD", acting_user=None, at=world.at
        )
    with pytest.raises(ValidationError, match="heads this household"):
        actions.add_household_member(
            household=household, person=mother, relationship="OTHER", acting_user=None, at=world.at
        )
    with pytest.raises(ValidationError):
        actions.add_household_member(
            household=household,
            person=_person(world, "X"),
            relationship="COUSIN",
            acting_user=None,
            at=world.at,
        )
    assert HouseholdMember.objects.count() == 1


def test_it_keeps_households_inside_the_organisation(world: World) -> None:
    household = actions.start_household(head=_person(world, "Rokeya"), acting_user=None, at=world.at)
    stranger = actions.register_person(org=world.other_org, name="Olga", acting_user=None, at=world.at)
    with pytest.raises(ValidationError):
        actions.add_household_member(
            household=household, person=stranger, relationship="OTHER", acting_user=None, at=world.at
        )
    world.outsider.user.active_membership = world.outsider
    assert not Household.objects.visible_to(world.outsider.user).exists()
