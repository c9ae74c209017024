"""Organisations (tenants), their sites, their admin geography and their staff memberships."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.orgs.roles import Role
from haven.privacy.fields import EncryptedTextField

if TYPE_CHECKING:
    from haven.accounts.models import User


class Calendar(models.TextChoices):
    GREGORIAN = "GREGORIAN", _("Gregorian")
    SOLAR_HIJRI = "SOLAR_HIJRI", _("Solar Hijri")
    BENGALI = "BENGALI", _("Bengali")


def _all_role_codes() -> list[str]:
    return [role.value for role in Role]


def membership_of(user: Any) -> Membership | None:
    """The membership the user is acting under in this request; None for anyone else (fail closed)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    membership = getattr(user, "active_membership", None)
    return membership if isinstance(membership, Membership) and membership.is_active else None


class Organisation(models.Model):
    """A tenant: an NGO, a department or a centre network member. No row is read across two of them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    country = models.CharField(_("country code"), max_length=2, help_text=_("ISO code, e.g. CA, BD, IR."))
    default_language = models.CharField(_("default language"), max_length=8, choices=settings.LANGUAGES)
    default_calendar = models.CharField(
        _("default calendar"), max_length=16, choices=Calendar.choices, default=Calendar.GREGORIAN
    )
    totp_required_roles = models.JSONField(
        _("roles that must use an authenticator app"), default=_all_role_codes, blank=True
    )
    case_plans_need_approval = models.BooleanField(
        _("case plans need a manager's approval"),
        default=False,
        help_text=_("A worker submits the plan; a centre or shelter manager approves it or sends it back."),
    )
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def requires_totp(self, role: Role) -> bool:
        return role.value in self.totp_required_roles


class OrgScopedQuerySet(models.QuerySet[Any]):
    """Rows of the organisation the user is acting in; nothing for anyone without a membership."""

    def in_active_org(self, user: Any) -> OrgScopedQuerySet:
        membership = membership_of(user)
        if membership is None:
            return self.none()
        return self.filter(org_id=membership.org_id)

    def for_survivor_work(self, user: Any) -> OrgScopedQuerySet:
        """Rows of the acting organisation for roles that work with survivors; nothing for anyone else."""
        membership = membership_of(user)
        if membership is None or not membership.role_enum.works_with_survivors:
            return self.none()
        return self.in_active_org(user)


class AreaQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> AreaQuerySet:
        """Members see their organisation's areas; only organisation admins change them."""
        scoped = self.in_active_org(user)
        if action == "view":
            return scoped  # type: ignore[return-value]
        membership = membership_of(user)
        return scoped if membership and membership.role_enum.manages_org else self.none()  # type: ignore[return-value]


class Area(models.Model):
    """A unit of admin geography: country, division/province, district, upazila/county, union/village."""

    class Level(models.IntegerChoices):
        COUNTRY = 1, _("Country")
        REGION = 2, _("Division, state or province")
        DISTRICT = 3, _("District")
        SUBDISTRICT = 4, _("Upazila, block or county")
        LOCALITY = 5, _("Union or village")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="areas")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("official code"), max_length=40, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "parent", "name"], name="area_unique_name_under_parent"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="area_level_known"),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Area]:
        """From the top of the tree down to the parent; stops at a cycle instead of looping."""
        chain: list[Area] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def has_ancestor(self, candidate: Area) -> bool:
        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            if node.pk == candidate.pk:
                return True
            seen.add(node.pk)
            node = node.parent
        return False


class SiteQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> SiteQuerySet:
        """Members see their organisation's sites; managing roles change them. Addresses are a
        separate rule: see `Site.address_visible_to`."""
        scoped = self.in_active_org(user)
        if action == "view":
            return scoped  # type: ignore[return-value]
        membership = membership_of(user)
        if membership is None or not membership.role_enum.manages_sites:
            return self.none()
        if membership.role_enum.manages_org or membership.site_id is None:
            return scoped  # type: ignore[return-value]
        return scoped.filter(pk=membership.site_id)  # type: ignore[return-value]


class Site(models.Model):
    """A place where the organisation works. A shelter's address is confidential by default."""

    class Kind(models.TextChoices):
        SHELTER = "SHELTER", _("Shelter or safe house")
        ONE_STOP_CENTRE = "ONE_STOP_CENTRE", _("One-stop centre")
        CRISIS_CENTRE = "CRISIS_CENTRE", _("Crisis-intervention centre")
        HELPLINE = "HELPLINE", _("Helpline")
        OFFICE = "OFFICE", _("Office")
        TRAINING_CENTRE = "TRAINING_CENTRE", _("Training centre")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="sites")
    address = EncryptedTextField(_("address"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    is_confidential = models.BooleanField(
        _("confidential location"),
        default=False,
        help_text=_("Only roles that need it see the address (always on for shelters)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="site_unique_name_in_org"),
            models.CheckConstraint(
                condition=~models.Q(kind="SHELTER") | models.Q(is_confidential=True),
                name="site_shelter_is_confidential",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def address_visible_to(self, user: User | Any) -> bool:
        membership = membership_of(user)
        if membership is None or membership.org_id != self.org_id:
            return False
        return not self.is_confidential or membership.role_enum.sees_confidential_addresses


class MembershipQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> MembershipQuerySet:
        """Organisation admins see and change all staff of their organisation; others see only themselves."""
        scoped = self.in_active_org(user)
        membership = membership_of(user)
        if membership is None:
            return self.none()
        if membership.role_enum.manages_org:
            return scoped  # type: ignore[return-value]
        return scoped.filter(pk=membership.pk) if action == "view" else self.none()  # type: ignore[return-value]


class Membership(models.Model):
    """A user's role in one organisation. A user with two memberships switches between them explicitly."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="memberships")
    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    site = models.ForeignKey(Site, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["org__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "org"], name="membership_one_per_user_and_org")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} in {self.org_id}"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)
