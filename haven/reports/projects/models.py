"""Donor projects: a donor, a period (a range of days), the areas it covers and the indicators it
promised, each with a target. Progress is computed from the records (``queries.progress``), never typed.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Area, Organisation, OrgScopedQuerySet, membership_of
from haven.orgs.roles import Role

PROJECT_READERS = frozenset({Role.ORG_ADMIN, Role.DATA_OFFICER, Role.CENTRE_MANAGER, Role.PROGRAMME_OFFICER})
"""Who follows the organisation's donor projects (figures only, always with small cells hidden)."""
PROJECT_MANAGERS = frozenset({Role.ORG_ADMIN, Role.DATA_OFFICER})
"""Who sets projects and their targets up: the people who answer to donors for the figures."""

ACTIONS: dict[str, frozenset[Role]] = {"view": PROJECT_READERS, "change": PROJECT_MANAGERS}


class ProjectScopedQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> Any:
        """The acting organisation's rows for the roles the action allows; nothing otherwise (fail closed)."""
        membership = membership_of(user)
        allowed = ACTIONS.get(action, frozenset())
        if membership is None or membership.role_enum not in allowed:
            return self.none()
        return self.filter(org_id=membership.org_id)


class Project(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("project"), max_length=160)
    donor = models.CharField(_("donor"), max_length=160)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    areas: models.ManyToManyField[Area, Any] = models.ManyToManyField(
        Area, related_name="+", blank=True, verbose_name=_("areas")
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")), name="project_starts_before_end"
            ),
            models.UniqueConstraint(fields=["org", "name"], name="project_unique_name_in_org"),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectTarget(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=80)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        ordering = ["indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "indicator"], name="project_target_once_per_indicator"
            ),
            models.CheckConstraint(condition=models.Q(target__gt=0), name="project_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.target}"
