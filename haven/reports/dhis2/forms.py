from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Area, Organisation
from haven.reports.indicators import INDICATORS, REPORTS


def _indicators() -> list[tuple[str, str]]:
    return [(code, f"{code} · {item.name}") for code, item in sorted(INDICATORS.items())]


def _reports() -> list[tuple[str, str]]:
    return [(code, str(item.title)) for code, item in sorted(REPORTS.items())]


class ElementMappingForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=_indicators)
    dimension = forms.CharField(label=_("Dimension (blank for the total)"), max_length=40, required=False)
    value = forms.CharField(
        label=_("Dimension value"),
        max_length=80,
        required=False,
        help_text=_("Write - for the records where it was not recorded."),
    )
    data_element = forms.CharField(label=_("DHIS2 data element id"), max_length=11)
    category_option_combo = forms.CharField(
        label=_("DHIS2 category option combo id (optional)"), max_length=11, required=False
    )


class OrgUnitMappingForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Area (blank for the whole organisation)"), queryset=Area.objects.none(), required=False
    )
    org_unit = forms.CharField(label=_("DHIS2 org unit id"), max_length=11)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(org=org)  # type: ignore[attr-defined]


class ExportForm(forms.Form):
    report_code = forms.ChoiceField(label=_("Report"), choices=_reports)
    period_code = forms.CharField(
        label=_("Period"), max_length=40, help_text=_("2025-03, 2025-Q1, 2025, FY2024")
    )
    data_set = forms.CharField(label=_("DHIS2 data set id (optional)"), max_length=11, required=False)
