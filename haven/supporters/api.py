"""API for supporters and donations: supporters (search, add, read — audited —, change), donations
(record, give an in-kind gift its value), donor projects with their balances, receipts (issue, cancel,
reissue, PDF) and the totals per year and currency.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Amounts are JSON strings ("250.00") in answers, so no cent is lost to floating point; requests may send
numbers or strings. Bad input is a 422 with the verb's sentence, field by field.
"""

import uuid
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.supporters import actions, queries, receipts
from haven.supporters.models import (
    SUPPORTER_ROLES,
    TOTALS_READERS,
    Donation,
    DonorProject,
    Receipt,
    Supporter,
)
from haven.web.openapi import Problem, SchemaName
from haven.web.pdf import PdfUnavailable

SupporterKind = Annotated[Supporter.Kind, SchemaName("SupporterKind")]
DonationKind = Annotated[Donation.Kind, SchemaName("DonationKind")]
DonationMethod = Annotated[Donation.Method, SchemaName("DonationMethod")]


router = Router(tags=["supporters"])

SUPPORTER = ("supporter_id",)
DONATION = ("donation_id",)
RECEIPT = ("receipt_id",)
PROJECT = ("donor_project_id",)


# --- schemas -------------------------------------------------------------------------------------------


class SupporterIn(Schema):
    kind: SupporterKind
    name: str = Field(min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    address: str = Field("", max_length=4000)
    language: str = Field(max_length=8, description="One of Haven's languages: the receipts' language")
    may_contact: bool = False
    notes: str = Field("", max_length=4000)


class SupporterPatch(Schema):
    kind: SupporterKind | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=4000)
    language: str | None = Field(None, max_length=8)
    may_contact: bool | None = None
    notes: str | None = Field(None, max_length=4000)


class SupporterRowOut(Schema):
    id: uuid.UUID
    kind: str
    name: str
    language: str
    may_contact: bool


class SupporterOut(SupporterRowOut):
    email: str
    phone: str
    address: str
    notes: str
    created_at: datetime


class SupporterSearchIn(Schema):
    q: str = Field("", max_length=200, description="Whole words of the name, an e-mail or a phone")
    kind: SupporterKind | None = None


class DonationIn(Schema):
    received_on: date
    kind: DonationKind
    amount: Decimal | None = Field(None, description="Money: the amount given")
    currency: str = Field("", max_length=10, description="ISO 4217 code, e.g. CAD")
    method: DonationMethod | None = None
    description: str = Field("", max_length=500, description="In kind: what was given")
    quantity: int | None = Field(None, ge=1)
    estimated_value: Decimal | None = Field(None, description="In kind: its estimated value")
    project_id: uuid.UUID | None = Field(None, description="A donor project of this supporter")
    is_anonymous: bool = False


class ValueIn(Schema):
    estimated_value: Decimal
    currency: str = Field(max_length=10)


class ReceiptOut(Schema):
    id: uuid.UUID
    donation_id: uuid.UUID
    number: str
    status: str
    amount: Decimal | None
    currency: str
    issued_at: datetime
    replaces_id: uuid.UUID | None
    cancelled_at: datetime | None


class ReceiptDetailOut(ReceiptOut):
    name_on_receipt: str
    cancel_reason: str


class DonationOut(Schema):
    id: uuid.UUID
    supporter_id: uuid.UUID
    received_on: date
    kind: str
    amount: Decimal | None
    currency: str
    method: str
    description: str
    quantity: int | None
    estimated_value: Decimal | None
    project_id: uuid.UUID | None
    is_anonymous: bool
    receipts: list[ReceiptOut]


class ProjectIn(Schema):
    supporter_id: uuid.UUID
    name: str = Field(min_length=1, max_length=200)
    purpose: str = Field("", max_length=4000)
    amount_pledged: Decimal
    currency: str = Field(max_length=10)
    starts_on: date
    ends_on: date


class BalanceOut(Schema):
    id: uuid.UUID
    name: str
    currency: str
    starts_on: date
    ends_on: date
    amount_pledged: Decimal
    received: Decimal
    in_kind: Decimal
    remaining: Decimal
    gifts: int


class ProjectOut(BalanceOut):
    supporter_id: uuid.UUID
    purpose: str


class SupporterReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=1000)


class TotalOut(Schema):
    year: int
    currency: str
    money: Decimal
    in_kind: Decimal
    gifts: int
    donors: int


class TotalsOut(Schema):
    totals: list[TotalOut]
    projects: list[BalanceOut]


class TotalsQuery(Schema):
    year: int | None = Field(None, ge=1900, le=9999)


# --- helpers -------------------------------------------------------------------------------------------


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _supporter(request: StaffRequest, supporter_id: uuid.UUID) -> Supporter:
    supporter: Supporter = get_visible_or_404(
        Supporter.objects.select_related("org"), request.user, pk=supporter_id
    )
    return supporter


def _donation(request: StaffRequest, donation_id: uuid.UUID) -> Donation:
    donation: Donation = get_visible_or_404(
        Donation.objects.select_related("supporter__org", "project"), request.user, pk=donation_id
    )
    return donation


def _receipt(request: StaffRequest, receipt_id: uuid.UUID) -> Receipt:
    receipt: Receipt = get_visible_or_404(
        Receipt.objects.select_related("org", "donation__supporter__org", "donation__project", "replaces"),
        request.user,
        pk=receipt_id,
    )
    return receipt


def _supporter_out(supporter: Supporter) -> SupporterOut:
    return SupporterOut(
        id=supporter.pk,
        kind=supporter.kind,
        name=supporter.name,
        language=supporter.language,
        may_contact=supporter.may_contact,
        email=supporter.email,
        phone=supporter.phone,
        address=supporter.address,
        notes=supporter.notes,
        created_at=supporter.created_at,
    )


def _read_supporter(request: StaffRequest, supporter: Supporter) -> SupporterOut:
    """The supporter's file as an answer: it carries their name, e-mail, phone and address, so every
    answer carrying it is an audited read, whether it answers a read or a change of their details."""
    actions.record_supporter_view(supporter=supporter, **_now(request))
    return _supporter_out(supporter)


def _read_supporter_row(request: StaffRequest, supporter: Supporter) -> SupporterRowOut:
    """A search row names the supporter: each supporter a search answers with is an audited read."""
    actions.record_supporter_view(supporter=supporter, **_now(request))
    return SupporterRowOut(
        id=supporter.pk,
        kind=supporter.kind,
        name=supporter.name,
        language=supporter.language,
        may_contact=supporter.may_contact,
    )


def _receipt_out(receipt: Receipt) -> ReceiptOut:
    return ReceiptOut(
        id=receipt.pk,
        donation_id=receipt.donation_id,
        number=receipt.number,
        status=receipt.status,
        amount=receipt.amount,
        currency=receipt.currency,
        issued_at=receipt.issued_at,
        replaces_id=receipt.replaces_id,
        cancelled_at=receipt.cancelled_at,
    )


def _donation_out(donation: Donation) -> DonationOut:
    return DonationOut(
        id=donation.pk,
        supporter_id=donation.supporter_id,
        received_on=donation.received_on,
        kind=donation.kind,
        amount=donation.amount,
        currency=donation.currency,
        method=donation.method,
        description=donation.description,
        quantity=donation.quantity,
        estimated_value=donation.estimated_value,
        project_id=donation.project_id,
        is_anonymous=donation.is_anonymous,
        receipts=[_receipt_out(receipt) for receipt in donation.receipts.all()],
    )


def _balance_fields(balance: queries.Balance) -> dict[str, Any]:
    project = balance.project
    return {
        "id": project.pk,
        "name": project.name,
        "currency": project.currency,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "amount_pledged": balance.pledged,
        "received": balance.received,
        "in_kind": balance.in_kind,
        "remaining": balance.remaining,
        "gifts": balance.gifts,
    }


def _project_out(balance: queries.Balance) -> ProjectOut:
    project = balance.project
    return ProjectOut(supporter_id=project.supporter_id, purpose=project.purpose, **_balance_fields(balance))


# --- supporters ----------------------------------------------------------------------------------------


# A search is a POST: names, e-mails and phones never sit in a URL, where access logs and proxies keep them.
@router.post("/supporters/search", response=list[SupporterRowOut], summary="Find supporters")
@api_access(SUPPORTER_ROLES)
def search_supporters(request: StaffRequest, filters: SupporterSearchIn) -> list[SupporterRowOut]:
    found = queries.find_supporters(request.user, filters.q, filters.kind or "")[:200]
    return [_read_supporter_row(request, supporter) for supporter in found]


@router.post("/supporters", response={201: SupporterOut}, summary="Add a supporter")
@api_access(SUPPORTER_ROLES)
def create_supporter(request: StaffRequest, payload: SupporterIn) -> Status[SupporterOut]:
    supporter = actions.create_supporter(org=request.org, **payload.dict(), **_now(request))
    return Status(201, _read_supporter(request, supporter))


@router.get("/supporters/{supporter_id}", response=SupporterOut, summary="A supporter's details (audited)")
@api_access(SUPPORTER_ROLES, object_kwargs=SUPPORTER)
def get_supporter(request: StaffRequest, supporter_id: uuid.UUID) -> SupporterOut:
    return _read_supporter(request, _supporter(request, supporter_id))


@router.patch("/supporters/{supporter_id}", response=SupporterOut, summary="Change a supporter's details")
@api_access(SUPPORTER_ROLES, object_kwargs=SUPPORTER)
def update_supporter(request: StaffRequest, supporter_id: uuid.UUID, payload: SupporterPatch) -> SupporterOut:
    supporter = _supporter(request, supporter_id)
    # A null is "no change", like a field left out; clearing an e-mail is sending "".
    changes = {name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None}
    actions.update_supporter(supporter=supporter, changes=changes, **_now(request))
    return _read_supporter(request, supporter)


# --- donations -----------------------------------------------------------------------------------------


@router.get("/supporters/{supporter_id}/donations", response=list[DonationOut], summary="A supporter's gifts")
@api_access(SUPPORTER_ROLES, object_kwargs=SUPPORTER)
def list_donations(request: StaffRequest, supporter_id: uuid.UUID) -> list[DonationOut]:
    supporter = _supporter(request, supporter_id)
    return [_donation_out(d) for d in supporter.donations.prefetch_related("receipts")]


@router.post("/supporters/{supporter_id}/donations", response={201: DonationOut}, summary="Record a gift")
@api_access(SUPPORTER_ROLES, object_kwargs=SUPPORTER)
def record_donation(
    request: StaffRequest, supporter_id: uuid.UUID, payload: DonationIn
) -> Status[DonationOut]:
    supporter = _supporter(request, supporter_id)
    project = None
    if payload.project_id is not None:
        project = get_visible_or_404(DonorProject.objects.all(), request.user, pk=payload.project_id)
    fields = payload.dict(exclude={"project_id", "method"})
    donation = actions.record_donation(
        supporter=supporter, project=project, method=payload.method or "", **fields, **_now(request)
    )
    return Status(201, _donation_out(donation))


@router.get("/donations/{donation_id}", response=DonationOut, summary="One gift and its receipts")
@api_access(SUPPORTER_ROLES, object_kwargs=DONATION)
def get_donation(request: StaffRequest, donation_id: uuid.UUID) -> DonationOut:
    return _donation_out(_donation(request, donation_id))


@router.post("/donations/{donation_id}/estimated-value", response=DonationOut, summary="Value a gift in kind")
@api_access(SUPPORTER_ROLES, object_kwargs=DONATION)
def value_donation(request: StaffRequest, donation_id: uuid.UUID, payload: ValueIn) -> DonationOut:
    donation = _donation(request, donation_id)
    actions.value_in_kind_gift(donation=donation, **payload.dict(), **_now(request))
    return _donation_out(donation)


# --- donor projects ------------------------------------------------------------------------------------


@router.get("/donor-projects", response=list[ProjectOut], summary="Restricted funds and their balances")
@api_access(SUPPORTER_ROLES)
def list_projects(request: StaffRequest) -> list[ProjectOut]:
    return [_project_out(balance) for balance in queries.project_balances(request.user)]


@router.post("/donor-projects", response={201: ProjectOut}, summary="Set up a restricted fund")
@api_access(SUPPORTER_ROLES)
def create_project(request: StaffRequest, payload: ProjectIn) -> Status[ProjectOut]:
    supporter = get_visible_or_404(
        Supporter.objects.select_related("org"), request.user, pk=payload.supporter_id
    )
    project = actions.create_donor_project(
        supporter=supporter, **payload.dict(exclude={"supporter_id"}), **_now(request)
    )
    return Status(201, _project_out(queries.balance_of(project)))


@router.get("/donor-projects/{donor_project_id}", response=ProjectOut, summary="One fund and its balance")
@api_access(SUPPORTER_ROLES, object_kwargs=PROJECT)
def get_project(request: StaffRequest, donor_project_id: uuid.UUID) -> ProjectOut:
    project = get_visible_or_404(DonorProject.objects.all(), request.user, pk=donor_project_id)
    return _project_out(queries.balance_of(project))


# --- receipts ------------------------------------------------------------------------------------------


@router.post("/donations/{donation_id}/receipts", response={201: ReceiptOut}, summary="Issue a receipt")
@api_access(SUPPORTER_ROLES, object_kwargs=DONATION)
def issue_receipt(request: StaffRequest, donation_id: uuid.UUID) -> Status[ReceiptOut]:
    receipt = actions.issue_receipt(donation=_donation(request, donation_id), **_now(request))
    return Status(201, _receipt_out(receipt))


@router.get("/receipts/{receipt_id}", response=ReceiptDetailOut, summary="One receipt")
@api_access(SUPPORTER_ROLES, object_kwargs=RECEIPT)
def get_receipt(request: StaffRequest, receipt_id: uuid.UUID) -> ReceiptDetailOut:
    return _read_receipt(request, _receipt(request, receipt_id))


def _read_receipt(request: StaffRequest, receipt: Receipt) -> ReceiptDetailOut:
    """A receipt's details carry the supporter's name (and a reason for cancelling may name them): a
    read of the supporter's file, audited as such, as the web shows receipts only inside that file."""
    actions.record_supporter_view(supporter=receipt.donation.supporter, **_now(request))
    return ReceiptDetailOut(
        **_receipt_out(receipt).dict(),
        name_on_receipt=receipt.name_on_receipt,
        cancel_reason=receipt.cancel_reason,
    )


@router.post("/receipts/{receipt_id}/cancel", response=ReceiptOut, summary="Cancel a receipt (number kept)")
@api_access(SUPPORTER_ROLES, object_kwargs=RECEIPT)
def cancel_receipt(request: StaffRequest, receipt_id: uuid.UUID, payload: SupporterReasonIn) -> ReceiptOut:
    receipt = actions.cancel_receipt(
        receipt=_receipt(request, receipt_id), reason=payload.reason, **_now(request)
    )
    return _receipt_out(receipt)


@router.post(
    "/receipts/{receipt_id}/reissue", response={201: ReceiptOut}, summary="Cancel and issue a replacement"
)
@api_access(SUPPORTER_ROLES, object_kwargs=RECEIPT)
def reissue_receipt(
    request: StaffRequest, receipt_id: uuid.UUID, payload: SupporterReasonIn
) -> Status[ReceiptOut]:
    receipt = _receipt(request, receipt_id)
    replacement = actions.reissue_receipt(receipt=receipt, reason=payload.reason, **_now(request))
    return Status(201, _receipt_out(replacement))


@router.get(
    "/receipts/{receipt_id}/pdf",
    response={200: None, 503: Problem},
    summary="The receipt as PDF, in the supporter's language",
)
@api_access(SUPPORTER_ROLES, object_kwargs=RECEIPT)
def receipt_pdf(request: StaffRequest, receipt_id: uuid.UUID) -> HttpResponse:
    receipt = _receipt(request, receipt_id)
    try:
        document = receipts.render_receipt(receipt)
    except PdfUnavailable as unavailable:
        raise HttpError(503, str(unavailable)) from None
    actions.record_receipt_print(receipt=receipt, **_now(request))
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipts.file_name(receipt)}"'
    response["Cache-Control"] = "no-store"
    return response


# --- figures -------------------------------------------------------------------------------------------


@router.get("/donation-totals", response=TotalsOut, summary="Totals per year and currency; fund balances")
@api_access(TOTALS_READERS)
def donation_totals(request: StaffRequest, filters: Query[TotalsQuery]) -> TotalsOut:
    rows = queries.totals(request.user, filters.year)
    balances = queries.project_balances(request.user, "totals")
    return TotalsOut(
        totals=[TotalOut(**asdict(row)) for row in rows],
        projects=[BalanceOut(**_balance_fields(balance)) for balance in balances],
    )
