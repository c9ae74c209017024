"""Staff accounts and their API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Calendar, Membership, membership_of

TOKEN_PREFIX = "hvn"


class User(AbstractUser):
    """A member of staff. Which organisation they act for is chosen per session, not stored here."""

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    calendar = models.CharField(_("calendar"), max_length=16, choices=Calendar.choices, blank=True)
    last_org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Set per request by ActiveOrganisationMiddleware or token auth; never stored.
    active_membership: Membership | None = None

    def __str__(self) -> str:
        return self.username

    def active_memberships(self) -> models.QuerySet[Membership]:
        return self.memberships.filter(is_active=True).select_related("org", "site")


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def visible_to(self, user: Any, action: str = "view") -> ApiTokenQuerySet:
        """A token is visible only to its owner, within the organisation it was issued for."""
        membership = membership_of(user)
        if membership is None:
            return self.none()
        return self.filter(membership=membership)


class ApiToken(models.Model):
    """A bearer token for the API, bound to one membership. Only a hash of its secret is stored."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    # The public part lets us find the row without scanning; the secret part is only ever hashed.
    lookup = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"API token {self.lookup}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.membership.is_active

    @staticmethod
    def hash_secret(secret: str) -> str:
        # Secrets are 256 random bits, so a plain SHA-256 is enough; a slow hash would add nothing.
        return hashlib.sha256(secret.encode()).hexdigest()

    @staticmethod
    def new_parts() -> tuple[str, str]:
        return secrets.token_hex(8), secrets.token_urlsafe(32)

    @staticmethod
    def compose(lookup: str, secret: str) -> str:
        return f"{TOKEN_PREFIX}_{lookup}_{secret}"

    @staticmethod
    def split(token: str) -> tuple[str, str] | None:
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
            return None
        return parts[1], parts[2]

    def matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.secret_hash, self.hash_secret(secret))
