"""ODARA for the programme: the instrument file and the scoring engine of `haven/risk`, reused as they are.

Only the pure modules are imported (`haven.risk.instrument`, `haven.risk.scoring`): they load versioned
JSON and score answers, and import nothing of Django or of survivors' files. The texts are translated at
display time with `gettext(text)`; `haven/risk/instrument_texts.py` marks them for translators.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.risk import scoring
from haven.risk.instrument import CHOICES, Instrument, library

ODARA = "odara"

ANSWER_LABELS = {
    "yes": gettext_lazy("Yes"),
    "no": gettext_lazy("No"),
    "unknown": gettext_lazy("Not known"),
    "declined": gettext_lazy("Declined to answer"),
}


def instrument(version: str | None = None) -> Instrument:
    """The ODARA version asked (the newest by default). A version that is not shipped is a field error."""
    try:
        return library().get(ODARA, version)
    except KeyError:
        raise ValidationError({"instrument_version": _("There is no such version of ODARA.")}) from None


def _problem_text(problem: str) -> str:
    if problem == scoring.MISSING:
        return _("Answer this item (choose “Not known” when the record does not say).")
    if problem == scoring.UNKNOWN_ITEM:
        return _(
            "ODARA has no such item. The programme records his history only: no victim's name, "
            "contact or file is asked for, and none is kept."
        )
    return _("This answer is not one of the choices.")


def evaluate(chosen: Instrument, answers: Mapping[str, Any]) -> tuple[dict[str, Any], scoring.Result]:
    """Clean and score answers with the shared engine, or a ValidationError per item to fix."""
    try:
        cleaned = scoring.clean_answers(chosen, answers)
    except scoring.AnswersError as exc:
        raise ValidationError({item: _problem_text(p) for item, p in exc.problems.items()}) from None
    return cleaned, scoring.score(chosen, cleaned)


def meaning(chosen: Instrument, level: str, rule: str) -> dict[str, str]:
    """What a result means, in the reader's language: the category and the rule that placed him there."""
    explain = next((entry.explain for entry in chosen.rules if entry.id == rule), "")
    return {
        "level": _(chosen.level_label(level)),
        "explain": _(explain) if explain else _("No item is present: the lowest category."),
    }


def answer_rows(chosen: Instrument, answers: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Each item (translated) with the answer given, in the instrument's order."""
    rows = []
    for item in chosen.items:
        value = answers.get(item.id)
        shown = str(ANSWER_LABELS[value]) if item.answer in CHOICES and value in ANSWER_LABELS else "—"
        rows.append((_(item.text), shown))
    return rows
