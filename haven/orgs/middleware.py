"""Sets `request.org` and `request.membership` from the organisation the user chose for this session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from haven.orgs.models import Membership

SESSION_KEY = "haven_org_id"


def resolve_membership(user: Any, chosen_org_id: str | None) -> Membership | None:
    """The active membership for the chosen organisation, else the user's last or first one."""
    memberships = Membership.objects.filter(user=user, is_active=True).select_related("org", "site")
    if chosen_org_id:
        chosen: Membership | None = memberships.filter(org_id=chosen_org_id).first()
        if chosen is not None:
            return chosen
    if user.last_org_id:
        last: Membership | None = memberships.filter(org_id=user.last_org_id).first()
        if last is not None:
            return last
    first: Membership | None = memberships.order_by("created_at").first()
    return first


def activate_membership(request: HttpRequest, membership: Membership | None) -> None:
    request.membership = membership  # type: ignore[attr-defined]
    request.org = membership.org if membership else None  # type: ignore[attr-defined]
    if request.user.is_authenticated:
        request.user.active_membership = membership


class ActiveOrganisationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = None
        if request.user.is_authenticated:
            membership = resolve_membership(request.user, request.session.get(SESSION_KEY))
            if membership is not None:
                request.session[SESSION_KEY] = str(membership.org_id)
        activate_membership(request, membership)
        return self.get_response(request)
