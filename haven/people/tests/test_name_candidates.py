"""In a large register, a common name has more candidates than are ranked: the best kinds come first."""

from __future__ import annotations

import pytest

from haven.conftest import World
from haven.orgs.roles import Role
from haven.people import actions, queries
from haven.people.queries import find_returning_people


def _caseworker(world: World):  # type: ignore[no-untyped-def]
    member = world.members[Role.CASEWORKER]
    member.user.active_membership = member
    return member.user


def test_people_matching_every_word_are_ranked_before_the_cap_is_filled(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "_MAX_NAME_CANDIDATES", 1)
    for name in ("Fatema Akter", "Rokeya Begum", "Fatema Khatun", "Salma Begum"):
        actions.register_person(org=world.org, name=name, acting_user=None, at=world.at)
    fatema_begum = actions.register_person(org=world.org, name="ফাতেমা বেগম", acting_user=None, at=world.at)
    found = find_returning_people(user=_caseworker(world), name="Fatima Begum")
    # Four people share one word with the query and were registered first; the one slot goes to her.
    assert [m.person for m in found] == [fatema_begum]


def test_a_misspelt_word_still_finds_her_through_the_other_word(world: World) -> None:
    nasrin = actions.register_person(org=world.org, name="Nasrin Akter", acting_user=None, at=world.at)
    found = find_returning_people(user=_caseworker(world), name="Nasrin Zzyx")
    assert [m.person for m in found] == [nasrin]
