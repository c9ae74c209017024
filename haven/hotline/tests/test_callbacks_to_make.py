"""Whose callbacks a list shows: an agent sees hers and those nobody was given, a supervisor every one of
the organisation; the page and the API follow the same rule."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.hotline import actions
from haven.hotline.models import Callback
from haven.hotline.tests.walk import acting, callable_person
from haven.orgs.models import Membership
from haven.orgs.roles import Role


def _callback(world: World, assigned_to: Membership | None, due_in: timedelta) -> Callback:
    now = timezone.now()
    return actions.schedule_callback(
        person=callable_person(world.org),
        channel="PHONE",
        due_at=now + due_in,
        assigned_to=assigned_to,
        acting_user=acting(world.members[Role.HOTLINE_AGENT]),
        at=now - timedelta(hours=2),
    )


def _listed(world: World, member: Membership) -> list[str]:
    response = world.client_for(None).get(
        "/api/v1/hotline/callbacks", headers={"Authorization": f"Bearer {world.token_for(member)}"}
    )
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()]


def _three_callbacks(world: World) -> tuple[Callback, Callback, Callback]:
    """The colleague's (missed), nobody's, and the agent's, in the order they fall due."""
    colleague = world.members[Role.COUNSELLOR]
    agent = world.members[Role.HOTLINE_AGENT]
    return (
        _callback(world, colleague, -timedelta(hours=1)),
        _callback(world, None, timedelta(hours=1)),
        _callback(world, agent, timedelta(hours=2)),
    )


def test_it_lists_to_an_agent_her_callbacks_and_nobodys(world: World) -> None:
    colleagues, nobodys, hers = _three_callbacks(world)
    assert _listed(world, world.members[Role.HOTLINE_AGENT]) == [str(nobodys.pk), str(hers.pk)]
    assert str(colleagues.pk) not in _listed(world, world.members[Role.HOTLINE_AGENT])


def test_it_lists_every_callback_to_a_supervisor_in_the_order_they_fall_due(world: World) -> None:
    callbacks = _three_callbacks(world)
    assert _listed(world, world.members[Role.CENTRE_MANAGER]) == [str(c.pk) for c in callbacks]


def test_the_page_and_the_api_list_the_same_callbacks(world: World) -> None:
    callbacks = _three_callbacks(world)
    for role in (Role.HOTLINE_AGENT, Role.COUNSELLOR, Role.CENTRE_MANAGER):
        member = world.members[role]
        page = world.client_for(member).get(reverse("hotline:callbacks")).content.decode()
        on_page = [str(c.pk) for c in callbacks if c.person.survivor_code in page]
        assert _listed(world, member) == on_page, role
