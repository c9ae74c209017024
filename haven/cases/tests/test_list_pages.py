"""The case lists stay fast and short as a register grows: pages of 50, and a query count that does not
grow with the number of rows (no N+1)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.cases import actions
from haven.conftest import World
from haven.orgs.roles import Role
from haven.people.actions import register_person


def _open_cases(world: World, count: int) -> None:
    lead = world.members[Role.CASEWORKER]
    for number in range(count):
        survivor = register_person(org=world.org, name=f"Person {number}", acting_user=None, at=world.at)
        case = actions.open_case(survivor=survivor, lead=lead, acting_user=None, at=world.at)
        actions.schedule_follow_up(
            case=case, title="Call back", due_on=timezone.localdate(), acting_user=None, at=world.at
        )


def _queries_for(world: World, url: str) -> int:
    client = world.client_for(world.members[Role.CASEWORKER])
    client.get(url)  # warm the session and the organisation lookups
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_case_list_comes_in_pages_of_fifty(world: World) -> None:
    _open_cases(world, 53)
    client = world.client_for(world.members[Role.CASEWORKER])

    first = client.get(reverse("cases:list"), {"status": "OPEN"}).content.decode()
    second = client.get(reverse("cases:list"), {"status": "OPEN", "page": "2"}).content.decode()
    beyond = client.get(reverse("cases:list"), {"page": "999"}).content.decode()
    nonsense = client.get(reverse("cases:list"), {"page": "x"})

    assert first.count("<tr><td>") == 50 and "Page 1 of 2" in first
    assert "?status=OPEN&amp;page=2" in first  # the filter survives paging
    assert second.count("<tr><td>") == 3 and 'rel="prev"' in second
    assert "Page 2 of 2" in beyond
    assert nonsense.status_code == 200


def test_the_case_list_and_my_tasks_cost_the_same_queries_for_3_or_30_cases(world: World) -> None:
    urls = [reverse("cases:list"), reverse("cases:my_tasks")]
    _open_cases(world, 3)
    few = [_queries_for(world, url) for url in urls]
    _open_cases(world, 27)
    many = [_queries_for(world, url) for url in urls]
    assert few == many
