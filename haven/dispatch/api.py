"""API for mobile teams and dispatches: every action of the pages, same verbs, same access rules.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Where she is and what danger is known (`DispatchDetailOut`) is only in the detail, whose reading is
audited; lists carry clocks and steps, never the location.
"""

import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from haven.cases.models import Case
from haven.dispatch import actions, queries, sla
from haven.dispatch.models import Dispatch, Unit, UnitMember
from haven.dispatch.views import STATUS_ROLES, TEAM_MANAGERS
from haven.hotline.models import Contact
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Area, Membership, Site
from haven.orgs.roles import ROLES_NOT_KEPT_APART
from haven.orgs.validation import LocalDateTime
from haven.people.views import SURVIVOR_ROLES
from haven.web.openapi import SchemaName

DispatchUnitStatus = Annotated[Unit.Status, SchemaName("DispatchUnitStatus")]
DispatchStatus = Annotated[Dispatch.Status, SchemaName("DispatchStatus")]
DispatchDestination = Annotated[Dispatch.Destination, SchemaName("DispatchDestination")]


router = Router(tags=["dispatch"])


class DispatchUnitIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    area_id: uuid.UUID | None = None


class DispatchUnitOut(Schema):
    id: uuid.UUID
    name: str
    area_id: uuid.UUID | None
    status: str
    status_changed_at: datetime
    member_ids: list[int]


class UnitMemberIn(Schema):
    membership_id: int


class UnitStatusIn(Schema):
    status: DispatchUnitStatus


class DispatchIn(Schema):
    case_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    priority: Dispatch.Priority
    location_address: str = Field("", max_length=2000)
    location_coordinates: str = Field("", max_length=60)
    weapons: Dispatch.Known = Dispatch.Known.UNKNOWN
    children_present: Dispatch.Known = Dispatch.Known.UNKNOWN
    danger_notes: str = Field("", max_length=4000)
    received_at: LocalDateTime | None = Field(None, description="When the call was answered; default: now")


class ClockOut(Schema):
    interval: str
    target_seconds: int
    target_share: int
    elapsed_seconds: float | None
    running: bool
    breached: bool


class EventOut(Schema):
    step: str
    at: datetime
    actor_id: int | None


class DispatchOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID | None
    contact_id: uuid.UUID | None
    priority: int
    status: str
    unit_id: uuid.UUID | None
    received_at: datetime
    destination_kind: str
    destination_site_id: uuid.UUID | None
    destination_text: str
    disposition: str
    cancel_reason: str
    closed_at: datetime | None
    events: list[EventOut]
    clocks: list[ClockOut]
    next_steps: list[str]


class DispatchDetailOut(DispatchOut):
    location_address: str
    location_coordinates: str
    weapons: str
    children_present: str
    danger_notes: str


class DispatchAssignIn(Schema):
    unit_id: uuid.UUID


class StepIn(Schema):
    step: DispatchStatus
    destination_kind: DispatchDestination | None = None
    destination_site_id: uuid.UUID | None = None
    destination_text: str = Field("", max_length=200)
    disposition: Dispatch.Disposition | None = None
    cancel_reason: Dispatch.CancelReason | None = None


class TargetIn(Schema):
    interval: sla.Interval
    seconds: int = Field(ge=1, le=86400)
    share: int = Field(ge=1, le=100)


class TargetOut(Schema):
    interval: str
    label: str
    seconds: int
    share: int


class ComplianceOut(TargetOut):
    measured: int
    met: int
    share_met: float | None
    breached: bool


def _unit_out(unit: Unit) -> DispatchUnitOut:
    members = UnitMember.objects.filter(unit=unit, left_at__isnull=True).values_list(
        "membership_id", flat=True
    )
    return DispatchUnitOut(
        id=unit.pk,
        name=unit.name,
        area_id=unit.area_id,
        status=unit.status,
        status_changed_at=unit.status_changed_at,
        member_ids=list(members),
    )


def _dispatch_out(dispatch: Dispatch, schema: Any = DispatchOut, **extra: Any) -> Any:
    clocks = sla.clocks(dispatch, sla.targets_for(dispatch.org_id), now=timezone.now())
    return schema(
        id=dispatch.pk,
        case_id=dispatch.case_id,
        contact_id=dispatch.contact_id,
        priority=dispatch.priority,
        status=dispatch.status,
        unit_id=dispatch.unit_id,
        received_at=dispatch.received_at,
        destination_kind=dispatch.destination_kind,
        destination_site_id=dispatch.destination_site_id,
        destination_text=dispatch.destination_text,
        disposition=dispatch.disposition,
        cancel_reason=dispatch.cancel_reason,
        closed_at=dispatch.closed_at,
        events=[EventOut(step=e.step, at=e.at, actor_id=e.actor_id) for e in dispatch.events.all()],
        clocks=[
            ClockOut(
                interval=c.rule.interval,
                target_seconds=c.rule.seconds,
                target_share=c.rule.share,
                elapsed_seconds=c.elapsed,
                running=c.running,
                breached=c.breached,
            )
            for c in clocks
        ],
        next_steps=list(actions.next_steps(dispatch)),
        **extra,
    )


def _detail_out(request: StaffRequest, dispatch: Dispatch) -> DispatchDetailOut:
    actions.record_dispatch_view(dispatch=dispatch, acting_user=request.user, at=timezone.now())
    result: DispatchDetailOut = _dispatch_out(
        dispatch,
        DispatchDetailOut,
        location_address=dispatch.location_address,
        location_coordinates=dispatch.location_coordinates,
        weapons=dispatch.weapons,
        children_present=dispatch.children_present,
        danger_notes=dispatch.danger_notes,
    )
    return result


def _dispatch(request: StaffRequest, dispatch_id: uuid.UUID, action: str = "view") -> Dispatch:
    queryset = Dispatch.objects.select_related("org").prefetch_related("events")
    dispatch: Dispatch = get_visible_or_404(queryset, request.user, action, pk=dispatch_id)
    return dispatch


def _in_org(queryset: Any, request: StaffRequest, pk: Any) -> Any:
    """A related object named in a body: of the acting organisation, else 404."""
    return None if pk is None else get_visible_or_404(queryset, request.user, pk=pk)


# --- teams ---------------------------------------------------------------------------------------------


@router.get("/units", response=list[DispatchUnitOut])
@api_access(ROLES_NOT_KEPT_APART)
def list_units(request: StaffRequest) -> list[DispatchUnitOut]:
    return [_unit_out(unit) for unit in Unit.objects.visible_to(request.user)]


@router.post("/units", response={201: DispatchUnitOut})
@api_access(TEAM_MANAGERS)
def create_unit(request: StaffRequest, payload: DispatchUnitIn) -> Status[DispatchUnitOut]:
    area = _in_org(Area.objects.all(), request, payload.area_id)
    unit = actions.create_unit(
        org=request.org, name=payload.name, area=area, acting_user=request.user, at=timezone.now()
    )
    return Status(201, _unit_out(unit))


@router.get("/units/{unit_id}", response=DispatchUnitOut)
@api_access(ROLES_NOT_KEPT_APART, object_kwargs=("unit_id",))
def get_unit(request: StaffRequest, unit_id: uuid.UUID) -> DispatchUnitOut:
    return _unit_out(get_visible_or_404(Unit.objects.all(), request.user, pk=unit_id))


def _member(request: StaffRequest, membership_id: int) -> Membership:
    """A colleague of the acting organisation (managers of sites cannot list staff, but name them)."""
    membership: Membership = get_object_or_404(Membership.objects.filter(org=request.org), pk=membership_id)
    return membership


@router.post("/units/{unit_id}/members", response=DispatchUnitOut)
@api_access(TEAM_MANAGERS, object_kwargs=("unit_id",))
def add_unit_member(request: StaffRequest, unit_id: uuid.UUID, payload: UnitMemberIn) -> DispatchUnitOut:
    unit = get_visible_or_404(Unit.objects.select_related("org"), request.user, "change", pk=unit_id)
    membership = _member(request, payload.membership_id)
    actions.add_unit_member(unit=unit, membership=membership, acting_user=request.user, at=timezone.now())
    return _unit_out(unit)


@router.post("/units/{unit_id}/members/remove", response=DispatchUnitOut)
@api_access(TEAM_MANAGERS, object_kwargs=("unit_id",))
def remove_unit_member(request: StaffRequest, unit_id: uuid.UUID, payload: UnitMemberIn) -> DispatchUnitOut:
    unit = get_visible_or_404(Unit.objects.select_related("org"), request.user, "change", pk=unit_id)
    membership = _member(request, payload.membership_id)
    actions.remove_unit_member(unit=unit, membership=membership, acting_user=request.user, at=timezone.now())
    return _unit_out(unit)


@router.post("/units/{unit_id}/status", response=DispatchUnitOut)
@api_access(STATUS_ROLES, object_kwargs=("unit_id",))
def set_unit_status(request: StaffRequest, unit_id: uuid.UUID, payload: UnitStatusIn) -> DispatchUnitOut:
    unit = get_visible_or_404(Unit.objects.select_related("org"), request.user, "status", pk=unit_id)
    actions.set_unit_status(unit=unit, status=payload.status, acting_user=request.user, at=timezone.now())
    return _unit_out(unit)


# --- dispatches ----------------------------------------------------------------------------------------


@router.get("/dispatches", response=list[DispatchOut])
@api_access(SURVIVOR_ROLES)
def list_open_dispatches(request: StaffRequest) -> list[DispatchOut]:
    """The board: open dispatches the user may see, most urgent first."""
    dispatches = queries.with_events(Dispatch.objects.visible_to(request.user).open())
    return [_dispatch_out(dispatch) for dispatch in dispatches]


@router.post("/dispatches", response={201: DispatchDetailOut})
@api_access(SURVIVOR_ROLES)
def create_dispatch(request: StaffRequest, payload: DispatchIn) -> Status[DispatchDetailOut]:
    case = None
    if payload.case_id is not None:
        case = get_visible_or_404(Case.objects.all(), request.user, "change", pk=payload.case_id)
    contact = _in_org(Contact.objects.all(), request, payload.contact_id)
    fields = payload.dict(exclude={"case_id", "contact_id"})
    dispatch = actions.create_dispatch(
        case=case, contact=contact, acting_user=request.user, at=timezone.now(), **fields
    )
    return Status(201, _detail_out(request, _dispatch(request, dispatch.pk)))


@router.get("/dispatches/{dispatch_id}", response=DispatchDetailOut)
@api_access(SURVIVOR_ROLES, object_kwargs=("dispatch_id",))
def get_dispatch(request: StaffRequest, dispatch_id: uuid.UUID) -> DispatchDetailOut:
    return _detail_out(request, _dispatch(request, dispatch_id))


@router.post("/dispatches/{dispatch_id}/assign", response=DispatchOut)
@api_access(SURVIVOR_ROLES, object_kwargs=("dispatch_id",))
def assign_unit(request: StaffRequest, dispatch_id: uuid.UUID, payload: DispatchAssignIn) -> DispatchOut:
    dispatch = _dispatch(request, dispatch_id, "change")
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk=payload.unit_id)
    actions.assign_unit(dispatch=dispatch, unit=unit, acting_user=request.user, at=timezone.now())
    result: DispatchOut = _dispatch_out(_dispatch(request, dispatch_id))
    return result


@router.post("/dispatches/{dispatch_id}/steps", response=DispatchOut)
@api_access(SURVIVOR_ROLES, object_kwargs=("dispatch_id",))
def record_step(request: StaffRequest, dispatch_id: uuid.UUID, payload: StepIn) -> DispatchOut:
    dispatch = _dispatch(request, dispatch_id, "change")
    site = _in_org(Site.objects.all(), request, payload.destination_site_id)
    actions.record_step(
        dispatch=dispatch,
        step=payload.step,
        destination_kind=payload.destination_kind or "",
        destination_site=site,
        destination_text=payload.destination_text,
        disposition=payload.disposition or "",
        cancel_reason=payload.cancel_reason or "",
        acting_user=request.user,
        at=timezone.now(),
    )
    result: DispatchOut = _dispatch_out(_dispatch(request, dispatch_id))
    return result


# --- targets -------------------------------------------------------------------------------------------


class TargetsQuery(Schema):
    days: int = Field(30, ge=1, le=3660)


@router.get("/dispatch-targets", response=list[ComplianceOut])
@api_access(SURVIVOR_ROLES | TEAM_MANAGERS)
def list_targets(request: StaffRequest, filters: Query[TargetsQuery]) -> list[ComplianceOut]:
    """Each target, and how the last `days` days measured against it."""
    now = timezone.now()
    report = sla.compliance(request.org, now - timedelta(days=filters.days), now)
    return [
        ComplianceOut(
            interval=row.rule.interval,
            label=row.rule.label,
            seconds=row.rule.seconds,
            share=row.rule.share,
            measured=row.measured,
            met=row.met,
            share_met=row.share_met,
            breached=row.breached,
        )
        for row in report
    ]


@router.put("/dispatch-targets", response=TargetOut)
@api_access(TEAM_MANAGERS)
def set_target(request: StaffRequest, payload: TargetIn) -> TargetOut:
    target = actions.set_target(
        org=request.org,
        interval=payload.interval,
        seconds=payload.seconds,
        share=payload.share,
        acting_user=request.user,
        at=timezone.now(),
    )
    return TargetOut(
        interval=target.interval,
        label=str(sla.Interval(target.interval).label),
        seconds=target.seconds,
        share=target.share,
    )
