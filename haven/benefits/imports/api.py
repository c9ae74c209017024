"""API for registry imports: upload a file (base64 in JSON), follow a job, read its errors file.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
The JSON body is bounded by Django's DATA_UPLOAD_MAX_MEMORY_SIZE; a large registry goes through the
upload page or `haven import_registry`. Bad input is a 422 with the verb's sentence.
"""

import base64
import binascii
import uuid
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from haven.benefits.imports import actions, queries
from haven.benefits.imports.models import ImportJob
from haven.benefits.models import PROGRAMME_ROLES
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access

router = Router(tags=["registry imports"])

JOB = ("import_job_id",)


class UploadIn(Schema):
    file_name: str = Field(min_length=1, max_length=200, description="e.g. union-list.csv or .xlsx")
    content_base64: str = Field(min_length=1, description="The file's bytes, base64-encoded")
    dry_run: bool = Field(False, description="Check every row and import nothing")


class JobOut(Schema):
    id: uuid.UUID
    status: str
    status_label: str
    finished: bool
    percent: int
    dry_run: bool
    rows_total: int
    rows_checked: int
    rows_imported: int
    error_count: int
    refused_rows: int
    already_registered: int
    repeated_in_file: int
    flagged_same_phone: int
    flagged_similar_name: int
    households: int
    created_at: datetime
    finished_at: datetime | None


def _job(request: StaffRequest, import_job_id: uuid.UUID) -> ImportJob:
    job: ImportJob = get_visible_or_404(ImportJob.objects.defer("upload"), request.user, pk=import_job_id)
    return job


def _out(job: ImportJob) -> JobOut:
    fields: dict[str, Any] = queries.progress(job)
    fields.pop("errors_url")
    return JobOut(**fields, created_at=job.created_at, finished_at=job.finished_at)


@router.post("/registry-imports", response={201: JobOut}, summary="Upload a registry file to import")
@api_access(PROGRAMME_ROLES)
def upload(request: StaffRequest, payload: UploadIn) -> Status[JobOut]:
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"content_base64": _("This is not base64 text.")}) from None
    job = actions.upload_import(
        org=request.org,
        file_name=payload.file_name,
        content=content,
        dry_run=payload.dry_run,
        acting_user=request.user,
        at=timezone.now(),
    )
    return Status(201, _out(job))


@router.get("/registry-imports", response=list[JobOut], summary="The latest imports")
@api_access(PROGRAMME_ROLES)
def list_jobs(request: StaffRequest) -> list[JobOut]:
    return [_out(job) for job in queries.recent_jobs(request.user)]


@router.get("/registry-imports/{import_job_id}", response=JobOut, summary="An import's status and progress")
@api_access(PROGRAMME_ROLES, object_kwargs=JOB)
def get_job(request: StaffRequest, import_job_id: uuid.UUID) -> JobOut:
    return _out(_job(request, import_job_id))


@router.get("/registry-imports/{import_job_id}/errors", summary="An import's errors file (CSV)")
@api_access(PROGRAMME_ROLES, object_kwargs=JOB)
def get_errors(request: StaffRequest, import_job_id: uuid.UUID) -> HttpResponse:
    job = _job(request, import_job_id)
    return HttpResponse(job.errors_csv, content_type="text/csv; charset=utf-8")
