"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from haven.conftest import World
from haven.orgs.models import Membership

OBJECTS: dict[str, Callable[[World, Membership], Any]] = {}

PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {}
