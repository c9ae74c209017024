"""Cases and their incidents (GBVIMS), with who works on them and how their status moved.

A case belongs to one survivor and one organisation. Its status only moves through the verbs in
`haven/cases/actions.py`, each of which records a `CaseTransition`. An incident stores its GBVIMS
classification as derived columns so that statistics never recompute it; `gbvims.py` is the only
place that decides them.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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


class FollowUpQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> FollowUpQuerySet:
        """Follow-ups of the cases the user may see (same rule as `CaseQuerySet.visible_to`)."""
        return self.filter(case__in=Case.objects.visible_to(user, action))

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


class IncidentQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> IncidentQuerySet:
        """Incidents of the cases the user may see (same rule as `CaseQuerySet.visible_to`)."""
        return self.filter(case__in=Case.objects.visible_to(user, action))


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
    consent_to_statistics = models.BooleanField(
        _("she agrees this incident is counted in statistics shared outside"), default=False
    )
    recorded_at = models.DateTimeField()

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(occurred_on__lte=models.F("reported_on")),
                name="incident_occurred_before_report",
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
