"""API for sites, areas and staff of the caller's organisation.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

import uuid
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from haven.orgs import actions
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Area, Membership, Site
from haven.orgs.roles import ROLES_NOT_KEPT_APART, Role
from haven.web.openapi import SchemaName

SiteKind = Annotated[Site.Kind, SchemaName("SiteKind")]


router = Router(tags=["organisation"])


class SiteOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    area_id: uuid.UUID | None
    is_confidential: bool
    is_active: bool
    # Null when the caller's role may not see a confidential address.
    address: str | None = None
    phone: str | None = None


class SiteIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: SiteKind
    area_id: uuid.UUID | None = None
    address: str = Field("", max_length=2000)
    phone: str = Field("", max_length=40)
    is_confidential: bool = False
    is_active: bool = True


class SitePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: SiteKind | None = None
    area_id: uuid.UUID | None = None
    address: str | None = Field(None, max_length=2000)
    phone: str | None = Field(None, max_length=40)
    is_confidential: bool | None = None
    is_active: bool | None = None


class AreaOut(Schema):
    id: uuid.UUID
    name: str
    level: int
    parent_id: uuid.UUID | None
    code: str


class AreaIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    level: Area.Level
    parent_id: uuid.UUID | None = None
    code: str = Field("", max_length=40)


class MembershipOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    site_id: uuid.UUID | None
    is_active: bool


def _site_out(site: Site, user: Any) -> SiteOut:
    show = site.address_visible_to(user)
    return SiteOut(
        id=site.pk,
        name=site.name,
        kind=site.kind,
        area_id=site.area_id,
        is_confidential=site.is_confidential,
        is_active=site.is_active,
        address=site.address if show else None,
        phone=site.phone if show else None,
    )


def _read_site(request: StaffRequest, site: Site) -> SiteOut:
    """The site as an answer: when it carries an address or phone (encrypted, a shelter's confidential)
    it is an audited read, whether it answers a read or a change, and whether the site is confidential."""
    if site.address_visible_to(request.user) and (site.address or site.phone):
        actions.record_site_view(site=site, acting_user=request.user, at=timezone.now())
    return _site_out(site, request.user)


def _area_or_none(user: Any, area_id: uuid.UUID | None, field: str) -> Area | None:
    if area_id is None:
        return None
    area: Area | None = Area.objects.visible_to(user).filter(pk=area_id).first()
    if area is None:
        raise ValidationError({field: _("No such area in your organisation.")})
    return area


@router.get("/sites", response=list[SiteOut], summary="Sites of the caller's organisation")
@api_access(ROLES_NOT_KEPT_APART)
def list_sites(request: StaffRequest) -> list[SiteOut]:
    # Listing leaves addresses out: reading one is a recorded act, done through the detail endpoint.
    return [_site_out(site, None) for site in Site.objects.visible_to(request.user)]


@router.get("/sites/{site_id}", response=SiteOut, summary="One site, with its address if your role sees it")
@api_access(ROLES_NOT_KEPT_APART, object_kwargs=("site_id",))
def get_site(request: StaffRequest, site_id: uuid.UUID) -> SiteOut:
    return _read_site(request, get_visible_or_404(Site.objects.all(), request.user, pk=site_id))


@router.post("/sites", response={201: SiteOut}, summary="Create a site")
@api_access(Role.managing_org())
def create_site(request: StaffRequest, payload: SiteIn) -> Status[SiteOut]:
    data = payload.dict()
    area = _area_or_none(request.user, data.pop("area_id"), "area_id")
    site = actions.create_site(
        org=request.org,
        area=area,
        acting_user=request.user,
        at=timezone.now(),
        **data,
    )
    return Status(201, _read_site(request, site))


@router.patch("/sites/{site_id}", response=SiteOut, summary="Change a site")
@api_access(Role.managing_sites(), object_kwargs=("site_id",))
def update_site(request: StaffRequest, site_id: uuid.UUID, payload: SitePatch) -> SiteOut:
    site = get_visible_or_404(Site.objects.all(), request.user, "change", pk=site_id)
    # Null takes a site out of its area; for the other fields it means "leave it as it is".
    sent = payload.dict(exclude_unset=True)
    changes = {name: value for name, value in sent.items() if value is not None or name == "area_id"}
    if "area_id" in changes:
        changes["area"] = _area_or_none(request.user, changes.pop("area_id"), "area_id")
    actions.update_site(site=site, changes=changes, acting_user=request.user, at=timezone.now())
    return _read_site(request, site)


@router.get("/areas", response=list[AreaOut], summary="The organisation's administrative geography")
@api_access()
def list_areas(request: StaffRequest) -> list[Area]:
    return list(Area.objects.visible_to(request.user))


@router.post("/areas", response={201: AreaOut}, summary="Add an area")
@api_access(Role.managing_org())
def create_area(request: StaffRequest, payload: AreaIn) -> Status[Area]:
    data = payload.dict()
    parent = _area_or_none(request.user, data.pop("parent_id"), "parent_id")
    area = actions.create_area(
        org=request.org,
        parent=parent,
        acting_user=request.user,
        at=timezone.now(),
        **data,
    )
    return Status(201, area)


@router.get("/memberships", response=list[MembershipOut], summary="Staff of the organisation")
@api_access(Role.managing_org())
def list_memberships(request: StaffRequest) -> list[MembershipOut]:
    rows = Membership.objects.visible_to(request.user).select_related("user")
    return [
        MembershipOut(
            id=m.pk,
            username=m.user.username,
            full_name=m.user.get_full_name(),
            role=m.role,
            site_id=m.site_id,
            is_active=m.is_active,
        )
        for m in rows
    ]
