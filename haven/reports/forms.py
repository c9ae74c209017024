"""The report page's form (a GET form: a report's address can be bookmarked and shared with colleagues).

The period is either typed as a code (``SH1403-05``, ``FY2024``...) or picked in the reader's own calendar:
a month or a year of that calendar, a fiscal year, a half year, or a range of days. The area list holds
only the organisation's areas, so another organisation's area is simply not a choice.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.orgs.models import Area
from haven.reports.indicators import AREA, DIMENSIONS, INDICATORS, MONTH_DIMENSION, Report
from haven.reports.periods import (
    FISCAL_YEAR,
    HALF,
    MONTH,
    RANGE,
    YEAR,
    Period,
    PeriodError,
    calendar_month,
    calendar_year,
    current_period,
    day_range,
    fiscal_year,
    half_year,
    parse_period,
)
from haven.web import calendars
from haven.web.widgets import DateInput

MAX_BREAKDOWNS: Final = 2

KIND_CHOICES: Final = [
    (MONTH, gettext_lazy("Month")),
    (YEAR, gettext_lazy("Year")),
    (FISCAL_YEAR, gettext_lazy("Fiscal year (July to June)")),
    (HALF, gettext_lazy("Half year")),
    (RANGE, gettext_lazy("Range of days")),
]


def breakdown_choices(report: Report) -> list[tuple[str, str]]:
    """The dimensions at least one of the report's indicators can be broken down by, and the month."""
    codes: list[str] = []
    for code in report.indicators:
        item = INDICATORS.get(code)
        for dimension in item.dimensions if item else ():
            if dimension not in codes:
                codes.append(dimension)
    codes.append(MONTH_DIMENSION)
    return [(code, str(DIMENSIONS[code].label)) for code in codes if code in DIMENSIONS]


class ReportForm(forms.Form):
    period = forms.CharField(
        label=gettext_lazy("Period code"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("For example SH1403-05, BN1431, FY2024 or 2025-01-01..2025-03-31."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Period"), choices=KIND_CHOICES, required=False)
    # Text, not a number input: a browser's number input refuses Persian or Bengali digits.
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        required=False,
        min_value=1,
        max_value=9999,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    month = forms.TypedChoiceField(label=gettext_lazy("Month"), coerce=int, required=False)
    half = forms.TypedChoiceField(
        label=gettext_lazy("Half"),
        coerce=int,
        required=False,
        choices=[(1, gettext_lazy("January to June")), (2, gettext_lazy("July to December"))],
    )
    first_day = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput())
    last_day = forms.DateField(label=gettext_lazy("To (included)"), required=False, widget=DateInput())
    area = forms.ModelChoiceField(
        label=gettext_lazy("Area"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=gettext_lazy("All areas"),
    )
    area_level = forms.TypedChoiceField(
        label=gettext_lazy("Show areas at level"),
        coerce=int,
        required=False,
        choices=[("", gettext_lazy("As recorded")), *Area.Level.choices],
    )
    by = forms.MultipleChoiceField(
        label=gettext_lazy("Break down by"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("One or two."),
    )
    compare = forms.BooleanField(label=gettext_lazy("Compare with the previous period"), required=False)

    def __init__(self, *args: Any, report: Report, user: Any, calendar: str, today: date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.calendar, self.today = calendar, today
        self.fields["area"].queryset = Area.objects.visible_to(user)  # type: ignore[attr-defined]
        by_field: forms.ChoiceField = self.fields["by"]  # type: ignore[assignment]
        by_field.choices = breakdown_choices(report)
        month_field: forms.ChoiceField = self.fields["month"]  # type: ignore[assignment]
        names = calendars.calendar_month_names(calendar)
        month_field.choices = [("", "—"), *[(n, name) for n, name in enumerate(names, 1)]]
        self.fields["year"].help_text = _("In your calendar for a month or year.")

    def clean_by(self) -> list[str]:
        chosen: list[str] = self.cleaned_data.get("by") or []
        if len(chosen) > MAX_BREAKDOWNS:
            raise ValidationError(_("Choose at most two breakdowns."), code="too_many")
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["period_value"] = self._period(data)
        except PeriodError as exc:
            self.add_error("period" if data.get("period") else "kind", str(exc.args[0]))
        if data.get("area_level") and AREA not in (data.get("by") or []):
            self.add_error("area_level", _("Add “area” to the breakdown to show areas at a level."))
        return data

    def _period(self, data: dict[str, Any]) -> Period:
        if data.get("period"):
            return parse_period(data["period"])
        kind, year = data.get("kind") or MONTH, data.get("year")
        if kind == RANGE:
            if not data.get("first_day") or not data.get("last_day"):
                raise PeriodError(_("Give the first and the last day of the range."))
            return day_range(data["first_day"], data["last_day"])
        if year is None:
            return current_period(kind if kind in (YEAR, FISCAL_YEAR) else MONTH, self.calendar, self.today)
        return self._picked(kind, year, data)

    def _picked(self, kind: str, year: int, data: dict[str, Any]) -> Period:
        if kind == YEAR:
            return calendar_year(self.calendar, year)
        if kind == FISCAL_YEAR:
            return fiscal_year(year)
        if kind == HALF:
            return half_year(year, data.get("half") or 1)
        if not data.get("month"):
            raise PeriodError(_("Choose the month."))
        return calendar_month(self.calendar, year, data["month"])
