"""How an organisation's figures map onto its ministry's DHIS2: data elements and org units.

An ``ElementMapping`` sends an indicator's total (no dimension) or one value of one of its dimensions
(``sex`` = ``FEMALE``) to a DHIS2 data element, optionally with a category option combo. An
``OrgUnitMapping`` names the DHIS2 org unit for the whole organisation (no area) or for one of its areas;
an export sends one set of values per mapped org unit. DHIS2 ids are 11 characters, a letter then
letters or digits.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Area, Organisation, membership_of
from haven.orgs.roles import Role

DHIS2_ROLES = frozenset({Role.DATA_OFFICER, Role.ORG_ADMIN})


class MappingQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any, action: str = "view") -> MappingQuerySet:
        """The organisation's own mappings, for its data officers and administrators (fails closed)."""
        membership = membership_of(user)
        if membership is None or membership.role_enum not in DHIS2_ROLES:
            return self.none()
        return self.filter(org_id=membership.org_id)


class ElementMapping(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(_("indicator"), max_length=80)
    dimension = models.CharField(_("dimension"), max_length=40, blank=True)
    value = models.CharField(_("dimension value"), max_length=80, blank=True)
    data_element = models.CharField(_("DHIS2 data element"), max_length=11)
    category_option_combo = models.CharField(_("DHIS2 category option combo"), max_length=11, blank=True)
    created_at = models.DateTimeField()

    objects = MappingQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "dimension", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "indicator", "dimension", "value"], name="dhis2_element_mapping_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} → {self.data_element}"


class OrgUnitMapping(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    org_unit = models.CharField(_("DHIS2 org unit"), max_length=11)
    created_at = models.DateTimeField()

    objects = MappingQuerySet.as_manager()

    class Meta:
        ordering = ["area__name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "area"], name="dhis2_org_unit_per_area"),
            models.UniqueConstraint(
                fields=["org"], condition=Q(area__isnull=True), name="dhis2_org_unit_for_org"
            ),
        ]

    def __str__(self) -> str:
        return self.org_unit
