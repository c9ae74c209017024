"""Verbs for associations (registration, documents, renewal, office-bearers, grading).

Each verb checks its input before it writes, then saves, writes its audit entry (field names only) and
any transition row in one transaction. A refusal is a `ValidationError` keyed by the field at fault, with a
sentence saying what to do instead; nothing is written when one is raised. Grants are in `grants.py`,
entrepreneurs and stalls in `marketing.py`.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.associations import grading
from haven.associations.models import (
    AMOUNT_DIGITS,
    AMOUNT_PLACES,
    DECISION_DAYS,
    REGISTRATION_YEARS,
    Association,
    AssociationDocument,
    AssociationTransition,
    FeePayment,
    Grading,
    GradingMember,
    OfficeBearer,
    RegistrationCounter,
    Renewal,
)
from haven.orgs.models import Area, Organisation
from haven.orgs.validation import refused_if_taken
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

ASSOCIATION_APPLY = audit.register_action("association.apply", "An association applied for registration")
ASSOCIATION_CHANGE = audit.register_action("association.change", "An association's details changed")
ASSOCIATION_APPROVE = audit.register_action("association.approve", "An association was registered")
ASSOCIATION_REFUSE = audit.register_action("association.refuse", "A registration was refused")
ASSOCIATION_RENEW = audit.register_action("association.renew", "A registration was renewed")
ASSOCIATION_LAPSE = audit.register_action("association.lapse", "Registrations not renewed lapsed")
DOCUMENT_UPLOAD = audit.register_action("association_document.upload", "An association document was added")
DOCUMENT_DOWNLOAD = audit.register_action(
    "association_document.download", "An association document was downloaded", read=True
)
DOCUMENT_VIEW = audit.register_action(
    "association_document.view", "An association document's name was shown", read=True
)
BEARER_ADD = audit.register_action("office_bearer.add", "An office-bearer was recorded")
BEARER_END = audit.register_action("office_bearer.end", "An office-bearer left office")
BEARER_VIEW = audit.register_action(
    "office_bearer.view", "An office-bearer's name and phone were shown", read=True
)
GRADING_RECORD = audit.register_action("association.grade", "An association was graded")

NAME_MAX = 200
TEXT_MAX = 4000
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
REQUIRED_DOCUMENTS = (
    AssociationDocument.Kind.CONSTITUTION,
    AssociationDocument.Kind.MEMBER_LIST,
    AssociationDocument.Kind.MINUTES,
)
# What a document may be, told by its first bytes (never by the name or the type the browser claims).
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
MAX_RENEWAL_YEARS = 5
STATUS = Association.Status


# --- checks shared by the verbs of this app -----------------------------------------------------------


def local_date(at: datetime) -> date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def check_text(value: Any, field: str, limit: int, *, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("This text is too long (at most %(max)s characters).") % {"max": limit}}
        )
    return text


def check_amount(value: Any, field: str, *, allow_zero: bool = False) -> Decimal:
    """A positive amount (zero when allowed) with at most two decimals, within the column's size."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount, such as 1500 or 1500.50.")}) from None
    exponent = amount.as_tuple().exponent
    if not amount.is_finite() or not isinstance(exponent, int) or exponent < -AMOUNT_PLACES:
        raise ValidationError({field: _("Enter an amount with at most two decimals.")})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: _("Enter an amount greater than zero.")})
    if amount >= Decimal(10) ** (AMOUNT_DIGITS - AMOUNT_PLACES):
        raise ValidationError({field: _("This amount is too large.")})
    return amount.quantize(Decimal("0.01"))


def check_not_future(day: date | None, field: str, at: datetime) -> date:
    if day is None:
        raise ValidationError({field: _("This field is required.")})
    if day > local_date(at):
        raise ValidationError({field: _("This date is in the future: enter the day it happened.")})
    return day


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _transition(
    association: Association, to: str, acting_user: User | None, at: datetime, comment: str = ""
) -> None:
    AssociationTransition.objects.create(
        org_id=association.org_id,
        association=association,
        from_status=association.status,
        to_status=to,
        at=at,
        actor=acting_user,
        comment=comment,
    )
    association.status = to


def _fee(
    association: Association,
    purpose: str,
    amount: Any,
    receipt_number: str,
    paid_on: date | None,
    at: datetime,
) -> FeePayment:
    """A fee checked and ready to save (saved by the caller, inside its transaction)."""
    fee = FeePayment(
        org_id=association.org_id,
        association=association,
        purpose=purpose,
        amount=check_amount(amount, "fee_amount"),
        receipt_number=check_text(receipt_number, "fee_receipt_number", 40, required=True),
        paid_on=check_not_future(paid_on, "fee_paid_on", at),
        recorded_at=at,
    )
    if FeePayment.objects.filter(org_id=association.org_id, receipt_number=fee.receipt_number).exists():
        raise ValidationError(
            {"fee_receipt_number": _("This receipt number was already recorded: check the receipt.")}
        )
    return fee


def _save_fee(fee: FeePayment) -> FeePayment:
    # The same receipt may be recorded at the same moment by someone else.
    with refused_if_taken(
        "fee_receipt_number", _("This receipt number was already recorded: check the receipt.")
    ):
        fee.save()
    return fee


# --- registration --------------------------------------------------------------------------------------


def apply_for_registration(
    *,
    org: Organisation,
    name: str,
    area: Area,
    member_count: int,
    applied_on: date,
    fee_amount: Any,
    fee_receipt_number: str,
    fee_paid_on: date | None,
    office_address: str = "",
    founded_on: date | None = None,
    acting_user: User | None,
    at: datetime,
) -> Association:
    """Record an application for registration and its fee. The decision is due `DECISION_DAYS` after
    the day the application was received."""
    association = Association(
        org=org,
        name=check_text(name, "name", NAME_MAX, required=True),
        area=area,
        office_address=check_text(office_address, "office_address", 500),
        founded_on=founded_on,
        member_count=member_count,
        applied_on=check_not_future(applied_on, "applied_on", at),
        decision_due_on=applied_on + timedelta(days=DECISION_DAYS),
        created_at=at,
    )
    if area.org_id != org.pk:
        raise ValidationError({"area": _("Choose one of your organisation's areas.")})
    if not isinstance(member_count, int) or member_count < 1:
        raise ValidationError({"member_count": _("An association has at least one member.")})
    if founded_on is not None and founded_on > applied_on:
        raise ValidationError({"founded_on": _("An association is founded before it applies.")})
    taken = _("An association with this name is already on the register.")
    if Association.objects.filter(org=org, name=association.name).exists():
        raise ValidationError({"name": taken})
    fee = _fee(association, FeePayment.Purpose.REGISTRATION, fee_amount, fee_receipt_number, fee_paid_on, at)
    with transaction.atomic():
        with refused_if_taken("name", taken):
            association.save()
        _save_fee(fee)
        AssociationTransition.objects.create(
            org=org, association=association, to_status=STATUS.APPLIED, at=at, actor=acting_user
        )
        audit.record(action=ASSOCIATION_APPLY, actor=acting_user, org=org, obj=association, at=at)
    return association


def _document_type(content: bytes) -> str:
    for signature, content_type in SIGNATURES:
        if content.startswith(signature):
            return content_type
    raise ValidationError({"file": _("Upload a PDF, PNG or JPEG file.")})


def upload_document(
    *,
    association: Association,
    kind: str,
    file_name: str,
    content: bytes,
    acting_user: User | None,
    at: datetime,
) -> AssociationDocument:
    """Keep one document of the association, encrypted. PDF, PNG or JPEG, at most 5 MB."""
    if kind not in AssociationDocument.Kind.values:
        raise ValidationError({"kind": _("Say which document this is.")})
    if not content:
        raise ValidationError({"file": _("The file is empty: choose the document to upload.")})
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": _("The file is larger than 5 MB: scan it at a lower resolution.")})
    document = AssociationDocument(
        org_id=association.org_id,
        association=association,
        kind=kind,
        file_name=check_text(os.path.basename(file_name or ""), "file", NAME_MAX) or "document",
        content_type=_document_type(content),
        size=len(content),
        content=base64.b64encode(content).decode("ascii"),
        uploaded_at=at,
        uploaded_by=acting_user,
    )
    with transaction.atomic():
        document.save()
        audit.record(action=DOCUMENT_UPLOAD, actor=acting_user, org=association.org, obj=document, at=at)
    return document


def document_bytes(document: AssociationDocument) -> bytes:
    return base64.b64decode(document.content)


def record_document_download(
    *, document: AssociationDocument, acting_user: User | None, at: datetime
) -> None:
    audit.record(
        action=DOCUMENT_DOWNLOAD, actor=acting_user, org=document.association.org, obj=document, at=at
    )


def record_document_view(*, document: AssociationDocument, acting_user: User | None, at: datetime) -> None:
    """A document's file name may name members or the association's officers: each showing is audited."""
    audit.record(
        action=DOCUMENT_VIEW,
        actor=acting_user,
        org=document.association.org,
        obj=document,
        fields=["file_name"],
        at=at,
    )


def record_bearer_view(*, bearer: OfficeBearer, acting_user: User | None, at: datetime) -> None:
    """An office-bearer is a woman of the village with her phone: each showing of her is audited."""
    audit.record(
        action=BEARER_VIEW, actor=acting_user, org=bearer.association.org, obj=bearer, fields=["name"], at=at
    )


def _next_number(org_id: Any, year: int) -> str:
    """The next registration number of the year, under the counter row's lock (held to commit)."""
    RegistrationCounter.objects.bulk_create(
        [RegistrationCounter(org_id=org_id, year=year)], ignore_conflicts=True
    )
    counter = RegistrationCounter.objects.select_for_update().get(org_id=org_id, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"VWA-{year}-{counter.last_number:05d}"


def _locked(association: Association) -> Association:
    locked: Association = Association.objects.select_for_update().select_related("org").get(pk=association.pk)
    return locked


def _refuse_unless_applied(association: Association) -> None:
    if association.status != STATUS.APPLIED:
        raise ValidationError(
            {
                "status": _("This application was already decided: %(status)s.")
                % {"status": association.get_status_display()}
            }
        )


def approve_registration(*, association: Association, acting_user: User | None, at: datetime) -> Association:
    """Register the association: it needs its constitution, member list and minutes, and its fee. It
    gets the next registration number and a registration valid for `REGISTRATION_YEARS`."""
    with transaction.atomic():
        locked = _locked(association)
        _refuse_unless_applied(locked)
        present = set(locked.documents.values_list("kind", flat=True))
        missing = [str(kind.label) for kind in REQUIRED_DOCUMENTS if kind not in present]
        if missing:
            raise ValidationError(
                {
                    "documents": _("Upload the missing documents first: %(missing)s.")
                    % {"missing": ", ".join(missing)}
                }
            )
        day = local_date(at)
        locked.registration_number = _next_number(locked.org_id, day.year)
        locked.registered_on = day
        locked.expires_on = add_years(day, REGISTRATION_YEARS) - timedelta(days=1)
        locked.decided_at, locked.decided_by = at, acting_user
        _transition(locked, STATUS.REGISTERED, acting_user, at)
        locked.save()
        audit.record(
            action=ASSOCIATION_APPROVE,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=["status", "registration_number", "expires_on"],
        )
    return locked


def refuse_registration(
    *, association: Association, reason: str, acting_user: User | None, at: datetime
) -> Association:
    """Refuse the application, saying why (the association is told the reason)."""
    reason = check_text(reason, "reason", TEXT_MAX, required=True)
    with transaction.atomic():
        locked = _locked(association)
        _refuse_unless_applied(locked)
        locked.decided_at, locked.decided_by = at, acting_user
        _transition(locked, STATUS.REFUSED, acting_user, at, comment=reason)
        locked.save()
        audit.record(
            action=ASSOCIATION_REFUSE, actor=acting_user, org=locked.org, obj=locked, at=at, fields=["status"]
        )
    return locked


def renew_registration(
    *,
    association: Association,
    fee_amount: Any,
    fee_receipt_number: str,
    fee_paid_on: date | None,
    years: int = 1,
    acting_user: User | None,
    at: datetime,
) -> Renewal:
    """Renew for `years` from the day after the registration ends; a lapsed association is registered
    again. The renewal must reach today: a registration lapsed for longer is renewed for more years."""
    if not isinstance(years, int) or not 1 <= years <= MAX_RENEWAL_YEARS:
        raise ValidationError({"years": _("Renew for one to five years.")})
    with transaction.atomic():
        locked = _locked(association)
        if locked.status not in (STATUS.REGISTERED, STATUS.LAPSED) or locked.expires_on is None:
            raise ValidationError({"status": _("Only a registered or lapsed association is renewed.")})
        start = locked.expires_on + timedelta(days=1)
        end = add_years(start, years) - timedelta(days=1)
        if end < local_date(at):
            raise ValidationError(
                {"years": _("This renewal would still end in the past: renew for more years.")}
            )
        fee = _save_fee(
            _fee(locked, FeePayment.Purpose.RENEWAL, fee_amount, fee_receipt_number, fee_paid_on, at)
        )
        renewal = Renewal.objects.create(
            org_id=locked.org_id,
            association=locked,
            period_start=start,
            period_end=end,
            fee=fee,
            renewed_at=at,
            renewed_by=acting_user,
        )
        locked.expires_on = end
        if locked.status == STATUS.LAPSED:
            _transition(locked, STATUS.REGISTERED, acting_user, at)
        locked.save()
        audit.record(
            action=ASSOCIATION_RENEW,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=["expires_on", "status"],
        )
    return renewal


LAPSE_BATCH = 1000


def lapse_associations(*, org: Organisation | None = None, today: date, at: datetime) -> int:
    """Mark every registered association whose registration ended before `today` as lapsed, in keyset
    batches (a transition row each, one audit entry per batch and organisation). Returns how many."""
    due = Association.objects.filter(status=STATUS.REGISTERED, expires_on__lt=today)
    if org is not None:
        due = due.filter(org=org)
    lapsed, after = 0, None
    while True:
        batch = due.order_by("pk")
        if after is not None:
            batch = batch.filter(pk__gt=after)
        rows = list(batch.values_list("pk", "org_id")[:LAPSE_BATCH])
        if not rows:
            return lapsed
        lapsed += _lapse_batch(rows, today, at)
        after = rows[-1][0]


def _lapse_batch(rows: Sequence[tuple[Any, Any]], today: date, at: datetime) -> int:
    ids = [pk for pk, _org in rows]
    with transaction.atomic():
        # Only rows still registered and expired when the update runs: a renewal in between wins.
        still = Association.objects.select_for_update().filter(
            pk__in=ids, status=STATUS.REGISTERED, expires_on__lt=today
        )
        changed = list(still.values_list("pk", "org_id"))
        AssociationTransition.objects.bulk_create(
            [
                AssociationTransition(
                    org_id=org_id,
                    association_id=pk,
                    from_status=STATUS.REGISTERED,
                    to_status=STATUS.LAPSED,
                    at=at,
                )
                for pk, org_id in changed
            ]
        )
        Association.objects.filter(pk__in=[pk for pk, _org in changed]).update(status=STATUS.LAPSED)
        for org_id in sorted({org_id for _pk, org_id in changed}):
            org = Organisation.objects.get(pk=org_id)
            audit.record(action=ASSOCIATION_LAPSE, actor=None, org=org, at=at, fields=["status"])
    return len(changed)


# --- office-bearers ------------------------------------------------------------------------------------


def add_office_bearer(
    *,
    association: Association,
    position: str,
    name: str,
    since_on: date,
    phone: str = "",
    acting_user: User | None,
    at: datetime,
) -> OfficeBearer:
    """Record who holds an office. A president, secretary or treasurer still in office must leave it
    (`end_office_bearer`) before someone else takes it."""
    if position not in OfficeBearer.Position.values:
        raise ValidationError({"position": _("Choose the office she holds.")})
    bearer = OfficeBearer(
        org_id=association.org_id,
        association=association,
        position=position,
        name=check_text(name, "name", NAME_MAX, required=True),
        phone=check_text(phone, "phone", 40),
        since_on=check_not_future(since_on, "since_on", at),
    )
    held = _("Someone holds this office already: record that she left it first.")
    holder = association.office_bearers.filter(position=position, until_on__isnull=True)
    if position in OfficeBearer.SINGLE_POSITIONS and holder.exists():
        raise ValidationError({"position": held})
    with transaction.atomic():
        with refused_if_taken("position", held):
            bearer.save()
        audit.record(action=BEARER_ADD, actor=acting_user, org=association.org, obj=bearer, at=at)
    return bearer


def end_office_bearer(
    *, bearer: OfficeBearer, until_on: date, acting_user: User | None, at: datetime
) -> OfficeBearer:
    if bearer.until_on is not None:
        raise ValidationError({"until_on": _("She already left this office.")})
    until_on = check_not_future(until_on, "until_on", at)
    if until_on < bearer.since_on:
        raise ValidationError({"until_on": _("She cannot leave an office before she took it.")})
    with transaction.atomic():
        bearer.until_on = until_on
        bearer.save(update_fields=["until_on"])
        audit.record(
            action=BEARER_END,
            actor=acting_user,
            org=bearer.association.org,
            obj=bearer,
            at=at,
            fields=["until_on"],
        )
    return bearer


# --- grading -------------------------------------------------------------------------------------------


def _check_scores(scores: Mapping[str, Any]) -> dict[str, int]:
    checked: dict[str, int] = {}
    unknown = set(scores) - {criterion.code for criterion in grading.CRITERIA}
    if unknown:
        raise ValidationError({"scores": _("Unknown criterion: %(code)s.") % {"code": sorted(unknown)[0]}})
    for criterion in grading.CRITERIA:
        value = scores.get(criterion.code)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= criterion.maximum:
            raise ValidationError(
                {
                    f"score_{criterion.code}": _("Give a whole number from 0 to %(max)s for “%(criterion)s”.")
                    % {"max": criterion.maximum, "criterion": criterion.label}
                }
            )
        checked[criterion.code] = value
    return checked


def _check_members(members: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    checked = [
        {
            "name": check_text(member.get("name"), "members", NAME_MAX, required=True),
            "institution": check_text(member.get("institution"), "members", NAME_MAX, required=True),
            "role_title": check_text(member.get("role_title"), "members", 120),
        }
        for member in members
    ]
    if len(checked) < grading.QUORUM:
        raise ValidationError(
            {
                "members": _("A grading needs at least %(quorum)s committee members present.")
                % {"quorum": grading.QUORUM}
            }
        )
    return checked


def record_grading(
    *,
    association: Association,
    graded_on: date,
    scores: Mapping[str, Any],
    members: Sequence[Mapping[str, Any]],
    acting_user: User | None,
    at: datetime,
) -> Grading:
    """Record the committee's grading: members present (at least `QUORUM`), a score per criterion; the
    grade follows from the total. The association's grade is that of its latest grading."""
    checked_scores = _check_scores(scores)
    checked_members = _check_members(members)
    graded_on = check_not_future(graded_on, "graded_on", at)
    total = sum(checked_scores.values())
    with transaction.atomic():
        locked = _locked(association)
        if locked.status != STATUS.REGISTERED:
            raise ValidationError({"status": _("Only a registered association is graded.")})
        if locked.registered_on is not None and graded_on < locked.registered_on:
            raise ValidationError({"graded_on": _("An association is graded after it was registered.")})
        if locked.gradings.filter(graded_on=graded_on).exists():
            raise ValidationError({"graded_on": _("This association was already graded on that day.")})
        record = Grading.objects.create(
            org_id=locked.org_id,
            association=locked,
            graded_on=graded_on,
            scores=checked_scores,
            total=total,
            grade=grading.grade_for(total),
            recorded_at=at,
            recorded_by=acting_user,
        )
        for member in checked_members:
            GradingMember.objects.create(org_id=locked.org_id, grading=record, **member)
        latest = locked.gradings.order_by("-graded_on").values_list("grade", flat=True).first()
        locked.grade = latest or ""
        locked.save(update_fields=["grade"])
        audit.record(
            action=GRADING_RECORD,
            actor=acting_user,
            org=locked.org,
            obj=record,
            at=at,
            fields=["grade", "scores"],
        )
    association.grade = locked.grade
    return record


def change_association(
    *, association: Association, changes: Mapping[str, Any], acting_user: User | None, at: datetime
) -> Association:
    """Change the office address or the number of members (what changes between gradings)."""
    allowed = {"office_address", "member_count"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed here.")})
    if "member_count" in changes and (
        not isinstance(changes["member_count"], int) or changes["member_count"] < 1
    ):
        raise ValidationError({"member_count": _("An association has at least one member.")})
    if "office_address" in changes:
        changes = {**changes, "office_address": check_text(changes["office_address"], "office_address", 500)}
    before = {name: getattr(association, name) for name in allowed}
    changed = audit.changed_fields(before, {**before, **changes})
    if not changed:
        return association
    with transaction.atomic():
        for name, value in changes.items():
            setattr(association, name, value)
        association.save(update_fields=list(changed))
        audit.record(
            action=ASSOCIATION_CHANGE,
            actor=acting_user,
            org=association.org,
            obj=association,
            at=at,
            fields=changed,
        )
    return association
