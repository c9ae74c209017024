"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

Each factory makes what its page needs on a fresh case with `member` on it (see the shelters walk's
`case_for`), so every allowed role gets a 200/201 and an outsider a 404. A lawyer's advocate is her own
place on the panel, so her calendar is hers to open.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from haven.conftest import World
from haven.legal import actions
from haven.legal.models import Advocate, Matter
from haven.orgs.models import Membership, Organisation
from haven.orgs.roles import Role
from haven.shelters.tests.walk import case_for


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def external_advocate() -> Advocate:
    return actions.add_advocate(
        org=_home(),
        kind=Advocate.Kind.EXTERNAL,
        name=f"Walk Advocate {uuid.uuid4().hex[:6]}",
        acting_user=None,
        at=timezone.now(),
    )


def advocate_for(world: World, member: Membership) -> Advocate:
    """The lawyer's own place on the panel; for anyone else, a fresh external advocate."""
    if member.role_enum is Role.LAWYER and member.org_id == world.org.pk:
        existing = Advocate.objects.filter(membership=member).first()
        return existing or actions.add_advocate(
            org=world.org, kind=Advocate.Kind.IN_HOUSE, membership=member, acting_user=None, at=world.at
        )
    return external_advocate()


def matter_for(world: World, member: Membership) -> Matter:
    """A protection-order matter opened ten days ago on a fresh case with `member` on it."""
    return actions.open_matter(
        case=case_for(world, member),
        kind=Matter.Kind.PROTECTION_ORDER,
        opened_on=timezone.localdate(world.at) - timedelta(days=10),
        court="Walk Family Court",
        acting_user=None,
        at=world.at,
    )


def hearing(world: World, member: Membership) -> Any:
    """A hearing held yesterday, waiting for its result."""
    return actions.schedule_hearing(
        matter=matter_for(world, member),
        starts_at=world.at - timedelta(days=1),
        purpose="FIRST_HEARING",
        acting_user=None,
        at=world.at,
    ).pk


def consultation(world: World, member: Membership) -> Any:
    """A consultation scheduled for tomorrow."""
    matter = matter_for(world, member)
    return actions.log_consultation(
        case=matter.case,
        matter=matter,
        advocate=external_advocate(),
        held_at=timezone.now() + timedelta(days=1),
        modality="IN_PERSON",
        acting_user=None,
        at=timezone.now(),
    ).pk


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "legal_matter_id": lambda world, member: matter_for(world, member).pk,
    "legal_hearing_id": hearing,
    "legal_consultation_id": consultation,
    "legal_advocate_id": lambda world, member: advocate_for(world, member).pk,
}


def _later(days: int) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/cases/{case_id}/matters"): lambda: {"kind": "PROTECTION_ORDER", "court": "Walk Family Court"},
    ("POST", "/matters/{legal_matter_id}/transition"): lambda: {"verb": "file"},
    ("POST", "/matters/{legal_matter_id}/advocate"): lambda: {"advocate_id": str(external_advocate().pk)},
    ("POST", "/matters/{legal_matter_id}/outcome"): lambda: {"outcome": "GRANTED"},
    ("POST", "/matters/{legal_matter_id}/hearings"): lambda: {
        "starts_at": _later(7),
        "purpose": "FIRST_HEARING",
    },
    ("POST", "/hearings/{legal_hearing_id}/result"): lambda: {
        "result": "ADJOURNED",
        "next_starts_at": _later(14),
    },
    ("POST", "/cases/{case_id}/consultations"): lambda: {
        "advocate_id": str(external_advocate().pk),
        "held_at": _later(-1),
        "modality": "PHONE",
    },
    ("POST", "/consultations/{legal_consultation_id}/conclude"): lambda: {"status": "CANCELLED"},
    ("POST", "/advocates"): lambda: {
        "kind": "EXTERNAL",
        "name": "Walk Advocate",
        "empanelled_by": "District Legal Services Authority",
        "languages": ["bn", "en"],
        "areas": ["PROTECTION_ORDER", "DIVORCE"],
    },
    ("PATCH", "/advocates/{legal_advocate_id}"): lambda: {"accepting_new": False},
}
