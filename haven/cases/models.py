"""Cases and their incidents (GBVIMS), with who works on them and how their status moved.

A case belongs to one survivor and one organisation. Its status only moves through the verbs in
`haven/cases/actions.py`, each of which records a `CaseTransition`. An incident stores its GBVIMS
classification as derived columns so that statistics never recompute it; `gbvims.py` is the only
place that decides them.
"""

from __future__ import annotations

import uuid
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.cases.catalogue import Sector, ServiceKind, sector_of
from haven.cases.gbvims import DelayBucket, ViolenceType
from haven.orgs.models import Area, Membership, Organisation, OrgScopedQuerySet, Site, membership_of
from haven.orgs.roles import Role
from haven.people.models import Person
from haven.privacy.fields import EncryptedTextField

CASE_ACTIONS = frozenset({"view", "change"})
"""The actions `visible_to` knows; any other action sees nothing (fail closed)."""


def manages_cases(role: Role) -> bool:
    """Centre and shelter managers supervise every case of their organisation.

    An org admin also manages sites but sees figures, not files, so working with survivors is required.
    """
    return role.manages_sites and role.works_with_survivors and not role.manages_org


class CaseQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> CaseQuerySet:
        """Cases of the acting organisation, for their active assigned workers and for case managers
        (`manages_cases`); nobody else, and nothing for an unknown action (fail closed).

        "view" and "change" have the same audience: whoever may read a file may work on it.
        """
        membership = membership_of(user)
        if membership is None or action not in CASE_ACTIONS:
            return self.none()
        role = membership.role_enum
        if not role.works_with_survivors:
            return self.none()
        scoped = self.filter(org_id=membership.org_id)
        if manages_cases(role):
            return scoped
        return scoped.filter(
            pk__in=CaseAssignment.objects.filter(membership=membership, ended_at__isnull=True).values(
                "case_id"
            )
        )


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "OPEN", _("Open")
        ACTIVE = "ACTIVE", _("Active")
        CLOSURE_REQUESTED = "CLOSURE_REQUESTED", _("Closure requested")
        CLOSED = "CLOSED", _("Closed")
        REOPENED = "REOPENED", _("Reopened")

    class ClosureReason(models.TextChoices):
        NEEDS_MET = "NEEDS_MET", _("Her needs have been met")
        SURVIVOR_WITHDREW = "SURVIVOR_WITHDREW", _("She chose to end the support")
        REFERRED_ON = "REFERRED_ON", _("Referred to another organisation")
        MOVED_AWAY = "MOVED_AWAY", _("She moved out of the area")
        LOST_CONTACT = "LOST_CONTACT", _("Contact was lost")
        DECEASED = "DECEASED", _("She died")
        OTHER = "OTHER", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Who asked for the pending closure: the manager who approves it must be someone else.
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_workers: models.ManyToManyField[Membership, CaseAssignment] = models.ManyToManyField(
        Membership, through="CaseAssignment", related_name="cases", blank=True
    )
    sites: models.ManyToManyField[Site, Any] = models.ManyToManyField(Site, related_name="cases", blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True) | models.Q(status="CLOSED"),
                name="case_closed_at_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class CaseAssignment(models.Model):
    """A staff member working on a case. Ending an assignment keeps the row as history."""

    class RoleInCase(models.TextChoices):
        LEAD = "LEAD", _("Lead worker")
        SUPPORT = "SUPPORT", _("Support")
        # Oversees the case and decides on its closure and plan, like a manager, for this case only.
        SUPERVISOR = "SUPERVISOR", _("Supervisor")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="case_assignments")
    role_in_case = models.CharField(_("role in the case"), max_length=10, choices=RoleInCase.choices)
    assigned_at = models.DateTimeField(_("assigned at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "membership"],
                condition=models.Q(ended_at__isnull=True),
                name="case_assignment_one_active_per_member",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(ended_at__isnull=True, role_in_case="LEAD"),
                name="case_assignment_one_active_lead",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("assigned_at")),
                name="case_assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role_in_case} on {self.case_id}"


class CaseTransition(models.Model):
    """One move of a case's status: who, when, from, to and why. Written only by the verbs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Case.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Case.Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason_code = models.CharField(max_length=40, blank=True)
    # Free text from a manager (e.g. why a closure was refused) may mention the survivor: encrypted.
    comment = EncryptedTextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} on {self.case_id}"


class CaseRecordQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> Self:
        """Records of the cases the user may see (same rule as `CaseQuerySet.visible_to`)."""
        return self.filter(case__in=Case.objects.visible_to(user, action))


class FollowUpQuerySet(CaseRecordQuerySet):
    def open(self) -> FollowUpQuerySet:
        return self.filter(done_at__isnull=True)


class FollowUp(models.Model):
    """Something to do for a case by a given day. Its title says what, never who: no names in it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    title = models.CharField(
        _("what to do"),
        max_length=200,
        help_text=_("Say what has to be done, for example “Call back about the court date”. No names."),
    )
    due_on = models.DateField(_("due on"))
    is_safety_critical = models.BooleanField(
        _("safety-critical"),
        default=False,
        help_text=_("Her safety depends on it: the case cannot be closed while it is open."),
    )
    # Empty means the case's lead worker, whoever that is when the follow-up is due.
    assigned_to = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("assigned to"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return f"follow-up {self.pk}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class Incident(models.Model):
    class TimeOfDay(models.TextChoices):
        MORNING = "MORNING", _("Morning (sunrise to noon)")
        AFTERNOON = "AFTERNOON", _("Afternoon (noon to sunset)")
        EVENING_NIGHT = "EVENING_NIGHT", _("Evening or night (sunset to sunrise)")
        UNKNOWN = "UNKNOWN", _("Not known")

    class PlaceType(models.TextChoices):
        HOME = "HOME", _("Her home or the perpetrator's")
        STREET = "STREET", _("Street or public place")
        TRANSPORT = "TRANSPORT", _("Public transport")
        WORKPLACE = "WORKPLACE", _("Workplace")
        SCHOOL = "SCHOOL", _("School")
        HEALTH_FACILITY = "HEALTH_FACILITY", _("Health facility")
        FIELD_OR_BUSH = "FIELD_OR_BUSH", _("Field, forest or bush")
        CAMP = "CAMP", _("Camp or settlement")
        ONLINE = "ONLINE", _("Online or by phone")
        OTHER = "OTHER", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="incidents")
    occurred_on = models.DateField(_("date of the incident"))
    time_of_day = models.CharField(
        _("time of day"), max_length=16, choices=TimeOfDay.choices, default=TimeOfDay.UNKNOWN
    )
    place_type = models.CharField(_("type of place"), max_length=16, choices=PlaceType.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    narrative = EncryptedTextField(_("what happened, in her words"), blank=True)
    reported_on = models.DateField(_("date reported"))
    # The yes/no answers of the GBVIMS classification tool; see gbvims.IncidentFacts for their meaning.
    penetration = models.BooleanField(_("non-consensual penetration"), default=False)
    sexual_contact_without_penetration = models.BooleanField(
        _("unwanted sexual contact without penetration"), default=False
    )
    physical_violence = models.BooleanField(_("physical violence"), default=False)
    forced_marriage = models.BooleanField(_("forced marriage"), default=False)
    denial_of_resources = models.BooleanField(
        _("denial of resources, opportunities or services"), default=False
    )
    psychological_abuse = models.BooleanField(_("psychological or emotional abuse"), default=False)
    was_gbv = models.BooleanField(_("the act was gender-based"), default=True)
    perpetrator_is_intimate_partner = models.BooleanField(
        _("the perpetrator is a current or former partner"), default=False
    )
    transactional = models.BooleanField(_("money, goods or help were exchanged for sex"), default=False)
    held_captive_or_owned = models.BooleanField(_("she was held captive or treated as owned"), default=False)
    harmful_traditional_practice = models.BooleanField(_("a harmful traditional practice"), default=False)
    survivor_age_at_incident = models.PositiveSmallIntegerField(
        _("her age at the time (years)"), null=True, blank=True
    )
    # Derived by record_incident from gbvims; stored so figures never re-derive them differently.
    violence_type = models.CharField(max_length=24, choices=ViolenceType.choices, editable=False)
    classification_rule = models.CharField(max_length=32, editable=False)
    contexts = models.JSONField(default=list, editable=False)
    delay_bucket = models.CharField(max_length=20, choices=DelayBucket.choices, editable=False)
    # Her sex and her alleged perpetrators' relationships as the incident record has them, as on the GBVIMS
    # incident recording form: kept here by the verbs so the statistics read incidents alone, with no join
    # to her record or to the perpetrators (docs/decisions.md, "GBVIMS statistics read incidents alone").
    survivor_sex = models.CharField(
        max_length=8, choices=Person.Sex.choices, default=Person.Sex.UNKNOWN, editable=False
    )
    perpetrator_relationships = models.JSONField(default=list, editable=False)
    consent_to_statistics = models.BooleanField(
        _("she agrees this incident is counted in statistics shared outside"), default=False
    )
    # GBVIMS counts an incident once across a network: one already reported by another GBVIMS
    # organisation is left out of this organisation's statistics.
    reported_elsewhere = models.BooleanField(
        _("already reported by another GBVIMS organisation"), default=False
    )
    recorded_at = models.DateTimeField()

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(occurred_on__lte=models.F("reported_on")),
                name="incident_occurred_before_report",
            ),
        ]
        indexes = [
            # The GBVIMS statistics read only the incidents they may count, by report date.
            models.Index(
                fields=["org", "reported_on"],
                condition=models.Q(consent_to_statistics=True, reported_elsewhere=False),
                name="incident_gbvims_counted",
            ),
        ]

    def __str__(self) -> str:
        return f"incident {self.pk}"


class AllegedPerpetrator(models.Model):
    """What is known about an alleged perpetrator of one incident. Never a name: it would locate her."""

    class Relationship(models.TextChoices):
        INTIMATE_PARTNER = "INTIMATE_PARTNER", _("Husband or intimate partner")
        FORMER_PARTNER = "FORMER_PARTNER", _("Former husband or partner")
        FAMILY = "FAMILY", _("Family member other than a partner")
        IN_LAW = "IN_LAW", _("In-law")
        EMPLOYER = "EMPLOYER", _("Employer or supervisor")
        TEACHER = "TEACHER", _("Teacher or school staff")
        NEIGHBOUR_OR_ACQUAINTANCE = "NEIGHBOUR_OR_ACQUAINTANCE", _("Neighbour, friend or acquaintance")
        AUTHORITY = "AUTHORITY", _("Police, armed group or other authority")
        SERVICE_PROVIDER = "SERVICE_PROVIDER", _("Service provider")
        STRANGER = "STRANGER", _("Stranger")
        UNKNOWN = "UNKNOWN", _("Not known")

    class Sex(models.TextChoices):
        MALE = "MALE", _("Male")
        FEMALE = "FEMALE", _("Female")
        OTHER = "OTHER", _("Other")
        UNKNOWN = "UNKNOWN", _("Not known")

    class AgeGroup(models.TextChoices):
        UNDER_18 = "UNDER_18", _("Under 18")
        AGE_18_25 = "AGE_18_25", _("18–25")
        AGE_26_40 = "AGE_26_40", _("26–40")
        AGE_41_60 = "AGE_41_60", _("41–60")
        OVER_60 = "OVER_60", _("Over 60")
        UNKNOWN = "UNKNOWN", _("Not known")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="alleged_perpetrators")
    relationship = models.CharField(
        _("relationship to her"), max_length=28, choices=Relationship.choices, default=Relationship.UNKNOWN
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    age_group = models.CharField(
        _("age group"), max_length=10, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN
    )
    lives_with_survivor = models.BooleanField(_("lives with her"), null=True, blank=True)
    has_weapon_access = models.BooleanField(_("has access to a weapon"), null=True, blank=True)
    prior_violence = models.BooleanField(_("has been violent before"), null=True, blank=True)

    def __str__(self) -> str:
        return f"alleged perpetrator in {self.incident_id}"


# --- Care: services, needs assessments, the case plan, appointments and notes -------------------------
# Written only by the verbs in haven/cases/care_actions.py; each kind of record is visible to whoever may
# see its case (`CaseQuerySet.visible_to`).


class CaseService(models.Model):
    """One service of the catalogue (catalogue.ServiceKind) and how she got it, with its dates."""

    class Status(models.TextChoices):
        PROVIDED = "PROVIDED", _("Provided by us")
        REFERRED = "REFERRED", _("Referred elsewhere")
        RECEIVED_ELSEWHERE = "RECEIVED_ELSEWHERE", _("Already received elsewhere")
        DECLINED = "DECLINED", _("She declined it")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("service"), max_length=32, choices=ServiceKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    provided_by = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provided by"),
    )
    details = EncryptedTextField(_("details"), blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="case_service_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(provided_by__isnull=True) | models.Q(status="PROVIDED"),
                name="case_service_provider_only_when_provided",
            ),
        ]

    def __str__(self) -> str:
        return f"service {self.kind} on {self.case_id}"

    @property
    def sector(self) -> Sector:
        return sector_of(self.kind)


class CaseServiceChange(models.Model):
    """A service's status as recorded, then as changed (e.g. referred → received elsewhere)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(CaseService, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=20, choices=CaseService.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseService.Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} on {self.service_id}"


class NeedLevel(models.TextChoices):
    NONE = "NONE", _("No need")
    SOME = "SOME", _("Some need")
    URGENT = "URGENT", _("Urgent need")


class GoalDomain(models.TextChoices):
    SAFETY = "SAFETY", _("Safety")
    HEALTH = "HEALTH", _("Health")
    PSYCHOSOCIAL = "PSYCHOSOCIAL", _("Psychosocial")
    JUSTICE = "JUSTICE", _("Justice")
    HOUSING = "HOUSING", _("Housing")
    INCOME = "INCOME", _("Income")
    CHILDREN = "CHILDREN", _("Children")


# The assessed domains (column name → label) and the plan goal that answers each: this is how the
# assessment "feeds the plan". Immigration status is a legal matter; addiction a health one.
NEED_DOMAINS: dict[str, Any] = {
    "safety": _("Safety"),
    "health": _("Health"),
    "psychosocial": _("Psychosocial"),
    "legal": _("Legal"),
    "housing": _("Housing"),
    "income": _("Income"),
    "children": _("Children"),
    "immigration": _("Immigration status"),
    "addiction": _("Addiction"),
    "homelessness": _("Homelessness"),
}
GOAL_FOR_NEED: dict[str, GoalDomain] = {
    "safety": GoalDomain.SAFETY,
    "health": GoalDomain.HEALTH,
    "psychosocial": GoalDomain.PSYCHOSOCIAL,
    "legal": GoalDomain.JUSTICE,
    "housing": GoalDomain.HOUSING,
    "income": GoalDomain.INCOME,
    "children": GoalDomain.CHILDREN,
    "immigration": GoalDomain.JUSTICE,
    "addiction": GoalDomain.HEALTH,
    "homelessness": GoalDomain.HOUSING,
}


def _need_field(domain: str) -> models.CharField[str, str]:
    return models.CharField(
        NEED_DOMAINS[domain], max_length=8, choices=NeedLevel.choices, default=NeedLevel.NONE
    )


class NeedsAssessment(models.Model):
    """Her needs by domain, assessed at intake and again on review. The latest one feeds the plan."""

    class Occasion(models.TextChoices):
        INTAKE = "INTAKE", _("Intake")
        REVIEW = "REVIEW", _("Review")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs_assessments")
    occasion = models.CharField(_("occasion"), max_length=8, choices=Occasion.choices)
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    safety = _need_field("safety")
    health = _need_field("health")
    psychosocial = _need_field("psychosocial")
    legal = _need_field("legal")
    housing = _need_field("housing")
    income = _need_field("income")
    children = _need_field("children")
    immigration = _need_field("immigration")
    addiction = _need_field("addiction")
    homelessness = _need_field("homelessness")
    other_harms = EncryptedTextField(_("other harms"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField()

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"needs assessment {self.pk}"

    def levels(self) -> list[tuple[str, str, str]]:
        """(domain, label, level) for every domain, in the order of NEED_DOMAINS."""
        return [(domain, str(label), getattr(self, domain)) for domain, label in NEED_DOMAINS.items()]

    def needs(self) -> dict[str, str]:
        """The domains with some or urgent need, and their level."""
        return {domain: level for domain, _label, level in self.levels() if level != NeedLevel.NONE}


class CasePlan(models.Model):
    """The case's one plan. With the organisation's approval setting on, it goes draft → submitted →
    approved or rejected (then back to work); without it, it is in effect from the start.
    Every move is a `CasePlanTransition`."""

    class Status(models.TextChoices):
        IN_EFFECT = "IN_EFFECT", _("In effect")
        DRAFT = "DRAFT", _("Draft")
        SUBMITTED = "SUBMITTED", _("Waiting for approval")
        APPROVED = "APPROVED", _("Approved")
        REJECTED = "REJECTED", _("Sent back")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="plan")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField()
    # Who submitted the pending plan: the manager who approves it must be someone else.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CaseRecordQuerySet.as_manager()

    def __str__(self) -> str:
        return f"plan of {self.case_id}"


class CasePlanTransition(models.Model):
    """One move of the plan's status: who, when, from, to, and the manager's comment (encrypted)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=CasePlan.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=CasePlan.Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = EncryptedTextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} on {self.plan_id}"


class Goal(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "NOT_STARTED", _("Not started")
        IN_PROGRESS = "IN_PROGRESS", _("In progress")
        ACHIEVED = "ACHIEVED", _("Achieved")
        DROPPED = "DROPPED", _("Dropped")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # The case is the plan's; kept here too so that access and lists need no join through the plan.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("domain"), max_length=16, choices=GoalDomain.choices)
    description = EncryptedTextField(_("goal"))
    target_on = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"goal {self.domain} on {self.case_id}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS)


class GoalProgress(models.Model):
    """Progress on a goal: a note (encrypted) and the goal's status after it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = EncryptedTextField(_("progress note"), blank=True)
    from_status = models.CharField(max_length=12, choices=Goal.Status.choices)
    to_status = models.CharField(_("status"), max_length=12, choices=Goal.Status.choices)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"progress on {self.goal_id}"


class Appointment(models.Model):
    """An individual meeting with her: planned (SCHEDULED) and then held, missed or cancelled."""

    class Mode(models.TextChoices):
        IN_PERSON = "IN_PERSON", _("In person")
        PHONE = "PHONE", _("By phone")
        ONLINE = "ONLINE", _("Online")

    class Status(models.TextChoices):
        SCHEDULED = "SCHEDULED", _("Scheduled")
        HELD = "HELD", _("Held")
        MISSED = "MISSED", _("Missed")
        CANCELLED = "CANCELLED", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appointments")
    worker = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("with")
    )
    starts_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("where")
    )
    language = models.CharField(_("language"), max_length=16, blank=True)
    interpreter_needed = models.BooleanField(_("an interpreter is needed"), default=False)
    interpreter_language = models.CharField(_("interpreter's language"), max_length=16, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    outcome = EncryptedTextField(_("what came of it"), blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When it was marked held, missed or cancelled (the timeline shows that moment).
    concluded_at = models.DateTimeField(null=True, blank=True)

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5, duration_minutes__lte=600),
                name="appointment_duration_sensible",
            ),
            models.CheckConstraint(
                condition=models.Q(site__isnull=True) | models.Q(mode="IN_PERSON"),
                name="appointment_site_only_in_person",
            ),
        ]

    def __str__(self) -> str:
        return f"appointment {self.pk}"


class CaseNote(models.Model):
    """A worker's note on the case, optionally about one appointment. The text is encrypted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField()
    text = EncryptedTextField(_("note"))
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notes",
        verbose_name=_("about the appointment"),
    )

    objects = CaseRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return f"note {self.pk}"
