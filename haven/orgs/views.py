"""Organisation set-up pages: sites, areas, staff and security settings. Thin: parse, call a verb, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.actions import create_staff_member
from haven.orgs import actions
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import (
    AreaForm,
    FormPage,
    MembershipForm,
    OrganisationSettingsForm,
    SiteForm,
    StaffCreateForm,
    handle_form,
)
from haven.orgs.models import Area, Membership, Site
from haven.orgs.roles import ROLES_NOT_KEPT_APART, Role
from haven.privacy.keyring import keyring
from haven.privacy.rotation import pending_versions
from haven.privacy.tasks import rotate_organisation_keys

SITE_MANAGERS = Role.managing_sites()
ORG_ADMINS = Role.managing_org()
FORM_METHODS = ("GET", "POST")


def _site_page(message: str, **context: Any) -> FormPage:
    return FormPage(
        "orgs/site_form.html", message, lambda site: reverse("orgs:site_detail", args=[site.pk]), context
    )


def _list_page(template: str, message: str, list_url: str, **context: Any) -> FormPage:
    return FormPage(template, message, lambda _result: reverse(list_url), context)


@staff_view(ROLES_NOT_KEPT_APART)
def site_list(request: StaffRequest) -> HttpResponse:
    sites = Site.objects.visible_to(request.user).select_related("area")
    can_add = request.membership.role_enum.manages_org
    return render(request, "orgs/site_list.html", {"sites": sites, "can_add": can_add})


@staff_view(ROLES_NOT_KEPT_APART, object_kwargs=("site_id",))
def site_detail(request: StaffRequest, site_id: str) -> HttpResponse:
    site = get_visible_or_404(Site.objects.select_related("area"), request.user, pk=site_id)
    show_address = site.address_visible_to(request.user)
    if show_address and site.is_confidential:
        actions.record_site_view(site=site, acting_user=request.user, at=timezone.now())
    can_edit = Site.objects.visible_to(request.user, "change").filter(pk=site.pk).exists()
    context = {"site": site, "show_address": show_address, "can_edit": can_edit}
    return render(request, "orgs/site_detail.html", context)


@staff_view(ORG_ADMINS, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def site_create(request: StaffRequest) -> HttpResponse:
    form = SiteForm(request.POST or None, org=request.org)

    def save(data: dict[str, Any]) -> Site:
        return actions.create_site(org=request.org, acting_user=request.user, at=timezone.now(), **data)

    return handle_form(request, form, save, _site_page(_("Site created."), title=_("New site")))


@staff_view(SITE_MANAGERS, object_kwargs=("site_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def site_edit(request: StaffRequest, site_id: str) -> HttpResponse:
    site = get_visible_or_404(Site.objects.all(), request.user, "change", pk=site_id)
    if request.method == "GET" and site.is_confidential and site.address_visible_to(request.user):
        # The form shows the address as it stands: that is a reading too, audited as on the site's page.
        actions.record_site_view(site=site, acting_user=request.user, at=timezone.now())
    initial = {name: getattr(site, name) for name in actions.SITE_FIELDS}
    form = SiteForm(request.POST or None, initial=initial, org=request.org)

    def save(data: dict[str, Any]) -> Site:
        return actions.update_site(site=site, changes=data, acting_user=request.user, at=timezone.now())

    return handle_form(request, form, save, _site_page(_("Site saved."), title=site.name, site=site))


@staff_view()
def area_list(request: StaffRequest) -> HttpResponse:
    areas = list(Area.objects.visible_to(request.user).order_by("level", "name"))
    can_edit = request.membership.role_enum.manages_org
    return render(request, "orgs/area_list.html", {"tree": _area_tree(areas), "can_edit": can_edit})


def _area_tree(areas: list[Area]) -> list[tuple[Area, int]]:
    """Areas in depth-first order with their depth, for an indented list."""
    children: dict[Any, list[Area]] = {}
    for area in areas:
        children.setdefault(area.parent_id, []).append(area)
    ordered: list[tuple[Area, int]] = []

    def walk(parent_id: Any, depth: int) -> None:
        for child in children.get(parent_id, []):
            ordered.append((child, depth))
            walk(child.pk, depth + 1)

    walk(None, 0)
    return ordered


@staff_view(ORG_ADMINS, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def area_create(request: StaffRequest) -> HttpResponse:
    form = AreaForm(request.POST or None, org=request.org, initial={"parent": request.GET.get("parent")})

    def save(data: dict[str, Any]) -> Area:
        return actions.create_area(org=request.org, acting_user=request.user, at=timezone.now(), **data)

    page = _list_page("orgs/area_form.html", _("Area added."), "orgs:area_list", title=_("New area"))
    return handle_form(request, form, save, page)


@staff_view(ORG_ADMINS, object_kwargs=("area_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def area_edit(request: StaffRequest, area_id: str) -> HttpResponse:
    area = get_visible_or_404(Area.objects.all(), request.user, "change", pk=area_id)
    initial = {name: getattr(area, name) for name in actions.AREA_FIELDS}
    form = AreaForm(request.POST or None, initial=initial, org=request.org)

    def save(data: dict[str, Any]) -> Area:
        return actions.update_area(area=area, changes=data, acting_user=request.user, at=timezone.now())

    page = _list_page("orgs/area_form.html", _("Area saved."), "orgs:area_list", title=area.name)
    return handle_form(request, form, save, page)


@staff_view(ORG_ADMINS)
def staff_list(request: StaffRequest) -> HttpResponse:
    members = Membership.objects.visible_to(request.user).select_related("user", "site")
    members = members.order_by("user__last_name", "user__first_name")
    return render(request, "orgs/staff_list.html", {"members": members})


@staff_view(ORG_ADMINS, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def staff_create(request: StaffRequest) -> HttpResponse:
    form = StaffCreateForm(request.POST or None, org=request.org)

    def save(data: dict[str, Any]) -> Membership:
        return create_staff_member(org=request.org, acting_user=request.user, at=timezone.now(), **data)

    page = _list_page(
        "orgs/staff_form.html", _("Staff member added."), "orgs:staff_list", title=_("New staff member")
    )
    return handle_form(request, form, save, page)


@staff_view(ORG_ADMINS, object_kwargs=("membership_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def staff_edit(request: StaffRequest, membership_id: str) -> HttpResponse:
    membership = get_visible_or_404(
        Membership.objects.select_related("user"), request.user, "change", pk=membership_id
    )
    initial = {"role": membership.role, "site": membership.site_id, "is_active": membership.is_active}
    form = MembershipForm(request.POST or None, initial=initial, org=request.org)

    def save(data: dict[str, Any]) -> Membership:
        return actions.update_membership(
            membership=membership, changes=data, acting_user=request.user, at=timezone.now()
        )

    page = _list_page(
        "orgs/staff_form.html",
        _("Staff member saved."),
        "orgs:staff_list",
        title=membership.user.get_full_name(),
        member=membership,
    )
    return handle_form(request, form, save, page)


@staff_view(ORG_ADMINS, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def org_settings(request: StaffRequest) -> HttpResponse:
    org = request.org
    initial = {name: getattr(org, name) for name in actions.ORG_SETTINGS_FIELDS}
    form = OrganisationSettingsForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> Any:
        return actions.update_organisation_settings(
            org=org, changes=data, acting_user=request.user, at=timezone.now()
        )

    key_status = {
        "pending_versions": pending_versions(org.pk),
        "active_version": keyring.for_org(org.pk).active_version,
    }
    page = _list_page("orgs/settings.html", _("Settings saved."), "orgs:settings", org=org, **key_status)
    return handle_form(request, form, save, page)


@staff_view(ORG_ADMINS, methods=("POST",))
@require_POST
def rotate_keys(request: StaffRequest) -> HttpResponse:
    """Queue a rotation of the organisation's encryption key; the worker re-encrypts in batches."""
    rotate_organisation_keys.enqueue(str(request.org.pk))
    messages.success(request, _("Key rotation queued. Haven re-encrypts your records in the background."))
    return HttpResponseRedirect(reverse("orgs:settings"))
