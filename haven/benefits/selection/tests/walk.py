"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

Each factory makes fresh objects of the home organisation, in the state the step under test needs: a
list still in draft, one in review, one reviewed (ready to publish), one published with its window open,
one whose window closed (ready to finalise). Each builds on a union of its own, so quotas never overlap.
The programme has an empty rule set: every adult woman is eligible under it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from haven.benefits.models import Application, Programme, RuleSet
from haven.benefits.selection import actions
from haven.benefits.selection.models import Objection, SelectionEntry, SelectionList
from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs.models import Area, Membership, Organisation

PDF = b"%PDF-1.4 walk paper"


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def programme() -> Programme:
    org = _home()
    found: Programme | None = Programme.objects.filter(org=org, code="walkvwb").first()
    if found is not None:
        return found
    created = factories.vwb(org, code="walkvwb", name="Walk VWB")
    RuleSet.objects.create(org=org, programme=created, version=1, created_at=timezone.now())
    return created


def union() -> Area:
    return factories.union(_home(), f"Walk union {uuid.uuid4().hex[:8]}")


def application(area: Area | None = None) -> Application:
    who = factories.beneficiary(_home(), area=area or union())
    return actions.submit_application(
        programme=programme(), beneficiary=who, channel="OFFICER", acting_user=None, at=timezone.now()
    )


def quota(places: int = 2) -> Any:
    today = timezone.localdate()
    return actions.create_quota(
        programme=programme(),
        area=union(),
        period_start=today - timedelta(days=10),
        period_end=today + timedelta(days=50),
        places=places,
        acting_user=None,
        at=timezone.now(),
    )


def draft(at: Any = None) -> SelectionList:
    places = quota()
    application(places.area)
    return actions.build_draft(quota=places, acting_user=None, at=at or timezone.now())


def reviewing(at: Any = None) -> SelectionList:
    at = at or timezone.now()
    selection_list = draft(at)
    return actions.start_review(
        selection_list=selection_list,
        committee_name="Walk committee",
        reviewed_on=timezone.localdate(at),
        acting_user=None,
        at=at,
    )


def reviewed(at: Any = None) -> SelectionList:
    at = at or timezone.now()
    selection_list = reviewing(at)
    actions.add_committee_member(
        selection_list=selection_list,
        name="Walk Member",
        institution="Union Parishad",
        role_on_committee="Chair",
        was_present=True,
        acting_user=None,
        at=at,
    )
    actions.include_undecided(selection_list=selection_list, acting_user=None, at=at)
    return selection_list


def published(days_ago: int = 0) -> SelectionList:
    at = timezone.now() - timedelta(days=days_ago)
    selection_list = reviewed(at)
    return actions.publish_list(
        selection_list=selection_list,
        objections_end_on=timezone.localdate(at) + timedelta(days=7),
        acting_user=None,
        at=at,
    )


def entry() -> SelectionEntry:
    found: SelectionEntry = SelectionEntry.objects.filter(selection_list=reviewing()).get()
    return found


def objection() -> Objection:
    return actions.record_objection(
        selection_list=published(),
        about="OMISSION",
        text="Walk objection",
        channel="OFFICER",
        acting_user=None,
        at=timezone.now(),
    )


def document() -> Any:
    return actions.attach_document(
        application=application(),
        kind="NID_COPY",
        file_name="walk.pdf",
        content=PDF,
        acting_user=None,
        at=timezone.now(),
    )


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "benefit_application_id": lambda world, member: application().pk,
    "application_document_id": lambda world, member: document().pk,
    "selection_quota_id": lambda world, member: quota().pk,
    "selection_list_id": lambda world, member: draft().pk,
    "draft_list_id": lambda world, member: draft().pk,
    "reviewing_list_id": lambda world, member: reviewing().pk,
    "reviewed_list_id": lambda world, member: reviewed().pk,
    "published_list_id": lambda world, member: published().pk,
    "closing_list_id": lambda world, member: published(days_ago=9).pk,
    "selection_entry_id": lambda world, member: entry().pk,
    "list_objection_id": lambda world, member: objection().pk,
}


def _application_body() -> dict[str, Any]:
    who = factories.beneficiary(_home(), area=union())
    return {"programme_id": str(programme().pk), "beneficiary_id": str(who.pk)}


def _quota_body() -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "programme_id": str(programme().pk),
        "area_id": str(union().pk),
        "period_start": today.isoformat(),
        "period_end": (today + timedelta(days=30)).isoformat(),
        "places": 5,
    }


PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/benefit-applications"): _application_body,
    ("POST", "/benefit-applications/{benefit_application_id}/withdraw"): lambda: {},
    ("POST", "/benefit-applications/{benefit_application_id}/documents"): lambda: {
        "kind": "NID_COPY",
        "file_name": "nid.pdf",
        "content_base64": "JVBERi0xLjQgd2Fsaw==",
    },
    ("POST", "/quotas"): _quota_body,
    ("PATCH", "/quotas/{selection_quota_id}"): lambda: {"places": 3},
    ("POST", "/quotas/{selection_quota_id}/draft-list"): lambda: {},
    ("POST", "/selection-lists/{draft_list_id}/review"): lambda: {
        "committee_name": "Walk committee",
        "reviewed_on": timezone.localdate().isoformat(),
    },
    ("POST", "/selection-lists/{reviewing_list_id}/committee-members"): lambda: {
        "name": "Walk Member",
        "institution": "Upazila office",
        "role_on_committee": "Member secretary",
    },
    ("POST", "/selection-entries/{selection_entry_id}/decision"): lambda: {"decision": "INCLUDE"},
    ("POST", "/selection-lists/{reviewing_list_id}/include-undecided"): lambda: {},
    ("POST", "/selection-lists/{reviewed_list_id}/publish"): lambda: {
        "objections_end_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
    },
    ("POST", "/selection-lists/{published_list_id}/objections"): lambda: {
        "about": "OMISSION",
        "text": "A neighbour was left out",
    },
    ("POST", "/list-objections/{list_objection_id}/decision"): lambda: {
        "upheld": False,
        "reason": "Not eligible",
    },
    ("POST", "/selection-lists/{closing_list_id}/finalise"): lambda: {},
}
