"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py), and the
small helpers the hotline tests share.

Each factory makes a fresh object of the home organisation that `member` may act on, so that every role
the view or endpoint allows gets a 200/201/302 and an outsider a 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from haven.accounts.models import User
from haven.conftest import World, make_member
from haven.hotline.actions import offer_contact, pick_up, schedule_callback, set_availability
from haven.hotline.models import Contact
from haven.orgs.models import Membership, Organisation
from haven.orgs.roles import Role
from haven.people.actions import register_person, set_safe_contact
from haven.people.models import Person


def acting(member: Membership) -> User:
    """The member's user acting under that membership, as the middleware would set it."""
    user: User = member.user
    user.active_membership = member
    return user


def fresh_agent(org: Organisation, *, available: bool = False) -> Membership:
    member = make_member(
        org, Role.HOTLINE_AGENT, username=f"walk.agent.{uuid.uuid4().hex[:8]}", at=timezone.now()
    )
    if available:
        set_availability(membership=member, is_available=True, acting_user=None, at=timezone.now())
    return member


def waiting(world: World, member: Membership, kind: str = Contact.Kind.WHATSAPP) -> Any:
    return offer_contact(org=world.org, kind=kind, acting_user=None, at=timezone.now()).pk


def in_progress(world: World, member: Membership) -> Any:
    """A chat picked up by `member` when she may answer the line, else by a fresh agent."""
    own = member.org_id == world.org.pk and member.role_enum.works_with_survivors
    agent = member if own else fresh_agent(world.org)
    contact = Contact.objects.get(pk=waiting(world, member))
    pick_up(contact=contact, acting_user=acting(agent), at=timezone.now())
    return contact.pk


def callable_person(org: Organisation) -> Person:
    """A person whose instructions allow a phone call at any hour."""
    person = register_person(org=org, name="Walk Caller", acting_user=None, at=timezone.now())
    set_safe_contact(
        person=person,
        instructions={"safe_to_call": True, "safe_channel": "PHONE", "do_not_name_organisation": True},
        acting_user=None,
        at=timezone.now(),
    )
    return person


def callback_person(world: World, member: Membership) -> Any:
    return callable_person(world.org).pk


def callback(world: World, member: Membership) -> Any:
    agent = fresh_agent(world.org)
    return schedule_callback(
        person=callable_person(world.org),
        channel="PHONE",
        due_at=timezone.now() + timedelta(hours=2),
        acting_user=acting(agent),
        at=timezone.now(),
    ).pk


def transfer_body() -> dict[str, Any]:
    target = fresh_agent(Organisation.objects.get(slug="home"), available=True)
    return {"to_membership_id": target.pk, "kind": "WARM", "briefing": "Walk briefing"}


def home_person_body() -> dict[str, Any]:
    org = Organisation.objects.get(slug="home")
    return {
        "person_id": str(register_person(org=org, name="Walk Person", acting_user=None, at=timezone.now()).pk)
    }


def callback_body() -> dict[str, Any]:
    return {"channel": "PHONE", "due_at": (timezone.now() + timedelta(hours=3)).isoformat()}


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "contact_id": in_progress,
    "waiting_id": waiting,
    "callback_person_id": callback_person,
    "callback_id": callback,
}

PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/contacts"): lambda: {"kind": "VOICE", "language": "en"},
    ("POST", "/contacts/{waiting_id}/pick-up"): lambda: {},
    ("POST", "/contacts/{waiting_id}/abandon"): lambda: {},
    ("POST", "/contacts/{contact_id}/transfer"): transfer_body,
    ("POST", "/contacts/{contact_id}/wrap-up"): lambda: {
        "caller_type": "SURVIVOR",
        "outcome": "COUNSELLING",
        "summary": "Walk summary",
    },
    ("POST", "/contacts/{contact_id}/quick-close"): lambda: {"reason": "information"},
    ("POST", "/contacts/{contact_id}/people-search"): lambda: {"name": "Walk Person"},
    ("POST", "/contacts/{contact_id}/link"): home_person_body,
    ("POST", "/contacts/{contact_id}/open-case"): home_person_body,
    ("PUT", "/hotline/availability"): lambda: {"is_available": True, "max_chats": 4},
    ("PUT", "/hotline/service-level"): lambda: {
        "answer_seconds": 20,
        "answer_percent": 80,
        "abandon_percent": 5,
    },
    ("POST", "/hotline/people/{callback_person_id}/callbacks"): callback_body,
    ("POST", "/hotline/callbacks/{callback_id}/done"): lambda: {},
}
