"""Objects for the generated permission walk (haven/web/tests/test_view_permissions.py): a queued
record export of the home organisation, asked for by the walking member when her role may export,
else by the home centre manager (so she is refused it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.reports.exports import actions
from haven.reports.exports.records import sets_for


def record_export(world: World, member: Membership) -> Any:
    sets = sets_for(member.role_enum) if member.org_id == world.org.pk else []
    owner = member if sets else world.members[Role.CENTRE_MANAGER]
    kind = sets[0].code if sets else "INCIDENTS"
    password = "walk-password-long"
    return actions.request_record_export(
        membership=owner,
        record_set=kind,
        period_code="2025",
        password=password,
        password_again=password,
        acting_user=owner.user,
        at=world.at,
    ).pk


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {"record_export_id": record_export}
PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {}
