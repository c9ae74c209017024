"""API for voluntary women's associations (registration, documents, renewal, office-bearers, grading),
annual grants (schedule, rounds, disbursement, reports) and women entrepreneurs (registry, products,
trainings, centres, stalls, allocations, rent, sales), with the lists that have deadlines and the
statistics.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Amounts are JSON strings ("50000.00") in answers. Bad input is a 422 with the verb's sentence, field by
field (haven/api.py turns a ValidationError into that answer). Documents travel as base64 in JSON.
"""

import base64
import binascii
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from haven.associations import actions, grants, marketing, queries
from haven.associations.models import (
    Association,
    AssociationDocument,
    Entrepreneur,
    Grant,
    GrantRound,
    MarketingCentre,
    OfficeBearer,
    Product,
    Stall,
    StallAllocation,
)
from haven.benefits.models import APPROVING_ROLES, PROGRAMME_ROLES, Beneficiary
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Area
from haven.web.openapi import SchemaName

AssociationDocumentKind = Annotated[AssociationDocument.Kind, SchemaName("AssociationDocumentKind")]
GrantMethod = Annotated[Grant.Method, SchemaName("GrantMethod")]
ProductCategory = Annotated[Product.Category, SchemaName("ProductCategory")]
AssociationStatus = Annotated[Association.Status, SchemaName("AssociationStatus")]


router = Router(tags=["associations"])

ASSOCIATION = ("association_id",)
REGISTERED = ("registered_association_id",)
DOCUMENT = ("association_document_id",)
ROUND = ("association_grant_round_id",)
OPEN_ROUND = ("association_open_round_id",)
GRANT = ("association_grant_id",)
DISBURSED = ("association_disbursed_grant_id",)
ENTREPRENEUR = ("entrepreneur_id",)
CENTRE = ("marketing_centre_id",)
ALLOCATION = ("stall_allocation_id",)


# --- schemas -------------------------------------------------------------------------------------------


class AssociationApplicationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    area_id: uuid.UUID
    member_count: int = Field(ge=1)
    applied_on: date
    fee_amount: Decimal
    fee_receipt_number: str = Field(min_length=1, max_length=40)
    fee_paid_on: date
    office_address: str = Field("", max_length=500)
    founded_on: date | None = None


class AssociationOut(Schema):
    id: uuid.UUID
    name: str
    area_id: uuid.UUID
    status: str
    member_count: int
    applied_on: date
    decision_due_on: date
    registration_number: str
    registered_on: date | None
    expires_on: date | None
    grade: str


class AssociationDocumentIn(Schema):
    kind: AssociationDocumentKind
    file_name: str = Field(min_length=1, max_length=200)
    content_base64: str = Field(min_length=1, max_length=8 * 1024 * 1024)


class AssociationDocumentOut(Schema):
    id: uuid.UUID
    kind: str
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime


class AssociationReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=4000)


class RenewalIn(Schema):
    fee_amount: Decimal
    fee_receipt_number: str = Field(min_length=1, max_length=40)
    fee_paid_on: date
    years: int = Field(1, ge=1, le=5)


class RenewalOut(Schema):
    period_start: date
    period_end: date
    association: AssociationOut


class BearerIn(Schema):
    position: str = Field(max_length=10)
    name: str = Field(min_length=1, max_length=200)
    phone: str = Field("", max_length=40)
    since_on: date


class BearerOut(Schema):
    id: uuid.UUID
    position: str
    name: str
    phone: str
    since_on: date
    until_on: date | None


class AssociationMemberIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    institution: str = Field(min_length=1, max_length=200)
    role_title: str = Field("", max_length=120)


class GradingIn(Schema):
    graded_on: date
    scores: dict[str, int]
    members: list[AssociationMemberIn] = Field(max_length=50)


class GradingOut(Schema):
    id: uuid.UUID
    graded_on: date
    scores: dict[str, int]
    total: int
    grade: str
    members_present: int


class ScheduleIn(Schema):
    year: int
    grade: str = Field(max_length=1)
    amount: Decimal


class AssociationScheduleOut(Schema):
    year: int
    grade: str
    amount: Decimal


class RoundIn(Schema):
    year: int
    name: str = Field(min_length=1, max_length=200)


class GrantOut(Schema):
    id: int
    association_id: uuid.UUID
    association: str
    grade: str
    amount: Decimal
    status: str
    disbursed_on: date | None
    method: str
    reference: str
    report_due_on: date | None


class RoundOut(Schema):
    id: uuid.UUID
    year: int
    name: str
    status: str
    grant_count: int
    total_amount: Decimal


class RoundDetailOut(RoundOut):
    grants: list[GrantOut]


class DisburseIn(Schema):
    disbursed_on: date
    method: GrantMethod
    reference: str = Field(min_length=1, max_length=80)


class ReportIn(Schema):
    amount_spent: Decimal
    narrative: str = Field(min_length=1, max_length=8000)
    reported_on: date


class EntrepreneurIn(Schema):
    trading_name: str = Field(min_length=1, max_length=200)
    area_id: uuid.UUID
    registered_on: date
    beneficiary_id: uuid.UUID | None = Field(None, description="Her registry entry, when she has one")
    name: str = Field("", max_length=200, description="Her name, when she has no registry entry")
    phone: str = Field("", max_length=40)
    association_id: uuid.UUID | None = None


class EntrepreneurOut(Schema):
    id: uuid.UUID
    trading_name: str
    area_id: uuid.UUID
    association_id: uuid.UUID | None
    beneficiary_id: uuid.UUID | None
    registered_on: date
    is_active: bool


class EntrepreneurDetailOut(EntrepreneurOut):
    name: str
    products: list[dict[str, Any]]
    trainings: list[dict[str, Any]]


class AssociationProductIn(Schema):
    category: ProductCategory
    description: str = Field(min_length=1, max_length=300)
    price_min: Decimal
    price_max: Decimal


class TrainingIn(Schema):
    course: str = Field(min_length=1, max_length=200)
    completed_on: date
    provider: str = Field("", max_length=200)
    certificate_number: str = Field("", max_length=60)


class CreatedOut(Schema):
    id: uuid.UUID


class AssociationCentreIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    area_id: uuid.UUID
    address: str = Field("", max_length=500)


class StallIn(Schema):
    number: str = Field(min_length=1, max_length=20)
    monthly_rent: Decimal


class AllocationIn(Schema):
    stall_id: uuid.UUID
    entrepreneur_id: uuid.UUID
    starts_on: date
    ends_on: date
    rent: Decimal | None = Field(
        None, description="Agreed rent; the stall's monthly rent per month if left out"
    )


class AllocationOut(Schema):
    id: uuid.UUID
    stall_id: uuid.UUID
    entrepreneur_id: uuid.UUID
    starts_on: date
    ends_on: date
    rent: Decimal
    paid: Decimal
    status: str


class PaymentIn(Schema):
    amount: Decimal
    paid_on: date
    receipt_number: str = Field(min_length=1, max_length=40)


class SalesIn(Schema):
    centre_id: uuid.UUID
    period: date = Field(description="Any day of the month the sales are for")
    amount: Decimal
    items_sold: int = Field(ge=0)


class SalesTotalOut(Schema):
    period: date
    centre: str
    amount: Decimal
    items: int
    sellers: int


class ListQuery(Schema):
    status: AssociationStatus | None = None
    grade: str = Field("", max_length=1)


class AssociationStatisticsOut(Schema):
    associations: list[dict[str, Any]]
    grants_disbursed: list[dict[str, Any]]
    sales: list[dict[str, Any]]
    entrepreneurs: dict[str, int]


# --- helpers -------------------------------------------------------------------------------------------


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _association(request: StaffRequest, association_id: uuid.UUID, action: str = "view") -> Association:
    found: Association = get_visible_or_404(
        Association.objects.select_related("org"), request.user, action, pk=association_id
    )
    return found


def _area(request: StaffRequest, area_id: uuid.UUID) -> Area:
    area: Area = get_visible_or_404(Area.objects.all(), request.user, pk=area_id)
    return area


def _grant(request: StaffRequest, grant_id: int) -> Grant:
    found: Grant = get_visible_or_404(
        Grant.objects.select_related("association", "round"), request.user, pk=grant_id
    )
    return found


def _entrepreneur(request: StaffRequest, entrepreneur_id: uuid.UUID) -> Entrepreneur:
    found: Entrepreneur = get_visible_or_404(
        Entrepreneur.objects.select_related("org", "person"), request.user, pk=entrepreneur_id
    )
    return found


def _association_out(association: Association) -> AssociationOut:
    return AssociationOut(
        id=association.pk,
        name=association.name,
        area_id=association.area_id,
        status=association.status,
        member_count=association.member_count,
        applied_on=association.applied_on,
        decision_due_on=association.decision_due_on,
        registration_number=association.registration_number,
        registered_on=association.registered_on,
        expires_on=association.expires_on,
        grade=association.grade,
    )


def _grant_out(grant: Grant) -> GrantOut:
    return GrantOut(
        id=grant.pk,
        association_id=grant.association_id,
        association=grant.association.name,
        grade=grant.grade,
        amount=grant.amount,
        status=grant.status,
        disbursed_on=grant.disbursed_on,
        method=grant.method,
        reference=grant.reference,
        report_due_on=grant.report_due_on,
    )


def _round_out(grant_round: GrantRound) -> RoundOut:
    return RoundOut(
        id=grant_round.pk,
        year=grant_round.year,
        name=grant_round.name,
        status=grant_round.status,
        grant_count=grant_round.grant_count,
        total_amount=grant_round.total_amount,
    )


def _entrepreneur_fields(entrepreneur: Entrepreneur) -> dict[str, Any]:
    return {
        "id": entrepreneur.pk,
        "trading_name": entrepreneur.trading_name,
        "area_id": entrepreneur.area_id,
        "association_id": entrepreneur.association_id,
        "beneficiary_id": entrepreneur.beneficiary_id,
        "registered_on": entrepreneur.registered_on,
        "is_active": entrepreneur.is_active,
    }


def _allocation_out(allocation: StallAllocation) -> AllocationOut:
    return AllocationOut(
        id=allocation.pk,
        stall_id=allocation.stall_id,
        entrepreneur_id=allocation.entrepreneur_id,
        starts_on=allocation.starts_on,
        ends_on=allocation.ends_on,
        rent=allocation.rent,
        paid=queries.cents(marketing.paid_on_allocation(allocation)),
        status=allocation.status,
    )


# --- associations --------------------------------------------------------------------------------------


@router.get("/associations", response=list[AssociationOut], summary="Associations on the register")
@api_access(PROGRAMME_ROLES)
def list_associations(request: StaffRequest, filters: Query[ListQuery]) -> list[AssociationOut]:
    rows = queries.associations(request.user, filters.status or "", filters.grade)[:500]
    return [_association_out(row) for row in rows]


@router.post(
    "/associations", response={201: AssociationOut}, summary="Record an application for registration"
)
@api_access(PROGRAMME_ROLES)
def apply(request: StaffRequest, payload: AssociationApplicationIn) -> Status[AssociationOut]:
    association = actions.apply_for_registration(
        org=request.org,
        area=_area(request, payload.area_id),
        **payload.dict(exclude={"area_id"}),
        **_now(request),
    )
    return Status(201, _association_out(association))


@router.get(
    "/associations/overdue-decisions", response=list[AssociationOut], summary="Applications past 30 days"
)
@api_access(PROGRAMME_ROLES)
def overdue_decisions(request: StaffRequest) -> list[AssociationOut]:
    return [_association_out(a) for a in queries.overdue_decisions(request.user, timezone.localdate())]


@router.get("/associations/{association_id}", response=AssociationOut, summary="One association")
@api_access(PROGRAMME_ROLES, object_kwargs=ASSOCIATION)
def get_association(request: StaffRequest, association_id: uuid.UUID) -> AssociationOut:
    return _association_out(_association(request, association_id))


@router.post(
    "/associations/{association_id}/documents",
    response={201: AssociationDocumentOut},
    summary="Add a document (base64)",
)
@api_access(PROGRAMME_ROLES, object_kwargs=ASSOCIATION)
def upload(
    request: StaffRequest, association_id: uuid.UUID, payload: AssociationDocumentIn
) -> Status[AssociationDocumentOut]:
    association = _association(request, association_id)
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"content_base64": _("The file is not valid base64.")}) from None
    document = actions.upload_document(
        association=association,
        kind=payload.kind,
        file_name=payload.file_name,
        content=content,
        **_now(request),
    )
    return Status(201, _read_document(request, document))


def _read_document(request: StaffRequest, document: AssociationDocument) -> AssociationDocumentOut:
    """A document as an answer carries its file name (encrypted): each document answered with is an
    audited read, in a list as after an upload."""
    actions.record_document_view(document=document, **_now(request))
    return _document_out(document)


def _document_out(document: AssociationDocument) -> AssociationDocumentOut:
    return AssociationDocumentOut(
        id=document.pk,
        kind=document.kind,
        file_name=document.file_name,
        content_type=document.content_type,
        size=document.size,
        uploaded_at=document.uploaded_at,
    )


@router.get(
    "/associations/{association_id}/documents", response=list[AssociationDocumentOut], summary="Its documents"
)
@api_access(PROGRAMME_ROLES, object_kwargs=ASSOCIATION)
def documents(request: StaffRequest, association_id: uuid.UUID) -> list[AssociationDocumentOut]:
    association = _association(request, association_id)
    return [_read_document(request, d) for d in association.documents.defer("content")]


@router.get("/association-documents/{association_document_id}/file", summary="Download a document (audited)")
@api_access(PROGRAMME_ROLES, object_kwargs=DOCUMENT)
def download(request: StaffRequest, association_document_id: uuid.UUID) -> HttpResponse:
    document: AssociationDocument = get_visible_or_404(
        AssociationDocument.objects.select_related("association__org"),
        request.user,
        pk=association_document_id,
    )
    actions.record_document_download(document=document, **_now(request))
    response = HttpResponse(actions.document_bytes(document), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="document-{document.pk}"'
    response["Cache-Control"] = "no-store"
    return response


@router.post("/associations/{association_id}/approve", response=AssociationOut, summary="Register it")
@api_access(APPROVING_ROLES, object_kwargs=ASSOCIATION)
def approve(request: StaffRequest, association_id: uuid.UUID) -> AssociationOut:
    association = _association(request, association_id, "decide")
    return _association_out(actions.approve_registration(association=association, **_now(request)))


@router.post(
    "/associations/{association_id}/refuse", response=AssociationOut, summary="Refuse the application"
)
@api_access(APPROVING_ROLES, object_kwargs=ASSOCIATION)
def refuse(request: StaffRequest, association_id: uuid.UUID, payload: AssociationReasonIn) -> AssociationOut:
    association = _association(request, association_id, "decide")
    refused = actions.refuse_registration(association=association, reason=payload.reason, **_now(request))
    return _association_out(refused)


@router.post(
    "/associations/{registered_association_id}/renewals", response={201: RenewalOut}, summary="Renew it"
)
@api_access(PROGRAMME_ROLES, object_kwargs=REGISTERED)
def renew(
    request: StaffRequest, registered_association_id: uuid.UUID, payload: RenewalIn
) -> Status[RenewalOut]:
    association = _association(request, registered_association_id)
    renewal = actions.renew_registration(association=association, **payload.dict(), **_now(request))
    association.refresh_from_db()
    out = RenewalOut(
        period_start=renewal.period_start,
        period_end=renewal.period_end,
        association=_association_out(association),
    )
    return Status(201, out)


@router.post(
    "/associations/{association_id}/office-bearers",
    response={201: BearerOut},
    summary="Record an office-bearer",
)
@api_access(PROGRAMME_ROLES, object_kwargs=ASSOCIATION)
def add_bearer(request: StaffRequest, association_id: uuid.UUID, payload: BearerIn) -> Status[BearerOut]:
    bearer = actions.add_office_bearer(
        association=_association(request, association_id), **payload.dict(), **_now(request)
    )
    return Status(201, _bearer_out(bearer))


@router.get(
    "/associations/{association_id}/office-bearers", response=list[BearerOut], summary="Office-bearers"
)
@api_access(PROGRAMME_ROLES, object_kwargs=ASSOCIATION)
def bearers(request: StaffRequest, association_id: uuid.UUID) -> list[BearerOut]:
    association = _association(request, association_id)
    return [_read_bearer(request, bearer) for bearer in association.office_bearers.all()]


def _read_bearer(request: StaffRequest, bearer: OfficeBearer) -> BearerOut:
    """A bearer read back carries her name and phone as stored: each one listed is an audited read."""
    actions.record_bearer_view(bearer=bearer, **_now(request))
    return _bearer_out(bearer)


def _bearer_out(bearer: OfficeBearer) -> BearerOut:
    return BearerOut(**{f: getattr(bearer, f) for f in BearerOut.model_fields})


@router.post(
    "/associations/{registered_association_id}/gradings",
    response={201: GradingOut},
    summary="Record a grading",
)
@api_access(APPROVING_ROLES, object_kwargs=REGISTERED)
def grade(
    request: StaffRequest, registered_association_id: uuid.UUID, payload: GradingIn
) -> Status[GradingOut]:
    association = _association(request, registered_association_id, "decide")
    record = actions.record_grading(
        association=association,
        graded_on=payload.graded_on,
        scores=payload.scores,
        members=[member.dict() for member in payload.members],
        **_now(request),
    )
    out = GradingOut(
        id=record.pk,
        graded_on=record.graded_on,
        scores=record.scores,
        total=record.total,
        grade=record.grade,
        members_present=len(payload.members),
    )
    return Status(201, out)


# --- grants --------------------------------------------------------------------------------------------


@router.put("/grant-schedule", response=AssociationScheduleOut, summary="Set the grant for a grade and year")
@api_access(PROGRAMME_ROLES)
def set_schedule(request: StaffRequest, payload: ScheduleIn) -> AssociationScheduleOut:
    row = grants.set_grant_amount(org=request.org, **payload.dict(), **_now(request))
    return AssociationScheduleOut(year=row.year, grade=row.grade, amount=row.amount)


@router.get("/grant-rounds", response=list[RoundOut], summary="Grant rounds")
@api_access(PROGRAMME_ROLES)
def list_rounds(request: StaffRequest) -> list[RoundOut]:
    return [_round_out(r) for r in queries.rounds(request.user)]


@router.post("/grant-rounds", response={201: RoundOut}, summary="Open a year's grant round")
@api_access(PROGRAMME_ROLES)
def open_round(request: StaffRequest, payload: RoundIn) -> Status[RoundOut]:
    grant_round = grants.open_grant_round(org=request.org, **payload.dict(), **_now(request))
    return Status(201, _round_out(grant_round))


@router.get(
    "/grant-rounds/{association_grant_round_id}", response=RoundDetailOut, summary="A round and its grants"
)
@api_access(PROGRAMME_ROLES, object_kwargs=ROUND)
def get_round(request: StaffRequest, association_grant_round_id: uuid.UUID) -> RoundDetailOut:
    grant_round = get_visible_or_404(GrantRound.objects.all(), request.user, pk=association_grant_round_id)
    rows = [_grant_out(g) for g in queries.round_grants(grant_round)]
    return RoundDetailOut(**_round_out(grant_round).dict(), grants=rows)


@router.post(
    "/grant-rounds/{association_open_round_id}/allocate", response=RoundOut, summary="Allocate (set-based)"
)
@api_access(PROGRAMME_ROLES, object_kwargs=OPEN_ROUND)
def allocate(request: StaffRequest, association_open_round_id: uuid.UUID) -> RoundOut:
    grant_round = get_visible_or_404(GrantRound.objects.all(), request.user, pk=association_open_round_id)
    grants.allocate_grant_round(grant_round=grant_round, **_now(request))
    return _round_out(grant_round)


@router.post(
    "/grant-rounds/{association_grant_round_id}/approve", response=RoundOut, summary="Approve the round"
)
@api_access(APPROVING_ROLES, object_kwargs=ROUND)
def approve_round(request: StaffRequest, association_grant_round_id: uuid.UUID) -> RoundOut:
    grant_round = get_visible_or_404(
        GrantRound.objects.all(), request.user, "decide", pk=association_grant_round_id
    )
    return _round_out(grants.approve_grant_round(grant_round=grant_round, **_now(request)))


@router.post("/grants/{association_grant_id}/disburse", response=GrantOut, summary="Record a disbursement")
@api_access(PROGRAMME_ROLES, object_kwargs=GRANT)
def disburse(request: StaffRequest, association_grant_id: int, payload: DisburseIn) -> GrantOut:
    grant = grants.disburse_grant(
        grant=_grant(request, association_grant_id), **payload.dict(), **_now(request)
    )
    return _grant_out(grant)


@router.post(
    "/grants/{association_disbursed_grant_id}/report", response={201: GrantOut}, summary="Report back"
)
@api_access(PROGRAMME_ROLES, object_kwargs=DISBURSED)
def report(request: StaffRequest, association_disbursed_grant_id: int, payload: ReportIn) -> Status[GrantOut]:
    grant = _grant(request, association_disbursed_grant_id)
    grants.report_on_grant(grant=grant, **payload.dict(), **_now(request))
    return Status(201, _grant_out(grant))


@router.get("/grants/overdue-reports", response=list[GrantOut], summary="Reports past due")
@api_access(PROGRAMME_ROLES)
def overdue_reports(request: StaffRequest) -> list[GrantOut]:
    return [_grant_out(g) for g in queries.overdue_reports(request.user, timezone.localdate())]


# --- entrepreneurs -------------------------------------------------------------------------------------


@router.post("/entrepreneurs", response={201: EntrepreneurOut}, summary="Register an entrepreneur")
@api_access(PROGRAMME_ROLES)
def register_entrepreneur(request: StaffRequest, payload: EntrepreneurIn) -> Status[EntrepreneurOut]:
    beneficiary = association = None
    if payload.beneficiary_id is not None:
        beneficiary = get_visible_or_404(
            Beneficiary.objects.select_related("person"), request.user, pk=payload.beneficiary_id
        )
    if payload.association_id is not None:
        association = _association(request, payload.association_id)
    entrepreneur = marketing.register_entrepreneur(
        org=request.org,
        area=_area(request, payload.area_id),
        beneficiary=beneficiary,
        association=association,
        **payload.dict(exclude={"area_id", "beneficiary_id", "association_id"}),
        **_now(request),
    )
    return Status(201, EntrepreneurOut(**_entrepreneur_fields(entrepreneur)))


@router.get("/entrepreneurs/{entrepreneur_id}", response=EntrepreneurDetailOut, summary="Her file (audited)")
@api_access(PROGRAMME_ROLES, object_kwargs=ENTREPRENEUR)
def get_entrepreneur(request: StaffRequest, entrepreneur_id: uuid.UUID) -> EntrepreneurDetailOut:
    entrepreneur = _entrepreneur(request, entrepreneur_id)
    marketing.record_entrepreneur_view(entrepreneur=entrepreneur, **_now(request))
    products = entrepreneur.products.values("id", "category", "description", "price_min", "price_max")
    trainings = entrepreneur.trainings.values(
        "id", "course", "provider", "completed_on", "certificate_number"
    )
    return EntrepreneurDetailOut(
        **_entrepreneur_fields(entrepreneur),
        name=entrepreneur.person.name,
        products=[
            {**p, "price_min": str(p["price_min"]), "price_max": str(p["price_max"])} for p in products
        ],
        trainings=[dict(row) for row in trainings],
    )


@router.post("/entrepreneurs/{entrepreneur_id}/products", response={201: CreatedOut}, summary="Add a product")
@api_access(PROGRAMME_ROLES, object_kwargs=ENTREPRENEUR)
def add_product(
    request: StaffRequest, entrepreneur_id: uuid.UUID, payload: AssociationProductIn
) -> Status[CreatedOut]:
    product = marketing.add_product(
        entrepreneur=_entrepreneur(request, entrepreneur_id), **payload.dict(), **_now(request)
    )
    return Status(201, CreatedOut(id=product.pk))


@router.post(
    "/entrepreneurs/{entrepreneur_id}/trainings", response={201: CreatedOut}, summary="Add a training"
)
@api_access(PROGRAMME_ROLES, object_kwargs=ENTREPRENEUR)
def add_training(
    request: StaffRequest, entrepreneur_id: uuid.UUID, payload: TrainingIn
) -> Status[CreatedOut]:
    training = marketing.add_training(
        entrepreneur=_entrepreneur(request, entrepreneur_id), **payload.dict(), **_now(request)
    )
    return Status(201, CreatedOut(id=training.pk))


@router.post(
    "/entrepreneurs/{entrepreneur_id}/sales", response={201: CreatedOut}, summary="Report a month's sales"
)
@api_access(PROGRAMME_ROLES, object_kwargs=ENTREPRENEUR)
def add_sales(request: StaffRequest, entrepreneur_id: uuid.UUID, payload: SalesIn) -> Status[CreatedOut]:
    centre = get_visible_or_404(MarketingCentre.objects.all(), request.user, pk=payload.centre_id)
    sales = marketing.record_sales(
        entrepreneur=_entrepreneur(request, entrepreneur_id),
        centre=centre,
        **payload.dict(exclude={"centre_id"}),
        **_now(request),
    )
    return Status(201, CreatedOut(id=sales.pk))


# --- centres, stalls, allocations ----------------------------------------------------------------------


@router.post("/marketing-centres", response={201: CreatedOut}, summary="Add a marketing centre")
@api_access(PROGRAMME_ROLES)
def create_centre(request: StaffRequest, payload: AssociationCentreIn) -> Status[CreatedOut]:
    centre = marketing.create_centre(
        org=request.org,
        area=_area(request, payload.area_id),
        **payload.dict(exclude={"area_id"}),
        **_now(request),
    )
    return Status(201, CreatedOut(id=centre.pk))


@router.post(
    "/marketing-centres/{marketing_centre_id}/stalls", response={201: CreatedOut}, summary="Add a stall"
)
@api_access(PROGRAMME_ROLES, object_kwargs=CENTRE)
def add_stall(request: StaffRequest, marketing_centre_id: uuid.UUID, payload: StallIn) -> Status[CreatedOut]:
    centre = get_visible_or_404(
        MarketingCentre.objects.select_related("org"), request.user, pk=marketing_centre_id
    )
    stall = marketing.add_stall(centre=centre, **payload.dict(), **_now(request))
    return Status(201, CreatedOut(id=stall.pk))


@router.get(
    "/marketing-centres/{marketing_centre_id}/sales", response=list[SalesTotalOut], summary="Sales totals"
)
@api_access(PROGRAMME_ROLES, object_kwargs=CENTRE)
def centre_sales(request: StaffRequest, marketing_centre_id: uuid.UUID) -> list[SalesTotalOut]:
    centre = get_visible_or_404(MarketingCentre.objects.all(), request.user, pk=marketing_centre_id)
    return [SalesTotalOut(**vars(row)) for row in queries.sales_totals(request.user, centre)]


@router.post("/stall-allocations", response={201: AllocationOut}, summary="Allocate a stall for a period")
@api_access(PROGRAMME_ROLES)
def allocate_stall(request: StaffRequest, payload: AllocationIn) -> Status[AllocationOut]:
    stall = get_visible_or_404(Stall.objects.all(), request.user, pk=payload.stall_id)
    entrepreneur = _entrepreneur(request, payload.entrepreneur_id)
    allocation = marketing.allocate_stall(
        stall=stall,
        entrepreneur=entrepreneur,
        **payload.dict(exclude={"stall_id", "entrepreneur_id"}),
        **_now(request),
    )
    return Status(201, _allocation_out(allocation))


@router.post(
    "/stall-allocations/{stall_allocation_id}/payments",
    response={201: AllocationOut},
    summary="Record rent paid",
)
@api_access(PROGRAMME_ROLES, object_kwargs=ALLOCATION)
def pay_rent(
    request: StaffRequest, stall_allocation_id: uuid.UUID, payload: PaymentIn
) -> Status[AllocationOut]:
    allocation = get_visible_or_404(StallAllocation.objects.all(), request.user, pk=stall_allocation_id)
    marketing.record_stall_payment(allocation=allocation, **payload.dict(), **_now(request))
    return Status(201, _allocation_out(allocation))


# --- statistics ----------------------------------------------------------------------------------------


@router.get("/association-statistics", response=AssociationStatisticsOut, summary="Figures for reports")
@api_access(PROGRAMME_ROLES)
def statistics(request: StaffRequest) -> AssociationStatisticsOut:
    user = request.user
    return AssociationStatisticsOut(
        associations=queries.associations_by_status_grade_area(user),
        grants_disbursed=[
            {**row, "amount": str(row["amount"]), "spent": str(row["spent"])}
            for row in queries.grants_disbursed_per_year(user)
        ],
        sales=[
            {**row, "amount": str(row["amount"])} for row in queries.entrepreneurs_and_sales_per_period(user)
        ],
        entrepreneurs=queries.entrepreneur_counts(user),
    )
