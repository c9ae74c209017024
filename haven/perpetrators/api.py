"""API of the perpetrator programme: participants, their status, sessions, ODARA assessments and
completion, and the programme's team.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Every participant endpoint is for the programme's team only (`access.programme_api`); a participant
outside the caller's scope is a 404. The list carries codes, never names; reading a file is audited.
The team endpoints are for organisation administrators. Bad input is a 422 naming the field.
"""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.orgs.validation import LocalDateTime
from haven.perpetrators import actions, odara, queries
from haven.perpetrators.access import programme_api
from haven.perpetrators.models import (
    Completion,
    OdaraAssessment,
    Participant,
    ProgrammeSession,
)
from haven.web.openapi import SchemaName

ParticipantStatus = Annotated[Participant.Status, SchemaName("ParticipantStatus")]
ProgrammeSessionKind = Annotated[ProgrammeSession.Kind, SchemaName("ProgrammeSessionKind")]
CompletionOutcome = Annotated[Completion.Outcome, SchemaName("CompletionOutcome")]


router = Router(tags=["perpetrators"])

PARTICIPANT = ("participant_id",)
ORG_ADMINS = Role.managing_org()


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


# --- schemas -------------------------------------------------------------------------------------------


class ParticipantIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    phone: str = Field("", max_length=40)
    language: str = Field(max_length=8)
    referral_source: Participant.ReferralSource


class StatusIn(Schema):
    to_status: ParticipantStatus
    reason: str = Field("", max_length=5000)


class PerpetratorSessionIn(Schema):
    kind: ProgrammeSessionKind
    starts_at: LocalDateTime
    attended: bool
    # The caller, when left out.
    facilitator_id: int | None = None
    notes: str = Field("", max_length=5000)


class PerpetratorAssessmentIn(Schema):
    answers: dict[str, Any]


class CompletionIn(Schema):
    outcome: CompletionOutcome
    completed_on: date
    summary: str = Field("", max_length=5000)


class PerpetratorTeamIn(Schema):
    membership_id: int


class ParticipantRowOut(Schema):
    id: uuid.UUID
    code: str
    status: str
    referral_source: str
    language: str
    created_at: datetime


class PerpetratorSessionOut(Schema):
    id: uuid.UUID
    kind: str
    starts_at: datetime
    facilitator_id: int
    attended: bool
    notes: str


class PerpetratorAssessmentOut(Schema):
    id: uuid.UUID
    instrument: str
    instrument_version: str
    score: int
    level: str
    level_label: str
    explain: str
    answers: dict[str, Any]
    asked_at: datetime


class CompletionOut(Schema):
    outcome: str
    completed_on: date
    summary: str


class ParticipantOut(ParticipantRowOut):
    name: str
    phone: str
    sessions: list[PerpetratorSessionOut]
    assessments: list[PerpetratorAssessmentOut]
    completion: CompletionOut | None


class TeamMemberOut(Schema):
    membership_id: int
    username: str
    role: str
    by_role: bool


# --- helpers -------------------------------------------------------------------------------------------


def _participant(request: StaffRequest, participant_id: uuid.UUID, action: str = "view") -> Participant:
    queryset = Participant.objects.select_related("org")
    participant: Participant = get_visible_or_404(queryset, request.user, action, pk=participant_id)
    return participant


def _row_out(participant: Participant) -> ParticipantRowOut:
    return ParticipantRowOut(
        id=participant.pk,
        code=participant.code,
        status=participant.status,
        referral_source=participant.referral_source,
        language=participant.language,
        created_at=participant.created_at,
    )


def _session_out(session: ProgrammeSession) -> PerpetratorSessionOut:
    return PerpetratorSessionOut(
        id=session.pk,
        kind=session.kind,
        starts_at=session.starts_at,
        facilitator_id=session.facilitator_id,
        attended=session.attended,
        notes=session.notes,
    )


def _assessment_out(assessment: OdaraAssessment) -> PerpetratorAssessmentOut:
    chosen = odara.instrument(assessment.instrument_version)
    meaning = odara.meaning(chosen, assessment.level, assessment.rule)
    return PerpetratorAssessmentOut(
        id=assessment.pk,
        instrument=odara.ODARA,
        instrument_version=assessment.instrument_version,
        score=assessment.score,
        level=assessment.level,
        level_label=meaning["level"],
        explain=meaning["explain"],
        answers=assessment.answer_data,
        asked_at=assessment.asked_at,
    )


def _file_out(participant: Participant) -> ParticipantOut:
    completion = Completion.objects.filter(participant=participant).first()
    return ParticipantOut(
        **_row_out(participant).dict(),
        name=participant.name,
        phone=participant.phone,
        sessions=[_session_out(s) for s in participant.sessions.all()],
        assessments=[_assessment_out(a) for a in participant.assessments.all()],
        completion=CompletionOut(
            outcome=completion.outcome, completed_on=completion.completed_on, summary=completion.summary
        )
        if completion
        else None,
    )


def _read(request: StaffRequest, participant: Participant) -> ParticipantOut:
    actions.record_participant_view(participant=participant, **_now(request))
    return _file_out(participant)


def _member(request: StaffRequest, membership_id: int | None) -> Membership:
    """A member of the caller's organisation named in a body; unknown is a field error, not a 404."""
    if membership_id is None:
        return request.membership
    member: Membership | None = (
        Membership.objects.filter(org=request.org, pk=membership_id).select_related("user").first()
    )
    if member is None:
        raise ValidationError({"membership_id": _("Choose a member of your organisation.")})
    return member


# --- participants --------------------------------------------------------------------------------------


@router.get(
    "/perpetrators/participants", response=list[ParticipantRowOut], summary="Participants (codes only)"
)
@programme_api()
def list_participants(request: StaffRequest, status: str = "") -> list[ParticipantRowOut]:
    return [_row_out(p) for p in queries.participants(request.user, status)]


@router.post("/perpetrators/participants", response={201: ParticipantOut}, summary="Register a participant")
@programme_api()
def create_participant(request: StaffRequest, payload: ParticipantIn) -> Status[ParticipantOut]:
    participant = actions.register_participant(org=request.org, **payload.dict(), **_now(request))
    return Status(201, _read(request, participant))


@router.get(
    "/perpetrators/participants/{participant_id}", response=ParticipantOut, summary="A participant's file"
)
@programme_api(object_kwargs=PARTICIPANT)
def get_participant(request: StaffRequest, participant_id: uuid.UUID) -> ParticipantOut:
    return _read(request, _participant(request, participant_id))


@router.post(
    "/perpetrators/participants/{participant_id}/status",
    response=ParticipantOut,
    summary="Start his programme, or end it early with a reason",
)
@programme_api(object_kwargs=PARTICIPANT)
def change_status(request: StaffRequest, participant_id: uuid.UUID, payload: StatusIn) -> ParticipantOut:
    participant = _participant(request, participant_id, "change")
    actions.change_status(participant=participant, **payload.dict(), **_now(request))
    return _read(request, _participant(request, participant_id))


@router.get(
    "/perpetrators/participants/{participant_id}/sessions",
    response=list[PerpetratorSessionOut],
    summary="His sessions",
)
@programme_api(object_kwargs=PARTICIPANT)
def list_sessions(request: StaffRequest, participant_id: uuid.UUID) -> list[PerpetratorSessionOut]:
    participant = _participant(request, participant_id)
    # The sessions carry their notes in clear, part of his file: an audited read, as the assessments are.
    actions.record_participant_view(participant=participant, **_now(request))
    return [_session_out(s) for s in participant.sessions.all()]


@router.post(
    "/perpetrators/participants/{participant_id}/sessions",
    response={201: PerpetratorSessionOut},
    summary="Record a session",
)
@programme_api(object_kwargs=PARTICIPANT)
def create_session(
    request: StaffRequest, participant_id: uuid.UUID, payload: PerpetratorSessionIn
) -> Status[PerpetratorSessionOut]:
    participant = _participant(request, participant_id, "change")
    session = actions.record_session(
        participant=participant,
        kind=payload.kind,
        starts_at=payload.starts_at,
        attended=payload.attended,
        facilitator=_member(request, payload.facilitator_id),
        notes=payload.notes,
        **_now(request),
    )
    # The session's notes are part of his file: answering with them is an audited read, as listing them is.
    actions.record_participant_view(participant=participant, **_now(request))
    return Status(201, _session_out(session))


@router.get(
    "/perpetrators/participants/{participant_id}/assessments",
    response=list[PerpetratorAssessmentOut],
    summary="His ODARA assessments",
)
@programme_api(object_kwargs=PARTICIPANT)
def list_assessments(request: StaffRequest, participant_id: uuid.UUID) -> list[PerpetratorAssessmentOut]:
    participant = _participant(request, participant_id)
    actions.record_participant_view(participant=participant, **_now(request))
    return [_assessment_out(a) for a in participant.assessments.all()]


@router.post(
    "/perpetrators/participants/{participant_id}/assessments",
    response={201: PerpetratorAssessmentOut},
    summary="Record and score an ODARA",
)
@programme_api(object_kwargs=PARTICIPANT)
def create_assessment(
    request: StaffRequest, participant_id: uuid.UUID, payload: PerpetratorAssessmentIn
) -> Status[PerpetratorAssessmentOut]:
    participant = _participant(request, participant_id, "change")
    assessment = actions.record_odara(participant=participant, answers=payload.answers, **_now(request))
    actions.record_participant_view(participant=participant, **_now(request))
    return Status(201, _assessment_out(assessment))


@router.post(
    "/perpetrators/participants/{participant_id}/completion",
    response={201: CompletionOut},
    summary="Record that he completed the programme",
)
@programme_api(object_kwargs=PARTICIPANT)
def create_completion(
    request: StaffRequest, participant_id: uuid.UUID, payload: CompletionIn
) -> Status[CompletionOut]:
    participant = _participant(request, participant_id, "change")
    completion = actions.record_completion(participant=participant, **payload.dict(), **_now(request))
    return Status(
        201,
        CompletionOut(
            outcome=completion.outcome, completed_on=completion.completed_on, summary=completion.summary
        ),
    )


# --- the team ------------------------------------------------------------------------------------------


def _team_out(request: StaffRequest) -> list[TeamMemberOut]:
    added = {row.membership_id for row in queries.added_members(request.org)}
    return [
        TeamMemberOut(
            membership_id=member.pk,
            username=member.user.username,
            role=member.role,
            by_role=member.pk not in added,
        )
        for member in queries.team(request.org)
    ]


@router.get("/perpetrators/team", response=list[TeamMemberOut], summary="The programme's team")
@api_access(ORG_ADMINS)
def list_team(request: StaffRequest) -> list[TeamMemberOut]:
    return _team_out(request)


@router.post("/perpetrators/team", response={201: list[TeamMemberOut]}, summary="Add a member to the team")
@api_access(ORG_ADMINS)
def add_team_member(request: StaffRequest, payload: PerpetratorTeamIn) -> Status[list[TeamMemberOut]]:
    actions.add_to_team(membership=_member(request, payload.membership_id), org=request.org, **_now(request))
    return Status(201, _team_out(request))


@router.post("/perpetrators/team/remove", response=list[TeamMemberOut], summary="Take a member off the team")
@api_access(ORG_ADMINS)
def remove_team_member(request: StaffRequest, payload: PerpetratorTeamIn) -> list[TeamMemberOut]:
    actions.remove_from_team(
        membership=_member(request, payload.membership_id), org=request.org, **_now(request)
    )
    return _team_out(request)
