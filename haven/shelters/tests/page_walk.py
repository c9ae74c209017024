"""Objects for the generated permission walk (haven/web/tests/test_view_permissions.py), for the shelter
pages (haven/shelters/urls.py).

The pages name their objects with the same URL arguments as the API (`facility_id`, `room_id`, `bed_id`,
`hold_id`, `case_id`, `stay_id`, `extension_id`, `entry_id`), so the core's factories in `walk.py` serve
them: each gives an object the persona may reach (a stay on a case she works on, a hold of her
organisation, a fresh bed of the home facility). A page argument of its own would get its factory here.
Choices made in the query string (`?facility=`, `?hold=`, `?dispatch=`) are tested in test_pages_*.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from haven.conftest import World
from haven.orgs.models import Membership

OBJECTS: dict[str, Callable[[World, Membership], Any]] = {}
