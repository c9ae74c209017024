"""Judging one woman against a programme's rules: every rule's verdict, the sentence it reads as, her
priority score, and the exclusions that look at her other enrolments and her household."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from haven.benefits import rules
from haven.benefits.eligibility import current_rule_set, describe, eligible_beneficiaries, judge
from haven.benefits.models import Beneficiary, Enrolment, Programme, RuleSet
from haven.benefits.tests import factories
from haven.conftest import make_org
from haven.orgs import actions as org_actions
from haven.orgs.models import Area, Organisation
from haven.people.models import Household

ON = date(2026, 5, 15)


@pytest.fixture
def org(db: None) -> Organisation:
    return make_org("bd-rules", at=timezone.now())


def rule_set(programme: Programme, seed: dict[str, list[dict[str, Any]]], version: int = 1) -> RuleSet:
    return RuleSet.objects.create(
        org=programme.org,
        programme=programme,
        version=version,
        eligibility=seed["eligibility"],
        priority=seed["priority"],
        exclusions=seed["exclusions"],
        created_at=timezone.now(),
    )


def woman(org: Organisation, **fields: Any) -> Beneficiary:
    """A woman who meets every VWB rule unless told otherwise (synthetic data)."""
    details = {
        "id_kind": "NATIONAL_ID",
        "id_number": "1990123456789",
        "phone": "+1 514 555 0142",
        **fields.pop("person", {}),
    }
    fields.setdefault("mobile_is_own", True)
    born_on = fields.pop("born_on", date(1990, 3, 14))
    return factories.beneficiary(org, born_on=born_on, person_details=details, **fields)


def verdict_of(judgement_verdicts: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(v for v in judgement_verdicts if v["rule"] == name)


def test_it_finds_an_eligible_woman_eligible_with_every_rule_passed(org: Organisation) -> None:
    vwb = rule_set(factories.vwb(org), rules.VWB_RULES)
    judgement = judge(woman(org), vwb, on=ON)
    assert judgement.eligible
    assert [v["rule"] for v in judgement.verdicts if v["part"] != "priority"] == [
        "woman",
        "age",
        "national_id",
        "own_mobile",
        "previous_cycles",
        "other_safety_net",
        "one_card_per_family",
    ]
    assert all(v["passed"] for v in judgement.verdicts if v["part"] != "priority")


def test_it_explains_a_failed_age_rule_in_a_sentence(org: Organisation) -> None:
    programme = factories.vwb(org)
    limits = rule_set(
        programme,
        {
            "eligibility": [
                {"name": "age", "field": "age", "op": "<=", "value": 50},
            ],
            "priority": [],
            "exclusions": [],
        },
    )
    judgement = judge(woman(org, born_on=date(1973, 12, 1)), limits, on=ON)
    verdict = verdict_of(judgement.verdicts, "age")
    assert not judgement.eligible
    assert verdict == {
        "rule": "age",
        "part": "eligibility",
        "field": "age",
        "op": "<=",
        "limit": 50,
        "actual": 52,
        "passed": False,
    }
    assert describe(verdict) == "fails: age 52 > 50"


def test_it_scores_priority_and_explains_each_condition(org: Organisation) -> None:
    vwb = rule_set(factories.vwb(org), rules.VWB_RULES)
    her = woman(
        org,
        land_decimals=Decimal("10.5"),
        household_has_disabled_member=False,
        person={"marital_status": "WIDOWED"},
    )
    judgement = judge(her, vwb, on=ON)
    assert judgement.priority == Decimal(55)
    sentences = [describe(v) for v in judgement.verdicts if v["part"] == "priority"]
    assert sentences == [
        "adds 30: land (decimals) 10.5 < 15",
        "adds 25: marital status Widowed, one of Widowed, Divorced, Abandoned by her husband",
        "adds nothing: no household member has a disability",
    ]


def test_it_refuses_without_a_national_id_or_her_own_mobile(org: Organisation) -> None:
    vwb = rule_set(factories.vwb(org), rules.VWB_RULES)
    her = woman(org, mobile_is_own=False, person={"id_kind": "BIRTH_REGISTRATION"})
    judgement = judge(her, vwb, on=ON)
    assert not judgement.eligible
    assert describe(verdict_of(judgement.verdicts, "national_id")) == "fails: has no national ID"
    assert describe(verdict_of(judgement.verdicts, "own_mobile")) == "fails: has no mobile number of her own"


def test_it_treats_a_missing_value_as_failing_and_says_so(org: Organisation) -> None:
    vwb = rule_set(factories.vwb(org), rules.VWB_RULES)
    judgement = judge(woman(org, born_on=None), vwb, on=ON)
    assert describe(verdict_of(judgement.verdicts, "age")) == "fails: age not recorded"
    assert (
        describe(verdict_of(judgement.verdicts, "landless")) == "adds nothing: land (decimals) not recorded"
    )


def test_it_excludes_a_woman_in_another_safety_net_programme(org: Organisation) -> None:
    vwb = rule_set(factories.vwb(org), rules.VWB_RULES)
    her = woman(org)
    factories.enrolment(factories.mother_and_child(org), her, starts_on=date(2026, 1, 1))
    judgement = judge(her, vwb, on=ON)
    verdict = verdict_of(judgement.verdicts, "other_safety_net")
    assert not judgement.eligible
    assert describe(verdict) == "fails: enrolled in another programme (mcb, oaa, wda)"
    assert not eligible_beneficiaries(vwb, on=ON).filter(pk=her.pk).exists()


def test_it_excludes_a_woman_enrolled_in_the_previous_two_cycles_only(org: Organisation) -> None:
    programme = factories.vwb(org)
    vwb = rule_set(programme, rules.VWB_RULES)
    recent, long_ago = woman(org), woman(org)
    # 24 months each: one ended in December 2023 (within 48 months of May 2026), one in 2021.
    factories.enrolment(programme, recent, starts_on=date(2022, 1, 1))
    factories.enrolment(programme, long_ago, starts_on=date(2019, 1, 1))
    Enrolment.objects.update(status=Enrolment.Status.EXITED, exit_reason=Enrolment.ExitReason.COMPLETED)
    assert describe(verdict_of(judge(recent, vwb, on=ON).verdicts, "previous_cycles")) == (
        "fails: enrolled in this programme within the last 48 months"
    )
    assert judge(long_ago, vwb, on=ON).eligible
    eligible = set(eligible_beneficiaries(vwb, on=ON).values_list("pk", flat=True))
    assert long_ago.pk in eligible and recent.pk not in eligible


def test_it_gives_one_card_per_family(org: Organisation) -> None:
    programme = factories.vwb(org)
    vwb = rule_set(programme, rules.VWB_RULES)
    mother = woman(org)
    household = Household.objects.create(org=org, head=mother.person, created_at=timezone.now())
    Beneficiary.objects.filter(pk=mother.pk).update(household=household)
    daughter, neighbour = woman(org, household=household), woman(org)
    factories.enrolment(programme, Beneficiary.objects.get(pk=mother.pk))
    judgement = judge(daughter, vwb, on=ON)
    assert describe(verdict_of(judgement.verdicts, "one_card_per_family")) == (
        "fails: another member of her household holds a card of this programme"
    )
    assert judge(neighbour, vwb, on=ON).eligible  # no household recorded: nothing to share a card with
    assert set(eligible_beneficiaries(vwb, on=ON).values_list("pk", flat=True)) == {neighbour.pk}


def test_it_reads_areas_as_a_tree(org: Organisation) -> None:
    at = timezone.now()
    district = org_actions.create_area(
        org=org, name="Jhenaidah", level=Area.Level.DISTRICT, acting_user=None, at=at
    )
    upazila = org_actions.create_area(
        org=org, name="Kaliganj", level=Area.Level.SUBDISTRICT, parent=district, acting_user=None, at=at
    )
    union = org_actions.create_area(
        org=org, name="Raygram", level=Area.Level.LOCALITY, parent=upazila, acting_user=None, at=at
    )
    inside, outside = woman(org, area=union), woman(org)
    in_district = rule_set(
        factories.vwb(org),
        {
            "eligibility": [
                {"name": "place", "field": "area", "op": "in", "value": [str(district.pk)]},
            ],
            "priority": [],
            "exclusions": [],
        },
    )
    assert describe(judge(inside, in_district, on=ON).verdicts[0]) == "passes: area Raygram, within Jhenaidah"
    assert describe(judge(outside, in_district, on=ON).verdicts[0]) == (
        "fails: area Kaliganj union, not within Jhenaidah"
    )
    assert list(eligible_beneficiaries(in_district, on=ON).values_list("pk", flat=True)) == [inside.pk]


def test_it_explains_combined_rules_part_by_part(org: Organisation) -> None:
    programme = factories.vwb(org)
    combined = rule_set(
        programme,
        {
            "eligibility": [
                {
                    "name": "alone",
                    "label": "Without a husband",
                    "any": [
                        {"field": "marital_status", "op": "=", "value": "WIDOWED"},
                        {"not": {"field": "land_decimals", "op": "is_set"}},
                    ],
                }
            ],
            "priority": [],
            "exclusions": [],
        },
    )
    her = woman(org, land_decimals=Decimal(3), person={"marital_status": "MARRIED"})
    verdict = judge(her, combined, on=ON).verdicts[0]
    assert describe(verdict) == (
        "fails: Without a husband (one of: marital status Married, not Widowed; "
        "not: land (decimals) recorded)"
    )


def test_its_verdicts_carry_no_name_or_id_number(org: Organisation) -> None:
    vwb = rule_set(factories.vwb(org), rules.VWB_RULES)
    her = woman(org, name="Shirin Akter Synthetic", person={"id_number": "1987654321012"})
    stored = json.dumps(judge(her, vwb, on=ON).verdicts)
    assert "Shirin" not in stored and "1987654321012" not in stored and her.person.phone not in stored


def test_it_describes_in_the_active_language(org: Organisation) -> None:
    verdict = {
        "rule": "age",
        "part": "eligibility",
        "field": "age",
        "op": "<=",
        "limit": 50,
        "actual": 52,
        "passed": False,
    }
    with translation.override("en"):
        english = describe(verdict)
    assert english == "fails: age 52 > 50"
    assert describe({**verdict, "passed": True, "actual": 34}) == "passes: age 34 ≤ 50"


def test_the_current_rule_set_is_the_newest_version(org: Organisation) -> None:
    programme = factories.vwb(org)
    assert current_rule_set(programme) is None
    rule_set(programme, rules.VWB_RULES, version=1)
    newest = rule_set(programme, rules.VWB_RULES, version=2)
    rule_set(factories.mother_and_child(org), rules.MOTHER_AND_CHILD_RULES, version=3)
    assert current_rule_set(programme) == newest


def test_the_mother_and_child_rules_follow_the_pregnancy(org: Organisation) -> None:
    mcb = rule_set(factories.mother_and_child(org), rules.MOTHER_AND_CHILD_RULES)
    due_soon = woman(org, expected_delivery_on=date(2026, 8, 1), monthly_income=5000)
    too_early = woman(org, expected_delivery_on=date(2026, 12, 20), monthly_income=5000)
    assert judge(due_soon, mcb, on=ON).eligible
    verdict = verdict_of(judge(too_early, mcb, on=ON).verdicts, "pregnancy_stage")
    assert describe(verdict) == "fails: months to delivery 7, outside 0 to 5"


def test_describe_copes_with_a_verdict_it_did_not_write() -> None:
    assert describe({"rule": "committee", "passed": False, "because": "visited: no one at home"}) == (
        "fails: visited: no one at home"
    )
