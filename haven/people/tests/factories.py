"""Small builders for people tests and the generated permission walk. Synthetic data only."""

from __future__ import annotations

from typing import Any

from haven.conftest import World
from haven.orgs.roles import Role
from haven.people.actions import flag_duplicate, merge_people, register_person
from haven.people.models import DuplicateFlag, Person, PersonMerge


def person(world: World, name: str = "Walk Person", **details: Any) -> Person:
    return register_person(org=world.org, name=name, acting_user=None, at=world.at, **details)


def flagged_pair(world: World, *, first: Person | None = None, second: Person | None = None) -> DuplicateFlag:
    """Two records of the home organisation flagged as possible duplicates (same ID number)."""
    first = first or person(world, "Walk Twin")
    second = second or person(world, "Walk Twin")
    flag = flag_duplicate(
        first=first,
        second=second,
        reasons=[DuplicateFlag.Reason.SAME_ID_NUMBER],
        acting_user=None,
        at=world.at,
    )
    assert flag is not None
    return flag


def merge(world: World, flag: DuplicateFlag | None = None) -> PersonMerge:
    """A flagged pair merged (A kept) by the centre manager."""
    flag = flag or flagged_pair(world)
    return merge_people(
        kept=flag.person_a,
        merged=flag.person_b,
        flag=flag,
        acting_user=world.persona(Role.CENTRE_MANAGER),
        at=world.at,
    )
