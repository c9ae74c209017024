"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

The walk's template belongs to the home organisation; its draft is on a fresh case with `member` as lead
where she works on cases (else the caseworker), written by `member` where she drafts (else the lawyer), so
that every role allowed by a page or endpoint gets its 200 and an outsider a 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from haven.conftest import World
from haven.documents import actions
from haven.documents.models import DRAFTERS, DocumentTemplate, Draft
from haven.orgs.models import Membership, Organisation
from haven.orgs.roles import Role
from haven.shelters.tests.walk import case_for


def walk_template(org: Organisation | None = None) -> DocumentTemplate:
    return actions.create_template(
        org=org or Organisation.objects.get(slug="home"),
        kind="POLICE_COMPLAINT",
        language="bn",
        title=f"Walk complaint {uuid.uuid4().hex[:6]}",
        body="অভিযোগকারী: {{survivor.name}}\n{{organisation.name}}, {{today}}",
        acting_user=None,
        at=timezone.now(),
    )


def walk_draft(world: World, member: Membership) -> Draft:
    case = case_for(world, member)
    own = member.org_id == world.org.pk and member.role_enum in DRAFTERS
    author = member if own else world.members[Role.LAWYER]
    user = author.user
    user.active_membership = author
    return actions.draft_document(
        case=case, template=walk_template(), values={}, acting_user=user, at=timezone.now()
    )


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "document_template_id": lambda world, member: walk_template(world.org).pk,
    "document_draft_id": lambda world, member: walk_draft(world, member).pk,
}

PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/document-templates"): lambda: {
        "kind": "PROTECTION_ORDER",
        "language": "fa",
        "title": "Walk application",
        "body": "{{survivor.name}} — {{court.name}}",
    },
    ("POST", "/document-templates/{document_template_id}/versions"): lambda: {
        "title": "Walk complaint, revised",
        "body": "{{survivor.name}}, {{today}}",
    },
    ("POST", "/cases/{case_id}/document-drafts"): lambda: {"template_id": str(walk_template().pk)},
    ("POST", "/document-drafts/{document_draft_id}/versions"): lambda: {"text": "Walk text, changed."},
    ("POST", "/document-drafts/{document_draft_id}/review"): lambda: {"verb": "submit"},
}
