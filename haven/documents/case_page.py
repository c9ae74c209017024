"""The documents' part of the case page: the documents drafted for her case (each a link to the draft, an
audited read) and, for those who draft, "Draft a document". Registered from `DocumentsConfig.ready()`.

The panel lists titles and statuses only: a document's text is read on its own page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from haven.cases.models import Case
from haven.cases.sections import CasePanel, register_panel
from haven.documents.models import DRAFTERS, Draft
from haven.orgs.access import StaffRequest


def documents_panel(case: Case, request: StaffRequest) -> Mapping[str, Any]:
    drafts = Draft.objects.visible_to(request.user).filter(case=case)
    return {
        "drafts": drafts,
        "may_draft": request.membership.role_enum in DRAFTERS and not case.is_closed,
    }


def register() -> None:
    register_panel(CasePanel("documents.drafts", 46, "documents/_panel_documents.html", documents_panel))
