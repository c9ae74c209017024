"""Template helpers of the documents app: a placeholder written out for help texts, and the list of a
legal matter's drafts for the matter page (`{% include "documents/_matter_documents.html" %}`)."""

from __future__ import annotations

from typing import Any

from django import template

from haven.documents.models import DRAFTERS, Draft

register = template.Library()


@register.simple_tag
def placeholder(key: str, optional: bool = False) -> str:
    """`{{key}}` (or `{{key?}}`) as text: Django's own braces cannot be written inside a template."""
    return "{{" + key + ("?" if optional else "") + "}}"


@register.inclusion_tag("documents/_matter_documents_list.html", takes_context=True)
def matter_documents(context: template.Context, matter: Any) -> dict[str, Any]:
    """The drafts linked to `matter` that the signed-in member may see (the case rule)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    drafts = (
        Draft.objects.visible_to(user).filter(matter=matter) if matter is not None else Draft.objects.none()
    )
    membership = getattr(request, "membership", None)
    may_draft = membership is not None and membership.role_enum in DRAFTERS and matter is not None
    return {"drafts": drafts, "matter": matter, "may_draft": may_draft, "request": request}
