"""Demo facilities: the Quebec shelter (admits at any hour, no limit on the stay, mothers with their
children) and, in Dhaka, the one-stop crisis centre (a few beds, at most five days, boys up to 8) and
the state safe house. Called from `demo.load_demo` for an organisation it has just created."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from haven.orgs.models import Organisation, Site
from haven.shelters import actions
from haven.shelters.models import Bed, Facility

# Site kind → facility type, operator, policy, and rooms as (name, beds, cots, accessible beds).
_FACILITIES: dict[str, dict[str, Any]] = {
    "CA": {
        Site.Kind.SHELTER: (
            Facility.Type.SHELTER,
            Facility.Operator.NGO,
            {"follow_up_days": [7, 30, 90]},
            (("1", 3, 1, 1), ("2", 4, 1, 0), ("3", 4, 0, 0)),
        ),
    },
    "BD": {
        Site.Kind.ONE_STOP_CENTRE: (
            Facility.Type.ONE_STOP_CENTRE,
            Facility.Operator.STATE,
            {"max_stay_days": 5, "boys_max_age": 8, "hold_minutes": 60, "follow_up_days": [7, 30]},
            (("ওয়ার্ড ১", 4, 1, 1),),
        ),
        Site.Kind.SHELTER: (
            Facility.Type.SAFE_HOUSE,
            Facility.Operator.STATE,
            {"boys_max_age": 12, "follow_up_days": [30, 90]},
            (("১", 6, 2, 1), ("২", 6, 1, 0)),
        ),
    },
}


def _beds(beds: int, cots: int, accessible: int) -> list[actions.NewBed]:
    new = [actions.NewBed(str(n), is_accessible=n <= accessible) for n in range(1, beds + 1)]
    return new + [actions.NewBed(f"C{n}", Bed.Kind.COT) for n in range(1, cots + 1)]


def load_demo_shelters(org: Organisation, sites: Sequence[Site], at: datetime) -> None:
    plans = _FACILITIES.get(org.country, {})
    for site in sites:
        plan = plans.get(site.kind)
        if plan is None:
            continue
        facility_type, operator, policy, rooms = plan
        facility = actions.create_facility(
            site=site, facility_type=facility_type, operator=operator, acting_user=None, at=at, **policy
        )
        for name, beds, cots, accessible in rooms:
            actions.add_room(
                facility=facility, name=name, beds=_beds(beds, cots, accessible), acting_user=None, at=at
            )
