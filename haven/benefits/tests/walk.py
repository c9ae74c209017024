"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

Each factory makes fresh rows of the home organisation: a programme with a unique short name, a cycle
already generated (with no enrolment due, so approving it passes every registered check), a beneficiary,
an active enrolment.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import timezone

from haven.benefits import cycles
from haven.benefits.models import Cycle, Programme
from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs.models import Membership, Organisation


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def _code() -> str:
    return f"walk-{uuid.uuid4().hex[:8]}"


def programme() -> Programme:
    return factories.mother_and_child(_home(), code=_code())


def generated_cycle() -> Cycle:
    cycle = cycles.open_cycle(
        programme=programme(), month=date(2026, 3, 1), acting_user=None, at=timezone.now()
    )
    cycles.generate_entitlements(cycle=cycle, acting_user=None, at=timezone.now())
    return cycle


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "benefit_programme_id": lambda world, member: programme().pk,
    "benefit_cycle_id": lambda world, member: generated_cycle().pk,
    "beneficiary_id": lambda world, member: factories.beneficiary(_home()).pk,
    "benefit_enrolment_id": lambda world, member: factories.enrolment(programme()).pk,
}


def _programme_body() -> dict[str, Any]:
    return {
        "code": _code(),
        "name": "Walk programme",
        "benefit_kind": "IN_KIND",
        "target_level": "PERSON",
        "duration_months": 24,
        "item": "rice",
        "quantity_per_cycle": "30",
        "unit": "kg",
    }


PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/benefits/programmes"): _programme_body,
    ("PATCH", "/benefits/programmes/{benefit_programme_id}"): lambda: {"name": "Walk programme, renamed"},
    ("POST", "/benefits/programmes/{benefit_programme_id}/rule-sets"): lambda: {
        "eligibility": [],
        "note": "Walk version",
    },
    ("POST", "/benefits/programmes/{benefit_programme_id}/exit-completed"): lambda: {},
    ("POST", "/benefits/programmes/{benefit_programme_id}/cycles"): lambda: {"month": "2026-05-01"},
    ("POST", "/benefits/cycles/{benefit_cycle_id}/generate"): lambda: {},
    ("POST", "/benefits/cycles/{benefit_cycle_id}/approve"): lambda: {},
    ("POST", "/benefits/beneficiaries/search"): lambda: {"phone": "+880 1711 000000"},
    ("POST", "/benefits/beneficiaries/{beneficiary_id}/enrolments"): lambda: {
        "programme_id": str(programme().pk),
        "card_number": _code(),
        "starts_on": "2026-02-01",
    },
    ("POST", "/benefits/enrolments/{benefit_enrolment_id}/exit"): lambda: {
        "reason": "MOVED",
        "on": timezone.localdate().isoformat(),
    },
}
