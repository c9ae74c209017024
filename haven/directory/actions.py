"""Verbs for the directory: add a provider and change what is known about it.

Services, languages and areas are validated here (codes from the catalogue, areas of the same
organisation); a provider "on Haven" must name another organisation than the one keeping the directory.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haven.cases.catalogue import ServiceKind
from haven.directory.models import Provider, ProviderService
from haven.orgs.models import Area, Organisation
from haven.orgs.validation import refused_if_taken
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

PROVIDER_CREATE = audit.register_action("provider.create", "A provider was added to the directory")
PROVIDER_UPDATE = audit.register_action("provider.update", "A provider's directory entry was changed")

PROVIDER_FIELDS = (
    "name",
    "kind",
    "services",
    "languages",
    "open_24_7",
    "hours",
    "areas",
    "phone",
    "email",
    "address",
    "haven_org",
    "is_active",
)
_RELATIONS = ("services", "areas")


def clean_language_codes(codes: Iterable[str]) -> list[str]:
    """Lower-case, de-duplicated language codes such as "bn" or "pt-br"; anything else is refused."""
    cleaned = [code.strip().lower() for code in codes if code.strip()]
    for code in cleaned:
        if not (2 <= len(code) <= 8 and code.replace("-", "").isalpha()):
            raise ValidationError({"languages": _("Write language codes such as bn or en.")})
    return list(dict.fromkeys(cleaned))


def _check(provider: Provider, services: list[str], areas: list[Area]) -> None:
    unknown = [code for code in services if code not in ServiceKind.values]
    if unknown:
        raise ValidationError({"services": _("Choose services from the catalogue.")})
    if not services:
        raise ValidationError({"services": _("Say which services this provider offers.")})
    if any(area.org_id != provider.org_id for area in areas):
        raise ValidationError({"areas": _("Choose areas of your own organisation.")})
    if provider.haven_org_id is not None and provider.haven_org_id == provider.org_id:
        raise ValidationError({"haven_org": _("A provider on Haven must be another organisation.")})
    provider.languages = clean_language_codes(provider.languages)
    provider.full_clean(exclude=["areas"], validate_unique=False, validate_constraints=False)


def _save(provider: Provider, services: list[str], areas: list[Area]) -> None:
    with refused_if_taken("name", _("Your directory already has a provider with this name.")):
        provider.save()
    provider.areas.set(areas)
    ProviderService.objects.filter(provider=provider).exclude(service__in=services).delete()
    have = set(ProviderService.objects.filter(provider=provider).values_list("service", flat=True))
    ProviderService.objects.bulk_create(
        ProviderService(org_id=provider.org_id, provider=provider, service=code)
        for code in services
        if code not in have
    )


def create_provider(
    *,
    org: Organisation,
    name: str,
    kind: str,
    services: Iterable[str],
    acting_user: User | None,
    at: datetime,
    areas: Iterable[Area] = (),
    **fields: Any,
) -> Provider:
    """Add a provider to the organisation's directory, with the services it offers."""
    unknown = set(fields) - set(PROVIDER_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be set here.")})
    provider = Provider(org=org, name=(name or "").strip(), kind=kind, created_at=at, updated_at=at, **fields)
    services, areas = list(dict.fromkeys(services)), list(areas)
    _check(provider, services, areas)
    with transaction.atomic():
        _save(provider, services, areas)
        audit.record(
            action=PROVIDER_CREATE,
            actor=acting_user,
            org=org,
            obj=provider,
            at=at,
            fields=["name", "kind", "services", *sorted(fields), *(["areas"] if areas else [])],
        )
    return provider


def _current(provider: Provider) -> dict[str, Any]:
    values = {name: getattr(provider, name) for name in PROVIDER_FIELDS if name not in _RELATIONS}
    values["haven_org"] = provider.haven_org_id
    # Read from the database, not from a prefetch cache that the save just made stale.
    values["services"] = sorted(
        ProviderService.objects.filter(provider=provider).values_list("service", flat=True)
    )
    values["areas"] = sorted(
        str(pk) for pk in Area.objects.filter(providers=provider).values_list("pk", flat=True)
    )
    return values


def update_provider(
    *, provider: Provider, changes: Mapping[str, Any], acting_user: User | None, at: datetime
) -> Provider:
    """Change a directory entry; only the given fields change, and the audit names those that did."""
    unknown = set(changes) - set(PROVIDER_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be set here.")})
    before = _current(provider)
    services = list(dict.fromkeys(changes.get("services", before["services"])))
    areas = list(changes["areas"]) if "areas" in changes else list(provider.areas.all())
    for name, value in changes.items():
        if name not in _RELATIONS:
            setattr(provider, name, value.strip() if name == "name" else value)
    provider.updated_at = at
    _check(provider, services, areas)
    with transaction.atomic():
        _save(provider, services, areas)
        changed = audit.changed_fields(before, _current(provider))
        audit.record(
            action=PROVIDER_UPDATE, actor=acting_user, org=provider.org, obj=provider, at=at, fields=changed
        )
    return provider
