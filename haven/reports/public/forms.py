"""The settings form of the public figures page. It only parses input; the verb decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.reports.indicators import INDICATORS
from haven.reports.public.models import PublicPage


def _indicator_choices() -> list[tuple[str, str]]:
    return [(code, f"{INDICATORS[code].name} ({code})") for code in sorted(INDICATORS)]


class PublicPageForm(forms.Form):
    is_published = forms.BooleanField(
        label=_("Publish the page"),
        required=False,
        help_text=_("Anyone with the address can read it, without signing in. Small figures are hidden."),
    )
    indicators = forms.MultipleChoiceField(
        label=_("Headline figures"),
        choices=_indicator_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    period_kind = forms.ChoiceField(label=_("Period"), choices=PublicPage.PeriodKind.choices)
