"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from haven.conftest import World
from haven.orgs import actions as org_actions
from haven.orgs.models import Area, Membership, Organisation
from haven.reports.dhis2 import actions
from haven.reports.dhis2.models import ElementMapping, OrgUnitMapping
from haven.reports.sharing.tests import helpers

INDICATOR = "sharing_test.incidents"


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def _uid() -> str:
    return "a" + uuid.uuid4().hex[:10]


def _element(world: World, member: Membership) -> Any:
    return actions.add_element_mapping(
        org=_home(),
        indicator=INDICATOR,
        dimension=helpers.PLACE,
        value=_uid(),
        data_element=_uid(),
        acting_user=None,
        at=timezone.now(),
    ).pk


def _area() -> Area:
    return org_actions.create_area(
        org=_home(), name=f"Walk {_uid()}", level=Area.Level.DISTRICT, acting_user=None, at=timezone.now()
    )


def _unit(world: World, member: Membership) -> Any:
    return actions.add_org_unit_mapping(
        org=_home(), area=_area(), org_unit=_uid(), acting_user=None, at=timezone.now()
    ).pk


def _export_body() -> dict[str, Any]:
    """Map the sharing tests' report for the home organisation, so the export has all it needs."""
    home, at = _home(), timezone.now()
    OrgUnitMapping.objects.get_or_create(
        org=home, area=None, defaults={"org_unit": "ImspTQPwCqd", "created_at": at}
    )
    ElementMapping.objects.get_or_create(
        org=home,
        indicator=INDICATOR,
        dimension="",
        value="",
        defaults={"data_element": "fbfJHSPpUQD", "created_at": at},
    )
    return {"report": helpers.REPORT, "period": helpers.last_month().code}


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "dhis2_element_id": _element,
    "dhis2_unit_id": _unit,
}

PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/dhis2/element-mappings"): lambda: {
        "indicator": INDICATOR,
        "dimension": helpers.PLACE,
        "value": _uid(),
        "data_element": _uid(),
    },
    ("POST", "/dhis2/org-unit-mappings"): lambda: {"area_id": str(_area().pk), "org_unit": _uid()},
    ("POST", "/dhis2/data-value-sets"): _export_body,
}
