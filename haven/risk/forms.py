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
    review_on = forms.DateField(
        label=gettext_lazy("Review on"), widget=forms.DateInput(attrs={"type": "date"})
    )
