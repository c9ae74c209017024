"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

The job is a small import of the home organisation, run at once: refused (its union does not exist
there), so it has an errors file to download.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from haven.benefits.imports.actions import run_import, upload_import
from haven.conftest import World
from haven.orgs.models import Membership, Organisation

WALK_FILE = b"registry_number,name,union\r\nWALK-1,Walk Person,Nowhere union\r\n"


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def import_job(world: World, member: Membership) -> Any:
    job = upload_import(
        org=_home(),
        file_name="walk.csv",
        content=WALK_FILE,
        dry_run=False,
        acting_user=None,
        at=timezone.now(),
        keep_upload=False,
    )
    return run_import(job=job, clock=timezone.now, content=WALK_FILE).pk


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "import_job_id": import_job,
}

PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/registry-imports"): lambda: {
        "file_name": "walk.csv",
        "content_base64": base64.b64encode(WALK_FILE).decode(),
        "dry_run": True,
    },
}
