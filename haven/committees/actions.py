"""Verbs for committees: set one up, seat and unseat members, schedule, cancel and minute meetings, table
cases, record decisions and actions, and close actions.

Each verb runs in one transaction, checks what the access rule cannot (dates, states, who sits on the
committee), saves, writes its audit entry (field names, never values) and, where a status moves, a
transition row. A refusal is a `ValidationError` naming the field to fix; nothing is written then.
Callers fetch objects through `visible_to` first; a case is fetched through the case rule, so a case the
person may not see is a 404 before any verb runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.cases.models import Case
from haven.committees.models import (
    Action,
    ActionTransition,
    Committee,
    CommitteeMember,
    Decision,
    Meeting,
    MeetingTransition,
    TabledCase,
)
from haven.directory.models import Provider
from haven.orgs.models import Area, Membership, Organisation
from haven.orgs.validation import refused_if_taken
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

COMMITTEE_CREATE = audit.register_action("committee.create", "A coordination committee was set up")
COMMITTEE_CHANGE = audit.register_action("committee.change", "A coordination committee was changed")
MEMBER_ADD = audit.register_action("committee.member_add", "A member was seated on a committee")
MEMBER_LEAVE = audit.register_action("committee.member_leave", "A member left a committee")
MEETING_SCHEDULE = audit.register_action("committee.meeting", "A committee meeting was scheduled")
MEETING_CANCEL = audit.register_action("committee.meeting_cancel", "A committee meeting was cancelled")
MINUTES_RECORD = audit.register_action("committee.minutes", "The minutes of a committee meeting were written")
MINUTES_VIEW = audit.register_action(
    "committee.minutes_view", "The minutes of a committee meeting were read", read=True
)
CASE_TABLE = audit.register_action("committee.table_case", "A case was tabled at a committee meeting")
IDENTITY_VIEW = audit.register_action(
    "committee.identity_view",
    "The identity of a woman whose case was tabled was shown under a release",
    read=True,
)
DECISION_RECORD = audit.register_action("committee.decision", "A committee decision was recorded")
ACTION_RECORD = audit.register_action("committee.action", "A committee action was given to a member")
ACTION_CLOSE = audit.register_action("committee.action_close", "A committee action was done or dropped")
COMMITTEE_VIEW = audit.register_action(
    "committee.view",
    "A committee's records (members' names, cases tabled, decisions, actions) were read",
    read=True,
)

COMMITTEE_FIELDS = ("name", "kind", "area", "provider", "chair", "is_active")


def _today(at: datetime) -> date:
    return timezone.localdate(at)


def _require_text(field: str, text: str, message: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationError({field: message})
    return cleaned


# --- committees ----------------------------------------------------------------------------------------


def _check_committee(committee: Committee) -> None:
    committee.name = _require_text("name", committee.name, _("Give the committee a name."))
    if committee.kind not in Committee.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of committee this is.")})
    if committee.area is not None and committee.area.org_id != committee.org_id:
        raise ValidationError({"area": _("Choose an area of your organisation.")})
    provider: Provider | None = committee.provider
    if provider is not None and provider.org_id != committee.org_id:
        raise ValidationError({"provider": _("Choose an entry of your own directory.")})
    taken = Committee.objects.filter(org_id=committee.org_id, name=committee.name).exclude(pk=committee.pk)
    if taken.exists():
        raise ValidationError({"name": _name_taken()})


def _name_taken() -> str:
    return _("Another committee already has this name.")


def create_committee(
    *,
    org: Organisation,
    name: str,
    kind: str,
    area: Area | None = None,
    provider: Provider | None = None,
    acting_user: User | None,
    at: datetime,
) -> Committee:
    """Set up a committee. Its chair is chosen once its members are seated."""
    committee = Committee(org=org, name=name, kind=kind, area=area, provider=provider, created_at=at)
    _check_committee(committee)
    with transaction.atomic():
        with refused_if_taken("name", _name_taken()):
            committee.save()
        fields = ["name", "kind", *(["area"] if area else []), *(["provider"] if provider else [])]
        audit.record(action=COMMITTEE_CREATE, actor=acting_user, org=org, obj=committee, at=at, fields=fields)
    return committee


def update_committee(
    *, committee: Committee, changes: dict[str, Any], acting_user: User | None, at: datetime
) -> Committee:
    """Change the name, kind, area, directory entry, chair or whether the committee still meets.

    The chair must sit on this committee today.
    """
    unknown = set(changes) - set(COMMITTEE_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be set here.")})
    before = {name: getattr(committee, name) for name in COMMITTEE_FIELDS}
    for name, value in changes.items():
        setattr(committee, name, value)
    _check_committee(committee)
    chair: CommitteeMember | None = committee.chair
    if chair is not None and (chair.committee_id != committee.pk or not chair.sits_on(_today(at))):
        raise ValidationError({"chair": _("The chair must be a current member of this committee.")})
    changed = audit.changed_fields(before, {name: getattr(committee, name) for name in COMMITTEE_FIELDS})
    with transaction.atomic():
        with refused_if_taken("name", _name_taken()):
            committee.save()
        audit.record(
            action=COMMITTEE_CHANGE,
            actor=acting_user,
            org=committee.org,
            obj=committee,
            at=at,
            fields=changed,
        )
    return committee


# --- members -------------------------------------------------------------------------------------------


def add_member(
    *,
    committee: Committee,
    institution: str,
    institution_type: str,
    role_title: str,
    name: str,
    joined_on: date,
    membership: Membership | None = None,
    acting_user: User | None,
    at: datetime,
) -> CommitteeMember:
    """Seat someone on the committee for an institution. A member of our staff is linked to her
    membership, once at a time."""
    member = CommitteeMember(
        org_id=committee.org_id,
        committee=committee,
        institution=_require_text("institution", institution, _("Name the institution she or he sits for.")),
        institution_type=institution_type,
        role_title=_require_text(
            "role_title", role_title, _("Say what role they hold, e.g. Member-secretary.")
        ),
        name=_require_text("name", name, _("Write the member's name.")),
        membership=membership,
        joined_on=joined_on,
    )
    if institution_type not in CommitteeMember.InstitutionType.values:
        raise ValidationError({"institution_type": _("Choose the type of institution.")})
    if joined_on > _today(at):
        raise ValidationError({"joined_on": _("A member cannot join in the future: add them on the day.")})
    if membership is not None:
        _check_staff(committee, membership)
    with transaction.atomic():
        # Seated at the same moment by someone else (one open seat per staff member).
        with refused_if_taken("membership", _("This member of staff already sits on the committee.")):
            member.save()
        fields = ["institution", "institution_type", "role_title", "name", "joined_on"]
        audit.record(
            action=MEMBER_ADD,
            actor=acting_user,
            org=committee.org,
            obj=member,
            at=at,
            fields=fields + (["membership"] if membership else []),
        )
    return member


def _check_staff(committee: Committee, membership: Membership) -> None:
    if membership.org_id != committee.org_id or not membership.is_active:
        raise ValidationError({"membership": _("Choose an active member of your staff.")})
    seated = CommitteeMember.objects.filter(committee=committee, membership=membership, left_on__isnull=True)
    if seated.exists():
        raise ValidationError({"membership": _("This member of staff already sits on the committee.")})


def member_leaves(
    *, member: CommitteeMember, left_on: date, acting_user: User | None, at: datetime
) -> CommitteeMember:
    """The member leaves the committee. A chair who leaves is no longer the chair; her open actions stay
    hers until someone reassigns them, and show on the committee page."""
    with transaction.atomic():
        locked: CommitteeMember = CommitteeMember.objects.select_for_update().get(pk=member.pk)
        if locked.left_on is not None:
            raise ValidationError({"left_on": _("This member has already left the committee.")})
        if left_on < locked.joined_on:
            raise ValidationError({"left_on": _("A member cannot leave before joining.")})
        if left_on > _today(at):
            raise ValidationError({"left_on": _("Record a departure on the day, not in advance.")})
        locked.left_on = left_on
        locked.save(update_fields=["left_on"])
        Committee.objects.filter(pk=locked.committee_id, chair=locked).update(chair=None)
        audit.record(
            action=MEMBER_LEAVE,
            actor=acting_user,
            org=member.committee.org,
            obj=locked,
            at=at,
            fields=["left_on"],
        )
    member.left_on = locked.left_on
    return member


# --- meetings ------------------------------------------------------------------------------------------


def clean_agenda(items: Iterable[str]) -> list[str]:
    """Agenda items as given, blank ones left out."""
    return [item.strip() for item in items if item and item.strip()]


def schedule_meeting(
    *,
    committee: Committee,
    starts_at: datetime,
    place: str = "",
    agenda: Iterable[str] = (),
    acting_user: User | None,
    at: datetime,
) -> Meeting:
    """Plan a meeting of an active committee. A past date is allowed: a meeting held before it was
    entered is recorded the same way, then minuted."""
    if not committee.is_active:
        raise ValidationError(
            {
                "committee": _(
                    "This committee no longer meets: make it active again before planning a meeting."
                )
            }
        )
    meeting = Meeting(
        org_id=committee.org_id,
        committee=committee,
        starts_at=starts_at,
        place=(place or "").strip(),
        agenda=clean_agenda(agenda),
        created_at=at,
        created_by=acting_user,
    )
    with transaction.atomic():
        meeting.save()
        _meeting_transition(meeting, "", Meeting.Status.PLANNED, acting_user, at)
        audit.record(
            action=MEETING_SCHEDULE,
            actor=acting_user,
            org=committee.org,
            obj=meeting,
            at=at,
            fields=[
                "starts_at",
                *(["place"] if meeting.place else []),
                *(["agenda"] if meeting.agenda else []),
            ],
        )
    return meeting


def _meeting_transition(meeting: Meeting, from_status: str, to_status: str, actor: Any, at: datetime) -> None:
    MeetingTransition.objects.create(
        org_id=meeting.org_id,
        meeting=meeting,
        from_status=from_status,
        to_status=to_status,
        at=at,
        actor=actor,
    )


def _locked_meeting(meeting: Meeting) -> Meeting:
    locked: Meeting = Meeting.objects.select_for_update().select_related("committee__org").get(pk=meeting.pk)
    return locked


def _refuse_cancelled(meeting: Meeting, field: str, message: str) -> None:
    if meeting.is_cancelled:
        raise ValidationError({field: message})


def cancel_meeting(*, meeting: Meeting, acting_user: User | None, at: datetime) -> Meeting:
    """A planned meeting that will not take place. A held meeting stays held."""
    with transaction.atomic():
        locked = _locked_meeting(meeting)
        if locked.status != Meeting.Status.PLANNED:
            raise ValidationError(
                {
                    "status": _("Only a planned meeting can be cancelled; this one is %(status)s.")
                    % {"status": locked.get_status_display()}
                }
            )
        locked.status = Meeting.Status.CANCELLED
        locked.save(update_fields=["status"])
        _meeting_transition(locked, Meeting.Status.PLANNED, Meeting.Status.CANCELLED, acting_user, at)
        audit.record(
            action=MEETING_CANCEL,
            actor=acting_user,
            org=locked.committee.org,
            obj=locked,
            at=at,
            fields=["status"],
        )
    meeting.status = locked.status
    return meeting


def record_minutes(*, meeting: Meeting, minutes: str, acting_user: User | None, at: datetime) -> Meeting:
    """Write (or correct) the minutes. A planned meeting that has minutes was held."""
    text = _require_text("minutes", minutes, _("Write the minutes."))
    with transaction.atomic():
        locked = _locked_meeting(meeting)
        _refuse_cancelled(
            locked, "minutes", _("This meeting was cancelled: a cancelled meeting has no minutes.")
        )
        if locked.starts_at > at:
            raise ValidationError(
                {"minutes": _("This meeting has not started yet: write the minutes after it.")}
            )
        previous = locked.status
        locked.minutes, locked.minutes_recorded_at, locked.minutes_recorded_by = text, at, acting_user
        locked.status = Meeting.Status.HELD
        locked.save(update_fields=["minutes", "minutes_recorded_at", "minutes_recorded_by", "status"])
        if previous != Meeting.Status.HELD:
            _meeting_transition(locked, previous, Meeting.Status.HELD, acting_user, at)
        audit.record(
            action=MINUTES_RECORD,
            actor=acting_user,
            org=locked.committee.org,
            obj=locked,
            at=at,
            fields=["minutes", *(["status"] if previous != Meeting.Status.HELD else [])],
        )
    meeting.minutes, meeting.status = locked.minutes, locked.status
    meeting.minutes_recorded_at, meeting.minutes_recorded_by = at, acting_user
    return meeting


def record_committee_view(
    *,
    record: Committee | CommitteeMember | Meeting | TabledCase | Action,
    acting_user: User | None,
    at: datetime,
) -> None:
    """A committee's records carry its members' names and what it was told and asked about women's cases:
    showing them is audited like a file, on the record shown (a committee or meeting for its page)."""
    audit.record(
        action=COMMITTEE_VIEW, actor=acting_user, org=Organisation(pk=record.org_id), obj=record, at=at
    )


def record_minutes_view(*, meeting: Meeting, acting_user: User | None, at: datetime) -> None:
    audit.record(action=MINUTES_VIEW, actor=acting_user, org=meeting.committee.org, obj=meeting, at=at)


# --- cases ---------------------------------------------------------------------------------------------


def table_case(
    *, meeting: Meeting, case: Case, reason: str = "", acting_user: User | None, at: datetime
) -> TabledCase:
    """Put a case before the committee at this meeting, once. The caller has fetched `case` through the
    case rule for the acting user."""
    if case.org_id != meeting.org_id:
        raise ValidationError({"case": _("Choose a case of your organisation.")})
    with transaction.atomic():
        locked = _locked_meeting(meeting)
        _refuse_cancelled(locked, "meeting", _("This meeting was cancelled: table the case at another one."))
        if not locked.committee.is_active:
            raise ValidationError({"meeting": _("This committee no longer meets.")})
        if TabledCase.objects.filter(meeting=locked, case=case).exists():
            raise ValidationError({"case": _("This case is already tabled at this meeting.")})
        tabled = TabledCase.objects.create(
            org_id=meeting.org_id,
            meeting=locked,
            case=case,
            reason=(reason or "").strip(),
            tabled_at=at,
            tabled_by=acting_user,
        )
        audit.record(
            action=CASE_TABLE,
            actor=acting_user,
            org=locked.committee.org,
            obj=tabled,
            at=at,
            fields=["case", *(["reason"] if tabled.reason else [])],
        )
    return tabled


def record_identity_view(*, tabled: TabledCase, acting_user: User | None, at: datetime) -> None:
    audit.record(action=IDENTITY_VIEW, actor=acting_user, org=tabled.meeting.committee.org, obj=tabled, at=at)


# --- decisions and actions -----------------------------------------------------------------------------


def _check_outcome(meeting: Meeting, tabled_case: TabledCase | None) -> None:
    _refuse_cancelled(
        meeting, "meeting", _("This meeting was cancelled: record decisions at a meeting that takes place.")
    )
    if tabled_case is not None and tabled_case.meeting_id != meeting.pk:
        raise ValidationError({"tabled_case": _("Choose a case tabled at this meeting.")})


def record_decision(
    *,
    meeting: Meeting,
    text: str,
    tabled_case: TabledCase | None = None,
    acting_user: User | None,
    at: datetime,
) -> Decision:
    """What the committee decided, about one tabled case or in general."""
    cleaned = _require_text("text", text, _("Write what was decided."))
    with transaction.atomic():
        locked = _locked_meeting(meeting)
        _check_outcome(locked, tabled_case)
        decision = Decision.objects.create(
            org_id=meeting.org_id,
            meeting=locked,
            tabled_case=tabled_case,
            text=cleaned,
            recorded_at=at,
            recorded_by=acting_user,
        )
        audit.record(
            action=DECISION_RECORD,
            actor=acting_user,
            org=locked.committee.org,
            obj=decision,
            at=at,
            fields=["text", *(["tabled_case"] if tabled_case else [])],
        )
    return decision


def _check_owner(owner: CommitteeMember, meeting: Meeting, day: date) -> None:
    if owner.committee_id != meeting.committee_id:
        raise ValidationError({"owner": _("Choose a member of this committee.")})
    if not owner.sits_on(day):
        raise ValidationError({"owner": _("This person has left the committee: choose a current member.")})


def assign_action(
    *,
    meeting: Meeting,
    text: str,
    owner: CommitteeMember,
    due_on: date,
    tabled_case: TabledCase | None = None,
    acting_user: User | None,
    at: datetime,
) -> Action:
    """Give a current member of the committee something to do by `due_on`, no earlier than the meeting."""
    cleaned = _require_text("text", text, _("Say what is to be done."))
    with transaction.atomic():
        locked = _locked_meeting(meeting)
        _check_outcome(locked, tabled_case)
        _check_owner(owner, locked, _today(at))
        if due_on < locked.held_on:
            raise ValidationError(
                {
                    "due_on": _("An action cannot be due before the meeting that decided it (%(day)s).")
                    % {"day": locked.held_on.isoformat()}
                }
            )
        action = Action.objects.create(
            org_id=meeting.org_id,
            meeting=locked,
            tabled_case=tabled_case,
            text=cleaned,
            owner=owner,
            due_on=due_on,
            recorded_at=at,
            recorded_by=acting_user,
        )
        ActionTransition.objects.create(
            org_id=action.org_id, action=action, to_status=Action.Status.OPEN, at=at, actor=acting_user
        )
        audit.record(
            action=ACTION_RECORD,
            actor=acting_user,
            org=locked.committee.org,
            obj=action,
            at=at,
            fields=["text", "owner", "due_on", *(["tabled_case"] if tabled_case else [])],
        )
    return action


def _close_action(
    action: Action, status: str, done_on: date | None, acting_user: Any, at: datetime
) -> Action:
    with transaction.atomic():
        locked: Action = (
            Action.objects.select_for_update().select_related("meeting__committee__org").get(pk=action.pk)
        )
        if locked.status != Action.Status.OPEN:
            raise ValidationError(
                {
                    "status": _("This action is already closed (%(status)s).")
                    % {"status": locked.get_status_display()}
                }
            )
        locked.status, locked.done_on = status, done_on
        locked.save(update_fields=["status", "done_on"])
        ActionTransition.objects.create(
            org_id=locked.org_id,
            action=locked,
            from_status=Action.Status.OPEN,
            to_status=status,
            at=at,
            actor=acting_user,
        )
        audit.record(
            action=ACTION_CLOSE,
            actor=acting_user,
            org=locked.meeting.committee.org,
            obj=locked,
            at=at,
            fields=["status", *(["done_on"] if done_on else [])],
        )
    action.status, action.done_on = locked.status, locked.done_on
    return action


def complete_action(
    *, action: Action, done_on: date | None = None, acting_user: User | None, at: datetime
) -> Action:
    """The action was carried out on `done_on` (default: today), not before the meeting, not in the future."""
    day = done_on or _today(at)
    if day > _today(at):
        raise ValidationError({"done_on": _("An action cannot be done in the future.")})
    if day < action.meeting.held_on:
        raise ValidationError({"done_on": _("An action cannot be done before the meeting that decided it.")})
    return _close_action(action, Action.Status.DONE, day, acting_user, at)


def drop_action(*, action: Action, acting_user: User | None, at: datetime) -> Action:
    """The committee no longer expects it (overtaken by events, or reassigned as a new action)."""
    return _close_action(action, Action.Status.DROPPED, None, acting_user, at)
