"""API of the DHIS2 export: the organisation's mappings and the ``dataValueSets`` payload of a report.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
A mapping that misses an element is a 422 listing the missing ones; nothing is produced.
"""

import uuid
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Area
from haven.reports.dhis2 import actions
from haven.reports.dhis2.models import DHIS2_ROLES, ElementMapping, OrgUnitMapping

router = Router(tags=["DHIS2"])


class ElementIn(Schema):
    indicator: str = Field(min_length=1, max_length=80)
    dimension: str = Field("", max_length=40)
    value: str = Field("", max_length=80)
    data_element: str = Field(min_length=1, max_length=11)
    category_option_combo: str = Field("", max_length=11)


class ElementOut(Schema):
    id: uuid.UUID
    indicator: str
    dimension: str
    value: str
    data_element: str
    category_option_combo: str


class Dhis2UnitIn(Schema):
    area_id: uuid.UUID | None = None
    org_unit: str = Field(min_length=1, max_length=11)


class Dhis2UnitOut(Schema):
    id: uuid.UUID
    area_id: uuid.UUID | None
    org_unit: str


class MappingsOut(Schema):
    elements: list[ElementOut]
    org_units: list[Dhis2UnitOut]


class ExportIn(Schema):
    report: str = Field(min_length=1, max_length=60)
    period: str = Field(min_length=4, max_length=40, description="2025-03, 2025-Q1, 2025-H1, 2025, FY2024")
    data_set: str = Field("", max_length=11)


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _element_out(item: ElementMapping) -> ElementOut:
    return ElementOut(
        id=item.pk,
        indicator=item.indicator,
        dimension=item.dimension,
        value=item.value,
        data_element=item.data_element,
        category_option_combo=item.category_option_combo,
    )


def _unit_out(item: OrgUnitMapping) -> Dhis2UnitOut:
    return Dhis2UnitOut(id=item.pk, area_id=item.area_id, org_unit=item.org_unit)


@router.get("/dhis2/mappings", response=MappingsOut)
@api_access(DHIS2_ROLES)
def mappings(request: StaffRequest) -> MappingsOut:
    return MappingsOut(
        elements=[_element_out(m) for m in ElementMapping.objects.visible_to(request.user)],
        org_units=[_unit_out(m) for m in OrgUnitMapping.objects.visible_to(request.user)],
    )


@router.post("/dhis2/element-mappings", response={201: ElementOut})
@api_access(DHIS2_ROLES)
def add_element(request: StaffRequest, payload: ElementIn) -> Status[ElementOut]:
    mapping = actions.add_element_mapping(org=request.org, **payload.dict(), **_now(request))
    return Status(201, _element_out(mapping))


@router.post("/dhis2/org-unit-mappings", response={201: Dhis2UnitOut})
@api_access(DHIS2_ROLES)
def add_unit(request: StaffRequest, payload: Dhis2UnitIn) -> Status[Dhis2UnitOut]:
    area = None
    if payload.area_id is not None:
        area = get_visible_or_404(Area.objects.all(), request.user, pk=payload.area_id)
    mapping = actions.add_org_unit_mapping(
        org=request.org, area=area, org_unit=payload.org_unit, **_now(request)
    )
    return Status(201, _unit_out(mapping))


@router.post("/dhis2/data-value-sets", response=dict[str, Any])
@api_access(DHIS2_ROLES)
def export(request: StaffRequest, payload: ExportIn) -> dict[str, Any]:
    """The report's figures for the period as a DHIS2 ``dataValueSets`` payload (small cells withheld)."""
    result, _withheld = actions.export_data_value_set(
        org=request.org,
        report_code=payload.report,
        period_code=payload.period,
        data_set=payload.data_set,
        **_now(request),
    )
    return result
