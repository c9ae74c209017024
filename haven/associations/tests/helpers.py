"""Helpers for the associations tests: act as a persona, speak to the API, count what was written."""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.test import Client

from haven.accounts.models import User
from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def acting(member: Membership) -> User:
    """The member's user, acting under that membership (as the middleware sets it on a request)."""
    user: User = member.user
    user.active_membership = member
    return user


def officer(world: World) -> User:
    return acting(world.members[Role.PROGRAMME_OFFICER])


def api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def written() -> tuple[int, ...]:
    """How many rows of each of this app's models exist, audit entries included: a refusal must leave
    these unchanged."""
    models: list[Any] = [*apps.get_app_config("associations").get_models(), AuditEntry]
    return tuple(model._default_manager.count() for model in models)
