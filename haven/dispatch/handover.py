"""The seam between dispatch and the shelter flow.

When a team arrives at a shelter or a one-stop centre, `on_arrival` is called inside the verb's
transaction. It records the handover (which puts it on the case timeline, see `dispatch/case_page.py`)
and, when the site is described as a shelter facility and the dispatch has a case, offers the stay: she
heads the facility's waitlist as an expected arrival, with any bed the organisation held for this
dispatch or case as her offer (`shelters.actions.expect_arrival`). Dispatch reaches the shelters only
through this module.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from haven.dispatch.models import Dispatch, Handover
from haven.shelters.actions import expect_arrival
from haven.shelters.models import Facility

if TYPE_CHECKING:
    from haven.accounts.models import User


def on_arrival(dispatch: Dispatch, *, acting_user: User | None, at: datetime) -> Handover:
    """Record that the team handed her over at its destination (a shelter or one-stop centre), and
    expect her at the facility there."""
    handover = Handover.objects.create(
        org_id=dispatch.org_id,
        dispatch=dispatch,
        case_id=dispatch.case_id,
        destination_kind=dispatch.destination_kind,
        site=dispatch.destination_site,
        at=at,
        actor=acting_user,
    )
    site_id, case = dispatch.destination_site_id, dispatch.case
    facility = Facility.objects.filter(site_id=site_id).first() if site_id is not None else None
    if facility is not None and case is not None:
        expect_arrival(
            case=case, facility=facility, reference=str(dispatch.pk), acting_user=acting_user, at=at
        )
    return handover
