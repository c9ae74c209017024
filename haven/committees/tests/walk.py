"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

Each factory makes a fresh committee of the home organisation with one current member, and what the
URL names on it: the member, a meeting that began an hour ago (still planned, so it can be minuted,
cancelled and given decisions and actions), or an open action not about any case (so the organisation
administrator, who runs committees but sees no cases, may close it). Tabling uses the core's `case_id`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from haven.committees import actions
from haven.committees.models import Committee, CommitteeMember, Meeting
from haven.conftest import World
from haven.orgs.models import Membership, Organisation


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def committee() -> Committee:
    now = timezone.now()
    made = actions.create_committee(
        org=_home(), name=f"Walk committee {uuid.uuid4().hex[:8]}", kind="MARAC", acting_user=None, at=now
    )
    actions.add_member(
        committee=made,
        institution="Walk police station",
        institution_type="POLICE",
        role_title="Member",
        name="Walk Officer",
        joined_on=timezone.localdate(now),
        acting_user=None,
        at=now,
    )
    return made


def meeting() -> Meeting:
    now = timezone.now()
    return actions.schedule_meeting(
        committee=committee(), starts_at=now - timedelta(hours=1), acting_user=None, at=now
    )


def _member(world: World, member: Membership) -> Any:
    return CommitteeMember.objects.get(committee=committee()).pk


def _action(world: World, member: Membership) -> Any:
    held = meeting()
    return actions.assign_action(
        meeting=held,
        text="Walk: visit the family",
        owner=CommitteeMember.objects.get(committee=held.committee),
        due_on=timezone.localdate() + timedelta(days=7),
        acting_user=None,
        at=timezone.now(),
    ).pk


def _newest_meeting_owner() -> str:
    """A member of the committee of the meeting the endpoint's URL names (made just before the body)."""
    newest = Meeting.objects.order_by("-created_at").first()
    assert newest is not None
    return str(CommitteeMember.objects.filter(committee=newest.committee).first().pk)  # type: ignore[union-attr]


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "committee_id": lambda world, member: committee().pk,
    "committee_member_id": _member,
    "committee_meeting_id": lambda world, member: meeting().pk,
    "committee_action_id": _action,
}

PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/committees"): lambda: {"name": f"Walk committee {uuid.uuid4().hex[:8]}", "kind": "MARAC"},
    ("PATCH", "/committees/{committee_id}"): lambda: {"name": f"Walk renamed {uuid.uuid4().hex[:8]}"},
    ("POST", "/committees/{committee_id}/members"): lambda: {
        "institution": "Walk health complex",
        "institution_type": "HEALTH",
        "role_title": "Member",
        "name": "Walk Doctor",
    },
    ("POST", "/committee-members/{committee_member_id}/leave"): lambda: {},
    ("POST", "/committees/{committee_id}/meetings"): lambda: {
        "starts_at": (timezone.now() + timedelta(days=7)).isoformat(),
        "place": "Walk hall",
        "agenda": ["Cases at high risk"],
    },
    ("POST", "/committee-meetings/{committee_meeting_id}/cancel"): lambda: {},
    ("PUT", "/committee-meetings/{committee_meeting_id}/minutes"): lambda: {
        "minutes": "Walk minutes: the members reviewed the open actions."
    },
    ("POST", "/cases/{case_id}/committee-tablings"): lambda: {
        "meeting_id": str(meeting().pk),
        "reason": "Walk reason",
    },
    ("POST", "/committee-meetings/{committee_meeting_id}/decisions"): lambda: {"text": "Walk decision"},
    ("POST", "/committee-meetings/{committee_meeting_id}/actions"): lambda: {
        "text": "Walk action",
        "owner_id": _newest_meeting_owner(),
        "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
    },
    ("POST", "/committee-actions/{committee_action_id}/done"): lambda: {},
    ("POST", "/committee-actions/{committee_action_id}/drop"): lambda: {},
}
