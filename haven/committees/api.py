"""API for coordination committees: committees, members, meetings, minutes, tabled cases, decisions and
actions.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Who may do what: `haven/committees/access.py`. Minutes and tabled cases are for roles that work with
survivors only; reading minutes is audited, and a tabled case carries her name only under a valid release
naming the committee (each such reading audited), else her survivor code only. Objects named in a body
(an owner, a tabled case, a meeting) that do not fit are field errors (422), not 404s.
Every answer carrying a committee's records (members' names, what was tabled, decided or asked) is an
audited read (`committee.view`): of the one member, action or tabled case answered, or of the committee
or meeting whose page or list it is.
"""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from haven.cases.models import Case
from haven.committees import actions, queries
from haven.committees.access import MINUTE_TAKERS, RUNNERS, SURVIVOR_WORK, TABLERS, VIEWERS
from haven.committees.models import Action, Committee, CommitteeMember, Decision, Meeting, TabledCase
from haven.directory.models import Provider
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Area, Membership
from haven.orgs.validation import LocalDateTime
from haven.web.openapi import SchemaName

CommitteeKind = Annotated[Committee.Kind, SchemaName("CommitteeKind")]


router = Router(tags=["committees"])

COMMITTEE = ("committee_id",)
MEETING = ("committee_meeting_id",)
ACTION = ("committee_action_id",)


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


# --- schemas -------------------------------------------------------------------------------------------


class CommitteeIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: CommitteeKind
    area_id: uuid.UUID | None = None
    provider_id: uuid.UUID | None = Field(None, description="The committee's directory entry (for releases)")


class CommitteePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: CommitteeKind | None = None
    area_id: uuid.UUID | None = None
    provider_id: uuid.UUID | None = None
    chair_id: uuid.UUID | None = Field(None, description="A current member of the committee")
    is_active: bool | None = None


class CommitteeOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    area_id: uuid.UUID | None
    provider_id: uuid.UUID | None
    chair_id: uuid.UUID | None
    is_active: bool


class CommitteeMemberIn(Schema):
    institution: str = Field(min_length=1, max_length=200)
    institution_type: CommitteeMember.InstitutionType
    role_title: str = Field(min_length=1, max_length=120)
    name: str = Field(min_length=1, max_length=200)
    membership_id: int | None = Field(None, description="When the member is one of your staff")
    joined_on: date | None = Field(None, description="Default: today")


class LeaveIn(Schema):
    left_on: date | None = Field(None, description="Default: today")


class CommitteeMemberOut(Schema):
    id: uuid.UUID
    institution: str
    institution_type: str
    role_title: str
    name: str
    membership_id: int | None
    joined_on: date
    left_on: date | None


class MeetingIn(Schema):
    starts_at: LocalDateTime
    place: str = Field("", max_length=200)
    agenda: list[str] = Field(default_factory=list, max_length=50)


class MeetingOut(Schema):
    id: uuid.UUID
    committee_id: uuid.UUID
    starts_at: datetime
    place: str
    agenda: list[str]
    status: str
    has_minutes: bool


class MinutesIn(Schema):
    minutes: str = Field(min_length=1, max_length=50000)


class MinutesOut(Schema):
    meeting_id: uuid.UUID
    minutes: str
    recorded_at: datetime | None


class TablingIn(Schema):
    meeting_id: uuid.UUID
    reason: str = Field("", max_length=4000)


class TabledOut(Schema):
    id: uuid.UUID
    meeting_id: uuid.UUID
    case_id: uuid.UUID
    survivor_code: str
    name: str | None = Field(None, description="Only under a valid release naming the committee")
    reason: str
    tabled_at: datetime


class CommitteeDecisionIn(Schema):
    text: str = Field(min_length=1, max_length=8000)
    tabled_case_id: uuid.UUID | None = None


class CommitteeDecisionOut(Schema):
    id: uuid.UUID
    meeting_id: uuid.UUID
    tabled_case_id: uuid.UUID | None
    text: str
    recorded_at: datetime


class ActionIn(Schema):
    text: str = Field(min_length=1, max_length=4000)
    owner_id: uuid.UUID
    due_on: date
    tabled_case_id: uuid.UUID | None = None


class DoneIn(Schema):
    done_on: date | None = Field(None, description="Default: today")


class ActionOut(Schema):
    id: uuid.UUID
    meeting_id: uuid.UUID
    tabled_case_id: uuid.UUID | None
    text: str
    owner_id: uuid.UUID
    due_on: date
    status: str
    done_on: date | None
    is_overdue: bool


class CommitteeDetailOut(CommitteeOut):
    members: list[CommitteeMemberOut]
    meetings: list[MeetingOut]
    open_actions: list[ActionOut]
    overdue_actions: list[ActionOut]


class MeetingDetailOut(MeetingOut):
    # Empty for roles that do not work with survivors.
    tabled_cases: list[TabledOut]
    decisions: list[CommitteeDecisionOut]
    actions: list[ActionOut]


class ActionsQuery(Schema):
    overdue: bool = Field(False, description="Only open actions past their due date")


# --- helpers -------------------------------------------------------------------------------------------


def _committee(request: StaffRequest, committee_id: uuid.UUID, action: str = "view") -> Committee:
    queryset = Committee.objects.select_related("org")
    committee: Committee = get_visible_or_404(queryset, request.user, action, pk=committee_id)
    return committee


def _meeting(request: StaffRequest, meeting_id: uuid.UUID, action: str = "view") -> Meeting:
    queryset = Meeting.objects.select_related("committee__org", "committee__provider")
    meeting: Meeting = get_visible_or_404(queryset, request.user, action, pk=meeting_id)
    return meeting


def _committee_out(committee: Committee, schema: Any = CommitteeOut, **extra: Any) -> Any:
    return schema(
        id=committee.pk,
        name=committee.name,
        kind=committee.kind,
        area_id=committee.area_id,
        provider_id=committee.provider_id,
        chair_id=committee.chair_id,
        is_active=committee.is_active,
        **extra,
    )


def _member_out(member: CommitteeMember) -> CommitteeMemberOut:
    return CommitteeMemberOut(
        id=member.pk,
        institution=member.institution,
        institution_type=member.institution_type,
        role_title=member.role_title,
        name=member.name,
        membership_id=member.membership_id,
        joined_on=member.joined_on,
        left_on=member.left_on,
    )


def _meeting_out(meeting: Meeting, schema: Any = MeetingOut, **extra: Any) -> Any:
    return schema(
        id=meeting.pk,
        committee_id=meeting.committee_id,
        starts_at=meeting.starts_at,
        place=meeting.place,
        agenda=meeting.agenda,
        status=meeting.status,
        has_minutes=meeting.minutes_recorded_at is not None,
        **extra,
    )


def _action_out(action: Action, today: date) -> ActionOut:
    return ActionOut(
        id=action.pk,
        meeting_id=action.meeting_id,
        tabled_case_id=action.tabled_case_id,
        text=action.text,
        owner_id=action.owner_id,
        due_on=action.due_on,
        status=action.status,
        done_on=action.done_on,
        is_overdue=action.is_overdue(today),
    )


def _decision_out(decision: Decision) -> CommitteeDecisionOut:
    return CommitteeDecisionOut(
        id=decision.pk,
        meeting_id=decision.meeting_id,
        tabled_case_id=decision.tabled_case_id,
        text=decision.text,
        recorded_at=decision.recorded_at,
    )


def _tabled_out(row: queries.TabledRow) -> TabledOut:
    tabled = row.tabled
    return TabledOut(
        id=tabled.pk,
        meeting_id=tabled.meeting_id,
        case_id=tabled.case_id,
        survivor_code=row.code,
        name=row.name,
        reason=tabled.reason,
        tabled_at=tabled.tabled_at,
    )


def _one_of(queryset: Any, pk: Any, field: str, message: str) -> Any:
    """An object named in a body: missing or out of reach is the same field error."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: message})
    return found


# --- committees ----------------------------------------------------------------------------------------


@router.get("/committees", response=list[CommitteeOut], summary="Your organisation's committees")
@api_access(VIEWERS)
def list_committees(request: StaffRequest) -> list[CommitteeOut]:
    return [_committee_out(c) for c in Committee.objects.visible_to(request.user)]


def _committee_refs(request: StaffRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Turn *_id fields of a body into the objects the verb takes."""
    refs: dict[str, Any] = {}
    if "area_id" in data:
        refs["area"] = _one_of(
            Area.objects.filter(org=request.org),
            data.pop("area_id"),
            "area_id",
            _("Choose an area of your organisation."),
        )
    if "provider_id" in data:
        refs["provider"] = _one_of(
            Provider.objects.filter(org=request.org),
            data.pop("provider_id"),
            "provider_id",
            _("Choose an entry of your own directory."),
        )
    return refs


@router.post("/committees", response={201: CommitteeOut}, summary="Set up a committee")
@api_access(RUNNERS)
def create_committee(request: StaffRequest, payload: CommitteeIn) -> Status[CommitteeOut]:
    data = payload.dict()
    refs = _committee_refs(request, data)
    committee = actions.create_committee(
        org=request.org, name=data["name"], kind=data["kind"], **refs, **_now(request)
    )
    return Status(201, _committee_out(committee))


@router.get("/committees/{committee_id}", response=CommitteeDetailOut, summary="A committee and its work")
@api_access(VIEWERS, object_kwargs=COMMITTEE)
def get_committee(request: StaffRequest, committee_id: uuid.UUID) -> CommitteeDetailOut:
    return _read_committee(request, _committee(request, committee_id))


def _read_committee(request: StaffRequest, committee: Committee) -> CommitteeDetailOut:
    """The committee's page names its members and says what it asked of them: an audited read."""
    actions.record_committee_view(record=committee, **_now(request))
    today = timezone.localdate()
    page = queries.committee_page(committee, request.user, today)
    result: CommitteeDetailOut = _committee_out(
        committee,
        CommitteeDetailOut,
        members=[_member_out(m) for m in page.current + page.former],
        meetings=[_meeting_out(m) for m in page.meetings],
        open_actions=[_action_out(a, today) for a in page.open_actions + page.overdue],
        overdue_actions=[_action_out(a, today) for a in page.overdue],
    )
    return result


@router.patch("/committees/{committee_id}", response=CommitteeOut, summary="Change a committee")
@api_access(RUNNERS, object_kwargs=COMMITTEE)
def update_committee(request: StaffRequest, committee_id: uuid.UUID, payload: CommitteePatch) -> CommitteeOut:
    committee = _committee(request, committee_id, "change")
    data = payload.dict(exclude_unset=True)
    changes = _committee_refs(request, data)
    if "chair_id" in data:
        changes["chair"] = _one_of(
            CommitteeMember.objects.filter(committee=committee),
            data.pop("chair_id"),
            "chair_id",
            _("The chair must be a current member of this committee."),
        )
    for name in ("name", "kind", "is_active"):
        if data.get(name) is not None:
            changes[name] = data[name]
    committee = actions.update_committee(committee=committee, changes=changes, **_now(request))
    result: CommitteeOut = _committee_out(committee)
    return result


@router.get("/committees/{committee_id}/actions", response=list[ActionOut], summary="A committee's actions")
@api_access(VIEWERS, object_kwargs=COMMITTEE)
def list_actions(
    request: StaffRequest, committee_id: uuid.UUID, filters: Query[ActionsQuery]
) -> list[ActionOut]:
    committee = _committee(request, committee_id)
    today = timezone.localdate()
    found = Action.objects.visible_to(request.user).filter(meeting__committee=committee)
    if filters.overdue:
        found = found.filter(status=Action.Status.OPEN, due_on__lt=today)
    # A list of the committee's actions is a read of the committee, as its page is.
    actions.record_committee_view(record=committee, **_now(request))
    return [_action_out(a, today) for a in found]


# --- members -------------------------------------------------------------------------------------------


@router.post(
    "/committees/{committee_id}/members",
    response={201: CommitteeMemberOut},
    summary="Seat a member on a committee",
)
@api_access(RUNNERS, object_kwargs=COMMITTEE)
def add_member(
    request: StaffRequest, committee_id: uuid.UUID, payload: CommitteeMemberIn
) -> Status[CommitteeMemberOut]:
    committee = _committee(request, committee_id, "change")
    membership = _one_of(
        Membership.objects.filter(org=request.org),
        payload.membership_id,
        "membership_id",
        _("Choose an active member of your staff."),
    )
    member = actions.add_member(
        committee=committee,
        institution=payload.institution,
        institution_type=payload.institution_type,
        role_title=payload.role_title,
        name=payload.name,
        membership=membership,
        joined_on=payload.joined_on or timezone.localdate(),
        **_now(request),
    )
    return Status(201, _read_member(request, member))


@router.post(
    "/committee-members/{committee_member_id}/leave", response=CommitteeMemberOut, summary="A member leaves"
)
@api_access(RUNNERS, object_kwargs=("committee_member_id",))
def member_leaves(
    request: StaffRequest, committee_member_id: uuid.UUID, payload: LeaveIn
) -> CommitteeMemberOut:
    queryset = CommitteeMember.objects.select_related("committee__org")
    member = get_visible_or_404(queryset, request.user, "change", pk=committee_member_id)
    member = actions.member_leaves(
        member=member, left_on=payload.left_on or timezone.localdate(), **_now(request)
    )
    return _read_member(request, member)


def _read_member(request: StaffRequest, member: CommitteeMember) -> CommitteeMemberOut:
    """A member as an answer carries her or his name: an audited read, after any step as on a read."""
    actions.record_committee_view(record=member, **_now(request))
    return _member_out(member)


# --- meetings ------------------------------------------------------------------------------------------


@router.post("/committees/{committee_id}/meetings", response={201: MeetingOut}, summary="Plan a meeting")
@api_access(RUNNERS, object_kwargs=COMMITTEE)
def schedule_meeting(
    request: StaffRequest, committee_id: uuid.UUID, payload: MeetingIn
) -> Status[MeetingOut]:
    committee = _committee(request, committee_id, "change")
    meeting = actions.schedule_meeting(
        committee=committee,
        starts_at=payload.starts_at,
        place=payload.place,
        agenda=payload.agenda,
        **_now(request),
    )
    return Status(201, _meeting_out(meeting))


@router.get(
    "/committee-meetings/{committee_meeting_id}",
    response=MeetingDetailOut,
    summary="A meeting: agenda, cases tabled (codes), decisions and actions; not the minutes",
)
@api_access(VIEWERS, object_kwargs=MEETING)
def get_meeting(request: StaffRequest, committee_meeting_id: uuid.UUID) -> MeetingDetailOut:
    return _read_meeting(request, _meeting(request, committee_meeting_id))


def _read_meeting(request: StaffRequest, meeting: Meeting) -> MeetingDetailOut:
    """The meeting's page carries why each case was tabled, what was decided and asked: an audited read
    of the meeting (her name, under a release, is audited per case besides)."""
    actions.record_committee_view(record=meeting, **_now(request))
    now = timezone.now()
    today = timezone.localdate(now)
    page = queries.meeting_page(meeting, request.user, now, today)
    decisions = page.general_decisions + [d for row in page.tabled for d in row.decisions]
    meeting_actions = page.general_actions + [a for row in page.tabled for a in row.actions]
    result: MeetingDetailOut = _meeting_out(
        meeting,
        MeetingDetailOut,
        tabled_cases=[_tabled_out(row) for row in page.tabled],
        decisions=[_decision_out(d) for d in decisions],
        actions=[_action_out(a, today) for a in meeting_actions],
    )
    return result


@router.post(
    "/committee-meetings/{committee_meeting_id}/cancel",
    response=MeetingOut,
    summary="Cancel a planned meeting",
)
@api_access(RUNNERS, object_kwargs=MEETING)
def cancel_meeting(request: StaffRequest, committee_meeting_id: uuid.UUID) -> MeetingOut:
    meeting = _meeting(request, committee_meeting_id, "change")
    result: MeetingOut = _meeting_out(actions.cancel_meeting(meeting=meeting, **_now(request)))
    return result


def _minutes_out(meeting: Meeting) -> MinutesOut:
    return MinutesOut(meeting_id=meeting.pk, minutes=meeting.minutes, recorded_at=meeting.minutes_recorded_at)


@router.get(
    "/committee-meetings/{committee_meeting_id}/minutes",
    response=MinutesOut,
    summary="The minutes of a meeting (an audited read)",
)
@api_access(SURVIVOR_WORK, object_kwargs=MEETING)
def read_minutes(request: StaffRequest, committee_meeting_id: uuid.UUID) -> MinutesOut:
    meeting = _meeting(request, committee_meeting_id)
    actions.record_minutes_view(meeting=meeting, **_now(request))
    return _minutes_out(meeting)


@router.put(
    "/committee-meetings/{committee_meeting_id}/minutes",
    response=MinutesOut,
    summary="Write or correct the minutes",
)
@api_access(MINUTE_TAKERS, object_kwargs=MEETING)
def write_minutes(request: StaffRequest, committee_meeting_id: uuid.UUID, payload: MinutesIn) -> MinutesOut:
    meeting = _meeting(request, committee_meeting_id, "change")
    return _minutes_out(actions.record_minutes(meeting=meeting, minutes=payload.minutes, **_now(request)))


# --- cases tabled --------------------------------------------------------------------------------------


@router.get(
    "/committee-meetings/{committee_meeting_id}/tabled-cases",
    response=list[TabledOut],
    summary="Cases tabled at a meeting, by survivor code (a name only under a release; audited)",
)
@api_access(SURVIVOR_WORK, object_kwargs=MEETING)
def list_tabled(request: StaffRequest, committee_meeting_id: uuid.UUID) -> list[TabledOut]:
    meeting = _meeting(request, committee_meeting_id)
    now = timezone.now()
    # Why each case was tabled is shown, with or without her name: a read of the meeting, as its page is.
    actions.record_committee_view(record=meeting, acting_user=request.user, at=now)
    return [
        _tabled_out(row) for row in queries.tabled_rows(meeting, request.user, now, timezone.localdate(now))
    ]


@router.post(
    "/cases/{case_id}/committee-tablings",
    response={201: TabledOut},
    summary="Table a case you may see at a committee meeting",
)
@api_access(TABLERS, object_kwargs=("case_id",))
def table_case(request: StaffRequest, case_id: uuid.UUID, payload: TablingIn) -> Status[TabledOut]:
    case: Case = get_visible_or_404(Case.objects.select_related("survivor"), request.user, pk=case_id)
    meeting = _one_of(
        Meeting.objects.visible_to(request.user, "change").select_related("committee__org"),
        payload.meeting_id,
        "meeting_id",
        _("Choose a meeting of one of your committees."),
    )
    tabled = actions.table_case(meeting=meeting, case=case, reason=payload.reason, **_now(request))
    actions.record_committee_view(record=tabled, **_now(request))  # the answer carries why it was tabled
    return Status(201, _tabled_out(queries.TabledRow(tabled, case.survivor.survivor_code, None)))


# --- decisions and actions -----------------------------------------------------------------------------


def _tabled_case(request: StaffRequest, meeting: Meeting, pk: uuid.UUID | None) -> TabledCase | None:
    found: TabledCase | None = _one_of(
        TabledCase.objects.visible_to(request.user).filter(meeting=meeting),
        pk,
        "tabled_case_id",
        _("Choose a case tabled at this meeting."),
    )
    return found


@router.post(
    "/committee-meetings/{committee_meeting_id}/decisions",
    response={201: CommitteeDecisionOut},
    summary="Record a decision",
)
@api_access(RUNNERS, object_kwargs=MEETING)
def record_decision(
    request: StaffRequest, committee_meeting_id: uuid.UUID, payload: CommitteeDecisionIn
) -> Status[CommitteeDecisionOut]:
    meeting = _meeting(request, committee_meeting_id, "change")
    decision = actions.record_decision(
        meeting=meeting,
        text=payload.text,
        tabled_case=_tabled_case(request, meeting, payload.tabled_case_id),
        **_now(request),
    )
    return Status(201, _decision_out(decision))


@router.post(
    "/committee-meetings/{committee_meeting_id}/actions",
    response={201: ActionOut},
    summary="Give a member of the committee an action",
)
@api_access(RUNNERS, object_kwargs=MEETING)
def assign_action(
    request: StaffRequest, committee_meeting_id: uuid.UUID, payload: ActionIn
) -> Status[ActionOut]:
    meeting = _meeting(request, committee_meeting_id, "change")
    owner = _one_of(
        CommitteeMember.objects.filter(org=request.org),
        payload.owner_id,
        "owner_id",
        _("Choose a member of this committee."),
    )
    action = actions.assign_action(
        meeting=meeting,
        text=payload.text,
        owner=owner,
        due_on=payload.due_on,
        tabled_case=_tabled_case(request, meeting, payload.tabled_case_id),
        **_now(request),
    )
    return Status(201, _read_action(request, action))


def _read_action(request: StaffRequest, action: Action) -> ActionOut:
    """An action as an answer says what the committee asked, often about her case: an audited read,
    after any step as on a read."""
    actions.record_committee_view(record=action, **_now(request))
    return _action_out(action, timezone.localdate())


def _action(request: StaffRequest, action_id: uuid.UUID) -> Action:
    queryset = Action.objects.select_related("meeting__committee__org")
    action: Action = get_visible_or_404(queryset, request.user, "change", pk=action_id)
    return action


@router.post(
    "/committee-actions/{committee_action_id}/done", response=ActionOut, summary="Mark an action done"
)
@api_access(RUNNERS, object_kwargs=ACTION)
def complete_action(request: StaffRequest, committee_action_id: uuid.UUID, payload: DoneIn) -> ActionOut:
    action = actions.complete_action(
        action=_action(request, committee_action_id), done_on=payload.done_on, **_now(request)
    )
    return _read_action(request, action)


@router.post("/committee-actions/{committee_action_id}/drop", response=ActionOut, summary="Drop an action")
@api_access(RUNNERS, object_kwargs=ACTION)
def drop_action(request: StaffRequest, committee_action_id: uuid.UUID) -> ActionOut:
    action = actions.drop_action(action=_action(request, committee_action_id), **_now(request))
    return _read_action(request, action)
