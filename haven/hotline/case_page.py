"""The hotline's part of the case page: a panel of the contacts linked to the case and one timeline event
per contact. Registered from `HotlineConfig.ready()` (see haven/cases/sections.py).

Both say how she reached us, when, who it was and how it ended; never the contact's summary, which is
read (and audited) on the contact's own page.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext as _

from haven.cases.models import Case
from haven.cases.sections import CasePanel, TimelineItem, register_panel, register_timeline_source
from haven.hotline.models import Contact
from haven.orgs.access import StaffRequest


def _summary(contact: Contact) -> str:
    parts = [_("Hotline contact"), contact.get_kind_display()]
    if contact.caller_type:
        parts.append(contact.get_caller_type_display())
    parts.append(contact.get_outcome_display() if contact.outcome else contact.get_state_display())
    return " · ".join(str(part) for part in parts)


def contact_items(case: Case) -> Iterator[TimelineItem]:
    for contact in Contact.objects.filter(case=case).order_by("offered_at"):
        yield TimelineItem(
            kind="contact",
            at=contact.offered_at,
            summary=_summary(contact),
            template="hotline/_timeline_contact.html",
            obj=contact,
        )


def contacts_panel(case: Case, request: StaffRequest) -> Mapping[str, Any]:
    contacts = Contact.objects.visible_to(request.user).filter(case=case).order_by("-offered_at")
    return {"contacts": contacts}


def register() -> None:
    register_timeline_source("hotline.contacts", contact_items)
    register_panel(CasePanel("hotline.contacts", 45, "hotline/_panel_contacts.html", contacts_panel))
