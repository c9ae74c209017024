"""GBVIMS classification: one type per incident in the fixed decision order, contexts, reporting delay."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from haven.cases.gbvims import (
    PRIORITY,
    CaseContext,
    DelayBucket,
    IncidentFacts,
    ViolenceType,
    case_contexts,
    classify,
    facts_reporting_delay,
    reporting_delay,
)

# The act field that triggers each GBV type, in decision order.
ACT_FIELDS: dict[ViolenceType, str] = {
    ViolenceType.RAPE: "penetration",
    ViolenceType.SEXUAL_ASSAULT: "sexual_contact_without_penetration",
    ViolenceType.PHYSICAL_ASSAULT: "physical_violence",
    ViolenceType.FORCED_MARRIAGE: "forced_marriage",
    ViolenceType.DENIAL_OF_RESOURCES: "denial_of_resources",
    ViolenceType.PSYCHOLOGICAL_ABUSE: "psychological_abuse",
}


def _type(**facts: object) -> ViolenceType:
    return classify(IncidentFacts(**facts)).violence_type  # type: ignore[arg-type]


# --- each type on its own -----------------------------------------------------------------------


def test_it_classifies_penetration_as_rape() -> None:
    assert _type(penetration=True) is ViolenceType.RAPE


def test_it_classifies_sexual_contact_without_penetration_as_sexual_assault() -> None:
    assert _type(sexual_contact_without_penetration=True) is ViolenceType.SEXUAL_ASSAULT


def test_it_classifies_physical_violence_as_physical_assault() -> None:
    assert _type(physical_violence=True) is ViolenceType.PHYSICAL_ASSAULT


def test_it_classifies_forced_marriage() -> None:
    assert _type(forced_marriage=True) is ViolenceType.FORCED_MARRIAGE


def test_it_classifies_denial_of_resources() -> None:
    assert _type(denial_of_resources=True) is ViolenceType.DENIAL_OF_RESOURCES


def test_it_classifies_psychological_abuse() -> None:
    assert _type(psychological_abuse=True) is ViolenceType.PSYCHOLOGICAL_ABUSE


def test_it_classifies_no_act_as_non_gbv() -> None:
    result = classify(IncidentFacts())
    assert result.violence_type is ViolenceType.NON_GBV
    assert result.rule == "7-no-gbv-act"


# --- tie-breaks in the decision order -----------------------------------------------------------


def test_it_prefers_rape_over_physical_assault() -> None:
    assert _type(penetration=True, physical_violence=True) is ViolenceType.RAPE


def test_it_prefers_rape_over_sexual_assault() -> None:
    assert _type(penetration=True, sexual_contact_without_penetration=True) is ViolenceType.RAPE


def test_it_prefers_sexual_assault_over_physical_assault() -> None:
    result = _type(sexual_contact_without_penetration=True, physical_violence=True)
    assert result is ViolenceType.SEXUAL_ASSAULT


def test_it_prefers_physical_assault_over_forced_marriage() -> None:
    assert _type(physical_violence=True, forced_marriage=True) is ViolenceType.PHYSICAL_ASSAULT


def test_it_prefers_forced_marriage_over_denial_of_resources() -> None:
    assert _type(forced_marriage=True, denial_of_resources=True) is ViolenceType.FORCED_MARRIAGE


def test_it_prefers_denial_of_resources_over_psychological_abuse() -> None:
    assert _type(denial_of_resources=True, psychological_abuse=True) is ViolenceType.DENIAL_OF_RESOURCES


def test_it_classifies_acts_that_were_not_gender_based_as_non_gbv() -> None:
    all_acts = {field: True for field in ACT_FIELDS.values()}
    result = classify(IncidentFacts(was_gbv=False, **all_acts))  # type: ignore[arg-type]
    assert result.violence_type is ViolenceType.NON_GBV
    assert result.rule == "7-not-gender-based"


def test_it_orders_priority_with_non_gbv_last() -> None:
    assert list(PRIORITY) == [*ACT_FIELDS, ViolenceType.NON_GBV]
    assert set(PRIORITY) == set(ViolenceType)


# --- explanations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("violence_type", "rule", "words"),
    [
        (ViolenceType.RAPE, "1-rape", ("rape", "penetration", "order 1 of 6")),
        (ViolenceType.SEXUAL_ASSAULT, "2-sexual-assault", ("sexual assault", "order 2 of 6")),
        (ViolenceType.PHYSICAL_ASSAULT, "3-physical-assault", ("physical assault", "order 3 of 6")),
        (ViolenceType.FORCED_MARRIAGE, "4-forced-marriage", ("forced marriage", "order 4 of 6")),
        (ViolenceType.DENIAL_OF_RESOURCES, "5-denial-of-resources", ("denial of resources", "order 5 of 6")),
        (ViolenceType.PSYCHOLOGICAL_ABUSE, "6-psychological-abuse", ("psychological", "order 6 of 6")),
    ],
)
def test_it_explains_which_rule_decided(
    violence_type: ViolenceType, rule: str, words: tuple[str, ...]
) -> None:
    with translation.override("en"):
        result = classify(IncidentFacts(**{ACT_FIELDS[violence_type]: True}))  # type: ignore[arg-type]
        explanation = result.explanation
    assert result.violence_type is violence_type
    assert result.rule == rule
    assert explanation.startswith("Classified as ")
    for word in words:
        assert word in explanation


def test_it_explains_rape_precedence_in_the_documented_sentence() -> None:
    with translation.override("en"):
        explanation = classify(IncidentFacts(penetration=True, physical_violence=True)).explanation
    assert explanation == (
        "Classified as rape: non-consensual penetration was reported; rape takes precedence "
        "over all other types (GBVIMS order 1 of 6)."
    )


def test_it_explains_non_gbv_reasons() -> None:
    with translation.override("en"):
        not_gbv = classify(IncidentFacts(was_gbv=False, physical_violence=True)).explanation
        no_act = classify(IncidentFacts()).explanation
    assert "not gender-based" in not_gbv
    assert "none of the six GBV acts" in no_act


# --- contexts -----------------------------------------------------------------------------------


def test_it_flags_intimate_partner_violence() -> None:
    facts = IncidentFacts(physical_violence=True, perpetrator_is_intimate_partner=True)
    assert case_contexts(facts) == {CaseContext.INTIMATE_PARTNER_VIOLENCE}


def test_it_flags_child_sexual_abuse_for_a_survivor_aged_15() -> None:
    facts = IncidentFacts(sexual_contact_without_penetration=True, survivor_age=15)
    assert case_contexts(facts) == {CaseContext.CHILD_SEXUAL_ABUSE}


@pytest.mark.parametrize(("age", "is_child"), [(0, True), (17, True), (18, False), (None, False)])
def test_it_draws_the_child_sexual_abuse_line_at_18(age: int | None, is_child: bool) -> None:
    facts = IncidentFacts(penetration=True, survivor_age=age)
    assert (CaseContext.CHILD_SEXUAL_ABUSE in case_contexts(facts)) is is_child


def test_it_does_not_flag_child_sexual_abuse_for_non_sexual_violence() -> None:
    assert case_contexts(IncidentFacts(physical_violence=True, survivor_age=12)) == frozenset()


@pytest.mark.parametrize(("age", "expected"), [(15, True), (17, True), (18, False), (None, False)])
def test_it_flags_early_marriage_for_a_forced_marriage_under_18(age: int | None, expected: bool) -> None:
    facts = IncidentFacts(forced_marriage=True, survivor_age=age)
    assert (CaseContext.EARLY_MARRIAGE in case_contexts(facts)) is expected


def test_it_does_not_flag_early_marriage_without_a_forced_marriage() -> None:
    facts = IncidentFacts(psychological_abuse=True, survivor_age=14)
    assert CaseContext.EARLY_MARRIAGE not in case_contexts(facts)


def test_it_flags_possible_sexual_exploitation() -> None:
    facts = IncidentFacts(penetration=True, transactional=True, survivor_age=25)
    assert case_contexts(facts) == {CaseContext.POSSIBLE_SEXUAL_EXPLOITATION}


def test_it_requires_a_sexual_act_for_exploitation_and_slavery() -> None:
    facts = IncidentFacts(denial_of_resources=True, transactional=True, held_captive_or_owned=True)
    assert case_contexts(facts) == frozenset()


def test_it_flags_possible_sexual_slavery() -> None:
    facts = IncidentFacts(sexual_contact_without_penetration=True, held_captive_or_owned=True)
    assert case_contexts(facts) == {CaseContext.POSSIBLE_SEXUAL_SLAVERY}


def test_it_flags_a_harmful_traditional_practice() -> None:
    facts = IncidentFacts(physical_violence=True, harmful_traditional_practice=True)
    assert case_contexts(facts) == {CaseContext.HARMFUL_TRADITIONAL_PRACTICE}


def test_it_flags_several_contexts_at_once() -> None:
    facts = IncidentFacts(
        penetration=True,
        forced_marriage=True,
        perpetrator_is_intimate_partner=True,
        survivor_age=14,
        held_captive_or_owned=True,
        harmful_traditional_practice=True,
    )
    assert classify(facts).violence_type is ViolenceType.RAPE
    assert case_contexts(facts) == {
        CaseContext.INTIMATE_PARTNER_VIOLENCE,
        CaseContext.CHILD_SEXUAL_ABUSE,
        CaseContext.EARLY_MARRIAGE,
        CaseContext.POSSIBLE_SEXUAL_SLAVERY,
        CaseContext.HARMFUL_TRADITIONAL_PRACTICE,
    }


def test_it_gives_no_context_to_a_non_gbv_incident() -> None:
    facts = IncidentFacts(
        was_gbv=False, penetration=True, perpetrator_is_intimate_partner=True, survivor_age=10
    )
    assert case_contexts(facts) == frozenset()


def test_it_rejects_a_negative_age() -> None:
    with pytest.raises(ValueError, match="survivor_age"):
        IncidentFacts(survivor_age=-1)


# --- reporting delay ----------------------------------------------------------------------------

INCIDENT = datetime.date(2025, 1, 31)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (0, DelayBucket.DAYS_0_3),
        (3, DelayBucket.DAYS_0_3),
        (4, DelayBucket.DAYS_4_5),
        (5, DelayBucket.DAYS_4_5),
        (6, DelayBucket.DAYS_6_14),
        (14, DelayBucket.DAYS_6_14),
        (15, DelayBucket.WEEKS_2_MONTH_1),
        (30, DelayBucket.WEEKS_2_MONTH_1),
        (31, DelayBucket.OVER_1_MONTH),
        (400, DelayBucket.OVER_1_MONTH),
    ],
)
def test_it_buckets_the_reporting_delay_at_every_boundary(days: int, bucket: DelayBucket) -> None:
    assert reporting_delay(INCIDENT, INCIDENT + datetime.timedelta(days=days)) is bucket


def test_it_rejects_a_report_before_the_incident() -> None:
    with pytest.raises(ValueError, match=r"report date \(2025-01-30\) is before the incident date"):
        reporting_delay(INCIDENT, INCIDENT - datetime.timedelta(days=1))


def test_it_reads_the_delay_from_the_facts_when_both_dates_are_known() -> None:
    assert facts_reporting_delay(IncidentFacts()) is None
    assert facts_reporting_delay(IncidentFacts(incident_on=INCIDENT)) is None
    facts = IncidentFacts(incident_on=INCIDENT, reported_on=INCIDENT + datetime.timedelta(days=4))
    assert facts_reporting_delay(facts) is DelayBucket.DAYS_4_5


# --- properties ---------------------------------------------------------------------------------

facts_strategy = st.builds(
    IncidentFacts,
    **{field: st.booleans() for field in ACT_FIELDS.values()},
    was_gbv=st.booleans(),
    perpetrator_is_intimate_partner=st.booleans(),
    survivor_age=st.none() | st.integers(min_value=0, max_value=99),
    transactional=st.booleans(),
    held_captive_or_owned=st.booleans(),
    harmful_traditional_practice=st.booleans(),
)


@given(facts_strategy)
def test_it_always_returns_exactly_one_type_matching_the_first_reported_act(facts: IncidentFacts) -> None:
    result = classify(facts)
    assert result.violence_type in ViolenceType
    reported = [vt for vt, field in ACT_FIELDS.items() if getattr(facts, field)]
    expected = reported[0] if facts.was_gbv and reported else ViolenceType.NON_GBV
    assert result.violence_type is expected


@given(facts_strategy, st.sampled_from(list(ACT_FIELDS.values())))
def test_it_never_lets_a_lower_priority_fact_change_a_higher_priority_result(
    facts: IncidentFacts, added_field: str
) -> None:
    before = classify(facts)
    added_type = next(vt for vt, field in ACT_FIELDS.items() if field == added_field)
    if PRIORITY.index(added_type) <= PRIORITY.index(before.violence_type) and facts.was_gbv:
        return  # a higher (or equal) priority act may legitimately decide
    after = classify(dataclasses.replace(facts, **{added_field: True}))  # type: ignore[arg-type]
    assert after == before
