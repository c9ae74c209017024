"""The admin site: open to superusers and to organisation admins (scoped to their organisation)."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


def is_org_admin(request: HttpRequest) -> bool:
    from haven.orgs.models import membership_of  # models are not loaded when this module is imported

    membership = membership_of(request.user)
    return membership is not None and membership.role_enum.manages_org


class HavenAdminSite(admin.AdminSite):
    site_header = site_title = "Haven"

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """Everyone signs in through Haven's own page (lockout, second factor), then comes back."""
        from django.contrib.auth.views import redirect_to_login  # needs the app registry, loaded after us

        return redirect_to_login(
            request.GET.get("next", reverse("admin:index")), login_url=reverse("accounts:login")
        )

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_active and (user.is_superuser or is_org_admin(request)))


class HavenAdminConfig(AdminConfig):
    default_site = "haven.orgs.admin_site.HavenAdminSite"
