"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

The walk's participant is in the programme (ACTIVE) with one attended session, so every verb of his file
is open to the team: a status change, a session, an ODARA, the completion. The walk's personas are on no
team except by role, so only the programme worker gets in; everyone else is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from haven.conftest import World, make_member
from haven.orgs.models import Membership, Organisation
from haven.orgs.roles import Role
from haven.perpetrators import actions
from haven.perpetrators.models import Participant
from haven.risk.instrument import library


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def _worker() -> Membership:
    return Membership.objects.get(org=_home(), role=Role.PERPETRATOR_WORKER)


def active_participant(org: Organisation, facilitator: Membership) -> Participant:
    """A participant in the programme who came to one group session."""
    now = timezone.now()
    participant = actions.register_participant(
        org=org, name="Walk Participant", language="en", referral_source="COURT", acting_user=None, at=now
    )
    actions.change_status(participant=participant, to_status="ACTIVE", acting_user=None, at=now)
    actions.record_session(
        participant=participant,
        kind="GROUP",
        starts_at=now - timedelta(hours=1),
        facilitator=facilitator,
        attended=True,
        acting_user=None,
        at=now,
    )
    return participant


def odara_answers(yes: int = 0) -> dict[str, str]:
    """Answers to every ODARA item: the first `yes` items present, the rest absent."""
    items = [item.id for item in library().get("odara").items]
    return {item: ("yes" if n < yes else "no") for n, item in enumerate(items)}


def _fresh_member() -> Membership:
    return make_member(_home(), Role.COUNSELLOR, username=f"walk.{uuid.uuid4().hex[:8]}", at=timezone.now())


def _added_member() -> int:
    """A counsellor just added to the team, for the endpoint that takes members off it."""
    member = _fresh_member()
    actions.add_to_team(membership=member, org=_home(), acting_user=None, at=timezone.now())
    return member.pk


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "participant_id": lambda world, member: (
        active_participant(world.org, world.members[Role.PERPETRATOR_WORKER]).pk
    ),
}

PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/perpetrators/participants"): lambda: {
        "name": "Walk Participant",
        "language": "ru",
        "referral_source": "SELF",
    },
    ("POST", "/perpetrators/participants/{participant_id}/status"): lambda: {
        "to_status": "DROPPED_OUT",
        "reason": "Stopped coming after the third session",
    },
    ("POST", "/perpetrators/participants/{participant_id}/sessions"): lambda: {
        "kind": "INDIVIDUAL",
        "starts_at": (timezone.now() - timedelta(hours=2)).isoformat(),
        "attended": True,
        "facilitator_id": _worker().pk,
    },
    ("POST", "/perpetrators/participants/{participant_id}/assessments"): lambda: {
        "answers": odara_answers(2)
    },
    ("POST", "/perpetrators/participants/{participant_id}/completion"): lambda: {
        "outcome": "SOME_CHANGE",
        "completed_on": timezone.localdate().isoformat(),
    },
    ("POST", "/perpetrators/team"): lambda: {"membership_id": _fresh_member().pk},
    ("POST", "/perpetrators/team/remove"): lambda: {"membership_id": _added_member()},
}
