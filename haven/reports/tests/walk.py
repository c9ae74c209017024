"""Objects for the generated permission walk (haven/web/tests/test_view_permissions.py).

The report page takes a report code. The walk needs a report that every role allowed on the page reads,
so it registers one of its own (a single indicator counting the organisation's areas), once per process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy

from haven.conftest import World
from haven.orgs.models import Area, Membership
from haven.reports.dashboards import REPORT_ROLES
from haven.reports.indicators import REPORTS, Report, count_indicator, register, register_report

WALK_REPORT = "walk.figures"


def report_code(world: World, member: Membership) -> str:
    if WALK_REPORT not in REPORTS:
        areas = count_indicator(
            code="walk.areas",
            name=gettext_lazy("Areas"),
            definition=gettext_lazy("The organisation's areas."),
            records=lambda scope: Area.objects.filter(org=scope.org),
            dimensions={},
        )
        register(areas)
        register_report(
            Report(WALK_REPORT, gettext_lazy("Walk"), gettext_lazy("Walk"), (areas.code,), REPORT_ROLES)
        )
    return WALK_REPORT


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {"report_code": report_code}
