"""Her file lists her cases (those the reader may see), her household, and stays cheap in queries."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from haven.cases.actions import open_case
from haven.conftest import World, make_member
from haven.orgs.roles import Role
from haven.people import actions
from haven.people.models import HouseholdMember, Person


def _amina(world: World) -> Person:
    return actions.register_person(org=world.org, name="Amina Khatun", acting_user=None, at=world.at)


def test_it_lists_her_cases_that_the_reader_works_on(world: World) -> None:
    person = _amina(world)
    case = open_case(survivor=person, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at)
    url = reverse("people:detail", args=[person.pk])
    html = world.client_for(world.members[Role.CASEWORKER]).get(url).content.decode()
    assert reverse("cases:detail", args=[case.pk]) in html
    assert "Open" in html
    assert reverse("cases:open", args=[person.pk]) in html  # the button to open another case stays
    other = make_member(world.org, Role.CASEWORKER, username="home.other-cw", at=world.at)
    html = world.client_for(other).get(url).content.decode()
    assert reverse("cases:detail", args=[case.pk]) not in html
    assert "No case of hers that you work on." in html


def test_it_shows_her_household(world: World) -> None:
    person = _amina(world)
    child = actions.register_person(org=world.org, name="Rafi", acting_user=None, at=world.at)
    household = actions.start_household(head=person, acting_user=None, at=world.at)
    actions.add_household_member(
        household=household,
        person=child,
        relationship=HouseholdMember.Relationship.CHILD,
        acting_user=None,
        at=world.at,
    )
    html = world.client_for(world.members[Role.CASEWORKER]).get(reverse("people:detail", args=[person.pk]))
    assert child.survivor_code in html.content.decode()


def test_her_file_takes_few_queries_however_many_cases(
    world: World, django_assert_max_num_queries: Any
) -> None:
    person = _amina(world)
    for worker in (Role.CASEWORKER, Role.COUNSELLOR, Role.LAWYER):
        open_case(survivor=person, lead=world.members[worker], acting_user=None, at=world.at)
    household = actions.start_household(head=person, acting_user=None, at=world.at)
    for name in ("Rafi", "Mina", "Sumi"):
        child = actions.register_person(org=world.org, name=name, acting_user=None, at=world.at)
        actions.add_household_member(
            household=household,
            person=child,
            relationship=HouseholdMember.Relationship.CHILD,
            acting_user=None,
            at=world.at,
        )
    client = world.client_for(world.members[Role.CENTRE_MANAGER])
    client.get(reverse("web:home"))  # sign-in and session work happen outside the measured request
    with django_assert_max_num_queries(20):
        response = client.get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert all(html.count(reverse("cases:detail", args=[case.pk])) == 1 for case in person.cases.all())
