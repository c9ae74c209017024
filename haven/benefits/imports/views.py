"""Pages of registry imports: upload (with the column guide and templates), a job with its progress bar,
its progress as JSON for the bar, and its errors file.

Programme staff only (`PROGRAMME_ROLES`). The errors file holds row numbers, column names and reasons,
never a value from the file, so downloading it reveals nobody.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from haven.benefits.imports import actions, columns, queries
from haven.benefits.imports.forms import UploadForm
from haven.benefits.imports.models import ImportJob
from haven.benefits.models import PROGRAMME_ROLES
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form

FORM_METHODS = ("GET", "POST")
JOB = ("import_job_id",)


def _job(request: StaffRequest, import_job_id: Any) -> ImportJob:
    job: ImportJob = get_visible_or_404(ImportJob.objects.defer("upload"), request.user, pk=import_job_id)
    return job


@staff_view(PROGRAMME_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def job_list(request: StaffRequest) -> HttpResponse:
    """The upload form, the guide to the columns, and the latest imports."""
    form = (
        UploadForm(request.POST or None, request.FILES or None) if request.method == "POST" else UploadForm()
    )

    def save(data: dict[str, Any]) -> ImportJob:
        upload = data["file"]
        return actions.upload_import(
            org=request.org,
            file_name=upload.name or "",
            content=upload.read(),
            dry_run=data["dry_run"],
            acting_user=request.user,
            at=timezone.now(),
        )

    context = {"jobs": queries.recent_jobs(request.user), "columns": columns.COLUMNS}
    page = FormPage(
        "imports/list.html",
        _("File received. Haven checks every row, then imports all of them or none."),
        lambda job: reverse("imports:detail", args=[job.pk]),
        context,
    )
    return handle_form(request, form, save, page)


@staff_view(PROGRAMME_ROLES, object_kwargs=JOB)
def job_detail(request: StaffRequest, import_job_id: str) -> HttpResponse:
    job = _job(request, import_job_id)
    return render(request, "imports/detail.html", {"job": job, "progress": queries.progress(job)})


@staff_view(PROGRAMME_ROLES, object_kwargs=JOB)
def job_progress(request: StaffRequest, import_job_id: str) -> JsonResponse:
    """The progress bar's data, polled every few seconds by the job page."""
    return JsonResponse(queries.progress(_job(request, import_job_id)))


@staff_view(PROGRAMME_ROLES, object_kwargs=JOB)
def job_errors(request: StaffRequest, import_job_id: str) -> HttpResponse:
    job = _job(request, import_job_id)
    response = HttpResponse(job.errors_csv, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-errors-{job.pk}.csv"'
    return response


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_view(PROGRAMME_ROLES)
def template_csv(request: StaffRequest) -> HttpResponse:
    return _download(columns.template_csv(), "text/csv; charset=utf-8", "registry-template.csv")


@staff_view(PROGRAMME_ROLES)
def template_xlsx(request: StaffRequest) -> HttpResponse:
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(columns.template_xlsx(), xlsx, "registry-template.xlsx")
