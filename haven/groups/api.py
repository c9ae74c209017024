"""API for group work: activities, sessions, attendance, anonymous counts, courses (enrolment, exam,
certificate), campaigns with their materials, distributions and totals, and participation figures.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Activities, sessions, counts and campaigns: every member of the organisation reads them; the organising
roles write them. Attendance and enrolments name a person: only roles that work with survivors read or
write them, and the API shows survivor codes, never names.
"""

import uuid
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from haven.groups import actions, queries
from haven.groups.models import (
    ORGANISER_ROLES,
    Activity,
    ActivityKind,
    ActivitySession,
    AgeGroup,
    AnonymousCount,
    Attendance,
    Audience,
    Campaign,
    Certificate,
    Distribution,
    Enrolment,
    Institution,
    Material,
    Sex,
)
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Area, Membership, Site
from haven.orgs.roles import ROLES_NOT_KEPT_APART
from haven.orgs.validation import LocalDateTime
from haven.people.models import Person
from haven.people.views import SURVIVOR_ROLES
from haven.web.openapi import SchemaName

GroupSex = Annotated[Sex, SchemaName("GroupSex")]
AttendanceStatus = Annotated[Attendance.Status, SchemaName("AttendanceStatus")]
MaterialKind = Annotated[Material.Kind, SchemaName("MaterialKind")]


router = Router(tags=["groups"])

ACTIVITY = ("group_activity_id",)
SESSION = ("group_session_id",)
ENROLMENT = ("group_enrolment_id",)
CAMPAIGN = ("group_campaign_id",)
MATERIAL = ("group_material_id",)


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


# --- schemas -------------------------------------------------------------------------------------------


class ActivityIn(Schema):
    kind: ActivityKind
    title: str = Field(min_length=1, max_length=200)
    audience: Audience
    language: str = Field(min_length=2, max_length=8)
    starts_on: date
    ends_on: date | None = None
    site_id: uuid.UUID | None = None
    capacity: int | None = None
    facilitator_ids: list[int] = Field(default_factory=list, max_length=20)
    description: str = Field("", max_length=4000)
    pass_mark: int | None = None


# Further than any organisation's list of activities reaches; it keeps OFFSET within a database integer.
MAX_OFFSET = 1_000_000


class ActivityQuery(Schema):
    kind: ActivityKind | None = None
    start: date | None = None
    end: date | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ActivityOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    audience: str
    language: str
    site_id: uuid.UUID | None
    site: str
    capacity: int | None
    starts_on: date
    ends_on: date | None
    pass_mark: int | None
    session_count: int
    known_count: int
    anonymous_count: int


class GroupSessionIn(Schema):
    starts_at: LocalDateTime
    site_id: uuid.UUID | None = None
    place: str = Field("", max_length=120)
    facilitator_id: int | None = None
    language: str = Field("", max_length=8)
    capacity: int | None = None
    topic: str = Field("", max_length=200)
    notes: str = Field("", max_length=4000)


class GroupSessionOut(Schema):
    id: uuid.UUID
    activity_id: uuid.UUID
    starts_at: datetime
    site_id: uuid.UUID | None
    site: str
    place: str
    facilitator_id: int | None
    language: str
    capacity: int | None
    topic: str
    known_count: int
    anonymous_count: int


class ActivityDetailOut(ActivityOut):
    description: str
    facilitator_ids: list[int]
    sessions: list[GroupSessionOut]


class CountIn(Schema):
    sex: GroupSex
    age_group: AgeGroup
    institution: Institution | None = None
    count: int


class CountsIn(Schema):
    counts: list[CountIn] = Field(min_length=1, max_length=200)


class CountOut(Schema):
    sex: str
    age_group: str
    institution: str
    count: int


class GroupSessionDetailOut(GroupSessionOut):
    present: int
    absent: int
    excused: int
    anonymous: int
    total: int
    free: int | None
    counts: list[CountOut]


class AttendanceIn(Schema):
    person_id: uuid.UUID
    status: AttendanceStatus = Attendance.Status.PRESENT


class AttendanceOut(Schema):
    person_id: uuid.UUID
    survivor_code: str
    status: str
    sex: str
    age_group: str
    recorded_at: datetime


class GroupPersonIn(Schema):
    person_id: uuid.UUID


class GroupEnrolmentOut(Schema):
    id: uuid.UUID
    activity_id: uuid.UUID
    person_id: uuid.UUID
    survivor_code: str
    exam_score: int | None
    passed: bool | None
    certificate_number: str | None


class GroupExamIn(Schema):
    score: int


class GroupCertificateIn(Schema):
    person_id: uuid.UUID
    language: str = Field("", max_length=8)


class GroupCertificateOut(Schema):
    id: uuid.UUID
    number: str
    enrolment_id: uuid.UUID
    person_id: uuid.UUID
    language: str
    issued_at: datetime


class CampaignIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    starts_on: date
    ends_on: date | None = None
    goal: str = Field("", max_length=4000)


class TotalsOut(Schema):
    produced: int
    distributed: int
    remaining: int


class CampaignOut(TotalsOut):
    id: uuid.UUID
    title: str
    goal: str
    starts_on: date
    ends_on: date | None


class MaterialIn(Schema):
    kind: MaterialKind
    title: str = Field(min_length=1, max_length=300)
    language: str = Field(min_length=2, max_length=8)
    audience: str = Field(min_length=1, max_length=200)
    quantity_produced: int


class MaterialOut(TotalsOut):
    id: uuid.UUID
    campaign_id: uuid.UUID
    kind: str
    title: str
    language: str
    audience: str


class CampaignDetailOut(CampaignOut):
    materials: list[MaterialOut]


class CampaignTotalsOut(TotalsOut):
    materials: list[MaterialOut]


class DistributionIn(Schema):
    quantity: int
    distributed_on: date
    area_id: uuid.UUID | None = None
    place: str = Field("", max_length=200)
    channel: str = Field("", max_length=200)


class DistributionOut(Schema):
    id: uuid.UUID
    material_id: uuid.UUID
    quantity: int
    distributed_on: date
    area_id: uuid.UUID | None
    place: str
    channel: str


class FiguresQuery(Schema):
    start: date | None = None
    end: date | None = None


class FigureRowOut(Schema):
    key: str
    label: str
    known: int
    anonymous: int
    total: int


class FiguresOut(Schema):
    start: date
    end: date
    sessions: int
    people: int
    known: int
    anonymous: int
    total: int
    by_kind: list[FigureRowOut]
    by_sex: list[FigureRowOut]
    by_age_group: list[FigureRowOut]
    by_institution: list[FigureRowOut]


# --- lookups: objects named in a body are field errors (422), never another organisation's ---------------


def _site(request: StaffRequest, site_id: uuid.UUID | None) -> Site | None:
    if site_id is None:
        return None
    site: Site | None = Site.objects.filter(org=request.org, pk=site_id).first()
    if site is None:
        raise ValidationError({"site_id": _("Choose an active site of your organisation.")})
    return site


def _member(request: StaffRequest, field: str, ids: list[int]) -> list[Membership]:
    found = list(Membership.objects.filter(org=request.org, is_active=True, pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({field: _("Choose active members of your organisation's staff.")})
    return found


def _person(request: StaffRequest, person_id: uuid.UUID) -> Person:
    person: Person | None = Person.objects.visible_to(request.user).filter(pk=person_id).first()
    if person is None:
        raise ValidationError({"person_id": _("Choose a person registered in your organisation.")})
    return person


def _area(request: StaffRequest, area_id: uuid.UUID | None) -> Area | None:
    if area_id is None:
        return None
    area: Area | None = Area.objects.filter(org=request.org, pk=area_id).first()
    if area is None:
        raise ValidationError({"area_id": _("Choose an area of your organisation.")})
    return area


def _activity(request: StaffRequest, activity_id: uuid.UUID, action: str = "view") -> Activity:
    activity: Activity = get_visible_or_404(
        Activity.objects.select_related("site", "org"), request.user, action, pk=activity_id
    )
    return activity


def _session(request: StaffRequest, session_id: uuid.UUID, action: str = "view") -> ActivitySession:
    session: ActivitySession = get_visible_or_404(
        ActivitySession.objects.select_related("activity", "site"), request.user, action, pk=session_id
    )
    return session


def _campaign(request: StaffRequest, campaign_id: uuid.UUID, action: str = "view") -> Campaign:
    campaign: Campaign = get_visible_or_404(Campaign.objects.all(), request.user, action, pk=campaign_id)
    return campaign


# --- serialisers -----------------------------------------------------------------------------------------


def _activity_out(activity: Activity, schema: Any = ActivityOut, **extra: Any) -> Any:
    return schema(
        id=activity.pk,
        kind=activity.kind,
        title=activity.title,
        audience=activity.audience,
        language=activity.language,
        site_id=activity.site_id,
        site=activity.site.name if activity.site else "",
        capacity=activity.capacity,
        starts_on=activity.starts_on,
        ends_on=activity.ends_on,
        pass_mark=activity.pass_mark,
        session_count=getattr(activity, "session_count", 0),
        known_count=getattr(activity, "known_count", 0),
        anonymous_count=getattr(activity, "anonymous_count", 0),
        **extra,
    )


def _session_out(session: ActivitySession, schema: Any = GroupSessionOut, **extra: Any) -> Any:
    return schema(
        id=session.pk,
        activity_id=session.activity_id,
        starts_at=session.starts_at,
        site_id=session.site_id,
        site=session.site.name if session.site else "",
        place=session.place,
        facilitator_id=session.facilitator_id,
        language=session.language,
        capacity=session.capacity,
        topic=session.topic,
        known_count=getattr(session, "known_count", extra.get("present", 0)),
        anonymous_count=getattr(session, "anonymous_count", extra.get("anonymous", 0)),
        **extra,
    )


def _activity_detail(activity: Activity) -> ActivityDetailOut:
    annotated = queries.activity_list_for(activity)
    sessions = [_session_out(s) for s in queries.sessions_of(activity)]
    return _activity_out(  # type: ignore[no-any-return]
        annotated,
        ActivityDetailOut,
        description=activity.description,
        facilitator_ids=list(activity.facilitators.values_list("pk", flat=True)),
        sessions=sessions,
    )


def _session_detail(session: ActivitySession) -> GroupSessionDetailOut:
    counts = queries.session_counts(session)
    cells = [
        CountOut(sex=sex, age_group=age, institution=institution, count=n)
        for (sex, age, institution), n in sorted(counts.cells.items())
    ]
    return _session_out(  # type: ignore[no-any-return]
        session,
        GroupSessionDetailOut,
        present=counts.present,
        absent=counts.absent,
        excused=counts.excused,
        anonymous=counts.anonymous,
        total=counts.total,
        free=counts.free,
        counts=cells,
    )


def _attendance_out(row: Attendance) -> AttendanceOut:
    return AttendanceOut(
        person_id=row.person_id,
        survivor_code=row.person.survivor_code,
        status=row.status,
        sex=row.sex,
        age_group=row.age_group,
        recorded_at=row.recorded_at,
    )


def _enrolment_out(enrolment: Enrolment) -> GroupEnrolmentOut:
    certificate = Certificate.objects.filter(enrolment=enrolment).first()
    return GroupEnrolmentOut(
        id=enrolment.pk,
        activity_id=enrolment.activity_id,
        person_id=enrolment.person_id,
        survivor_code=enrolment.person.survivor_code,
        exam_score=enrolment.exam_score,
        passed=enrolment.passed,
        certificate_number=certificate.number if certificate else None,
    )


def _material_out(material: Material, distributed: int | None = None) -> MaterialOut:
    if distributed is None:
        distributed = getattr(material, "distributed", None)
    if distributed is None:
        distributed = queries.material_totals(material).distributed
    return MaterialOut(
        id=material.pk,
        campaign_id=material.campaign_id,
        kind=material.kind,
        title=material.title,
        language=material.language,
        audience=material.audience,
        produced=material.quantity_produced,
        distributed=distributed,
        remaining=material.quantity_produced - distributed,
    )


def _campaign_out(campaign: Campaign, schema: Any = CampaignOut, **extra: Any) -> Any:
    totals = queries.campaign_totals(campaign)
    return schema(
        id=campaign.pk,
        title=campaign.title,
        goal=campaign.goal,
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        produced=totals.produced,
        distributed=totals.distributed,
        remaining=totals.remaining,
        **extra,
    )


def _distribution_out(distribution: Distribution) -> DistributionOut:
    return DistributionOut(
        id=distribution.pk,
        material_id=distribution.material_id,
        quantity=distribution.quantity,
        distributed_on=distribution.distributed_on,
        area_id=distribution.area_id,
        place=distribution.place,
        channel=distribution.channel,
    )


# --- activities and sessions -----------------------------------------------------------------------------


@router.get("/groups/activities", response=list[ActivityOut], summary="Group activities, by kind and period")
@api_access(ROLES_NOT_KEPT_APART)
def list_activities(request: StaffRequest, filters: Query[ActivityQuery]) -> list[ActivityOut]:
    activities = queries.activity_list(
        request.user, kind=filters.kind or "", start=filters.start, end=filters.end
    )
    return [_activity_out(a) for a in activities[filters.offset : filters.offset + filters.limit]]


@router.post("/groups/activities", response={201: ActivityDetailOut}, summary="Create a group activity")
@api_access(ORGANISER_ROLES)
def create_activity(request: StaffRequest, payload: ActivityIn) -> Status[ActivityDetailOut]:
    data = payload.dict(exclude={"site_id", "facilitator_ids"})
    activity = actions.create_activity(
        org=request.org,
        site=_site(request, payload.site_id),
        facilitators=_member(request, "facilitator_ids", payload.facilitator_ids),
        **data,
        **_now(request),
    )
    return Status(201, _activity_detail(activity))


@router.get(
    "/groups/activities/{group_activity_id}",
    response=ActivityDetailOut,
    summary="An activity and its sessions",
)
@api_access(ROLES_NOT_KEPT_APART, object_kwargs=ACTIVITY)
def get_activity(request: StaffRequest, group_activity_id: uuid.UUID) -> ActivityDetailOut:
    return _activity_detail(_activity(request, group_activity_id))


@router.post(
    "/groups/activities/{group_activity_id}/sessions",
    response={201: GroupSessionDetailOut},
    summary="Plan a session",
)
@api_access(ORGANISER_ROLES, object_kwargs=ACTIVITY)
def create_session(
    request: StaffRequest, group_activity_id: uuid.UUID, payload: GroupSessionIn
) -> Status[GroupSessionDetailOut]:
    activity = _activity(request, group_activity_id, "change")
    facilitators = _member(
        request, "facilitator_id", [payload.facilitator_id] if payload.facilitator_id else []
    )
    session = actions.add_session(
        activity=activity,
        site=_site(request, payload.site_id),
        facilitator=facilitators[0] if facilitators else None,
        **payload.dict(exclude={"site_id", "facilitator_id"}),
        **_now(request),
    )
    return Status(201, _session_detail(session))


@router.get(
    "/groups/sessions/{group_session_id}", response=GroupSessionDetailOut, summary="A session and its counts"
)
@api_access(ROLES_NOT_KEPT_APART, object_kwargs=SESSION)
def get_session(request: StaffRequest, group_session_id: uuid.UUID) -> GroupSessionDetailOut:
    return _session_detail(_session(request, group_session_id))


@router.get(
    "/groups/sessions/{group_session_id}/attendance",
    response=list[AttendanceOut],
    summary="Known persons at a session (survivor codes, never names)",
)
@api_access(SURVIVOR_ROLES, object_kwargs=SESSION)
def list_attendance(request: StaffRequest, group_session_id: uuid.UUID) -> list[AttendanceOut]:
    session = _session(request, group_session_id)
    rows = Attendance.objects.visible_to(request.user).filter(session=session).select_related("person")
    return [_attendance_out(row) for row in rows]


@router.post(
    "/groups/sessions/{group_session_id}/attendance",
    response={201: AttendanceOut},
    summary="Record whether a known person came",
)
@api_access(SURVIVOR_ROLES, object_kwargs=SESSION)
def record_attendance(
    request: StaffRequest, group_session_id: uuid.UUID, payload: AttendanceIn
) -> Status[AttendanceOut]:
    session = _session(request, group_session_id)
    row = actions.record_attendance(
        session=session, person=_person(request, payload.person_id), status=payload.status, **_now(request)
    )
    return Status(201, _attendance_out(row))


@router.put(
    "/groups/sessions/{group_session_id}/anonymous-counts",
    response=GroupSessionDetailOut,
    summary="Set anonymous counts by sex, age group and institution",
)
@api_access(ORGANISER_ROLES, object_kwargs=SESSION)
def set_counts(
    request: StaffRequest, group_session_id: uuid.UUID, payload: CountsIn
) -> GroupSessionDetailOut:
    session = _session(request, group_session_id, "change")
    cells = [actions.HeadCount(c.sex, c.age_group, c.count, c.institution or "") for c in payload.counts]
    actions.record_anonymous_counts(session=session, cells=cells, **_now(request))
    return _session_detail(session)


@router.get(
    "/groups/sessions/{group_session_id}/anonymous-counts",
    response=list[CountOut],
    summary="Anonymous counts of a session",
)
@api_access(ROLES_NOT_KEPT_APART, object_kwargs=SESSION)
def list_counts(request: StaffRequest, group_session_id: uuid.UUID) -> list[CountOut]:
    session = _session(request, group_session_id)
    rows = AnonymousCount.objects.filter(session=session)
    return [
        CountOut(sex=r.sex, age_group=r.age_group, institution=r.institution, count=r.count) for r in rows
    ]


# --- courses ---------------------------------------------------------------------------------------------


@router.get(
    "/groups/activities/{group_activity_id}/enrolments",
    response=list[GroupEnrolmentOut],
    summary="Participants of a training (survivor codes), exam results and certificates",
)
@api_access(SURVIVOR_ROLES, object_kwargs=ACTIVITY)
def list_enrolments(request: StaffRequest, group_activity_id: uuid.UUID) -> list[GroupEnrolmentOut]:
    activity = _activity(request, group_activity_id)
    rows = Enrolment.objects.visible_to(request.user).filter(activity=activity).select_related("person")
    return [_enrolment_out(row) for row in rows]


@router.post(
    "/groups/activities/{group_activity_id}/enrolments",
    response={201: GroupEnrolmentOut},
    summary="Enrol a person",
)
@api_access(SURVIVOR_ROLES, object_kwargs=ACTIVITY)
def create_enrolment(
    request: StaffRequest, group_activity_id: uuid.UUID, payload: GroupPersonIn
) -> Status[GroupEnrolmentOut]:
    activity = _activity(request, group_activity_id)
    enrolment = actions.enrol(activity=activity, person=_person(request, payload.person_id), **_now(request))
    return Status(201, _enrolment_out(enrolment))


@router.post(
    "/groups/enrolments/{group_enrolment_id}/exam", response=GroupEnrolmentOut, summary="Record an exam score"
)
@api_access(SURVIVOR_ROLES, object_kwargs=ENROLMENT)
def record_exam(
    request: StaffRequest, group_enrolment_id: uuid.UUID, payload: GroupExamIn
) -> GroupEnrolmentOut:
    enrolment = get_visible_or_404(
        Enrolment.objects.select_related("person"), request.user, "change", pk=group_enrolment_id
    )
    updated = actions.record_exam_result(enrolment=enrolment, score=payload.score, **_now(request))
    updated.person = enrolment.person
    return _enrolment_out(updated)


@router.post(
    "/groups/activities/{group_activity_id}/certificates",
    response={201: GroupCertificateOut},
    summary="Issue a certificate to a participant who passed",
)
@api_access(SURVIVOR_ROLES, object_kwargs=ACTIVITY)
def create_certificate(
    request: StaffRequest, group_activity_id: uuid.UUID, payload: GroupCertificateIn
) -> Status[GroupCertificateOut]:
    activity = _activity(request, group_activity_id)
    person = _person(request, payload.person_id)
    certificate = actions.issue_certificate(
        activity=activity, person=person, language=payload.language, **_now(request)
    )
    return Status(
        201,
        GroupCertificateOut(
            id=certificate.pk,
            number=certificate.number,
            enrolment_id=certificate.enrolment_id,
            person_id=person.pk,
            language=certificate.language,
            issued_at=certificate.issued_at,
        ),
    )


# --- campaigns -------------------------------------------------------------------------------------------


@router.get("/groups/campaigns", response=list[CampaignOut], summary="Awareness campaigns with their totals")
@api_access(ROLES_NOT_KEPT_APART)
def list_campaigns(request: StaffRequest) -> list[CampaignOut]:
    return [
        CampaignOut(
            id=c.pk,
            title=c.title,
            goal=c.goal,
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            produced=getattr(c, "produced", 0),
            distributed=getattr(c, "distributed", 0),
            remaining=getattr(c, "remaining", 0),
        )
        for c in queries.campaign_list(request.user)
    ]


@router.post("/groups/campaigns", response={201: CampaignDetailOut}, summary="Create an awareness campaign")
@api_access(ORGANISER_ROLES)
def create_campaign(request: StaffRequest, payload: CampaignIn) -> Status[CampaignDetailOut]:
    campaign = actions.create_campaign(org=request.org, **payload.dict(), **_now(request))
    return Status(201, _campaign_out(campaign, CampaignDetailOut, materials=[]))


def _materials(campaign: Campaign) -> list[MaterialOut]:
    return [_material_out(m) for m in queries.materials_with_totals(campaign)]


@router.get(
    "/groups/campaigns/{group_campaign_id}",
    response=CampaignDetailOut,
    summary="A campaign and its materials",
)
@api_access(ROLES_NOT_KEPT_APART, object_kwargs=CAMPAIGN)
def get_campaign(request: StaffRequest, group_campaign_id: uuid.UUID) -> CampaignDetailOut:
    campaign = _campaign(request, group_campaign_id)
    return _campaign_out(campaign, CampaignDetailOut, materials=_materials(campaign))  # type: ignore[no-any-return]


@router.get(
    "/groups/campaigns/{group_campaign_id}/totals",
    response=CampaignTotalsOut,
    summary="Copies produced, handed out and remaining, per material and in all",
)
@api_access(ROLES_NOT_KEPT_APART, object_kwargs=CAMPAIGN)
def campaign_totals(request: StaffRequest, group_campaign_id: uuid.UUID) -> CampaignTotalsOut:
    campaign = _campaign(request, group_campaign_id)
    totals = queries.campaign_totals(campaign)
    return CampaignTotalsOut(
        produced=totals.produced,
        distributed=totals.distributed,
        remaining=totals.remaining,
        materials=_materials(campaign),
    )


@router.post(
    "/groups/campaigns/{group_campaign_id}/materials", response={201: MaterialOut}, summary="Add a material"
)
@api_access(ORGANISER_ROLES, object_kwargs=CAMPAIGN)
def create_material(
    request: StaffRequest, group_campaign_id: uuid.UUID, payload: MaterialIn
) -> Status[MaterialOut]:
    campaign = _campaign(request, group_campaign_id, "change")
    material = actions.add_material(campaign=campaign, **payload.dict(), **_now(request))
    return Status(201, _material_out(material, 0))


@router.get(
    "/groups/campaigns/{group_campaign_id}/distributions",
    response=list[DistributionOut],
    summary="Distributions of a campaign's materials",
)
@api_access(ROLES_NOT_KEPT_APART, object_kwargs=CAMPAIGN)
def list_distributions(request: StaffRequest, group_campaign_id: uuid.UUID) -> list[DistributionOut]:
    campaign = _campaign(request, group_campaign_id)
    return [_distribution_out(d) for d in Distribution.objects.filter(material__campaign=campaign)]


@router.post(
    "/groups/materials/{group_material_id}/distributions",
    response={201: DistributionOut},
    summary="Record copies handed out",
)
@api_access(ORGANISER_ROLES, object_kwargs=MATERIAL)
def create_distribution(
    request: StaffRequest, group_material_id: uuid.UUID, payload: DistributionIn
) -> Status[DistributionOut]:
    material = get_visible_or_404(
        Material.objects.select_related("campaign"), request.user, "change", pk=group_material_id
    )
    distribution = actions.record_distribution(
        material=material,
        area=_area(request, payload.area_id),
        **payload.dict(exclude={"area_id"}),
        **_now(request),
    )
    return Status(201, _distribution_out(distribution))


# --- figures ---------------------------------------------------------------------------------------------


def _rows_out(rows: list[queries.FigureRow]) -> list[FigureRowOut]:
    return [
        FigureRowOut(key=r.key, label=r.label, known=r.known, anonymous=r.anonymous, total=r.total)
        for r in rows
    ]


@router.get(
    "/groups/figures", response=FiguresOut, summary="Participants of a period by kind, sex, age group"
)
@api_access(ROLES_NOT_KEPT_APART)
def figures(request: StaffRequest, period: Query[FiguresQuery]) -> FiguresOut:
    end = period.end or timezone.localdate()
    start = period.start or end - timedelta(days=364)
    if end < start:
        raise ValidationError({"end": _("The end cannot come before the start.")})
    result = queries.participation_figures(request.org, start, end)
    return FiguresOut(
        start=start,
        end=end,
        sessions=result.sessions,
        people=result.people,
        known=result.known,
        anonymous=result.anonymous,
        total=result.total,
        by_kind=_rows_out(result.by_kind),
        by_sex=_rows_out(result.by_sex),
        by_age_group=_rows_out(result.by_age_group),
        by_institution=_rows_out(result.by_institution),
    )
