"""Legal aid: matters in a case, the advocates panel, consultations, hearings and the lawyers' calendar feeds.

A `Matter` is one legal proceeding or piece of legal work in a survivor's case (a protection order, a
divorce, a maintenance claim...). Its `reference` (e.g. ``L-2026-0007``) identifies it without naming
anyone: it is what calendars and lists show. Its status moves only through the verbs in
`haven/legal/actions.py`, each of which records a `MatterTransition`. The opposing party is kept to the
minimum a lawyer needs: an encrypted name and how he (or she) is related to the survivor.

An `Advocate` is a member of the organisation's panel: an in-house lawyer (a `Membership`) or an external
advocate, e.g. one empanelled by a legal services authority. The panel knows their languages, their areas
of practice and how many active matters they may carry; assignment refuses one who is not taking new
matters or is full.

Access rules (one per model, failing closed):
- matters, and the hearings and consultations under them: roles that work with survivors, of the
  matter's organisation, who may see the matter's case (`CaseQuerySet.visible_to`), plus the in-house
  lawyer assigned to the matter. Changing a matter's course (status, hearings, outcome) is for lawyers
  among them; assigning an advocate is also for centre managers;
- the advocates panel: every member of the organisation who works with survivors, and organisation
  admins, see it (names and workload, no client data); organisation admins and centre managers change it;
  an advocate's calendar (references and courts, no names) is for them and for the lawyer herself;
- calendar feeds: the lawyer whose calendar it is, and those who manage the panel.
"""

from __future__ import annotations

import uuid
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.cases.models import Case, CaseService
from haven.orgs.models import Membership, Organisation, OrgScopedQuerySet, membership_of
from haven.orgs.roles import Role
from haven.privacy.fields import EncryptedTextField

MATTER_ACTIONS = frozenset({"view", "change", "assign"})
"""What `Matter.objects.visible_to` knows; any other action sees nothing (fail closed)."""

# Who may carry each action on a matter they can see.
_ACTION_ROLES: dict[str, frozenset[Role]] = {
    "view": Role.working_with_survivors(),
    "change": frozenset({Role.LAWYER}),
    "assign": frozenset({Role.LAWYER, Role.CENTRE_MANAGER}),
}
# Who may open a matter on a case they may change.
OPENING_ROLES = frozenset({Role.LAWYER, Role.CASEWORKER, Role.CENTRE_MANAGER})
# Who keeps the advocates panel.
PANEL_ROLES = frozenset({Role.ORG_ADMIN, Role.CENTRE_MANAGER})


def manages_panel(user: Any) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role_enum in PANEL_ROLES


class MatterKind(models.TextChoices):
    PROTECTION_ORDER = "PROTECTION_ORDER", _("Protection order")
    CRIMINAL_COMPLAINT = "CRIMINAL_COMPLAINT", _("Criminal complaint")
    DIVORCE = "DIVORCE", _("Divorce")
    CUSTODY = "CUSTODY", _("Custody of the children")
    MAINTENANCE = "MAINTENANCE", _("Maintenance")
    DOWRY = "DOWRY", _("Dowry")
    PROPERTY = "PROPERTY", _("Property")
    IMMIGRATION_STATUS = "IMMIGRATION_STATUS", _("Immigration status")
    HOUSING = "HOUSING", _("Housing")
    SOCIAL_INSURANCE = "SOCIAL_INSURANCE", _("Social insurance")
    OTHER = "OTHER", pgettext_lazy("kind of legal matter", "Other")


class AdvocateQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> Self:
        """The panel carries no client data: members who work with survivors and panel keepers see it;
        panel keepers (organisation admins, centre managers) change it. An advocate's "calendar" is for
        panel keepers and for the in-house lawyer herself. Nobody else (fail closed)."""
        membership = membership_of(user)
        if membership is None:
            return self.none()
        role = membership.role_enum
        scoped = self.filter(org_id=membership.org_id)
        if action == "change":
            return scoped if role in PANEL_ROLES else self.none()
        if action == "calendar":
            return scoped if role in PANEL_ROLES else scoped.filter(membership=membership)
        if action == "view" and (role.works_with_survivors or role in PANEL_ROLES):
            return scoped
        return self.none()


class Advocate(models.Model):
    """A lawyer on the organisation's panel: one of its staff, or an external advocate."""

    class Kind(models.TextChoices):
        IN_HOUSE = "IN_HOUSE", _("In-house lawyer")
        EXTERNAL = "EXTERNAL", _("External advocate")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advocacies",
        verbose_name=_("staff member"),
    )
    # A professional's name, not a client's: kept in clear so the panel can be listed and sorted.
    name = models.CharField(_("name"), max_length=200, blank=True)
    registration_number = models.CharField(_("bar or registration number"), max_length=60, blank=True)
    empanelled_by = models.CharField(
        _("empanelled by"),
        max_length=200,
        blank=True,
        help_text=_("For example “District Legal Services Authority”."),
    )
    contact = models.CharField(_("work phone or e-mail"), max_length=200, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    areas = models.JSONField(_("areas of practice"), default=list, blank=True)
    accepting_new = models.BooleanField(_("taking new matters"), default=True)
    max_active_matters = models.PositiveSmallIntegerField(_("most active matters at a time"), default=15)
    is_active = models.BooleanField(_("on the panel"), default=True)
    created_at = models.DateTimeField()

    objects = AdvocateQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="IN_HOUSE", membership__isnull=False)
                | (Q(kind="EXTERNAL", membership__isnull=True) & ~Q(name="")),
                name="legal_advocate_in_house_or_named",
            ),
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(membership__isnull=False),
                name="legal_advocate_one_per_membership",
            ),
            models.CheckConstraint(
                condition=Q(max_active_matters__gte=1), name="legal_advocate_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"advocate {self.pk}"

    @property
    def area_labels(self) -> list[str]:
        return [str(MatterKind(kind).label) for kind in self.areas if kind in MatterKind.values]


class MatterQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> Self:
        """Matters of cases the user may see, plus those where she is the in-house lawyer assigned, for
        roles that work with survivors; "change" only for lawyers, "assign" for lawyers and centre
        managers; nothing for an unknown action (fail closed)."""
        membership = membership_of(user)
        if membership is None or action not in MATTER_ACTIONS:
            return self.none()
        role = membership.role_enum
        if not role.works_with_survivors or role not in _ACTION_ROLES[action]:
            return self.none()
        case_view = "change" if action != "view" else "view"
        mine = Q(case__in=Case.objects.visible_to(user, case_view)) | Q(advocate__membership=membership)
        return self.filter(Q(org_id=membership.org_id) & mine)

    def active(self) -> Self:
        return self.exclude(status=Matter.Status.CLOSED)


class Matter(models.Model):
    """One legal matter in a survivor's case."""

    Kind = MatterKind

    class Status(models.TextChoices):
        OPEN = "OPEN", pgettext_lazy("legal matter status", "Open, in preparation")
        FILED = "FILED", pgettext_lazy("legal matter status", "Filed")
        IN_COURT = "IN_COURT", pgettext_lazy("legal matter status", "Before the court")
        CLOSED = "CLOSED", pgettext_lazy("legal matter status", "Closed")

    class Relationship(models.TextChoices):
        HUSBAND = "HUSBAND", _("Husband")
        FORMER_HUSBAND = "FORMER_HUSBAND", _("Former husband")
        PARTNER = "PARTNER", _("Partner")
        FORMER_PARTNER = "FORMER_PARTNER", _("Former partner")
        IN_LAW = "IN_LAW", _("In-law")
        FAMILY = "FAMILY", _("Other family member")
        EMPLOYER = "EMPLOYER", _("Employer")
        LANDLORD = "LANDLORD", _("Landlord")
        AUTHORITY = "AUTHORITY", _("Public authority or agency")
        OTHER = "OTHER", pgettext_lazy("relationship to her", "Other")

    class Outcome(models.TextChoices):
        GRANTED = "GRANTED", pgettext_lazy("outcome of a legal matter", "Granted")
        PARTLY_GRANTED = "PARTLY_GRANTED", pgettext_lazy("outcome of a legal matter", "Partly granted")
        REFUSED = "REFUSED", pgettext_lazy("outcome of a legal matter", "Refused")
        SETTLED = "SETTLED", pgettext_lazy("outcome of a legal matter", "Settled")
        WITHDRAWN = "WITHDRAWN", pgettext_lazy("outcome of a legal matter", "Withdrawn by her")
        DISMISSED = "DISMISSED", pgettext_lazy("outcome of a legal matter", "Dismissed")
        CONVICTION = "CONVICTION", pgettext_lazy("outcome of a legal matter", "Conviction")
        ACQUITTAL = "ACQUITTAL", pgettext_lazy("outcome of a legal matter", "Acquittal")
        REFERRED = "REFERRED", pgettext_lazy("outcome of a legal matter", "Referred to another lawyer")
        ADVICE_ONLY = (
            "ADVICE_ONLY",
            pgettext_lazy("outcome of a legal matter", "Advice given, no proceedings"),
        )
        OTHER = "OTHER", pgettext_lazy("outcome of a legal matter", "Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_matters")
    kind = models.CharField(_("kind of matter"), max_length=20, choices=MatterKind.choices)
    reference = models.CharField(_("reference"), max_length=20, editable=False)
    court = models.CharField(
        _("court or jurisdiction"),
        max_length=200,
        blank=True,
        help_text=_("For example “Family Court, Dhaka”. It appears in calendars: no names."),
    )
    court_number = models.CharField(_("court's file number"), max_length=60, blank=True)
    opposing_party_name = EncryptedTextField(_("opposing party's name"), blank=True)
    opposing_party_relationship = models.CharField(
        _("opposing party is her"), max_length=16, choices=Relationship.choices, blank=True
    )
    advocate = models.ForeignKey(
        Advocate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matters",
        verbose_name=_("lawyer or advocate"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_notes = EncryptedTextField(_("notes on the outcome"), blank=True)
    # What she seeks and the lawyer's working notes can name people: encrypted.
    notes = EncryptedTextField(_("what she seeks, notes"), blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    objects = MatterQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["org", "reference"], name="legal_matter_unique_reference"),
            models.CheckConstraint(
                condition=(Q(status="CLOSED", closed_on__isnull=False) & ~Q(outcome=""))
                | (~Q(status="CLOSED") & Q(closed_on__isnull=True, outcome="")),
                name="legal_matter_outcome_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="legal_matter_closes_after_opening",
            ),
        ]
        indexes = [models.Index(fields=["org", "status"], name="legal_matter_status")]

    def __str__(self) -> str:
        return self.reference or f"matter {self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class MatterTransition(models.Model):
    """One move of a matter's status: who, when, from, to and why. Written only by the verbs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=Matter.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Matter.Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason_code = models.CharField(max_length=40, blank=True)
    comment = EncryptedTextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} on {self.matter_id}"


class MatterRecordQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> Self:
        """Rows under a matter follow the matter (`MatterQuerySet.visible_to`)."""
        return self.filter(matter__in=Matter.objects.visible_to(user, action))


class Hearing(models.Model):
    """One sitting of the court in a matter, its result and, when the court set one, the next date."""

    class Purpose(models.TextChoices):
        FIRST_HEARING = "FIRST_HEARING", _("First hearing")
        INTERIM_ORDER = "INTERIM_ORDER", _("Interim order")
        EVIDENCE = "EVIDENCE", _("Evidence")
        ARGUMENTS = "ARGUMENTS", _("Arguments")
        MEDIATION = "MEDIATION", _("Mediation or conciliation")
        JUDGMENT = "JUDGMENT", _("Judgment")
        MENTION = "MENTION", _("Mention or adjourned date")
        OTHER = "OTHER", pgettext_lazy("purpose of a hearing", "Other")

    class Result(models.TextChoices):
        ADJOURNED = "ADJOURNED", pgettext_lazy("result of a hearing", "Adjourned")
        INTERIM_ORDER = "INTERIM_ORDER", pgettext_lazy("result of a hearing", "Interim order made")
        ORDER_GRANTED = "ORDER_GRANTED", pgettext_lazy("result of a hearing", "Order granted")
        ORDER_REFUSED = "ORDER_REFUSED", pgettext_lazy("result of a hearing", "Order refused")
        EVIDENCE_HEARD = "EVIDENCE_HEARD", pgettext_lazy("result of a hearing", "Evidence heard")
        SETTLED = "SETTLED", pgettext_lazy("result of a hearing", "Settled")
        DISMISSED = "DISMISSED", pgettext_lazy("result of a hearing", "Dismissed")
        NOT_HELD = "NOT_HELD", pgettext_lazy("result of a hearing", "Did not take place")
        OTHER = "OTHER", pgettext_lazy("result of a hearing", "Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="hearings")
    starts_at = models.DateTimeField(_("date and time"))
    court = models.CharField(_("court"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, blank=True)
    result_note = EncryptedTextField(_("notes on the result"), blank=True)
    result_recorded_at = models.DateTimeField(null=True, blank=True)
    result_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    next_hearing = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="previous_hearing"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = MatterRecordQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result="", result_recorded_at__isnull=True)
                | (~Q(result="") & Q(result_recorded_at__isnull=False)),
                name="legal_hearing_result_recorded",
            ),
        ]
        indexes = [models.Index(fields=["org", "starts_at"], name="legal_hearing_when")]

    def __str__(self) -> str:
        return f"hearing {self.pk}"

    @property
    def has_result(self) -> bool:
        return bool(self.result)


class ConsultationQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> Self:
        """Consultations follow their case like its matters: whoever may see the case, plus the in-house
        lawyer who gave the consultation; "change" only for lawyers."""
        membership = membership_of(user)
        if membership is None or action not in ("view", "change"):
            return self.none()
        role = membership.role_enum
        if not role.works_with_survivors or role not in _ACTION_ROLES[action]:
            return self.none()
        mine = Q(case__in=Case.objects.visible_to(user, "view")) | Q(advocate__membership=membership)
        return self.filter(Q(org_id=membership.org_id) & mine)


class Consultation(models.Model):
    """A legal consultation with her, logged as a service in her case."""

    class Modality(models.TextChoices):
        IN_PERSON = "IN_PERSON", _("In person")
        PHONE = "PHONE", _("By phone")
        VIDEO = "VIDEO", _("By video call")
        AT_COURT = "AT_COURT", _("At the court")
        LEGAL_CLINIC = "LEGAL_CLINIC", _("At a legal aid clinic")

    class Status(models.TextChoices):
        SCHEDULED = "SCHEDULED", pgettext_lazy("consultation status", "Scheduled")
        HELD = "HELD", pgettext_lazy("consultation status", "Held")
        MISSED = "MISSED", pgettext_lazy("consultation status", "She did not come")
        CANCELLED = "CANCELLED", pgettext_lazy("consultation status", "Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_consultations")
    matter = models.ForeignKey(
        Matter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("matter"),
    )
    advocate = models.ForeignKey(
        Advocate, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("lawyer")
    )
    held_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), null=True, blank=True)
    modality = models.CharField(_("how"), max_length=12, choices=Modality.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.HELD)
    notes = EncryptedTextField(_("notes"), blank=True)
    service = models.OneToOneField(
        CaseService, on_delete=models.PROTECT, null=True, blank=True, related_name="legal_consultation"
    )
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at"]
        constraints = [
            # A consultation that took place is a service in her case; no other is.
            models.CheckConstraint(
                condition=Q(status="HELD", service__isnull=False)
                | (~Q(status="HELD") & Q(service__isnull=True)),
                name="legal_consultation_service_when_held",
            ),
        ]
        indexes = [models.Index(fields=["advocate", "held_at"], name="legal_consultation_when")]

    def __str__(self) -> str:
        return f"consultation {self.pk}"


class CalendarFeedQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> Self:
        """A lawyer's own feeds; panel keepers manage the feeds of every advocate of the organisation."""
        membership = membership_of(user)
        if membership is None or action not in ("view", "change"):
            return self.none()
        scoped = self.filter(org_id=membership.org_id)
        if membership.role_enum in PANEL_ROLES:
            return scoped
        return scoped.filter(advocate__membership=membership)


class CalendarFeed(models.Model):
    """A secret address at which a calendar application reads one advocate's hearings and consultations.

    Only a hash of the token is stored; the address is shown once, when it is made. Revoking it ends it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    advocate = models.ForeignKey(Advocate, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["advocate"], condition=Q(revoked_at__isnull=True), name="legal_feed_one_live"
            ),
        ]

    def __str__(self) -> str:
        return f"calendar feed {self.pk}"
