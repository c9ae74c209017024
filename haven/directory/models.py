"""The service directory: the providers an organisation refers women to, and what each one offers.

Each organisation keeps its own directory (a provider row belongs to one organisation), so two
organisations can describe the same clinic differently and nobody reads another's list. Providers are
organisations, not survivors: their contact details are plain columns. A provider that is itself on Haven
names its organisation (`haven_org`), which lets referrals to it arrive in that organisation's inbox.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.cases.catalogue import ServiceKind
from haven.orgs.models import Area, Organisation, OrgScopedQuerySet, membership_of
from haven.orgs.roles import Role

DIRECTORY_READERS: frozenset[Role] = Role.working_with_survivors() | Role.managing_sites()
"""Who reads the directory: everyone who refers women, and the managers who keep it."""
DIRECTORY_EDITORS: frozenset[Role] = Role.managing_sites()


class ProviderQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> ProviderQuerySet:
        """The acting organisation's providers: read by `DIRECTORY_READERS`, changed by roles that manage
        sites; nothing for anyone else or any other action (fail closed)."""
        membership = membership_of(user)
        if membership is None:
            return self.none()
        role = membership.role_enum
        allowed = {"view": DIRECTORY_READERS, "change": DIRECTORY_EDITORS}.get(action, frozenset())
        if role not in allowed:
            return self.none()
        return self.in_active_org(user)  # type: ignore[return-value]

    def offering(self, service: str) -> ProviderQuerySet:
        return self.filter(services__service=service).distinct()


class Provider(models.Model):
    class Kind(models.TextChoices):
        NGO = "NGO", _("Non-governmental organisation")
        GOVERNMENT = "GOVERNMENT", _("Government office")
        HEALTH = "HEALTH", _("Health facility")
        POLICE = "POLICE", _("Police")
        LEGAL_AID = "LEGAL_AID", _("Legal aid")
        SHELTER = "SHELTER", _("Shelter")
        OTHER = "OTHER", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="providers")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    open_24_7 = models.BooleanField(_("open day and night, every day"), default=False)
    hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    areas: models.ManyToManyField[Area, Any] = models.ManyToManyField(
        Area, related_name="providers", blank=True, verbose_name=_("areas served")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.TextField(_("address"), blank=True)
    # Set by a manager when the provider is itself an organisation on Haven: referrals then reach its inbox.
    haven_org = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="provider_unique_name_in_org"),
            models.CheckConstraint(
                condition=~models.Q(haven_org=models.F("org")), name="provider_is_another_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def service_codes(self) -> list[str]:
        return sorted(row.service for row in self.services.all())

    def offers(self, service: str) -> bool:
        return service in self.service_codes()

    def service_labels(self) -> list[str]:
        return [str(ServiceKind(code).label) for code in self.service_codes() if code in ServiceKind.values]


class ProviderService(models.Model):
    """One service a provider offers; a row per service so "who offers X" is an indexed join."""

    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(_("service"), max_length=32, choices=ServiceKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "service"], name="provider_service_once"),
        ]
        indexes = [models.Index(fields=["org", "service"], name="provider_service_lookup")]

    def __str__(self) -> str:
        return f"{self.service} at {self.provider_id}"
