"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

Each factory makes a fresh network consolidated by the home organisation (or, for an invitation, by a
third organisation inviting home), with the sharing tests' own report, so each verb succeeds once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from haven.conftest import World, make_org
from haven.orgs.models import Membership, Organisation
from haven.reports.sharing import actions
from haven.reports.sharing.models import Network
from haven.reports.sharing.tests import helpers


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def _network(org: Organisation | None = None) -> Network:
    return helpers.network(org or _home(), name=f"Walk {uuid.uuid4().hex[:10]}")


def _with_approved_submissions(network: Network) -> Network:
    """Three members' approved submissions for last month: enough to consolidate."""
    helpers.approved_submission(network, _home())
    for slug in ("walk-second", "walk-third"):
        helpers.approved_submission(network, helpers.joined(network, slug))
    return network


def _with_approved_submission(world: World, member: Membership) -> Any:
    return _with_approved_submissions(_network()).pk


def _invitation(world: World, member: Membership) -> Any:
    hub = Organisation.objects.filter(slug="walk-hub").first() or make_org("walk-hub", at=timezone.now())
    return actions.invite_member(network=_network(hub), slug="home", acting_user=None, at=timezone.now()).pk


def _draft(world: World, member: Membership) -> Any:
    return actions.prepare_submission(
        network=_network(),
        org=_home(),
        report_code=helpers.REPORT,
        period_code=helpers.last_month().code,
        acting_user=None,
        at=timezone.now(),
    ).pk


def _consolidated(world: World, member: Membership) -> Any:
    network = _with_approved_submissions(_network())
    month = helpers.last_month().code
    return actions.consolidate(
        network=network, report_code=helpers.REPORT, period_code=month, acting_user=None, at=timezone.now()
    ).pk


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "network_id": _with_approved_submission,
    "invitation_id": _invitation,
    "submission_id": _draft,
    "consolidated_id": _consolidated,
}


def _month_before_last() -> str:
    return helpers.last_month(helpers.last_month().start).code


PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/sharing/networks"): lambda: {"name": f"Walk {uuid.uuid4().hex[:10]}", "deadline_day": 31},
    ("POST", "/sharing/networks/{network_id}/members"): lambda: {"org": "elsewhere"},
    ("POST", "/sharing/invitations/{invitation_id}/accept"): lambda: {},
    ("POST", "/sharing/networks/{network_id}/submissions"): lambda: {
        "report": helpers.REPORT,
        "period": _month_before_last(),
    },
    ("POST", "/sharing/submissions/{submission_id}/approve"): lambda: {},
    ("POST", "/sharing/networks/{network_id}/consolidations"): lambda: {
        "report": helpers.REPORT,
        "period": helpers.last_month().code,
    },
}
