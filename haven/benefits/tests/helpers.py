"""Helpers for the benefits core tests: speak to the API as a persona, count what was written."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.test import Client

from haven.benefits.models import (
    Cycle,
    CycleTransition,
    Enrolment,
    EnrolmentTransition,
    Entitlement,
    Programme,
    RuleSet,
)
from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def officer(world: World) -> Membership:
    """The programme officer (the approving role), with her API token made already."""
    member = world.members[Role.PROGRAMME_OFFICER]
    world.token_for(member)
    return member


def operator(world: World) -> Membership:
    """The computer operator: programme staff who may not approve."""
    member = world.members[Role.COMPUTER_OPERATOR]
    world.token_for(member)
    return member


def written() -> tuple[int, ...]:
    """How many rows of each kind exist, audit entries included: a refusal must leave these unchanged."""
    models = (
        Programme,
        RuleSet,
        Enrolment,
        EnrolmentTransition,
        Cycle,
        CycleTransition,
        Entitlement,
        AuditEntry,
    )
    return tuple(model.objects.count() for model in models)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text + "T10:00:00+00:00")
