from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.orgs.roles import Role
from haven.reports.exports.actions import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH
from haven.reports.exports.records import sets_for
from haven.reports.indicators import REPORTS


class RecordExportForm(forms.Form):
    record_set = forms.ChoiceField(label=_("Records"))
    period = forms.CharField(
        label=_("Period"), max_length=40, help_text=_("For example 2025, 2025-03, FY2024, SH1403 or BN1431.")
    )
    password = forms.CharField(
        label=_("Password for the archive"),
        min_length=PASSWORD_MIN_LENGTH,
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least %(count)s characters. Haven does not keep it: without it the file cannot be opened."
        )
        % {"count": PASSWORD_MIN_LENGTH},
    )
    password_again = forms.CharField(
        label=_("The same password again"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, role: Role, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_set"].choices = [(item.code, item.label) for item in sets_for(role)]  # type: ignore[attr-defined]


class ReportChoiceForm(forms.Form):
    """The export page's form, shown when an export link lacks what it needs (or has it wrong)."""

    report = forms.ChoiceField(label=_("Report"))
    period = forms.CharField(label=_("Period"), max_length=40)
    area = forms.CharField(label=_("Area (optional)"), required=False, widget=forms.HiddenInput)
    by = forms.CharField(label=_("Break down by (optional)"), required=False, max_length=200)
    compare = forms.BooleanField(label=_("Compare with the previous period"), required=False)
    format = forms.ChoiceField(
        label=_("File"), choices=[("csv", "CSV"), ("xlsx", "XLSX (Excel)"), ("pdf", "PDF")], initial="xlsx"
    )

    def __init__(self, *args: Any, role: Role, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = [  # type: ignore[attr-defined]
            (item.code, item.title) for item in REPORTS.values() if role in item.readers
        ]
