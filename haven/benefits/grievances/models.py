"""Grievances about the programmes, from beneficiaries or the public (anonymous allowed).

A grievance moves RECEIVED → IN_REVIEW (assigned) → DECIDED → (one appeal) APPEALED → CLOSED, or
DECIDED → CLOSED when nobody appeals; each move is a `GrievanceTransition` row written by a verb.
Each category has a deadline (`DEADLINE_DAYS`) counted from the day it was received; a grievance not
decided by then is overdue. Whoever complains gets a tracking code to check the status on the public
page; only its SHA-256 digest is stored, so the table does not hand out codes to whoever reads it.

The complainant's name and phone, what she wrote and the decisions' reasons are encrypted.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.benefits.models import Beneficiary, Programme, ProgrammeScopedQuerySet
from haven.orgs.models import Area, Membership, Organisation
from haven.privacy.fields import EncryptedTextField


class Category(models.TextChoices):
    EXCLUSION_ERROR = "EXCLUSION_ERROR", _("Left out though eligible")
    WRONG_QUANTITY = "WRONG_QUANTITY", _("Received less than due")
    PAYMENT_NOT_RECEIVED = "PAYMENT_NOT_RECEIVED", _("Payment not received")
    STAFF_CONDUCT = "STAFF_CONDUCT", _("Conduct of staff")
    CORRUPTION = "CORRUPTION", _("Bribe or corruption")
    OTHER = "OTHER", _("Something else")


# Days to decide, from the day received. A missing payment or short ration is a hungry month, so it is
# answered fastest; corruption needs an inquiry but must not sit; an exclusion waits for the next list.
DEADLINE_DAYS: dict[str, int] = {
    Category.PAYMENT_NOT_RECEIVED: 7,
    Category.WRONG_QUANTITY: 7,
    Category.CORRUPTION: 15,
    Category.STAFF_CONDUCT: 15,
    Category.EXCLUSION_ERROR: 30,
    Category.OTHER: 30,
}

APPEAL_DEADLINE_DAYS = 15
"""Days an approver has to decide an appeal, from the day it was made."""


class Grievance(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "RECEIVED", _("Received")
        IN_REVIEW = "IN_REVIEW", _("Being looked into")
        DECIDED = "DECIDED", _("Decided")
        APPEALED = "APPEALED", _("Appealed")
        CLOSED = "CLOSED", _("Closed")

    class Outcome(models.TextChoices):
        UPHELD = "UPHELD", _("Upheld: put right")
        NOT_UPHELD = "NOT_UPHELD", _("Not upheld")

    class Channel(models.TextChoices):
        PUBLIC = "PUBLIC", _("Public page")
        OFFICER = "OFFICER", _("Taken by an officer")
        API = "API", _("Through another system")

    OPEN_STATUSES = (Status.RECEIVED, Status.IN_REVIEW, Status.APPEALED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="grievances"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, null=True, blank=True, related_name="grievances"
    )
    category = models.CharField(_("category"), max_length=22, choices=Category.choices)
    channel = models.CharField(_("received through"), max_length=8, choices=Channel.choices)
    tracking_digest = models.CharField(max_length=64, unique=True)
    complainant_name = EncryptedTextField(_("name"), blank=True)
    complainant_phone = EncryptedTextField(_("phone"), blank=True)
    description = EncryptedTextField(_("what happened"))
    received_at = models.DateTimeField(_("received at"))
    due_on = models.DateField(_("to be decided by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    assigned_to = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices, blank=True)
    decision_text = EncryptedTextField(_("reasons"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appeal_text = EncryptedTextField(_("grounds of appeal"), blank=True)
    appealed_at = models.DateTimeField(null=True, blank=True)
    appeal_due_on = models.DateField(null=True, blank=True)
    appeal_outcome = models.CharField(
        _("decision on appeal"), max_length=10, choices=Outcome.choices, blank=True
    )
    appeal_decision_text = EncryptedTextField(_("reasons on appeal"), blank=True)
    appeal_decided_at = models.DateTimeField(null=True, blank=True)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "received_at"]
        indexes = [models.Index(fields=["org", "status", "due_on"], name="grievance_org_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(appealed_at__isnull=True) | Q(decided_at__isnull=False),
                name="grievance_appeal_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.status} {self.pk}"

    @property
    def is_anonymous(self) -> bool:
        return not (self.complainant_name or self.complainant_phone or self.beneficiary_id)


class GrievanceTransition(models.Model):
    id = models.BigAutoField(primary_key=True)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} on {self.grievance_id}"
