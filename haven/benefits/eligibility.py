"""Eligibility, priority and exclusions of a programme's current rule set, for one person or in bulk.

INTERFACE STUB written by the lead so other pieces can code against it; the rules helper replaces the
bodies (and may add to this module), keeping these names and signatures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from haven.benefits.models import Beneficiary, Programme, RuleSet


@dataclass(frozen=True)
class Judgement:
    eligible: bool
    # One entry per rule, JSON-ready and language-neutral, e.g.
    # {"rule": "age", "passed": False, "field": "age", "op": "<=", "limit": 50, "actual": 52};
    # `describe(verdict)` turns one into a translated sentence ("fails: age 52 > 50").
    verdicts: list[dict[str, Any]] = field(default_factory=list)
    priority: Decimal = Decimal(0)


def current_rule_set(programme: Programme) -> RuleSet | None:
    """The newest version of the programme's rules, or None if it has none yet."""
    raise NotImplementedError


def judge(beneficiary: Beneficiary, rule_set: RuleSet, *, on: date) -> Judgement:
    """Whether she is eligible on `on`, why (every rule), and her priority score."""
    raise NotImplementedError


def describe(verdict: dict[str, Any]) -> str:
    """One verdict as a sentence in the active language."""
    raise NotImplementedError


def eligible_beneficiaries(rule_set: RuleSet, *, on: date, among: Any = None) -> Any:
    """A Beneficiary queryset (SQL only, nothing loaded) of those eligible on `on`, annotated with
    `priority_score`; `among` narrows to a given Beneficiary queryset (an area, a list of applicants)."""
    raise NotImplementedError
