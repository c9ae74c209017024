"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

The walk's case is led by `member` where she works on cases (else by the caseworker), with the home
organisation's counsellor on its team, so that a centre manager can record a session for her and every
role that may see the case gets a 200/201, and an outsider a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from haven.cases.actions import assign_worker, open_case
from haven.cases.models import Case, CaseAssignment, manages_cases
from haven.conftest import World
from haven.counselling import actions
from haven.counselling.models import CounsellingSession
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people.actions import register_person


def home_counsellor() -> Membership:
    return Membership.objects.get(org__slug="home", user__username="home.counsellor")


def case_with_counsellor(world: World, member: Membership) -> Case:
    survivor = register_person(org=world.org, name="Walk Person", acting_user=None, at=world.at)
    role = member.role_enum
    own = member.org_id == world.org.pk and role.works_with_survivors and not manages_cases(role)
    lead = member if own else world.members[Role.CASEWORKER]
    case = open_case(survivor=survivor, lead=lead, acting_user=None, at=world.at)
    counsellor = home_counsellor()
    if lead != counsellor:
        assign_worker(
            case=case,
            membership=counsellor,
            role_in_case=CaseAssignment.RoleInCase.SUPPORT,
            acting_user=None,
            at=world.at,
        )
    return case


def session_for(world: World, member: Membership) -> CounsellingSession:
    now = timezone.now()
    return actions.record_session(
        case=case_with_counsellor(world, member),
        kind="TRAUMA",
        counsellor=home_counsellor(),
        modality="IN_PERSON",
        language="fr",
        starts_at=now - timedelta(hours=2),
        duration_minutes=50,
        notes="Walk session notes",
        acting_user=None,
        at=now,
    )


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "counselling_case_id": lambda world, member: case_with_counsellor(world, member).pk,
    "counselling_session_id": lambda world, member: session_for(world, member).pk,
}

PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/counselling/cases/{counselling_case_id}/sessions"): lambda: {
        "kind": "CRISIS",
        "counsellor_id": home_counsellor().pk,
        "modality": "PHONE",
        "language": "fa",
        "starts_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "duration_minutes": 45,
    },
    ("PUT", "/counselling/sessions/{counselling_session_id}/notes"): lambda: {"notes": "Walk amended notes"},
    ("PUT", "/counselling/notes-access"): lambda: {"roles": ["CASEWORKER"]},
}
