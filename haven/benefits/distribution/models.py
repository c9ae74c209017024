"""In-kind distribution: the points where rations are handed out, their stock ledger, and each ration
issued against a beneficiary's card.

A `DistributionPoint` serves one or more unions (area level 5); a union is served by one point, so the
rations due in a union have exactly one place to be collected and are counted once in a point's needs.

`StockMovement` is an append-only ledger per point and item. `change` is the movement's effect on the
stock physically on hand (+ received, - issued or lost, +/- adjusted, 0 allocated), tied to `kind` and
`quantity` by a database check, so the balance is a single SUM. ALLOCATED rows reserve stock for a cycle
without moving it. A row is never edited or deleted: a mistake is corrected by an ADJUSTED row with a
reason and the officer who approved it.

An `Issue` is one ration handed over: one per entitlement (a database uniqueness — the last guard against
two clerks issuing the same ration), with the proxy who collected it when she could not come herself.

A `Closure` ends distribution of a cycle at a point: what was still due became UNCOLLECTED, and the
stock reserved for it is released.

Access (one rule, failing closed): `ProgrammeScopedQuerySet` — programme staff of the organisation.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.benefits.models import Cycle, Entitlement, ProgrammeScopedQuerySet
from haven.orgs.models import Area, Membership, Organisation
from haven.privacy.fields import EncryptedTextField

QUANTITY_DIGITS = 14
QUANTITY_PLACES = 2


class DistributionPoint(models.Model):
    """Where the rations of one or more unions are handed out, and who is in charge there."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    place = models.CharField(
        _("place"), max_length=300, blank=True, help_text=_("e.g. the union parishad office or a warehouse.")
    )
    # The dealer is usually a private food-grain dealer, not a Haven user: a person's name and phone.
    dealer_name = EncryptedTextField(_("dealer"), blank=True)
    dealer_phone = EncryptedTextField(_("dealer's phone"), blank=True)
    officer = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer in charge"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField()

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="distribution_point_unique_name")]

    def __str__(self) -> str:
        return self.name


class ServedUnion(models.Model):
    """A union served by a point. One point per union: its rations are due in one place only."""

    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    point = models.ForeignKey(DistributionPoint, on_delete=models.CASCADE, related_name="served_unions")
    union = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="distribution_point_links")

    class Meta:
        ordering = ["point", "union"]
        constraints = [models.UniqueConstraint(fields=["union"], name="served_union_one_point")]

    def __str__(self) -> str:
        return f"{self.point_id} serves {self.union_id}"


class StockMovement(models.Model):
    """One line of a point's stock ledger. Append-only: corrections are new ADJUSTED rows."""

    class Kind(models.TextChoices):
        RECEIVED = "RECEIVED", pgettext_lazy("stock movement", "Received")
        ALLOCATED = "ALLOCATED", pgettext_lazy("stock movement", "Allocated to a cycle")
        ISSUED = "ISSUED", pgettext_lazy("stock movement", "Issued")
        LOST = "LOST", pgettext_lazy("stock movement", "Lost")
        ADJUSTED = "ADJUSTED", pgettext_lazy("stock movement", "Adjusted")

    id = models.BigAutoField(primary_key=True)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    point = models.ForeignKey(DistributionPoint, on_delete=models.PROTECT, related_name="movements")
    item = models.CharField(_("item"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES)
    # The effect on stock on hand; see the module docstring. The balance is SUM(change).
    change = models.DecimalField(max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES)
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Why stock was lost or adjusted ("flood damage in the store"): about sacks, never about a person.
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("e.g. the delivery order or challan number.")
    )
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["point", "item"], name="movement_point_item"),
            models.Index(fields=["cycle", "point"], name="movement_cycle_point"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="movement_quantity_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=["RECEIVED", "ALLOCATED", "ISSUED", "LOST", "ADJUSTED"]),
                name="movement_kind_known",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="RECEIVED", change=F("quantity"))
                    | Q(kind="ALLOCATED", change=0)
                    | Q(kind__in=["ISSUED", "LOST"], change=-F("quantity"))
                    | (Q(kind="ADJUSTED") & (Q(change=F("quantity")) | Q(change=-F("quantity"))))
                ),
                name="movement_change_follows_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["LOST", "ADJUSTED"]) | ~Q(reason=""),
                name="movement_loss_adjustment_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind="ADJUSTED") | Q(approved_by__isnull=False),
                name="movement_adjustment_approved",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["ALLOCATED", "ISSUED"]) | Q(cycle__isnull=False),
                name="movement_allocation_issue_has_cycle",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity} {self.item} at {self.point_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Stock movements are never changed; record an adjustment instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("Stock movements are never deleted; record an adjustment instead.")


class Issue(models.Model):
    """One ration handed over against a card, at a point, for a cycle — to her or to her proxy."""

    class Relationship(models.TextChoices):
        HUSBAND = "HUSBAND", _("Husband")
        CHILD = "CHILD", _("Son or daughter")
        PARENT = "PARENT", _("Mother or father")
        SIBLING = "SIBLING", _("Brother or sister")
        OTHER_RELATIVE = "OTHER_RELATIVE", _("Other relative")
        NEIGHBOUR = "NEIGHBOUR", _("Neighbour")
        OTHER = "OTHER", pgettext_lazy("relationship", "Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    entitlement = models.OneToOneField(Entitlement, on_delete=models.PROTECT, related_name="issue")
    point = models.ForeignKey(DistributionPoint, on_delete=models.PROTECT, related_name="issues")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="+")
    movement = models.OneToOneField(StockMovement, on_delete=models.PROTECT, related_name="issue")
    by_proxy = models.BooleanField(_("collected by a proxy"), default=False)
    proxy_name = EncryptedTextField(_("proxy's name"), blank=True)
    proxy_relationship = models.CharField(
        _("proxy's relationship to her"), max_length=16, choices=Relationship.choices, blank=True
    )
    proxy_id_checked = models.BooleanField(_("proxy's ID card checked"), default=False)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["point", "cycle"], name="issue_point_cycle")]
        constraints = [
            models.CheckConstraint(
                condition=Q(by_proxy=False, proxy_relationship="")
                | Q(by_proxy=True) & ~Q(proxy_relationship=""),
                name="issue_proxy_has_relationship",
            ),
        ]

    def __str__(self) -> str:
        return f"issue of {self.entitlement_id}"


class Closure(models.Model):
    """Distribution of a cycle at a point has ended: rations still due were marked uncollected."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    point = models.ForeignKey(DistributionPoint, on_delete=models.PROTECT, related_name="closures")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="+")
    uncollected_count = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(_("closed at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-closed_at"]
        constraints = [
            models.UniqueConstraint(fields=["point", "cycle"], name="closure_once_per_point_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id} closed at {self.point_id}"
