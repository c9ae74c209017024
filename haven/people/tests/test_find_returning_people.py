"""Before registering someone, staff find her if she came before: by phone, ID number or name."""

from __future__ import annotations

from haven.conftest import World
from haven.orgs.roles import Role
from haven.people import actions
from haven.people.queries import find_returning_people


def _caseworker(world: World):  # type: ignore[no-untyped-def]
    member = world.members[Role.CASEWORKER]
    member.user.active_membership = member
    return member.user


def test_it_finds_her_by_phone_written_another_way(world: World) -> None:
    person = actions.register_person(
        org=world.org, name="Nasrin Akter", phone="01711-000111", acting_user=None, at=world.at
    )
    found = find_returning_people(user=_caseworker(world), phone="+880 1711 000111")
    assert [m.person for m in found] == [person]
    assert found[0].reasons == ["same phone number"]


def test_it_finds_her_by_id_number(world: World) -> None:
    person = actions.register_person(
        org=world.org,
        name="Aigerim",
        id_kind="NATIONAL_ID",
        id_number="900101-400123",
        acting_user=None,
        at=world.at,
    )
    found = find_returning_people(user=_caseworker(world), id_kind="NATIONAL_ID", id_number="900101400123")
    assert [m.person for m in found] == [person]


def test_it_finds_a_bengali_name_from_its_latin_spelling(world: World) -> None:
    fatema = actions.register_person(org=world.org, name="ফাতেমা বেগম", acting_user=None, at=world.at)
    actions.register_person(org=world.org, name="রহিমা খাতুন", acting_user=None, at=world.at)
    found = find_returning_people(user=_caseworker(world), name="Fatima Begum")
    assert found[0].person == fatema
    assert found[0].reasons  # says why she matched


def test_it_finds_a_persian_name_from_cyrillic(world: World) -> None:
    shirin = actions.register_person(org=world.org, name="شیرین", acting_user=None, at=world.at)
    found = find_returning_people(user=_caseworker(world), name="Ширин")
    assert found and found[0].person == shirin


def test_it_finds_nothing_across_organisations(world: World) -> None:
    actions.register_person(
        org=world.org, name="Nasrin Akter", phone="01711000111", acting_user=None, at=world.at
    )
    world.outsider.user.active_membership = world.outsider
    assert find_returning_people(user=world.outsider.user, phone="01711000111", name="Nasrin Akter") == []


def test_it_finds_nothing_for_roles_without_need(world: World) -> None:
    actions.register_person(org=world.org, name="Nasrin Akter", acting_user=None, at=world.at)
    data_officer = world.members[Role.DATA_OFFICER]
    data_officer.user.active_membership = data_officer
    assert find_returning_people(user=data_officer.user, name="Nasrin Akter") == []


def test_it_ignores_an_unreadable_phone_but_still_searches_the_name(world: World) -> None:
    person = actions.register_person(org=world.org, name="Nasrin Akter", acting_user=None, at=world.at)
    found = find_returning_people(user=_caseworker(world), phone="???", name="Nasreen")
    assert [m.person for m in found] == [person]
