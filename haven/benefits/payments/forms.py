"""Forms of the payments pages. They only parse input; the verbs in actions.py decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.benefits.models import Cycle
from haven.benefits.payments.models import Provider

MAX_RESULT_FILE = 50 * 1024 * 1024


class CycleChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.programme.name} · {obj.month:%Y-%m}"


class BatchForm(forms.Form):
    cycle = CycleChoice(label=_("Cycle"), queryset=Cycle.objects.none())
    provider = forms.ChoiceField(label=_("Mobile wallet"), choices=Provider.choices)

    def __init__(self, *args: Any, cycles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the batch cancelled?"), max_length=300)


class ResultFileForm(forms.Form):
    file = forms.FileField(
        label=_("Result file from the provider"),
        help_text=_("The file exactly as the provider sent it. Nothing is applied if any line is wrong."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_RESULT_FILE:
            raise forms.ValidationError(_("This file is too large (at most 50 MB)."))
        return upload


class WalletForm(forms.Form):
    provider = forms.ChoiceField(label=_("Mobile wallet"), choices=Provider.choices)
    wallet_number = forms.CharField(
        label=_("Mobile wallet number"),
        max_length=20,
        help_text=_("Her own number, as she gave it, such as 01711 000000."),
    )
