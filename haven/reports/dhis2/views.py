"""Pages of the DHIS2 export: the organisation's mappings and the download of a data value set.

Thin: parse, call one verb, render. Data officers and administrators only."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import run_and_redirect, run_posted_form
from haven.reports.dhis2 import actions
from haven.reports.dhis2.forms import ElementMappingForm, ExportForm, OrgUnitMappingForm
from haven.reports.dhis2.models import DHIS2_ROLES, ElementMapping, OrgUnitMapping


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _index() -> str:
    return reverse("dhis2:index")


@staff_view(DHIS2_ROLES)
def index(request: StaffRequest) -> HttpResponse:
    context = {
        "elements": ElementMapping.objects.visible_to(request.user),
        "units": OrgUnitMapping.objects.visible_to(request.user).select_related("area"),
        "element_form": ElementMappingForm(),
        "unit_form": OrgUnitMappingForm(org=request.org),
        "export_form": ExportForm(),
    }
    return render(request, "dhis2/index.html", context)


@staff_view(DHIS2_ROLES, methods=("POST",))
@require_POST
def add_element(request: StaffRequest) -> HttpResponse:
    return run_posted_form(
        request,
        ElementMappingForm(request.POST),
        lambda data: actions.add_element_mapping(org=request.org, **data, **_now(request)),
        _("The data element mapping was added."),
        _index(),
    )


@staff_view(DHIS2_ROLES, methods=("POST",))
@require_POST
def add_unit(request: StaffRequest) -> HttpResponse:
    return run_posted_form(
        request,
        OrgUnitMappingForm(request.POST, org=request.org),
        lambda data: actions.add_org_unit_mapping(org=request.org, **data, **_now(request)),
        _("The org unit mapping was added."),
        _index(),
    )


@staff_view(DHIS2_ROLES, object_kwargs=("dhis2_element_id",), methods=("POST",))
@require_POST
def remove_element(request: StaffRequest, dhis2_element_id: str) -> HttpResponse:
    mapping = get_visible_or_404(ElementMapping.objects.all(), request.user, pk=dhis2_element_id)
    run = lambda: actions.remove_mapping(mapping=mapping, **_now(request))  # noqa: E731
    return run_and_redirect(request, run, _("The mapping was removed."), _index())


@staff_view(DHIS2_ROLES, object_kwargs=("dhis2_unit_id",), methods=("POST",))
@require_POST
def remove_unit(request: StaffRequest, dhis2_unit_id: str) -> HttpResponse:
    mapping = get_visible_or_404(OrgUnitMapping.objects.all(), request.user, pk=dhis2_unit_id)
    run = lambda: actions.remove_mapping(mapping=mapping, **_now(request))  # noqa: E731
    return run_and_redirect(request, run, _("The mapping was removed."), _index())


@staff_view(DHIS2_ROLES)
def download(request: StaffRequest) -> HttpResponse:
    """The data value set as a JSON file; a refusal goes back to the page with its reasons."""
    form = ExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(_index())
    try:
        payload, _withheld = actions.export_data_value_set(
            org=request.org, **form.cleaned_data, **_now(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(_index())
    response = HttpResponse(json.dumps(payload, indent=2), content_type="application/json")
    name = f"dataValueSets-{payload['period']}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
