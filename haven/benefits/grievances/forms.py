"""Forms of the grievance pages. They only parse input; the verbs in actions.py decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.benefits.grievances.models import Category, Grievance
from haven.benefits.models import PROGRAMME_ROLES, Programme
from haven.orgs.models import Area, Membership, Organisation

TEXT = forms.Textarea(attrs={"rows": 4})


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", pgettext_lazy("status filter", "Any")), *Grievance.Status.choices],
        required=False,
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", pgettext_lazy("category filter", "Any")), *Category.choices],
        required=False,
    )


class GrievanceForm(forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"), choices=Category.choices)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False
    )
    area = forms.ModelChoiceField(label=_("Union"), queryset=Area.objects.none(), required=False)
    description = forms.CharField(label=_("What happened"), widget=TEXT, max_length=4000)
    complainant_name = forms.CharField(label=_("Name (may be left out)"), max_length=200, required=False)
    complainant_phone = forms.CharField(label=_("Phone (may be left out)"), max_length=40, required=False)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(org=org, is_active=True)  # type: ignore[attr-defined]
        self.fields["area"].queryset = Area.objects.filter(org=org, level=Area.Level.LOCALITY)  # type: ignore[attr-defined]


class PublicGrievanceForm(GrievanceForm):
    # Left empty by people; filled by form-filling robots, whose posts are then dropped.
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"), max_length=20, help_text=_("As given when you complained.")
    )


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.get_full_name() or obj.user.username} ({obj.get_role_display()})"


class AssignForm(forms.Form):
    assignee = StaffChoiceField(label=_("Give it to"), queryset=Membership.objects.none())

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = Membership.objects.filter(
            org=org, is_active=True, role__in=[r.value for r in PROGRAMME_ROLES]
        )
        self.fields["assignee"].queryset = staff.select_related("user")  # type: ignore[attr-defined]


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Grievance.Outcome.choices)
    reasons = forms.CharField(label=_("Reasons"), widget=TEXT, max_length=4000)


class AppealForm(forms.Form):
    grounds = forms.CharField(label=_("Grounds of appeal"), widget=TEXT, max_length=4000)
