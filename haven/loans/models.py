"""Microcredit for trained poor women: loan products, loans (from application to closing), committee
decisions, repayment schedules and their instalments, repayments and how each was allocated.

The seed is the Department of Women Affairs' microcredit: unsecured loans of one to two years with a 5 %
flat service charge to women aged 18 to 55 who have been trained, approved by a local loan committee,
one loan at a time. A borrower is a registry `Beneficiary`; programme staff (`PROGRAMME_ROLES`) run the
loans and programme officers (`APPROVING_ROLES`) write one off.

Money is kept in integer minor units (paisa for taka: `*_minor` columns, `currency_places` on the
product), so schedules and sums are exact on SQLite and PostgreSQL alike; pages and the API show
`Decimal`s.

A `Loan` is one row from application to the end: APPLIED → APPROVED (committee) → ACTIVE (disbursed) →
CLOSED (repaid) or WRITTEN_OFF; or APPLIED → REJECTED. The database allows one open loan (applied,
approved or active) per woman. Every status change writes a `LoanTransition`.

A schedule is never changed once written: rescheduling writes a new `Schedule` for the outstanding balance
and marks the old one as no longer current; its instalments stay as they were. Arrears, PAR and recovery
read the current schedule's instalments, which carry the loan and its area so they need no join to the
schedule.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.benefits.models import APPROVING_ROLES, PROGRAMME_ROLES, Beneficiary, ProgrammeScopedQuerySet
from haven.orgs.models import Area, Organisation
from haven.orgs.roles import Role
from haven.privacy.fields import EncryptedTextField

LENDING_ROLES = PROGRAMME_ROLES
"""Loan officers: record applications, committee decisions, disbursements, repayments, reschedules."""

PRODUCT_ROLES = APPROVING_ROLES | {Role.ORG_ADMIN}
"""Who sets the terms loans are made on (and retires them)."""

WRITE_OFF_ROLES = APPROVING_ROLES
"""Who approves a write-off: recording public money as lost is a programme officer's decision."""


def from_minor(amount: int, places: int) -> Decimal:
    """2500050 paisa with 2 places → Decimal("25000.50")."""
    return Decimal(amount).scaleb(-places)


class Frequency(models.TextChoices):
    WEEKLY = "WEEKLY", _("Weekly")
    MONTHLY = "MONTHLY", _("Monthly")


class LoanProduct(models.Model):
    """The terms a loan is made on. Never changed once written: different terms are a new product, and
    a product no longer offered is retired (`is_active`), so every loan keeps the terms it was made on."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3)
    currency_places = models.PositiveSmallIntegerField(default=2, editable=False)
    service_charge_percent = models.DecimalField(
        _("flat service charge (% a year)"), max_digits=5, decimal_places=2
    )
    term_months = models.PositiveSmallIntegerField(_("term in months"))
    frequency = models.CharField(_("instalments"), max_length=8, choices=Frequency.choices)
    grace_days = models.PositiveSmallIntegerField(_("grace period in days"), default=0)
    min_amount_minor = models.BigIntegerField()
    max_amount_minor = models.BigIntegerField()
    min_age = models.PositiveSmallIntegerField(_("youngest age"), default=18)
    max_age = models.PositiveSmallIntegerField(_("oldest age"), default=55)
    requires_training = models.BooleanField(_("borrowers must have been trained"), default=True)
    is_active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-is_active", "name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="loan_product_unique_name"),
            models.CheckConstraint(
                condition=Q(min_amount_minor__gt=0, max_amount_minor__gte=F("min_amount_minor")),
                name="loan_product_amounts_ordered",
            ),
            models.CheckConstraint(condition=Q(max_age__gte=F("min_age")), name="loan_product_ages_ordered"),
            models.CheckConstraint(condition=Q(term_months__gte=1), name="loan_product_term_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def min_amount(self) -> Decimal:
        return from_minor(self.min_amount_minor, self.currency_places)

    @property
    def max_amount(self) -> Decimal:
        return from_minor(self.max_amount_minor, self.currency_places)


class Loan(models.Model):
    class Status(models.TextChoices):
        APPLIED = "APPLIED", pgettext_lazy("loan status", "Applied")
        APPROVED = "APPROVED", pgettext_lazy("loan status", "Approved")
        REJECTED = "REJECTED", pgettext_lazy("loan status", "Rejected")
        ACTIVE = "ACTIVE", pgettext_lazy("loan status", "Active")
        CLOSED = "CLOSED", pgettext_lazy("loan status", "Repaid and closed")
        WRITTEN_OFF = "WRITTEN_OFF", pgettext_lazy("loan status", "Written off")

    class Method(models.TextChoices):
        CASH = "CASH", _("Cash")
        CHEQUE = "CHEQUE", _("Cheque")
        BANK = "BANK", _("Bank transfer")
        MOBILE_WALLET = "MOBILE_WALLET", _("Mobile wallet")

    OPEN_STATUSES = (Status.APPLIED, Status.APPROVED, Status.ACTIVE)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(LoanProduct, on_delete=models.PROTECT, related_name="loans")
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="loans")
    # The borrower's area when she applied: the portfolio is reported by the area that made the loan.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField(_("applied on"))
    requested_minor = models.BigIntegerField()
    # What the committee approved (the amount requested unless it said less); the disbursed principal.
    principal_minor = models.BigIntegerField(null=True, blank=True)
    # Her own words about her plans can identify her ("a tailoring stall next to her brother's shop").
    purpose = EncryptedTextField(_("purpose"))
    training_completed = models.BooleanField(_("training completed"), default=False)
    training_where = models.CharField(_("where she was trained"), max_length=200, blank=True)
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    disbursement_method = models.CharField(
        _("disbursed by"), max_length=14, choices=Method.choices, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    written_off_on = models.DateField(_("written off on"), null=True, blank=True)
    written_off_principal_minor = models.BigIntegerField(default=0)
    written_off_charge_minor = models.BigIntegerField(default=0)
    written_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    write_off_reason = EncryptedTextField(_("why it was written off"), blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary"],
                condition=Q(status__in=["APPLIED", "APPROVED", "ACTIVE"]),
                name="loan_one_open_per_woman",
            ),
            models.CheckConstraint(condition=Q(requested_minor__gt=0), name="loan_requested_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["APPLIED", "REJECTED"])
                | Q(status="APPROVED", principal_minor__gt=0)
                | Q(principal_minor__gt=0, disbursed_on__isnull=False),
                name="loan_principal_when_approved",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "status"], name="loan_org_status"),
            models.Index(fields=["org", "disbursed_on"], name="loan_org_disbursed"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """A short reference to say on the phone or write on a passbook: no personal data in it."""
        return f"L-{str(self.pk)[:8].upper()}"

    @property
    def places(self) -> int:
        return int(self.product.currency_places)

    def money(self, minor: int | None) -> Decimal | None:
        return None if minor is None else from_minor(minor, self.places)

    @property
    def requested(self) -> Decimal:
        return from_minor(self.requested_minor, self.places)

    @property
    def principal(self) -> Decimal | None:
        return self.money(self.principal_minor)


class LoanTransition(models.Model):
    """One move of a loan's status: who, when, from, to and why. Written only by the verbs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=Loan.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Loan.Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} on {self.loan_id}"


class CommitteeDecision(models.Model):
    """What the local loan committee decided about a loan: to approve or reject the application, or to
    reschedule the loan; who was present, when, and why."""

    class Kind(models.TextChoices):
        APPLICATION = "APPLICATION", _("Application")
        RESCHEDULE = "RESCHEDULE", _("Rescheduling")

    class Outcome(models.TextChoices):
        APPROVED = "APPROVED", pgettext_lazy("committee decision", "Approved")
        REJECTED = "REJECTED", pgettext_lazy("committee decision", "Rejected")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("about"), max_length=12, choices=Kind.choices)
    outcome = models.CharField(_("decision"), max_length=8, choices=Outcome.choices)
    decided_on = models.DateField(_("decided on"))
    members_present = EncryptedTextField(_("members present"))
    members_count = models.PositiveSmallIntegerField(_("number of members present"))
    reason = EncryptedTextField(_("reason"))
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["decided_on", "recorded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(members_count__gte=1), name="loan_decision_has_members"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.outcome} on {self.loan_id}"


class Schedule(models.Model):
    """One repayment plan of a loan: the first at disbursement, one more each time it is rescheduled."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="schedules")
    version = models.PositiveSmallIntegerField()
    is_current = models.BooleanField(default=True)
    decision = models.OneToOneField(
        CommitteeDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="schedule"
    )
    starts_on = models.DateField(_("counted from"))
    principal_minor = models.BigIntegerField()
    charge_minor = models.BigIntegerField()
    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    instalment_count = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["loan", "version"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "version"], name="loan_schedule_unique_version"),
            models.UniqueConstraint(
                fields=["loan"], condition=Q(is_current=True), name="loan_schedule_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} v{self.version}"


class Instalment(models.Model):
    """One instalment: what is due on a date (service charge and principal) and what has been paid on
    it so far. `loan`, `area` and `is_current` are copies that let the portfolio figures be one
    aggregate over this table."""

    id = models.BigAutoField(primary_key=True)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="instalments")
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="instalments")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(default=True)
    number = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    principal_due_minor = models.BigIntegerField()
    charge_due_minor = models.BigIntegerField()
    principal_paid_minor = models.BigIntegerField(default=0)
    charge_paid_minor = models.BigIntegerField(default=0)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["schedule", "number"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "number"], name="loan_instalment_unique_number"),
            models.CheckConstraint(
                condition=Q(principal_paid_minor__gte=0, principal_paid_minor__lte=F("principal_due_minor"))
                & Q(charge_paid_minor__gte=0, charge_paid_minor__lte=F("charge_due_minor")),
                name="loan_instalment_paid_within_due",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "is_current", "due_on"], name="loan_instalment_due"),
            models.Index(fields=["loan", "is_current", "due_on"], name="loan_instalment_of_loan"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id} #{self.number}"

    @property
    def due_minor(self) -> int:
        return int(self.principal_due_minor + self.charge_due_minor)

    @property
    def paid_minor(self) -> int:
        return int(self.principal_paid_minor + self.charge_paid_minor)

    @property
    def unpaid_minor(self) -> int:
        return self.due_minor - self.paid_minor


class Repayment(models.Model):
    """Money received from the borrower (a PAYMENT), or the undoing of a mistaken one (a REVERSAL: a new
    row with the negative amount that points at the payment it undoes). Rows are never edited."""

    class Kind(models.TextChoices):
        PAYMENT = "PAYMENT", _("Repayment")
        REVERSAL = "REVERSAL", _("Reversal")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.PAYMENT)
    paid_on = models.DateField(_("paid on"))
    amount_minor = models.BigIntegerField()
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    reason = EncryptedTextField(_("why it was reversed"), blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["paid_on", "recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "receipt_number"],
                condition=Q(kind="PAYMENT"),
                name="loan_repayment_unique_receipt",
            ),
            models.CheckConstraint(
                condition=Q(kind="PAYMENT", amount_minor__gt=0, reverses__isnull=True) & ~Q(receipt_number="")
                | Q(kind="REVERSAL", amount_minor__lt=0, reverses__isnull=False),
                name="loan_repayment_payment_or_reversal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.receipt_number or self.pk}"

    @property
    def amount(self) -> Decimal:
        return from_minor(self.amount_minor, self.loan.places)

    @property
    def is_reversed(self) -> bool:
        return hasattr(self, "reversed_by")


class Allocation(models.Model):
    """The part of a repayment put against one instalment: service charge first, then principal.
    A reversal's allocations are the payment's, negated."""

    id = models.BigAutoField(primary_key=True)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    repayment = models.ForeignKey(Repayment, on_delete=models.PROTECT, related_name="allocations")
    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, related_name="allocations")
    charge_minor = models.BigIntegerField()
    principal_minor = models.BigIntegerField()

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["repayment", "instalment"]

    def __str__(self) -> str:
        return f"{self.repayment_id} → {self.instalment_id}"
