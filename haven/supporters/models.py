"""Supporters and donations: the people and institutions who give to the organisation, what they gave,
the restricted funds (donor projects) a gift may be tied to, and the receipts issued for gifts.

Nothing here can reach survivor data: the app imports nothing from the survivor-side apps and its models
point only at organisations, users and each other (checked by `tests/test_separation.py`).

A supporter's name, e-mail, phone, postal address and notes are personal data: encrypted columns. Exact
look-ups by e-mail or phone go through blind indexes; a name search through blind-indexed name words.

Access rule (one per model, failing closed): `SUPPORTER_ROLES` (fundraisers and organisation
administrators) see and change the organisation's supporters, donations, projects and receipts.
`TOTALS_READERS` (those two and centre managers) read figures only: donations through the "totals" action,
never a supporter's details. Everyone else sees nothing.

Receipt numbers are `<year>-<sequence>` (`2026-00042`), unique per organisation (a database constraint),
taken from a per-organisation, per-year counter row that the issuing transaction locks. A cancelled
receipt keeps its number; a replacement gets a new one and points at the receipt it replaces. The database
allows one valid (issued, not cancelled) receipt per donation.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.orgs.models import Organisation, OrgScopedQuerySet, membership_of
from haven.orgs.roles import Role
from haven.privacy.fields import EncryptedTextField

SUPPORTER_ROLES: frozenset[Role] = frozenset({Role.FUNDRAISER, Role.ORG_ADMIN})
"""Who looks after supporters, donations, projects and receipts, and reads supporters' details."""

TOTALS_READERS: frozenset[Role] = SUPPORTER_ROLES | {Role.CENTRE_MANAGER}
"""Who reads the figures (totals per year and currency, fund balances): no supporter's details."""

ACTIONS = frozenset({"view", "change"})
AMOUNT_DIGITS = 14
AMOUNT_PLACES = 2


class SupporterScopedQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> Any:
        """`SUPPORTER_ROLES` of the acting organisation see and change the rows; `TOTALS_READERS` may
        count them ("totals"); nothing for anyone else or any other action (fail closed)."""
        membership = membership_of(user)
        if membership is None:
            return self.none()
        role = membership.role_enum
        allowed = TOTALS_READERS if action == "totals" else SUPPORTER_ROLES if action in ACTIONS else None
        if allowed is None or role not in allowed:
            return self.none()
        return self.in_active_org(user)


class Supporter(models.Model):
    """Someone who gives: a person, a company, a foundation or an institution."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "INDIVIDUAL", _("Individual")
        COMPANY = "COMPANY", _("Company")
        FOUNDATION = "FOUNDATION", _("Foundation")
        INSTITUTION = "INSTITUTION", _("Institutional donor")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = EncryptedTextField(_("name"))
    email = EncryptedTextField(_("e-mail"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    address = EncryptedTextField(_("postal address"), blank=True)
    language = models.CharField(_("language of receipts"), max_length=8, choices=settings.LANGUAGES)
    may_contact = models.BooleanField(
        _("agrees to be contacted"),
        default=False,
        help_text=_("Newsletters, appeals and thanks. Receipts are sent whatever the answer."),
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    # Blind indexes: HMAC of the normalised value under the organisation's index key; never the value.
    email_index = models.CharField(max_length=64, blank=True, editable=False)
    phone_index = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = SupporterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["org", "email_index"], name="supporter_email_lookup"),
            models.Index(fields=["org", "phone_index"], name="supporter_phone_lookup"),
        ]

    def __str__(self) -> str:
        return f"supporter {self.pk}"


class SupporterNameToken(models.Model):
    """One blind-indexed word of a supporter's name; a name search asks for every word it is given."""

    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["supporter", "token"], name="supporter_name_token_once"),
        ]
        indexes = [models.Index(fields=["org", "token", "supporter"], name="supporter_name_lookup")]

    def __str__(self) -> str:
        return f"name token of {self.supporter_id}"


class DonorProject(models.Model):
    """A restricted fund: money a donor pledged for one purpose over a period. Gifts restricted to it
    come from that donor, in its currency, received within its period."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    supporter = models.ForeignKey(
        Supporter, on_delete=models.PROTECT, related_name="projects", verbose_name=_("donor")
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    amount_pledged = models.DecimalField(
        _("amount pledged"), max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES
    )
    currency = models.CharField(_("currency"), max_length=3)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_at = models.DateTimeField()

    objects = SupporterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="donor_project_unique_name"),
            models.CheckConstraint(condition=Q(amount_pledged__gt=0), name="donor_project_pledge_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="donor_project_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, day: Any) -> bool:
        return bool(self.starts_on <= day <= self.ends_on)


class Donation(models.Model):
    """One gift: money (an amount, a currency, how it was paid) or in kind (what, how many, and an
    estimated value when known). It may be restricted to one of the donor's projects."""

    class Kind(models.TextChoices):
        MONEY = "MONEY", pgettext_lazy("kind of donation", "Money")
        IN_KIND = "IN_KIND", pgettext_lazy("kind of donation", "In kind")

    class Method(models.TextChoices):
        CASH = "CASH", _("Cash")
        CHEQUE = "CHEQUE", _("Cheque")
        CARD = "CARD", _("Card")
        BANK_TRANSFER = "BANK_TRANSFER", _("Bank transfer")
        ONLINE = "ONLINE", _("Online payment")
        OTHER = "OTHER", pgettext_lazy("payment method", "Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    supporter = models.ForeignKey(Supporter, on_delete=models.PROTECT, related_name="donations")
    received_on = models.DateField(_("received on"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    method = models.CharField(_("paid by"), max_length=16, choices=Method.choices, blank=True)
    description = models.CharField(_("what was given"), max_length=500, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    estimated_value = models.DecimalField(
        _("estimated value"), max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES, null=True, blank=True
    )
    project = models.ForeignKey(
        DonorProject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
        verbose_name=_("restricted to project"),
    )
    is_anonymous = models.BooleanField(
        _("anonymous in public lists"),
        default=False,
        help_text=_("The donor is not named in thank-you lists and reports for this gift."),
    )
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SupporterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-recorded_at"]
        indexes = [models.Index(fields=["org", "received_on"], name="donation_by_date")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="MONEY", amount__gt=0, estimated_value__isnull=True)
                    & ~Q(currency="")
                    & ~Q(method="")
                )
                | (
                    Q(kind="IN_KIND", amount__isnull=True)
                    & ~Q(description="")
                    & (Q(estimated_value__isnull=True) | (Q(estimated_value__gt=0) & ~Q(currency="")))
                ),
                name="donation_money_or_in_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"donation {self.pk}"

    @property
    def value(self) -> Decimal | None:
        """What the gift is worth: the amount given, or the estimated value of goods (None: unknown)."""
        return self.amount if self.kind == self.Kind.MONEY else self.estimated_value

    @property
    def has_valid_receipt(self) -> bool:
        """Reads the receipts through `receipts.all()`, so a prefetched list costs no query."""
        return any(receipt.is_valid for receipt in self.receipts.all())


class ReceiptCounter(models.Model):
    """The last receipt number of an organisation in a year. Issuing locks this row, so two receipts
    issued at the same moment get consecutive numbers, never the same one."""

    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="receipt_counter_once_per_year")]

    def __str__(self) -> str:
        return f"receipt counter {self.year}"


class Receipt(models.Model):
    """A receipt for one donation. What it says (name, amount, currency) is kept as issued, so printing
    it again later gives the same paper. Cancelling keeps the row and its number, with who, when and
    why on the row itself (its only transition); a replacement is a new receipt with a new number."""

    class Status(models.TextChoices):
        ISSUED = "ISSUED", pgettext_lazy("receipt status", "Issued")
        CANCELLED = "CANCELLED", pgettext_lazy("receipt status", "Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="receipts")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("receipt number"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    name_on_receipt = EncryptedTextField(_("name on the receipt"))
    amount = models.DecimalField(
        _("amount"), max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A reason may name the donor ("sent to Mr X by mistake"): encrypted like the rest of their details.
    cancel_reason = EncryptedTextField(_("reason for cancelling"), blank=True)

    objects = SupporterScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="receipt_unique_number"),
            models.UniqueConstraint(fields=["org", "year", "sequence"], name="receipt_unique_sequence"),
            models.UniqueConstraint(
                fields=["donation"], condition=Q(status="ISSUED"), name="receipt_one_valid_per_donation"
            ),
            models.CheckConstraint(
                condition=Q(status="ISSUED", cancelled_at__isnull=True)
                | Q(status="CANCELLED", cancelled_at__isnull=False),
                name="receipt_cancelled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.ISSUED
