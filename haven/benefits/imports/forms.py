"""The upload form: a CSV or XLSX file and whether to only check it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Registry file (CSV or XLSX)"),
        help_text=_(
            "Columns as in the template. Every row is checked first: one refused row imports nothing."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Trial run: check the rows, import nothing"), required=False, initial=False
    )
