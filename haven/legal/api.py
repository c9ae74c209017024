"""API for legal aid: a case's matters (open, read, move, assign a lawyer, record the outcome), hearings
(schedule, record the result), consultations, and the advocates panel.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Reading a matter's detail is audited (`legal.view`), like opening its page. Bad input answers 422 with
field-level, translated messages (the verbs raise them).
"""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from haven.cases.models import Case
from haven.legal import actions, queries
from haven.legal.models import (
    OPENING_ROLES,
    PANEL_ROLES,
    Advocate,
    Consultation,
    Hearing,
    Matter,
    MatterKind,
)
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.orgs.validation import LocalDateTime
from haven.people.views import SURVIVOR_ROLES
from haven.web.openapi import SchemaName

OpposingPartyRelationship = Annotated[Matter.Relationship, SchemaName("OpposingPartyRelationship")]
MatterOutcome = Annotated[Matter.Outcome, SchemaName("MatterOutcome")]
ConsultationModality = Annotated[Consultation.Modality, SchemaName("ConsultationModality")]
ConsultationStatus = Annotated[Consultation.Status, SchemaName("ConsultationStatus")]
AdvocateKind = Annotated[Advocate.Kind, SchemaName("AdvocateKind")]


router = Router(tags=["legal"])

LAWYERS = frozenset({Role.LAWYER})
ASSIGN_ROLES = frozenset({Role.LAWYER, Role.CENTRE_MANAGER})
PANEL_VIEW_ROLES = SURVIVOR_ROLES | PANEL_ROLES
MATTER = ("legal_matter_id",)


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


# --- schemas -------------------------------------------------------------------------------------------


class MatterIn(Schema):
    kind: MatterKind
    opened_on: date | None = Field(None, description="Default: today")
    court: str = Field("", max_length=200)
    court_number: str = Field("", max_length=60)
    opposing_party_name: str = Field("", max_length=300)
    opposing_party_relationship: OpposingPartyRelationship | None = None
    notes: str = Field("", max_length=10000)
    advocate_id: uuid.UUID | None = None


class LegalTransitionIn(Schema):
    verb: str = Field(description="file, to_court or reopen")
    comment: str = Field("", max_length=2000)


class LegalAssignIn(Schema):
    advocate_id: uuid.UUID


class LegalOutcomeIn(Schema):
    outcome: MatterOutcome
    closed_on: date | None = Field(None, description="Default: today")
    notes: str = Field("", max_length=10000)


class HearingIn(Schema):
    starts_at: LocalDateTime
    purpose: Hearing.Purpose
    court: str = Field("", max_length=200, description="Default: the matter's court")


class ResultIn(Schema):
    result: Hearing.Result
    note: str = Field("", max_length=10000)
    next_starts_at: LocalDateTime | None = None
    next_purpose: Hearing.Purpose | None = None


class ConsultationIn(Schema):
    advocate_id: uuid.UUID
    matter_id: uuid.UUID | None = None
    held_at: LocalDateTime
    modality: ConsultationModality
    duration_minutes: int | None = Field(None, ge=5, le=600)
    notes: str = Field("", max_length=10000)


class LegalConcludeIn(Schema):
    status: ConsultationStatus


class AdvocateIn(Schema):
    kind: AdvocateKind
    membership_id: int | None = Field(None, description="For an in-house lawyer")
    name: str = Field("", max_length=200, description="For an external advocate")
    registration_number: str = Field("", max_length=60)
    empanelled_by: str = Field("", max_length=200)
    contact: str = Field("", max_length=200)
    languages: list[str] = Field(default_factory=list, max_length=20)
    areas: list[MatterKind] = Field(default_factory=list)
    accepting_new: bool = True
    max_active_matters: int = Field(15, ge=1, le=500)


class AdvocatePatch(Schema):
    name: str | None = Field(None, max_length=200)
    registration_number: str | None = Field(None, max_length=60)
    empanelled_by: str | None = Field(None, max_length=200)
    contact: str | None = Field(None, max_length=200)
    languages: list[str] | None = Field(None, max_length=20)
    areas: list[MatterKind] | None = None
    accepting_new: bool | None = None
    max_active_matters: int | None = Field(None, ge=1, le=500)
    is_active: bool | None = None


class AdvocateOut(Schema):
    id: uuid.UUID
    kind: str
    name: str
    membership_id: int | None
    registration_number: str
    empanelled_by: str
    contact: str
    languages: list[str]
    areas: list[str]
    accepting_new: bool
    max_active_matters: int
    is_active: bool
    active_matters: int


class MatterOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    reference: str
    kind: str
    court: str
    status: str
    outcome: str
    advocate_id: uuid.UUID | None
    opened_on: date
    closed_on: date | None
    next_hearing_at: datetime | None


class HearingOut(Schema):
    id: uuid.UUID
    matter_id: uuid.UUID
    starts_at: datetime
    court: str
    purpose: str
    result: str
    result_note: str
    next_hearing_id: uuid.UUID | None


class ConsultationOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    matter_id: uuid.UUID | None
    advocate_id: uuid.UUID
    held_at: datetime
    modality: str
    duration_minutes: int | None
    status: str
    service_id: uuid.UUID | None
    notes: str


class LegalTransitionOut(Schema):
    from_status: str
    to_status: str
    at: datetime
    reason_code: str


class MatterDetailOut(MatterOut):
    court_number: str
    opposing_party_name: str
    opposing_party_relationship: str
    notes: str
    outcome_notes: str
    hearings: list[HearingOut]
    consultations: list[ConsultationOut]
    transitions: list[LegalTransitionOut]


# --- helpers -------------------------------------------------------------------------------------------


def _case(request: StaffRequest, case_id: uuid.UUID, action: str = "view") -> Case:
    case: Case = get_visible_or_404(Case.objects.select_related("org"), request.user, action, pk=case_id)
    return case


def _matter(request: StaffRequest, matter_id: uuid.UUID, action: str = "view") -> Matter:
    queryset = Matter.objects.select_related("org", "case__org")
    matter: Matter = get_visible_or_404(queryset, request.user, action, pk=matter_id)
    return matter


def _advocate(request: StaffRequest, advocate_id: uuid.UUID, field: str = "advocate_id") -> Advocate:
    """An advocate of the caller's panel named in a body: an unknown one is a field error, not a 404."""
    advocate: Advocate | None = Advocate.objects.visible_to(request.user).filter(pk=advocate_id).first()
    if advocate is None:
        raise ValidationError({field: _("Choose a lawyer of your panel.")})
    return advocate


def _matter_out(matter: Matter, schema: Any = MatterOut, **extra: Any) -> Any:
    return schema(
        id=matter.pk,
        case_id=matter.case_id,
        reference=matter.reference,
        kind=matter.kind,
        court=matter.court,
        status=matter.status,
        outcome=matter.outcome,
        advocate_id=matter.advocate_id,
        opened_on=matter.opened_on,
        closed_on=matter.closed_on,
        next_hearing_at=getattr(matter, "next_hearing_at", None),
        **extra,
    )


def _hearing_out(hearing: Hearing) -> HearingOut:
    return HearingOut(
        id=hearing.pk,
        matter_id=hearing.matter_id,
        starts_at=hearing.starts_at,
        court=hearing.court,
        purpose=hearing.purpose,
        result=hearing.result,
        result_note=hearing.result_note,
        next_hearing_id=hearing.next_hearing_id,
    )


def _consultation_out(consultation: Consultation) -> ConsultationOut:
    return ConsultationOut(
        id=consultation.pk,
        case_id=consultation.case_id,
        matter_id=consultation.matter_id,
        advocate_id=consultation.advocate_id,
        held_at=consultation.held_at,
        modality=consultation.modality,
        duration_minutes=consultation.duration_minutes,
        status=consultation.status,
        service_id=consultation.service_id,
        notes=consultation.notes,
    )


def _detail(request: StaffRequest, matter_id: uuid.UUID) -> MatterDetailOut:
    """The full legal file; reading it is a read entry in the audit log."""
    matter = _matter(request, matter_id)
    actions.record_matter_view(matter=matter, **_now(request))
    consultations = Consultation.objects.visible_to(request.user).filter(matter=matter)
    result: MatterDetailOut = _matter_out(
        matter,
        MatterDetailOut,
        court_number=matter.court_number,
        opposing_party_name=matter.opposing_party_name,
        opposing_party_relationship=matter.opposing_party_relationship,
        notes=matter.notes,
        outcome_notes=matter.outcome_notes,
        hearings=[_hearing_out(h) for h in matter.hearings.order_by("starts_at")],
        consultations=[_consultation_out(c) for c in consultations],
        transitions=[
            LegalTransitionOut(
                from_status=t.from_status, to_status=t.to_status, at=t.at, reason_code=t.reason_code
            )
            for t in matter.transitions.order_by("at")
        ],
    )
    return result


def _advocate_out(advocate: Advocate) -> AdvocateOut:
    workload = getattr(advocate, "workload", None)
    return AdvocateOut(
        id=advocate.pk,
        kind=advocate.kind,
        name=advocate.name,
        membership_id=advocate.membership_id,
        registration_number=advocate.registration_number,
        empanelled_by=advocate.empanelled_by,
        contact=advocate.contact,
        languages=advocate.languages,
        areas=advocate.areas,
        accepting_new=advocate.accepting_new,
        max_active_matters=advocate.max_active_matters,
        is_active=advocate.is_active,
        active_matters=workload if workload is not None else actions.active_matters(advocate),
    )


# --- matters -------------------------------------------------------------------------------------------


@router.get("/cases/{case_id}/matters", response=list[MatterOut], summary="Legal matters of a case")
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def list_matters(request: StaffRequest, case_id: uuid.UUID) -> list[MatterOut]:
    case = _case(request, case_id)
    return [_matter_out(m) for m in queries.matters_of_case(request.user, case.pk, timezone.now())]


@router.post("/cases/{case_id}/matters", response={201: MatterDetailOut}, summary="Open a legal matter")
@api_access(OPENING_ROLES, object_kwargs=("case_id",))
def open_matter(request: StaffRequest, case_id: uuid.UUID, payload: MatterIn) -> Status[MatterDetailOut]:
    case = _case(request, case_id, "change")
    advocate = _advocate(request, payload.advocate_id) if payload.advocate_id else None
    matter = actions.open_matter(
        case=case,
        kind=payload.kind,
        opened_on=payload.opened_on or timezone.localdate(),
        court=payload.court,
        court_number=payload.court_number,
        opposing_party_name=payload.opposing_party_name,
        opposing_party_relationship=payload.opposing_party_relationship or "",
        notes=payload.notes,
        advocate=advocate,
        **_now(request),
    )
    return Status(201, _detail(request, matter.pk))


@router.get("/matters/{legal_matter_id}", response=MatterDetailOut, summary="One legal matter (audited read)")
@api_access(SURVIVOR_ROLES, object_kwargs=MATTER)
def get_matter(request: StaffRequest, legal_matter_id: uuid.UUID) -> MatterDetailOut:
    return _detail(request, legal_matter_id)


@router.post("/matters/{legal_matter_id}/transition", response=MatterOut, summary="File, go to court, reopen")
@api_access(LAWYERS, object_kwargs=MATTER)
def transition_matter(
    request: StaffRequest, legal_matter_id: uuid.UUID, payload: LegalTransitionIn
) -> MatterOut:
    matter = _matter(request, legal_matter_id, "change")
    result: MatterOut = _matter_out(
        actions.transition_matter(matter=matter, verb=payload.verb, comment=payload.comment, **_now(request))
    )
    return result


@router.post(
    "/matters/{legal_matter_id}/advocate", response=MatterOut, summary="Assign a lawyer of the panel"
)
@api_access(ASSIGN_ROLES, object_kwargs=MATTER)
def assign_advocate(request: StaffRequest, legal_matter_id: uuid.UUID, payload: LegalAssignIn) -> MatterOut:
    matter = _matter(request, legal_matter_id, "assign")
    advocate = _advocate(request, payload.advocate_id)
    result: MatterOut = _matter_out(
        actions.assign_advocate(matter=matter, advocate=advocate, **_now(request))
    )
    return result


@router.post("/matters/{legal_matter_id}/outcome", response=MatterOut, summary="Record the outcome and close")
@api_access(LAWYERS, object_kwargs=MATTER)
def record_outcome(request: StaffRequest, legal_matter_id: uuid.UUID, payload: LegalOutcomeIn) -> MatterOut:
    matter = _matter(request, legal_matter_id, "change")
    closed = actions.record_outcome(
        matter=matter,
        outcome=payload.outcome,
        closed_on=payload.closed_on or timezone.localdate(),
        notes=payload.notes,
        **_now(request),
    )
    result: MatterOut = _matter_out(closed)
    return result


# --- hearings ------------------------------------------------------------------------------------------


@router.post("/matters/{legal_matter_id}/hearings", response={201: HearingOut}, summary="Schedule a hearing")
@api_access(LAWYERS, object_kwargs=MATTER)
def schedule_hearing(
    request: StaffRequest, legal_matter_id: uuid.UUID, payload: HearingIn
) -> Status[HearingOut]:
    matter = _matter(request, legal_matter_id, "change")
    hearing = actions.schedule_hearing(
        matter=matter,
        starts_at=payload.starts_at,
        purpose=payload.purpose,
        court=payload.court,
        **_now(request),
    )
    return Status(201, _hearing_out(hearing))


@router.post("/hearings/{legal_hearing_id}/result", response=HearingOut, summary="Record a hearing's result")
@api_access(LAWYERS, object_kwargs=("legal_hearing_id",))
def record_result(request: StaffRequest, legal_hearing_id: uuid.UUID, payload: ResultIn) -> HearingOut:
    queryset = Hearing.objects.select_related("matter__org")
    hearing: Hearing = get_visible_or_404(queryset, request.user, "change", pk=legal_hearing_id)
    recorded = actions.record_hearing_result(
        hearing=hearing,
        result=payload.result,
        note=payload.note,
        next_starts_at=payload.next_starts_at,
        next_purpose=payload.next_purpose or "",
        **_now(request),
    )
    return _hearing_out(recorded)


# --- consultations -------------------------------------------------------------------------------------


@router.get("/cases/{case_id}/consultations", response=list[ConsultationOut], summary="Legal consultations")
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def list_consultations(request: StaffRequest, case_id: uuid.UUID) -> list[ConsultationOut]:
    case = _case(request, case_id)
    consultations = list(Consultation.objects.visible_to(request.user).filter(case=case))
    # Their notes are part of her legal file: each one listed is a read entry, as on the matter's page.
    for consultation in consultations:
        actions.record_consultation_view(consultation=consultation, org=case.org, **_now(request))
    return [_consultation_out(c) for c in consultations]


@router.post("/cases/{case_id}/consultations", response={201: ConsultationOut}, summary="Log a consultation")
@api_access(LAWYERS, object_kwargs=("case_id",))
def log_consultation(
    request: StaffRequest, case_id: uuid.UUID, payload: ConsultationIn
) -> Status[ConsultationOut]:
    case = _case(request, case_id, "change")
    matter = None
    if payload.matter_id is not None:
        matter = Matter.objects.visible_to(request.user).filter(pk=payload.matter_id, case=case).first()
        if matter is None:
            raise ValidationError({"matter_id": _("Choose a matter of this case.")})
    consultation = actions.log_consultation(
        case=case,
        matter=matter,
        advocate=_advocate(request, payload.advocate_id),
        held_at=payload.held_at,
        modality=payload.modality,
        duration_minutes=payload.duration_minutes,
        notes=payload.notes,
        **_now(request),
    )
    return Status(201, _consultation_out(consultation))


@router.post(
    "/consultations/{legal_consultation_id}/conclude",
    response=ConsultationOut,
    summary="Mark a scheduled consultation held, missed or cancelled",
)
@api_access(LAWYERS, object_kwargs=("legal_consultation_id",))
def conclude_consultation(
    request: StaffRequest, legal_consultation_id: uuid.UUID, payload: LegalConcludeIn
) -> ConsultationOut:
    queryset = Consultation.objects.select_related("case__org")
    consultation: Consultation = get_visible_or_404(
        queryset, request.user, "change", pk=legal_consultation_id
    )
    return _consultation_out(
        actions.conclude_consultation(consultation=consultation, status=payload.status, **_now(request))
    )


# --- the advocates panel -------------------------------------------------------------------------------


@router.get("/advocates", response=list[AdvocateOut], summary="The advocates panel with workload")
@api_access(PANEL_VIEW_ROLES)
def list_advocates(request: StaffRequest) -> list[AdvocateOut]:
    return [_advocate_out(a) for a in queries.panel(request.user)]


@router.post("/advocates", response={201: AdvocateOut}, summary="Add a lawyer to the panel")
@api_access(PANEL_ROLES)
def add_advocate(request: StaffRequest, payload: AdvocateIn) -> Status[AdvocateOut]:
    membership = None
    if payload.membership_id is not None:
        membership = Membership.objects.filter(org=request.org, pk=payload.membership_id).first()
        if membership is None:
            raise ValidationError({"membership_id": _("Choose an active member of your own organisation.")})
    advocate = actions.add_advocate(
        org=request.org,
        kind=payload.kind,
        membership=membership,
        name=payload.name,
        registration_number=payload.registration_number,
        empanelled_by=payload.empanelled_by,
        contact=payload.contact,
        languages=payload.languages,
        areas=[str(area) for area in payload.areas],
        accepting_new=payload.accepting_new,
        max_active_matters=payload.max_active_matters,
        **_now(request),
    )
    return Status(201, _advocate_out(advocate))


@router.patch("/advocates/{legal_advocate_id}", response=AdvocateOut, summary="Change an advocate's details")
@api_access(PANEL_ROLES, object_kwargs=("legal_advocate_id",))
def update_advocate(
    request: StaffRequest, legal_advocate_id: uuid.UUID, payload: AdvocatePatch
) -> AdvocateOut:
    advocate: Advocate = get_visible_or_404(
        Advocate.objects.select_related("org"), request.user, "change", pk=legal_advocate_id
    )
    changes = payload.dict(exclude_unset=True)
    if "areas" in changes and changes["areas"] is not None:
        changes["areas"] = [str(area) for area in changes["areas"]]
    changes = {name: value for name, value in changes.items() if value is not None}
    return _advocate_out(actions.update_advocate(advocate=advocate, changes=changes, **_now(request)))
