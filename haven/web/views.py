"""The home page for each role, and the language switch usable before signing in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.accounts.actions import set_preferences
from haven.orgs.access import StaffRequest, public_view, staff_view
from haven.web.navigation import home_panels


@staff_view()
def home(request: StaffRequest) -> HttpResponse:
    membership: Any = request.membership
    other_orgs = request.user.active_memberships().exclude(pk=membership.pk)
    context = {
        "role": membership.role_enum,
        "panels": home_panels(membership),
        "other_memberships": other_orgs,
        "today": timezone.localdate(),
    }
    return render(request, "web/home.html", context)


@public_view
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user's choice is kept on their account."""
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES):
        message = _("Haven is not available in that language. Choose one from the list.")
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({"detail": message, "field": "language"}, status=400)
        return render(request, "web/bad_language.html", {"message": message}, status=400)
    user: Any = request.user
    if user.is_authenticated:
        set_preferences(
            user=user, language=code, calendar=getattr(request, "calendar", ""), at=timezone.now()
        )
    translation.activate(code)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = reverse("web:home")
    response = HttpResponseRedirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, samesite="Lax", httponly=True)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (`CSRF_FAILURE_VIEW`), on Haven's own page and rendered with the request, so the
    quick exit, the language switch and the reader's language work there as everywhere."""
    return render(request, "403_csrf.html", status=403)
