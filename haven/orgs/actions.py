"""Verbs that change organisations, sites, areas and memberships.

Each verb runs in one transaction, validates, saves and writes its audit entry. They raise
`ValidationError` keyed by field name, which forms and the API show next to the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haven.orgs.models import Area, Membership, Organisation, Site
from haven.orgs.roles import Role
from haven.orgs.validation import refused_if_taken
from haven.privacy import audit
from haven.privacy.keyring import ensure_org_keys

if TYPE_CHECKING:
    from haven.accounts.models import User

ORG_CREATE = audit.register_action("org.create", "An organisation was created")
ORG_UPDATE = audit.register_action("org.update", "An organisation's settings changed")
SITE_CREATE = audit.register_action("site.create", "A site was created")
SITE_UPDATE = audit.register_action("site.update", "A site was changed")
SITE_VIEW = audit.register_action("site.view", "A site's details (with its address) were viewed", read=True)
AREA_CREATE = audit.register_action("area.create", "An area was created")
AREA_UPDATE = audit.register_action("area.update", "An area was changed")
MEMBERSHIP_CREATE = audit.register_action("membership.create", "A member of staff was added")
MEMBERSHIP_UPDATE = audit.register_action("membership.update", "A member of staff's role or site changed")

SITE_FIELDS = ("name", "kind", "area", "address", "phone", "is_confidential", "is_active")
AREA_FIELDS = ("name", "level", "parent", "code")
ORG_SETTINGS_FIELDS = (
    "name",
    "default_language",
    "default_calendar",
    "totp_required_roles",
    "case_plans_need_approval",
)


def _apply(instance: Any, changes: Mapping[str, Any], allowed: tuple[str, ...]) -> list[str]:
    """Set allowed attributes and return the names of those whose value really changed."""
    changed = []
    for name, value in changes.items():
        if name not in allowed:
            raise ValidationError({name: _("This field cannot be changed here.")})
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _save_unique(instance: Any, field: str, message: str) -> None:
    """Save, turning a uniqueness clash into a field error; the savepoint keeps the outer transaction."""
    with refused_if_taken(field, message):
        instance.save()


def create_organisation(
    *,
    name: str,
    slug: str,
    country: str,
    default_language: str,
    default_calendar: str,
    acting_user: User | None,
    at: datetime,
    is_demo: bool = False,
) -> Organisation:
    with transaction.atomic():
        org = Organisation(
            name=name,
            slug=slug,
            country=country.upper(),
            default_language=default_language,
            default_calendar=default_calendar,
            is_demo=is_demo,
        )
        org.full_clean()
        org.save()
        ensure_org_keys(org.pk)
        audit.record(action=ORG_CREATE, actor=acting_user, org=org, obj=org, at=at)
    return org


def update_organisation_settings(
    *, org: Organisation, changes: Mapping[str, Any], acting_user: User, at: datetime
) -> Organisation:
    unknown = set(changes.get("totp_required_roles", [])) - {role.value for role in Role}
    if unknown:
        raise ValidationError({"totp_required_roles": _("Unknown role.")})
    with transaction.atomic():
        changed = _apply(org, changes, ORG_SETTINGS_FIELDS)
        org.full_clean()
        org.save()
        audit.record(action=ORG_UPDATE, actor=acting_user, org=org, obj=org, fields=changed, at=at)
    return org


def _validate_site(site: Site) -> None:
    if site.kind == Site.Kind.SHELTER:
        # A shelter's address is never shown to roles that do not need it, whatever the form said.
        site.is_confidential = True
    if site.area is not None and site.area.org_id != site.org_id:
        raise ValidationError({"area": _("Choose an area of your own organisation.")})
    if not site.name.strip():
        raise ValidationError({"name": _("Give the site a name.")})


def create_site(
    *,
    org: Organisation,
    name: str,
    kind: str,
    area: Area | None = None,
    address: str = "",
    phone: str = "",
    is_confidential: bool = False,
    is_active: bool = True,
    acting_user: User | None,
    at: datetime,
) -> Site:
    site = Site(
        org=org,
        name=name.strip(),
        kind=kind,
        area=area,
        address=address,
        phone=phone,
        is_confidential=is_confidential,
        is_active=is_active,
    )
    _validate_site(site)
    with transaction.atomic():
        _save_unique(site, "name", _("Your organisation already has a site with this name."))
        audit.record(
            action=SITE_CREATE,
            actor=acting_user,
            org=org,
            obj=site,
            at=at,
            fields=[f for f in SITE_FIELDS if getattr(site, f) not in ("", None, False)],
        )
    return site


def update_site(*, site: Site, changes: Mapping[str, Any], acting_user: User | None, at: datetime) -> Site:
    with transaction.atomic():
        changed = _apply(site, changes, SITE_FIELDS)
        _validate_site(site)
        _save_unique(site, "name", _("Your organisation already has a site with this name."))
        audit.record(action=SITE_UPDATE, actor=acting_user, org=site.org, obj=site, fields=changed, at=at)
    return site


def record_site_view(*, site: Site, acting_user: User, at: datetime) -> None:
    """A read of a site's address: the pages record it when the address is confidential, the API
    whenever its answer carries an address or phone."""
    audit.record(action=SITE_VIEW, actor=acting_user, org=site.org, obj=site, fields=["address"], at=at)


def _validate_area(area: Area) -> None:
    parent = area.parent
    if parent is None:
        return
    if parent.org_id != area.org_id:
        raise ValidationError({"parent": _("Choose an area of your own organisation.")})
    if parent.level >= area.level:
        raise ValidationError({"level": _("An area must be at a finer level than the area it belongs to.")})
    if parent.pk == area.pk or parent.has_ancestor(area):
        raise ValidationError({"parent": _("An area cannot belong to itself.")})


def create_area(
    *,
    org: Organisation,
    name: str,
    level: int,
    parent: Area | None = None,
    code: str = "",
    acting_user: User | None,
    at: datetime,
) -> Area:
    area = Area(org=org, name=name.strip(), level=level, parent=parent, code=code.strip())
    area.full_clean(exclude=["org", "parent"], validate_constraints=False)
    _validate_area(area)
    with transaction.atomic():
        _save_unique(area, "name", _("There is already an area with this name at this place."))
        audit.record(action=AREA_CREATE, actor=acting_user, org=org, obj=area, at=at)
    return area


def update_area(*, area: Area, changes: Mapping[str, Any], acting_user: User | None, at: datetime) -> Area:
    with transaction.atomic():
        changed = _apply(area, changes, AREA_FIELDS)
        area.full_clean(exclude=["org", "parent"], validate_constraints=False)
        _validate_area(area)
        _save_unique(area, "name", _("There is already an area with this name at this place."))
        audit.record(action=AREA_UPDATE, actor=acting_user, org=area.org, obj=area, fields=changed, at=at)
    return area


def add_membership(
    *,
    org: Organisation,
    user: User,
    role: str,
    site: Site | None = None,
    acting_user: User | None,
    at: datetime,
) -> Membership:
    if site is not None and site.org_id != org.pk:
        raise ValidationError({"site": _("Choose a site of your own organisation.")})
    membership = Membership(org=org, user=user, role=Role(role).value, site=site)
    with transaction.atomic():
        _save_unique(membership, "user", _("This person is already a member of your organisation."))
        audit.record(action=MEMBERSHIP_CREATE, actor=acting_user, org=org, obj=membership, at=at)
    return membership


def update_membership(
    *, membership: Membership, changes: Mapping[str, Any], acting_user: User, at: datetime
) -> Membership:
    site = changes.get("site")
    if site is not None and site.org_id != membership.org_id:
        raise ValidationError({"site": _("Choose a site of your own organisation.")})
    if membership.user_id == acting_user.pk and (
        changes.get("is_active") is False or changes.get("role", membership.role) != membership.role
    ):
        raise ValidationError({"role": _("You cannot change your own role or deactivate yourself.")})
    with transaction.atomic():
        changed = _apply(membership, changes, ("role", "site", "is_active"))
        membership.save()
        audit.record(
            action=MEMBERSHIP_UPDATE,
            actor=acting_user,
            org=membership.org,
            obj=membership,
            fields=changed,
            at=at,
        )
    return membership
