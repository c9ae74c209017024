"""Social-protection programmes: the beneficiary registry, programmes and their rules, applications,
quotas, selection lists, enrolment, monthly cycles and the entitlements they generate.

The seed is Bangladesh's Department of Women Affairs: VWB (30 kg of rice a month for 24 months, chosen by
union and upazila committees) and the Mother & child benefit (Tk 800 a month for 36 months to the
mother's own mobile wallet). Their scale — 750,000 women, targets of 1.5 million — decides the shape:
rules compile to SQL (`rules.py`), a cycle's entitlements are one `INSERT … SELECT` (`cycles.py`), and an
`Entitlement` is a narrow row with a database uniqueness on cycle, enrolment and item, so a rerun adds
nothing.

A `Beneficiary` is a person's entry in the programme registry: the `Person` (name, NID, phone, birth date,
marital status — encrypted and blind-indexed by the people app) plus what targeting needs (union, land,
income, disability in the household). Programme staff reach people only through it: they never see
survivor files, and survivor workers never see the registry through it.

Access (one rule per model, failing closed): programme staff of the organisation (`PROGRAMME_ROLES`);
approving a list or a cycle is for programme officers (`APPROVING_ROLES`).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Area, Organisation, OrgScopedQuerySet, membership_of
from haven.orgs.roles import Role
from haven.people.models import Household, Person
from haven.privacy.fields import EncryptedTextField

PROGRAMME_ROLES = frozenset({Role.PROGRAMME_OFFICER, Role.COMPUTER_OPERATOR, Role.ORG_ADMIN})
"""Who works in the programmes: registers, applications, lists, cycles, distributions, payments."""

APPROVING_ROLES = frozenset({Role.PROGRAMME_OFFICER})
"""Who approves what commits public money or food: selection lists, cycles, payment batches."""


class ProgrammeScopedQuerySet(OrgScopedQuerySet):
    """Rows of the acting organisation, for programme staff; approving actions for approvers only."""

    def visible_to(self, user: Any, action: str = "view") -> Any:
        membership = membership_of(user)
        if membership is None:
            return self.none()
        allowed = APPROVING_ROLES if action == "approve" else PROGRAMME_ROLES
        if action not in {"view", "change", "approve"} or membership.role_enum not in allowed:
            return self.none()
        return self.in_active_org(user)


class Beneficiary(models.Model):
    """A person's entry in the social-protection registry, with what targeting rules read."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="beneficiary")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="beneficiaries"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="beneficiaries")
    registry_number = models.CharField(_("registry number"), max_length=40, blank=True)
    mobile_is_own = models.BooleanField(_("the mobile number is her own"), default=False)
    land_decimals = models.DecimalField(
        _("land owned (decimals)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    monthly_income = models.PositiveIntegerField(_("household income a month"), null=True, blank=True)
    household_has_disabled_member = models.BooleanField(
        _("a household member has a disability"), default=False
    )
    expected_delivery_on = models.DateField(_("expected delivery date"), null=True, blank=True)
    wallet_provider = models.CharField(_("mobile wallet"), max_length=20, blank=True)
    wallet_number = EncryptedTextField(_("mobile wallet number"), blank=True)
    registered_at = models.DateTimeField(_("registered at"))

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["org", "area"], name="beneficiary_org_area")]

    def __str__(self) -> str:
        return self.registry_number or str(self.pk)


class Programme(models.Model):
    class BenefitKind(models.TextChoices):
        IN_KIND = "IN_KIND", _("In kind")
        CASH = "CASH", _("Cash")
        LOAN = "LOAN", _("Loan")
        TRAINING = "TRAINING", _("Training")

    class TargetLevel(models.TextChoices):
        PERSON = "PERSON", _("Person")
        HOUSEHOLD = "HOUSEHOLD", _("Household")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("short name"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    benefit_kind = models.CharField(_("benefit"), max_length=10, choices=BenefitKind.choices)
    target_level = models.CharField(_("given to"), max_length=10, choices=TargetLevel.choices)
    duration_months = models.PositiveSmallIntegerField(_("duration in months"))
    # What one enrolment receives each cycle: 30 kg of rice, or 800 taka.
    item = models.CharField(_("item"), max_length=40, help_text=_("e.g. rice, or the currency code BDT."))
    quantity_per_cycle = models.DecimalField(_("quantity each month"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=12, help_text=_("e.g. kg, or BDT."))
    # Applications accepted only on these days of the month (1 to 20 for the Mother & child benefit).
    applications_open_day = models.PositiveSmallIntegerField(
        _("applications open on day"), null=True, blank=True
    )
    applications_close_day = models.PositiveSmallIntegerField(
        _("applications close on day"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField()

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="programme_unique_code")]

    def __str__(self) -> str:
        return self.name


class RuleSet(models.Model):
    """One version of a programme's rules: eligibility, priority score and exclusions, as data.

    The expressions are JSON trees (see `rules.py`) compiled to SQL; a version is never changed once
    used — a change is a new version, and each application records the version that judged it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rule_sets")
    version = models.PositiveIntegerField()
    eligibility = models.JSONField(default=list)
    priority = models.JSONField(default=list)
    exclusions = models.JSONField(default=list)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "version"], name="ruleset_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} v{self.version}"


class Quota(models.Model):
    """How many may be selected in an area for a period (a union's places in a VWB cycle or a month)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="quotas")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    places = models.PositiveIntegerField(_("places"))

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "area", "period_start"], name="quota_unique_period"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="quota_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.area_id} {self.period_start}"


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "SUBMITTED", _("Submitted")
        INELIGIBLE = "INELIGIBLE", _("Not eligible")
        ELIGIBLE = "ELIGIBLE", _("Eligible")
        SELECTED = "SELECTED", _("Selected")
        NOT_SELECTED = "NOT_SELECTED", _("Not selected")
        WITHDRAWN = "WITHDRAWN", _("Withdrawn")

    class Channel(models.TextChoices):
        SELF = "SELF", _("By herself")
        OFFICER = "OFFICER", _("By an officer on her behalf")
        API = "API", _("Through another system")

    OPEN_STATUSES = (Status.SUBMITTED, Status.ELIGIBLE)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="applications")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.SUBMITTED)
    channel = models.CharField(_("made"), max_length=8, choices=Channel.choices)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Each rule's verdict, e.g. [{"rule": "age", "passed": false, "because": "age 52 > 50"}]: field names
    # and numbers, never a name or an ID number.
    explanation = models.JSONField(default=list, blank=True)
    priority_score = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "beneficiary"],
                condition=Q(status__in=["SUBMITTED", "ELIGIBLE"]),
                name="application_one_open_per_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.beneficiary_id} {self.status}"


class Enrolment(models.Model):
    """A beneficiary in a programme: the card, the months she is due, and how it ended."""

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", _("Active")
        EXITED = "EXITED", _("Exited")

    class ExitReason(models.TextChoices):
        COMPLETED = "COMPLETED", _("Reached the end of the programme")
        DIED = "DIED", _("Died")
        FRAUD = "FRAUD", _("Fraud")
        MOVED = "MOVED", _("Moved away")
        WITHDREW = "WITHDREW", _("Withdrew")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments")
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="enrolments")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolment"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    card_number = models.CharField(_("card number"), max_length=30)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    starts_on = models.DateField(_("first month"))
    ends_on = models.DateField(_("last month"))
    exited_on = models.DateField(_("exited on"), null=True, blank=True)
    exit_reason = models.CharField(_("why it ended"), max_length=10, choices=ExitReason.choices, blank=True)
    enrolled_at = models.DateTimeField()

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["card_number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "card_number"], name="enrolment_unique_card"),
            models.UniqueConstraint(
                fields=["programme", "beneficiary"],
                condition=Q(status="ACTIVE"),
                name="enrolment_one_active_per_programme",
            ),
        ]
        # With the id last, a cycle's generation walks one programme's active enrolments in id order
        # (keyset batches) straight from the index.
        indexes = [models.Index(fields=["programme", "status", "id"], name="enrolment_programme_status")]

    def __str__(self) -> str:
        return self.card_number

    @staticmethod
    def ended_before(month: Any, *, through: str = "") -> Q:
        """Enrolments that ended before `month` (a date, or an expression such as `F("cycle__month")`),
        reached `through` a relation ("enrolment__") or directly.

        The one rule of what an exit stops: she keeps what she was due up to the month she exited in,
        and from the next month on she is due nothing (see `actions.exit_enrolment`). An exit without a
        date (none of Haven's verbs writes one) stops nothing.
        """
        return Q(
            **{
                f"{through}status": Enrolment.Status.EXITED,
                f"{through}exited_on__isnull": False,
                f"{through}exited_on__lt": month,
            }
        )


class EnrolmentTransition(models.Model):
    """One change of an enrolment's status (enrolled, exited): who, when, from, to and why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=8, choices=Enrolment.Status.choices, blank=True)
    to_status = models.CharField(max_length=8, choices=Enrolment.Status.choices)
    reason_code = models.CharField(max_length=10, choices=Enrolment.ExitReason.choices, blank=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} on {self.enrolment_id}"


class Cycle(models.Model):
    """One month of a programme: its entitlements are generated at once and approved as a whole."""

    class Status(models.TextChoices):
        OPEN = "OPEN", _("Open")
        GENERATED = "GENERATED", _("Entitlements generated")
        APPROVED = "APPROVED", _("Approved")
        CLOSED = "CLOSED", _("Closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cycles")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    entitlement_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Progress of the generation (see cycles.py). Each batch commits its entitlements together with the
    # cursor (the last enrolment id it covered), so an interrupted run resumes after the last committed
    # batch; the cursor is cleared when a run finishes, and the next run starts from the beginning.
    generation_total = models.PositiveIntegerField(default=0)
    generation_done = models.PositiveIntegerField(default=0)
    generation_cursor = models.UUIDField(null=True, blank=True)
    generation_started_at = models.DateTimeField(null=True, blank=True)
    generation_finished_at = models.DateTimeField(null=True, blank=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "month"], name="cycle_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="cycle_month_starts_on_first"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.month:%Y-%m}"

    @property
    def is_generating(self) -> bool:
        """A generation run was started and has not finished (it may be running, or interrupted)."""
        started, finished = self.generation_started_at, self.generation_finished_at
        return started is not None and (finished is None or finished < started)


class CycleTransition(models.Model):
    """One change of a cycle's status: who, when, from, to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=Cycle.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Cycle.Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} on {self.cycle_id}"


class Entitlement(models.Model):
    """What one enrolment is due in one cycle. Narrow on purpose: there are millions of them."""

    class Status(models.TextChoices):
        DUE = "DUE", _("Due")
        ISSUED = "ISSUED", _("Issued")
        PAID = "PAID", _("Paid")
        UNCOLLECTED = "UNCOLLECTED", _("Not collected")
        CANCELLED = "CANCELLED", _("Cancelled")

    id = models.BigAutoField(primary_key=True)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="entitlements")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="entitlements")
    item = models.CharField(max_length=40)
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DUE)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "enrolment", "item"], name="entitlement_unique_per_cycle"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.enrolment_id} {self.item}"

    @staticmethod
    def stopped_by_exit() -> Q:
        """DUE entitlements of a month after her enrolment ended (`Enrolment.ended_before`).

        Exiting cancels the entitlements of cycles not approved yet but leaves those of approved cycles
        DUE; these are the ones. They are never paid nor issued, reserve no stock, and are reported as
        stopped by her exit rather than as owed. Every reader of what is still owed goes through this.
        """
        return Q(status=Entitlement.Status.DUE) & Enrolment.ended_before(
            F("cycle__month"), through="enrolment__"
        )
