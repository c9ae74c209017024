"""API for documents: the organisation's templates (list, write, revise), drafts on a case (draft one from
a template, list them, read one, save a new version of its text, review it) and a draft's PDF.

Reading a draft and its PDF are audited reads. Refusals are 422 with the verb's field-level messages; a
draft refused for missing fields lists each one under its catalogue key.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

import uuid
from datetime import datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from haven.cases.models import Case
from haven.documents import actions, catalogue, printing
from haven.documents.models import (
    DRAFTERS,
    REVIEWERS,
    TEMPLATE_MANAGERS,
    TEMPLATE_READERS,
    DocumentTemplate,
    Draft,
)
from haven.legal.models import Matter
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.people.views import SURVIVOR_ROLES
from haven.web.openapi import Problem
from haven.web.pdf import PdfUnavailable

router = Router(tags=["documents"])


class TemplateIn(Schema):
    kind: str = Field(max_length=20)
    language: str = Field(max_length=8)
    title: str = Field(max_length=200)
    body: str = Field(max_length=actions.MAX_BODY)


class TemplateVersionIn(Schema):
    title: str = Field(max_length=200)
    body: str = Field(max_length=actions.MAX_BODY)


class FieldOut(Schema):
    key: str
    label: str
    required: bool
    asked: bool


class TemplateOut(Schema):
    id: uuid.UUID
    kind: str
    language: str
    title: str
    version: int
    is_active: bool
    body: str
    fields: list[FieldOut]


class DraftIn(Schema):
    template_id: uuid.UUID
    values: dict[str, str] = {}
    matter_id: uuid.UUID | None = None


class DraftVersionIn(Schema):
    text: str = Field(max_length=actions.MAX_TEXT)
    based_on: int | None = None


class DocumentReviewIn(Schema):
    verb: str = Field(max_length=10)
    comment: str = Field("", max_length=actions.MAX_VALUE)


class DraftOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    matter_id: uuid.UUID | None
    template_id: uuid.UUID
    template_version: int
    kind: str
    title: str
    language: str
    status: str
    version: int
    approved_version: int | None
    created_at: datetime


class DraftDetailOut(DraftOut):
    text: str


def template_out(template: DocumentTemplate) -> dict[str, Any]:
    version = template.current_version
    return {
        "id": template.pk,
        "kind": template.kind,
        "language": template.language,
        "title": template.title,
        "version": template.current_number,
        "is_active": template.is_active,
        "body": version.body,
        "fields": [
            {
                "key": placeholder.key,
                "label": str(catalogue.CATALOGUE[placeholder.key].label),
                "required": placeholder.required,
                "asked": catalogue.CATALOGUE[placeholder.key].is_asked,
            }
            for placeholder in catalogue.placeholders(version.body)
        ],
    }


def draft_out(draft: Draft, with_text: bool = False) -> dict[str, Any]:
    return {
        "id": draft.pk,
        "case_id": draft.case_id,
        "matter_id": draft.matter_id,
        "template_id": draft.template_version.template_id,
        "template_version": draft.template_version.number,
        "kind": draft.kind,
        "title": draft.title,
        "language": draft.language,
        "status": draft.status,
        "version": draft.current_number,
        "approved_version": draft.approved_number,
        "created_at": draft.created_at,
        **({"text": draft.current_version.text} if with_text else {}),
    }


# --- templates -----------------------------------------------------------------------------------------


@router.get("/document-templates", response=list[TemplateOut])
@api_access(TEMPLATE_READERS)
def list_templates(request: StaffRequest) -> Any:
    return [template_out(template) for template in DocumentTemplate.objects.visible_to(request.user)]


@router.post("/document-templates", response={201: TemplateOut})
@api_access(TEMPLATE_MANAGERS)
def create_template(request: StaffRequest, payload: TemplateIn) -> Any:
    template = actions.create_template(
        org=request.org, acting_user=request.user, at=timezone.now(), **payload.dict()
    )
    return Status(201, template_out(template))


@router.post("/document-templates/{document_template_id}/versions", response={201: TemplateOut})
@api_access(TEMPLATE_MANAGERS, object_kwargs=("document_template_id",))
def revise_template(
    request: StaffRequest, document_template_id: uuid.UUID, payload: TemplateVersionIn
) -> Any:
    """A new version of the template; drafts already made keep theirs."""
    template: DocumentTemplate = get_visible_or_404(
        DocumentTemplate.objects.all(), request.user, "change", pk=document_template_id
    )
    actions.revise_template(
        template=template, title=payload.title, body=payload.body, acting_user=request.user, at=timezone.now()
    )
    return Status(201, template_out(template))


# --- drafts --------------------------------------------------------------------------------------------


def _draft(request: StaffRequest, draft_id: uuid.UUID, action: str = "view") -> Draft:
    draft: Draft = get_visible_or_404(
        Draft.objects.select_related("template_version", "org"), request.user, action, pk=draft_id
    )
    return draft


def _matter(request: StaffRequest, case: Case, matter_id: uuid.UUID | None) -> Matter | None:
    if matter_id is None:
        return None
    matter: Matter | None = Matter.objects.visible_to(request.user).filter(case=case, pk=matter_id).first()
    if matter is None:
        raise HttpError(404, _("There is no such legal matter on this case."))
    return matter


@router.post("/cases/{case_id}/document-drafts", response={201: DraftDetailOut})
@api_access(DRAFTERS, object_kwargs=("case_id",))
def draft_document(request: StaffRequest, case_id: uuid.UUID, payload: DraftIn) -> Any:
    """Fill a template for the case. `values` holds the asked fields by catalogue key (see the template's
    `fields`); missing required fields are refused with 422, one error per field."""
    case = get_visible_or_404(
        Case.objects.select_related("survivor", "org"), request.user, "change", pk=case_id
    )
    template: DocumentTemplate = get_visible_or_404(
        DocumentTemplate.objects.all(), request.user, pk=payload.template_id
    )
    draft = actions.draft_document(
        case=case,
        template=template,
        values=payload.values,
        matter=_matter(request, case, payload.matter_id),
        acting_user=request.user,
        at=timezone.now(),
    )
    return Status(201, _read_draft(request, draft))


@router.get("/cases/{case_id}/document-drafts", response=list[DraftOut])
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def case_drafts(request: StaffRequest, case_id: uuid.UUID) -> Any:
    case = get_visible_or_404(Case.objects.all(), request.user, pk=case_id)
    drafts = Draft.objects.visible_to(request.user).filter(case=case).select_related("template_version")
    return [draft_out(draft) for draft in drafts]


@router.get("/document-drafts/{document_draft_id}", response=DraftDetailOut)
@api_access(SURVIVOR_ROLES, object_kwargs=("document_draft_id",))
def read_draft(request: StaffRequest, document_draft_id: uuid.UUID) -> Any:
    """The draft with the text of its newest version (an audited read)."""
    return _read_draft(request, _draft(request, document_draft_id))


def _read_draft(request: StaffRequest, draft: Draft) -> dict[str, Any]:
    """The draft with its text as an answer: the text names her and tells her story, so every answer
    carrying it is an audited read, whether it answers a read, the drafting or a new version."""
    actions.record_draft_view(draft=draft, acting_user=request.user, at=timezone.now())
    return draft_out(draft, with_text=True)


@router.post("/document-drafts/{document_draft_id}/versions", response={201: DraftDetailOut})
@api_access(DRAFTERS, object_kwargs=("document_draft_id",))
def save_version(request: StaffRequest, document_draft_id: uuid.UUID, payload: DraftVersionIn) -> Any:
    draft = _draft(request, document_draft_id, "change")
    actions.save_draft_version(
        draft=draft, text=payload.text, based_on=payload.based_on, acting_user=request.user, at=timezone.now()
    )
    return Status(201, _read_draft(request, draft))


@router.post("/document-drafts/{document_draft_id}/review", response=DraftOut)
@api_access(DRAFTERS | REVIEWERS, object_kwargs=("document_draft_id",))
def review(request: StaffRequest, document_draft_id: uuid.UUID, payload: DocumentReviewIn) -> Any:
    """`verb`: "submit" (send for review), "approve", or "return" (with a `comment`)."""
    draft = _draft(request, document_draft_id, "change")
    actions.move_draft(
        draft=draft, verb=payload.verb, comment=payload.comment, acting_user=request.user, at=timezone.now()
    )
    return draft_out(draft)


@router.get("/document-drafts/{document_draft_id}/pdf", response={200: None, 503: Problem})
@api_access(SURVIVOR_ROLES, object_kwargs=("document_draft_id",))
def draft_pdf(
    request: StaffRequest, document_draft_id: uuid.UUID, version: int | None = None
) -> HttpResponse:
    """The approved version (or `version`, or the newest before approval, marked as a draft) as a PDF;
    503 when this server cannot make PDFs."""
    draft = _draft(request, document_draft_id)
    shown, approved = printing.version_to_print(draft, version)
    try:
        document = printing.draft_pdf(draft, shown, approved=approved)
    except PdfUnavailable as unavailable:
        raise HttpError(503, str(unavailable)) from None
    actions.record_draft_print(
        draft=draft, version_number=shown.number, acting_user=request.user, at=timezone.now()
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{printing.file_name()}"'
    response["Cache-Control"] = "no-store"
    return response
