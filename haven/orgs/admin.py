"""Django admin for organisation set-up, scoped like the staff UI.

An organisation admin sees only their own organisation's rows here too: querysets go through the model's
`visible_to`, foreign-key choices are limited to the organisation, and saves go through the same verbs.
A superuser (the operator of the installation) manages organisations themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from haven.orgs import actions
from haven.orgs.admin_site import is_org_admin
from haven.orgs.models import Area, Membership, Organisation, Site

if TYPE_CHECKING:
    from haven.accounts.models import User


def _acting(request: HttpRequest) -> tuple[Organisation, User]:
    """The organisation and user behind an admin request (set by the organisation middleware)."""
    return request.org, request.user  # type: ignore[attr-defined,return-value]


class OrgScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows of the acting organisation only; new rows are created in it."""

    exclude = ("org",)
    editable_fields: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows: QuerySet[Any] = self.model._default_manager.visible_to(request.user, "change")
        return rows

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_org_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_org_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_org_admin(request)

    has_change_permission = has_view_permission

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # records are closed or switched off, never deleted from here

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if hasattr(related._default_manager, "visible_to"):
            kwargs["queryset"] = related._default_manager.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changed_values(self, form: ModelForm[Any]) -> dict[str, Any]:
        return {name: form.cleaned_data[name] for name in form.changed_data if name in self.editable_fields}


@admin.register(Site)
class SiteAdmin(OrgScopedAdmin):
    list_display = ("name", "kind", "area", "is_active")
    list_filter = ("kind", "is_active")
    fields = editable_fields = actions.SITE_FIELDS

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        """The change form shows the address as it stands: for a confidential site, an audited reading."""
        if request.method == "GET":
            site = self.get_object(request, object_id)
            if site is not None and site.is_confidential and site.address_visible_to(request.user):
                actions.record_site_view(site=site, acting_user=_acting(request)[1], at=timezone.now())
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Site, form: Any, change: bool) -> None:
        if change:
            original = Site.objects.get(pk=obj.pk)
            actions.update_site(
                site=original,
                changes=self.changed_values(form),
                acting_user=_acting(request)[1],
                at=timezone.now(),
            )
        else:
            data = {name: form.cleaned_data.get(name) for name in actions.SITE_FIELDS}
            created = actions.create_site(
                org=_acting(request)[0],
                acting_user=_acting(request)[1],
                at=timezone.now(),
                **{k: v for k, v in data.items() if v is not None},
            )
            obj.pk = created.pk


@admin.register(Area)
class AreaAdmin(OrgScopedAdmin):
    list_display = ("name", "level", "parent", "code")
    list_filter = ("level",)
    fields = editable_fields = actions.AREA_FIELDS

    def save_model(self, request: HttpRequest, obj: Area, form: Any, change: bool) -> None:
        if change:
            original = Area.objects.get(pk=obj.pk)
            actions.update_area(
                area=original,
                changes=self.changed_values(form),
                acting_user=_acting(request)[1],
                at=timezone.now(),
            )
        else:
            created = actions.create_area(
                org=_acting(request)[0],
                acting_user=_acting(request)[1],
                at=timezone.now(),
                **{name: form.cleaned_data[name] for name in actions.AREA_FIELDS},
            )
            obj.pk = created.pk


@admin.register(Membership)
class MembershipAdmin(OrgScopedAdmin):
    list_display = ("user", "role", "site", "is_active")
    list_filter = ("role", "is_active")
    fields = editable_fields = ("role", "site", "is_active")
    readonly_fields = ("user",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # new staff are added in the staff UI, which creates the account and its role together

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        original = Membership.objects.get(pk=obj.pk)
        actions.update_membership(
            membership=original,
            changes=self.changed_values(form),
            acting_user=_acting(request)[1],
            at=timezone.now(),
        )


class OperatorOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows that belong to the installation, not to one organisation: its operator's (superusers only)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    has_change_permission = has_view_permission

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)


@admin.register(Organisation)
class OrganisationAdmin(OperatorOnlyAdmin):
    """Organisations themselves are the installation operator's business."""

    list_display = ("name", "slug", "country", "default_language")
    readonly_fields = ("is_demo",)
