"""API for counselling: a case's sessions (list, record), one session (its notes only for the counsellor
and the roles the organisation grants, every such reading audited), the notes themselves, a counsellor's
own sessions, and the organisation's notes-access setting.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Lists never carry notes.
"""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from haven.cases.models import Case
from haven.counselling import actions, queries
from haven.counselling.models import (
    CounsellingSession,
    Modality,
    NotesAccess,
    SessionKind,
    granted_roles,
    may_read_notes,
)
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.orgs.validation import LocalDateTime
from haven.people.views import SURVIVOR_ROLES
from haven.web.openapi import SchemaName

CounsellingModality = Annotated[Modality, SchemaName("CounsellingModality")]


router = Router(tags=["counselling"])

CASE = ("counselling_case_id",)
SESSION = ("counselling_session_id",)
COUNSELLORS = frozenset({Role.COUNSELLOR})
ORG_MANAGERS = Role.managing_org()


# --- schemas -------------------------------------------------------------------------------------------


class CounsellingSessionIn(Schema):
    kind: SessionKind
    counsellor_id: int | None = Field(None, description="Defaults to you, if you are a counsellor.")
    modality: CounsellingModality
    language: str = Field(min_length=1, max_length=16, description="A language code, e.g. fa, fr, kk.")
    starts_at: LocalDateTime
    duration_minutes: int = Field(description="Between 1 and 480 minutes.")
    notes: str = Field("", max_length=20000, description="Only the counsellor who held it writes notes.")
    next_session_on: date | None = None


class NotesIn(Schema):
    notes: str = Field(min_length=1, max_length=20000)


class NotesAccessIn(Schema):
    roles: list[Role] = Field(max_length=len(Role))


class CounsellingSessionOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    service_id: uuid.UUID
    kind: str
    counsellor_id: int
    counsellor: str
    modality: str
    language: str
    starts_at: datetime
    duration_minutes: int
    has_notes: bool
    next_session_on: date | None


class CounsellingSessionDetailOut(CounsellingSessionOut):
    notes_visible: bool
    # Null unless you held the session or your role is allowed to read notes.
    notes: str | None
    notes_written_at: datetime | None


class NotesAccessOut(Schema):
    roles: list[str]
    changed_at: datetime | None


# --- helpers -------------------------------------------------------------------------------------------


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _case(request: StaffRequest, case_id: uuid.UUID, action: str = "view") -> Case:
    case: Case = get_visible_or_404(Case.objects.select_related("org"), request.user, action, pk=case_id)
    return case


def _session(request: StaffRequest, session_id: uuid.UUID) -> CounsellingSession:
    session: CounsellingSession = get_visible_or_404(queries.with_case(), request.user, pk=session_id)
    return session


def _out(session: CounsellingSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "case_id": session.case_id,
        "service_id": session.service_id,
        "kind": session.kind,
        "counsellor_id": session.counsellor_id,
        "counsellor": session.counsellor.user.username,
        "modality": session.modality,
        "language": session.language,
        "starts_at": session.starts_at,
        "duration_minutes": session.duration_minutes,
        "has_notes": session.has_notes,
        "next_session_on": session.next_session_on,
    }


def _detail(request: StaffRequest, session: CounsellingSession) -> CounsellingSessionDetailOut:
    """The session with its notes when the caller may read them; the reading is audited either way."""
    visible = may_read_notes(session, request.user)
    actions.record_session_view(session=session, notes_shown=visible, **_now(request))
    return CounsellingSessionDetailOut(
        **_out(session),
        notes_visible=visible,
        notes=session.notes if visible else None,
        notes_written_at=session.notes_written_at if visible else None,
    )


def _counsellor(request: StaffRequest, counsellor_id: int | None) -> Membership | None:
    """The named member of the caller's organisation (the verb says what is wrong with them), or the
    caller herself when she is a counsellor and names nobody."""
    if counsellor_id is None:
        own = request.membership.role_enum == Role.COUNSELLOR
        return request.membership if own else None
    found: Membership | None = (
        Membership.objects.filter(org_id=request.org.pk, pk=counsellor_id).select_related("user").first()
    )
    if found is None:
        raise ValidationError({"counsellor_id": _("Choose a counsellor of your own organisation.")})
    return found


# --- endpoints -----------------------------------------------------------------------------------------


@router.get(
    "/counselling/cases/{counselling_case_id}/sessions",
    response=list[CounsellingSessionOut],
    summary="A case's counselling sessions, newest first (never their notes)",
)
@api_access(SURVIVOR_ROLES, object_kwargs=CASE)
def list_sessions(request: StaffRequest, counselling_case_id: uuid.UUID) -> list[CounsellingSessionOut]:
    case = _case(request, counselling_case_id)
    return [
        CounsellingSessionOut(**_out(session)) for session in queries.sessions_of_case(case, request.user)
    ]


@router.post(
    "/counselling/cases/{counselling_case_id}/sessions",
    response={201: CounsellingSessionDetailOut},
    summary="Record a counselling session that was held (also recorded as a service of the case)",
)
@api_access(actions.RECORDERS, object_kwargs=CASE)
def record_session(
    request: StaffRequest, counselling_case_id: uuid.UUID, payload: CounsellingSessionIn
) -> Status[CounsellingSessionDetailOut]:
    case = _case(request, counselling_case_id, "change")
    fields = payload.dict(exclude={"counsellor_id"})
    session = actions.record_session(
        case=case, counsellor=_counsellor(request, payload.counsellor_id), **fields, **_now(request)
    )
    return Status(201, _detail(request, _session(request, session.pk)))


@router.get(
    "/counselling/sessions/{counselling_session_id}",
    response=CounsellingSessionDetailOut,
    summary="One counselling session; its notes only for its counsellor and the roles allowed (audited)",
)
@api_access(SURVIVOR_ROLES, object_kwargs=SESSION)
def get_session(request: StaffRequest, counselling_session_id: uuid.UUID) -> CounsellingSessionDetailOut:
    return _detail(request, _session(request, counselling_session_id))


@router.put(
    "/counselling/sessions/{counselling_session_id}/notes",
    response=CounsellingSessionDetailOut,
    summary="Write or amend a session's notes (only the counsellor who held it; earlier text is kept)",
)
@api_access(COUNSELLORS, object_kwargs=SESSION)
def put_notes(
    request: StaffRequest, counselling_session_id: uuid.UUID, payload: NotesIn
) -> CounsellingSessionDetailOut:
    session = _session(request, counselling_session_id)
    actions.amend_notes(session=session, notes=payload.notes, **_now(request))
    return _detail(request, session)


@router.get(
    "/counselling/my-sessions",
    response=list[CounsellingSessionOut],
    summary="The sessions I held, newest first",
)
@api_access(COUNSELLORS)
def my_sessions(request: StaffRequest) -> list[CounsellingSessionOut]:
    sessions = queries.sessions_held_by(request.membership, request.user).select_related("counsellor__user")
    return [CounsellingSessionOut(**_out(session)) for session in sessions[:500]]


def _access_out(request: StaffRequest) -> NotesAccessOut:
    access = NotesAccess.objects.visible_to(request.user).first()
    roles = [role.value for role in Role if role in granted_roles(request.org.pk)]
    return NotesAccessOut(roles=roles, changed_at=access.changed_at if access else None)


@router.get(
    "/counselling/notes-access",
    response=NotesAccessOut,
    summary="The roles that read counselling notes besides the counsellor (none by default)",
)
@api_access(ORG_MANAGERS)
def get_notes_access(request: StaffRequest) -> NotesAccessOut:
    return _access_out(request)


@router.put("/counselling/notes-access", response=NotesAccessOut, summary="Set who reads counselling notes")
@api_access(ORG_MANAGERS)
def put_notes_access(request: StaffRequest, payload: NotesAccessIn) -> NotesAccessOut:
    actions.set_notes_access(org=request.org, roles=[role.value for role in payload.roles], **_now(request))
    return _access_out(request)
