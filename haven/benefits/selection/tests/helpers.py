"""Shared pieces of the selection tests: a VWB programme with a rule set, applicants, a list brought to
a given stage. Synthetic people only.

`fake_rules` stands in for the rules engine where a test is about selection, not about rules: eligible
from 20 to 50 years of age, priority 10 for the landless (< 15 decimals) plus 5 for a widow. The real
engine is exercised in `test_with_real_rules.py`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from haven.benefits import eligibility
from haven.benefits.models import Application, Beneficiary, Programme, Quota, RuleSet
from haven.benefits.selection import actions
from haven.benefits.selection.models import SelectionList
from haven.benefits.tests import factories
from haven.orgs.models import Area, Organisation


def _age(born_on: date | None, on: date) -> int | None:
    if born_on is None:
        return None
    return on.year - born_on.year - ((on.month, on.day) < (born_on.month, born_on.day))


def fake_judge(beneficiary: Beneficiary, rule_set: RuleSet, *, on: date) -> eligibility.Judgement:
    age = _age(beneficiary.person.born_on, on)
    passed = age is not None and 20 <= age <= 50
    verdicts = [{"rule": "age", "passed": passed, "field": "age", "op": "<=", "limit": 50, "actual": age}]
    priority = Decimal(0)
    if beneficiary.land_decimals is not None and beneficiary.land_decimals < 15:
        priority += 10
    if beneficiary.person.marital_status == "WIDOWED":
        priority += 5
    return eligibility.Judgement(eligible=passed, verdicts=verdicts, priority=priority)


def fake_describe(verdict: dict[str, Any]) -> str:
    return f"fails: age {verdict['actual']} > {verdict['limit']}"


def fake_current(programme: Programme) -> RuleSet | None:
    found: RuleSet | None = RuleSet.objects.filter(programme=programme).order_by("-version").first()
    return found


@pytest.fixture
def fake_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(eligibility, "judge", fake_judge)
    monkeypatch.setattr(eligibility, "describe", fake_describe)
    monkeypatch.setattr(eligibility, "current_rule_set", fake_current)


def programme_with_rules(org: Organisation, **overrides: Any) -> Programme:
    programme = factories.vwb(org, **overrides)
    RuleSet.objects.create(org=org, programme=programme, version=1, created_at=timezone.now())
    return programme


def applicant(
    org: Organisation,
    area: Area | None = None,
    *,
    land: str = "10",
    born_on: date = date(1990, 3, 14),
    widowed: bool = False,
    name: str = "Rokeya Khatun",
) -> Beneficiary:
    details = {"marital_status": "WIDOWED"} if widowed else {}
    return factories.beneficiary(
        org, name=name, area=area, born_on=born_on, land_decimals=Decimal(land), person_details=details
    )


def apply(programme: Programme, who: Beneficiary, at: datetime | None = None) -> Application:
    return actions.submit_application(
        programme=programme,
        beneficiary=who,
        channel=Application.Channel.OFFICER,
        acting_user=None,
        at=at or timezone.now(),
    )


def quota(programme: Programme, area: Area, places: int = 2, start: date | None = None) -> Quota:
    start = start or timezone.localdate().replace(day=1)
    return actions.create_quota(
        programme=programme,
        area=area,
        period_start=start,
        period_end=start + timedelta(days=60),
        places=places,
        acting_user=None,
        at=timezone.now(),
    )


def reviewed(selection_list: SelectionList, at: datetime | None = None) -> SelectionList:
    """Committee met yesterday, one member present, everyone on the draft included."""
    at = at or timezone.now()
    actions.start_review(
        selection_list=selection_list,
        committee_name="Union committee",
        reviewed_on=timezone.localdate(at) - timedelta(days=1),
        acting_user=None,
        at=at,
    )
    actions.add_committee_member(
        selection_list=selection_list,
        name="Abdul Karim",
        institution="Union Parishad",
        role_on_committee="Chair",
        was_present=True,
        acting_user=None,
        at=at,
    )
    actions.include_undecided(selection_list=selection_list, acting_user=None, at=at)
    selection_list.refresh_from_db()
    return selection_list


def published(selection_list: SelectionList, days_ago: int = 0) -> SelectionList:
    """Published `days_ago` days ago with a 7-day objection window."""
    at = timezone.now() - timedelta(days=days_ago)
    reviewed(selection_list, at)
    actions.publish_list(
        selection_list=selection_list,
        objections_end_on=timezone.localdate(at) + timedelta(days=7),
        acting_user=None,
        at=at,
    )
    selection_list.refresh_from_db()
    return selection_list
