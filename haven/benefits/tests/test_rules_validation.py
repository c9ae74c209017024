"""A rule set that cannot be compiled is refused with a sentence naming the rule and what to fix."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.benefits import rules
from haven.conftest import make_org


def errors_of(
    eligibility: Any = (), priority: Any = (), exclusions: Any = (), **kwargs: Any
) -> dict[str, Any]:
    with pytest.raises(ValidationError) as refused:
        rules.validate_rule_set(
            list(eligibility) if isinstance(eligibility, tuple) else eligibility,
            list(priority) if isinstance(priority, tuple) else priority,
            list(exclusions) if isinstance(exclusions, tuple) else exclusions,
            **kwargs,
        )
    return {key: [str(m) for m in messages] for key, messages in refused.value.message_dict.items()}


@pytest.mark.parametrize("seed", [rules.VWB_RULES, rules.MOTHER_AND_CHILD_RULES])
def test_the_seed_rule_sets_are_valid(seed: dict[str, Any]) -> None:
    rules.validate_rule_set(seed["eligibility"], seed["priority"], seed["exclusions"])


def test_it_names_an_unknown_field_and_lists_the_known_ones() -> None:
    errors = errors_of(
        [
            {"name": "woman", "field": "sex", "op": "=", "value": "FEMALE"},
            {"name": "age", "field": "agee", "op": "<=", "value": 50},
        ]
    )
    assert errors == {
        "eligibility": [f"Rule 2: unknown field 'agee'. Known fields: {', '.join(rules.FIELDS)}."]
    }


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            {"name": "a", "field": "sex", "op": "<", "value": "FEMALE"},
            "Rule 1: the field 'sex' cannot be compared with '<'. Use one of: = != in.",
        ),
        (
            {"name": "a", "field": "age", "op": "<=", "value": 50.5},
            "Rule 1: the value for 'age' must be a whole number from 0 to 150.",
        ),
        (
            {"name": "a", "field": "land_decimals", "op": "<", "value": 1.234},
            "Rule 1: the value for 'land_decimals' must be a number from 0 to 999999 "
            "with at most 2 decimals.",
        ),
        (
            {"name": "a", "field": "age", "op": "between", "value": [50, 20]},
            "Rule 1: in 'between', put the lower value first.",
        ),
        (
            {"name": "a", "field": "marital_status", "op": "in", "value": ["WIDOW"]},
            "Rule 1: the values for 'marital_status' must be one of SINGLE, MARRIED, SEPARATED, DIVORCED, "
            "WIDOWED, ABANDONED, OTHER, NOT_KNOWN.",
        ),
        (
            {"name": "a", "field": "age", "op": ">", "value": 20, "unit": "years"},
            "Rule 1: unknown key 'unit'. Allowed here: field, op, value.",
        ),
        ({"name": "a", "any": []}, "Rule 1: 'any' needs a non-empty list of conditions."),
        (
            {"name": "a", "not": {"field": "pregnant", "op": "=", "value": "yes"}},
            "Rule 1: the value for 'pregnant' must be true or false.",
        ),
        (
            {"name": "a", "field": "area", "op": "in", "value": ["north"]},
            "Rule 1: the values for 'area' must be area identifiers.",
        ),
        ({"field": "age", "op": ">", "value": 20}, "Rule 1: give it a name of 1 to 40 characters."),
        ({"name": "a"}, "Rule 1: say which field it tests ('field'), or combine with 'all', 'any' or 'not'."),
    ],
)
def test_it_says_what_is_wrong_with_a_comparison(rule: dict[str, Any], message: str) -> None:
    assert errors_of([rule]) == {"eligibility": [message]}


def test_it_refuses_deep_nesting_and_names_used_twice() -> None:
    deep: dict[str, Any] = {"field": "age", "op": ">", "value": 1}
    for _ in range(8):
        deep = {"not": deep}
    errors = errors_of(
        [
            {"name": "a", **deep},
            {"name": "b", "field": "age", "op": ">", "value": 1},
            {"name": "b", "field": "age", "op": ">", "value": 2},
        ]
    )
    assert errors == {
        "eligibility": [
            "Rule 1: conditions are nested too deep (at most 6).",
            "Rule 3: the name 'b' is used twice; give each rule its own.",
        ]
    }


def test_it_checks_priority_points_and_exclusions_in_their_own_lists() -> None:
    errors = errors_of(
        priority=[{"name": "p", "points": "thirty", "field": "age", "op": ">", "value": 1}],
        exclusions=[
            {"name": "x", "kind": "enroled_before", "months": 3},
            {"name": "y", "kind": "enrolled_before", "months": 3, "cycles": 2},
            {"name": "z", "kind": "enrolled_elsewhere", "programmes": []},
        ],
    )
    assert errors == {
        "priority": ["Rule 1: give its points as a number from -1000 to 1000 with at most 2 decimals."],
        "exclusions": [
            "Rule 1: unknown exclusion 'enroled_before'. Known exclusions: enrolled_elsewhere, "
            "enrolled_before, household_has_card.",
            "Rule 2: give either 'months' or 'cycles' as a whole number from 1 to 240.",
            "Rule 3: list the short names of the other programmes in 'programmes'.",
        ],
    }


def test_it_wants_lists() -> None:
    assert errors_of({"name": "a"}, None, []) == {
        "eligibility": ["Write the rules as a list."],
        "priority": ["Write the rules as a list."],
    }


def test_with_an_organisation_it_refuses_areas_of_another(db: None) -> None:
    at = timezone.now()
    home, other = make_org("rules-home", at=at), make_org("rules-other", at=at)
    from haven.benefits.tests.factories import union

    theirs = union(other)
    rule = {"name": "place", "field": "area", "op": "=", "value": str(theirs.pk)}
    rules.validate_rule_set([rule], [], [], org=other)
    assert errors_of([rule], org=home) == {
        "eligibility": [f"These areas are not areas of your organisation: {theirs.pk}."]
    }
