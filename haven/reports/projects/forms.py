from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Area, Organisation
from haven.reports.indicators import INDICATORS


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Project"), max_length=160)
    donor = forms.CharField(label=_("Donor"), max_length=160)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas (none: everywhere)"), queryset=Area.objects.none(), required=False
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Area.objects.filter(org=org)  # type: ignore[attr-defined]


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    target = forms.DecimalField(label=_("Target"), min_value=0, max_digits=14, decimal_places=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = sorted(  # type: ignore[attr-defined]
            ((code, f"{item.name} ({code})") for code, item in INDICATORS.items()), key=lambda pair: pair[1]
        )
