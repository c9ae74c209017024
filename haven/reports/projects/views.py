"""Donor projects: the list, a project with its progress against targets, its targets, and its report
as CSV, XLSX or PDF (through the report exports). Thin: parse, call one verb or query, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, posted_data, run_and_redirect, run_posted_form
from haven.reports.exports.params import ReportRequest
from haven.reports.exports.views import CONTENT_TYPES, render_file
from haven.reports.projects import actions, queries
from haven.reports.projects.forms import ProjectForm, TargetForm
from haven.reports.projects.models import PROJECT_MANAGERS, PROJECT_READERS, Project, ProjectTarget
from haven.web.pdf import PdfUnavailable

FORM_METHODS = ("GET", "POST")


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _project(request: StaffRequest, project_id: Any, action: str = "view") -> Project:
    project: Project = get_visible_or_404(
        Project.objects.select_related("org"), request.user, action, pk=project_id
    )
    return project


def _project_url(project_id: Any) -> str:
    return reverse("report_projects:project", kwargs={"report_project_id": project_id})


@staff_view(PROJECT_READERS)
def project_list(request: StaffRequest) -> HttpResponse:
    projects = Project.objects.visible_to(request.user).prefetch_related("areas", "targets")
    can_manage = request.membership.role_enum in PROJECT_MANAGERS
    return render(request, "report_projects/list.html", {"projects": projects, "can_manage": can_manage})


@staff_view(PROJECT_MANAGERS, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def project_create(request: StaffRequest) -> HttpResponse:
    form = ProjectForm(posted_data(request), org=request.org)
    page = FormPage(
        "report_projects/form.html",
        _("The project was set up. Add the indicators it promised, with their targets."),
        lambda project: _project_url(project.pk),
        {"title": _("New donor project")},
    )
    return handle_form(
        request, form, lambda data: actions.create_project(org=request.org, **data, **_now(request)), page
    )


@staff_view(PROJECT_READERS, object_kwargs=("report_project_id",))
def project_detail(request: StaffRequest, report_project_id: str) -> HttpResponse:
    project = _project(request, report_project_id)
    context = {
        "project": project,
        "lines": queries.progress(project, request.membership.role_enum),
        "can_manage": request.membership.role_enum in PROJECT_MANAGERS,
        "target_form": TargetForm(),
        "formats": list(CONTENT_TYPES),
    }
    return render(request, "report_projects/detail.html", context)


@staff_view(PROJECT_MANAGERS, object_kwargs=("report_project_id",), methods=("POST",))
@require_POST
def target_set(request: StaffRequest, report_project_id: str) -> HttpResponse:
    project = _project(request, report_project_id, "change")
    return run_posted_form(
        request,
        TargetForm(request.POST),
        lambda data: actions.set_target(project=project, **data, **_now(request)),
        _("The target was saved."),
        _project_url(project.pk),
    )


@staff_view(PROJECT_MANAGERS, object_kwargs=("project_target_id",), methods=("POST",))
@require_POST
def target_remove(request: StaffRequest, project_target_id: str) -> HttpResponse:
    target: ProjectTarget = get_visible_or_404(
        ProjectTarget.objects.select_related("project__org"), request.user, "change", pk=project_target_id
    )
    return run_and_redirect(
        request,
        lambda: actions.remove_target(target=target, **_now(request)),
        _("The target was removed."),
        _project_url(target.project_id),
    )


@staff_view(PROJECT_READERS, object_kwargs=("report_project_id",))
def project_export(request: StaffRequest, report_project_id: str) -> HttpResponse:
    """The donor report: every target's indicator for the project's period and areas, suppressed."""
    project = _project(request, report_project_id)
    file_format = request.GET.get("format", "")
    if file_format not in CONTENT_TYPES:
        return HttpResponseRedirect(_project_url(project.pk))
    result = queries.result_of(project, request.membership.role_enum)
    title = _("%(project)s — report to %(donor)s") % {"project": project.name, "donor": project.donor}
    try:
        return render_file(
            request,
            ReportRequest(result.report, result),
            file_format,
            title=title,
            targets=queries.targets_of(project),
        )
    except PdfUnavailable as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(_project_url(project.pk))
