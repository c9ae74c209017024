"""Verbs for counselling: record a session (with its service), write or amend its notes, record who read
them, and set which roles of the organisation read notes besides the counsellor.

Callers fetch the case (or session) through `visible_to` first; the verbs check what that rule cannot:
who may record (a counsellor her own sessions, a centre manager anyone's), that the counsellor is a
counsellor on the case team, the time and duration, and that notes are written only by the counsellor
who held the session.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import global_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.cases.actions import require_editable, require_on_case
from haven.cases.care_actions import record_service, refuse_closed
from haven.cases.models import Case, CaseService
from haven.counselling.models import (
    MAX_DURATION_MINUTES,
    SERVICE_OF_KIND,
    CounsellingSession,
    NotesAccess,
    NotesRevision,
)
from haven.orgs.models import Membership, Organisation, membership_of
from haven.orgs.roles import Role
from haven.orgs.validation import local_time
from haven.privacy import audit
from haven.web import calendars

if TYPE_CHECKING:
    from haven.accounts.models import User

SESSION_RECORD = audit.register_action("counselling.record", "A counselling session was recorded")
SESSION_VIEW = audit.register_action(
    "counselling.view", "A counselling session was opened (without notes)", read=True
)
NOTES_WRITE = audit.register_action(
    "counselling.notes_write", "A counselling session's notes were written or amended"
)
NOTES_VIEW = audit.register_action(
    "counselling.notes_view", "A counselling session's notes were read", read=True
)
NOTES_ACCESS = audit.register_action(
    "counselling.notes_access", "The roles that read counselling notes were changed"
)

RECORDERS: frozenset[Role] = frozenset({Role.COUNSELLOR, Role.CENTRE_MANAGER})
"""Who records sessions: a counsellor (her own), a centre manager (for a counsellor of the team)."""
GRANTABLE: frozenset[Role] = Role.working_with_survivors()
"""Roles that can be allowed to read notes: only those that may open survivors' files at all."""
LANGUAGE_CODES = frozenset(code for code, _name in global_settings.LANGUAGES)


# --- Recording a session -------------------------------------------------------------------------------


def _recorder(acting_user: User | None) -> Membership | None:
    """The acting member, who must be a counsellor or a centre manager (None for the system)."""
    if acting_user is None:
        return None
    membership = membership_of(acting_user)
    if membership is None or membership.role_enum not in RECORDERS:
        raise ValidationError(_("Only a counsellor or a centre manager can record counselling sessions."))
    return membership


def _require_own(recorder: Membership | None, counsellor: Membership, notes: str) -> None:
    """A counsellor records her own sessions and writes their notes; a centre manager records that a
    session took place, and its counsellor adds the notes. The system (no recorder) may do both."""
    if recorder is None:
        return
    own = recorder.pk == counsellor.pk
    if recorder.role_enum == Role.COUNSELLOR and not own:
        raise ValidationError(
            {"counsellor": _("Record your own sessions: a counsellor cannot record one for a colleague.")}
        )
    if notes and not own:
        raise ValidationError({"notes": _("Only the counsellor who held the session can write its notes.")})


def _check_counsellor(case: Case, counsellor: Membership | None) -> Membership:
    if counsellor is None:
        raise ValidationError({"counsellor": _("Choose the counsellor who held the session.")})
    if counsellor.org_id != case.org_id or not counsellor.is_active:
        raise ValidationError({"counsellor": _("Choose an active member of your own organisation.")})
    if counsellor.role_enum != Role.COUNSELLOR:
        raise ValidationError({"counsellor": _("This member of staff is not a counsellor.")})
    require_on_case(case, counsellor, "counsellor")
    return counsellor


def _check_time(
    starts_at: datetime, duration_minutes: int, next_session_on: date | None, at: datetime
) -> None:
    if starts_at > at:
        raise ValidationError(
            {
                "starts_at": _(
                    "A session is recorded once it has been held, so its time cannot be in the future. "
                    "Plan a coming session with “next session”."
                )
            }
        )
    if not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise ValidationError({"duration_minutes": _("The duration must be between 1 minute and 8 hours.")})
    if next_session_on is None:
        return
    if next_session_on <= timezone.localdate(starts_at):
        raise ValidationError({"next_session_on": _("The next session must come after this one.")})
    if next_session_on < timezone.localdate(at):
        raise ValidationError({"next_session_on": _("The next session cannot be planned in the past.")})


def _check_shown(field: str, day: date) -> None:
    """A date every calendar Haven shows dates in can show: the counsellor's pages show the session's
    dates in her calendar, and a Solar Hijri or Bengali calendar cannot show, say, 1 January of year 1."""
    for calendar in calendars.CALENDARS:
        try:
            calendars.to_calendar(day, calendar)
        except ValueError:
            raise ValidationError(
                {field: _("This date is outside the years Haven's calendars can show: check the year.")}
            ) from None


def _check_language(language: str) -> None:
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose one of the languages offered.")})


def build_session(
    *,
    case: Case,
    kind: str,
    counsellor: Membership | None,
    modality: str,
    language: str,
    starts_at: datetime,
    duration_minutes: int,
    notes: str = "",
    next_session_on: date | None = None,
    acting_user: User | None,
    at: datetime,
) -> CounsellingSession:
    """Every check of `record_session` that needs no lock; returns the unsaved session (no service yet)."""
    notes = (notes or "").strip()
    refuse_closed(case)
    recorder = _recorder(acting_user)
    _require_own(recorder, _check_counsellor(case, counsellor), notes)
    if kind not in SERVICE_OF_KIND:
        raise ValidationError({"kind": _("Choose one of the kinds of counselling offered.")})
    _check_language(language)
    starts_at = local_time(starts_at)
    _check_shown("starts_at", timezone.localdate(starts_at))
    if next_session_on is not None:
        _check_shown("next_session_on", next_session_on)
    _check_time(starts_at, duration_minutes, next_session_on, at)
    session = CounsellingSession(
        org_id=case.org_id,
        case=case,
        kind=kind,
        counsellor=counsellor,
        modality=modality,
        language=language,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        notes=notes,
        notes_written_at=at if notes else None,
        next_session_on=next_session_on,
        recorded_at=at,
        recorded_by=acting_user,
    )
    session.full_clean(exclude=["service"])
    return session


def record_session(**fields: Any) -> CounsellingSession:
    """Record a session that was held, and the service it counts as (provided by the counsellor, on the
    session's day), in one transaction. Refused on a closed case."""
    session = build_session(**fields)
    case, user, at = session.case, session.recorded_by, session.recorded_at
    day = timezone.localdate(session.starts_at)
    with transaction.atomic():
        require_editable(case)
        session.service = record_service(
            case=case,
            kind=SERVICE_OF_KIND[session.kind],
            status=CaseService.Status.PROVIDED,
            started_on=day,
            ended_on=day,
            provided_by=session.counsellor,
            acting_user=user,
            at=at,
        )
        session.save()
        written = ["kind", "counsellor", "modality", "language", "starts_at", "duration_minutes", "service"]
        written += [name for name in ("notes", "next_session_on") if getattr(session, name)]
        audit.record(action=SESSION_RECORD, actor=user, org=case.org, obj=session, at=at, fields=written)
    return session


# --- Notes ---------------------------------------------------------------------------------------------


def amend_notes(
    *, session: CounsellingSession, notes: str, acting_user: User | None, at: datetime
) -> CounsellingSession:
    """Write the session's notes, or amend them: only the counsellor who held the session may. The text
    an amendment replaces is kept as a `NotesRevision`, readable by the same people as the notes."""
    membership = membership_of(acting_user)
    if membership is None or membership.pk != session.counsellor_id:
        raise ValidationError(
            {"notes": _("Only the counsellor who held this session can write or change its notes.")}
        )
    notes = (notes or "").strip()
    if not notes:
        raise ValidationError({"notes": _("Write the notes.")})
    with transaction.atomic():
        require_editable(session.case)
        locked: CounsellingSession = CounsellingSession.objects.select_for_update().get(pk=session.pk)
        if locked.has_notes and locked.notes == notes:
            raise ValidationError({"notes": _("Nothing changed: these are the notes as they stand.")})
        if locked.notes_written_at is not None:
            NotesRevision.objects.create(
                org_id=locked.org_id,
                session=locked,
                notes=locked.notes,
                written_at=locked.notes_written_at,
                replaced_at=at,
                replaced_by=acting_user,
            )
        amending = locked.has_notes
        locked.notes, locked.notes_written_at = notes, at
        locked.save(update_fields=["notes", "notes_written_at"])
        audit.record(
            action=NOTES_WRITE,
            actor=acting_user,
            org=session.case.org,
            obj=locked,
            at=at,
            fields=["notes"],
            reason_code="amend" if amending else "first",
        )
    session.notes, session.notes_written_at = notes, at
    return session


def record_session_view(
    *, session: CounsellingSession, notes_shown: bool, acting_user: User | None, at: datetime
) -> None:
    """Opening a session is an audited read; one that shows its notes is recorded as a notes read."""
    action = NOTES_VIEW if notes_shown else SESSION_VIEW
    audit.record(action=action, actor=acting_user, org=session.case.org, obj=session, at=at)


# --- The organisation's setting ------------------------------------------------------------------------


def _checked_roles(roles: Iterable[str]) -> list[str]:
    chosen = set(roles)
    unknown = chosen - set(Role.values)
    if unknown:
        raise ValidationError({"roles": _("Choose roles from the list offered.")})
    refused = sorted(str(Role(code).label) for code in chosen if Role(code) not in GRANTABLE)
    if refused:
        raise ValidationError(
            {
                "roles": _(
                    "%(roles)s: only roles that work with survivors' files can be allowed to read "
                    "counselling notes."
                )
                % {"roles": ", ".join(refused)}
            }
        )
    return [role.value for role in Role if role.value in chosen]


def set_notes_access(
    *, org: Organisation, roles: Iterable[str], acting_user: User | None, at: datetime
) -> NotesAccess:
    """Set which roles, besides each session's counsellor, read counselling notes (an empty list: nobody
    else). Only those who manage the organisation decide it."""
    membership = membership_of(acting_user)
    if acting_user is not None and (
        membership is None or membership.org_id != org.pk or not membership.role_enum.manages_org
    ):
        raise ValidationError(_("Only an organisation administrator can decide who reads counselling notes."))
    codes = _checked_roles(roles)
    with transaction.atomic():
        access = NotesAccess.objects.select_for_update().filter(org=org).first()
        if access is None:
            access = NotesAccess(org=org)
        access.roles, access.changed_at, access.changed_by = codes, at, acting_user
        access.save()
        audit.record(action=NOTES_ACCESS, actor=acting_user, org=org, obj=access, at=at, fields=["roles"])
    return access
