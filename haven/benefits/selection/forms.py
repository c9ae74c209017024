"""Forms of the selection pages. They only parse input; the verbs in actions.py decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.benefits.models import Application, Programme
from haven.benefits.selection.actions import MAX_DOCUMENT_BYTES
from haven.benefits.selection.models import ApplicationDocument, Objection, SelectionEntry
from haven.orgs.models import Area, Organisation
from haven.people.models import Person
from haven.web.widgets import DateInput

DATE = DateInput()
TEXT = forms.Textarea(attrs={"rows": 3})


def _unions(org: Organisation) -> Any:
    return Area.objects.filter(org=org, level=Area.Level.LOCALITY).order_by("name")


def _programmes(org: Organisation) -> Any:
    return Programme.objects.filter(org=org, is_active=True)


class FilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False
    )
    area = forms.ModelChoiceField(label=_("Union"), queryset=Area.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", pgettext_lazy("status filter", "Any")), *Application.Status.choices],
        required=False,
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(org=org)  # type: ignore[attr-defined]
        self.fields["area"].queryset = _unions(org)  # type: ignore[attr-defined]


class ApplyForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    registry_number = forms.CharField(
        label=_("Her registry number"),
        max_length=40,
        help_text=_("As on her registry slip, e.g. R26-1A2B3C4D."),
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = _programmes(org)  # type: ignore[attr-defined]


class NewApplicantForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    name = forms.CharField(label=_("Her name"), max_length=200)
    area = forms.ModelChoiceField(label=_("Union"), queryset=Area.objects.none())
    born_on = forms.DateField(label=_("Date of birth"), widget=DATE, required=False)
    id_number = forms.CharField(label=_("National ID number"), max_length=40, required=False)
    phone = forms.CharField(label=_("Mobile number"), max_length=40, required=False)
    mobile_is_own = forms.BooleanField(label=_("The mobile number is her own"), required=False)
    marital_status = forms.ChoiceField(
        label=_("Marital status"), choices=[("", "—"), *Person.MaritalStatus.choices], required=False
    )
    land_decimals = forms.DecimalField(label=_("Land owned (decimals)"), min_value=0, required=False)
    monthly_income = forms.IntegerField(label=_("Household income a month"), min_value=0, required=False)
    household_has_disabled_member = forms.BooleanField(
        label=_("A household member has a disability"), required=False
    )
    expected_delivery_on = forms.DateField(label=_("Expected delivery date"), widget=DATE, required=False)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = _programmes(org)  # type: ignore[attr-defined]
        self.fields["area"].queryset = _unions(org)  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of paper"), choices=ApplicationDocument.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most %(mb)s MB.") % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)},
    )


class QuotaForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    area = forms.ModelChoiceField(label=_("Union"), queryset=Area.objects.none())
    period_start = forms.DateField(label=_("From"), widget=DATE)
    period_end = forms.DateField(label=_("To"), widget=DATE)
    places = forms.IntegerField(label=_("Places"))

    def __init__(self, *args: Any, org: Organisation, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(org=org)  # type: ignore[attr-defined]
        self.fields["area"].queryset = _unions(org)  # type: ignore[attr-defined]
        if editing:  # a quota's programme and union are what it is; only dates and places change
            del self.fields["programme"]
            del self.fields["area"]


class ReviewForm(forms.Form):
    committee_name = forms.CharField(label=_("Committee"), max_length=200)
    reviewed_on = forms.DateField(label=_("Met on"), widget=DATE)


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    institution = forms.CharField(label=_("Institution"), max_length=200)
    role_on_committee = forms.CharField(label=_("Role on the committee"), max_length=120)
    was_present = forms.BooleanField(label=_("Present"), required=False, initial=True)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (SelectionEntry.Decision.INCLUDE, _("Include")),
            (SelectionEntry.Decision.EXCLUDE, _("Exclude")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)


class PublishForm(forms.Form):
    objections_end_on = forms.DateField(label=_("Objections until"), widget=DATE)


class ObjectionForm(forms.Form):
    about = forms.ChoiceField(label=_("The objection is about"), choices=Objection.About.choices)
    registry_number = forms.CharField(
        label=_("Registry number on the notice"),
        max_length=40,
        required=False,
        help_text=_("For someone on the list."),
    )
    text = forms.CharField(label=_("What is wrong"), widget=TEXT, max_length=2000)
    objector_name = forms.CharField(
        label=_("Your name (you may leave it out)"), max_length=200, required=False
    )
    objector_contact = forms.CharField(
        label=_("Phone or address (you may leave it out)"), max_length=200, required=False
    )


class PublicObjectionForm(ObjectionForm):
    # Left empty by people; filled by form-filling robots, whose objections are then dropped.
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class ObjectionDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Uphold")), ("no", _("Reject"))],
        coerce=lambda value: value == "yes",
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000)
    registry_number = forms.CharField(
        label=_("Registry number of the woman left out"),
        max_length=40,
        required=False,
        help_text=_("When upholding an omission: her eligible application is added, if a place is free."),
    )
