"""Directory pages: find a provider by service, language or area; read one; add or change one.

Thin: parse, call a verb, render. Everyone who refers women reads the directory; managers keep it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from haven.directory import actions
from haven.directory.forms import DirectoryFilterForm, ProviderForm
from haven.directory.models import DIRECTORY_EDITORS, DIRECTORY_READERS, Provider
from haven.directory.queries import find_providers
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form

FORM_METHODS = ("GET", "POST")


def _detail_url(provider: Provider) -> str:
    return reverse("directory:detail", args=[provider.pk])


def _page(message: str, **context: Any) -> FormPage:
    return FormPage("directory/form.html", message, _detail_url, context)


@staff_view(DIRECTORY_READERS)
def provider_list(request: StaffRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None, org=request.org)
    filters = form.cleaned_data if form.is_valid() else {}
    providers = find_providers(
        request.user,
        service=filters.get("service", ""),
        language=filters.get("language", ""),
        area=filters.get("area"),
        open_24_7=filters.get("open_24_7", False),
        include_inactive=filters.get("include_inactive", False),
    )
    context = {
        "form": form,
        "providers": providers,
        "can_add": request.membership.role_enum in DIRECTORY_EDITORS,
    }
    template = "directory/_rows.html" if request.htmx else "directory/list.html"
    return render(request, template, context)


@staff_view(DIRECTORY_READERS, object_kwargs=("provider_id",))
def provider_detail(request: StaffRequest, provider_id: str) -> HttpResponse:
    provider = get_visible_or_404(
        Provider.objects.prefetch_related("services", "areas").select_related("haven_org"),
        request.user,
        pk=provider_id,
    )
    can_edit = request.membership.role_enum in DIRECTORY_EDITORS
    return render(request, "directory/detail.html", {"provider": provider, "can_edit": can_edit})


@staff_view(DIRECTORY_EDITORS, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def provider_create(request: StaffRequest) -> HttpResponse:
    form = ProviderForm(request.POST or None, org=request.org)

    def save(data: dict[str, Any]) -> Provider:
        return actions.create_provider(org=request.org, acting_user=request.user, at=timezone.now(), **data)

    return handle_form(request, form, save, _page(_("Provider added."), title=_("New provider")))


def _initial(provider: Provider) -> dict[str, Any]:
    return {
        **{name: getattr(provider, name) for name in ("name", "kind", "open_24_7", "hours", "phone")},
        **{name: getattr(provider, name) for name in ("email", "address", "is_active")},
        "services": provider.service_codes(),
        "languages": ", ".join(provider.languages),
        "areas": list(provider.areas.all()),
        "haven_org": provider.haven_org.slug if provider.haven_org else "",
    }


@staff_view(DIRECTORY_EDITORS, object_kwargs=("provider_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def provider_edit(request: StaffRequest, provider_id: str) -> HttpResponse:
    provider = get_visible_or_404(Provider.objects.all(), request.user, "change", pk=provider_id)
    form = ProviderForm(request.POST or None, initial=_initial(provider), org=request.org)

    def save(data: dict[str, Any]) -> Provider:
        return actions.update_provider(
            provider=provider, changes=data, acting_user=request.user, at=timezone.now()
        )

    page = _page(_("Provider saved."), title=provider.name, provider=provider)
    return handle_form(request, form, save, page)
