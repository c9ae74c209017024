"""The screen form, generated from an instrument file: one question per line, answered with the keyboard
(radio buttons move with the arrow keys). Texts are translated at display time from the file's English."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.risk.instrument import CALENDAR, CHOICES, JUDGEMENT, NUMBER, Instrument, Item
from haven.risk.scoring import MAX_SHEET_NUMBER
from haven.web.widgets import DateInput

ANSWER_LABELS = {
    "yes": gettext_lazy("Yes"),
    "no": gettext_lazy("No"),
    "unknown": gettext_lazy("Not known"),
    "declined": gettext_lazy("Declined to answer"),
}


def answer_choices(item: Item) -> list[tuple[str, str]]:
    return [(value, str(ANSWER_LABELS[value])) for value in CHOICES[item.answer]]


class CalendarField(forms.CharField):
    """One incident per line: a day (YYYY-MM-DD) and a rating from 1 to 5, e.g. `2026-03-01 3`."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value) or ""
        entries = []
        for line in (line.strip() for line in text.splitlines()):
            if not line:
                continue
            day, _space, rating = line.partition(" ")
            try:
                datetime.date.fromisoformat(day)
            except ValueError:
                raise ValidationError(
                    _("Write each incident as a date and a rating, e.g. 2026-03-01 3.")
                ) from None
            if rating.strip() not in {"1", "2", "3", "4", "5"}:
                raise ValidationError(_("Rate each incident from 1 to 5."))
            entries.append({"on": day, "severity": int(rating)})
        return entries


def field_for(instrument: Instrument, item: Item) -> forms.Field:
    common: dict[str, Any] = {
        "label": _(item.text),
        "required": item.required,
        "help_text": _(item.help) if item.help else "",
    }
    if item.answer in CHOICES:
        return forms.ChoiceField(choices=answer_choices(item), widget=forms.RadioSelect, **common)
    if item.answer == NUMBER:
        return forms.IntegerField(min_value=0, **common)
    if item.answer == JUDGEMENT:
        levels = [("", _("No judgement to add"))] + [(lv.code, _(lv.label)) for lv in instrument.levels]
        return forms.ChoiceField(choices=levels, **common)
    assert item.answer == CALENDAR
    return CalendarField(**common)


class ScreenForm(forms.Form):
    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            self.fields[item.id] = field_for(instrument, item)

    def answers(self) -> dict[str, Any]:
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "", [])}


class SafetyPlanForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Her language"),
        choices=settings.LANGUAGES,
        help_text=gettext_lazy("The printed plan uses this language for its headings."),
    )
    safe_places = forms.CharField(
        label=gettext_lazy("Safe places to go"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Where she can go at any hour, and how she gets there."),
    )
    people_to_call = forms.CharField(
        label=gettext_lazy("People to call"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Who she trusts, the hotline, the police or emergency number."),
    )
    documents_and_money = forms.CharField(
        label=gettext_lazy("Documents and money ready"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Papers, keys, medicines, money and where a copy or a bag is kept."),
    )
    children = forms.CharField(
        label=gettext_lazy("Children"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "What the children do when violence starts; who may collect them from school."
        ),
    )
    technology = forms.CharField(
        label=gettext_lazy("Phone and technology safety"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Location sharing, passwords, shared accounts, a safe phone."),
    )
    code_word = forms.CharField(
        label=gettext_lazy("Code word"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("The word that tells people she trusts to call for help."),
    )
    review_on = forms.DateField(label=gettext_lazy("Review on"), widget=DateInput())


# --- The organisation's risk set-up: escalation rules and scoring sheets -----------------------------


class EscalationRuleForm(forms.Form):
    """A rule for one instrument: the levels it acts on, and what it sets in motion."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    levels = forms.MultipleChoiceField(
        label=gettext_lazy("Levels"), widget=forms.CheckboxSelectMultiple, required=False
    )
    offer_dispatch = forms.BooleanField(
        label=gettext_lazy("Offer an immediate dispatch of a mobile team"), required=False
    )
    notify_supervisor = forms.BooleanField(label=gettext_lazy("Alert a supervisor"), required=False)
    follow_up_within_hours = forms.IntegerField(
        label=gettext_lazy("Schedule a follow-up within (hours)"),
        min_value=0,
        max_value=24 * 30,
        required=False,
        help_text=gettext_lazy(
            "Leave empty for no follow-up. The follow-up is safety-critical, on her case."
        ),
    )

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        levels = [(level.code, _(level.label)) for level in instrument.levels]
        self.fields["levels"].choices = levels  # type: ignore[attr-defined]


def weight_field(item_id: str) -> str:
    return f"weight_{item_id}"


def cutoff_field(level_code: str) -> str:
    return f"cutoff_{level_code}"


class ScoringSheetForm(forms.Form):
    """An organisation's certified sheet typed in: a weight for every scored question and the lowest
    score of each level. The verb judges the whole (every item weighted, cut-offs rising), with the same
    checks as the API."""

    certified_by = forms.CharField(
        label=gettext_lazy("Certified by"),
        max_length=200,
        help_text=gettext_lazy("Who certified the sheet, and the certificate's reference or date."),
    )

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item_id in instrument.score_items:
            self.fields[weight_field(item_id)] = forms.IntegerField(
                label=_("Weight of: %(question)s") % {"question": _(instrument.item(item_id).text)},
                min_value=0,
                max_value=MAX_SHEET_NUMBER,
            )
        for level in instrument.levels:
            self.fields[cutoff_field(level.code)] = forms.IntegerField(
                label=_("Lowest score for: %(level)s") % {"level": _(level.label)},
                min_value=0,
                max_value=MAX_SHEET_NUMBER,
                required=False,
                help_text=_("Leave empty for a level the sheet does not score (such as the lowest)."),
            )

    def sheet(self) -> dict[str, Any]:
        """The sheet in the shape the API takes: {"weights": {...}, "cutoffs": [{"at_least", "level"}]}."""
        data = self.cleaned_data
        weights = {item_id: data[weight_field(item_id)] for item_id in self.instrument.score_items}
        cutoffs = [
            {"at_least": data[cutoff_field(level.code)], "level": level.code}
            for level in self.instrument.levels
            if data.get(cutoff_field(level.code)) is not None
        ]
        return {"weights": weights, "cutoffs": cutoffs}
