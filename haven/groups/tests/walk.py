"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

Each factory makes a fresh object of the home organisation, so every allowed role gets its own: a
training with one participant who passed (for certificates), a session of a community meeting without a
limit on places, a campaign that started a year ago and a material with copies to hand out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from haven.conftest import World
from haven.groups import actions
from haven.groups.models import Activity, Campaign, Enrolment, Material
from haven.orgs.models import Membership, Organisation
from haven.people.actions import register_person
from haven.people.models import Person


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def fresh_person() -> Person:
    return register_person(org=_home(), name="Walk Participant", acting_user=None, at=timezone.now())


def activity(kind: str = "VOCATIONAL_TRAINING") -> Activity:
    return actions.create_activity(
        org=_home(),
        kind=kind,
        title="Walk activity",
        audience="WOMEN",
        language="en",
        starts_on=timezone.localdate() - timedelta(days=30),
        acting_user=None,
        at=timezone.now(),
    )


def enrolment(*, passed: bool | None = None) -> Enrolment:
    enrolled = actions.enrol(activity=activity(), person=fresh_person(), acting_user=None, at=timezone.now())
    if passed is None:
        return enrolled
    score = 80 if passed else 20
    return actions.record_exam_result(enrolment=enrolled, score=score, acting_user=None, at=timezone.now())


def training_with_a_pass(world: World, member: Membership) -> Any:
    return enrolment(passed=True).activity_id


def session(world: World, member: Membership) -> Any:
    meeting = activity("COMMUNITY_MEETING")
    return actions.add_session(
        activity=meeting, starts_at=timezone.now(), acting_user=None, at=timezone.now()
    ).pk


def certificate(world: World, member: Membership) -> Any:
    passed = enrolment(passed=True)
    return actions.issue_certificate(
        activity=passed.activity, person=passed.person, acting_user=None, at=timezone.now()
    ).pk


def campaign() -> Campaign:
    return actions.create_campaign(
        org=_home(),
        title="#StopViolence",
        starts_on=timezone.localdate() - timedelta(days=365),
        acting_user=None,
        at=timezone.now(),
    )


def material(world: World, member: Membership) -> Any:
    return actions.add_material(
        campaign=campaign(),
        kind=Material.Kind.BOOKLET,
        title="Walk booklet",
        language="ru",
        audience="Women",
        quantity_produced=1000,
        acting_user=None,
        at=timezone.now(),
    ).pk


def _uncertified_pass() -> str:
    """The participant who passed in the training the endpoint's URL names (made just before the body)."""
    passed = Enrolment.objects.filter(passed=True, certificate__isnull=True).order_by("-enrolled_at").first()
    assert passed is not None
    return str(passed.person_id)


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "group_activity_id": training_with_a_pass,
    "group_session_id": session,
    "group_enrolment_id": lambda world, member: enrolment().pk,
    "group_certificate_id": certificate,
    "group_campaign_id": lambda world, member: campaign().pk,
    "group_material_id": material,
}

PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/groups/activities"): lambda: {
        "kind": "KITCHEN_MEETING",
        "title": "Réunion de cuisine",
        "audience": "RESIDENTS",
        "language": "fr",
        "starts_on": timezone.localdate().isoformat(),
        "capacity": 12,
    },
    ("POST", "/groups/activities/{group_activity_id}/sessions"): lambda: {
        "starts_at": timezone.now().isoformat(),
        "place": "Community hall",
    },
    ("POST", "/groups/sessions/{group_session_id}/attendance"): lambda: {
        "person_id": str(fresh_person().pk),
        "status": "PRESENT",
    },
    ("PUT", "/groups/sessions/{group_session_id}/anonymous-counts"): lambda: {
        "counts": [{"sex": "FEMALE", "age_group": "25_59", "count": 3}]
    },
    ("POST", "/groups/activities/{group_activity_id}/enrolments"): lambda: {
        "person_id": str(fresh_person().pk)
    },
    ("POST", "/groups/enrolments/{group_enrolment_id}/exam"): lambda: {"score": 70},
    ("POST", "/groups/activities/{group_activity_id}/certificates"): lambda: {
        "person_id": _uncertified_pass()
    },
    ("POST", "/groups/campaigns"): lambda: {
        "title": "#StopViolence",
        "starts_on": timezone.localdate().isoformat(),
    },
    ("POST", "/groups/campaigns/{group_campaign_id}/materials"): lambda: {
        "kind": "BROCHURE",
        "title": "Как справиться с гневом?",
        "language": "ru",
        "audience": "Men who use violence",
        "quantity_produced": 600,
    },
    ("POST", "/groups/materials/{group_material_id}/distributions"): lambda: {
        "quantity": 10,
        "distributed_on": timezone.localdate().isoformat(),
        "place": "Market",
    },
}
