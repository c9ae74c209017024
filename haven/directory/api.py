"""API for the directory: find providers, read one, add one, change one.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

import uuid
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from haven.cases.catalogue import ServiceKind
from haven.directory import actions
from haven.directory.models import DIRECTORY_EDITORS, DIRECTORY_READERS, Provider
from haven.directory.queries import find_providers
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Area, Organisation
from haven.web.openapi import SchemaName

ProviderKind = Annotated[Provider.Kind, SchemaName("ProviderKind")]


router = Router(tags=["directory"])


class ProviderFilter(Schema):
    service: ServiceKind | None = None
    language: str = Field("", max_length=8)
    area_id: uuid.UUID | None = None
    open_24_7: bool = False
    include_inactive: bool = False


class ProviderOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    services: list[str]
    languages: list[str]
    open_24_7: bool
    hours: str
    area_ids: list[uuid.UUID]
    phone: str
    email: str
    address: str
    haven_org: str | None = Field(None, description="The provider's short name on Haven, if it uses Haven")
    is_active: bool


class ProviderIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: ProviderKind
    services: list[ServiceKind] = Field(min_length=1, max_length=len(ServiceKind.values))
    languages: list[str] = Field(default_factory=list, max_length=40)
    open_24_7: bool = False
    hours: str = Field("", max_length=300)
    area_ids: list[uuid.UUID] = Field(default_factory=list, max_length=200)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=2000)
    haven_org: str | None = Field(None, max_length=60, description="Short name of the provider on Haven")
    is_active: bool = True


class ProviderPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: ProviderKind | None = None
    services: list[ServiceKind] | None = Field(None, min_length=1, max_length=len(ServiceKind.values))
    languages: list[str] | None = Field(None, max_length=40)
    open_24_7: bool | None = None
    hours: str | None = Field(None, max_length=300)
    area_ids: list[uuid.UUID] | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    address: str | None = Field(None, max_length=2000)
    haven_org: str | None = Field(None, max_length=60, description="Short name on Haven; empty to unset")
    is_active: bool | None = None


def provider_out(provider: Provider) -> ProviderOut:
    return ProviderOut(
        id=provider.pk,
        name=provider.name,
        kind=provider.kind,
        services=provider.service_codes(),
        languages=list(provider.languages),
        open_24_7=provider.open_24_7,
        hours=provider.hours,
        area_ids=[area.pk for area in provider.areas.all()],
        phone=provider.phone,
        email=provider.email,
        address=provider.address,
        haven_org=provider.haven_org.slug if provider.haven_org else None,
        is_active=provider.is_active,
    )


def _providers() -> Any:
    return Provider.objects.prefetch_related("services", "areas").select_related("haven_org")


def _areas(user: Any, ids: list[uuid.UUID]) -> list[Area]:
    areas = list(Area.objects.visible_to(user).filter(pk__in=ids))
    if len(areas) != len(set(ids)):
        raise ValidationError({"area_ids": _("No such area in your organisation.")})
    return areas


def _haven_org(slug: str | None) -> Organisation | None:
    if not slug:
        return None
    org = Organisation.objects.filter(slug=slug.strip().lower()).first()
    if org is None:
        raise ValidationError({"haven_org": _("No organisation on Haven has this short name.")})
    return org


def _fields(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The payload as the verbs take it: areas and the Haven organisation resolved, codes as strings."""
    if "area_ids" in data:
        data["areas"] = _areas(user, data.pop("area_ids"))
    if "haven_org" in data:
        data["haven_org"] = _haven_org(data["haven_org"])
    if "services" in data:
        data["services"] = [str(code) for code in data["services"]]
    return data


@router.get("/providers", response=list[ProviderOut], summary="Providers of my directory, filtered")
@api_access(DIRECTORY_READERS)
def list_providers(request: StaffRequest, filters: Query[ProviderFilter]) -> list[ProviderOut]:
    area = _areas(request.user, [filters.area_id])[0] if filters.area_id else None
    providers = find_providers(
        request.user,
        service=filters.service or "",
        language=filters.language,
        area=area,
        open_24_7=filters.open_24_7,
        include_inactive=filters.include_inactive,
    )
    return [provider_out(provider) for provider in providers]


@router.get("/providers/{provider_id}", response=ProviderOut, summary="One provider of my directory")
@api_access(DIRECTORY_READERS, object_kwargs=("provider_id",))
def get_provider(request: StaffRequest, provider_id: uuid.UUID) -> ProviderOut:
    return provider_out(get_visible_or_404(_providers(), request.user, pk=provider_id))


@router.post("/providers", response={201: ProviderOut}, summary="Add a provider to my directory")
@api_access(DIRECTORY_EDITORS)
def create_provider(request: StaffRequest, payload: ProviderIn) -> Status[ProviderOut]:
    data = _fields(request.user, payload.dict())
    provider = actions.create_provider(org=request.org, acting_user=request.user, at=timezone.now(), **data)
    return Status(201, provider_out(_providers().get(pk=provider.pk)))


@router.patch("/providers/{provider_id}", response=ProviderOut, summary="Change a provider's entry")
@api_access(DIRECTORY_EDITORS, object_kwargs=("provider_id",))
def update_provider(request: StaffRequest, provider_id: uuid.UUID, payload: ProviderPatch) -> ProviderOut:
    provider = get_visible_or_404(Provider.objects.all(), request.user, "change", pk=provider_id)
    sent = payload.dict(exclude_unset=True)
    # Null leaves a field as it is (an empty `haven_org` is what unsets it), as in the other PATCH endpoints.
    changes = _fields(request.user, {name: value for name, value in sent.items() if value is not None})
    actions.update_provider(provider=provider, changes=changes, acting_user=request.user, at=timezone.now())
    return provider_out(_providers().get(pk=provider.pk))
