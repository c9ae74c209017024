"""Helpers for the supporters tests: speak to the API as a persona, count what was written."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.supporters.models import Donation, DonorProject, Receipt, ReceiptCounter, Supporter


def api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def fundraiser(world: World) -> Membership:
    """The fundraiser, with her API token made already (making a token is itself an audited write)."""
    member = world.members[Role.FUNDRAISER]
    world.token_for(member)
    return member


def written() -> tuple[int, ...]:
    """How many rows of each kind exist, audit entries included: a refusal must leave these unchanged."""
    models = (Supporter, DonorProject, Donation, Receipt, ReceiptCounter, AuditEntry)
    return tuple(model.objects.count() for model in models)
