"""API for risk screening: the instruments, recording a screen (on a case, or on a person before any
case exists, e.g. from a hotline contact), reading a screen, re-scoring it under another version without
changing it, the organisation's scoring sheets and escalation rules, and open escalations.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

import uuid
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from haven.cases.models import Case
from haven.hotline.models import Contact
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.roles import Role
from haven.people.models import Person
from haven.people.views import SURVIVOR_ROLES
from haven.risk import actions
from haven.risk.instrument import Instrument, library
from haven.risk.models import Assessment, Escalation, EscalationRule, SafetyPlan
from haven.risk.views import SUPERVISOR_ROLES

router = Router(tags=["risk"])
ORG_MANAGERS = Role.managing_org()
RULE_READERS = ORG_MANAGERS | SUPERVISOR_ROLES


class ItemOut(Schema):
    id: str
    text: str
    answer: str
    required: bool


class LevelOut(Schema):
    code: str
    label: str


class InstrumentOut(Schema):
    id: str
    version: str
    title: str
    subject: str
    source: str
    licence: str
    notice: str
    needs_org_sheet: bool
    items: list[ItemOut]
    levels: list[LevelOut]


class RiskAssessmentIn(Schema):
    instrument: str = Field(max_length=30)
    answers: dict[str, Any]
    contact_id: uuid.UUID | None = None


class ResultOut(Schema):
    instrument: str
    instrument_version: str
    score: int
    level: str
    level_label: str
    rule: str
    explain: str


class EscalationOut(Schema):
    id: uuid.UUID
    assessment_id: uuid.UUID
    rule: str
    offer_dispatch: bool
    dispatch_taken_at: datetime | None
    notify_supervisor: bool
    acknowledged_at: datetime | None
    follow_up_id: uuid.UUID | None
    follow_up_due_on: date | None
    follow_up_needs_case: bool


class RiskAssessmentOut(ResultOut):
    id: uuid.UUID
    person_id: uuid.UUID
    case_id: uuid.UUID | None
    contact_id: uuid.UUID | None
    asked_at: datetime
    escalations: list[EscalationOut]


class AssessmentDetailOut(RiskAssessmentOut):
    answers: dict[str, Any]


class SheetIn(Schema):
    instrument: str = Field(max_length=30)
    version: str = Field(max_length=20)
    weights: dict[str, int]
    cutoffs: list[dict[str, Any]]
    certified_by: str = Field(max_length=200)


class SheetOut(Schema):
    id: uuid.UUID
    instrument: str
    instrument_version: str
    certified_by: str
    loaded_at: datetime


class RuleIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    instrument: str = Field(max_length=30)
    levels: list[str] = Field(min_length=1)
    offer_dispatch: bool = False
    notify_supervisor: bool = False
    follow_up_within_hours: int | None = Field(None, ge=0, le=24 * 30)


class RuleOut(Schema):
    id: uuid.UUID
    name: str
    instrument: str
    levels: list[str]
    offer_dispatch: bool
    notify_supervisor: bool
    follow_up_within_hours: int | None
    is_active: bool


def instrument_out(instrument: Instrument) -> dict[str, Any]:
    return {
        "id": instrument.id,
        "version": instrument.version,
        "title": _(instrument.title),
        "subject": instrument.subject,
        "source": instrument.source,
        "licence": instrument.licence,
        "notice": _(instrument.notice) if instrument.notice else "",
        "needs_org_sheet": instrument.needs_org_sheet,
        "items": [
            {"id": i.id, "text": _(i.text), "answer": i.answer, "required": i.required}
            for i in instrument.items
        ],
        "levels": [{"code": level.code, "label": _(level.label)} for level in instrument.levels],
    }


def escalation_out(escalation: Escalation) -> dict[str, Any]:
    follow_up = escalation.follow_up
    return {
        "id": escalation.pk,
        "assessment_id": escalation.assessment_id,
        "rule": escalation.rule.name,
        "offer_dispatch": escalation.offer_dispatch,
        "dispatch_taken_at": escalation.dispatch_taken_at,
        "notify_supervisor": escalation.notify_supervisor,
        "acknowledged_at": escalation.acknowledged_at,
        "follow_up_id": follow_up.pk if follow_up else None,
        "follow_up_due_on": follow_up.due_on if follow_up else None,
        "follow_up_needs_case": escalation.follow_up_needs_case,
    }


def result_out(instrument: Instrument, level: str, rule: str, score: int) -> dict[str, Any]:
    explain = next((r.explain for r in instrument.rules if r.id == rule), "")
    return {
        "instrument": instrument.id,
        "instrument_version": instrument.version,
        "score": score,
        "level": level,
        "level_label": _(instrument.level_label(level)),
        "rule": rule,
        "explain": _(explain) if explain else "",
    }


def assessment_out(assessment: Assessment, with_answers: bool = False) -> dict[str, Any]:
    instrument = assessment.instrument_used
    escalations = assessment.escalations.select_related("rule", "follow_up")
    return {
        **result_out(instrument, assessment.level, assessment.rule, assessment.score),
        "id": assessment.pk,
        "person_id": assessment.person_id,
        "case_id": assessment.case_id,
        "contact_id": assessment.contact_id,
        "asked_at": assessment.asked_at,
        "escalations": [escalation_out(escalation) for escalation in escalations],
        **({"answers": assessment.answer_data} if with_answers else {}),
    }


@router.get("/instruments", response=list[InstrumentOut])
@api_access(SURVIVOR_ROLES)
def list_instruments(request: StaffRequest) -> Any:
    return [instrument_out(instrument) for instrument in library().current()]


def _contact(request: StaffRequest, contact_id: uuid.UUID | None) -> Contact | None:
    if contact_id is None:
        return None
    # Any contact of her organisation: the hotline's own access rule is joined here when it lands.
    contact: Contact | None = Contact.objects.filter(org=request.org, pk=contact_id).first()
    if contact is None:
        raise HttpError(404, _("There is no such contact."))
    return contact


@router.post("/cases/{case_id}/assessments", response={201: RiskAssessmentOut})
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def assess_case(request: StaffRequest, case_id: uuid.UUID, payload: RiskAssessmentIn) -> Any:
    case = get_visible_or_404(
        Case.objects.select_related("survivor__org"), request.user, "change", pk=case_id
    )
    assessment = actions.record_assessment(
        person=case.survivor,
        case=case,
        contact=_contact(request, payload.contact_id),
        instrument_id=payload.instrument,
        answers=payload.answers,
        acting_user=request.user,
        at=timezone.now(),
    )
    return Status(201, assessment_out(assessment))


@router.post("/people/{person_id}/assessments", response={201: RiskAssessmentOut})
@api_access(SURVIVOR_ROLES, object_kwargs=("person_id",))
def assess_person(request: StaffRequest, person_id: uuid.UUID, payload: RiskAssessmentIn) -> Any:
    person = get_visible_or_404(Person.objects.select_related("org"), request.user, "change", pk=person_id)
    assessment = actions.record_assessment(
        person=person,
        contact=_contact(request, payload.contact_id),
        instrument_id=payload.instrument,
        answers=payload.answers,
        acting_user=request.user,
        at=timezone.now(),
    )
    return Status(201, assessment_out(assessment))


@router.get("/cases/{case_id}/assessments", response=list[RiskAssessmentOut])
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def case_assessments(request: StaffRequest, case_id: uuid.UUID) -> Any:
    case = get_visible_or_404(Case.objects.all(), request.user, pk=case_id)
    return [assessment_out(a) for a in Assessment.objects.visible_to(request.user).filter(case=case)]


@router.get("/assessments/{assessment_id}", response=AssessmentDetailOut)
@api_access(SURVIVOR_ROLES, object_kwargs=("assessment_id",))
def assessment_detail(request: StaffRequest, assessment_id: uuid.UUID) -> Any:
    assessment = get_visible_or_404(Assessment.objects.all(), request.user, pk=assessment_id)
    actions.record_assessment_view(assessment=assessment, acting_user=request.user, at=timezone.now())
    return assessment_out(assessment, with_answers=True)


@router.get("/assessments/{assessment_id}/rescore", response=ResultOut)
@api_access(SURVIVOR_ROLES, object_kwargs=("assessment_id",))
def rescore(request: StaffRequest, assessment_id: uuid.UUID, version: str | None = None) -> Any:
    """The result these answers give under `version` (default: the newest); nothing is stored."""
    assessment = get_visible_or_404(Assessment.objects.all(), request.user, pk=assessment_id)
    instrument, result = actions.rescore(assessment, version)
    return result_out(instrument, result.level, result.rule, result.score)


@router.post("/risk/scoring-sheets", response={201: SheetOut})
@api_access(ORG_MANAGERS)
def load_sheet(request: StaffRequest, payload: SheetIn) -> Any:
    sheet = actions.load_scoring_sheet(
        org=request.org,
        instrument_id=payload.instrument,
        version=payload.version,
        sheet={"weights": payload.weights, "cutoffs": payload.cutoffs},
        certified_by=payload.certified_by,
        acting_user=request.user,
        at=timezone.now(),
    )
    return Status(201, sheet)


@router.get("/risk/escalation-rules", response=list[RuleOut])
@api_access(RULE_READERS)
def list_rules(request: StaffRequest) -> Any:
    return EscalationRule.objects.visible_to(request.user)


@router.post("/risk/escalation-rules", response={201: RuleOut})
@api_access(ORG_MANAGERS)
def create_rule(request: StaffRequest, payload: RuleIn) -> Any:
    rule = actions.create_escalation_rule(
        org=request.org,
        name=payload.name,
        instrument_id=payload.instrument,
        levels=payload.levels,
        offer_dispatch=payload.offer_dispatch,
        notify_supervisor=payload.notify_supervisor,
        follow_up_within_hours=payload.follow_up_within_hours,
        acting_user=request.user,
        at=timezone.now(),
    )
    return Status(201, rule)


@router.get("/risk/escalations", response=list[EscalationOut])
@api_access(SURVIVOR_ROLES)
def open_escalations(request: StaffRequest) -> Any:
    """Escalations of the screens the user sees that still wait for a supervisor or a dispatch."""
    visible = Escalation.objects.visible_to(request.user).select_related("rule", "follow_up")
    waiting = visible.awaiting_supervisor() | visible.open_dispatch_offers()
    return [escalation_out(escalation) for escalation in waiting.distinct()]


class SafetyPlanIn(Schema):
    language: str = Field(max_length=10)
    review_on: date
    safe_places: str = Field("", max_length=4000)
    people_to_call: str = Field("", max_length=4000)
    documents_and_money: str = Field("", max_length=4000)
    children: str = Field("", max_length=4000)
    technology: str = Field("", max_length=4000)
    code_word: str = Field("", max_length=200)


class SafetyPlanOut(SafetyPlanIn):
    id: uuid.UUID
    case_id: uuid.UUID
    reviewed_at: datetime


def plan_out(plan: SafetyPlan) -> dict[str, Any]:
    fields = ("id", "case_id", "language", "review_on", "reviewed_at", *SafetyPlan.SECTIONS)
    return {name: getattr(plan, name) for name in fields}


@router.get("/cases/{case_id}/safety-plan", response=SafetyPlanOut | None)
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def read_safety_plan(request: StaffRequest, case_id: uuid.UUID) -> Any:
    """Her plan, or null when none is written yet."""
    case = get_visible_or_404(Case.objects.all(), request.user, pk=case_id)
    plan = SafetyPlan.objects.filter(case=case).first()
    if plan is None:
        return None
    actions.record_safety_plan_view(plan=plan, acting_user=request.user, at=timezone.now())
    return plan_out(plan)


@router.put("/cases/{case_id}/safety-plan", response=SafetyPlanOut)
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def write_safety_plan(request: StaffRequest, case_id: uuid.UUID, payload: SafetyPlanIn) -> Any:
    """Write or review her plan (saving is a review)."""
    case = get_visible_or_404(Case.objects.select_related("org"), request.user, "change", pk=case_id)
    if payload.language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages Haven speaks.")})
    plan = actions.save_safety_plan(
        case=case,
        language=payload.language,
        review_on=payload.review_on,
        sections=payload.dict(),
        acting_user=request.user,
        at=timezone.now(),
    )
    return plan_out(plan)
