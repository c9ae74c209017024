"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

Each factory makes a fresh object of the home organisation: a team with one responder on it (so taking
someone off works), an available team to assign, and a dispatch just created from a case (no team yet, so
every role of the dispatch desk sees it).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone

from haven.cases.actions import open_case
from haven.conftest import World, make_member
from haven.dispatch import actions
from haven.dispatch.models import Dispatch, Unit
from haven.hotline.models import Contact
from haven.orgs.models import Membership, Organisation
from haven.orgs.roles import Role
from haven.people.actions import register_person


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def colleague(username: str) -> Membership:
    """A caseworker of the home organisation, made once, used as a team member by the walk."""
    org = _home()
    existing = Membership.objects.filter(org=org, user__username=username).first()
    return existing or make_member(org, Role.CASEWORKER, username=username, at=timezone.now())


def available_unit(org: Organisation | None = None) -> Unit:
    now = timezone.now()
    unit = actions.create_unit(
        org=org or _home(), name=f"Walk team {uuid.uuid4().hex[:8]}", acting_user=None, at=now
    )
    return actions.set_unit_status(unit=unit, status=Unit.Status.AVAILABLE, acting_user=None, at=now)


def unit(world: World, member: Membership) -> Any:
    team = available_unit(world.org)
    actions.add_unit_member(unit=team, membership=colleague("walk.responder"), acting_user=None, at=world.at)
    return team.pk


def dispatch(world: World, member: Membership) -> Any:
    survivor = register_person(org=world.org, name="Walk Person", acting_user=None, at=world.at)
    case = open_case(survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at)
    return actions.create_dispatch(
        case=case,
        priority=Dispatch.Priority.IMMEDIATE,
        location_address="Walk Street 1",
        acting_user=None,
        at=timezone.now(),
    ).pk


def dispatch_body() -> dict[str, Any]:
    """From a hotline contact: any role of the desk may dispatch from a call, unlike from a case file."""
    contact = Contact.objects.create(org=_home(), offered_at=timezone.now())
    return {"contact_id": str(contact.pk), "priority": 1, "location_coordinates": "23.81, 90.41"}


def unit_body() -> dict[str, Any]:
    return {"name": f"Walk team {uuid.uuid4().hex[:8]}"}


def member_body(username: str) -> dict[str, Any]:
    return {"membership_id": colleague(username).pk}


def assign_body() -> dict[str, Any]:
    return {"unit_id": str(available_unit().pk)}


def cancel_body() -> dict[str, Any]:
    return {"step": "CANCELLED", "cancel_reason": "CALLER_SAFE"}
