"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

Each factory makes fresh objects of the home organisation, so every persona's call succeeds on its own:
a point serving a union of its own with 1,000 kg of rice in store; an approved month of a programme of
its own. The issue and look-up bodies give a fresh card, due in the newest point's union.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from haven.benefits.distribution.models import DistributionPoint
from haven.benefits.distribution.tests import helpers
from haven.benefits.models import Cycle, Programme
from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs.models import Area, Membership, Organisation


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def _fresh_union() -> Area:
    return factories.union(_home(), f"Walk union {uuid.uuid4().hex[:8]}")


def _programme() -> Programme:
    """A programme of its own (so each cycle's month is free), handing out rice."""
    return factories.vwb(_home(), code=f"w{uuid.uuid4().hex[:10]}")


def point() -> DistributionPoint:
    _programme()  # the organisation hands out rice, so its stock can be received
    return helpers.point(_home(), [_fresh_union()], name=f"Walk point {uuid.uuid4().hex[:8]}")


def approved_cycle() -> Cycle:
    return helpers.cycle(_programme(), date(2026, 3, 1))


def _newest_point() -> DistributionPoint:
    newest: DistributionPoint | None = (
        DistributionPoint.objects.filter(org=_home()).order_by("-created_at").first()
    )
    assert newest is not None
    return newest


def _card_body() -> dict[str, Any]:
    """A card due this month in the union of the point just made for the URL."""
    union = _newest_point().served_unions.get().union
    the_cycle = approved_cycle()
    enrolments = helpers.enrol(the_cycle.programme, union, 1)
    helpers.entitle(the_cycle, enrolments)
    return {"cycle_id": str(the_cycle.pk), "card_number": enrolments[0].card_number}


def _point_body() -> dict[str, Any]:
    return {"name": f"Walk point {uuid.uuid4().hex[:8]}", "union_ids": [str(_fresh_union().pk)]}


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "distribution_point_id": lambda world, member: point().pk,
    "distribution_cycle_id": lambda world, member: approved_cycle().pk,
}

PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/distribution-points"): _point_body,
    ("PATCH", "/distribution-points/{distribution_point_id}"): lambda: {"place": "Union parishad office"},
    ("POST", "/distribution-points/{distribution_point_id}/stock/received"): lambda: {
        "item": "rice",
        "quantity": "500",
        "reference": "DO-2026-17",
    },
    ("POST", "/distribution-points/{distribution_point_id}/stock/lost"): lambda: {
        "item": "rice",
        "quantity": str(Decimal("2.5")),
        "reason": "Sacks soaked in the rain",
    },
    ("POST", "/distribution-points/{distribution_point_id}/stock/adjustments"): lambda: {
        "item": "rice",
        "change": "-1",
        "reason": "Count on the distribution day",
    },
    ("POST", "/distribution-points/{distribution_point_id}/ration-lookup"): _card_body,
    ("POST", "/distribution-points/{distribution_point_id}/issues"): _card_body,
    ("POST", "/distribution-points/{distribution_point_id}/closures"): lambda: {
        "cycle_id": str(approved_cycle().pk)
    },
    ("POST", "/distribution/cycles/{distribution_cycle_id}/allocation"): lambda: {},
}
