"""A drafted document as a PDF: the template's language decides the script's Noto fonts and the direction.

Only the approved version prints clean; any other version prints with a "draft, not approved" mark on
every page, so that an unreviewed text cannot pass for the approved one.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from haven.documents.models import Draft, DraftVersion
from haven.web.pdf import render_pdf


def version_to_print(draft: Draft, number: int | None) -> tuple[DraftVersion, bool]:
    """The version asked for (default: the approved one, else the newest) and whether it is the approved
    version. A number the draft does not have is a 404."""
    if number is None:
        number = draft.approved_number or draft.current_number
    version = draft.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version, draft.status == Draft.Status.APPROVED and number == draft.approved_number


def draft_pdf(draft: Draft, version: DraftVersion, *, approved: bool) -> bytes:
    """Raises `haven.web.pdf.PdfUnavailable` when this server cannot make PDFs."""
    context = {"draft": draft, "version": version, "approved": approved}
    return render_pdf("documents/draft_pdf.html", context, language=draft.language)


def file_name() -> str:
    # No name of hers and nothing about violence: the file may land on a shared or seized computer.
    return f"document-{timezone.localdate().isoformat()}.pdf"
