from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Area
from haven.reports.indicators import REPORTS
from haven.reports.sharing.actions import DEFAULT_REPORT


def report_choices() -> list[tuple[str, str]]:
    return [(code, str(item.title)) for code, item in sorted(REPORTS.items()) if item.shareable]


class NetworkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    area_level = forms.TypedChoiceField(
        label=_("Compare areas at level"), choices=Area.Level.choices, coerce=int, initial=Area.Level.DISTRICT
    )
    deadline_day = forms.IntegerField(
        label=_("Approval deadline (day of the following month)"), min_value=1, max_value=31, initial=15
    )
    threshold = forms.IntegerField(label=_("Smallest figure shown"), min_value=1, max_value=100, initial=5)


class InviteForm(forms.Form):
    slug = forms.SlugField(label=_("Short name of the organisation"), max_length=60)


class MonthForm(forms.Form):
    report_code = forms.ChoiceField(label=_("Report"), choices=report_choices, initial=DEFAULT_REPORT)
    period_code = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-\d{2}$",
        error_messages={"invalid": _("Write the month as YYYY-MM (2025-03).")},
    )
