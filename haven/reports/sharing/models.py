"""De-identified consolidation of statistics (the GBVIMS information-sharing protocol).

Organisations agree on a ``Network`` run by a consolidating organisation. An organisation becomes a
member only when its own administrator accepts the invitation (``NetworkMember``): nothing is read across
organisations without that explicit step. Each month a member's data officer prepares the organisation's
``Submission`` for a report: aggregate cells only (indicator, dimension values, figures), with areas named
by their code or name, never a person's, a case's or a row's id. She reviews and approves it before the
network's deadline. The consolidator's data officer combines the approved submissions of a month into a
``ConsolidatedReport``: the organisations' identities removed (only how many contributed), small cells
suppressed. Every member reads the consolidated report; no record-level data moves.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Area, Organisation, membership_of
from haven.orgs.roles import Role

SHARING_ROLES = frozenset({Role.DATA_OFFICER, Role.ORG_ADMIN})
"""Who sees the networks and their figures. Administrators join networks; data officers submit."""
ADMIN_ROLES = frozenset({Role.ORG_ADMIN})
DATA_ROLES = frozenset({Role.DATA_OFFICER})


def _sharing_membership(user: Any) -> Any:
    membership = membership_of(user)
    if membership is None or membership.role_enum not in SHARING_ROLES:
        return None
    return membership


class NetworkQuerySet(models.QuerySet["Network"]):
    def visible_to(self, user: Any, action: str = "view") -> NetworkQuerySet:
        """Fails closed. "view": the consolidator's and invited or accepted members' sharing roles;
        "manage": the consolidator's administrators; "consolidate": the consolidator's data officers;
        "submit": data officers of an accepted member."""
        membership = _sharing_membership(user)
        if membership is None:
            return self.none()
        role, org_id = membership.role_enum, membership.org_id
        if action == "view":
            member = NetworkMember.objects.filter(org_id=org_id).values("network_id")
            return self.filter(Q(org_id=org_id) | Q(pk__in=member))
        if action == "manage" and role in ADMIN_ROLES:
            return self.filter(org_id=org_id)
        if action == "consolidate" and role in DATA_ROLES:
            return self.filter(org_id=org_id)
        if action == "submit" and role in DATA_ROLES:
            accepted = NetworkMember.objects.filter(org_id=org_id, status=NetworkMember.Status.ACCEPTED)
            return self.filter(pk__in=accepted.values("network_id"))
        return self.none()


class Network(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The consolidating organisation.
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    area_level = models.PositiveSmallIntegerField(
        _("areas are compared at level"), choices=Area.Level.choices, default=Area.Level.DISTRICT
    )
    deadline_day = models.PositiveSmallIntegerField(
        _("approval deadline (day of the following month)"), default=15
    )
    threshold = models.PositiveSmallIntegerField(_("smallest figure shown"), default=5)
    created_at = models.DateTimeField()

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="sharing_network_unique_name"),
            models.CheckConstraint(
                condition=Q(deadline_day__gte=1, deadline_day__lte=31), name="sharing_deadline_day"
            ),
            models.CheckConstraint(condition=Q(threshold__gte=1), name="sharing_threshold_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class NetworkMemberQuerySet(models.QuerySet["NetworkMember"]):
    def visible_to(self, user: Any, action: str = "view") -> NetworkMemberQuerySet:
        """An organisation's own invitations; only its administrators accept them."""
        membership = _sharing_membership(user)
        if membership is None or (action != "view" and membership.role_enum not in ADMIN_ROLES):
            return self.none()
        return self.filter(org_id=membership.org_id)


class NetworkMember(models.Model):
    class Status(models.TextChoices):
        INVITED = "INVITED", _("Invited")
        ACCEPTED = "ACCEPTED", _("Member")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = NetworkMemberQuerySet.as_manager()

    class Meta:
        ordering = ["network", "invited_at"]
        constraints = [models.UniqueConstraint(fields=["network", "org"], name="sharing_member_once")]

    def __str__(self) -> str:
        return f"member {self.pk}"


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def visible_to(self, user: Any, action: str = "view") -> SubmissionQuerySet:
        """An organisation's own submissions only: the consolidator reads them through the
        consolidation verb, never one by one. Data officers prepare and approve."""
        membership = _sharing_membership(user)
        if membership is None or (action != "view" and membership.role_enum not in DATA_ROLES):
            return self.none()
        return self.filter(org_id=membership.org_id)


class Submission(models.Model):
    class Status(models.TextChoices):
        DRAFT = "DRAFT", _("Draft")
        APPROVED = "APPROVED", _("Approved")
        CONSOLIDATED = "CONSOLIDATED", _("Consolidated")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="submissions")
    report_code = models.CharField(_("report"), max_length=60)
    period = models.CharField(_("month"), max_length=7)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Aggregate cells only: see haven/reports/sharing/cells.py for the shape.
    cells = models.JSONField()
    prepared_at = models.DateTimeField()
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "report_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "org", "report_code", "period"], name="sharing_submission_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_code} {self.period}"


class SubmissionTransition(models.Model):
    id = models.BigAutoField(primary_key=True)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=Submission.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Submission.Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ConsolidatedReportQuerySet(models.QuerySet["ConsolidatedReport"]):
    def visible_to(self, user: Any, action: str = "view") -> ConsolidatedReportQuerySet:
        """The consolidator's and every accepted member's sharing roles; nobody changes one."""
        membership = _sharing_membership(user)
        if membership is None or action != "view":
            return self.none()
        accepted = NetworkMember.objects.filter(
            org_id=membership.org_id, status=NetworkMember.Status.ACCEPTED
        ).values("network_id")
        return self.filter(Q(org_id=membership.org_id) | Q(network_id__in=accepted))


class ConsolidatedReport(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The consolidating organisation; members read it through their accepted membership.
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="consolidated")
    report_code = models.CharField(_("report"), max_length=60)
    period = models.CharField(_("month"), max_length=7)
    cells = models.JSONField()
    contributors = models.PositiveIntegerField(_("organisations that contributed"))
    threshold = models.PositiveSmallIntegerField(_("smallest figure shown"))
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ConsolidatedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "report_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "report_code", "period"], name="sharing_consolidated_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_code} {self.period}"
