"""Verbs of the perpetrator programme: register a participant, change his status, record his sessions,
his ODARA and the completion of the programme, and manage the programme's team.

Each verb validates, then in one transaction locks the participant, checks again what another transaction
could have changed, saves and writes its audit entry (field names only). A refusal is a `ValidationError`
keyed by the field at fault; nothing is written when one is raised. Free text that points at a survivor's
file is refused (`separation.py`): the programme is kept apart.

Status: INTAKE → ACTIVE → COMPLETED (through `record_completion`), and from INTAKE or ACTIVE to
DROPPED_OUT or EXCLUDED with a reason. Each move is a `ParticipantTransition` row.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.orgs.models import Membership, Organisation
from haven.orgs.validation import refused_if_taken
from haven.perpetrators import odara
from haven.perpetrators.models import (
    TEAM_ROLES,
    Completion,
    OdaraAssessment,
    Participant,
    ParticipantTransition,
    ProgrammeSession,
    ProgrammeTeamMember,
    on_team,
)
from haven.perpetrators.separation import refuse_survivor_references
from haven.privacy import audit
from haven.privacy.blind import NormalisationError, normalise_phone

if TYPE_CHECKING:
    from haven.accounts.models import User

PARTICIPANT_REGISTER = audit.register_action("perpetrators.register", "A participant joined the programme")
PARTICIPANT_CHANGE = audit.register_action("perpetrators.change", "A participant's details changed")
PARTICIPANT_VIEW = audit.register_action("perpetrators.view", "A participant's file was read", read=True)
PARTICIPANT_STATUS = audit.register_action("perpetrators.status", "A participant's status changed")
SESSION_RECORD = audit.register_action("perpetrators.session", "A programme session was recorded")
ODARA_RECORD = audit.register_action("perpetrators.odara", "An ODARA assessment was recorded")
COMPLETION_RECORD = audit.register_action("perpetrators.completion", "A participant completed the programme")
TEAM_ADD = audit.register_action("perpetrators.team_add", "A member was added to the programme's team")
TEAM_REMOVE = audit.register_action("perpetrators.team_remove", "A member left the programme's team")

S = Participant.Status
# Where change_status may go from each status; COMPLETED is reached through record_completion.
MOVES: Mapping[str, frozenset[str]] = {
    S.INTAKE: frozenset({S.ACTIVE, S.DROPPED_OUT, S.EXCLUDED}),
    S.ACTIVE: frozenset({S.DROPPED_OUT, S.EXCLUDED}),
}
NEEDS_REASON = frozenset({S.DROPPED_OUT, S.EXCLUDED})
NAME_MAX = 200
TEXT_MAX = 5000
_CODE_ATTEMPTS = 5


# --- participants --------------------------------------------------------------------------------------


def _clean_details(
    org: Organisation, *, name: str, phone: str, language: str, referral_source: str
) -> dict[str, str]:
    """His details as stored, or a ValidationError per field to fix."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Write his name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Keep his name under %(max)s characters.") % {"max": NAME_MAX}
    phone = (phone or "").strip()
    if phone:
        try:
            phone = normalise_phone(phone, org.country)
        except NormalisationError:
            errors["phone"] = _("This is not a phone number Haven can read.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose the language he speaks.")
    if referral_source not in Participant.ReferralSource.values:
        errors["referral_source"] = _("Choose who referred him.")
    if errors:
        raise ValidationError(errors)
    refuse_survivor_references({"name": name})
    return {"name": name, "phone": phone, "language": language, "referral_source": referral_source}


def _next_code(org: Organisation, at: datetime) -> str:
    """The next free code of the year he joins, e.g. P-2026-0003."""
    prefix = f"P-{timezone.localdate(at).year}-"
    codes = Participant.objects.filter(org=org, code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(code[len(prefix) :]) for code in codes if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def register_participant(
    *,
    org: Organisation,
    name: str,
    language: str,
    referral_source: str,
    phone: str = "",
    acting_user: User | None,
    at: datetime,
) -> Participant:
    """Open a file for a man joining the programme, at intake, with the year's next code."""
    details = _clean_details(org, name=name, phone=phone, language=language, referral_source=referral_source)
    for _attempt in range(_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                participant = Participant(
                    org=org, code=_next_code(org, at), created_by=acting_user, created_at=at
                )
                for field, value in details.items():
                    setattr(participant, field, value)
                participant.save()
                _transition(participant, "", S.INTAKE, "", acting_user, at)
                audit.record(
                    action=PARTICIPANT_REGISTER,
                    actor=acting_user,
                    org=org,
                    obj=participant,
                    fields=["code", *details],
                    at=at,
                )
                return participant
        except IntegrityError:
            continue  # another intake took the same number at the same moment: take the next one
    raise ValidationError(_("Two intakes were recorded at the same moment: save again."))


def update_participant(
    *,
    participant: Participant,
    name: str,
    language: str,
    referral_source: str,
    phone: str = "",
    acting_user: User | None,
    at: datetime,
) -> Participant:
    details = _clean_details(
        participant.org, name=name, phone=phone, language=language, referral_source=referral_source
    )
    with transaction.atomic():
        locked = _locked(participant)
        changed = [field for field, value in details.items() if getattr(locked, field) != value]
        for field in changed:
            setattr(locked, field, details[field])
        if changed:
            locked.save(update_fields=changed)
            audit.record(
                action=PARTICIPANT_CHANGE,
                actor=acting_user,
                org=locked.org,
                obj=locked,
                fields=changed,
                at=at,
            )
    return locked


def record_participant_view(*, participant: Participant, acting_user: User | None, at: datetime) -> None:
    """Reading a participant's file is audited, like reading a survivor's."""
    with transaction.atomic():
        audit.record(action=PARTICIPANT_VIEW, actor=acting_user, org=participant.org, obj=participant, at=at)


def _locked(participant: Participant) -> Participant:
    locked: Participant = Participant.objects.select_for_update().select_related("org").get(pk=participant.pk)
    return locked


def _transition(
    participant: Participant, from_status: str, to_status: str, reason: str, actor: User | None, at: datetime
) -> None:
    ParticipantTransition.objects.create(
        org=participant.org,
        participant=participant,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        actor=actor,
        at=at,
    )


def _require_open(participant: Participant) -> None:
    if participant.is_closed:
        raise ValidationError(
            _("His file is closed (%(status)s): nothing more can be recorded in it.")
            % {"status": participant.get_status_display()}
        )


def _clean_text(field: str, text: str, *, required: bool = False, message: str = "") -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({field: message})
    if len(text) > TEXT_MAX:
        raise ValidationError({field: _("Keep this under %(max)s characters.") % {"max": TEXT_MAX}})
    refuse_survivor_references({field: text})
    return text


def change_status(
    *, participant: Participant, to_status: str, reason: str = "", acting_user: User | None, at: datetime
) -> Participant:
    """Start his programme, or end it early (dropped out, excluded) with a reason."""
    if to_status == S.COMPLETED:
        raise ValidationError({"to_status": _("Record the completion of the programme instead.")})
    if to_status not in S.values:
        raise ValidationError({"to_status": _("Choose a status.")})
    reason = _clean_text(
        "reason",
        reason,
        required=to_status in NEEDS_REASON,
        message=_("Say why his programme ends here."),
    )
    with transaction.atomic():
        locked = _locked(participant)
        if to_status not in MOVES.get(locked.status, frozenset()):
            raise ValidationError(
                {
                    "to_status": _("A participant who is “%(current)s” cannot become “%(new)s”.")
                    % {"current": locked.get_status_display(), "new": S(to_status).label}
                }
            )
        from_status, locked.status = locked.status, to_status
        locked.save(update_fields=["status"])
        _transition(locked, from_status, to_status, reason, acting_user, at)
        audit.record(
            action=PARTICIPANT_STATUS, actor=acting_user, org=locked.org, obj=locked, fields=["status"], at=at
        )
    return locked


# --- sessions, ODARA, completion -----------------------------------------------------------------------


def record_session(
    *,
    participant: Participant,
    kind: str,
    starts_at: datetime,
    facilitator: Membership,
    attended: bool,
    notes: str = "",
    acting_user: User | None,
    at: datetime,
) -> ProgrammeSession:
    """One session of his. The facilitator is on the programme's team; a session still to come cannot
    have been attended."""
    if kind not in ProgrammeSession.Kind.values:
        raise ValidationError({"kind": _("Choose an individual or a group session.")})
    if facilitator.org_id != participant.org_id or not on_team(facilitator):
        raise ValidationError({"facilitator": _("Choose a facilitator of the programme's team.")})
    if attended and starts_at > at:
        raise ValidationError({"attended": _("This session has not happened yet: he cannot have attended.")})
    notes = _clean_text("notes", notes)
    with transaction.atomic():
        locked = _locked(participant)
        _require_open(locked)
        session = ProgrammeSession.objects.create(
            org=locked.org,
            participant=locked,
            kind=kind,
            starts_at=starts_at,
            facilitator=facilitator,
            attended=attended,
            notes=notes,
            recorded_by=acting_user,
            recorded_at=at,
        )
        audit.record(
            action=SESSION_RECORD,
            actor=acting_user,
            org=locked.org,
            obj=session,
            fields=["kind", "starts_at", "facilitator", "attended", *(["notes"] if notes else [])],
            at=at,
        )
    return session


def record_odara(
    *,
    participant: Participant,
    answers: Mapping[str, Any],
    acting_user: User | None,
    at: datetime,
    version: str | None = None,
) -> OdaraAssessment:
    """Score his ODARA with the shared engine and keep the answers, the score and the category."""
    chosen = odara.instrument(version)
    cleaned, result = odara.evaluate(chosen, answers)
    with transaction.atomic():
        locked = _locked(participant)
        _require_open(locked)
        assessment = OdaraAssessment.objects.create(
            org=locked.org,
            participant=locked,
            instrument_version=chosen.version,
            answers=json.dumps(cleaned, sort_keys=True),
            score=result.score,
            level=result.level,
            rule=result.rule,
            asked_by=acting_user,
            asked_at=at,
        )
        audit.record(
            action=ODARA_RECORD,
            actor=acting_user,
            org=locked.org,
            obj=assessment,
            fields=["answers", "score", "level", "rule"],
            at=at,
        )
    return assessment


def record_completion(
    *,
    participant: Participant,
    outcome: str,
    completed_on: date,
    summary: str = "",
    acting_user: User | None,
    at: datetime,
) -> Completion:
    """He went through the programme: record the outcome and close his file as completed. Only a man
    in the programme who came to at least one session completes it."""
    if outcome not in Completion.Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if completed_on > timezone.localdate(at):
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    summary = _clean_text("summary", summary)
    with transaction.atomic():
        locked = _locked(participant)
        if locked.status != S.ACTIVE:
            raise ValidationError(
                {
                    "outcome": _("Only a participant in the programme can complete it; he is “%(status)s”.")
                    % {"status": locked.get_status_display()}
                }
            )
        if completed_on < timezone.localdate(locked.created_at):
            raise ValidationError(
                {"completed_on": _("He cannot complete the programme before he joined it.")}
            )
        if not ProgrammeSession.objects.filter(participant=locked, attended=True).exists():
            raise ValidationError(
                {"outcome": _("He attended no session: record his sessions, or record that he dropped out.")}
            )
        completion = Completion.objects.create(
            org=locked.org,
            participant=locked,
            outcome=outcome,
            completed_on=completed_on,
            summary=summary,
            recorded_by=acting_user,
            recorded_at=at,
        )
        locked.status = S.COMPLETED
        locked.save(update_fields=["status"])
        _transition(locked, S.ACTIVE, S.COMPLETED, "", acting_user, at)
        audit.record(
            action=COMPLETION_RECORD,
            actor=acting_user,
            org=locked.org,
            obj=completion,
            fields=["outcome", "completed_on", *(["summary"] if summary else [])],
            at=at,
        )
    return completion


# --- the team ------------------------------------------------------------------------------------------


def add_to_team(
    *, membership: Membership, org: Organisation, acting_user: User | None, at: datetime
) -> ProgrammeTeamMember:
    """Add a member of another role (a psychologist who also counsels victims, say) to the team: from now
    on she sees every participant's file of the organisation."""
    if membership.org_id != org.pk or not membership.is_active:
        raise ValidationError({"membership": _("Choose an active member of your organisation.")})
    if membership.role_enum in TEAM_ROLES:
        raise ValidationError({"membership": _("Programme workers are on the team by their role.")})
    with refused_if_taken("membership", _("This member is already on the team.")):
        if ProgrammeTeamMember.objects.active().filter(membership=membership).exists():
            raise IntegrityError
        row = ProgrammeTeamMember.objects.create(
            org=org, membership=membership, added_by=acting_user, added_at=at
        )
        audit.record(action=TEAM_ADD, actor=acting_user, org=org, obj=row, fields=["membership"], at=at)
    return row


def remove_from_team(
    *, membership: Membership, org: Organisation, acting_user: User | None, at: datetime
) -> ProgrammeTeamMember:
    """Take a member off the team: the files close to her at once. The row stays as history."""
    with transaction.atomic():
        row: ProgrammeTeamMember | None = (
            ProgrammeTeamMember.objects.select_for_update()
            .active()
            .filter(org=org, membership=membership)
            .first()
        )
        if row is None:
            reason = _("Programme workers are on the team by their role; change their role to take them off.")
            if membership.role_enum not in TEAM_ROLES:
                reason = _("This member is not on the team.")
            raise ValidationError({"membership": reason})
        row.removed_at = at
        row.save(update_fields=["removed_at"])
        audit.record(action=TEAM_REMOVE, actor=acting_user, org=org, obj=row, fields=["removed_at"], at=at)
    return row
