"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

The walk's facility describes the home organisation's shelter site (so its site-bound managers change
it); each factory adds what it needs (a fresh bed, a fresh case with `member` on it) so every allowed role
gets a 200/201 and an outsider a 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from haven.cases.actions import open_case
from haven.cases.models import Case, manages_cases
from haven.conftest import World
from haven.orgs.actions import create_site
from haven.orgs.models import Membership, Organisation, Site
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.shelters import actions
from haven.shelters.models import Bed, Facility, Room, Stay


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def facility_on(site: Site) -> Facility:
    existing = Facility.objects.filter(site=site).first()
    return existing or actions.create_facility(
        site=site, facility_type="SHELTER", operator="NGO", acting_user=None, at=timezone.now()
    )


def home_facility() -> Facility:
    return facility_on(Site.objects.get(org=_home(), name="Shelter"))


def second_facility() -> Facility:
    """Another facility of the home organisation, to transfer to."""
    site = Site.objects.filter(org=_home(), name="Walk safe house").first() or create_site(
        org=_home(), name="Walk safe house", kind=Site.Kind.SHELTER, acting_user=None, at=timezone.now()
    )
    return facility_on(site)


def fresh_bed(facility: Facility | None = None) -> Bed:
    facility = facility or home_facility()
    room = actions.add_room(
        facility=facility,
        name=f"Walk {uuid.uuid4().hex[:8]}",
        beds=[actions.NewBed("A")],
        acting_user=None,
        at=timezone.now(),
    )
    return Bed.objects.get(room=room)


def case_for(world: World, member: Membership) -> Case:
    """A case of the home organisation led by `member` where she works on cases, else by the caseworker."""
    survivor = register_person(org=world.org, name="Walk Person", acting_user=None, at=world.at)
    role = member.role_enum
    own = member.org_id == world.org.pk and role.works_with_survivors and not manages_cases(role)
    lead = member if own else world.members[Role.CASEWORKER]
    return open_case(survivor=survivor, lead=lead, acting_user=None, at=world.at)


def stay_for(world: World, member: Membership) -> Stay:
    case = case_for(world, member)
    bed = fresh_bed()
    return actions.admit_household(
        case=case,
        facility=bed.facility,
        residents=[(case.survivor, bed)],
        arrival_kind="WALK_IN",
        acting_user=None,
        at=timezone.now(),
    )


def extension(world: World, member: Membership) -> Any:
    stay = stay_for(world, member)
    return actions.request_extension(
        stay=stay,
        new_planned_end=timezone.localdate() + timedelta(days=60),
        reason="Walk reason",
        acting_user=None,
        at=timezone.now(),
    ).pk


def hold(world: World, member: Membership) -> Any:
    bed = fresh_bed()
    return actions.place_hold(
        facility=bed.facility, beds=[bed], held_by=world.org, acting_user=None, at=timezone.now()
    )[0].pk


def entry(world: World, member: Membership) -> Any:
    return actions.add_to_waitlist(case=case_for(world, member), acting_user=None, at=timezone.now()).pk


def room(world: World, member: Membership) -> Any:
    return Room.objects.get(pk=fresh_bed().room_id).pk


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "facility_id": lambda world, member: home_facility().pk,
    "room_id": room,
    "bed_id": lambda world, member: fresh_bed().pk,
    "stay_id": lambda world, member: stay_for(world, member).pk,
    "extension_id": extension,
    "hold_id": hold,
    "entry_id": entry,
}


def _fresh_site() -> str:
    site = create_site(
        org=_home(),
        name=f"Walk shelter {uuid.uuid4().hex[:8]}",
        kind="SHELTER",
        acting_user=None,
        at=timezone.now(),
    )
    return str(site.pk)


PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/facilities"): lambda: {
        "site_id": _fresh_site(),
        "facility_type": "SAFE_HOUSE",
        "operator": "STATE",
    },
    ("PATCH", "/facilities/{facility_id}"): lambda: {"hold_minutes": 60},
    ("POST", "/facilities/{facility_id}/rooms"): lambda: {
        "name": f"Walk {uuid.uuid4().hex[:8]}",
        "beds": [{"label": "1"}, {"label": "2", "kind": "COT"}],
    },
    ("POST", "/rooms/{room_id}/beds"): lambda: {"beds": [{"label": "B", "is_accessible": True}]},
    ("POST", "/rooms/{room_id}/in-use"): lambda: {"in_use": False},
    ("POST", "/beds/{bed_id}/in-use"): lambda: {"in_use": False},
    ("POST", "/holds"): lambda: {"facility_id": str(home_facility().pk), "bed_ids": [str(fresh_bed().pk)]},
    ("POST", "/holds/{hold_id}/release"): lambda: {},
    ("POST", "/cases/{case_id}/admissions"): lambda: {
        "facility_id": str(home_facility().pk),
        "residents": [{"bed_id": str(fresh_bed().pk)}],
        "arrival_kind": "HOTLINE",
    },
    ("POST", "/stays/{stay_id}/extensions"): lambda: {
        "new_planned_end": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "reason": "She is waiting for new housing",
    },
    ("POST", "/extensions/{extension_id}/decision"): lambda: {"approve": True},
    ("POST", "/stays/{stay_id}/transfer"): lambda: {
        "facility_id": str(second_facility().pk),
        "residents": [{"bed_id": str(fresh_bed(second_facility()).pk)}],
    },
    ("POST", "/stays/{stay_id}/discharge"): lambda: {"destination": "FAMILY"},
    ("POST", "/cases/{case_id}/waitlist"): lambda: {"facility_id": str(home_facility().pk)},
    ("POST", "/waitlist/{entry_id}/offer"): lambda: {
        "facility_id": str(home_facility().pk),
        "bed_ids": [str(fresh_bed().pk)],
    },
    ("POST", "/waitlist/{entry_id}/withdraw"): lambda: {},
    ("POST", "/facilities/{facility_id}/turn-aways"): lambda: {"reason": "FULL", "adults": 1, "children": 2},
}
