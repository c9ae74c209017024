"""Cash payments of a cycle: batches per mobile-wallet provider, the payments in them, the files sent to
the provider and the result files it sends back.

The Mother & child benefit pays Tk 800 a month into the mother's own bKash, Nagad or Rocket wallet. A
`PaymentBatch` gathers a cycle's DUE entitlements of one provider; each becomes a `Payment` with the amount,
a copy of the wallet number as it was when the batch was made (encrypted), and an idempotency key the
provider uses to refuse a second payout of the same line when a file is sent twice. A failed payment can
be tried again in a later batch: a new `Payment` (attempt 2, a new key) for the same entitlement.

No one is paid twice, by construction: the database allows at most one *live* payment (pending or paid)
per entitlement, so an entitlement that is paid, or already waiting in a batch, cannot enter another.

Access follows the benefits core (`ProgrammeScopedQuerySet`): programme staff of the organisation; the
approval of a batch is for `APPROVING_ROLES` and never by the person who made the batch (also a database
check).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.benefits.models import Beneficiary, Cycle, Entitlement, ProgrammeScopedQuerySet
from haven.orgs.models import Organisation
from haven.privacy.fields import EncryptedTextField

AMOUNT_DIGITS = 14
AMOUNT_PLACES = 2


class Provider(models.TextChoices):
    """The mobile-wallet services a batch is paid through; the file formats live in `providers.py`."""

    BKASH = "BKASH", "bKash"
    NAGAD = "NAGAD", "Nagad"
    ROCKET = "ROCKET", "Rocket"


class PaymentBatch(models.Model):
    """One cycle's payments through one provider: approved by a second person, then sent as one file."""

    class Status(models.TextChoices):
        DRAFT = "DRAFT", pgettext_lazy("payment batch", "Draft")
        APPROVED = "APPROVED", pgettext_lazy("payment batch", "Approved")
        EXPORTED = "EXPORTED", _("Sent to the provider")
        RECONCILED = "RECONCILED", _("Reconciled")
        CANCELLED = "CANCELLED", pgettext_lazy("payment batch", "Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="payment_batches")
    provider = models.CharField(_("mobile wallet"), max_length=10, choices=Provider.choices)
    reference = models.CharField(_("reference"), max_length=60)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The control totals: what the batch held when it was made, checked again before every export.
    control_count = models.PositiveIntegerField(_("payments"))
    control_sum = models.DecimalField(_("total"), max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES)
    left_out = models.PositiveIntegerField(
        _("left out"), default=0, help_text=_("Due entitlements left out for want of a valid wallet number.")
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    exported_at = models.DateTimeField(null=True, blank=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["org", "reference"], name="payment_batch_unique_reference"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | Q(created_by__isnull=True)
                | ~Q(approved_by=F("created_by")),
                name="payment_batch_four_eyes",
            ),
            models.CheckConstraint(condition=Q(control_sum__gte=0), name="payment_batch_sum_not_negative"),
        ]
        indexes = [models.Index(fields=["cycle", "provider"], name="payment_batch_cycle_provider")]

    def __str__(self) -> str:
        return self.reference


class PaymentBatchTransition(models.Model):
    """One move of a batch's status: who, when, from, to and why. Written only by the verbs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=PaymentBatch.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=PaymentBatch.Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("why"), max_length=300, blank=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} on {self.batch_id}"


class Payment(models.Model):
    """One attempt to pay one entitlement into one wallet.

    Narrow, with a database-assigned key, because a batch is filled by one `INSERT … SELECT`: there are as
    many payments as entitlements of cash programmes. The wallet number is sealed right after that insert,
    in the same transaction, once the row's key (bound into the ciphertext) exists.
    """

    class Status(models.TextChoices):
        PENDING = "PENDING", _("Waiting for the provider")
        PAID = "PAID", _("Paid")
        FAILED = "FAILED", _("Failed")
        CANCELLED = "CANCELLED", pgettext_lazy("payment", "Cancelled")

    class Reason(models.TextChoices):
        """Why a provider refused a payment, whatever code it used (each adapter maps its codes)."""

        WALLET_NOT_FOUND = "WALLET_NOT_FOUND", _("No wallet with this number")
        NAME_MISMATCH = "NAME_MISMATCH", _("The wallet is in another person's name")
        LIMIT_EXCEEDED = "LIMIT_EXCEEDED", _("The wallet's limit would be exceeded")
        WALLET_BLOCKED = "WALLET_BLOCKED", _("The wallet is blocked or inactive")
        TEMPORARY = "TEMPORARY", _("A temporary problem at the provider")
        OTHER = "OTHER", pgettext_lazy("failure reason", "Other reason")

    LIVE = (Status.PENDING, Status.PAID)
    # Reasons that a second try can overcome without a new wallet number.
    RETRY_AS_IS = frozenset({Reason.LIMIT_EXCEEDED, Reason.TEMPORARY})

    id = models.BigAutoField(primary_key=True)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="payments")
    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="payments")
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="+")
    attempt = models.PositiveSmallIntegerField()
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    # Null only between the batch's insert and the sealing pass of the same transaction.
    wallet_number = EncryptedTextField(_("mobile wallet number"), null=True)
    idempotency_key = models.CharField(_("reference"), max_length=40)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("why it failed"), max_length=20, choices=Reason.choices, blank=True)
    provider_code = models.CharField(_("provider's code"), max_length=20, blank=True)
    provider_transaction = models.CharField(_("provider's transaction"), max_length=64, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # A failed payment may go into a new batch once this is set: by a corrected wallet number, by an
    # officer's decision, or at once for the reasons in RETRY_AS_IS.
    retry_ready = models.BooleanField(default=False)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="payment_unique_idempotency_key"),
            models.UniqueConstraint(fields=["entitlement", "attempt"], name="payment_unique_attempt"),
            # The guard against paying twice: one pending-or-paid payment per entitlement, ever.
            models.UniqueConstraint(
                fields=["entitlement"],
                condition=Q(status__in=["PENDING", "PAID"]),
                name="payment_one_live_per_entitlement",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(status="FAILED", reason__gt="") | (~Q(status="FAILED") & Q(reason="")),
                name="payment_failure_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["batch", "status"], name="payment_batch_status"),
            models.Index(fields=["beneficiary", "status"], name="payment_beneficiary_status"),
        ]

    def __str__(self) -> str:
        return self.idempotency_key


class PaymentFile(models.Model):
    """One download of a batch's provider file: its name, its SHA-256 and the totals it carried."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="files")
    file_name = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    control_count = models.PositiveIntegerField()
    control_sum = models.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES)
    exported_at = models.DateTimeField()
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-exported_at"]

    def __str__(self) -> str:
        return self.file_name


class StatusImport(models.Model):
    """One result file applied to a batch, with what it changed. A refused file leaves no row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="status_imports")
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    lines = models.PositiveIntegerField()
    paid = models.PositiveIntegerField()
    failed = models.PositiveIntegerField()
    unchanged = models.PositiveIntegerField(help_text="Lines already applied, or still pending.")
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.file_name
