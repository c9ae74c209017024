"""Eligibility, priority and exclusions of a programme's current rule set, for one person or in bulk.

The bulk path (`eligible_beneficiaries`) is one SQL query built from `rules.py`; nothing is loaded into
Python. The per-person path (`judge`) evaluates the very same compiled tests on her row and says why, rule
by rule. Verdicts are JSON-ready and language-neutral — field names, operators and numbers, never a name
or an ID number — so an application can store them; `describe` turns one into a sentence when shown.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext

from haven.benefits import rules
from haven.benefits.models import Beneficiary, Programme, RuleSet
from haven.orgs.models import Area


@dataclass(frozen=True)
class Judgement:
    eligible: bool
    # One entry per rule, JSON-ready and language-neutral, e.g.
    # {"rule": "age", "part": "eligibility", "passed": False, "field": "age", "op": "<=", "limit": 50,
    #  "actual": 52}; `describe(verdict)` turns one into a translated sentence ("fails: age 52 > 50").
    # "part" is "eligibility", "exclusion" or "priority"; priority verdicts carry their "points" and do
    # not decide eligibility.
    verdicts: list[dict[str, Any]] = field(default_factory=list)
    priority: Decimal = Decimal(0)


def current_rule_set(programme: Programme) -> RuleSet | None:
    """The newest version of the programme's rules, or None if it has none yet."""
    return RuleSet.objects.filter(programme=programme).order_by("-version").first()


# ---------------------------------------------------------------------------------------------------------
# One person.


def judge(beneficiary: Beneficiary, rule_set: RuleSet, *, on: date) -> Judgement:
    """Whether she is eligible on `on`, why (every rule), and her priority score."""
    verdicts = [
        {
            "rule": rule["name"],
            "part": "eligibility",
            **_labelled(rule),
            **_condition_verdict(rule, beneficiary, on),
        }
        for rule in rule_set.eligibility
    ]
    verdicts += [_exclusion_verdict(rule_set, rule, beneficiary, on) for rule in rule_set.exclusions]
    eligible = all(verdict["passed"] for verdict in verdicts)
    scored = [_priority_verdict(rule, beneficiary, on) for rule in rule_set.priority]
    priority = sum(
        (rules.points_of(rule) for rule, v in zip(rule_set.priority, scored, strict=True) if v["passed"]),
        Decimal(0),
    )
    return Judgement(eligible=eligible, verdicts=verdicts + scored, priority=priority)


def _labelled(rule: dict[str, Any]) -> dict[str, Any]:
    return {"label": rule["label"]} if rule.get("label") else {}


def _priority_verdict(rule: dict[str, Any], beneficiary: Beneficiary, on: date) -> dict[str, Any]:
    return {
        "rule": rule["name"],
        "part": "priority",
        "points": _json_number(rules.points_of(rule)),
        **_labelled(rule),
        **_condition_verdict(rule, beneficiary, on),
    }


def _exclusion_verdict(
    rule_set: RuleSet, rule: dict[str, Any], beneficiary: Beneficiary, on: date
) -> dict[str, Any]:
    verdict: dict[str, Any] = {
        "rule": rule["name"],
        "part": "exclusion",
        **_labelled(rule),
        "kind": rule["kind"],
        "passed": not rules.is_excluded(rule_set, rule, beneficiary, on),
    }
    if rule["kind"] == "enrolled_elsewhere":
        verdict["programmes"] = list(rule["programmes"])
    if rule["kind"] == "enrolled_before":
        verdict["months"] = rules.exclusion_months(rule_set, rule)
    return verdict


def _condition_verdict(condition: dict[str, Any], beneficiary: Beneficiary, on: date) -> dict[str, Any]:
    """The condition's outcome with the outcome of each part, from the same tests the SQL runs."""
    for key in ("all", "any"):
        if key in condition:
            parts = [_condition_verdict(part, beneficiary, on) for part in condition[key]]
            passed = all(p["passed"] for p in parts) if key == "all" else any(p["passed"] for p in parts)
            return {"combine": key, "passed": passed, "parts": parts}
    if "not" in condition:
        inner = _condition_verdict(condition["not"], beneficiary, on)
        return {"combine": "not", "passed": not inner["passed"], "parts": [inner]}
    return _comparison_verdict(condition, beneficiary, on)


def _comparison_verdict(condition: dict[str, Any], beneficiary: Beneficiary, on: date) -> dict[str, Any]:
    spec = rules.FIELDS[condition["field"]]
    node = rules.compile_comparison(spec, condition["op"], rules._normalise(spec, condition), on)
    verdict: dict[str, Any] = {
        "field": spec.name,
        "op": condition["op"],
        "limit": condition.get("value", True),
        "actual": _json_number(spec.actual(beneficiary, on)),
        "passed": rules.evaluate(node, beneficiary),
    }
    if spec.kind is rules.Kind.AREA:
        # Area names are geography, not personal data; stored so the sentence needs no lookup later.
        limits = verdict["limit"] if isinstance(verdict["limit"], list) else [verdict["limit"]]
        names = dict(Area.objects.filter(pk__in=limits).values_list("pk", "name"))
        verdict["actual_name"] = beneficiary.area.name
        verdict["limit_names"] = [names.get(uuid.UUID(str(pk)), str(pk)) for pk in limits]
    return verdict


def _json_number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# ---------------------------------------------------------------------------------------------------------
# Sentences.

_SYMBOLS = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}
_NEGATED = {"=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def describe(verdict: dict[str, Any]) -> str:
    """One verdict as a sentence in the active language: "fails: age 52 > 50", "passes: widowed"."""
    what = _what(verdict)
    if verdict.get("part") == "priority":
        if verdict["passed"]:
            return gettext("adds %(points)s: %(what)s") % {"points": verdict["points"], "what": what}
        return gettext("adds nothing: %(what)s") % {"what": what}
    if verdict["passed"]:
        return gettext("passes: %(what)s") % {"what": what}
    return gettext("fails: %(what)s") % {"what": what}


def _what(verdict: dict[str, Any]) -> str:
    if "kind" in verdict:
        return _exclusion_text(verdict)
    if "field" not in verdict and "combine" not in verdict:  # not a verdict of `judge`: say what we can
        return str(verdict.get("because") or verdict.get("rule", ""))
    text = _condition_text(verdict)
    if "combine" in verdict and verdict.get("label"):
        return f"{verdict['label']} ({text})"
    return text


def _condition_text(verdict: dict[str, Any]) -> str:
    combine = verdict.get("combine")
    if combine is None:
        return _comparison_text(verdict)
    parts = "; ".join(_condition_text(part) for part in verdict["parts"])
    if combine == "all":
        return gettext("all of: %(parts)s") % {"parts": parts}
    if combine == "any":
        return gettext("one of: %(parts)s") % {"parts": parts}
    return gettext("not: %(parts)s") % {"parts": parts}


def _comparison_text(verdict: dict[str, Any]) -> str:
    spec = rules.FIELDS.get(verdict["field"])
    if spec is None:  # a field removed since the verdict was stored
        return str(verdict["field"])
    op, passed, actual = verdict["op"], verdict["passed"], verdict.get("actual")
    label = str(spec.label)
    if spec.kind is rules.Kind.BOOLEAN:
        return str(spec.yes if actual else spec.no)
    if op == "is_set":
        recorded = passed == bool(verdict["limit"])
        return _recorded_text(label, recorded)
    if actual is None:
        return _recorded_text(label, False)
    if spec.kind is rules.Kind.AREA:
        return _area_text(verdict, label)
    if spec.kind is rules.Kind.CHOICE:
        return _choice_text(spec, verdict, label)
    return _number_text(verdict, label)


def _recorded_text(label: str, recorded: bool) -> str:
    if recorded:
        return gettext("%(field)s recorded") % {"field": label}
    return gettext("%(field)s not recorded") % {"field": label}


def _number_text(verdict: dict[str, Any], label: str) -> str:
    op, passed, actual, limit = verdict["op"], verdict["passed"], verdict["actual"], verdict["limit"]
    values = {"field": label, "actual": actual}
    if op == "in":
        values["values"] = ", ".join(str(v) for v in limit)
        text = (
            gettext("%(field)s %(actual)s, one of %(values)s")
            if passed
            else gettext("%(field)s %(actual)s, not one of %(values)s")
        )
        return text % values
    if op == "between":
        values.update(low=limit[0], high=limit[1])
        text = (
            gettext("%(field)s %(actual)s, between %(low)s and %(high)s")
            if passed
            else gettext("%(field)s %(actual)s, outside %(low)s to %(high)s")
        )
        return text % values
    shown = op if passed else _NEGATED[op]
    return f"{label} {actual} {_SYMBOLS[shown]} {limit}"


def _choice_text(spec: rules.Field, verdict: dict[str, Any], label: str) -> str:
    op, actual, limit = verdict["op"], verdict["actual"], verdict["limit"]
    values = {"field": label, "actual": spec.choice_label(actual)}
    if op == "in":
        values["values"] = ", ".join(spec.choice_label(code) for code in limit)
        text = (
            gettext("%(field)s %(actual)s, one of %(values)s")
            if actual in limit
            else gettext("%(field)s %(actual)s, not one of %(values)s")
        )
        return text % values
    if actual == limit:
        return gettext("%(field)s %(actual)s") % values
    return gettext("%(field)s %(actual)s, not %(limit)s") % {**values, "limit": spec.choice_label(limit)}


def _area_text(verdict: dict[str, Any], label: str) -> str:
    within = verdict["passed"] != (verdict["op"] == "!=")
    values = {
        "field": label,
        "actual": verdict.get("actual_name", ""),
        "areas": ", ".join(verdict.get("limit_names", [])),
    }
    if within:
        return gettext("%(field)s %(actual)s, within %(areas)s") % values
    return gettext("%(field)s %(actual)s, not within %(areas)s") % values


def _exclusion_text(verdict: dict[str, Any]) -> str:
    kind, excluded = verdict["kind"], not verdict["passed"]
    if kind == "enrolled_elsewhere":
        values = {"programmes": ", ".join(verdict.get("programmes", []))}
        if excluded:
            return gettext("enrolled in another programme (%(programmes)s)") % values
        return gettext("not enrolled in another programme (%(programmes)s)") % values
    if kind == "enrolled_before":
        values = {"months": verdict.get("months", 0)}
        if excluded:
            return gettext("enrolled in this programme within the last %(months)s months") % values
        return gettext("not enrolled in this programme within the last %(months)s months") % values
    if excluded:
        return gettext("another member of her household holds a card of this programme")
    return gettext("nobody else in her household holds a card of this programme")


# ---------------------------------------------------------------------------------------------------------
# Everyone at once.


def eligible_beneficiaries(rule_set: RuleSet, *, on: date, among: Any = None) -> Any:
    """A Beneficiary queryset (SQL only, nothing loaded) of those eligible on `on`, annotated with
    `priority_score`; `among` narrows to a given Beneficiary queryset (an area, a list of applicants).

    Ordered by priority, highest first; ties go to the earlier registration, then to the id, so the same
    data always gives the same order.
    """
    candidates: QuerySet[Beneficiary] = Beneficiary.objects.all() if among is None else among
    if candidates.model is not Beneficiary:
        raise TypeError("`among` must be a Beneficiary queryset")
    return (
        candidates.filter(org_id=rule_set.org_id)
        .filter(rules.eligibility_q(rule_set, on))
        .annotate(priority_score=rules.priority_expression(rule_set, on))
        .order_by("-priority_score", "registered_at", "pk")
    )


def top_per_area(ranked: Any, places: int) -> Any:
    """The first `places` of each area from an `eligible_beneficiaries` queryset, in the same order:
    a window function in SQL, so a national list is never loaded to be cut per union. (Typed `Any` like
    `eligible_beneficiaries`: the annotation `priority_score` is unknown to the type checker.)"""
    order = [F("priority_score").desc(), F("registered_at").asc(), F("pk").asc()]
    rank = Window(RowNumber(), partition_by=[F("area_id")], order_by=order)
    return ranked.annotate(area_rank=rank).filter(Q(area_rank__lte=places)).order_by("area_id", "area_rank")
