"""API authentication by bearer token, and the caller's own profile.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.security import HttpBearer

from haven.accounts.models import ApiToken
from haven.orgs.access import StaffRequest
from haven.orgs.api_access import api_access
from haven.orgs.middleware import activate_membership

# Writing last_used_at on every call would turn each read into a write; a minute's precision is enough.
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer hvn_<lookup>_<secret>`; the token fixes both the user and the organisation."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        parts = ApiToken.split(token.strip())
        if parts is None:
            return None
        row = (
            ApiToken.objects.select_related("membership__org", "membership__user")
            .filter(lookup=parts[0])
            .first()
        )
        if row is None or not row.matches(parts[1]) or not row.is_active or not row.membership.user.is_active:
            return None
        request.user = row.membership.user
        activate_membership(request, row.membership)
        self._touch(row)
        return row.membership

    @staticmethod
    def _touch(row: ApiToken) -> None:
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)


router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    full_name: str
    organisation_id: str
    organisation: str
    role: str
    role_label: str
    language: str
    calendar: str


@router.get("/me", response=MeOut, summary="The caller, their organisation and role")
@api_access()
def me(request: StaffRequest) -> MeOut:
    membership: Any = request.membership
    user = membership.user
    return MeOut(
        username=user.username,
        full_name=user.get_full_name(),
        organisation_id=str(membership.org_id),
        organisation=membership.org.name,
        role=membership.role,
        role_label=str(membership.get_role_display()),
        language=user.language or membership.org.default_language,
        calendar=user.calendar or membership.org.default_calendar,
    )
