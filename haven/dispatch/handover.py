"""The seam between dispatch and the shelter flow.

When a team arrives at a shelter or a one-stop centre, `on_arrival` is called inside the verb's
transaction. Today it only records the handover (which puts it on the case timeline, see
`dispatch/case_page.py`); the shelter issue will make it offer a stay, or open the centre's intake, from
here, without the dispatch verbs changing.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from haven.dispatch.models import Dispatch, Handover

if TYPE_CHECKING:
    from haven.accounts.models import User


def on_arrival(dispatch: Dispatch, *, acting_user: User | None, at: datetime) -> Handover:
    """Record that the team handed her over at its destination (a shelter or one-stop centre)."""
    return Handover.objects.create(
        org_id=dispatch.org_id,
        dispatch=dispatch,
        case_id=dispatch.case_id,
        destination_kind=dispatch.destination_kind,
        site=dispatch.destination_site,
        at=at,
        actor=acting_user,
    )
