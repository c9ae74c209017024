"""Coordination committees: Bangladesh's committees for the prevention of violence against women and
children (district, upazila and union level), a multi-agency risk assessment conference (MARAC), or any
other standing meeting of agencies. A `Committee` has `CommitteeMember`s (by institution and role, the
person's name encrypted), holds `Meeting`s (agenda, encrypted minutes, planned → held or cancelled), at
which cases are tabled (`TabledCase`, shown by survivor code) and `Decision`s and `Action`s (an owner who
sits on the committee, a due date, open → done or dropped) are recorded.

Who sees and does what is stated in `haven/committees/access.py`; each model's `visible_to` applies it
and fails closed. Statuses move only through the verbs in `actions.py`, which record transition rows.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.cases.models import Case
from haven.committees.access import RUNNERS, SURVIVOR_WORK, VIEWERS
from haven.directory.models import Provider
from haven.orgs.models import Area, Membership, Organisation, OrgScopedQuerySet, membership_of
from haven.privacy.fields import EncryptedTextField

ACTIONS = frozenset({"view", "change"})


def _allowed(user: Any, action: str) -> Membership | None:
    """The acting membership when its role may do `action` on committees; None otherwise."""
    membership = membership_of(user)
    if membership is None or action not in ACTIONS:
        return None
    roles = VIEWERS if action == "view" else RUNNERS
    return membership if membership.role_enum in roles else None


def works_with_survivors(user: Any) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role_enum in SURVIVOR_WORK


class CommitteeQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> CommitteeQuerySet:
        """The organisation's committees: read by `VIEWERS`, changed by `RUNNERS`; nothing else."""
        membership = _allowed(user, action)
        if membership is None:
            return self.none()
        return self.filter(org_id=membership.org_id)


class Committee(models.Model):
    class Kind(models.TextChoices):
        DISTRICT_PREVENTION = "DISTRICT_PREVENTION", _("Prevention committee, district level")
        UPAZILA_PREVENTION = "UPAZILA_PREVENTION", _("Prevention committee, upazila level")
        UNION_PREVENTION = "UNION_PREVENTION", _("Prevention committee, union level")
        MARAC = "MARAC", _("Multi-agency risk assessment conference (MARAC)")
        OTHER = "OTHER", _("Other coordination committee")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("area")
    )
    # A release names its recipient as a directory entry; the committee's entry is how a woman's consent
    # to share her identity with this committee is recorded (see `identity_releases`).
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("directory entry"),
    )
    chair = models.ForeignKey(
        "CommitteeMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField()

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="committee_unique_name_in_org"),
        ]

    def __str__(self) -> str:
        return self.name


class CommitteeRecordQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> Self:
        """Records of the committees the user may see (or change): the committee rule."""
        return self.filter(committee__in=Committee.objects.visible_to(user, action))


class CommitteeMember(models.Model):
    """A seat on the committee: an institution, the role it holds there, and who sits in it."""

    class InstitutionType(models.TextChoices):
        POLICE = "POLICE", _("Police")
        HEALTH = "HEALTH", _("Health")
        SOCIAL_SERVICES = "SOCIAL_SERVICES", _("Social services")
        LEGAL_AID = "LEGAL_AID", _("Legal aid")
        LOCAL_GOVERNMENT = "LOCAL_GOVERNMENT", _("Local government")
        NGO = "NGO", _("Non-governmental organisation")
        EDUCATION = "EDUCATION", _("Education")
        OTHER = "OTHER", pgettext_lazy("kind of institution", "Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    institution = models.CharField(_("institution"), max_length=200)
    institution_type = models.CharField(
        _("type of institution"), max_length=20, choices=InstitutionType.choices
    )
    role_title = models.CharField(_("role on the committee"), max_length=120)
    # A person's name, even an official's: encrypted like every name Haven keeps.
    name = EncryptedTextField(_("name"))
    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member of our staff"),
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = CommitteeRecordQuerySet.as_manager()

    class Meta:
        ordering = ["joined_on", "institution"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="committee_member_leaves_after_joining",
            ),
            models.UniqueConstraint(
                fields=["committee", "membership"],
                condition=Q(left_on__isnull=True, membership__isnull=False),
                name="committee_member_staff_seated_once",
            ),
        ]

    def __str__(self) -> str:
        return f"member {self.pk}"

    def sits_on(self, day: date) -> bool:
        """On the committee on `day`: joined by then and not yet left."""
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "PLANNED", _("Planned")
        HELD = "HELD", _("Held")
        CANCELLED = "CANCELLED", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    # Agenda items, one string each. Cases are tabled by code (TabledCase), never named here.
    agenda = models.JSONField(_("agenda"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    # Minutes name people (survivors, officials, alleged perpetrators): encrypted, and each read audited.
    minutes = EncryptedTextField(_("minutes"), blank=True)
    minutes_recorded_at = models.DateTimeField(null=True, blank=True)
    minutes_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CommitteeRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["committee", "starts_at"], name="committee_meeting_by_date")]

    def __str__(self) -> str:
        return f"meeting {self.pk}"

    @property
    def held_on(self) -> date:
        return timezone.localdate(self.starts_at)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class MeetingTransition(models.Model):
    """One move of a meeting's status: who, when, from, to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=Meeting.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Meeting.Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} on {self.meeting_id}"


class TabledCaseQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> TabledCaseQuerySet:
        """Cases tabled at the organisation's committees, for roles that work with survivors (codes only;
        see access.py); nothing for anyone else or any action but "view" (fail closed)."""
        membership = membership_of(user)
        if membership is None or action != "view" or membership.role_enum not in SURVIVOR_WORK:
            return self.none()
        return self.filter(org_id=membership.org_id)


class TabledCase(models.Model):
    """A case put before the committee at one meeting."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tabled_cases")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="committee_tablings")
    # Why it comes before the committee: it describes her situation, so it is encrypted.
    reason = EncryptedTextField(_("why the committee should discuss it"), blank=True)
    tabled_at = models.DateTimeField()
    tabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = TabledCaseQuerySet.as_manager()

    class Meta:
        ordering = ["tabled_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="committee_case_tabled_once"),
        ]

    def __str__(self) -> str:
        return f"case tabled {self.pk}"


class OutcomeQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> Self:
        """Decisions and actions of the committees the user may see (or run); those about a tabled case
        only for roles that work with survivors, who see the tabled cases."""
        scoped = self.filter(meeting__committee__in=Committee.objects.visible_to(user, action))
        if works_with_survivors(user):
            return scoped
        return scoped.filter(tabled_case__isnull=True)


class Decision(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    tabled_case = models.ForeignKey(
        TabledCase,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("case"),
    )
    # What was decided can name people: encrypted.
    text = EncryptedTextField(_("decision"))
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"decision {self.pk}"


class Action(models.Model):
    """Something a member's institution undertook to do, by a date."""

    class Status(models.TextChoices):
        OPEN = "OPEN", pgettext_lazy("committee action status", "Open")
        DONE = "DONE", pgettext_lazy("committee action status", "Done")
        DROPPED = "DROPPED", pgettext_lazy("committee action status", "Dropped")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    tabled_case = models.ForeignKey(
        TabledCase,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("case"),
    )
    text = EncryptedTextField(_("what is to be done"))
    owner = models.ForeignKey(
        CommitteeMember, on_delete=models.PROTECT, related_name="actions", verbose_name=_("who does it")
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(status="DONE"), name="committee_action_done_on_if_done"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="committee_action_due")]

    def __str__(self) -> str:
        return f"action {self.pk}"

    def is_overdue(self, today: date) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today


class ActionTransition(models.Model):
    """One move of an action's status: who, when, from, to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=Action.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Action.Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} on {self.action_id}"
