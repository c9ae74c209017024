"""API for grievances: lodge (channel API; the tracking code is in the answer, once), list, read
(audited), assign, decide, appeal, decide the appeal (approvers), close, the overdue list and the figures.
Every answer carrying a grievance's file, a write's included, is an audited read.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from haven.benefits.grievances import actions, queries
from haven.benefits.grievances.models import Category, Grievance
from haven.benefits.models import APPROVING_ROLES, PROGRAMME_ROLES, Beneficiary, Programme
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Area, Membership
from haven.web.openapi import SchemaName

GrievanceCategory = Annotated[Category, SchemaName("GrievanceCategory")]
GrievanceStatus = Annotated[Grievance.Status, SchemaName("GrievanceStatus")]
GrievanceOutcome = Annotated[Grievance.Outcome, SchemaName("GrievanceOutcome")]


router = Router(tags=["grievances"])

GRIEVANCE = ("grievance_id",)


class GrievanceIn(Schema):
    category: GrievanceCategory
    description: str = Field(min_length=1, max_length=4000)
    programme_id: uuid.UUID | None = None
    area_id: uuid.UUID | None = None
    beneficiary_id: uuid.UUID | None = None
    complainant_name: str = Field("", max_length=200)
    complainant_phone: str = Field("", max_length=40)


class GrievanceRowOut(Schema):
    id: uuid.UUID
    category: str
    channel: str
    programme_id: uuid.UUID | None
    area_id: uuid.UUID | None
    status: str
    received_at: datetime
    due_on: date
    assigned_to_id: int | None
    outcome: str
    appeal_outcome: str


class GrievanceOut(GrievanceRowOut):
    beneficiary_id: uuid.UUID | None
    complainant_name: str
    complainant_phone: str
    description: str
    decision_text: str
    appeal_text: str
    appeal_decision_text: str


class LodgedOut(GrievanceOut):
    tracking_code: str


class GrievancesQuery(Schema):
    status: GrievanceStatus | None = None
    category: GrievanceCategory | None = None


class GrievanceAssignIn(Schema):
    membership_id: int


class GrievanceDecisionIn(Schema):
    outcome: GrievanceOutcome
    reasons: str = Field(min_length=1, max_length=4000)


class AppealIn(Schema):
    grounds: str = Field(min_length=1, max_length=4000)


class CategoryRowOut(Schema):
    category: str
    total: int
    open: int
    decided: int
    on_time: int
    on_time_rate: float | None


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _grievance(request: StaffRequest, grievance_id: uuid.UUID, action: str = "change") -> Grievance:
    found: Grievance = get_visible_or_404(
        Grievance.objects.select_related("org"), request.user, action, pk=grievance_id
    )
    return found


def _row_fields(g: Grievance) -> dict[str, Any]:
    return {
        "id": g.pk,
        "category": g.category,
        "channel": g.channel,
        "programme_id": g.programme_id,
        "area_id": g.area_id,
        "status": g.status,
        "received_at": g.received_at,
        "due_on": g.due_on,
        "assigned_to_id": g.assigned_to_id,
        "outcome": g.outcome,
        "appeal_outcome": g.appeal_outcome,
    }


def _out(g: Grievance) -> GrievanceOut:
    return GrievanceOut(
        **_row_fields(g),
        beneficiary_id=g.beneficiary_id,
        complainant_name=g.complainant_name,
        complainant_phone=g.complainant_phone,
        description=g.description,
        decision_text=g.decision_text,
        appeal_text=g.appeal_text,
        appeal_decision_text=g.appeal_decision_text,
    )


def _read(request: StaffRequest, grievance: Grievance) -> GrievanceOut:
    """The grievance's file as an answer. It names the complainant and says what she wrote, so every
    answer carrying it is an audited read, whether it answers a read or a write."""
    actions.record_grievance_view(grievance=grievance, **_now(request))
    return _out(grievance)


def _named(model: Any, request: StaffRequest, pk: Any, field: str) -> Any:
    if pk is None:
        return None
    manager = (
        model.objects.filter(org=request.org) if model is Area else model.objects.visible_to(request.user)
    )
    found = manager.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("Nothing with this identifier exists in your organisation.")})
    return found


@router.post("/grievances", response={201: LodgedOut}, summary="Lodge a grievance")
@api_access(PROGRAMME_ROLES)
def lodge(request: StaffRequest, payload: GrievanceIn) -> Status[LodgedOut]:
    grievance, code = actions.lodge_grievance(
        org=request.org,
        channel=Grievance.Channel.API,
        category=payload.category,
        description=payload.description,
        programme=_named(Programme, request, payload.programme_id, "programme_id"),
        area=_named(Area, request, payload.area_id, "area_id"),
        beneficiary=_named(Beneficiary, request, payload.beneficiary_id, "beneficiary_id"),
        complainant_name=payload.complainant_name,
        complainant_phone=payload.complainant_phone,
        **_now(request),
    )
    return Status(201, LodgedOut(**_read(request, grievance).dict(), tracking_code=code))


@router.get("/grievances", response=list[GrievanceRowOut], summary="Grievances, soonest due first")
@api_access(PROGRAMME_ROLES)
def list_grievances(request: StaffRequest, filters: Query[GrievancesQuery]) -> list[GrievanceRowOut]:
    found = queries.grievances(request.user, status=filters.status or "", category=filters.category or "")
    return [GrievanceRowOut(**_row_fields(g)) for g in found[:1000]]


@router.get("/grievances/overdue", response=list[GrievanceRowOut], summary="Past their deadline")
@api_access(PROGRAMME_ROLES)
def overdue(request: StaffRequest) -> list[GrievanceRowOut]:
    return [
        GrievanceRowOut(**_row_fields(g)) for g in queries.overdue(request.user, timezone.localdate())[:1000]
    ]


@router.get("/grievance-statistics", response=list[CategoryRowOut], summary="By category, decided on time")
@api_access(PROGRAMME_ROLES)
def statistics(request: StaffRequest) -> list[CategoryRowOut]:
    return [CategoryRowOut(**row) for row in queries.by_category(request.user)]


@router.get("/grievances/{grievance_id}", response=GrievanceOut, summary="One grievance (audited)")
@api_access(PROGRAMME_ROLES, object_kwargs=GRIEVANCE)
def get_grievance(request: StaffRequest, grievance_id: uuid.UUID) -> GrievanceOut:
    return _read(request, _grievance(request, grievance_id, "view"))


@router.post("/grievances/{grievance_id}/assign", response=GrievanceOut, summary="Assign")
@api_access(PROGRAMME_ROLES, object_kwargs=GRIEVANCE)
def assign(request: StaffRequest, grievance_id: uuid.UUID, payload: GrievanceAssignIn) -> GrievanceOut:
    grievance = _grievance(request, grievance_id)
    assignee = Membership.objects.filter(org=request.org, pk=payload.membership_id).first()
    if assignee is None:
        raise ValidationError({"membership_id": _("Choose an active member of the programme staff.")})
    return _read(request, actions.assign_grievance(grievance=grievance, assignee=assignee, **_now(request)))


@router.post("/grievances/{grievance_id}/decision", response=GrievanceOut, summary="Decide")
@api_access(PROGRAMME_ROLES, object_kwargs=GRIEVANCE)
def decide(request: StaffRequest, grievance_id: uuid.UUID, payload: GrievanceDecisionIn) -> GrievanceOut:
    grievance = actions.decide_grievance(
        grievance=_grievance(request, grievance_id), **payload.dict(), **_now(request)
    )
    return _read(request, grievance)


@router.post("/grievances/{decided_grievance_id}/appeal", response=GrievanceOut, summary="Appeal (once)")
@api_access(PROGRAMME_ROLES, object_kwargs=("decided_grievance_id",))
def appeal(request: StaffRequest, decided_grievance_id: uuid.UUID, payload: AppealIn) -> GrievanceOut:
    grievance = actions.appeal_grievance(
        grievance=_grievance(request, decided_grievance_id), **payload.dict(), **_now(request)
    )
    return _read(request, grievance)


@router.post(
    "/grievances/{decided_grievance_id}/close", response=GrievanceOut, summary="Close without appeal"
)
@api_access(PROGRAMME_ROLES, object_kwargs=("decided_grievance_id",))
def close(request: StaffRequest, decided_grievance_id: uuid.UUID) -> GrievanceOut:
    grievance = actions.close_grievance(grievance=_grievance(request, decided_grievance_id), **_now(request))
    return _read(request, grievance)


@router.post(
    "/grievances/{appealed_grievance_id}/appeal/decision", response=GrievanceOut, summary="Decide appeal"
)
@api_access(APPROVING_ROLES, object_kwargs=("appealed_grievance_id",))
def decide_appeal(
    request: StaffRequest, appealed_grievance_id: uuid.UUID, payload: GrievanceDecisionIn
) -> GrievanceOut:
    grievance = actions.decide_appeal(
        grievance=_grievance(request, appealed_grievance_id, "approve"), **payload.dict(), **_now(request)
    )
    return _read(request, grievance)
