"""Verbs for legal aid: matters and their course, the advocates panel, hearings, consultations and the
lawyers' calendar feeds.

Each verb validates, then in one transaction locks what it changes, checks again what another transaction
could have changed meanwhile, saves, writes its audit entry (field names only) and, for a matter's status,
a `MatterTransition`. A refusal is a `ValidationError` keyed by the field at fault with a translated
sentence; nothing is written when one is raised. "Now" is passed in as `at`.

Lock order: the advocate, then the matter, then the case, then the audit chain.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.cases import care_actions
from haven.cases.actions import require_editable
from haven.cases.catalogue import ServiceKind
from haven.cases.models import Case, CaseAssignment, CaseService, manages_cases
from haven.legal.models import (
    Advocate,
    CalendarFeed,
    Consultation,
    Hearing,
    Matter,
    MatterKind,
    MatterTransition,
)
from haven.orgs.models import Membership, Organisation
from haven.orgs.roles import Role
from haven.orgs.validation import refused_if_taken
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

MATTER_OPEN = audit.register_action("legal.matter_open", "A legal matter was opened in a case")
MATTER_CHANGE = audit.register_action("legal.matter_change", "A legal matter's details or status changed")
MATTER_VIEW = audit.register_action("legal.view", "A legal file was viewed", read=True)
MATTER_ASSIGN = audit.register_action("legal.assign", "A lawyer or advocate was assigned to a legal matter")
HEARING_RECORD = audit.register_action("legal.hearing", "A hearing was scheduled or its result recorded")
CONSULTATION_RECORD = audit.register_action(
    "legal.consultation", "A legal consultation was scheduled, logged or concluded"
)
ADVOCATE_CHANGE = audit.register_action("legal.advocate", "The advocates panel changed")
FEED_CHANGE = audit.register_action("legal.feed", "A calendar feed address was made or revoked")

Status = Matter.Status

# verb → (statuses it may start from, status it leads to). Closing is `record_outcome`: it needs one.
_MOVES: dict[str, tuple[frozenset[str], str]] = {
    "file": (frozenset({Status.OPEN}), Status.FILED),
    "to_court": (frozenset({Status.OPEN, Status.FILED}), Status.IN_COURT),
    "reopen": (frozenset({Status.CLOSED}), Status.OPEN),
}
MATTER_VERBS = tuple(_MOVES)
_VERB_NAMES = {
    "file": _("mark it filed"),
    "to_court": _("mark it before the court"),
    "reopen": _("reopen it"),
    "close": _("record its outcome"),
    "edit": _("change it"),
}
EDITABLE_FIELDS = ("court", "court_number", "opposing_party_name", "opposing_party_relationship", "notes")
ADVOCATE_FIELDS = (
    "name",
    "registration_number",
    "empanelled_by",
    "contact",
    "languages",
    "areas",
    "accepting_new",
    "max_active_matters",
    "is_active",
)
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)
_REFERENCE_ATTEMPTS = 5


# --- shared checks -------------------------------------------------------------------------------------


def _state_error(matter: Matter, verb: str) -> ValidationError:
    return ValidationError(
        _("This matter is “%(status)s”, so you cannot %(verb)s.")
        % {"status": Status(matter.status).label, "verb": _VERB_NAMES[verb]},
        code="matter_state",
    )


def _lock(matter: Matter) -> Matter:
    locked: Matter = Matter.objects.select_for_update().select_related("org").get(pk=matter.pk)
    return locked


def _require_open(matter: Matter, verb: str) -> None:
    if matter.is_closed:
        raise _state_error(matter, verb)


def _check_choice(value: str, choices: Iterable[str], field: str) -> None:
    if value not in set(choices):
        raise ValidationError({field: _("Choose one of the options offered.")})


def _not_in_future(day: date, at: datetime, field: str, message: str) -> None:
    if day > timezone.localdate(at):
        raise ValidationError({field: message})


def _move(
    matter: Matter, to: str, *, reason: str, comment: str, acting_user: User | None, at: datetime
) -> None:
    """Save the new status and its transition row (the caller holds the matter's lock)."""
    MatterTransition.objects.create(
        org_id=matter.org_id,
        matter=matter,
        from_status=matter.status,
        to_status=to,
        at=at,
        actor=acting_user,
        reason_code=reason,
        comment=comment,
    )
    matter.status = to


# --- the advocates panel -------------------------------------------------------------------------------


def _clean_lists(languages: Iterable[str], areas: Iterable[str]) -> tuple[list[str], list[str]]:
    languages, areas = list(dict.fromkeys(languages)), list(dict.fromkeys(areas))
    if not set(languages) <= LANGUAGE_CODES:
        raise ValidationError({"languages": _("Choose languages from the list.")})
    if not set(areas) <= set(MatterKind.values):
        raise ValidationError({"areas": _("Choose areas of practice from the list.")})
    return languages, areas


def _in_house_name(membership: Membership, org: Organisation) -> str:
    if membership.org_id != org.pk or not membership.is_active:
        raise ValidationError({"membership": _("Choose an active member of your own organisation.")})
    if membership.role_enum is not Role.LAWYER:
        raise ValidationError(
            {"membership": _("Only a member whose role is lawyer can be an in-house lawyer.")}
        )
    if Advocate.objects.filter(membership=membership).exists():
        raise ValidationError({"membership": _("This lawyer is already on the panel.")})
    user = membership.user
    return user.get_full_name() or user.username


def add_advocate(
    *,
    org: Organisation,
    kind: str,
    membership: Membership | None = None,
    name: str = "",
    registration_number: str = "",
    empanelled_by: str = "",
    contact: str = "",
    languages: Iterable[str] = (),
    areas: Iterable[str] = (),
    accepting_new: bool = True,
    max_active_matters: int = 15,
    acting_user: User | None,
    at: datetime,
) -> Advocate:
    """Put a lawyer on the panel: an in-house lawyer (a member whose role is lawyer, once) or an external
    advocate, who needs a name. Languages and areas come from the lists Haven knows."""
    _check_choice(kind, Advocate.Kind.values, "kind")
    langs, kinds = _clean_lists(languages, areas)
    if kind == Advocate.Kind.IN_HOUSE:
        if membership is None:
            raise ValidationError({"membership": _("Choose the staff member who is the lawyer.")})
        name = _in_house_name(membership, org)
    else:
        membership = None
        if not name.strip():
            raise ValidationError({"name": _("Give the advocate's name.")})
    advocate = Advocate(
        org=org,
        kind=kind,
        membership=membership,
        name=name.strip(),
        registration_number=registration_number.strip(),
        empanelled_by=empanelled_by.strip(),
        contact=contact.strip(),
        languages=langs,
        areas=kinds,
        accepting_new=accepting_new,
        max_active_matters=max_active_matters,
        created_at=at,
    )
    advocate.full_clean()
    with transaction.atomic():
        # The same lawyer added by a second submit that committed after the checks above.
        with refused_if_taken("membership", _("This lawyer is already on the panel.")):
            advocate.save()
        audit.record(
            action=ADVOCATE_CHANGE, actor=acting_user, org=org, obj=advocate, at=at, fields=["kind", "name"]
        )
    return advocate


def update_advocate(
    *, advocate: Advocate, changes: Mapping[str, Any], acting_user: User | None, at: datetime
) -> Advocate:
    """Change what the panel knows of an advocate: availability, capacity, languages, areas. An in-house
    lawyer's name follows her staff account and is not changed here."""
    unknown = set(changes) - set(ADVOCATE_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This cannot be changed here.")})
    with transaction.atomic():
        locked: Advocate = Advocate.objects.select_for_update().select_related("org").get(pk=advocate.pk)
        fields = dict(changes)
        if locked.kind == Advocate.Kind.IN_HOUSE:
            fields.pop("name", None)
        elif "name" in fields and not str(fields["name"]).strip():
            raise ValidationError({"name": _("Give the advocate's name.")})
        langs, kinds = _clean_lists(
            fields.get("languages", locked.languages), fields.get("areas", locked.areas)
        )
        fields.update(languages=langs, areas=kinds)
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, fields[name])
        locked.full_clean()
        if changed:
            locked.save(update_fields=changed)
            audit.record(
                action=ADVOCATE_CHANGE, actor=acting_user, org=locked.org, obj=locked, at=at, fields=changed
            )
    return locked


def active_matters(advocate: Advocate) -> int:
    return Matter.objects.filter(advocate=advocate).active().count()


def check_available(advocate: Advocate, matter_kind: str, org_id: Any) -> None:
    """Refuse an advocate who cannot take this matter now: not on the panel (or of another organisation),
    not taking new matters, at capacity, or not practising in this area (when areas are listed)."""
    name = advocate.name
    if advocate.org_id != org_id or not advocate.is_active:
        raise ValidationError({"advocate": _("%(name)s is not on your panel.") % {"name": name}})
    if not advocate.accepting_new:
        raise ValidationError(
            {"advocate": _("%(name)s is not taking new matters at the moment.") % {"name": name}}
        )
    if advocate.areas and matter_kind not in advocate.areas:
        raise ValidationError(
            {
                "advocate": _("%(name)s does not take matters of this kind (%(kind)s).")
                % {"name": name, "kind": MatterKind(matter_kind).label}
            }
        )
    count = active_matters(advocate)
    if count >= advocate.max_active_matters:
        raise ValidationError(
            {
                "advocate": _(
                    "%(name)s already has %(count)s active matters, the most they take: choose someone else."
                )
                % {"name": name, "count": count}
            }
        )


def _lock_available(advocate: Advocate, matter_kind: str, org_id: Any) -> Advocate:
    """Lock the advocate's row so two assignments cannot both take the last place, then check."""
    locked: Advocate = Advocate.objects.select_for_update().get(pk=advocate.pk)
    check_available(locked, matter_kind, org_id)
    return locked


# --- matters -------------------------------------------------------------------------------------------


def _next_reference(org_id: Any, year: int) -> str:
    prefix = f"L-{year}-"
    taken = Matter.objects.filter(org_id=org_id, reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


def _save_with_reference(matter: Matter, year: int) -> None:
    """A reference is the next number of the year; a concurrent opening that took it makes us try the
    next one (the unique constraint decides), inside a savepoint so the transaction stays usable."""
    for attempt in range(_REFERENCE_ATTEMPTS):
        matter.reference = _next_reference(matter.org_id, year)
        if attempt:
            number = int(matter.reference.rsplit("-", 1)[1]) + attempt
            matter.reference = f"L-{year}-{number:04d}"
        try:
            with transaction.atomic():
                matter.save()
            return
        except IntegrityError:
            continue
    raise ValidationError(_("Another matter was opened at the same moment: try again."))


def build_matter(
    *,
    case: Case,
    kind: str,
    opened_on: date,
    court: str = "",
    court_number: str = "",
    opposing_party_name: str = "",
    opposing_party_relationship: str = "",
    notes: str = "",
    at: datetime,
) -> Matter:
    """The unsaved matter, checked without locks (for inline form checks and `open_matter`)."""
    if case.is_closed:
        raise ValidationError({"case": _("This case is closed: reopen it before opening a legal matter.")})
    _check_choice(kind, MatterKind.values, "kind")
    if opposing_party_relationship:
        _check_choice(opposing_party_relationship, Matter.Relationship.values, "opposing_party_relationship")
    _not_in_future(opened_on, at, "opened_on", _("A matter cannot be opened on a day still to come."))
    matter = Matter(
        org_id=case.org_id,
        case=case,
        kind=kind,
        opened_on=opened_on,
        court=court.strip(),
        court_number=court_number.strip(),
        opposing_party_name=opposing_party_name.strip(),
        opposing_party_relationship=opposing_party_relationship,
        notes=notes.strip(),
        created_at=at,
    )
    matter.full_clean(exclude=["reference"])
    return matter


def open_matter(
    *, advocate: Advocate | None = None, acting_user: User | None, at: datetime, **fields: Any
) -> Matter:
    """Open a legal matter in her case, with its non-identifying reference (L-<year>-<number>), and, when
    one is chosen, its lawyer (who must be available: see `check_available`). Refused on a closed case."""
    matter = build_matter(at=at, **fields)
    matter.opened_by = acting_user
    with transaction.atomic():
        if advocate is not None:
            matter.advocate = _lock_available(advocate, matter.kind, matter.org_id)
        require_editable(matter.case)
        _save_with_reference(matter, matter.opened_on.year)
        MatterTransition.objects.create(
            org_id=matter.org_id, matter=matter, to_status=Status.OPEN, at=at, actor=acting_user
        )
        opened = ["case", "kind", "opened_on", *(f for f in EDITABLE_FIELDS if getattr(matter, f))]
        audit.record(
            action=MATTER_OPEN,
            actor=acting_user,
            org=matter.case.org,
            obj=matter,
            at=at,
            fields=opened + (["advocate"] if advocate else []),
        )
    return matter


def update_matter(
    *, matter: Matter, changes: Mapping[str, Any], acting_user: User | None, at: datetime
) -> Matter:
    """Change the court, the court's file number, the opposing party or the notes of an open matter."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This cannot be changed here.")})
    relationship = changes.get("opposing_party_relationship")
    if relationship:
        _check_choice(relationship, Matter.Relationship.values, "opposing_party_relationship")
    with transaction.atomic():
        locked = _lock(matter)
        _require_open(locked, "edit")
        values = {
            name: (value.strip() if isinstance(value, str) else value) for name, value in changes.items()
        }
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, values[name])
        if changed:
            locked.full_clean()
            locked.save(update_fields=changed)
            audit.record(
                action=MATTER_CHANGE, actor=acting_user, org=locked.org, obj=locked, at=at, fields=changed
            )
    return locked


def transition_matter(
    *, matter: Matter, verb: str, comment: str = "", acting_user: User | None, at: datetime
) -> Matter:
    """Move a matter: filed (OPEN → FILED), before the court (OPEN/FILED → IN_COURT), reopened (CLOSED →
    OPEN: an appeal or a new application; its outcome moves to the transition row). Closing a matter is
    `record_outcome`."""
    if verb not in _MOVES:
        raise ValidationError({"verb": _("Choose one of: %(verbs)s.") % {"verbs": ", ".join(MATTER_VERBS)}})
    allowed, to = _MOVES[verb]
    with transaction.atomic():
        locked = _lock(matter)
        if locked.status not in allowed:
            raise _state_error(locked, verb)
        reason = locked.outcome if verb == "reopen" else ""
        _move(locked, to, reason=reason, comment=comment.strip(), acting_user=acting_user, at=at)
        changed = ["status"]
        if verb == "reopen":
            locked.outcome, locked.outcome_notes, locked.closed_on = "", "", None
            changed += ["outcome", "outcome_notes", "closed_on"]
        locked.save(update_fields=changed)
        audit.record(
            action=MATTER_CHANGE, actor=acting_user, org=locked.org, obj=locked, at=at, fields=changed
        )
    return locked


def record_outcome(
    *,
    matter: Matter,
    outcome: str,
    closed_on: date,
    notes: str = "",
    acting_user: User | None,
    at: datetime,
) -> Matter:
    """Record how the matter ended and close it. The day cannot be before it was opened or still to come."""
    _check_choice(outcome, Matter.Outcome.values, "outcome")
    _not_in_future(closed_on, at, "closed_on", _("The outcome cannot be dated on a day still to come."))
    with transaction.atomic():
        locked = _lock(matter)
        _require_open(locked, "close")
        if closed_on < locked.opened_on:
            raise ValidationError(
                {"closed_on": _("The outcome cannot be dated before the matter was opened.")}
            )
        _move(locked, Status.CLOSED, reason=outcome, comment="", acting_user=acting_user, at=at)
        locked.outcome, locked.outcome_notes, locked.closed_on = outcome, notes.strip(), closed_on
        changed = ["status", "outcome", "closed_on", *(["outcome_notes"] if notes.strip() else [])]
        locked.save(update_fields=["status", "outcome", "outcome_notes", "closed_on"])
        audit.record(
            action=MATTER_CHANGE, actor=acting_user, org=locked.org, obj=locked, at=at, fields=changed
        )
    return locked


def assign_advocate(*, matter: Matter, advocate: Advocate, acting_user: User | None, at: datetime) -> Matter:
    """Give the matter to a lawyer of the panel. Refused, with the reason, for one who is not available
    (`check_available`), for the lawyer it already has, and on a closed matter."""
    if matter.advocate_id == advocate.pk:
        raise ValidationError({"advocate": _("%(name)s already has this matter.") % {"name": advocate.name}})
    with transaction.atomic():
        chosen = _lock_available(advocate, matter.kind, matter.org_id)
        locked = _lock(matter)
        _require_open(locked, "edit")
        locked.advocate = chosen
        locked.save(update_fields=["advocate"])
        audit.record(
            action=MATTER_ASSIGN, actor=acting_user, org=locked.org, obj=locked, at=at, fields=["advocate"]
        )
    return locked


def record_matter_view(*, matter: Matter, acting_user: User | None, at: datetime) -> None:
    """Every view of a legal file is a read entry."""
    audit.record(action=MATTER_VIEW, actor=acting_user, org=matter.org, obj=matter, at=at)


def record_consultation_view(
    *, consultation: Consultation, org: Organisation, acting_user: User | None, at: datetime
) -> None:
    """A consultation read outside its matter's page (its notes are part of her legal file)."""
    fields = ["notes"] if consultation.notes else []
    audit.record(action=MATTER_VIEW, actor=acting_user, org=org, obj=consultation, at=at, fields=fields)


# --- hearings ------------------------------------------------------------------------------------------


def build_hearing(
    *, matter: Matter, starts_at: datetime, purpose: str, court: str = "", at: datetime
) -> Hearing:
    """The unsaved hearing: on an open matter, not before the day it was opened."""
    _require_open(matter, "edit")
    _check_choice(purpose, Hearing.Purpose.values, "purpose")
    if timezone.localdate(starts_at) < matter.opened_on:
        raise ValidationError(
            {
                "starts_at": _("A hearing cannot be before the matter was opened (%(day)s).")
                % {"day": matter.opened_on}
            }
        )
    hearing = Hearing(
        org_id=matter.org_id,
        matter=matter,
        starts_at=starts_at,
        purpose=purpose,
        court=court.strip() or matter.court,
        created_at=at,
    )
    hearing.full_clean()
    return hearing


def _save_hearing(hearing: Hearing, matter: Matter, acting_user: User | None, at: datetime) -> None:
    """Save it (the caller holds the matter's lock); a matter still in preparation or filed is now before
    the court."""
    hearing.created_by = acting_user
    hearing.save()
    if matter.status in _MOVES["to_court"][0]:
        _move(matter, Status.IN_COURT, reason="HEARING", comment="", acting_user=acting_user, at=at)
        matter.save(update_fields=["status"])


def schedule_hearing(
    *,
    matter: Matter,
    starts_at: datetime,
    purpose: str,
    court: str = "",
    acting_user: User | None,
    at: datetime,
) -> Hearing:
    """Put a hearing in the matter's diary (a past one may be logged too). Refused before the matter was
    opened and on a closed matter. The court defaults to the matter's."""
    with transaction.atomic():
        locked = _lock(matter)
        hearing = build_hearing(matter=locked, starts_at=starts_at, purpose=purpose, court=court, at=at)
        _save_hearing(hearing, locked, acting_user, at)
        audit.record(
            action=HEARING_RECORD,
            actor=acting_user,
            org=locked.org,
            obj=hearing,
            at=at,
            fields=["matter", "starts_at", "purpose", "court"],
        )
    return hearing


def _check_result(hearing: Hearing, result: str, next_starts_at: datetime | None, at: datetime) -> None:
    _check_choice(result, Hearing.Result.values, "result")
    if hearing.starts_at > at:
        raise ValidationError(
            {"result": _("This hearing has not taken place yet: record its result afterwards.")}
        )
    if next_starts_at is not None and next_starts_at <= hearing.starts_at:
        raise ValidationError({"next_starts_at": _("The next date must be after this hearing.")})


def record_hearing_result(
    *,
    hearing: Hearing,
    result: str,
    note: str = "",
    next_starts_at: datetime | None = None,
    next_purpose: str = "",
    acting_user: User | None,
    at: datetime,
) -> Hearing:
    """Record what happened at a hearing that has taken place, once; a next date set by the court is
    scheduled as the next hearing of the matter (same court). Refused for a hearing still to come, a next
    date not after this hearing, a result already recorded, and on a closed matter."""
    _check_result(hearing, result, next_starts_at, at)
    with transaction.atomic():
        matter = _lock(hearing.matter)
        _require_open(matter, "edit")
        locked: Hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
        if locked.has_result:
            raise ValidationError({"result": _("The result of this hearing is already recorded.")})
        if next_starts_at is not None:
            purpose = next_purpose or Hearing.Purpose.MENTION
            following = build_hearing(
                matter=matter, starts_at=next_starts_at, purpose=purpose, court=locked.court, at=at
            )
            _save_hearing(following, matter, acting_user, at)
            locked.next_hearing = following
        locked.result, locked.result_note = result, note.strip()
        locked.result_recorded_at, locked.result_recorded_by = at, acting_user
        locked.save(
            update_fields=[
                "result",
                "result_note",
                "result_recorded_at",
                "result_recorded_by",
                "next_hearing",
            ]
        )
        fields = [
            "result",
            *(["result_note"] if note.strip() else []),
            *(["next_hearing"] if next_starts_at else []),
        ]
        audit.record(
            action=HEARING_RECORD, actor=acting_user, org=matter.org, obj=locked, at=at, fields=fields
        )
    return locked


# --- consultations -------------------------------------------------------------------------------------


def _provider(advocate: Advocate, case: Case) -> Membership | None:
    """The service's provider is the in-house lawyer when she works on the case (the service rule asks
    that); an external advocate, or a lawyer who only has the matter, gives no provider."""
    membership = advocate.membership
    if membership is None:
        return None
    on_case = CaseAssignment.objects.filter(case=case, membership=membership, ended_at__isnull=True).exists()
    return membership if on_case or manages_cases(membership.role_enum) else None


def _record_service(consultation: Consultation, acting_user: User | None, at: datetime) -> CaseService:
    return care_actions.record_service(
        case=consultation.case,
        kind=ServiceKind.LEGAL_INFORMATION,
        status=CaseService.Status.PROVIDED,
        started_on=timezone.localdate(consultation.held_at),
        ended_on=timezone.localdate(consultation.held_at),
        provided_by=_provider(consultation.advocate, consultation.case),
        acting_user=acting_user,
        at=at,
    )


def build_consultation(
    *,
    case: Case,
    advocate: Advocate,
    held_at: datetime,
    modality: str,
    matter: Matter | None = None,
    duration_minutes: int | None = None,
    notes: str = "",
    at: datetime,
) -> Consultation:
    if case.is_closed:
        raise ValidationError({"case": _("This case is closed: reopen it before logging a consultation.")})
    if advocate.org_id != case.org_id or not advocate.is_active:
        raise ValidationError({"advocate": _("%(name)s is not on your panel.") % {"name": advocate.name}})
    if matter is not None and matter.case_id != case.pk:
        raise ValidationError({"matter": _("Choose a matter of this case.")})
    _check_choice(modality, Consultation.Modality.values, "modality")
    consultation = Consultation(
        org_id=case.org_id,
        case=case,
        matter=matter,
        advocate=advocate,
        held_at=held_at,
        modality=modality,
        duration_minutes=duration_minutes,
        notes=notes.strip(),
        recorded_at=at,
    )
    consultation.full_clean(exclude=["service"])
    return consultation


def log_consultation(*, acting_user: User | None, at: datetime, **fields: Any) -> Consultation:
    """Log a legal consultation with her. One that has taken place is also recorded as a service in her
    case (legal information and advice, provided by us); one still to come is put in the lawyer's
    calendar and becomes a service when it is marked held (`conclude_consultation`)."""
    consultation = build_consultation(at=at, **fields)
    consultation.recorded_by = acting_user
    held = consultation.held_at <= at
    consultation.status = Consultation.Status.HELD if held else Consultation.Status.SCHEDULED
    with transaction.atomic():
        require_editable(consultation.case)
        if held:
            consultation.service = _record_service(consultation, acting_user, at)
        consultation.save()
        audit.record(
            action=CONSULTATION_RECORD,
            actor=acting_user,
            org=consultation.case.org,
            obj=consultation,
            at=at,
            fields=["case", "advocate", "held_at", "modality", *(["notes"] if consultation.notes else [])],
        )
    return consultation


def conclude_consultation(
    *, consultation: Consultation, status: str, acting_user: User | None, at: datetime
) -> Consultation:
    """Mark a scheduled consultation held (then it is a service in her case), missed or cancelled. A
    consultation still to come cannot be marked held or missed."""
    Cs = Consultation.Status
    if status not in (Cs.HELD, Cs.MISSED, Cs.CANCELLED):
        raise ValidationError({"status": _("Choose held, missed or cancelled.")})
    with transaction.atomic():
        locked: Consultation = (
            Consultation.objects.select_for_update()
            .select_related("case__org", "advocate")
            .get(pk=consultation.pk)
        )
        if locked.status != Cs.SCHEDULED:
            raise ValidationError(
                {
                    "status": _("This consultation is already marked “%(status)s”.")
                    % {"status": locked.get_status_display()}
                }
            )
        if status != Cs.CANCELLED and locked.held_at > at:
            raise ValidationError(
                {"status": _("This consultation is still to come: it can only be cancelled.")}
            )
        require_editable(locked.case)
        if status == Cs.HELD:
            locked.service = _record_service(locked, acting_user, at)
        locked.status = status
        locked.save(update_fields=["status", "service"])
        audit.record(
            action=CONSULTATION_RECORD,
            actor=acting_user,
            org=locked.case.org,
            obj=locked,
            at=at,
            fields=["status"],
        )
    return locked


# --- calendar feeds ------------------------------------------------------------------------------------


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_calendar_feed(
    *, advocate: Advocate, acting_user: User | None, at: datetime
) -> tuple[CalendarFeed, str]:
    """A new secret address for the advocate's calendar; the one before it stops working. Returns the
    token, which is shown once and never stored (only its hash is)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        Advocate.objects.select_for_update().filter(pk=advocate.pk).first()
        CalendarFeed.objects.filter(advocate=advocate, revoked_at__isnull=True).update(revoked_at=at)
        feed = CalendarFeed.objects.create(
            org_id=advocate.org_id,
            advocate=advocate,
            token_hash=hash_feed_token(token),
            created_at=at,
            created_by=acting_user,
        )
        audit.record(
            action=FEED_CHANGE, actor=acting_user, org=advocate.org, obj=feed, at=at, fields=["token_hash"]
        )
    return feed, token


def revoke_calendar_feeds(*, advocate: Advocate, acting_user: User | None, at: datetime) -> int:
    """Stop the advocate's calendar address; calendar applications reading it get "not found"."""
    with transaction.atomic():
        feeds = list(
            CalendarFeed.objects.select_for_update().filter(advocate=advocate, revoked_at__isnull=True)
        )
        for feed in feeds:
            feed.revoked_at = at
            feed.save(update_fields=["revoked_at"])
            audit.record(
                action=FEED_CHANGE,
                actor=acting_user,
                org=advocate.org,
                obj=feed,
                at=at,
                fields=["revoked_at"],
            )
    return len(feeds)


def live_feed(token: str) -> CalendarFeed | None:
    """The unrevoked feed whose token this is, or None (a wrong, old or revoked token reads nothing)."""
    if not token or len(token) > 100:
        return None
    # An in-house lawyer who left (membership ended, account switched off) may keep the address in her
    # phone: it stops with her access, as her API tokens do.
    still_staff = Q(advocate__membership__isnull=True) | Q(
        advocate__membership__is_active=True, advocate__membership__user__is_active=True
    )
    feed: CalendarFeed | None = (
        CalendarFeed.objects.select_related("advocate")
        .filter(
            still_staff, token_hash=hash_feed_token(token), revoked_at__isnull=True, advocate__is_active=True
        )
        .first()
    )
    return feed
