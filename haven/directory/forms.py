"""Forms for the directory pages. They only parse input; the verbs in actions.py decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.cases.catalogue import grouped_choices
from haven.directory.models import Provider
from haven.orgs.models import Area, Organisation


def _codes(raw: Any) -> list[str]:
    return [code.strip().lower() for code in str(raw or "").split(",") if code.strip()]


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Provider.Kind.choices)
    services = forms.MultipleChoiceField(
        label=_("Services offered"), choices=grouped_choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.CharField(
        label=_("Languages spoken"),
        max_length=200,
        required=False,
        help_text=_("Language codes separated by commas, e.g. bn, en."),
    )
    open_24_7 = forms.BooleanField(label=_("Open day and night, every day"), required=False)
    hours = forms.CharField(
        label=_("Opening hours"),
        max_length=300,
        required=False,
        help_text=_("For example: Monday to Friday 9:00–17:00, Saturday 9:00–12:00."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas served"), queryset=Area.objects.none(), required=False
    )
    phone = forms.CharField(label=_("Public phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Public email"), required=False)
    address = forms.CharField(
        label=_("Public address"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    haven_org = forms.CharField(
        label=_("Its short name on Haven"),
        max_length=60,
        required=False,
        help_text=_(
            "Only if this provider uses Haven too: ask them for their organisation's short name. "
            "Referrals then arrive in their inbox and you see their answer."
        ),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Area.objects.filter(org=org)  # type: ignore[attr-defined]

    def clean_languages(self) -> list[str]:
        return _codes(self.cleaned_data.get("languages"))

    def clean_haven_org(self) -> Organisation | None:
        slug = str(self.cleaned_data.get("haven_org") or "").strip().lower()
        if not slug:
            return None
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            raise forms.ValidationError(_("No organisation on Haven has this short name."))
        return org


class DirectoryFilterForm(forms.Form):
    service = forms.ChoiceField(
        label=_("Service"), choices=lambda: [("", _("Any service")), *grouped_choices()], required=False
    )
    language = forms.CharField(label=_("Language code"), max_length=8, required=False)
    area = forms.ModelChoiceField(
        label=_("Area served"), queryset=Area.objects.none(), required=False, empty_label=_("Any area")
    )
    open_24_7 = forms.BooleanField(label=_("Open day and night"), required=False)
    include_inactive = forms.BooleanField(label=_("Show inactive providers"), required=False)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(org=org)  # type: ignore[attr-defined]
