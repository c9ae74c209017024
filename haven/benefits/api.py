"""API of the benefits core: programmes (with rule versions and counts), cycles (open, generate with
progress, approve, coverage), the registry (list without names, search by NID or phone, a beneficiary's
file — audited), enrolment, exits, and the beneficiaries-by-area statistics.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Quantities are JSON strings ("30.00"). Bad input is a 422 with the verb's sentence, field by field.
"""

import uuid
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from haven.benefits import actions, cycles, queries
from haven.benefits.models import (
    APPROVING_ROLES,
    PROGRAMME_ROLES,
    Beneficiary,
    Cycle,
    Enrolment,
    Programme,
    RuleSet,
)
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Area

router = Router(tags=["benefits"])

PROGRAMME = ("benefit_programme_id",)
CYCLE = ("benefit_cycle_id",)
BENEFICIARY = ("beneficiary_id",)
ENROLMENT = ("benefit_enrolment_id",)


# --- schemas -------------------------------------------------------------------------------------------


class ProgrammeIn(Schema):
    code: str = Field(min_length=1, max_length=30, description="Short name, e.g. vwb")
    name: str = Field(min_length=1, max_length=200)
    benefit_kind: Programme.BenefitKind
    target_level: Programme.TargetLevel
    duration_months: int = Field(ge=1, le=actions.MAX_DURATION_MONTHS)
    item: str = Field(min_length=1, max_length=40, description="e.g. rice, or the currency code BDT")
    quantity_per_cycle: Decimal
    unit: str = Field(min_length=1, max_length=12)
    applications_open_day: int | None = Field(None, ge=1, le=31)
    applications_close_day: int | None = Field(None, ge=1, le=31)
    is_active: bool = True


class ProgrammePatch(Schema):
    code: str | None = Field(None, min_length=1, max_length=30)
    name: str | None = Field(None, min_length=1, max_length=200)
    benefit_kind: Programme.BenefitKind | None = None
    target_level: Programme.TargetLevel | None = None
    duration_months: int | None = Field(None, ge=1, le=actions.MAX_DURATION_MONTHS)
    item: str | None = Field(None, min_length=1, max_length=40)
    quantity_per_cycle: Decimal | None = None
    unit: str | None = Field(None, min_length=1, max_length=12)
    applications_open_day: int | None = Field(None, ge=1, le=31)
    applications_close_day: int | None = Field(None, ge=1, le=31)
    is_active: bool | None = None


class ProgrammeOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    benefit_kind: str
    target_level: str
    duration_months: int
    item: str
    quantity_per_cycle: Decimal
    unit: str
    applications_open_day: int | None
    applications_close_day: int | None
    is_active: bool


class RuleSetIn(Schema):
    eligibility: list[dict[str, Any]]
    priority: list[dict[str, Any]] = []
    exclusions: list[dict[str, Any]] = []
    note: str = Field("", max_length=300)


class RuleSetOut(Schema):
    id: uuid.UUID
    version: int
    eligibility: list[Any]
    priority: list[Any]
    exclusions: list[Any]
    note: str
    created_at: datetime


class ProgrammeDetailOut(ProgrammeOut):
    enrolments: dict[str, int]
    rule_sets: list[RuleSetOut]


class BenefitCycleIn(Schema):
    month: date = Field(description="Any day of the month")


class BenefitProgressOut(Schema):
    status: str
    running: bool
    done: int
    total: int
    percent: int
    entitlements: int


class CycleOut(Schema):
    id: uuid.UUID
    programme_id: uuid.UUID
    month: date
    status: str
    entitlement_count: int
    approved_at: datetime | None


class CoverageOut(Schema):
    area_id: uuid.UUID | None
    area: str
    covered: int
    entitled: int
    missing: int


class CycleDetailOut(CycleOut):
    progress: BenefitProgressOut
    coverage: list[CoverageOut]


class BeneficiaryRowOut(Schema):
    id: uuid.UUID
    registry_number: str
    area_id: uuid.UUID
    area: str
    age_band: str


class BenefitSearchIn(Schema):
    national_id: str = Field("", max_length=40)
    phone: str = Field("", max_length=40)


class RegistryQuery(Schema):
    area_id: uuid.UUID | None = None


class BenefitEnrolmentOut(Schema):
    id: uuid.UUID
    programme_id: uuid.UUID
    beneficiary_id: uuid.UUID
    card_number: str
    status: str
    starts_on: date
    ends_on: date
    exited_on: date | None
    exit_reason: str


class EntitlementOut(Schema):
    cycle_id: uuid.UUID
    month: date
    programme_id: uuid.UUID
    item: str
    quantity: Decimal
    status: str


class BeneficiaryOut(BeneficiaryRowOut):
    name: str
    phone: str
    born_on: date | None
    enrolments: list[BenefitEnrolmentOut]
    entitlements: list[EntitlementOut]


class BenefitEnrolIn(Schema):
    programme_id: uuid.UUID
    card_number: str = Field(min_length=1, max_length=30)
    starts_on: date = Field(description="Any day of her first month")


class ExitIn(Schema):
    reason: Enrolment.ExitReason
    on: date


class ExitOut(BenefitEnrolmentOut):
    cancelled_entitlements: int
    due_in_approved_cycles: int


class ClosedOut(Schema):
    closed: int


class AreaCountOut(Schema):
    area_id: uuid.UUID
    area: str
    registered: int
    enrolled: int


class StatisticsQuery(Schema):
    programme_id: uuid.UUID | None = None


# --- helpers -------------------------------------------------------------------------------------------


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _programme(request: StaffRequest, programme_id: uuid.UUID) -> Programme:
    found: Programme = get_visible_or_404(
        Programme.objects.select_related("org"), request.user, pk=programme_id
    )
    return found


def _cycle(request: StaffRequest, cycle_id: uuid.UUID, action: str = "view") -> Cycle:
    found: Cycle = get_visible_or_404(
        Cycle.objects.select_related("programme__org"), request.user, action, pk=cycle_id
    )
    return found


def _beneficiary(request: StaffRequest, beneficiary_id: uuid.UUID) -> Beneficiary:
    found: Beneficiary = get_visible_or_404(
        Beneficiary.objects.select_related("org", "person__org", "area"), request.user, pk=beneficiary_id
    )
    return found


def _programme_out(programme: Programme) -> ProgrammeOut:
    return ProgrammeOut(
        id=programme.pk, **{name: getattr(programme, name) for name in actions.PROGRAMME_FIELDS}
    )


def _rule_set_out(rule_set: RuleSet) -> RuleSetOut:
    return RuleSetOut(
        id=rule_set.pk,
        version=rule_set.version,
        eligibility=rule_set.eligibility,
        priority=rule_set.priority,
        exclusions=rule_set.exclusions,
        note=rule_set.note,
        created_at=rule_set.created_at,
    )


def _detail_out(programme: Programme) -> ProgrammeDetailOut:
    return ProgrammeDetailOut(
        **_programme_out(programme).dict(),
        enrolments=queries.enrolment_counts(programme),
        rule_sets=[_rule_set_out(r) for r in programme.rule_sets.all()],
    )


def _cycle_out(cycle: Cycle) -> CycleOut:
    return CycleOut(
        id=cycle.pk,
        programme_id=cycle.programme_id,
        month=cycle.month,
        status=cycle.status,
        entitlement_count=cycle.entitlement_count,
        approved_at=cycle.approved_at,
    )


def _row_out(beneficiary: Beneficiary, today: date) -> BeneficiaryRowOut:
    return BeneficiaryRowOut(
        id=beneficiary.pk,
        registry_number=beneficiary.registry_number,
        area_id=beneficiary.area_id,
        area=beneficiary.area.name,
        age_band=queries.age_band(getattr(beneficiary, "born_on", None), today),
    )


def _enrolment_out(enrolment: Enrolment) -> BenefitEnrolmentOut:
    return BenefitEnrolmentOut(
        id=enrolment.pk,
        programme_id=enrolment.programme_id,
        beneficiary_id=enrolment.beneficiary_id,
        card_number=enrolment.card_number,
        status=enrolment.status,
        starts_on=enrolment.starts_on,
        ends_on=enrolment.ends_on,
        exited_on=enrolment.exited_on,
        exit_reason=enrolment.exit_reason,
    )


# --- programmes ----------------------------------------------------------------------------------------


@router.get("/benefits/programmes", response=list[ProgrammeOut], summary="The organisation's programmes")
@api_access(PROGRAMME_ROLES)
def list_programmes(request: StaffRequest) -> list[ProgrammeOut]:
    return [_programme_out(p) for p in queries.programmes(request.user)]


@router.post("/benefits/programmes", response={201: ProgrammeOut}, summary="Set up a programme")
@api_access(PROGRAMME_ROLES)
def create_programme(request: StaffRequest, payload: ProgrammeIn) -> Status[ProgrammeOut]:
    programme = actions.create_programme(org=request.org, **payload.dict(), **_now(request))
    return Status(201, _programme_out(programme))


@router.get(
    "/benefits/programmes/{benefit_programme_id}",
    response=ProgrammeDetailOut,
    summary="A programme, its rule versions and enrolment counts",
)
@api_access(PROGRAMME_ROLES, object_kwargs=PROGRAMME)
def get_programme(request: StaffRequest, benefit_programme_id: uuid.UUID) -> ProgrammeDetailOut:
    return _detail_out(_programme(request, benefit_programme_id))


@router.patch(
    "/benefits/programmes/{benefit_programme_id}", response=ProgrammeDetailOut, summary="Change a programme"
)
@api_access(PROGRAMME_ROLES, object_kwargs=PROGRAMME)
def update_programme(
    request: StaffRequest, benefit_programme_id: uuid.UUID, payload: ProgrammePatch
) -> ProgrammeDetailOut:
    programme = _programme(request, benefit_programme_id)
    changes = {name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None}
    actions.update_programme(programme=programme, changes=changes, **_now(request))
    return _detail_out(programme)


@router.post(
    "/benefits/programmes/{benefit_programme_id}/rule-sets",
    response={201: RuleSetOut},
    summary="Publish the next version of the programme's rules",
)
@api_access(PROGRAMME_ROLES, object_kwargs=PROGRAMME)
def publish_rule_set(
    request: StaffRequest, benefit_programme_id: uuid.UUID, payload: RuleSetIn
) -> Status[RuleSetOut]:
    programme = _programme(request, benefit_programme_id)
    rule_set = actions.publish_rule_set(programme=programme, **payload.dict(), **_now(request))
    return Status(201, _rule_set_out(rule_set))


@router.post(
    "/benefits/programmes/{benefit_programme_id}/exit-completed",
    response=ClosedOut,
    summary="Close the enrolments whose last month has passed",
)
@api_access(PROGRAMME_ROLES, object_kwargs=PROGRAMME)
def exit_completed(request: StaffRequest, benefit_programme_id: uuid.UUID) -> ClosedOut:
    programme = _programme(request, benefit_programme_id)
    now = _now(request)
    closed = actions.exit_completed_enrolments(programme=programme, on=timezone.localdate(now["at"]), **now)
    return ClosedOut(closed=closed)


# --- cycles --------------------------------------------------------------------------------------------


@router.get(
    "/benefits/programmes/{benefit_programme_id}/cycles",
    response=list[CycleOut],
    summary="A programme's cycles",
)
@api_access(PROGRAMME_ROLES, object_kwargs=PROGRAMME)
def list_cycles(request: StaffRequest, benefit_programme_id: uuid.UUID) -> list[CycleOut]:
    programme = _programme(request, benefit_programme_id)
    return [_cycle_out(c) for c in programme.cycles.all()]


@router.post(
    "/benefits/programmes/{benefit_programme_id}/cycles",
    response={201: CycleOut},
    summary="Open the cycle of a month",
)
@api_access(PROGRAMME_ROLES, object_kwargs=PROGRAMME)
def open_cycle(
    request: StaffRequest, benefit_programme_id: uuid.UUID, payload: BenefitCycleIn
) -> Status[CycleOut]:
    programme = _programme(request, benefit_programme_id)
    cycle = cycles.open_cycle(programme=programme, month=payload.month, **_now(request))
    return Status(201, _cycle_out(cycle))


@router.get(
    "/benefits/cycles/{benefit_cycle_id}",
    response=CycleDetailOut,
    summary="A cycle, its progress and coverage",
)
@api_access(PROGRAMME_ROLES, object_kwargs=CYCLE)
def get_cycle(request: StaffRequest, benefit_cycle_id: uuid.UUID) -> CycleDetailOut:
    cycle = _cycle(request, benefit_cycle_id)
    return CycleDetailOut(
        **_cycle_out(cycle).dict(),
        progress=BenefitProgressOut(**cycles.progress_of(cycle)),
        coverage=[CoverageOut(**asdict(row)) for row in queries.cycle_coverage(cycle)],
    )


@router.post(
    "/benefits/cycles/{benefit_cycle_id}/generate",
    response=BenefitProgressOut,
    summary="Generate (or resume generating) the cycle's entitlements in the background",
)
@api_access(PROGRAMME_ROLES, object_kwargs=CYCLE)
def generate_cycle(request: StaffRequest, benefit_cycle_id: uuid.UUID) -> BenefitProgressOut:
    from haven.benefits.tasks import generate_cycle as task

    cycle = _cycle(request, benefit_cycle_id)
    cycles.start_generation(cycle=cycle, **_now(request))
    cycle_id, user_id = str(cycle.pk), request.user.pk
    transaction.on_commit(lambda: task.enqueue(cycle_id, user_id))
    return BenefitProgressOut(**cycles.progress_of(cycle))


@router.get(
    "/benefits/cycles/{benefit_cycle_id}/progress",
    response=BenefitProgressOut,
    summary="How far the generation is",
)
@api_access(PROGRAMME_ROLES, object_kwargs=CYCLE)
def cycle_progress(request: StaffRequest, benefit_cycle_id: uuid.UUID) -> BenefitProgressOut:
    return BenefitProgressOut(**cycles.progress_of(_cycle(request, benefit_cycle_id)))


@router.post(
    "/benefits/cycles/{benefit_cycle_id}/approve", response=CycleOut, summary="Approve the cycle as a whole"
)
@api_access(APPROVING_ROLES, object_kwargs=CYCLE)
def approve_cycle(request: StaffRequest, benefit_cycle_id: uuid.UUID) -> CycleOut:
    cycle = cycles.approve_cycle(cycle=_cycle(request, benefit_cycle_id, "approve"), **_now(request))
    return _cycle_out(cycle)


# --- the registry --------------------------------------------------------------------------------------


@router.get("/benefits/beneficiaries", response=list[BeneficiaryRowOut], summary="The registry (no names)")
@api_access(PROGRAMME_ROLES)
def list_beneficiaries(request: StaffRequest, filters: Query[RegistryQuery]) -> list[BeneficiaryRowOut]:
    area = None
    if filters.area_id is not None:
        area = get_visible_or_404(Area.objects.all(), request.user, pk=filters.area_id)
    today = timezone.localdate()
    return [_row_out(b, today) for b in queries.registry(request.user, area)[:500]]


# A search is a POST: an NID or a phone never sits in a URL, where access logs and proxies keep it.
@router.post(
    "/benefits/beneficiaries/search",
    response=list[BeneficiaryRowOut],
    summary="Find beneficiaries by national ID or phone",
)
@api_access(PROGRAMME_ROLES)
def search_beneficiaries(request: StaffRequest, payload: BenefitSearchIn) -> list[BeneficiaryRowOut]:
    today = timezone.localdate()
    found = queries.find_beneficiaries(request.user, national_id=payload.national_id, phone=payload.phone)
    return [_row_out(b, today) for b in found[:50]]


@router.get(
    "/benefits/beneficiaries/{beneficiary_id}",
    response=BeneficiaryOut,
    summary="A beneficiary's file: name, phone, enrolments, entitlements (audited)",
)
@api_access(PROGRAMME_ROLES, object_kwargs=BENEFICIARY)
def get_beneficiary(request: StaffRequest, beneficiary_id: uuid.UUID) -> BeneficiaryOut:
    beneficiary = _beneficiary(request, beneficiary_id)
    person = beneficiary.person
    actions.record_beneficiary_view(beneficiary=beneficiary, **_now(request))
    return BeneficiaryOut(
        **_row_out(beneficiary, timezone.localdate()).dict(exclude={"age_band"}),
        age_band=queries.age_band(person.born_on, timezone.localdate()),
        name=person.name,
        phone=person.phone,
        born_on=person.born_on,
        enrolments=[_enrolment_out(e) for e in beneficiary.enrolments.order_by("-starts_on")],
        entitlements=[
            EntitlementOut(
                cycle_id=e.cycle_id,
                month=e.cycle.month,
                programme_id=e.cycle.programme_id,
                item=e.item,
                quantity=e.quantity,
                status=e.status,
            )
            for e in queries.entitlement_history(beneficiary)
        ],
    )


@router.post(
    "/benefits/beneficiaries/{beneficiary_id}/enrolments",
    response={201: BenefitEnrolmentOut},
    summary="Enrol a beneficiary in a programme",
)
@api_access(PROGRAMME_ROLES, object_kwargs=BENEFICIARY)
def enrol(
    request: StaffRequest, beneficiary_id: uuid.UUID, payload: BenefitEnrolIn
) -> Status[BenefitEnrolmentOut]:
    beneficiary = _beneficiary(request, beneficiary_id)
    programme = _programme(request, payload.programme_id)
    enrolment = actions.enrol(
        programme=programme,
        beneficiary=beneficiary,
        card_number=payload.card_number,
        starts_on=payload.starts_on,
        **_now(request),
    )
    return Status(201, _enrolment_out(enrolment))


@router.post(
    "/benefits/enrolments/{benefit_enrolment_id}/exit",
    response=ExitOut,
    summary="End an enrolment; her later entitlements not yet approved are cancelled",
)
@api_access(PROGRAMME_ROLES, object_kwargs=ENROLMENT)
def exit_enrolment(request: StaffRequest, benefit_enrolment_id: uuid.UUID, payload: ExitIn) -> ExitOut:
    enrolment: Enrolment = get_visible_or_404(
        Enrolment.objects.select_related("programme__org"), request.user, pk=benefit_enrolment_id
    )
    outcome = actions.exit_enrolment(
        enrolment=enrolment, reason=payload.reason, on=payload.on, **_now(request)
    )
    return ExitOut(
        **_enrolment_out(outcome.enrolment).dict(),
        cancelled_entitlements=outcome.cancelled,
        due_in_approved_cycles=outcome.left_in_approved,
    )


# --- statistics ----------------------------------------------------------------------------------------


@router.get(
    "/benefits/statistics/by-area",
    response=list[AreaCountOut],
    summary="Beneficiaries registered and actively enrolled, per area",
)
@api_access(PROGRAMME_ROLES)
def beneficiaries_by_area(request: StaffRequest, filters: Query[StatisticsQuery]) -> list[AreaCountOut]:
    programme = None
    if filters.programme_id is not None:
        programme = _programme(request, filters.programme_id)
    return [AreaCountOut(**asdict(row)) for row in queries.beneficiaries_by_area(request.org, programme)]
