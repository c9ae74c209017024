"""API for the care of a case: services, needs assessments, the plan and its approval, appointments, notes.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Each write calls one verb of care_actions.py; its refusals become 422 with the translated reason.
"""

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from haven.cases import care_actions as care
from haven.cases.actions import record_case_view
from haven.cases.care_queries import latest_assessment, services_of, unmet_needs
from haven.cases.care_views import apply_plan_decision
from haven.cases.catalogue import Sector, ServiceKind
from haven.cases.models import (
    NEED_DOMAINS,
    Appointment,
    Case,
    CaseNote,
    CasePlan,
    CaseService,
    Goal,
    GoalDomain,
    GoalProgress,
    NeedLevel,
    NeedsAssessment,
)
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Membership, Site
from haven.people.views import SURVIVOR_ROLES
from haven.web.openapi import SchemaName

CaseServiceStatus = Annotated[CaseService.Status, SchemaName("CaseServiceStatus")]
GoalStatus = Annotated[Goal.Status, SchemaName("GoalStatus")]


router = Router(tags=["case care"])
CASE = ("case_id",)


def _case(request: StaffRequest, case_id: uuid.UUID, action: str = "change") -> Case:
    case: Case = get_visible_or_404(
        Case.objects.select_related("org", "survivor"), request.user, action, pk=case_id
    )
    if action == "view":
        # Only the reads ask for "view": they return part of her file in clear, audited as the file is.
        record_case_view(case=case, acting_user=request.user, at=timezone.now())
    return case


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _member(membership_id: int | None, field: str, org_id: uuid.UUID) -> Membership | None:
    if membership_id is None:
        return None
    membership: Membership | None = Membership.objects.filter(pk=membership_id, org_id=org_id).first()
    if membership is None:
        raise ValidationError({field: _("Choose an active member of your own organisation.")})
    return membership


# --- Services ------------------------------------------------------------------------------------------


class ServiceFilter(Schema):
    status: CaseServiceStatus | None = None
    sector: Sector | None = None


class ServiceIn(Schema):
    kind: ServiceKind
    status: CaseServiceStatus
    started_on: date
    ended_on: date | None = None
    provided_by_id: int | None = Field(None, description="A membership id; only for a service we provided")
    details: str = Field("", max_length=10000)


class ServiceChangeIn(Schema):
    status: CaseServiceStatus
    ended_on: date | None = None


class ServiceOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    kind: str
    sector: str
    status: str
    started_on: date
    ended_on: date | None
    provided_by: str | None
    details: str
    recorded_at: datetime


def _service_out(service: CaseService) -> ServiceOut:
    provider = service.provided_by
    return ServiceOut(
        id=service.pk,
        case_id=service.case_id,
        kind=service.kind,
        sector=service.sector,
        status=service.status,
        started_on=service.started_on,
        ended_on=service.ended_on,
        provided_by=provider.user.username if provider else None,
        details=service.details,
        recorded_at=service.recorded_at,
    )


@router.get(
    "/cases/{case_id}/services", response=list[ServiceOut], summary="A case's services, by status and sector"
)
@api_access(SURVIVOR_ROLES, object_kwargs=CASE)
def list_services(
    request: StaffRequest, case_id: uuid.UUID, filters: Query[ServiceFilter]
) -> list[ServiceOut]:
    case = _case(request, case_id, "view")
    found = services_of(case, status=filters.status or "", sector=filters.sector or "")
    return [_service_out(service) for service in found]


@router.post("/cases/{case_id}/services", response={201: ServiceOut}, summary="Record a service on a case")
@api_access(SURVIVOR_ROLES, object_kwargs=CASE)
def record_service(request: StaffRequest, case_id: uuid.UUID, payload: ServiceIn) -> Status[ServiceOut]:
    case = _case(request, case_id)
    fields = payload.dict(exclude={"provided_by_id"})
    provider = _member(payload.provided_by_id, "provided_by_id", case.org_id)
    service = care.record_service(case=case, provided_by=provider, **fields, **_now(request))
    return Status(201, _service_out(service))


@router.post(
    "/services/{service_id}/change", response=ServiceOut, summary="Change a service's status or end date"
)
@api_access(SURVIVOR_ROLES, object_kwargs=("service_id",))
def change_service(request: StaffRequest, service_id: uuid.UUID, payload: ServiceChangeIn) -> ServiceOut:
    service = get_visible_or_404(
        CaseService.objects.select_related("case__org"), request.user, "change", pk=service_id
    )
    care.change_service(service=service, status=payload.status, ended_on=payload.ended_on, **_now(request))
    # The answer carries the service's details as stored (hers, in clear): a read of the case, as the
    # list of its services is.
    record_case_view(case=service.case, acting_user=request.user, at=timezone.now())
    return _service_out(CaseService.objects.select_related("provided_by__user").get(pk=service.pk))


# --- Needs ---------------------------------------------------------------------------------------------


class NeedsIn(Schema):
    occasion: NeedsAssessment.Occasion
    assessed_on: date
    levels: dict[str, NeedLevel] = Field(
        default_factory=dict,
        description="Level per domain; domains left out have no need: " + ", ".join(NEED_DOMAINS),
    )
    other_harms: str = Field("", max_length=10000)
    notes: str = Field("", max_length=10000)


class NeedsOut(Schema):
    id: uuid.UUID
    occasion: str
    assessed_on: date
    levels: dict[str, str]
    other_harms: str
    notes: str
    recorded_at: datetime


def _needs_out(assessment: NeedsAssessment) -> NeedsOut:
    return NeedsOut(
        id=assessment.pk,
        occasion=assessment.occasion,
        assessed_on=assessment.assessed_on,
        levels={domain: level for domain, _label, level in assessment.levels()},
        other_harms=assessment.other_harms,
        notes=assessment.notes,
        recorded_at=assessment.recorded_at,
    )


@router.get(
    "/cases/{case_id}/needs", response=list[NeedsOut], summary="A case's needs assessments, newest first"
)
@api_access(SURVIVOR_ROLES, object_kwargs=CASE)
def list_needs(request: StaffRequest, case_id: uuid.UUID) -> list[NeedsOut]:
    case = _case(request, case_id, "view")
    return [_needs_out(a) for a in NeedsAssessment.objects.filter(case=case)]


@router.post(
    "/cases/{case_id}/needs", response={201: NeedsOut}, summary="Assess her needs (intake or review)"
)
@api_access(SURVIVOR_ROLES, object_kwargs=CASE)
def assess_needs(request: StaffRequest, case_id: uuid.UUID, payload: NeedsIn) -> Status[NeedsOut]:
    case = _case(request, case_id)
    assessment = care.assess_needs(case=case, **payload.dict(), **_now(request))
    return Status(201, _needs_out(assessment))


# --- Plan ----------------------------------------------------------------------------------------------


class GoalIn(Schema):
    domain: GoalDomain
    description: str = Field(..., min_length=1, max_length=10000)
    target_on: date | None = None


class ProgressIn(Schema):
    status: GoalStatus
    note: str = Field("", max_length=10000)


class CareProgressOut(Schema):
    at: datetime
    by: str | None
    note: str
    from_status: str
    to_status: str


class GoalOut(Schema):
    id: uuid.UUID
    plan_id: uuid.UUID
    domain: str
    description: str
    target_on: date | None
    status: str
    progress: list[CareProgressOut]


class UnmetNeedOut(Schema):
    domain: str
    level: str
    goal_domain: str


class CarePlanOut(Schema):
    id: uuid.UUID | None
    status: str | None
    needs_approval: bool
    goals: list[GoalOut]
    unmet_needs: list[UnmetNeedOut]


class PlanDecisionIn(Schema):
    decision: Literal["submit", "approve", "reject"]
    comment: str = Field("", max_length=2000)


def _progress_out(entry: GoalProgress) -> CareProgressOut:
    return CareProgressOut(
        at=entry.at,
        by=entry.by.username if entry.by else None,
        note=entry.note,
        from_status=entry.from_status,
        to_status=entry.to_status,
    )


def _goal_out(goal: Goal) -> GoalOut:
    return GoalOut(
        id=goal.pk,
        plan_id=goal.plan_id,
        domain=goal.domain,
        description=goal.description,
        target_on=goal.target_on,
        status=goal.status,
        progress=[_progress_out(entry) for entry in goal.progress.all()],
    )


def _plan_out(case: Case) -> CarePlanOut:
    plan = CasePlan.objects.filter(case=case).first()
    goals = list(Goal.objects.filter(case=case).prefetch_related("progress__by"))
    unmet = unmet_needs(latest_assessment(case), goals)
    return CarePlanOut(
        id=plan.pk if plan else None,
        status=plan.status if plan else None,
        needs_approval=case.org.case_plans_need_approval,
        goals=[_goal_out(goal) for goal in goals],
        unmet_needs=[UnmetNeedOut(domain=n.domain, level=n.level, goal_domain=n.goal_domain) for n in unmet],
    )


def _read_plan(request: StaffRequest, case: Case) -> CarePlanOut:
    """The plan as an answer: its goals and progress notes are part of her file, so every answer carrying
    it is an audited read of the case (as the other care records are), whether it answers a read or a
    decision on the plan."""
    record_case_view(case=case, acting_user=request.user, at=timezone.now())
    return _plan_out(case)


def _read_goal(request: StaffRequest, goal: Goal) -> GoalOut:
    """A goal as an answer, with its progress notes: an audited read of its case, like the whole plan."""
    record_case_view(case=goal.case, acting_user=request.user, at=timezone.now())
    return _goal_out(goal)


@router.get(
    "/cases/{case_id}/plan", response=CarePlanOut, summary="A case's plan: goals, progress and unmet needs"
)
@api_access(SURVIVOR_ROLES, object_kwargs=CASE)
def get_plan(request: StaffRequest, case_id: uuid.UUID) -> CarePlanOut:
    # Not `_case(..., "view")`, which records the read itself: `_read_plan` does, once.
    case = get_visible_or_404(Case.objects.select_related("org"), request.user, pk=case_id)
    return _read_plan(request, case)


@router.post("/cases/{case_id}/plan/goals", response={201: GoalOut}, summary="Add a goal to the case plan")
@api_access(SURVIVOR_ROLES, object_kwargs=CASE)
def add_goal(request: StaffRequest, case_id: uuid.UUID, payload: GoalIn) -> Status[GoalOut]:
    goal = care.add_goal(case=_case(request, case_id), **payload.dict(), **_now(request))
    return Status(201, _read_goal(request, goal))


@router.post("/goals/{goal_id}/progress", response={201: GoalOut}, summary="Record progress on a goal")
@api_access(SURVIVOR_ROLES, object_kwargs=("goal_id",))
def record_progress(request: StaffRequest, goal_id: uuid.UUID, payload: ProgressIn) -> Status[GoalOut]:
    goal = get_visible_or_404(Goal.objects.select_related("case__org"), request.user, "change", pk=goal_id)
    care.record_progress(goal=goal, status=payload.status, note=payload.note, **_now(request))
    reloaded = Goal.objects.select_related("case__org").prefetch_related("progress__by").get(pk=goal.pk)
    return Status(201, _read_goal(request, reloaded))


@router.post(
    "/plans/{plan_id}/decision",
    response=CarePlanOut,
    summary="Submit the plan for approval, or (a case manager) approve it or send it back",
)
@api_access(SURVIVOR_ROLES, object_kwargs=("plan_id",))
def plan_decision(request: StaffRequest, plan_id: uuid.UUID, payload: PlanDecisionIn) -> CarePlanOut:
    plan = get_visible_or_404(
        CasePlan.objects.select_related("case__org"), request.user, "change", pk=plan_id
    )
    apply_plan_decision(plan, payload.decision, payload.comment, **_now(request))
    return _read_plan(request, plan.case)


# --- Appointments --------------------------------------------------------------------------------------


class AppointmentIn(Schema):
    worker_id: int = Field(..., description="A membership id: someone on the case, or a case manager")
    starts_at: datetime
    duration_minutes: int = Field(60, ge=5, le=600)
    mode: Appointment.Mode = Appointment.Mode.IN_PERSON
    site_id: uuid.UUID | None = None
    language: str = Field("", max_length=16)
    interpreter_needed: bool = False
    interpreter_language: str = Field("", max_length=16)
    held: bool = Field(False, description="True to log a meeting already held, in one step")
    outcome: str = Field("", max_length=10000)


class CareConcludeIn(Schema):
    status: Literal["HELD", "MISSED", "CANCELLED"]
    outcome: str = Field("", max_length=10000)


class AppointmentOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    worker: str
    starts_at: datetime
    duration_minutes: int
    mode: str
    site_id: uuid.UUID | None
    language: str
    interpreter_needed: bool
    interpreter_language: str
    status: str
    outcome: str


def _appointment_out(appointment: Appointment) -> AppointmentOut:
    return AppointmentOut(
        id=appointment.pk,
        case_id=appointment.case_id,
        worker=appointment.worker.user.username,
        starts_at=appointment.starts_at,
        duration_minutes=appointment.duration_minutes,
        mode=appointment.mode,
        site_id=appointment.site_id,
        language=appointment.language,
        interpreter_needed=appointment.interpreter_needed,
        interpreter_language=appointment.interpreter_language,
        status=appointment.status,
        outcome=appointment.outcome,
    )


def _site(site_id: uuid.UUID | None, org_id: uuid.UUID) -> Site | None:
    if site_id is None:
        return None
    site: Site | None = Site.objects.filter(pk=site_id, org_id=org_id).first()
    if site is None:
        raise ValidationError({"site_id": _("Choose one of your sites, and only for a meeting in person.")})
    return site


@router.get("/cases/{case_id}/appointments", response=list[AppointmentOut], summary="A case's appointments")
@api_access(SURVIVOR_ROLES, object_kwargs=CASE)
def list_appointments(request: StaffRequest, case_id: uuid.UUID) -> list[AppointmentOut]:
    case = _case(request, case_id, "view")
    return [_appointment_out(a) for a in Appointment.objects.filter(case=case).select_related("worker__user")]


@router.post(
    "/cases/{case_id}/appointments",
    response={201: AppointmentOut},
    summary="Schedule an appointment, or log a meeting already held",
)
@api_access(SURVIVOR_ROLES, object_kwargs=CASE)
def record_appointment(
    request: StaffRequest, case_id: uuid.UUID, payload: AppointmentIn
) -> Status[AppointmentOut]:
    case = _case(request, case_id)
    worker = _member(payload.worker_id, "worker_id", case.org_id)
    fields = payload.dict(exclude={"worker_id", "site_id", "held"})
    status = Appointment.Status.HELD if payload.held else Appointment.Status.SCHEDULED
    appointment = care.record_appointment(
        case=case,
        worker=worker,
        site=_site(payload.site_id, case.org_id),
        status=status,
        **fields,
        **_now(request),
    )
    return Status(201, _appointment_out(appointment))


@router.post(
    "/appointments/{appointment_id}/conclude",
    response=AppointmentOut,
    summary="Mark an appointment held, missed or cancelled",
)
@api_access(SURVIVOR_ROLES, object_kwargs=("appointment_id",))
def conclude_appointment(
    request: StaffRequest, appointment_id: uuid.UUID, payload: CareConcludeIn
) -> AppointmentOut:
    appointment = get_visible_or_404(
        Appointment.objects.select_related("case__org", "worker__user"),
        request.user,
        "change",
        pk=appointment_id,
    )
    care.conclude_appointment(
        appointment=appointment, status=payload.status, outcome=payload.outcome, **_now(request)
    )
    return _appointment_out(appointment)


# --- Notes ---------------------------------------------------------------------------------------------


class NoteIn(Schema):
    text: str = Field(..., min_length=1, max_length=10000)
    appointment_id: uuid.UUID | None = None


class NoteOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    author: str | None
    written_at: datetime
    text: str
    appointment_id: uuid.UUID | None


def _note_out(note: CaseNote) -> NoteOut:
    return NoteOut(
        id=note.pk,
        case_id=note.case_id,
        author=note.author.username if note.author else None,
        written_at=note.written_at,
        text=note.text,
        appointment_id=note.appointment_id,
    )


@router.get("/cases/{case_id}/notes", response=list[NoteOut], summary="A case's notes, newest first")
@api_access(SURVIVOR_ROLES, object_kwargs=CASE)
def list_notes(request: StaffRequest, case_id: uuid.UUID) -> list[NoteOut]:
    case = _case(request, case_id, "view")
    return [_note_out(note) for note in CaseNote.objects.filter(case=case).select_related("author")]


@router.post("/cases/{case_id}/notes", response={201: NoteOut}, summary="Write a note on a case")
@api_access(SURVIVOR_ROLES, object_kwargs=CASE)
def write_note(request: StaffRequest, case_id: uuid.UUID, payload: NoteIn) -> Status[NoteOut]:
    case = _case(request, case_id)
    appointment = None
    if payload.appointment_id is not None:
        appointment = Appointment.objects.filter(pk=payload.appointment_id, case=case).first()
        if appointment is None:
            raise ValidationError({"appointment_id": _("Choose an appointment of this case.")})
    note = care.write_note(case=case, text=payload.text, appointment=appointment, **_now(request))
    return Status(201, _note_out(note))
