"""The scoring engine, rule by rule and threshold by threshold, and over generated answer sets."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haven.risk import scoring
from haven.risk.instrument import InstrumentError, library

LAP = library().get("lap")
DASH = library().get("dash")
DA = library().get("da")
ODARA = library().get("odara")

LAP_TOP = ["q1", "q2", "q3"]
LAP_REST = [f"q{n}" for n in range(4, 12)]
DASH_COUNTED = list(DASH.score_items)
ODARA_ITEMS = list(ODARA.score_items)

yes_no_unknown = st.sampled_from(["yes", "no", "unknown", "declined"])


def lap(yes: list[str], judgement: str = "") -> dict[str, Any]:
    answers: dict[str, Any] = {item: ("yes" if item in yes else "no") for item in LAP_TOP + LAP_REST}
    return {**answers, "judgement": judgement}


def dash(count: int, **extra: Any) -> dict[str, Any]:
    return {item: ("yes" if index < count else "no") for index, item in enumerate(DASH_COUNTED)} | extra


def scored(instrument: Any, answers: dict[str, Any], sheet: Any = None) -> scoring.Result:
    return scoring.score(instrument, scoring.clean_answers(instrument, answers), sheet)


# --- LAP --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("item", LAP_TOP)
def test_it_screens_in_on_yes_to_any_of_the_first_three(item: str) -> None:
    result = scored(LAP, lap([item]))
    assert (result.level, result.rule) == ("SCREENED_IN", "any_of_q1_to_q3")
    assert "questions 1 to 3" in result.explain


def test_it_screens_in_on_four_of_the_other_eight_and_not_on_three() -> None:
    assert scored(LAP, lap(LAP_REST[:3])).level == "NOT_SCREENED_IN"
    result = scored(LAP, lap(LAP_REST[:4]))
    assert (result.level, result.rule, result.score) == ("SCREENED_IN", "four_of_q4_to_q11", 4)


def test_it_screens_in_on_the_screeners_judgement_alone() -> None:
    result = scored(LAP, lap([], judgement="SCREENED_IN"))
    assert (result.level, result.rule) == ("SCREENED_IN", "screener_judgement")


def test_it_reports_the_default_when_nothing_holds() -> None:
    result = scored(LAP, lap(LAP_REST[:2], judgement="NOT_SCREENED_IN"))
    assert (result.level, result.rule, result.explain) == ("NOT_SCREENED_IN", "default", "")


def test_it_counts_unknown_and_declined_as_not_yes() -> None:
    answers = lap([]) | dict.fromkeys(LAP_TOP, "unknown") | dict.fromkeys(LAP_REST, "declined")
    assert scored(LAP, answers).level == "NOT_SCREENED_IN"


@given(st.fixed_dictionaries({item: yes_no_unknown for item in LAP_TOP + LAP_REST}), st.booleans())
def test_lap_level_follows_the_protocol(answers: dict[str, str], judged: bool) -> None:
    result = scored(LAP, answers | {"judgement": "SCREENED_IN" if judged else ""})
    top = any(answers[item] == "yes" for item in LAP_TOP)
    rest = sum(answers[item] == "yes" for item in LAP_REST) >= 4
    assert (result.level == "SCREENED_IN") == (top or rest or judged)
    assert result.score == sum(value == "yes" for value in answers.values())


# --- DASH -------------------------------------------------------------------------------------------


def test_it_rates_fourteen_yes_high_and_thirteen_standard() -> None:
    assert scored(DASH, dash(13)).level == "STANDARD"
    result = scored(DASH, dash(14))
    assert (result.level, result.rule, result.score) == ("HIGH", "fourteen_or_more", 14)


def test_it_escalates_on_three_police_callouts_in_a_year() -> None:
    assert scored(DASH, dash(0, police_callouts=2)).level == "STANDARD"
    result = scored(DASH, dash(0, police_callouts="3"))
    assert (result.level, result.rule) == ("HIGH", "escalation_police_callouts")


def test_it_escalates_a_repeat_referral() -> None:
    result = scored(DASH, dash(0, repeat_referral="yes"))
    assert (result.level, result.rule) == ("HIGH", "repeat_referral")


def test_judgement_raises_the_level() -> None:
    result = scored(DASH, dash(5, judgement="MEDIUM"))
    assert (result.level, result.rule) == ("MEDIUM", "professional_judgement")


def test_judgement_never_lowers_the_level() -> None:
    result = scored(DASH, dash(20, judgement="STANDARD"))
    assert (result.level, result.rule) == ("HIGH", "fourteen_or_more")


@given(
    st.fixed_dictionaries({item: yes_no_unknown for item in DASH_COUNTED}),
    st.integers(min_value=0, max_value=20),
    st.sampled_from(["", "STANDARD", "MEDIUM", "HIGH"]),
)
def test_dash_level_is_the_highest_of_count_escalation_and_judgement(
    answers: dict[str, str], callouts: int, judgement: str
) -> None:
    result = scored(DASH, answers | {"police_callouts": callouts, "judgement": judgement})
    ranks = {"STANDARD": 0, "MEDIUM": 1, "HIGH": 2}
    by_answers = "HIGH" if sum(v == "yes" for v in answers.values()) >= 14 or callouts >= 3 else "STANDARD"
    expected = max(by_answers, judgement or "STANDARD", key=ranks.__getitem__)
    assert result.level == expected
    assert ranks[result.level] >= ranks[by_answers]


# --- Danger Assessment ------------------------------------------------------------------------------


def da_answers(yes: int) -> dict[str, Any]:
    answers: dict[str, Any] = {item: ("yes" if i < yes else "no") for i, item in enumerate(DA.score_items)}
    calendar = [{"on": "2026-03-01", "severity": 3}, {"on": "2026-05-09", "severity": "5"}]
    return answers | {"calendar": calendar}


SHEET: dict[str, Any] = {
    "weights": dict.fromkeys(DA.score_items, 2) | {"d1": 3},
    "cutoffs": [{"at_least": 8, "level": "INCREASED"}, {"at_least": 14, "level": "SEVERE"}],
}


def test_the_shipped_danger_assessment_has_no_weights_and_says_so() -> None:
    assert DA.needs_org_sheet and DA.rules == ()
    assert "no weights" in DA.notice
    with pytest.raises(scoring.ScoringUnavailable):
        scored(DA, da_answers(3))


def test_it_scores_the_danger_assessment_with_the_organisations_sheet() -> None:
    sheet = scoring.parse_sheet(DA, SHEET)
    assert scored(DA, da_answers(3), sheet).level == "VARIABLE"  # 3 + 2 + 2 = 7
    result = scored(DA, da_answers(4), sheet)  # 9
    assert (result.score, result.level, result.rule) == (9, "INCREASED", "sheet_increased")
    assert scored(DA, da_answers(7), sheet).level == "SEVERE"  # 15


def test_it_keeps_the_calendar_as_day_and_severity() -> None:
    cleaned = scoring.clean_answers(DA, da_answers(0))
    assert cleaned["calendar"][1] == {"on": "2026-05-09", "severity": 5}


@pytest.mark.parametrize(
    "sheet",
    [
        {"weights": {"d1": 1}, "cutoffs": SHEET["cutoffs"]},
        {"weights": SHEET["weights"] | {"d2": -1}, "cutoffs": SHEET["cutoffs"]},
        {"weights": SHEET["weights"], "cutoffs": []},
        {"weights": SHEET["weights"], "cutoffs": [{"at_least": 8, "level": "NOPE"}]},
        {"weights": SHEET["weights"], "cutoffs": list(reversed(SHEET["cutoffs"]))},
        "weights",
    ],
)
def test_it_refuses_a_malformed_scoring_sheet(sheet: Any) -> None:
    with pytest.raises(InstrumentError):
        scoring.parse_sheet(DA, sheet)


# --- ODARA ------------------------------------------------------------------------------------------

ODARA_BANDS = [(0, "CATEGORY_1"), (1, "CATEGORY_2"), (2, "CATEGORY_3"), (3, "CATEGORY_4"), (4, "CATEGORY_5")]
ODARA_BANDS += [(5, "CATEGORY_6"), (6, "CATEGORY_6"), (7, "CATEGORY_7"), (13, "CATEGORY_7")]


@pytest.mark.parametrize(("count", "level"), ODARA_BANDS)
def test_odara_places_each_score_in_its_category(count: int, level: str) -> None:
    answers = {item: ("yes" if i < count else "no") for i, item in enumerate(ODARA_ITEMS)}
    assert scored(ODARA, answers).level == level


@given(st.fixed_dictionaries({item: yes_no_unknown for item in ODARA_ITEMS}))
def test_odara_category_grows_with_the_score(answers: dict[str, str]) -> None:
    result = scored(ODARA, answers)
    band = [0, 1, 2, 3, 4, 5, 5, 6, 6, 6, 6, 6, 6, 6][result.score]
    assert result.level == f"CATEGORY_{band + 1}"


# --- Answers ----------------------------------------------------------------------------------------


def test_it_lists_every_answer_to_fix() -> None:
    answers = lap([]) | {"q1": "maybe", "q12": "yes"}
    del answers["q2"]
    with pytest.raises(scoring.AnswersError) as refused:
        scoring.clean_answers(LAP, answers)
    assert refused.value.problems == {"q1": "invalid", "q2": "missing", "q12": "unknown_item"}


@pytest.mark.parametrize(
    "calendar", [[{"on": "2026-02-30", "severity": 2}], [{"on": "2026-02-01", "severity": 6}], "often"]
)
def test_it_refuses_a_malformed_calendar(calendar: Any) -> None:
    with pytest.raises(scoring.AnswersError):
        scoring.clean_answers(DA, da_answers(0) | {"calendar": calendar})


@pytest.mark.parametrize("value", [-1, "two", True, 2.5])
def test_it_refuses_a_number_that_is_not_a_count(value: Any) -> None:
    with pytest.raises(scoring.AnswersError):
        scoring.clean_answers(DASH, dash(0, police_callouts=value))


def test_it_refuses_a_judgement_that_is_not_a_level() -> None:
    with pytest.raises(scoring.AnswersError):
        scoring.clean_answers(DASH, dash(0, judgement="EXTREME"))


def test_a_number_written_with_a_superscript_digit_is_refused_not_a_crash() -> None:
    """`"²".isdigit()` is true but `int("²")` fails: such an answer is invalid, like any other text."""
    dash = library().get("dash")
    answers = dict.fromkeys(dash.score_items, "no")

    with pytest.raises(scoring.AnswersError) as refused:
        scoring.clean_answers(dash, answers | {"police_callouts": "²"})

    assert refused.value.problems == {"police_callouts": scoring.INVALID}
    assert scoring.clean_answers(dash, answers | {"police_callouts": "٣"})["police_callouts"] == 3
