"""The public figures page of an organisation: off until an org admin turns it on.

One ``PublicPage`` row per organisation says whether the page is published, which headline indicators it
shows (codes of ``haven.reports.indicators.INDICATORS``) and over which period (the last complete year of
the organisation's calendar, or the last complete fiscal year). Anyone may read a published page at
``/reports/public/<org slug>/``; an organisation without a published page answers 404 like an unknown one.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Organisation, OrgScopedQuerySet, membership_of


class PublicPageQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> PublicPageQuerySet:
        """The settings are the organisation admins' alone (view and change); nothing for anyone else.

        The published page itself is read through ``published``, not through this rule."""
        membership = membership_of(user)
        if membership is None or not membership.role_enum.manages_org:
            return self.none()
        return self.in_active_org(user)  # type: ignore[return-value]

    def published(self) -> PublicPageQuerySet:
        return self.filter(is_published=True)


class PublicPage(models.Model):
    class PeriodKind(models.TextChoices):
        LAST_YEAR = "LAST_YEAR", _("The last complete year (of the organisation's calendar)")
        LAST_FISCAL_YEAR = "LAST_FISCAL_YEAR", _("The last complete fiscal year (July to June)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    is_published = models.BooleanField(_("published"), default=False)
    indicators = models.JSONField(_("headline indicators"), default=list, blank=True)
    period_kind = models.CharField(
        _("period"), max_length=20, choices=PeriodKind.choices, default=PeriodKind.LAST_YEAR
    )
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PublicPageQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Public figures page {self.pk}"
