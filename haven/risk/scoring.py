"""The scoring engine: answers + instrument (+ the organisation's scoring sheet) → score, level, rule.

Pure Python, no Django, so every rule and threshold is tested on its own. The result names the rule that
produced the level, and the page shows that rule's explanation: a worker must be able to say why.

How a level is reached: the score is the number of yes answers among the instrument's scored items (or,
for an instrument scored from the organisation's sheet, the sum of the sheet's weights of those items).
Every rule whose condition holds proposes a level; the highest proposed level wins, and the first rule (in
file order) proposing it is the one reported. So a judgement rule can raise a level but never lower it,
and with no rule holding the level is the instrument's default.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from haven.risk.instrument import (
    CALENDAR,
    CHOICES,
    JUDGEMENT,
    NUMBER,
    SHEET_EXPLAIN,
    YES,
    Instrument,
    InstrumentError,
    Rule,
)

DEFAULT_RULE = "default"

MISSING = "missing"
INVALID = "invalid"
UNKNOWN_ITEM = "unknown_item"


MAX_SHEET_NUMBER = 100_000
"""The largest weight or cut-off a scoring sheet may give. Certified sheets use small numbers; a bound keeps
every score built from them within the database's integer, so a typo cannot fail every screen later."""


class AnswersError(ValueError):
    """Answers that do not fit the instrument; `problems` maps item ids to MISSING, INVALID, UNKNOWN_ITEM."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__(", ".join(f"{item}: {problem}" for item, problem in problems.items()))
        self.problems = dict(problems)


class ScoringUnavailable(Exception):
    """The instrument is scored from the organisation's certified sheet, and there is none."""


@dataclass(frozen=True)
class ScoringSheet:
    """An organisation's certified weights (per scored item) and cut-offs (lowest score for each level)."""

    weights: Mapping[str, int]
    cutoffs: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Result:
    score: int
    level: str
    rule: str
    explain: str
    matched: tuple[str, ...]


def parse_sheet(instrument: Instrument, data: Any) -> ScoringSheet:
    """Check a scoring sheet against the instrument: a whole, non-negative weight for every scored item,
    and cut-offs in rising order for levels of the instrument."""
    if not isinstance(data, dict):
        raise InstrumentError("the scoring sheet must be an object with 'weights' and 'cutoffs'")
    weights, cutoffs = data.get("weights"), data.get("cutoffs")
    if not isinstance(weights, dict) or set(weights) != set(instrument.score_items):
        raise InstrumentError("the sheet needs a weight for every scored item, and only those")
    if not all(isinstance(w, int) and not isinstance(w, bool) and w >= 0 for w in weights.values()):
        raise InstrumentError("every weight must be a whole number, zero or more")
    if any(w > MAX_SHEET_NUMBER for w in weights.values()):
        raise InstrumentError(f"every weight must be {MAX_SHEET_NUMBER} or less")
    if not isinstance(cutoffs, list) or not cutoffs:
        raise InstrumentError("the sheet needs at least one cut-off")
    parsed = tuple(_cutoff(instrument, entry) for entry in cutoffs)
    scores = [score for score, _level in parsed]
    ranks = [instrument.rank(level) for _score, level in parsed]
    if scores != sorted(set(scores)) or ranks != sorted(set(ranks)):
        raise InstrumentError("cut-offs must rise: a higher score for each higher level")
    return ScoringSheet(weights=dict(weights), cutoffs=parsed)


def _cutoff(instrument: Instrument, entry: Any) -> tuple[int, str]:
    levels = {level.code for level in instrument.levels}
    if not isinstance(entry, dict) or entry.get("level") not in levels:
        raise InstrumentError("each cut-off needs a 'level' of the instrument")
    at_least = entry.get("at_least")
    if not isinstance(at_least, int) or isinstance(at_least, bool) or at_least < 0:
        raise InstrumentError("each cut-off needs a whole number 'at_least'")
    if at_least > MAX_SHEET_NUMBER:
        raise InstrumentError(f"every cut-off must be {MAX_SHEET_NUMBER} or less")
    return at_least, str(entry["level"])


def clean_answers(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers in their stored shape, or AnswersError listing every item to fix."""
    problems = {key: UNKNOWN_ITEM for key in answers if key not in {item.id for item in instrument.items}}
    cleaned: dict[str, Any] = {}
    for item in instrument.items:
        value = answers.get(item.id)
        if value in (None, "", []):
            if item.required:
                problems[item.id] = MISSING
            continue
        ok, normal = _clean_value(instrument, item.answer, value)
        if ok:
            cleaned[item.id] = normal
        else:
            problems[item.id] = INVALID
    if problems:
        raise AnswersError(problems)
    return cleaned


def _clean_value(instrument: Instrument, answer: str, value: Any) -> tuple[bool, Any]:
    if answer in CHOICES:
        return value in CHOICES[answer], value
    if answer == NUMBER:
        number = _whole(value)
        return number is not None and number >= 0, number
    if answer == JUDGEMENT:
        return value in {level.code for level in instrument.levels}, value
    if answer == CALENDAR:
        entries = [_calendar_entry(entry) for entry in value] if isinstance(value, list) else [None]
        return None not in entries, entries
    return False, value


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    # isdecimal, not isdigit: "²" is a digit that int() refuses; "٣" (Arabic-Indic three) is decimal.
    return int(value) if isinstance(value, str) and value.strip().isdecimal() else None


def _calendar_entry(entry: Any) -> dict[str, Any] | None:
    """One incident of a calendar: a day and a severity from 1 to 5."""
    if not isinstance(entry, dict):
        return None
    try:
        on = datetime.date.fromisoformat(str(entry.get("on")))
    except ValueError:
        return None
    severity = _whole(entry.get("severity"))
    return {"on": on.isoformat(), "severity": severity} if severity in range(1, 6) else None


def score_of(instrument: Instrument, answers: Mapping[str, Any], sheet: ScoringSheet | None = None) -> int:
    weights = sheet.weights if sheet is not None else {}
    return sum(weights.get(item, 1) for item in instrument.score_items if answers.get(item) == YES)


def _proposed(rule: Rule, answers: Mapping[str, Any], score: int) -> str | None:
    """The level a rule proposes for these answers, or None when its condition does not hold."""
    when = rule.when
    if "any_yes" in when:
        holds = any(answers.get(item) == YES for item in when["any_yes"])
    elif "count_yes" in when:
        holds = sum(answers.get(item) == YES for item in when["count_yes"]) >= when["at_least"]
    elif "score_at_least" in when:
        holds = score >= when["score_at_least"]
    elif "number_at_least" in when:
        holds = (answers.get(when["number_at_least"]) or 0) >= when["at_least"]
    else:
        judged = answers.get(when["judgement"])
        return str(judged) if judged else None
    return rule.level if holds else None


def sheet_rules(instrument: Instrument, sheet: ScoringSheet) -> list[Rule]:
    return [
        Rule(
            id=f"sheet_{level.lower()}",
            explain=SHEET_EXPLAIN,
            when={"score_at_least": at_least},
            level=level,
        )
        for at_least, level in sheet.cutoffs
    ]


def score(instrument: Instrument, answers: Mapping[str, Any], sheet: ScoringSheet | None = None) -> Result:
    """Score cleaned answers. Raises ScoringUnavailable for a sheet-scored instrument without a sheet."""
    if instrument.needs_org_sheet and sheet is None:
        raise ScoringUnavailable(instrument.key)
    total = score_of(instrument, answers, sheet)
    rules: Sequence[Rule] = [*(sheet_rules(instrument, sheet) if sheet else []), *instrument.rules]
    proposals = [(rule, level) for rule in rules if (level := _proposed(rule, answers, total)) is not None]
    if not proposals:
        return Result(total, instrument.default_level, DEFAULT_RULE, "", ())
    top = max(instrument.rank(level) for _rule, level in proposals)
    rule, level = next((rule, level) for rule, level in proposals if instrument.rank(level) == top)
    if top == instrument.rank(instrument.default_level) and rule.when.keys() == {"judgement"}:
        # A judgement that the default level is right changes nothing: report the default.
        return Result(total, level, DEFAULT_RULE, "", tuple(r.id for r, _l in proposals))
    return Result(total, level, rule.id, rule.explain, tuple(r.id for r, _level in proposals))
