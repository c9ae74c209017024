"""Verbs of grievances: lodge (public page, officer, API), assign, decide, appeal, decide the appeal, close.

Each verb validates, then saves, writes its audit entry (field names only) and its transition row in one
transaction; a refusal is a `ValidationError` keyed by the field at fault. Lodging returns the tracking
code once: only its digest is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.benefits.grievances.models import (
    APPEAL_DEADLINE_DAYS,
    DEADLINE_DAYS,
    Category,
    Grievance,
    GrievanceTransition,
)
from haven.benefits.models import APPROVING_ROLES, PROGRAMME_ROLES, Beneficiary, Programme
from haven.orgs.models import Area, Membership, Organisation
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

GRIEVANCE_LODGE = audit.register_action("benefits.grievance_lodge", "A grievance was lodged")
GRIEVANCE_CHANGE = audit.register_action(
    "benefits.grievance_change", "A grievance was assigned, decided or appealed"
)
GRIEVANCE_VIEW = audit.register_action("benefits.grievance_view", "A grievance was read", read=True)

TEXT_MAX = 4000
# Letters and digits that cannot be misread for one another on a phone screen or read aloud (no 0/O, 1/I).
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def local_date(at: datetime) -> date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_digest(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def _text(value: str, field: str, *, required: bool = False, limit: int = TEXT_MAX) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("This text is too long (at most %(max)s characters).") % {"max": limit}}
        )
    return text


def _check_links(
    org: Organisation, programme: Programme | None, area: Area | None, beneficiary: Beneficiary | None
) -> None:
    if programme is not None and programme.org_id != org.pk:
        raise ValidationError({"programme": _("Choose a programme of this organisation.")})
    if area is not None and area.org_id != org.pk:
        raise ValidationError({"area": _("Choose an area of this organisation.")})
    if beneficiary is not None and beneficiary.org_id != org.pk:
        raise ValidationError({"beneficiary": _("Choose a woman registered with this organisation.")})


def lodge_grievance(
    *,
    org: Organisation,
    category: str,
    description: str,
    channel: str,
    programme: Programme | None = None,
    area: Area | None = None,
    beneficiary: Beneficiary | None = None,
    complainant_name: str = "",
    complainant_phone: str = "",
    acting_user: User | None,
    at: datetime,
) -> tuple[Grievance, str]:
    """Record a grievance and give back its tracking code (shown once; only a digest is kept). Name and
    phone may be left out: a complaint about corruption is often made only if it can be anonymous."""
    if category not in Category.values:
        raise ValidationError({"category": _("Choose what the grievance is about.")})
    if channel not in Grievance.Channel.values:
        raise ValidationError({"channel": _("Say how the grievance was received.")})
    _check_links(org, programme, area, beneficiary)
    code = new_tracking_code()
    grievance = Grievance(
        org=org,
        programme=programme,
        area=area or (beneficiary.area if beneficiary else None),
        beneficiary=beneficiary,
        category=category,
        channel=channel,
        tracking_digest=code_digest(code),
        complainant_name=_text(complainant_name, "complainant_name", limit=200),
        complainant_phone=_text(complainant_phone, "complainant_phone", limit=40),
        description=_text(description, "description", required=True),
        received_at=at,
        due_on=local_date(at) + timedelta(days=DEADLINE_DAYS[category]),
        status=Grievance.Status.RECEIVED,
    )
    with transaction.atomic():
        grievance.save()
        GrievanceTransition.objects.create(
            org=org, grievance=grievance, from_status="", to_status=grievance.status, at=at, actor=acting_user
        )
        audit.record(
            action=GRIEVANCE_LODGE,
            actor=acting_user,
            org=org,
            obj=grievance,
            at=at,
            fields=["category", "description"],
        )
    return grievance, code


def _locked(grievance: Grievance, *expected: str) -> Grievance:
    locked: Grievance = Grievance.objects.select_for_update().select_related("org").get(pk=grievance.pk)
    if locked.status not in expected:
        raise ValidationError(
            {
                "status": _("This cannot be done now: the grievance is %(status)s.")
                % {"status": locked.get_status_display()}
            }
        )
    return locked


def assign_grievance(
    *, grievance: Grievance, assignee: Membership, acting_user: User | None, at: datetime
) -> Grievance:
    """Give the grievance to a member of the programme staff to look into."""
    if (
        assignee.org_id != grievance.org_id
        or not assignee.is_active
        or assignee.role_enum not in PROGRAMME_ROLES
    ):
        raise ValidationError({"assignee": _("Choose an active member of the programme staff.")})
    with transaction.atomic():
        locked = _locked(grievance, Grievance.Status.RECEIVED, Grievance.Status.IN_REVIEW)
        locked.assigned_to = assignee
        if locked.status == Grievance.Status.RECEIVED:
            GrievanceTransition.objects.create(
                org_id=locked.org_id,
                grievance=locked,
                from_status=locked.status,
                to_status=Grievance.Status.IN_REVIEW,
                at=at,
                actor=acting_user,
            )
            locked.status = Grievance.Status.IN_REVIEW
        locked.save()
        audit.record(
            action=GRIEVANCE_CHANGE,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=["assigned_to", "status"],
        )
    return locked


def _transition(grievance: Grievance, to: str, *, acting_user: Any, at: datetime) -> None:
    GrievanceTransition.objects.create(
        org_id=grievance.org_id,
        grievance=grievance,
        from_status=grievance.status,
        to_status=to,
        at=at,
        actor=acting_user,
    )
    grievance.status = to


def _check_outcome(outcome: str, field: str) -> None:
    if outcome not in Grievance.Outcome.values:
        raise ValidationError({field: _("Say whether the grievance is upheld or not.")})


def decide_grievance(
    *, grievance: Grievance, outcome: str, reasons: str, acting_user: User | None, at: datetime
) -> Grievance:
    _check_outcome(outcome, "outcome")
    reasons = _text(reasons, "reasons", required=True)
    with transaction.atomic():
        locked = _locked(grievance, Grievance.Status.RECEIVED, Grievance.Status.IN_REVIEW)
        locked.outcome, locked.decision_text, locked.decided_at, locked.decided_by = (
            outcome,
            reasons,
            at,
            acting_user,
        )
        _transition(locked, Grievance.Status.DECIDED, acting_user=acting_user, at=at)
        locked.save()
        audit.record(
            action=GRIEVANCE_CHANGE,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=["outcome", "decision_text", "status"],
        )
    return locked


def appeal_grievance(
    *, grievance: Grievance, grounds: str, acting_user: User | None, at: datetime
) -> Grievance:
    """The one appeal against a decision, decided by an approver."""
    grounds = _text(grounds, "grounds", required=True)
    with transaction.atomic():
        locked = _locked(grievance, Grievance.Status.DECIDED)
        if locked.appealed_at is not None:
            raise ValidationError(
                {"status": _("This grievance was already appealed once; there is no second appeal.")}
            )
        locked.appeal_text, locked.appealed_at = grounds, at
        locked.appeal_due_on = local_date(at) + timedelta(days=APPEAL_DEADLINE_DAYS)
        _transition(locked, Grievance.Status.APPEALED, acting_user=acting_user, at=at)
        locked.save()
        audit.record(
            action=GRIEVANCE_CHANGE,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=["appeal_text", "status"],
        )
    return locked


def decide_appeal(
    *, grievance: Grievance, outcome: str, reasons: str, acting_user: User | None, at: datetime
) -> Grievance:
    """An approver's decision on the appeal closes the grievance."""
    _check_outcome(outcome, "outcome")
    reasons = _text(reasons, "reasons", required=True)
    membership = getattr(acting_user, "active_membership", None) if acting_user is not None else None
    if acting_user is not None and (membership is None or membership.role_enum not in APPROVING_ROLES):
        raise ValidationError({"outcome": _("An appeal is decided by a programme officer.")})
    with transaction.atomic():
        locked = _locked(grievance, Grievance.Status.APPEALED)
        if acting_user is not None and acting_user.pk == locked.decided_by_id:
            raise ValidationError({"outcome": _("Whoever made the first decision cannot decide the appeal.")})
        locked.appeal_outcome, locked.appeal_decision_text = outcome, reasons
        locked.appeal_decided_at, locked.appeal_decided_by = at, acting_user
        _transition(locked, Grievance.Status.CLOSED, acting_user=acting_user, at=at)
        locked.save()
        audit.record(
            action=GRIEVANCE_CHANGE,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=["appeal_outcome", "appeal_decision_text", "status"],
        )
    return locked


def close_grievance(*, grievance: Grievance, acting_user: User | None, at: datetime) -> Grievance:
    """Close a decided grievance nobody appealed."""
    with transaction.atomic():
        locked = _locked(grievance, Grievance.Status.DECIDED)
        _transition(locked, Grievance.Status.CLOSED, acting_user=acting_user, at=at)
        locked.save(update_fields=["status"])
        audit.record(
            action=GRIEVANCE_CHANGE, actor=acting_user, org=locked.org, obj=locked, at=at, fields=["status"]
        )
    return locked


def record_grievance_view(*, grievance: Grievance, acting_user: User | None, at: datetime) -> None:
    audit.record(action=GRIEVANCE_VIEW, actor=acting_user, org=grievance.org, obj=grievance, at=at)


def find_by_code(org: Organisation, code: str) -> Grievance | None:
    """The grievance a tracking code names in this organisation, or None (a wrong code confirms nothing)."""
    if len(normalise_code(code)) != CODE_LENGTH:
        return None
    found: Grievance | None = Grievance.objects.filter(org=org, tracking_digest=code_digest(code)).first()
    return found
