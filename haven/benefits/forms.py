"""Forms of the benefits core pages. They only parse input; the verbs in actions.py and cycles.py decide."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.benefits.models import Enrolment, Programme
from haven.orgs.models import Area, Organisation
from haven.web.widgets import DateInput

DATE = DateInput()


class ProgrammeForm(forms.Form):
    code = forms.SlugField(
        label=_("Short name"), max_length=30, help_text=_("Letters, digits and dashes, such as vwb.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    benefit_kind = forms.ChoiceField(label=_("Benefit"), choices=Programme.BenefitKind.choices)
    target_level = forms.ChoiceField(label=_("Given to"), choices=Programme.TargetLevel.choices)
    duration_months = forms.IntegerField(label=_("Duration in months"), min_value=1, max_value=120)
    item = forms.CharField(
        label=pgettext_lazy("what a programme gives", "Item"),
        max_length=40,
        help_text=_("e.g. rice, or the currency code BDT."),
    )
    quantity_per_cycle = forms.DecimalField(label=_("Quantity each month"), max_digits=12, decimal_places=2)
    unit = forms.CharField(label=_("Unit"), max_length=12, help_text=_("e.g. kg, or BDT."))
    applications_open_day = forms.IntegerField(
        label=_("Applications open on day"),
        required=False,
        min_value=1,
        max_value=31,
        help_text=_("Leave both days empty to take applications on any day."),
    )
    applications_close_day = forms.IntegerField(
        label=_("Applications close on day"), required=False, min_value=1, max_value=31
    )
    is_active = forms.BooleanField(
        label=pgettext_lazy("programme", "Active"),
        required=False,
        initial=True,
        help_text=_("A closed programme opens no cycle and enrols no one."),
    )


class RuleSetForm(forms.Form):
    """The three rule lists as JSON text; the rules engine explains what it cannot read."""

    eligibility = forms.CharField(
        label=_("Eligibility rules (JSON)"),
        widget=forms.Textarea(attrs={"rows": 8, "dir": "ltr"}),
        initial="[]",
    )
    priority = forms.CharField(
        label=_("Priority score (JSON)"), widget=forms.Textarea(attrs={"rows": 6, "dir": "ltr"}), initial="[]"
    )
    exclusions = forms.CharField(
        label=_("Exclusions (JSON)"), widget=forms.Textarea(attrs={"rows": 6, "dir": "ltr"}), initial="[]"
    )
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def _json(self, name: str) -> Any:
        try:
            return json.loads(self.cleaned_data[name])
        except ValueError:
            raise forms.ValidationError(_("This is not valid JSON: check the brackets and quotes.")) from None

    def clean_eligibility(self) -> Any:
        return self._json("eligibility")

    def clean_priority(self) -> Any:
        return self._json("priority")

    def clean_exclusions(self) -> Any:
        return self._json("exclusions")


class CycleForm(forms.Form):
    month = forms.DateField(
        label=_("Month"), widget=DATE, help_text=_("Any day of the month; the cycle is the whole month.")
    )


class AreaFilterForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(org=org).order_by("level", "name")  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    national_id = forms.CharField(label=_("National ID number"), max_length=40, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("national_id", "").strip() or data.get("phone", "").strip()):
            raise forms.ValidationError(_("Give a national ID number or a phone number."))
        return data


class EnrolForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    card_number = forms.CharField(label=_("Card number"), max_length=30)
    starts_on = forms.DateField(
        label=_("First month"), widget=DATE, help_text=_("Any day of the first month.")
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(org=org, is_active=True)  # type: ignore[attr-defined]


class ExitForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why it ended"), choices=Enrolment.ExitReason.choices)
    on = forms.DateField(label=_("Ended on"), widget=DATE)
