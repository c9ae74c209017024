"""Verbs of microcredit: products, applications, committee decisions, disbursement, repayments and their
reversal, rescheduling and write-off.

Each verb checks its input before it writes, then saves, writes its audit entry (field names only) and
any transition row in one transaction; a refusal is a `ValidationError` keyed by the field at fault with
a sentence saying what to do, and leaves nothing written. Verbs that change a loan's money lock the loan
row first, so two clerks entering the same receipt book at once cannot both allocate the same balance.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from babel.numbers import get_currency_precision, list_currencies
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.benefits.models import Beneficiary
from haven.loans import schedule as plan
from haven.loans.models import (
    Allocation,
    CommitteeDecision,
    Frequency,
    Instalment,
    Loan,
    LoanProduct,
    LoanTransition,
    Repayment,
    Schedule,
)
from haven.orgs.models import Organisation
from haven.orgs.validation import refused_if_taken
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

PRODUCT_CREATE = audit.register_action("loan_product.create", "A loan product was set up")
PRODUCT_RETIRE = audit.register_action("loan_product.retire", "A loan product was retired")
LOAN_APPLY = audit.register_action("loan.apply", "A loan application was recorded")
LOAN_DECIDE = audit.register_action("loan.decide", "A loan committee's decision was recorded")
LOAN_DISBURSE = audit.register_action("loan.disburse", "A loan was disbursed")
LOAN_VIEW = audit.register_action("loan.view", "A loan file was read", read=True)
LOAN_REPAY = audit.register_action("loan.repay", "A loan repayment was recorded")
LOAN_REVERSE = audit.register_action("loan.reverse", "A loan repayment was reversed")
LOAN_RESCHEDULE = audit.register_action("loan.reschedule", "A loan was rescheduled")
LOAN_WRITE_OFF = audit.register_action("loan.write_off", "A loan was written off")
LOAN_CLOSE = audit.register_action("loan.close", "A loan was repaid and closed")

TEXT_MAX = 2000
MAX_TERM_MONTHS = 120
MAX_GRACE_DAYS = 365
BIGGEST_AMOUNT = Decimal(10) ** 12


# --- checks --------------------------------------------------------------------------------------------


def _local_date(at: datetime) -> date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def _text(value: str, field: str, *, required: bool = True, limit: int = TEXT_MAX) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("This text is too long (at most %(max)s characters).") % {"max": limit}}
        )
    return text


def _currency(code: str) -> str:
    normalised = (code or "").strip().upper()
    if len(normalised) != 3 or normalised not in list_currencies():
        raise ValidationError({"currency": _("Give the currency as its three-letter code, such as BDT.")})
    return normalised


def to_minor(value: Any, places: int, field: str) -> int:
    """A positive amount with no more decimals than the currency has, in minor units (25000.50 → 2500050)."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount, such as 15000 or 15000.50.")}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    if amount >= BIGGEST_AMOUNT:
        raise ValidationError({field: _("This amount is too large.")})
    minor = amount.scaleb(places)
    if minor != minor.to_integral_value():
        raise ValidationError(
            {field: _("Amounts in this currency have at most %(places)s decimals.") % {"places": places}}
        )
    return int(minor)


def _not_future(day: date, at: datetime, field: str) -> None:
    if day > _local_date(at):
        raise ValidationError({field: _("This date is in the future: enter the day it happened.")})


def age_on(born_on: date, day: date) -> int:
    """Whole years of age on `day` (a woman born on 29 February turns a year older on 1 March)."""
    return day.year - born_on.year - ((day.month, day.day) < (born_on.month, born_on.day))


def _members(members_present: str) -> tuple[str, int]:
    """The members present, one per line (or separated by commas), and how many they are."""
    text = _text(members_present, "members_present")
    names = [part.strip() for line in text.splitlines() for part in line.split(",") if part.strip()]
    return text, len(names)


def _transition(loan: Loan, to_status: str, acting_user: User | None, at: datetime) -> None:
    LoanTransition.objects.create(
        org_id=loan.org_id, loan=loan, from_status=loan.status, to_status=to_status, at=at, actor=acting_user
    )
    loan.status = to_status


def _locked(loan: Loan) -> Loan:
    locked: Loan = Loan.objects.select_for_update().select_related("product", "org").get(pk=loan.pk)
    return locked


def _refresh(target: Loan, source: Loan) -> Loan:
    """Copy what a verb changed on its locked copy back onto the caller's object."""
    for field in Loan._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return target


# --- products ------------------------------------------------------------------------------------------


def _check_terms(
    service_charge_percent: Any, term_months: int, frequency: str, grace_days: int, ages: tuple[int, int]
) -> Decimal:
    try:
        rate = Decimal(str(service_charge_percent))
    except (InvalidOperation, ValueError):
        raise ValidationError({"service_charge_percent": _("Enter a percentage, such as 5.")}) from None
    if not rate.is_finite() or not 0 <= rate <= 100 or rate != rate.quantize(Decimal("0.01")):
        raise ValidationError(
            {"service_charge_percent": _("Enter a percentage from 0 to 100 with at most two decimals.")}
        )
    if not 1 <= term_months <= MAX_TERM_MONTHS:
        raise ValidationError(
            {"term_months": _("The term is 1 to %(max)s months.") % {"max": MAX_TERM_MONTHS}}
        )
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose weekly or monthly instalments.")})
    if not 0 <= grace_days <= MAX_GRACE_DAYS:
        raise ValidationError(
            {"grace_days": _("The grace period is 0 to %(max)s days.") % {"max": MAX_GRACE_DAYS}}
        )
    if not 0 < ages[0] <= ages[1] < 130:
        raise ValidationError({"max_age": _("The oldest age must be at least the youngest age.")})
    return rate


def create_product(
    *,
    org: Organisation,
    name: str,
    currency: str,
    service_charge_percent: Any,
    term_months: int,
    frequency: str,
    min_amount: Any,
    max_amount: Any,
    grace_days: int = 0,
    min_age: int = 18,
    max_age: int = 55,
    requires_training: bool = True,
    acting_user: User | None,
    at: datetime,
) -> LoanProduct:
    """Set up the terms loans are made on. A product is never changed afterwards: new terms are a new
    product, so each loan keeps the terms it was made on."""
    name = _text(name, "name", limit=200)
    currency = _currency(currency)
    places = min(2, get_currency_precision(currency))
    rate = _check_terms(service_charge_percent, term_months, frequency, grace_days, (min_age, max_age))
    low, high = to_minor(min_amount, places, "min_amount"), to_minor(max_amount, places, "max_amount")
    if high < low:
        raise ValidationError({"max_amount": _("The largest amount must be at least the smallest amount.")})
    taken = _("A loan product with this name exists already: choose another.")
    if LoanProduct.objects.filter(org=org, name=name).exists():
        raise ValidationError({"name": taken})
    product = LoanProduct(
        org=org,
        name=name,
        currency=currency,
        currency_places=places,
        service_charge_percent=rate,
        term_months=term_months,
        frequency=frequency,
        grace_days=grace_days,
        min_amount_minor=low,
        max_amount_minor=high,
        min_age=min_age,
        max_age=max_age,
        requires_training=bool(requires_training),
        created_at=at,
        created_by=acting_user,
    )
    with transaction.atomic():
        with refused_if_taken("name", taken):
            product.save()
        audit.record(action=PRODUCT_CREATE, actor=acting_user, org=org, obj=product, at=at)
    return product


def retire_product(*, product: LoanProduct, acting_user: User | None, at: datetime) -> LoanProduct:
    """Stop offering a product; its loans go on as they are."""
    if not product.is_active:
        raise ValidationError({"product": _("This product is already retired.")})
    with transaction.atomic():
        product.is_active = False
        product.save(update_fields=["is_active"])
        audit.record(
            action=PRODUCT_RETIRE,
            actor=acting_user,
            org=product.org,
            obj=product,
            at=at,
            fields=["is_active"],
        )
    return product


# --- applications and decisions ------------------------------------------------------------------------


def _refuse_second_loan() -> ValidationError:
    return ValidationError(
        {
            "beneficiary": _(
                "She already has a loan that is applied for, approved or being repaid: one loan at a time."
            )
        }
    )


def _check_borrower(product: LoanProduct, beneficiary: Beneficiary, applied_on: date) -> None:
    born_on = beneficiary.person.born_on
    if born_on is None:
        raise ValidationError(
            {"beneficiary": _("Her date of birth is not recorded: add it to her registry entry first.")}
        )
    age = age_on(born_on, applied_on)
    if not product.min_age <= age <= product.max_age:
        raise ValidationError(
            {
                "beneficiary": _(
                    "She is %(age)s on the application date; this loan is for women aged %(min)s to %(max)s."
                )
                % {"age": age, "min": product.min_age, "max": product.max_age}
            }
        )
    if Loan.objects.filter(beneficiary=beneficiary, status__in=Loan.OPEN_STATUSES).exists():
        raise _refuse_second_loan()


def _check_amount_in_limits(product: LoanProduct, minor: int, field: str) -> None:
    if not product.min_amount_minor <= minor <= product.max_amount_minor:
        raise ValidationError(
            {
                field: _(
                    "This product lends from %(min)s to %(max)s %(currency)s: enter an amount in between."
                )
                % {"min": product.min_amount, "max": product.max_amount, "currency": product.currency}
            }
        )


def apply_for_loan(
    *,
    product: LoanProduct,
    beneficiary: Beneficiary,
    amount: Any,
    purpose: str,
    training_completed: bool,
    training_where: str = "",
    applied_on: date,
    acting_user: User | None,
    at: datetime,
) -> Loan:
    """Record a woman's application. Refused when the product is retired, she is outside its ages on
    the application date, she has an open loan, the amount is outside its limits, or (when the product
    asks for it) she has not completed a training."""
    if product.org_id != beneficiary.org_id:
        raise ValidationError({"beneficiary": _("She is not in this organisation's registry.")})
    if not product.is_active:
        raise ValidationError({"product": _("This product is retired: choose one that is offered.")})
    _not_future(applied_on, at, "applied_on")
    minor = to_minor(amount, product.currency_places, "amount")
    _check_amount_in_limits(product, minor, "amount")
    purpose = _text(purpose, "purpose")
    training_where = _text(training_where, "training_where", required=False, limit=200)
    if product.requires_training and not (training_completed and training_where):
        raise ValidationError(
            {"training_where": _("This loan is for trained women: say where she completed her training.")}
        )
    _check_borrower(product, beneficiary, applied_on)
    loan = Loan(
        org_id=product.org_id,
        product=product,
        beneficiary=beneficiary,
        area_id=beneficiary.area_id,
        applied_on=applied_on,
        requested_minor=minor,
        purpose=purpose,
        training_completed=bool(training_completed),
        training_where=training_where,
        created_at=at,
        created_by=acting_user,
    )
    try:
        with transaction.atomic():
            loan.save()
            LoanTransition.objects.create(
                org_id=loan.org_id, loan=loan, to_status=loan.status, at=at, actor=acting_user
            )
            audit.record(action=LOAN_APPLY, actor=acting_user, org=product.org, obj=loan, at=at)
    except IntegrityError:  # another clerk saved her other application a moment ago
        raise _refuse_second_loan() from None
    return loan


def _decision(
    loan: Loan, kind: str, outcome: str, decided_on: date, members_present: str, reason: str, at: datetime
) -> CommitteeDecision:
    if outcome not in CommitteeDecision.Outcome.values:
        raise ValidationError({"outcome": _("Say whether the committee approved or rejected it.")})
    _not_future(decided_on, at, "decided_on")
    if decided_on < loan.applied_on:
        raise ValidationError({"decided_on": _("The committee cannot decide before the application date.")})
    members, count = _members(members_present)
    return CommitteeDecision(
        org_id=loan.org_id,
        loan=loan,
        kind=kind,
        outcome=outcome,
        decided_on=decided_on,
        members_present=members,
        members_count=count,
        reason=_text(reason, "reason"),
        recorded_at=at,
    )


def decide_application(
    *,
    loan: Loan,
    outcome: str,
    decided_on: date,
    members_present: str,
    reason: str,
    approved_amount: Any = None,
    acting_user: User | None,
    at: datetime,
) -> CommitteeDecision:
    """Record the loan committee's decision on an application: approved (for the amount asked, or the
    smaller `approved_amount` it settled on) or rejected, with the members present and the reason."""
    with transaction.atomic():
        locked = _locked(loan)
        if locked.status != Loan.Status.APPLIED:
            raise ValidationError({"outcome": _("The committee has already decided on this application.")})
        decision = _decision(
            locked, CommitteeDecision.Kind.APPLICATION, outcome, decided_on, members_present, reason, at
        )
        approved = outcome == CommitteeDecision.Outcome.APPROVED
        principal = locked.requested_minor
        if approved and approved_amount not in (None, ""):
            principal = to_minor(approved_amount, locked.places, "approved_amount")
            if principal > locked.requested_minor:
                raise ValidationError(
                    {"approved_amount": _("The committee cannot approve more than she asked for.")}
                )
            _check_amount_in_limits(locked.product, principal, "approved_amount")
        decision.recorded_by = acting_user
        decision.save()
        _transition(locked, Loan.Status.APPROVED if approved else Loan.Status.REJECTED, acting_user, at)
        locked.principal_minor = principal if approved else None
        locked.save(update_fields=["status", "principal_minor"])
        audit.record(
            action=LOAN_DECIDE, actor=acting_user, org=locked.org, obj=locked, at=at, fields=["status"]
        )
    _refresh(loan, locked)
    return decision


# --- schedules -----------------------------------------------------------------------------------------


def _write_schedule(
    loan: Loan,
    *,
    principal: int,
    charge: int,
    starts_on: date,
    term_months: int,
    grace_days: int,
    decision: CommitteeDecision | None,
    at: datetime,
) -> Schedule:
    frequency = loan.product.frequency
    count = plan.instalment_count(frequency, term_months)
    lines = plan.build(principal, charge, plan.due_dates(starts_on, frequency, count, grace_days))
    version = (loan.schedules.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    loan.schedules.filter(is_current=True).update(is_current=False)
    loan.instalments.filter(is_current=True).update(is_current=False)
    made = Schedule.objects.create(
        org_id=loan.org_id,
        loan=loan,
        version=version,
        decision=decision,
        starts_on=starts_on,
        principal_minor=principal,
        charge_minor=charge,
        frequency=frequency,
        instalment_count=count,
        created_at=at,
    )
    Instalment.objects.bulk_create(
        Instalment(
            org_id=loan.org_id,
            schedule=made,
            loan=loan,
            area_id=loan.area_id,
            number=line.number,
            due_on=line.due_on,
            principal_due_minor=line.principal,
            charge_due_minor=line.charge,
        )
        for line in lines
    )
    return made


def disburse_loan(
    *, loan: Loan, disbursed_on: date, method: str, acting_user: User | None, at: datetime
) -> Schedule:
    """Pay out an approved loan: it becomes active and its repayment schedule is written."""
    if method not in Loan.Method.values:
        raise ValidationError({"method": _("Say how the money was paid out.")})
    _not_future(disbursed_on, at, "disbursed_on")
    with transaction.atomic():
        locked = _locked(loan)
        if locked.status != Loan.Status.APPROVED:
            raise ValidationError({"disbursed_on": _("Only a loan the committee approved can be paid out.")})
        approved_on = locked.decisions.filter(kind=CommitteeDecision.Kind.APPLICATION).values_list(
            "decided_on", flat=True
        )
        if disbursed_on < max(approved_on, default=locked.applied_on):
            raise ValidationError({"disbursed_on": _("The loan cannot be paid out before it was approved.")})
        product = locked.product
        principal = int(locked.principal_minor or 0)
        charge = plan.flat_charge(principal, product.service_charge_percent, product.term_months)
        made = _write_schedule(
            locked,
            principal=principal,
            charge=charge,
            starts_on=disbursed_on,
            term_months=product.term_months,
            grace_days=product.grace_days,
            decision=None,
            at=at,
        )
        locked.disbursed_on, locked.disbursement_method = disbursed_on, method
        _transition(locked, Loan.Status.ACTIVE, acting_user, at)
        locked.save(update_fields=["status", "disbursed_on", "disbursement_method"])
        audit.record(
            action=LOAN_DISBURSE,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=["status", "disbursed_on", "disbursement_method"],
        )
    _refresh(loan, locked)
    return made


def outstanding(loan: Loan) -> tuple[int, int]:
    """(principal, service charge) still unpaid on the loan's current schedule, in minor units."""
    sums = loan.instalments.filter(is_current=True).aggregate(
        principal=Sum(F("principal_due_minor") - F("principal_paid_minor")),
        charge=Sum(F("charge_due_minor") - F("charge_paid_minor")),
    )
    return int(sums["principal"] or 0), int(sums["charge"] or 0)


# --- repayments ----------------------------------------------------------------------------------------


def _refuse_closed(loan: Loan, field: str) -> None:
    if loan.status == Loan.Status.CLOSED:
        raise ValidationError({field: _("This loan is repaid and closed: it takes no more repayments.")})
    if loan.status == Loan.Status.WRITTEN_OFF:
        raise ValidationError({field: _("This loan was written off: it takes no more repayments.")})
    if loan.status != Loan.Status.ACTIVE:
        raise ValidationError({field: _("This loan has not been paid out yet: nothing is due on it.")})


def _apply(repayment: Repayment, parts: list[tuple[int, int, int]], sign: int) -> None:
    """Write the allocation rows and move the instalments' paid columns by the same amounts."""
    Allocation.objects.bulk_create(
        Allocation(
            org_id=repayment.org_id,
            repayment=repayment,
            instalment_id=key,
            charge_minor=sign * charge,
            principal_minor=sign * principal,
        )
        for key, charge, principal in parts
    )
    for key, charge, principal in parts:
        Instalment.objects.filter(pk=key).update(
            charge_paid_minor=F("charge_paid_minor") + sign * charge,
            principal_paid_minor=F("principal_paid_minor") + sign * principal,
        )


def _close_if_repaid(loan: Loan, paid_on: date, acting_user: User | None, at: datetime) -> None:
    if loan.status == Loan.Status.ACTIVE and outstanding(loan) == (0, 0):
        loan.closed_on = paid_on
        _transition(loan, Loan.Status.CLOSED, acting_user, at)
        loan.save(update_fields=["status", "closed_on"])
        audit.record(action=LOAN_CLOSE, actor=acting_user, org=loan.org, obj=loan, at=at, fields=["status"])


def _refuse_receipt() -> ValidationError:
    return ValidationError(
        {"receipt_number": _("This receipt number is already recorded: check the receipt book.")}
    )


def record_repayment(
    *,
    loan: Loan,
    paid_on: date,
    amount: Any,
    receipt_number: str,
    acting_user: User | None,
    at: datetime,
) -> Repayment:
    """Record money received on an active loan and allocate it (oldest instalment first, service charge
    before principal; beyond what is due so far it pays later instalments in advance). More than the
    whole balance is refused. The loan closes when nothing is left to pay."""
    receipt_number = _text(receipt_number, "receipt_number", limit=40)
    _not_future(paid_on, at, "paid_on")
    with transaction.atomic():
        locked = _locked(loan)
        _refuse_closed(locked, "amount")
        minor = to_minor(amount, locked.places, "amount")
        if locked.disbursed_on is not None and paid_on < locked.disbursed_on:
            raise ValidationError({"paid_on": _("A repayment cannot come before the loan was paid out.")})
        balance = sum(outstanding(locked))
        if minor > balance:
            raise ValidationError(
                {
                    "amount": _("This is more than she still owes (%(balance)s): enter at most that.")
                    % {"balance": locked.money(balance)}
                }
            )
        if Repayment.objects.filter(
            org_id=locked.org_id, kind=Repayment.Kind.PAYMENT, receipt_number=receipt_number
        ).exists():
            raise _refuse_receipt()
        repayment = Repayment(
            org_id=locked.org_id,
            loan=locked,
            paid_on=paid_on,
            amount_minor=minor,
            receipt_number=receipt_number,
            recorded_at=at,
            recorded_by=acting_user,
        )
        try:
            with transaction.atomic():
                repayment.save()
        except IntegrityError:
            raise _refuse_receipt() from None
        unpaid = locked.instalments.filter(is_current=True).order_by("due_on", "number")
        dues = [
            plan.Due(
                key=i.pk,
                charge=i.charge_due_minor - i.charge_paid_minor,
                principal=i.principal_due_minor - i.principal_paid_minor,
            )
            for i in unpaid
            if i.unpaid_minor > 0
        ]
        _apply(repayment, plan.allocate(minor, dues), 1)
        audit.record(action=LOAN_REPAY, actor=acting_user, org=locked.org, obj=repayment, at=at)
        _close_if_repaid(locked, paid_on, acting_user, at)
    _refresh(loan, locked)
    return repayment


def reverse_repayment(
    *, repayment: Repayment, reason: str, acting_user: User | None, at: datetime
) -> Repayment:
    """Undo a repayment recorded by mistake with a new, negative row; the instalments it paid are unpaid
    again and a loan it closed is active again. A repayment made before the loan was rescheduled, or on
    a loan since written off, cannot be reversed here: its money is already in the newer figures."""
    reason = _text(reason, "reason")
    with transaction.atomic():
        locked = _locked(repayment.loan)
        original: Repayment = Repayment.objects.select_for_update().get(pk=repayment.pk)
        if original.kind != Repayment.Kind.PAYMENT:
            raise ValidationError({"reason": _("A reversal cannot itself be reversed.")})
        if Repayment.objects.filter(reverses=original).exists():
            raise ValidationError({"reason": _("This repayment is already reversed.")})
        if locked.status == Loan.Status.WRITTEN_OFF:
            raise ValidationError(
                {"reason": _("This loan was written off: its repayments stay as they are.")}
            )
        allocations = list(original.allocations.select_related("instalment"))
        if any(not a.instalment.is_current for a in allocations):
            raise ValidationError(
                {
                    "reason": _(
                        "This repayment was made before the loan was rescheduled and cannot be reversed."
                    )
                }
            )
        reversal = Repayment.objects.create(
            org_id=locked.org_id,
            loan=locked,
            kind=Repayment.Kind.REVERSAL,
            paid_on=_local_date(at),
            amount_minor=-original.amount_minor,
            reverses=original,
            reason=reason,
            recorded_at=at,
            recorded_by=acting_user,
        )
        _apply(reversal, [(a.instalment_id, a.charge_minor, a.principal_minor) for a in allocations], -1)
        if locked.status == Loan.Status.CLOSED:
            locked.closed_on = None
            _transition(locked, Loan.Status.ACTIVE, acting_user, at)
            try:
                with transaction.atomic():
                    locked.save(update_fields=["status", "closed_on"])
            except IntegrityError:  # she has applied for her next loan since: reopening would make two
                raise ValidationError({"reason": _refuse_second_loan().messages[0]}) from None
        audit.record(action=LOAN_REVERSE, actor=acting_user, org=locked.org, obj=reversal, at=at)
    _refresh(repayment.loan, locked)
    return reversal


# --- rescheduling, write-off ---------------------------------------------------------------------------


def reschedule_loan(
    *,
    loan: Loan,
    decided_on: date,
    members_present: str,
    reason: str,
    term_months: int,
    grace_days: int = 0,
    acting_user: User | None,
    at: datetime,
) -> Schedule:
    """Spread what is still owed (principal and service charge, no new charge) over a new schedule of
    `term_months` counted from the committee's decision, after `grace_days`. The old schedule is kept,
    no longer current, with what was paid on it."""
    if not 1 <= term_months <= MAX_TERM_MONTHS:
        raise ValidationError(
            {"term_months": _("The term is 1 to %(max)s months.") % {"max": MAX_TERM_MONTHS}}
        )
    if not 0 <= grace_days <= MAX_GRACE_DAYS:
        raise ValidationError(
            {"grace_days": _("The grace period is 0 to %(max)s days.") % {"max": MAX_GRACE_DAYS}}
        )
    with transaction.atomic():
        locked = _locked(loan)
        if locked.status != Loan.Status.ACTIVE:
            raise ValidationError({"term_months": _("Only a loan being repaid can be rescheduled.")})
        # The new schedule counts from the decision: one dated before the payout would fall due on
        # instalments of money she had not yet received.
        if locked.disbursed_on is not None and decided_on < locked.disbursed_on:
            raise ValidationError({"decided_on": _("A loan cannot be rescheduled before it was paid out.")})
        _refuse_before_schedule_in_force(locked, decided_on)
        decision = _decision(
            locked,
            CommitteeDecision.Kind.RESCHEDULE,
            CommitteeDecision.Outcome.APPROVED,
            decided_on,
            members_present,
            reason,
            at,
        )
        decision.recorded_by = acting_user
        decision.save()
        principal, charge = outstanding(locked)
        made = _write_schedule(
            locked,
            principal=principal,
            charge=charge,
            starts_on=decided_on,
            term_months=term_months,
            grace_days=grace_days,
            decision=decision,
            at=at,
        )
        audit.record(
            action=LOAN_RESCHEDULE, actor=acting_user, org=locked.org, obj=locked, at=at, fields=["schedule"]
        )
    _refresh(loan, locked)
    return made


def _refuse_before_schedule_in_force(loan: Loan, decided_on: date) -> None:
    """A newer schedule version must not start before the one it replaces: the repayments and arrears
    counted on that one would fall between two plans, and the history would read out of order."""
    in_force = loan.schedules.filter(is_current=True).values_list("starts_on", flat=True).first()
    if in_force is not None and decided_on < in_force:
        raise ValidationError(
            {"decided_on": _("A loan cannot be rescheduled before its current schedule starts.")}
        )


def write_off_loan(
    *, loan: Loan, written_off_on: date, reason: str, acting_user: User | None, at: datetime
) -> Loan:
    """Record what is still owed on an active loan as a loss: the loan leaves the portfolio at risk and
    takes no more repayments. The approver is the acting programme officer."""
    reason = _text(reason, "reason")
    _not_future(written_off_on, at, "written_off_on")
    with transaction.atomic():
        locked = _locked(loan)
        if locked.status != Loan.Status.ACTIVE:
            raise ValidationError({"reason": _("Only a loan being repaid can be written off.")})
        if locked.disbursed_on is not None and written_off_on < locked.disbursed_on:
            raise ValidationError(
                {"written_off_on": _("A loan cannot be written off before it was paid out.")}
            )
        principal, charge = outstanding(locked)
        locked.written_off_principal_minor, locked.written_off_charge_minor = principal, charge
        locked.written_off_on, locked.written_off_by, locked.write_off_reason = (
            written_off_on,
            acting_user,
            reason,
        )
        _transition(locked, Loan.Status.WRITTEN_OFF, acting_user, at)
        fields = ["status", "written_off_on", "written_off_by", "write_off_reason"]
        locked.save(update_fields=[*fields, "written_off_principal_minor", "written_off_charge_minor"])
        audit.record(
            action=LOAN_WRITE_OFF, actor=acting_user, org=locked.org, obj=locked, at=at, fields=fields
        )
    return _refresh(loan, locked)


def record_loan_view(*, loan: Loan, acting_user: User | None, at: datetime) -> None:
    audit.record(action=LOAN_VIEW, actor=acting_user, org=loan.org, obj=loan, at=at)
