"""Verbs for supporters, donor projects, donations and receipts.

Each verb checks its input before it writes, then saves and writes its audit entry (field names only) in
one transaction. A refusal is a `ValidationError` keyed by the field at fault, with a sentence saying what
to do instead; nothing is written when one is raised.

Receipt numbers: `issue_receipt` locks the donation (so one donation cannot get two valid receipts from
two clicks), then the organisation's counter row for the year (so two receipts issued at once get two
numbers), in that order everywhere; the unique constraints on `Receipt` are the last line of defence, and
a violation that slips through is turned into the same refusal, never a server error. The year of a
receipt number is the Gregorian year of issue, whatever calendar the organisation shows dates in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from babel.numbers import get_currency_precision, list_currencies
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.orgs.models import Organisation
from haven.orgs.validation import refused_if_taken
from haven.privacy import audit
from haven.privacy.blind import NormalisationError
from haven.supporters import lookup
from haven.supporters.models import (
    AMOUNT_DIGITS,
    AMOUNT_PLACES,
    Donation,
    DonorProject,
    Receipt,
    ReceiptCounter,
    Supporter,
    SupporterNameToken,
)

if TYPE_CHECKING:
    from haven.accounts.models import User

SUPPORTER_CREATE = audit.register_action("supporter.create", "A supporter was added")
SUPPORTER_CHANGE = audit.register_action("supporter.change", "A supporter's details changed")
SUPPORTER_VIEW = audit.register_action("supporter.view", "A supporter's file was read", read=True)
PROJECT_CREATE = audit.register_action("donor_project.create", "A restricted fund (donor project) was set up")
DONATION_RECORD = audit.register_action("donation.record", "A donation was recorded")
DONATION_VALUE = audit.register_action("donation.value", "An in-kind gift was given an estimated value")
RECEIPT_ISSUE = audit.register_action("receipt.issue", "A donation receipt was issued")
RECEIPT_CANCEL = audit.register_action("receipt.cancel", "A donation receipt was cancelled")
RECEIPT_PRINT = audit.register_action("receipt.print", "A donation receipt was downloaded", read=True)

SUPPORTER_FIELDS = ("kind", "name", "email", "phone", "address", "language", "may_contact", "notes")
NAME_MAX = 200
TEXT_MAX = 4000
REASON_MAX = 1000
NUMBER_WIDTH = 5


# --- checks --------------------------------------------------------------------------------------------


def check_currency(code: str, field: str = "currency") -> str:
    """An ISO 4217 code Babel knows ("cad" is read as "CAD"); anything else is refused."""
    normalised = (code or "").strip().upper()
    if len(normalised) != 3 or not normalised.isalpha() or normalised not in list_currencies():
        raise ValidationError(
            {field: _("Give the currency as its three-letter ISO 4217 code, such as CAD, EUR or BDT.")}
        )
    return normalised


def check_amount(value: Any, currency: str, field: str) -> Decimal:
    """A positive amount with no more decimals than the currency uses (and at most two)."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount, such as 250 or 49.99.")}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    places = min(AMOUNT_PLACES, get_currency_precision(currency))
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise ValidationError(
            {
                field: _("%(currency)s amounts have at most %(places)s decimals.")
                % {
                    "currency": currency,
                    "places": places,
                }
            }
        )
    if amount >= Decimal(10) ** (AMOUNT_DIGITS - AMOUNT_PLACES):
        raise ValidationError({field: _("This amount is too large.")})
    return amount.quantize(Decimal(1).scaleb(-AMOUNT_PLACES))


def _check_text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("This text is too long (at most %(max)s characters).") % {"max": limit}}
        )
    return text


def _check_supporter(supporter: Supporter, org: Organisation) -> None:
    if supporter.kind not in Supporter.Kind.values:
        raise ValidationError(
            {"kind": _("Say whether this is a person, a company, a foundation or an institution.")}
        )
    supporter.name = _check_text(supporter.name, "name", NAME_MAX, required=True)
    if supporter.language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError({"language": _("Choose one of Haven's languages for the receipts.")})
    supporter.address = _check_text(supporter.address, "address", TEXT_MAX)
    supporter.notes = _check_text(supporter.notes, "notes", TEXT_MAX)
    supporter.may_contact = bool(supporter.may_contact)
    supporter.email = (supporter.email or "").strip()
    supporter.phone = (supporter.phone or "").strip()
    try:
        supporter.email_index = lookup.email_index(org.pk, supporter.email) if supporter.email else ""
    except NormalisationError:
        raise ValidationError({"email": _("Enter an e-mail address such as name@example.org.")}) from None
    try:
        supporter.phone_index = (
            lookup.phone_index_of(org.pk, supporter.phone, org.country) if supporter.phone else ""
        )
    except NormalisationError:
        raise ValidationError(
            {"phone": _("Enter a phone number, with its country code if abroad.")}
        ) from None


def _index_name(supporter: Supporter) -> None:
    SupporterNameToken.objects.filter(supporter=supporter).delete()
    tokens = lookup.name_tokens(supporter.org_id, supporter.name)
    SupporterNameToken.objects.bulk_create(
        [SupporterNameToken(org_id=supporter.org_id, supporter=supporter, token=t) for t in tokens]
    )


def _local_date(at: datetime) -> date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


# --- supporters ----------------------------------------------------------------------------------------


def create_supporter(
    *,
    org: Organisation,
    kind: str,
    name: str,
    language: str,
    email: str = "",
    phone: str = "",
    address: str = "",
    may_contact: bool = False,
    notes: str = "",
    acting_user: User | None,
    at: datetime,
) -> Supporter:
    """Add a supporter. Name, e-mail, phone, address and notes are encrypted; e-mail, phone and the name's
    words are blind-indexed for search. `language` is the language their receipts are written in."""
    supporter = Supporter(
        org=org,
        kind=kind,
        name=name,
        language=language,
        email=email,
        phone=phone,
        address=address,
        may_contact=bool(may_contact),
        notes=notes,
        created_at=at,
        updated_at=at,
    )
    _check_supporter(supporter, org)
    with transaction.atomic():
        supporter.save()
        _index_name(supporter)
        audit.record(action=SUPPORTER_CREATE, actor=acting_user, org=org, obj=supporter, at=at)
    return supporter


def update_supporter(
    *, supporter: Supporter, changes: Mapping[str, Any], acting_user: User | None, at: datetime
) -> Supporter:
    """Change any of `SUPPORTER_FIELDS`; the audit entry names the fields that changed, never values."""
    unknown = set(changes) - set(SUPPORTER_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed here.")})
    before = {name: getattr(supporter, name) for name in SUPPORTER_FIELDS}
    for name, value in changes.items():
        setattr(supporter, name, value)
    try:
        _check_supporter(supporter, supporter.org)
    except ValidationError:
        for name, value in before.items():  # the caller's object stays as it was in the database
            setattr(supporter, name, value)
        raise
    changed = audit.changed_fields(before, {name: getattr(supporter, name) for name in SUPPORTER_FIELDS})
    if not changed:
        return supporter
    supporter.updated_at = at
    with transaction.atomic():
        supporter.save()
        if "name" in changed:
            _index_name(supporter)
        audit.record(
            action=SUPPORTER_CHANGE,
            actor=acting_user,
            org=supporter.org,
            obj=supporter,
            at=at,
            fields=changed,
        )
    return supporter


def record_supporter_view(*, supporter: Supporter, acting_user: User | None, at: datetime) -> None:
    audit.record(action=SUPPORTER_VIEW, actor=acting_user, org=supporter.org, obj=supporter, at=at)


# --- donor projects ------------------------------------------------------------------------------------


def create_donor_project(
    *,
    supporter: Supporter,
    name: str,
    amount_pledged: Any,
    currency: str,
    starts_on: date,
    ends_on: date,
    purpose: str = "",
    acting_user: User | None,
    at: datetime,
) -> DonorProject:
    """Set up a restricted fund: what `supporter` pledged, in which currency, for what, over which period."""
    name = _check_text(name, "name", NAME_MAX, required=True)
    currency = check_currency(currency)
    amount = check_amount(amount_pledged, currency, "amount_pledged")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The project cannot end before it starts.")})
    taken = _("A project with this name already exists: choose another name.")
    if DonorProject.objects.filter(org_id=supporter.org_id, name=name).exists():
        raise ValidationError({"name": taken})
    project = DonorProject(
        org_id=supporter.org_id,
        supporter=supporter,
        name=name,
        purpose=_check_text(purpose, "purpose", TEXT_MAX),
        amount_pledged=amount,
        currency=currency,
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=at,
    )
    with transaction.atomic():
        with refused_if_taken("name", taken):
            project.save()
        audit.record(action=PROJECT_CREATE, actor=acting_user, org=supporter.org, obj=project, at=at)
    return project


# --- donations -----------------------------------------------------------------------------------------


def _check_restriction(donation: Donation, project: DonorProject) -> None:
    """A restricted gift comes from the project's donor, within its period, in its currency."""
    if project.org_id != donation.org_id or project.supporter_id != donation.supporter_id:
        raise ValidationError(
            {"project": _("This project is funded by another supporter: choose one of theirs.")}
        )
    if not project.covers(donation.received_on):
        raise ValidationError(
            {
                "project": _(
                    "The gift was received outside the project's period: choose another project or none."
                )
            }
        )
    if donation.value is not None and donation.currency != project.currency:
        raise ValidationError(
            {
                "currency": _("A gift to this project is counted in %(currency)s: enter it in that currency.")
                % {"currency": project.currency}
            }
        )


def _check_money(donation: Donation, amount: Any, currency: str, method: str) -> None:
    donation.currency = check_currency(currency)
    donation.amount = check_amount(amount, donation.currency, "amount")
    if method not in Donation.Method.values:
        raise ValidationError({"method": _("Say how the money was given.")})
    donation.method = method


def _check_in_kind(
    donation: Donation, description: str, quantity: int | None, estimated_value: Any, currency: str
) -> None:
    donation.description = _check_text(description, "description", 500, required=True)
    if quantity is not None and (not isinstance(quantity, int) or quantity < 1):
        raise ValidationError(
            {"quantity": _("The quantity is a whole number, one or more, or leave it empty.")}
        )
    donation.quantity = quantity
    if estimated_value is not None and estimated_value != "":
        donation.currency = check_currency(currency)
        donation.estimated_value = check_amount(estimated_value, donation.currency, "estimated_value")


def record_donation(
    *,
    supporter: Supporter,
    received_on: date,
    kind: str,
    amount: Any = None,
    currency: str = "",
    method: str = "",
    description: str = "",
    quantity: int | None = None,
    estimated_value: Any = None,
    project: DonorProject | None = None,
    is_anonymous: bool = False,
    acting_user: User | None,
    at: datetime,
) -> Donation:
    """Record a gift from `supporter`. Money: a positive amount in a known currency and how it was paid.
    In kind: what was given, optionally how many and its estimated value. A gift restricted to a project
    must come from the project's donor, within its period, in its currency. Not in the future."""
    donation = Donation(
        org_id=supporter.org_id,
        supporter=supporter,
        received_on=received_on,
        kind=kind,
        project=project,
        is_anonymous=bool(is_anonymous),
        recorded_at=at,
        recorded_by=acting_user,
    )
    if received_on > _local_date(at):
        raise ValidationError({"received_on": _("A donation cannot be received in the future.")})
    if kind == Donation.Kind.MONEY:
        _check_money(donation, amount, currency, method)
    elif kind == Donation.Kind.IN_KIND:
        _check_in_kind(donation, description, quantity, estimated_value, currency)
    else:
        raise ValidationError({"kind": _("Say whether the gift is money or in kind.")})
    if project is not None:
        _check_restriction(donation, project)
    with transaction.atomic():
        donation.save()
        audit.record(action=DONATION_RECORD, actor=acting_user, org=supporter.org, obj=donation, at=at)
    return donation


def value_in_kind_gift(
    *, donation: Donation, estimated_value: Any, currency: str, acting_user: User | None, at: datetime
) -> Donation:
    """Give an in-kind gift its estimated value (or correct it) while it has no valid receipt: a receipt
    already issued says what it says, so cancel it first."""
    if donation.kind != Donation.Kind.IN_KIND:
        raise ValidationError({"estimated_value": _("Only a gift in kind has an estimated value.")})
    currency = check_currency(currency)
    value = check_amount(estimated_value, currency, "estimated_value")
    if donation.project is not None and currency != donation.project.currency:
        raise ValidationError(
            {
                "currency": _("A gift to this project is counted in %(currency)s: enter it in that currency.")
                % {"currency": donation.project.currency}
            }
        )
    with transaction.atomic():
        locked = Donation.objects.select_for_update().get(pk=donation.pk)
        if locked.receipts.filter(status=Receipt.Status.ISSUED).exists():
            raise ValidationError(
                {"estimated_value": _("This gift has a valid receipt: cancel it before changing the value.")}
            )
        locked.estimated_value, locked.currency = value, currency
        locked.save(update_fields=["estimated_value", "currency"])
        audit.record(
            action=DONATION_VALUE,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=["estimated_value", "currency"],
        )
    donation.estimated_value, donation.currency = value, currency
    return donation


# --- receipts ------------------------------------------------------------------------------------------


def _next_number(org_id: Any, year: int) -> int:
    """Take the next number of the year under the counter row's lock (held until the caller commits)."""
    ReceiptCounter.objects.bulk_create([ReceiptCounter(org_id=org_id, year=year)], ignore_conflicts=True)
    counter = ReceiptCounter.objects.select_for_update().get(org_id=org_id, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _refuse_second_receipt() -> ValidationError:
    return ValidationError(
        {"donation": _("This donation already has a valid receipt: cancel it to issue another.")}
    )


def _issue(
    donation: Donation, *, replaces: Receipt | None, acting_user: User | None, at: datetime
) -> Receipt:
    """Inside the caller's transaction, with the donation locked: check, number and save a receipt."""
    if donation.receipts.filter(status=Receipt.Status.ISSUED).exists():
        raise _refuse_second_receipt()
    if donation.value is None:
        raise ValidationError(
            {"estimated_value": _("Give this gift in kind its estimated value before issuing a receipt.")}
        )
    year = at.year if not timezone.is_aware(at) else timezone.localtime(at).year
    sequence = _next_number(donation.org_id, year)
    receipt = Receipt(
        org_id=donation.org_id,
        donation=donation,
        year=year,
        sequence=sequence,
        number=f"{year}-{sequence:0{NUMBER_WIDTH}d}",
        name_on_receipt=donation.supporter.name,
        amount=donation.value,
        currency=donation.currency,
        issued_at=at,
        issued_by=acting_user,
        replaces=replaces,
    )
    try:
        with transaction.atomic():
            receipt.save()
    except IntegrityError:
        raise _refuse_second_receipt() from None
    audit.record(action=RECEIPT_ISSUE, actor=acting_user, org=donation.supporter.org, obj=receipt, at=at)
    return receipt


def issue_receipt(*, donation: Donation, acting_user: User | None, at: datetime) -> Receipt:
    """Issue the receipt of a donation: the next number of the year, the supporter's name and the gift's
    value as they are now. One valid receipt per donation; an in-kind gift needs its estimated value."""
    with transaction.atomic():
        locked = Donation.objects.select_for_update().select_related("supporter__org").get(pk=donation.pk)
        return _issue(locked, replaces=None, acting_user=acting_user, at=at)


def _cancel(receipt: Receipt, reason: str, acting_user: User | None, at: datetime) -> Receipt:
    reason = _check_text(reason, "reason", REASON_MAX, required=True)
    locked: Receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    if locked.status != Receipt.Status.ISSUED:
        raise ValidationError({"reason": _("This receipt is already cancelled.")})
    locked.status = Receipt.Status.CANCELLED
    locked.cancelled_at, locked.cancelled_by, locked.cancel_reason = at, acting_user, reason
    locked.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    audit.record(
        action=RECEIPT_CANCEL,
        actor=acting_user,
        org=receipt.org,
        obj=locked,
        at=at,
        fields=["status", "cancel_reason"],
    )
    return locked


def cancel_receipt(*, receipt: Receipt, reason: str, acting_user: User | None, at: datetime) -> Receipt:
    """Cancel a valid receipt, saying why. It keeps its number, which is never given again."""
    with transaction.atomic():
        Donation.objects.select_for_update().get(pk=receipt.donation_id)  # same lock order as issuing
        return _cancel(receipt, reason, acting_user, at)


def reissue_receipt(*, receipt: Receipt, reason: str, acting_user: User | None, at: datetime) -> Receipt:
    """Cancel a valid receipt and issue its replacement (a new number, the current name and value) in one
    transaction; the replacement points at the receipt it replaces."""
    with transaction.atomic():
        donation = (
            Donation.objects.select_for_update().select_related("supporter__org").get(pk=receipt.donation_id)
        )
        cancelled = _cancel(receipt, reason, acting_user, at)
        return _issue(donation, replaces=cancelled, acting_user=acting_user, at=at)


def record_receipt_print(*, receipt: Receipt, acting_user: User | None, at: datetime) -> None:
    audit.record(action=RECEIPT_PRINT, actor=acting_user, org=receipt.org, obj=receipt, at=at)
