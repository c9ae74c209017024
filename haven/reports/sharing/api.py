"""API of consolidated statistics: networks, invitations, monthly submissions and consolidated reports.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Bad input is a 422 with the verb's sentence.
"""

import uuid
from datetime import datetime
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Area
from haven.reports.sharing import actions
from haven.reports.sharing.models import (
    ADMIN_ROLES,
    DATA_ROLES,
    SHARING_ROLES,
    ConsolidatedReport,
    Network,
    NetworkMember,
    Submission,
)

router = Router(tags=["consolidated statistics"])

NETWORK = ("network_id",)


class NetworkIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    area_level: int = Field(Area.Level.DISTRICT, ge=1, le=5)
    deadline_day: int = Field(15, ge=1, le=31)
    threshold: int = Field(5, ge=1, le=100)


class NetworkOut(Schema):
    id: uuid.UUID
    name: str
    consolidated_by: str
    area_level: int
    deadline_day: int
    threshold: int


class InviteIn(Schema):
    org: str = Field(min_length=1, max_length=60, description="The organisation's short name (slug)")


class SharingMemberOut(Schema):
    id: uuid.UUID
    network_id: uuid.UUID
    status: str


class MonthIn(Schema):
    report: str = Field(actions.DEFAULT_REPORT, min_length=1, max_length=60)
    period: str = Field(min_length=7, max_length=7, description="YYYY-MM")


class SubmissionOut(Schema):
    id: uuid.UUID
    network_id: uuid.UUID
    report: str
    period: str
    status: str
    approved_at: datetime | None
    cells: dict[str, Any]


class ConsolidatedOut(Schema):
    id: uuid.UUID
    network_id: uuid.UUID
    report: str
    period: str
    contributors: int
    threshold: int
    cells: dict[str, Any]


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _network_out(network: Network) -> NetworkOut:
    return NetworkOut(
        id=network.pk,
        name=network.name,
        consolidated_by=network.org.name,
        area_level=network.area_level,
        deadline_day=network.deadline_day,
        threshold=network.threshold,
    )


def _submission_out(item: Submission) -> SubmissionOut:
    return SubmissionOut(
        id=item.pk,
        network_id=item.network_id,
        report=item.report_code,
        period=item.period,
        status=item.status,
        approved_at=item.approved_at,
        cells=item.cells,
    )


def _consolidated_out(item: ConsolidatedReport) -> ConsolidatedOut:
    return ConsolidatedOut(
        id=item.pk,
        network_id=item.network_id,
        report=item.report_code,
        period=item.period,
        contributors=item.contributors,
        threshold=item.threshold,
        cells=item.cells,
    )


@router.get("/sharing/networks", response=list[NetworkOut])
@api_access(SHARING_ROLES)
def list_networks(request: StaffRequest) -> list[NetworkOut]:
    return [_network_out(n) for n in Network.objects.visible_to(request.user).select_related("org")]


@router.post("/sharing/networks", response={201: NetworkOut})
@api_access(ADMIN_ROLES)
def create_network(request: StaffRequest, payload: NetworkIn) -> Status[NetworkOut]:
    network = actions.create_network(org=request.org, **payload.dict(), **_now(request))
    return Status(201, _network_out(network))


@router.post("/sharing/networks/{network_id}/members", response={201: SharingMemberOut})
@api_access(ADMIN_ROLES, object_kwargs=NETWORK)
def invite(request: StaffRequest, network_id: uuid.UUID, payload: InviteIn) -> Status[SharingMemberOut]:
    network = get_visible_or_404(Network.objects.all(), request.user, "manage", pk=network_id)
    member = actions.invite_member(network=network, slug=payload.org, **_now(request))
    return Status(201, SharingMemberOut(id=member.pk, network_id=network.pk, status=member.status))


@router.post("/sharing/invitations/{invitation_id}/accept", response=SharingMemberOut)
@api_access(ADMIN_ROLES, object_kwargs=("invitation_id",))
def accept(request: StaffRequest, invitation_id: uuid.UUID) -> SharingMemberOut:
    invitation = get_visible_or_404(NetworkMember.objects.all(), request.user, "accept", pk=invitation_id)
    member = actions.accept_invitation(invitation=invitation, **_now(request))
    return SharingMemberOut(id=member.pk, network_id=member.network_id, status=member.status)


@router.post("/sharing/networks/{network_id}/submissions", response={201: SubmissionOut})
@api_access(DATA_ROLES, object_kwargs=NETWORK)
def prepare(request: StaffRequest, network_id: uuid.UUID, payload: MonthIn) -> Status[SubmissionOut]:
    network = get_visible_or_404(Network.objects.all(), request.user, "submit", pk=network_id)
    submission = actions.prepare_submission(
        network=network,
        org=request.org,
        report_code=payload.report,
        period_code=payload.period,
        **_now(request),
    )
    return Status(201, _submission_out(submission))


@router.get("/sharing/submissions/{submission_id}", response=SubmissionOut)
@api_access(SHARING_ROLES, object_kwargs=("submission_id",))
def submission(request: StaffRequest, submission_id: uuid.UUID) -> SubmissionOut:
    return _submission_out(get_visible_or_404(Submission.objects.all(), request.user, pk=submission_id))


@router.post("/sharing/submissions/{submission_id}/approve", response=SubmissionOut)
@api_access(DATA_ROLES, object_kwargs=("submission_id",))
def approve(request: StaffRequest, submission_id: uuid.UUID) -> SubmissionOut:
    item = get_visible_or_404(Submission.objects.all(), request.user, "approve", pk=submission_id)
    return _submission_out(actions.approve_submission(submission=item, **_now(request)))


@router.post("/sharing/networks/{network_id}/consolidations", response={201: ConsolidatedOut})
@api_access(DATA_ROLES, object_kwargs=NETWORK)
def consolidate(request: StaffRequest, network_id: uuid.UUID, payload: MonthIn) -> Status[ConsolidatedOut]:
    network = get_visible_or_404(Network.objects.all(), request.user, "consolidate", pk=network_id)
    result = actions.consolidate(
        network=network, report_code=payload.report, period_code=payload.period, **_now(request)
    )
    return Status(201, _consolidated_out(result))


@router.get("/sharing/consolidated/{consolidated_id}", response=ConsolidatedOut)
@api_access(SHARING_ROLES, object_kwargs=("consolidated_id",))
def consolidated(request: StaffRequest, consolidated_id: uuid.UUID) -> ConsolidatedOut:
    item = get_visible_or_404(ConsolidatedReport.objects.all(), request.user, pk=consolidated_id)
    return _consolidated_out(item)
