"""API for cases: list my cases, open one, read its file with the timeline, move its status, record incidents.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Lists carry survivor codes, never names; reading one case is an audited act.
"""

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from haven.cases import actions, sections
from haven.cases.case_page import context_labels, incident_explanation
from haven.cases.models import (
    AllegedPerpetrator,
    Case,
    CaseAssignment,
    CaseQuerySet,
    CaseTransition,
    FollowUp,
    FollowUpQuerySet,
    Incident,
)
from haven.cases.views import apply_verb, lead_of, my_open_follow_ups
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Membership, Site
from haven.people.models import Person
from haven.people.views import SURVIVOR_ROLES
from haven.web.openapi import SchemaName

CaseStatus = Annotated[Case.Status, SchemaName("CaseStatus")]


router = Router(tags=["cases"])


class CaseFilter(Schema):
    status: CaseStatus | None = None


class CaseOpenIn(Schema):
    person_id: uuid.UUID


class CaseOut(Schema):
    id: uuid.UUID
    survivor_id: uuid.UUID
    survivor_code: str
    status: str
    opened_at: datetime
    closed_at: datetime | None
    lead: str | None


class CaseTransitionOut(Schema):
    from_status: str
    to_status: str
    actor: str | None
    reason_code: str
    comment: str


PerpetratorRelationship = Annotated[AllegedPerpetrator.Relationship, SchemaName("PerpetratorRelationship")]
PerpetratorSex = Annotated[AllegedPerpetrator.Sex, SchemaName("PerpetratorSex")]
PerpetratorAgeGroup = Annotated[AllegedPerpetrator.AgeGroup, SchemaName("PerpetratorAgeGroup")]


class PerpetratorIn(Schema):
    relationship: PerpetratorRelationship = AllegedPerpetrator.Relationship.UNKNOWN
    sex: PerpetratorSex = AllegedPerpetrator.Sex.UNKNOWN
    age_group: PerpetratorAgeGroup = AllegedPerpetrator.AgeGroup.UNKNOWN
    lives_with_survivor: bool | None = None
    has_weapon_access: bool | None = None
    prior_violence: bool | None = None


class PerpetratorOut(PerpetratorIn):
    id: uuid.UUID


class IncidentOut(Schema):
    id: uuid.UUID
    occurred_on: date
    reported_on: date
    time_of_day: str
    place_type: str
    violence_type: str
    classification_rule: str
    explanation: str
    contexts: list[str]
    context_labels: list[str]
    delay_bucket: str
    consent_to_statistics: bool
    alleged_perpetrators: list[PerpetratorOut]


class TimelineEntryOut(Schema):
    kind: str
    at: datetime
    summary: str
    transition: CaseTransitionOut | None = None
    incident: IncidentOut | None = None


class SitesIn(Schema):
    site_ids: list[uuid.UUID]


class SiteRefOut(Schema):
    id: uuid.UUID
    name: str


class AssignmentOut(Schema):
    membership_id: int
    worker: str
    role_in_case: str
    assigned_at: datetime
    ended_at: datetime | None


class CaseDetailOut(CaseOut):
    team: list[AssignmentOut]
    sites: list[SiteRefOut]
    timeline: list[TimelineEntryOut]


class CaseTeamIn(Schema):
    membership_id: int
    role_in_case: CaseAssignment.RoleInCase = CaseAssignment.RoleInCase.SUPPORT


class LeaveTeamIn(Schema):
    membership_id: int


class CaseTransitionIn(Schema):
    verb: Literal["activate", "request_closure", "approve_closure", "reject_closure", "reopen"]
    reason: Case.ClosureReason | None = None
    comment: str = Field("", max_length=2000)


class IncidentIn(Schema):
    occurred_on: date
    reported_on: date | None = None
    time_of_day: Incident.TimeOfDay = Incident.TimeOfDay.UNKNOWN
    place_type: Incident.PlaceType
    narrative: str = Field("", max_length=10000)
    penetration: bool = False
    sexual_contact_without_penetration: bool = False
    physical_violence: bool = False
    forced_marriage: bool = False
    denial_of_resources: bool = False
    psychological_abuse: bool = False
    was_gbv: bool = True
    perpetrator_is_intimate_partner: bool = False
    transactional: bool = False
    held_captive_or_owned: bool = False
    harmful_traditional_practice: bool = False
    survivor_age_at_incident: int | None = Field(None, ge=0, le=120)
    consent_to_statistics: bool = False


class FollowUpIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    due_on: date
    is_safety_critical: bool = False
    assigned_to_id: int | None = Field(None, description="A membership id; empty means the case's lead")


class FollowUpOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    survivor_code: str
    title: str
    due_on: date
    is_safety_critical: bool
    assigned_to: str | None
    overdue: bool
    done_at: datetime | None
    done_by: str | None


def _follow_up_out(follow_up: FollowUp) -> FollowUpOut:
    assignee = follow_up.assigned_to
    return FollowUpOut(
        id=follow_up.pk,
        case_id=follow_up.case_id,
        survivor_code=follow_up.case.survivor.survivor_code,
        title=follow_up.title,
        due_on=follow_up.due_on,
        is_safety_critical=follow_up.is_safety_critical,
        assigned_to=assignee.user.username if assignee else None,
        overdue=follow_up.done_at is None and follow_up.due_on < timezone.localdate(),
        done_at=follow_up.done_at,
        done_by=follow_up.done_by.username if follow_up.done_by else None,
    )


def _follow_ups() -> FollowUpQuerySet:
    return FollowUp.objects.select_related("case__survivor", "assigned_to__user", "done_by")


def _case_out(case: Case) -> CaseOut:
    lead = lead_of(case)
    return CaseOut(
        id=case.pk,
        survivor_id=case.survivor_id,
        survivor_code=case.survivor.survivor_code,
        status=case.status,
        opened_at=case.opened_at,
        closed_at=case.closed_at,
        lead=lead.membership.user.username if lead else None,
    )


def _transition_out(transition: CaseTransition) -> CaseTransitionOut:
    return CaseTransitionOut(
        from_status=transition.from_status,
        to_status=transition.to_status,
        actor=transition.actor.username if transition.actor else None,
        reason_code=transition.reason_code,
        comment=transition.comment,
    )


def _incident_out(incident: Incident) -> IncidentOut:
    return IncidentOut(
        id=incident.pk,
        occurred_on=incident.occurred_on,
        reported_on=incident.reported_on,
        time_of_day=incident.time_of_day,
        place_type=incident.place_type,
        violence_type=incident.violence_type,
        classification_rule=incident.classification_rule,
        explanation=incident_explanation(incident),
        contexts=list(incident.contexts),
        context_labels=list(context_labels(incident)),
        delay_bucket=incident.delay_bucket,
        consent_to_statistics=incident.consent_to_statistics,
        alleged_perpetrators=[_perpetrator_out(p) for p in incident.alleged_perpetrators.all()],
    )


def _perpetrator_out(perpetrator: AllegedPerpetrator) -> PerpetratorOut:
    return PerpetratorOut(
        id=perpetrator.pk, **{name: getattr(perpetrator, name) for name in actions.PERPETRATOR_FIELDS}
    )


def _team_out(case: Case) -> list[AssignmentOut]:
    return [
        AssignmentOut(
            membership_id=a.membership_id,
            worker=a.membership.user.username,
            role_in_case=a.role_in_case,
            assigned_at=a.assigned_at,
            ended_at=a.ended_at,
        )
        for a in case.assignments.select_related("membership__user").order_by("assigned_at")
    ]


def _member(membership_id: int, field: str) -> Membership:
    """The membership named in a request; the verbs then check it belongs to the organisation."""
    membership: Membership | None = Membership.objects.filter(pk=membership_id).first()
    if membership is None:
        raise ValidationError({field: _("Choose an active member of your own organisation.")})
    return membership


def _detail_out(case: Case) -> CaseDetailOut:
    entries = [
        TimelineEntryOut(
            kind=item.kind,
            at=item.at,
            summary=item.summary,
            transition=_transition_out(item.obj) if isinstance(item.obj, CaseTransition) else None,
            incident=_incident_out(item.obj) if isinstance(item.obj, Incident) else None,
        )
        for item in sections.timeline(case)
    ]
    sites = [SiteRefOut(id=site.pk, name=site.name) for site in case.sites.order_by("name")]
    return CaseDetailOut(**_case_out(case).dict(), team=_team_out(case), sites=sites, timeline=entries)


def _cases() -> CaseQuerySet:
    return Case.objects.select_related("survivor").prefetch_related("assignments__membership__user")


@router.get("/cases", response=list[CaseOut], summary="The cases I may see, newest first (codes, no names)")
@api_access(SURVIVOR_ROLES)
def list_cases(request: StaffRequest, filters: Query[CaseFilter]) -> list[CaseOut]:
    cases = _cases().visible_to(request.user).order_by("-opened_at")
    if filters.status:
        cases = cases.filter(status=filters.status)
    return [_case_out(case) for case in cases]


@router.post("/cases", response={201: CaseOut}, summary="Open a case for a person, with me as lead")
@api_access(SURVIVOR_ROLES)
def open_case(request: StaffRequest, payload: CaseOpenIn) -> Status[CaseOut]:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=payload.person_id)
    case = actions.open_case(
        survivor=person, lead=request.membership, acting_user=request.user, at=timezone.now()
    )
    return Status(201, _case_out(_cases().get(pk=case.pk)))


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="One case with its timeline (audited)")
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def get_case(request: StaffRequest, case_id: uuid.UUID) -> CaseDetailOut:
    case = get_visible_or_404(_cases(), request.user, pk=case_id)
    actions.record_case_view(case=case, acting_user=request.user, at=timezone.now())
    return _detail_out(case)


@router.post("/cases/{case_id}/transition", response=CaseOut, summary="Move the case's status")
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def transition_case(request: StaffRequest, case_id: uuid.UUID, payload: CaseTransitionIn) -> CaseOut:
    case = get_visible_or_404(_cases(), request.user, "change", pk=case_id)
    apply_verb(
        case,
        payload.verb,
        acting_user=request.user,
        at=timezone.now(),
        reason=payload.reason or "",
        comment=payload.comment,
    )
    return _case_out(case)


@router.post("/cases/{case_id}/incidents", response={201: IncidentOut}, summary="Record an incident")
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def record_incident(request: StaffRequest, case_id: uuid.UUID, payload: IncidentIn) -> Status[IncidentOut]:
    case = get_visible_or_404(Case.objects.all(), request.user, "change", pk=case_id)
    fields = payload.dict()
    if fields["reported_on"] is None:
        del fields["reported_on"]
    incident = actions.record_incident(case=case, acting_user=request.user, at=timezone.now(), **fields)
    return Status(201, _incident_out(incident))


@router.get(
    "/tasks", response=list[FollowUpOut], summary="My open follow-ups, soonest first (codes, no names)"
)
@api_access(SURVIVOR_ROLES)
def my_tasks(request: StaffRequest) -> list[FollowUpOut]:
    follow_ups = my_open_follow_ups(request.user, request.membership).select_related(
        "assigned_to__user", "done_by"
    )
    return [_follow_up_out(follow_up) for follow_up in follow_ups]


@router.post(
    "/cases/{case_id}/follow-ups", response={201: FollowUpOut}, summary="Schedule a follow-up on a case"
)
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def schedule_follow_up(request: StaffRequest, case_id: uuid.UUID, payload: FollowUpIn) -> Status[FollowUpOut]:
    case = get_visible_or_404(Case.objects.all(), request.user, "change", pk=case_id)
    assignee = None if payload.assigned_to_id is None else _member(payload.assigned_to_id, "assigned_to_id")
    follow_up = actions.schedule_follow_up(
        case=case,
        title=payload.title,
        due_on=payload.due_on,
        is_safety_critical=payload.is_safety_critical,
        assigned_to=assignee,
        acting_user=request.user,
        at=timezone.now(),
    )
    return Status(201, _follow_up_out(_follow_ups().get(pk=follow_up.pk)))


@router.post("/follow-ups/{follow_up_id}/done", response=FollowUpOut, summary="Mark a follow-up done")
@api_access(SURVIVOR_ROLES, object_kwargs=("follow_up_id",))
def complete_follow_up(request: StaffRequest, follow_up_id: uuid.UUID) -> FollowUpOut:
    follow_up = get_visible_or_404(_follow_ups(), request.user, "change", pk=follow_up_id)
    actions.complete_follow_up(follow_up=follow_up, acting_user=request.user, at=timezone.now())
    return _follow_up_out(_follow_ups().get(pk=follow_up.pk))


@router.post(
    "/cases/{case_id}/team",
    response=list[AssignmentOut],
    summary="Add a worker to the case; role LEAD hands the lead over (the old lead stays as support)",
)
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def add_to_team(request: StaffRequest, case_id: uuid.UUID, payload: CaseTeamIn) -> list[AssignmentOut]:
    case = get_visible_or_404(Case.objects.all(), request.user, "change", pk=case_id)
    worker = _member(payload.membership_id, "membership_id")
    if payload.role_in_case == CaseAssignment.RoleInCase.LEAD:
        actions.hand_over_lead(case=case, to=worker, acting_user=request.user, at=timezone.now())
    else:
        actions.assign_worker(
            case=case,
            membership=worker,
            role_in_case=payload.role_in_case,
            acting_user=request.user,
            at=timezone.now(),
        )
    return _team_out(case)


@router.post(
    "/cases/{case_id}/team/leave", response=list[AssignmentOut], summary="Take a worker off the case"
)
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def remove_from_team(request: StaffRequest, case_id: uuid.UUID, payload: LeaveTeamIn) -> list[AssignmentOut]:
    case = get_visible_or_404(Case.objects.all(), request.user, "change", pk=case_id)
    assignment = case.assignments.filter(membership_id=payload.membership_id, ended_at__isnull=True).first()
    if assignment is None:
        raise ValidationError({"membership_id": _("This worker is not on the case.")})
    actions.end_assignment(assignment=assignment, acting_user=request.user, at=timezone.now())
    return _team_out(case)


@router.post(
    "/incidents/{incident_id}/perpetrators",
    response={201: PerpetratorOut},
    summary="Describe an alleged perpetrator of an incident (never a name)",
)
@api_access(SURVIVOR_ROLES, object_kwargs=("incident_id",))
def describe_perpetrator(
    request: StaffRequest, incident_id: uuid.UUID, payload: PerpetratorIn
) -> Status[PerpetratorOut]:
    incident = get_visible_or_404(
        Incident.objects.select_related("case"), request.user, "change", pk=incident_id
    )
    perpetrator = actions.add_alleged_perpetrator(
        incident=incident, acting_user=request.user, at=timezone.now(), **payload.dict()
    )
    return Status(201, _perpetrator_out(perpetrator))


@router.put("/cases/{case_id}/sites", response=list[SiteRefOut], summary="Set the sites involved in the case")
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def set_sites(request: StaffRequest, case_id: uuid.UUID, payload: SitesIn) -> list[SiteRefOut]:
    case = get_visible_or_404(Case.objects.all(), request.user, "change", pk=case_id)
    sites = list(Site.objects.filter(pk__in=payload.site_ids))
    if len(sites) != len(set(payload.site_ids)):
        raise ValidationError({"site_ids": _("Choose sites of your own organisation.")})
    actions.set_case_sites(case=case, sites=sites, acting_user=request.user, at=timezone.now())
    return [SiteRefOut(id=site.pk, name=site.name) for site in case.sites.order_by("name")]
