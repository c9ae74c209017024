"""API for selection: applications (channel API), their papers, quotas with usage, selection lists through
review, publication, objections and the final list, and the figures for reports.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
A list's steps name the list by the stage they need (`reviewing_list_id`, `published_list_id`…): the
same list, but the names say in the API documentation which state each step expects. Bad input is a 422
with the verb's sentence, field by field. An answer carrying a list or an objection is an audited read of
it (`benefits.list_view`), after a step as on a read.
"""

import base64
import binascii
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from haven.benefits import eligibility
from haven.benefits.models import APPROVING_ROLES, PROGRAMME_ROLES, Application, Beneficiary, Programme, Quota
from haven.benefits.selection import actions, queries
from haven.benefits.selection.models import ApplicationDocument, Objection, SelectionEntry, SelectionList
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Area
from haven.web.openapi import SchemaName

ApplicationStatus = Annotated[Application.Status, SchemaName("ApplicationStatus")]
ApplicationDocumentKind = Annotated[ApplicationDocument.Kind, SchemaName("ApplicationDocumentKind")]


router = Router(tags=["selection"])

APPLICATION = ("benefit_application_id",)
QUOTA = ("selection_quota_id",)


# --- schemas -------------------------------------------------------------------------------------------


class SelectionApplicationIn(Schema):
    programme_id: uuid.UUID
    beneficiary_id: uuid.UUID


class VerdictOut(Schema):
    rule: str
    passed: bool
    sentence: str


class ApplicationOut(Schema):
    id: uuid.UUID
    programme_id: uuid.UUID
    beneficiary_id: uuid.UUID
    registry_number: str
    area_id: uuid.UUID
    status: str
    channel: str
    submitted_at: datetime
    rule_set_version: int | None
    priority_score: Decimal | None
    verdicts: list[VerdictOut]


class ApplicationsQuery(Schema):
    programme_id: uuid.UUID | None = None
    area_id: uuid.UUID | None = None
    status: ApplicationStatus | None = None


class SelectionDocumentIn(Schema):
    kind: ApplicationDocumentKind
    file_name: str = Field(max_length=200)
    content_base64: str = Field(description="The file's bytes, base64; PDF, JPEG or PNG, at most 2 MB")


class SelectionDocumentOut(Schema):
    id: uuid.UUID
    application_id: uuid.UUID
    kind: str
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime


class DocumentContentOut(SelectionDocumentOut):
    content_base64: str


class QuotaIn(Schema):
    programme_id: uuid.UUID
    area_id: uuid.UUID
    period_start: date
    period_end: date
    places: int = Field(ge=0)


class QuotaPatch(Schema):
    period_start: date | None = None
    period_end: date | None = None
    places: int | None = Field(None, ge=0)


class QuotaOut(Schema):
    id: uuid.UUID
    programme_id: uuid.UUID
    area_id: uuid.UUID
    period_start: date
    period_end: date
    places: int
    included: int
    selected: int


class EntryOut(Schema):
    id: uuid.UUID
    rank: int
    application_id: uuid.UUID
    registry_number: str
    priority_score: Decimal | None
    decision: str
    reason: str


class SelectionMemberIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    institution: str = Field(min_length=1, max_length=200)
    role_on_committee: str = Field(min_length=1, max_length=120)
    was_present: bool = True


class SelectionMemberOut(Schema):
    id: uuid.UUID
    name: str
    institution: str
    role_on_committee: str
    was_present: bool


class ObjectionOut(Schema):
    id: uuid.UUID
    about: str
    entry_id: uuid.UUID | None
    text: str
    anonymous: bool
    channel: str
    received_at: datetime
    status: str
    decision_reason: str


class ListOut(Schema):
    id: uuid.UUID
    programme_id: uuid.UUID
    area_id: uuid.UUID
    quota_id: uuid.UUID
    places: int
    status: str
    committee_name: str
    reviewed_on: date | None
    objections_end_on: date | None
    entries: list[EntryOut]
    committee_members: list[SelectionMemberOut]
    objections: list[ObjectionOut]


class ListRowOut(Schema):
    id: uuid.UUID
    programme_id: uuid.UUID
    area_id: uuid.UUID
    status: str
    objections_end_on: date | None


class SelectionReviewIn(Schema):
    committee_name: str = Field(min_length=1, max_length=200)
    reviewed_on: date


class SelectionDecisionIn(Schema):
    decision: SelectionEntry.Decision
    reason: str = Field("", max_length=2000)


class PublishIn(Schema):
    objections_end_on: date


class ObjectionIn(Schema):
    about: Objection.About
    text: str = Field(min_length=1, max_length=2000)
    registry_number: str = Field("", max_length=40)
    objector_name: str = Field("", max_length=200)
    objector_contact: str = Field("", max_length=200)


class ObjectionDecisionIn(Schema):
    upheld: bool
    reason: str = Field(min_length=1, max_length=2000)
    omitted_application_id: uuid.UUID | None = None


class StatusRowOut(Schema):
    area: str
    status: str
    count: int


class QuotaRowOut(Schema):
    programme: str
    area: str
    period_start: date
    period_end: date
    places: int
    included: int
    selected: int


class SelectionStatisticsOut(Schema):
    applications: list[StatusRowOut]
    selection_vs_quota: list[QuotaRowOut]


# --- helpers -------------------------------------------------------------------------------------------


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _application(request: StaffRequest, application_id: uuid.UUID) -> Application:
    found: Application = get_visible_or_404(
        Application.objects.select_related("org", "programme", "beneficiary", "rule_set"),
        request.user,
        pk=application_id,
    )
    return found


def _list(request: StaffRequest, list_id: uuid.UUID, action: str = "change") -> SelectionList:
    found: SelectionList = get_visible_or_404(
        SelectionList.objects.select_related("org", "programme", "quota"), request.user, action, pk=list_id
    )
    return found


def _application_out(application: Application) -> ApplicationOut:
    verdicts = [
        VerdictOut(
            rule=str(v.get("rule", "")), passed=bool(v.get("passed", True)), sentence=eligibility.describe(v)
        )
        for v in application.explanation
    ]
    return ApplicationOut(
        id=application.pk,
        programme_id=application.programme_id,
        beneficiary_id=application.beneficiary_id,
        registry_number=application.beneficiary.registry_number,
        area_id=application.area_id,
        status=application.status,
        channel=application.channel,
        submitted_at=application.submitted_at,
        rule_set_version=application.rule_set.version if application.rule_set else None,
        priority_score=application.priority_score,
        verdicts=verdicts,
    )


def _document_fields(document: ApplicationDocument) -> dict[str, Any]:
    return {
        "id": document.pk,
        "application_id": document.application_id,
        "kind": document.kind,
        "file_name": document.file_name,
        "content_type": document.content_type,
        "size": document.size,
        "uploaded_at": document.uploaded_at,
    }


def _quota_out(quota: Quota) -> QuotaOut:
    return QuotaOut(
        id=quota.pk,
        programme_id=quota.programme_id,
        area_id=quota.area_id,
        period_start=quota.period_start,
        period_end=quota.period_end,
        places=quota.places,
        included=getattr(quota, "included", 0),
        selected=getattr(quota, "selected", 0),
    )


def _objection_out(objection: Objection) -> ObjectionOut:
    return ObjectionOut(
        id=objection.pk,
        about=objection.about,
        entry_id=objection.entry_id,
        text=objection.text,
        anonymous=not objection.objector_name,
        channel=objection.channel,
        received_at=objection.received_at,
        status=objection.status,
        decision_reason=objection.decision_reason,
    )


def _read_objection(request: StaffRequest, objection: Objection) -> ObjectionOut:
    """An objection carries what someone wrote about her: showing it is an audited read."""
    actions.record_list_view(record=objection, **_now(request))
    return _objection_out(objection)


def _read_list(request: StaffRequest, selection_list: SelectionList) -> ListOut:
    """A list carries its committee's names, the reasons for each decision on her and the objections:
    showing it is an audited read of the list."""
    actions.record_list_view(record=selection_list, **_now(request))
    return _list_out(selection_list)


def _list_out(selection_list: SelectionList) -> ListOut:
    entries = [
        EntryOut(
            id=e.pk,
            rank=e.rank,
            application_id=e.application_id,
            registry_number=e.application.beneficiary.registry_number,
            priority_score=e.priority_score,
            decision=e.decision,
            reason=e.reason or "",
        )
        for e in queries.entries(selection_list)
    ]
    members = [
        SelectionMemberOut(
            id=m.pk,
            name=m.name,
            institution=m.institution,
            role_on_committee=m.role_on_committee,
            was_present=m.was_present,
        )
        for m in selection_list.committee_members.all()
    ]
    return ListOut(
        id=selection_list.pk,
        programme_id=selection_list.programme_id,
        area_id=selection_list.area_id,
        quota_id=selection_list.quota_id,
        places=selection_list.quota.places,
        status=selection_list.status,
        committee_name=selection_list.committee_name,
        reviewed_on=selection_list.reviewed_on,
        objections_end_on=selection_list.objections_end_on,
        entries=entries,
        committee_members=members,
        # Part of the list's read: one entry for the list, not one per objection.
        objections=[_objection_out(o) for o in queries.objections(selection_list)],
    )


def _visible(model: Any, request: StaffRequest, pk: Any, field: str) -> Any:
    """An object named in a body: outside the user's scope it is a 422 on that field, not a 404."""
    found = model.objects.visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("Nothing with this identifier exists in your organisation.")})
    return found


# --- applications --------------------------------------------------------------------------------------


@router.get("/benefit-applications", response=list[ApplicationOut], summary="Applications (newest first)")
@api_access(PROGRAMME_ROLES)
def list_applications(request: StaffRequest, filters: Query[ApplicationsQuery]) -> list[ApplicationOut]:
    found = Application.objects.visible_to(request.user).select_related("beneficiary", "rule_set")
    if filters.programme_id:
        found = found.filter(programme_id=filters.programme_id)
    if filters.area_id:
        found = found.filter(area_id=filters.area_id)
    if filters.status:
        found = found.filter(status=filters.status)
    return [_application_out(a) for a in found[:500]]


@router.post("/benefit-applications", response={201: ApplicationOut}, summary="Apply (judged at once)")
@api_access(PROGRAMME_ROLES)
def submit_application(request: StaffRequest, payload: SelectionApplicationIn) -> Status[ApplicationOut]:
    programme = _visible(Programme, request, payload.programme_id, "programme_id")
    beneficiary = _visible(Beneficiary, request, payload.beneficiary_id, "beneficiary_id")
    application = actions.submit_application(
        programme=programme, beneficiary=beneficiary, channel=Application.Channel.API, **_now(request)
    )
    return Status(201, _application_out(application))


@router.get(
    "/benefit-applications/{benefit_application_id}", response=ApplicationOut, summary="One (audited)"
)
@api_access(PROGRAMME_ROLES, object_kwargs=APPLICATION)
def get_application(request: StaffRequest, benefit_application_id: uuid.UUID) -> ApplicationOut:
    application = _application(request, benefit_application_id)
    actions.record_application_view(application=application, **_now(request))
    return _application_out(application)


@router.post(
    "/benefit-applications/{benefit_application_id}/withdraw", response=ApplicationOut, summary="Withdraw"
)
@api_access(PROGRAMME_ROLES, object_kwargs=APPLICATION)
def withdraw_application(request: StaffRequest, benefit_application_id: uuid.UUID) -> ApplicationOut:
    application = _application(request, benefit_application_id)
    actions.withdraw_application(application=application, **_now(request))
    return _application_out(application)


@router.post(
    "/benefit-applications/{benefit_application_id}/documents",
    response={201: SelectionDocumentOut},
    summary="Attach a paper",
)
@api_access(PROGRAMME_ROLES, object_kwargs=APPLICATION)
def attach_document(
    request: StaffRequest, benefit_application_id: uuid.UUID, payload: SelectionDocumentIn
) -> Status[SelectionDocumentOut]:
    application = _application(request, benefit_application_id)
    if len(payload.content_base64) > actions.MAX_DOCUMENT_BYTES * 4 // 3 + 4:
        raise ValidationError(
            {"content_base64": _("The file is too large: at most 2 MB. Scan it at a lower resolution.")}
        )
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"content_base64": _("Send the file's bytes in base64.")}) from None
    document = actions.attach_document(
        application=application,
        kind=payload.kind,
        file_name=payload.file_name,
        content=content,
        **_now(request),
    )
    return Status(201, SelectionDocumentOut(**_document_fields(document)))


@router.get(
    "/application-documents/{application_document_id}",
    response=DocumentContentOut,
    summary="A paper (audited)",
)
@api_access(PROGRAMME_ROLES, object_kwargs=("application_document_id",))
def get_document(request: StaffRequest, application_document_id: uuid.UUID) -> DocumentContentOut:
    document: ApplicationDocument = get_visible_or_404(
        ApplicationDocument.objects.select_related("application__org"),
        request.user,
        pk=application_document_id,
    )
    content = actions.read_document(document=document, **_now(request))
    return DocumentContentOut(
        **_document_fields(document), content_base64=base64.b64encode(content).decode("ascii")
    )


# --- quotas --------------------------------------------------------------------------------------------


@router.get("/quotas", response=list[QuotaOut], summary="Quotas with their usage")
@api_access(PROGRAMME_ROLES)
def list_quotas(request: StaffRequest) -> list[QuotaOut]:
    return [_quota_out(q) for q in queries.quota_usage(request.user)[:1000]]


@router.post("/quotas", response={201: QuotaOut}, summary="Set a union's quota for a period")
@api_access(APPROVING_ROLES)
def create_quota(request: StaffRequest, payload: QuotaIn) -> Status[QuotaOut]:
    programme = _visible(Programme, request, payload.programme_id, "programme_id")
    area = Area.objects.filter(org=request.org, pk=payload.area_id).first()
    if area is None:
        raise ValidationError({"area_id": _("Nothing with this identifier exists in your organisation.")})
    quota = actions.create_quota(
        programme=programme, area=area, **payload.dict(exclude={"programme_id", "area_id"}), **_now(request)
    )
    return Status(201, _quota_out(quota))


@router.patch("/quotas/{selection_quota_id}", response=QuotaOut, summary="Change a quota's period or places")
@api_access(APPROVING_ROLES, object_kwargs=QUOTA)
def update_quota(request: StaffRequest, selection_quota_id: uuid.UUID, payload: QuotaPatch) -> QuotaOut:
    quota: Quota = get_visible_or_404(
        Quota.objects.select_related("programme__org", "area"), request.user, "approve", pk=selection_quota_id
    )
    changed = actions.update_quota(
        quota=quota,
        period_start=payload.period_start or quota.period_start,
        period_end=payload.period_end or quota.period_end,
        places=quota.places if payload.places is None else payload.places,
        acting_user=request.user,
        at=timezone.now(),
    )
    return _quota_out(changed)


@router.post(
    "/quotas/{selection_quota_id}/draft-list", response={201: ListOut}, summary="Build the draft list"
)
@api_access(PROGRAMME_ROLES, object_kwargs=QUOTA)
def build_draft(request: StaffRequest, selection_quota_id: uuid.UUID) -> Status[ListOut]:
    quota: Quota = get_visible_or_404(
        Quota.objects.select_related("programme__org"), request.user, "change", pk=selection_quota_id
    )
    selection_list = actions.build_draft(quota=quota, **_now(request))
    return Status(201, _read_list(request, selection_list))


# --- lists ---------------------------------------------------------------------------------------------


@router.get("/selection-lists", response=list[ListRowOut], summary="Selection lists")
@api_access(PROGRAMME_ROLES)
def list_lists(request: StaffRequest) -> list[ListRowOut]:
    return [
        ListRowOut(
            id=s.pk,
            programme_id=s.programme_id,
            area_id=s.area_id,
            status=s.status,
            objections_end_on=s.objections_end_on,
        )
        for s in SelectionList.objects.visible_to(request.user)[:1000]
    ]


@router.get("/selection-lists/{selection_list_id}", response=ListOut, summary="A list with its entries")
@api_access(PROGRAMME_ROLES, object_kwargs=("selection_list_id",))
def get_list(request: StaffRequest, selection_list_id: uuid.UUID) -> ListOut:
    return _read_list(request, _list(request, selection_list_id, "view"))


@router.post(
    "/selection-lists/{draft_list_id}/review", response=ListOut, summary="Start the committee review"
)
@api_access(PROGRAMME_ROLES, object_kwargs=("draft_list_id",))
def start_review(request: StaffRequest, draft_list_id: uuid.UUID, payload: SelectionReviewIn) -> ListOut:
    selection_list = _list(request, draft_list_id)
    return _read_list(
        request, actions.start_review(selection_list=selection_list, **payload.dict(), **_now(request))
    )


@router.post(
    "/selection-lists/{reviewing_list_id}/committee-members",
    response={201: SelectionMemberOut},
    summary="Record a member",
)
@api_access(PROGRAMME_ROLES, object_kwargs=("reviewing_list_id",))
def add_member(
    request: StaffRequest, reviewing_list_id: uuid.UUID, payload: SelectionMemberIn
) -> Status[SelectionMemberOut]:
    member = actions.add_committee_member(
        selection_list=_list(request, reviewing_list_id), **payload.dict(), **_now(request)
    )
    return Status(
        201,
        SelectionMemberOut(
            id=member.pk,
            name=member.name,
            institution=member.institution,
            role_on_committee=member.role_on_committee,
            was_present=member.was_present,
        ),
    )


@router.post(
    "/selection-entries/{selection_entry_id}/decision", response=EntryOut, summary="Include or exclude"
)
@api_access(PROGRAMME_ROLES, object_kwargs=("selection_entry_id",))
def decide_entry(
    request: StaffRequest, selection_entry_id: uuid.UUID, payload: SelectionDecisionIn
) -> EntryOut:
    entry: SelectionEntry = get_visible_or_404(
        SelectionEntry.objects.select_related("selection_list", "application__beneficiary"),
        request.user,
        "change",
        pk=selection_entry_id,
    )
    actions.decide_entry(entry=entry, decision=payload.decision, reason=payload.reason, **_now(request))
    return EntryOut(
        id=entry.pk,
        rank=entry.rank,
        application_id=entry.application_id,
        registry_number=entry.application.beneficiary.registry_number,
        priority_score=entry.priority_score,
        decision=entry.decision,
        reason=entry.reason or "",
    )


@router.post(
    "/selection-lists/{reviewing_list_id}/include-undecided", response=ListOut, summary="Include the rest"
)
@api_access(PROGRAMME_ROLES, object_kwargs=("reviewing_list_id",))
def include_undecided(request: StaffRequest, reviewing_list_id: uuid.UUID) -> ListOut:
    selection_list = _list(request, reviewing_list_id)
    actions.include_undecided(selection_list=selection_list, **_now(request))
    return _read_list(request, selection_list)


@router.post("/selection-lists/{reviewed_list_id}/publish", response=ListOut, summary="Approve and publish")
@api_access(APPROVING_ROLES, object_kwargs=("reviewed_list_id",))
def publish_list(request: StaffRequest, reviewed_list_id: uuid.UUID, payload: PublishIn) -> ListOut:
    selection_list = _list(request, reviewed_list_id, "approve")
    return _read_list(
        request, actions.publish_list(selection_list=selection_list, **payload.dict(), **_now(request))
    )


@router.post(
    "/selection-lists/{published_list_id}/objections",
    response={201: ObjectionOut},
    summary="Log an objection",
)
@api_access(PROGRAMME_ROLES, object_kwargs=("published_list_id",))
def record_objection(
    request: StaffRequest, published_list_id: uuid.UUID, payload: ObjectionIn
) -> Status[ObjectionOut]:
    objection = actions.record_objection(
        selection_list=_list(request, published_list_id),
        channel=Objection.Channel.API,
        **payload.dict(),
        **_now(request),
    )
    return Status(201, _read_objection(request, objection))


@router.post(
    "/list-objections/{list_objection_id}/decision", response=ObjectionOut, summary="Decide an objection"
)
@api_access(PROGRAMME_ROLES, object_kwargs=("list_objection_id",))
def decide_objection(
    request: StaffRequest, list_objection_id: uuid.UUID, payload: ObjectionDecisionIn
) -> ObjectionOut:
    objection: Objection = get_visible_or_404(
        Objection.objects.select_related("selection_list"), request.user, "change", pk=list_objection_id
    )
    omitted = None
    if payload.omitted_application_id is not None:
        omitted = _visible(Application, request, payload.omitted_application_id, "omitted_application_id")
    decided = actions.decide_objection(
        objection=objection,
        upheld=payload.upheld,
        reason=payload.reason,
        omitted_application=omitted,
        **_now(request),
    )
    return _read_objection(request, decided)


@router.post("/selection-lists/{closing_list_id}/finalise", response=ListOut, summary="Make final and enrol")
@api_access(APPROVING_ROLES, object_kwargs=("closing_list_id",))
def finalise_list(request: StaffRequest, closing_list_id: uuid.UUID) -> ListOut:
    selection_list = _list(request, closing_list_id, "approve")
    return _read_list(request, actions.finalise_list(selection_list=selection_list, **_now(request)))


@router.get(
    "/selection-statistics",
    response=SelectionStatisticsOut,
    summary="Applications by status and area; quotas",
)
@api_access(PROGRAMME_ROLES)
def statistics(request: StaffRequest) -> SelectionStatisticsOut:
    return SelectionStatisticsOut(
        applications=[StatusRowOut(**row) for row in queries.applications_by_status_area(request.user)],
        selection_vs_quota=[QuotaRowOut(**row) for row in queries.selection_vs_quota(request.user)],
    )
