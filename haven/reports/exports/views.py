"""Export pages: a report as CSV, XLSX or PDF (the report page's own GET parameters plus ``format``),
and record-level exports for the organisation's own use (request, progress, one download).

Thin: parse, call one verb or query, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import add_verb_errors, posted_data
from haven.orgs.roles import ALL_ROLES
from haven.reports.exports import actions, formats
from haven.reports.exports.forms import RecordExportForm, ReportChoiceForm
from haven.reports.exports.models import RecordExport
from haven.reports.exports.params import ReportRequest, read_request
from haven.reports.exports.records import EXPORTING_ROLES
from haven.web.pdf import PdfUnavailable

FORM_METHODS = ("GET", "POST")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def render_file(
    request: StaffRequest, wanted: ReportRequest, file_format: str, **sheet_options: Any
) -> HttpResponse:
    """The computed report as ``file_format``; shared with the donor projects' exports."""
    language = get_language() or request.org.default_language
    data = formats.sheet(wanted.result, language=language, **sheet_options)
    if file_format == "csv":
        content = formats.to_csv(data)
    elif file_format == "xlsx":
        content = formats.to_xlsx(data, language=language)
    else:
        generated = timezone.localdate().isoformat()
        content = formats.to_pdf(data, language=language, generated=generated)
    actions.record_report_export(
        org=request.org,
        report_code=wanted.report.code,
        file_format=file_format,
        acting_user=request.user,
        at=timezone.now(),
    )
    return attachment(content, CONTENT_TYPES[file_format], f"{wanted.file_stem}.{file_format}")


@staff_view(ALL_ROLES)
def report_file(request: StaffRequest) -> HttpResponse:
    """A report as a file; without (or with wrong) parameters, the form to choose them."""
    form = ReportChoiceForm(request.GET or None, role=request.membership.role_enum)
    file_format = request.GET.get("format", "")
    if not request.GET.get("report") or file_format not in CONTENT_TYPES:
        return _choose(request, form, 200)
    try:
        return render_file(request, read_request(request.GET, request.membership), file_format)
    except ValidationError as error:
        form.is_valid()
        add_verb_errors(form, error)
        return _choose(request, form, 422)
    except PdfUnavailable as error:
        messages.error(request, str(error))
        return _choose(request, form, 503)


def _choose(request: StaffRequest, form: ReportChoiceForm, status: int) -> HttpResponse:
    return render(request, "report_exports/choose.html", {"form": form}, status=status)


def _records_url() -> str:
    return reverse("report_exports:records")


@sensitive_post_parameters("password", "password_again")
@staff_view(EXPORTING_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def records(request: StaffRequest) -> HttpResponse:
    """Her own record-level exports, and the form to ask for one."""
    actions.expire_record_exports(at=timezone.now())
    form = RecordExportForm(posted_data(request), role=request.membership.role_enum)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            export = actions.request_record_export(
                membership=request.membership,
                record_set=data["record_set"],
                period_code=data["period"],
                password=data["password"],
                password_again=data["password_again"],
                acting_user=request.user,
                at=timezone.now(),
            )
        except ValidationError as error:
            add_verb_errors(form, error)
        else:
            messages.success(request, _("The export is being prepared."))
            return HttpResponseRedirect(reverse("report_exports:record", args=[export.pk]))
    exports = RecordExport.objects.visible_to(request.user)[:50]
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "report_exports/records.html", {"form": form, "exports": exports}, status=status)


def _export(request: StaffRequest, record_export_id: Any, action: str = "view") -> RecordExport:
    export: RecordExport = get_visible_or_404(
        RecordExport.objects.all(), request.user, action, pk=record_export_id
    )
    return export


@staff_view(EXPORTING_ROLES, object_kwargs=("record_export_id",))
def record_detail(request: StaffRequest, record_export_id: str) -> HttpResponse:
    export = _export(request, record_export_id)
    return render(request, "report_exports/record_detail.html", {"export": export})


@staff_view(EXPORTING_ROLES, object_kwargs=("record_export_id",))
def record_progress(request: StaffRequest, record_export_id: str) -> HttpResponse:
    """The progress panel alone, polled by htmx every two seconds until the job has finished."""
    export = _export(request, record_export_id)
    return render(request, "report_exports/_progress.html", {"export": export})


@staff_view(EXPORTING_ROLES, object_kwargs=("record_export_id",), methods=("POST",))
@require_POST
def record_download(request: StaffRequest, record_export_id: str) -> HttpResponse:
    export = _export(request, record_export_id, "download")
    try:
        name, content = actions.download_record_export(
            export=export, acting_user=request.user, at=timezone.now()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("report_exports:record", args=[export.pk]))
    return attachment(content, "application/zip", name)
