"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from haven.cases.models import Case
from haven.conftest import World
from haven.orgs.models import Membership
from haven.risk.actions import create_escalation_rule, record_assessment
from haven.risk.instrument import library
from haven.risk.models import Assessment, EscalationRule


def lap_answers(yes: tuple[str, ...] = ()) -> dict[str, str]:
    return {f"q{n}": ("yes" if f"q{n}" in yes else "no") for n in range(1, 12)}


def lap_screen(case: Case, *, yes: tuple[str, ...] = ("q1",), at: datetime | None = None) -> Assessment:
    """A LAP screen on her case, recorded by the system; question 1 answered yes screens her in."""
    return record_assessment(
        person=case.survivor,
        case=case,
        instrument_id="lap",
        answers=lap_answers(yes),
        acting_user=None,
        at=at or timezone.now(),
    )


def screened_in(case: Case) -> Assessment:
    """A LAP screen-in on `case`; the organisation's walk rule alerts a supervisor about it."""
    if not EscalationRule.objects.filter(org_id=case.org_id, name="Walk rule").exists():
        create_escalation_rule(
            org=case.org,
            name="Walk rule",
            instrument_id="lap",
            levels=["SCREENED_IN"],
            notify_supervisor=True,
            acting_user=None,
            at=timezone.now(),
        )
    return lap_screen(case)


def escalation_id(case: Case) -> Any:
    return screened_in(case).escalations.get().pk


def assessment_body() -> dict[str, Any]:
    return {"instrument": "lap", "answers": lap_answers()}


def sheet_body() -> dict[str, Any]:
    da = library().get("da")
    return {
        "instrument": "da",
        "version": da.version,
        "weights": dict.fromkeys(da.score_items, 1),
        "cutoffs": [{"at_least": 8, "level": "INCREASED"}],
        "certified_by": "Walk trainer, certificate 2026-01",
    }


def rule_body() -> dict[str, Any]:
    return {"name": "Walk DASH rule", "instrument": "dash", "levels": ["HIGH"], "notify_supervisor": True}


def safety_plan_body() -> dict[str, Any]:
    review_on = timezone.localdate() + timedelta(days=60)
    return {"language": "bn", "review_on": review_on.isoformat(), "safe_places": "Her sister's house"}


def rule(world: World, member: Membership) -> Any:
    """An escalation rule of the home organisation (switched on), for the rule pages."""
    return create_escalation_rule(
        org=world.org,
        name="Walk rule to change",
        instrument_id="dash",
        levels=["HIGH"],
        notify_supervisor=True,
        acting_user=None,
        at=timezone.now(),
    ).pk


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "rule_id": rule,
    "sheet_instrument": lambda world, member: "da",
}
"""URL arguments of the risk set-up pages (haven/risk/config_views.py)."""
