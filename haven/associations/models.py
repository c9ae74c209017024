"""Voluntary women's associations and women entrepreneurs.

The seed is Bangladesh's Department of Women Affairs (DWA): it registers and supervises voluntary women's
associations, grades them A, B or C through a committee, and gives registered associations an annual
grant by grade; Joyeeta supports women entrepreneurs with marketing (stalls at sales and exhibition
centres).

Associations. An `Association` applies for registration with documents (constitution, member list,
minutes: `AssociationDocument`, bytes encrypted) and a fee (`FeePayment`). A decision is due within
`DECISION_DAYS` of the application: approval gives it a registration number and a registration valid for
`REGISTRATION_YEARS`; a `Renewal` (period, fee) extends it; an association not renewed in time lapses
(`lapse_associations` command, set-based). Statuses move only through the verbs in `actions.py`, each
recording an `AssociationTransition`:

    APPLIED → REGISTERED ⇄ LAPSED   (lapsed → registered again by a renewal)
            → REFUSED

Office-bearers (`OfficeBearer`) are people: their names and phones are encrypted. A `Grading` is the
grading committee's decision on one day: who was present (`GradingMember`, names encrypted), a score per
criterion, the grade; the association's current grade is its latest grading, the history is kept.

Grants. A `GrantSchedule` row says how much an association of a grade receives in a year. A `GrantRound`
allocates that year's grants to every eligible association in one set-based statement (`grants.py`),
is approved as a whole, then each `Grant` is disbursed (date, method, reference) and reported back on
(`GrantReport`: amount spent, narrative). A report is due `REPORT_DUE_DAYS` after disbursement; while an
association has an overdue report it is left out of allocations and no grant is disbursed to it.

Entrepreneurs. An `Entrepreneur` is a woman in business: her person record (and her registry entry when
she has one), her association, trainings completed, `Product`s. `MarketingCentre`s have `Stall`s; a
`StallAllocation` gives a stall to an entrepreneur for a period at a rent, never to two at once for
overlapping periods (the verb locks the stall); `StallPayment`s are what she paid; `SalesReport`s what she
sold per period.

Access (one rule per model, failing closed): programme staff of the organisation (`PROGRAMME_ROLES`) see
and change everything here; decisions (registration, grading, approving a grant round) are for
`APPROVING_ROLES` (action "decide").
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

from haven.benefits.models import APPROVING_ROLES, PROGRAMME_ROLES, Beneficiary
from haven.orgs.models import Area, Organisation, OrgScopedQuerySet, membership_of
from haven.people.models import Person
from haven.privacy.fields import EncryptedTextField

DECISION_DAYS = 30
"""A registration application is decided within 30 days of being received."""
REGISTRATION_YEARS = 1
"""A registration, and each renewal, runs for one year."""
REPORT_DUE_DAYS = 180
"""A utilisation report is due six months after the grant was disbursed."""
AMOUNT_DIGITS = 14
AMOUNT_PLACES = 2
ACTIONS = frozenset({"view", "change", "decide"})


def amount_field(label: Any, **extra: Any) -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(label, max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES, **extra)


class Grade(models.TextChoices):
    A = "A", pgettext_lazy("association grade", "A")
    B = "B", pgettext_lazy("association grade", "B")
    C = "C", pgettext_lazy("association grade", "C")


class AssociationScopedQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> Any:
        """Rows of the acting organisation: seen and changed by `PROGRAMME_ROLES`; "decide" only by
        `APPROVING_ROLES`; nothing for anyone else or any other action (fail closed)."""
        membership = membership_of(user)
        if membership is None or action not in ACTIONS:
            return self.none()
        allowed = APPROVING_ROLES if action == "decide" else PROGRAMME_ROLES
        if membership.role_enum not in allowed:
            return self.none()
        return self.in_active_org(user)


# --- associations --------------------------------------------------------------------------------------


class Association(models.Model):
    """A voluntary women's association. Its name and office address are public (it is a registered
    body); the people in it are not, and are kept apart (`OfficeBearer`)."""

    class Status(models.TextChoices):
        APPLIED = "APPLIED", pgettext_lazy("association status", "Applied")
        REGISTERED = "REGISTERED", pgettext_lazy("association status", "Registered")
        REFUSED = "REFUSED", pgettext_lazy("association status", "Refused")
        LAPSED = "LAPSED", pgettext_lazy("association status", "Lapsed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    office_address = models.CharField(_("office address"), max_length=500, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    member_count = models.PositiveIntegerField(_("number of members"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField(_("application received on"))
    decision_due_on = models.DateField(_("decision due by"))
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registration_number = models.CharField(_("registration number"), max_length=30, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    expires_on = models.DateField(_("registration valid until"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    created_at = models.DateTimeField()

    objects = AssociationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="association_unique_name"),
            models.UniqueConstraint(
                fields=["org", "registration_number"],
                condition=~Q(registration_number=""),
                name="association_unique_registration_number",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["APPLIED", "REFUSED"])
                | (~Q(registration_number="") & Q(expires_on__isnull=False)),
                name="association_registered_has_number",
            ),
        ]
        indexes = [models.Index(fields=["org", "status", "grade"], name="association_status_grade")]

    def __str__(self) -> str:
        return self.name


class RegistrationCounter(models.Model):
    """The last registration number given by an organisation in a year. Approving locks this row, so
    two associations approved at the same moment get two numbers, never the same one."""

    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="association_counter_once_per_year")
        ]

    def __str__(self) -> str:
        return f"registration counter {self.year}"


class AssociationRecordQuerySet(AssociationScopedQuerySet):
    """Rows that belong to an association follow the same rule (they are all in its organisation)."""


class AssociationTransition(models.Model):
    """One move of an association's status: who, when, from, to and why. Written only by the verbs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=Association.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Association.Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A refusal's reason may name people (an office-bearer, a member): encrypted.
    comment = EncryptedTextField(_("comment"), blank=True)

    objects = AssociationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} on {self.association_id}"


class AssociationDocument(models.Model):
    """A document of the application (constitution, member list, minutes): the bytes are encrypted
    (base64 inside an encrypted column), so a copy of the database shows nothing of them."""

    class Kind(models.TextChoices):
        CONSTITUTION = "CONSTITUTION", _("Constitution")
        MEMBER_LIST = "MEMBER_LIST", _("List of members")
        MINUTES = "MINUTES", _("Minutes of the founding meeting")
        OTHER = "OTHER", pgettext_lazy("kind of document", "Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    file_name = EncryptedTextField(_("file name"))
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    content = EncryptedTextField()
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AssociationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "uploaded_at"]

    def __str__(self) -> str:
        return f"document {self.pk}"


class FeePayment(models.Model):
    """A fee the association paid: for registration, or for a renewal."""

    class Purpose(models.TextChoices):
        REGISTRATION = "REGISTRATION", _("Registration")
        RENEWAL = "RENEWAL", _("Renewal")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="fees")
    purpose = models.CharField(_("for"), max_length=12, choices=Purpose.choices)
    amount = amount_field(_("amount"))
    receipt_number = models.CharField(_("receipt number"), max_length=40)
    paid_on = models.DateField(_("paid on"))
    recorded_at = models.DateTimeField()

    objects = AssociationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["paid_on"]
        constraints = [
            models.UniqueConstraint(fields=["org", "receipt_number"], name="association_fee_unique_receipt"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="association_fee_positive"),
        ]

    def __str__(self) -> str:
        return self.receipt_number


class Renewal(models.Model):
    """A registration renewed for a period, against a fee."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="renewals")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    fee = models.OneToOneField(FeePayment, on_delete=models.PROTECT, related_name="renewal")
    renewed_at = models.DateTimeField()
    renewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AssociationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["period_start"]
        constraints = [
            models.UniqueConstraint(fields=["association", "period_start"], name="renewal_once_per_period"),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")), name="renewal_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"renewal {self.period_start}–{self.period_end}"


class OfficeBearer(models.Model):
    """Someone holding an office in the association (president, secretary, treasurer, member of the
    executive committee). Name and phone are personal data: encrypted."""

    class Position(models.TextChoices):
        PRESIDENT = "PRESIDENT", _("President")
        SECRETARY = "SECRETARY", _("Secretary")
        TREASURER = "TREASURER", _("Treasurer")
        EXECUTIVE = "EXECUTIVE", _("Member of the executive committee")

    SINGLE_POSITIONS = ("PRESIDENT", "SECRETARY", "TREASURER")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="office_bearers")
    position = models.CharField(_("position"), max_length=10, choices=Position.choices)
    name = EncryptedTextField(_("name"))
    phone = EncryptedTextField(_("phone"), blank=True)
    since_on = models.DateField(_("in office since"))
    until_on = models.DateField(_("left office on"), null=True, blank=True)

    objects = AssociationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["position", "since_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "position"],
                condition=Q(until_on__isnull=True, position__in=["PRESIDENT", "SECRETARY", "TREASURER"]),
                name="office_bearer_one_holder_per_office",
            ),
            models.CheckConstraint(
                condition=Q(until_on__isnull=True) | Q(until_on__gte=models.F("since_on")),
                name="office_bearer_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"office-bearer {self.pk}"


class Grading(models.Model):
    """The grading committee's decision on one association on one day. `scores` holds a score per
    criterion of `grading.CRITERIA` (numbers only); the grade follows from the total."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="gradings")
    graded_on = models.DateField(_("graded on"))
    scores = models.JSONField(_("scores"))
    total = models.PositiveSmallIntegerField(_("total score"))
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AssociationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-graded_on", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["association", "graded_on"], name="grading_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"grading {self.grade} on {self.graded_on}"


class GradingMember(models.Model):
    """A committee member present at a grading: the institution and role are public, the name is not."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    grading = models.ForeignKey(Grading, on_delete=models.CASCADE, related_name="members")
    name = EncryptedTextField(_("name"))
    institution = models.CharField(_("institution"), max_length=200)
    role_title = models.CharField(_("role on the committee"), max_length=120)

    objects = AssociationRecordQuerySet.as_manager()

    def __str__(self) -> str:
        return f"grading member {self.pk}"


# --- grants --------------------------------------------------------------------------------------------


class GrantSchedule(models.Model):
    """How much an association of `grade` receives as its grant for `year`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    amount = amount_field(_("amount"))
    set_at = models.DateTimeField()

    objects = AssociationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "grade"], name="grant_schedule_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_schedule_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.grade}"


class GrantRound(models.Model):
    """One year's grants: allocated to the eligible associations at once, then approved as a whole."""

    class Status(models.TextChoices):
        OPEN = "OPEN", pgettext_lazy("grant round status", "Open")
        ALLOCATED = "ALLOCATED", pgettext_lazy("grant round status", "Allocated")
        APPROVED = "APPROVED", pgettext_lazy("grant round status", "Approved")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    grant_count = models.PositiveIntegerField(default=0)
    total_amount = amount_field(_("total"), default=Decimal("0"))
    created_at = models.DateTimeField()
    allocated_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AssociationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="grant_round_once_a_year")]

    def __str__(self) -> str:
        return self.name


class GrantRoundTransition(models.Model):
    """One move of a round's status: who and when. Written only by the verbs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(GrantRound, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=GrantRound.Status.choices)
    to_status = models.CharField(max_length=10, choices=GrantRound.Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AssociationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} on {self.round_id}"


class Grant(models.Model):
    """One association's grant in one round. Narrow and written set-based (`grants.allocate`), so it
    holds no encrypted column: the report back, which does, is a `GrantReport` of its own."""

    class Status(models.TextChoices):
        ALLOCATED = "ALLOCATED", pgettext_lazy("grant status", "Allocated")
        DISBURSED = "DISBURSED", pgettext_lazy("grant status", "Disbursed")
        REPORTED = "REPORTED", pgettext_lazy("grant status", "Reported on")

    class Method(models.TextChoices):
        BANK_TRANSFER = "BANK_TRANSFER", _("Bank transfer")
        CHEQUE = "CHEQUE", _("Cheque")
        MOBILE_WALLET = "MOBILE_WALLET", _("Mobile wallet")
        CASH = "CASH", _("Cash")

    id = models.BigAutoField(primary_key=True)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(GrantRound, on_delete=models.PROTECT, related_name="grants")
    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="grants")
    year = models.PositiveSmallIntegerField()
    grade = models.CharField(max_length=1, choices=Grade.choices)
    amount = amount_field(_("amount"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ALLOCATED)
    allocated_at = models.DateTimeField()
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=14, choices=Method.choices, blank=True)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    report_due_on = models.DateField(_("report due by"), null=True, blank=True)

    objects = AssociationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["association__name"]
        constraints = [
            models.UniqueConstraint(fields=["association", "year"], name="grant_once_a_year"),
            models.CheckConstraint(
                condition=Q(status="ALLOCATED") | (Q(disbursed_on__isnull=False) & ~Q(method="")),
                name="grant_disbursed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["org", "status", "report_due_on"], name="grant_report_due")]

    def __str__(self) -> str:
        return f"grant {self.pk}"


class GrantReport(models.Model):
    """The association's utilisation report: what it spent and what it did with the money."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    grant = models.OneToOneField(Grant, on_delete=models.PROTECT, related_name="report")
    amount_spent = amount_field(_("amount spent"))
    # It may name the women helped: encrypted.
    narrative = EncryptedTextField(_("what was done"))
    reported_on = models.DateField(_("report received on"))
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AssociationRecordQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount_spent__gte=0), name="grant_report_spent_not_negative")
        ]

    def __str__(self) -> str:
        return f"report on grant {self.grant_id}"


# --- entrepreneurs -------------------------------------------------------------------------------------


class Entrepreneur(models.Model):
    """A woman in business supported with marketing. She is a `Person` (name and phone encrypted there),
    and, when she is in the programme registry, that `Beneficiary` too."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entrepreneurs",
        verbose_name=_("association"),
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    # The name her stall and labels carry; public by her choice, so not encrypted.
    trading_name = models.CharField(_("trading name"), max_length=200)
    registered_on = models.DateField(_("registered on"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField()

    objects = AssociationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["trading_name"]
        constraints = [models.UniqueConstraint(fields=["org", "person"], name="entrepreneur_once_per_person")]

    def __str__(self) -> str:
        return self.trading_name


class TrainingCompleted(models.Model):
    """A training the entrepreneur completed (a trade course, business or marketing training)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    entrepreneur = models.ForeignKey(Entrepreneur, on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("given by"), max_length=200, blank=True)
    completed_on = models.DateField(_("completed on"))
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)

    objects = AssociationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on"]

    def __str__(self) -> str:
        return self.course


class Product(models.Model):
    class Category(models.TextChoices):
        HANDICRAFT = "HANDICRAFT", _("Handicrafts")
        TEXTILES = "TEXTILES", _("Textiles and weaving")
        CLOTHING = "CLOTHING", _("Clothing")
        JEWELLERY = "JEWELLERY", _("Jewellery")
        FOOD = "FOOD", _("Food")
        HOME = "HOME", _("Household goods")
        BEAUTY = "BEAUTY", _("Beauty products")
        OTHER = "OTHER", pgettext_lazy("product category", "Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    entrepreneur = models.ForeignKey(Entrepreneur, on_delete=models.CASCADE, related_name="products")
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.CharField(_("description"), max_length=300)
    price_min = amount_field(_("lowest price"))
    price_max = amount_field(_("highest price"))

    objects = AssociationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["category", "description"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_min__gt=0) & Q(price_max__gte=models.F("price_min")),
                name="product_price_range",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class MarketingCentre(models.Model):
    """A sales and exhibition centre (Joyeeta's centre, a district fair) where women rent stalls."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    address = models.CharField(_("address"), max_length=500, blank=True)
    created_at = models.DateTimeField()

    objects = AssociationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="marketing_centre_unique_name")]

    def __str__(self) -> str:
        return self.name


class Stall(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey(MarketingCentre, on_delete=models.PROTECT, related_name="stalls")
    number = models.CharField(_("stall number"), max_length=20)
    monthly_rent = amount_field(_("rent a month"))

    objects = AssociationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["centre", "number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="stall_unique_number"),
            models.CheckConstraint(condition=Q(monthly_rent__gte=0), name="stall_rent_not_negative"),
        ]

    def __str__(self) -> str:
        return self.number


class StallAllocation(models.Model):
    """A stall given to an entrepreneur from `starts_on` to `ends_on` (both included) for `rent`.
    Cancelled allocations keep their row; the stall is free again for their period."""

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", pgettext_lazy("stall allocation status", "Active")
        CANCELLED = "CANCELLED", pgettext_lazy("stall allocation status", "Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    stall = models.ForeignKey(Stall, on_delete=models.PROTECT, related_name="allocations")
    entrepreneur = models.ForeignKey(Entrepreneur, on_delete=models.PROTECT, related_name="allocations")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    rent = amount_field(_("rent for the period"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    allocated_at = models.DateTimeField()
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AssociationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="stall_allocation_period_ordered"
            ),
            models.CheckConstraint(condition=Q(rent__gte=0), name="stall_allocation_rent_not_negative"),
        ]
        indexes = [models.Index(fields=["stall", "status", "starts_on"], name="stall_allocation_by_stall")]

    def __str__(self) -> str:
        return f"stall {self.stall_id} {self.starts_on}–{self.ends_on}"


class StallPayment(models.Model):
    """Rent or fee paid on an allocation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    allocation = models.ForeignKey(StallAllocation, on_delete=models.PROTECT, related_name="payments")
    amount = amount_field(_("amount"))
    paid_on = models.DateField(_("paid on"))
    receipt_number = models.CharField(_("receipt number"), max_length=40)
    recorded_at = models.DateTimeField()

    objects = AssociationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["paid_on"]
        constraints = [
            models.UniqueConstraint(fields=["org", "receipt_number"], name="stall_payment_unique_receipt"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="stall_payment_positive"),
        ]

    def __str__(self) -> str:
        return self.receipt_number


class SalesReport(models.Model):
    """What an entrepreneur sold in one period (a month) at one centre: amount and items."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    entrepreneur = models.ForeignKey(Entrepreneur, on_delete=models.PROTECT, related_name="sales")
    centre = models.ForeignKey(MarketingCentre, on_delete=models.PROTECT, related_name="sales")
    period = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = amount_field(_("sales"))
    items_sold = models.PositiveIntegerField(_("items sold"))
    recorded_at = models.DateTimeField()

    objects = AssociationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["entrepreneur", "centre", "period"], name="sales_once_a_period"),
            models.CheckConstraint(condition=Q(period__day=1), name="sales_period_is_a_month"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="sales_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"sales {self.period:%Y-%m}"
