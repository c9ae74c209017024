"""Objects for the generated permission walk: a donor project of the home organisation and a target."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from haven.conftest import World
from haven.orgs.models import Membership
from haven.reports.projects.models import Project, ProjectTarget


def project(world: World, member: Membership) -> Project:
    found, _created = Project.objects.get_or_create(
        org=world.org,
        name="Walk project",
        defaults={
            "donor": "Walk donor",
            "starts_on": date(2025, 1, 1),
            "ends_on": date(2025, 12, 31),
            "created_at": world.at,
        },
    )
    return found


def target(world: World, member: Membership) -> Any:
    # Written directly: the walk has no indicator of its own to name through the verb's check.
    row = ProjectTarget.objects.create(
        org=world.org,
        project=project(world, member),
        indicator=f"walk.{ProjectTarget.objects.count()}",
        target=Decimal(10),
    )
    return row.pk


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "report_project_id": lambda world, member: project(world, member).pk,
    "project_target_id": target,
}
PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {}
