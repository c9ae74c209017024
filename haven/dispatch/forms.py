"""Forms of the dispatch pages. They only parse input; the verbs in actions.py decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.dispatch.models import Dispatch, Unit
from haven.dispatch.sla import Interval
from haven.orgs.models import Area, Membership, Organisation, Site


class DispatchForm(forms.Form):
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Dispatch.Priority.choices, coerce=int)
    location_address = forms.CharField(
        label=_("Address or directions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    location_coordinates = forms.CharField(
        label=_("Coordinates (latitude, longitude)"), max_length=60, required=False
    )
    weapons = forms.ChoiceField(label=_("Weapons"), choices=Dispatch.Known.choices)
    children_present = forms.ChoiceField(label=_("Children present"), choices=Dispatch.Known.choices)
    danger_notes = forms.CharField(
        label=_("What else is known of the danger"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Only what the team needs to arrive safely."),
    )


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Team"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        available = Unit.objects.filter(org=org, status=Unit.Status.AVAILABLE)
        self.fields["unit"].queryset = available  # type: ignore[attr-defined]


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=Dispatch.Status.choices, widget=forms.HiddenInput)
    destination_kind = forms.ChoiceField(
        label=_("Destination"), choices=[("", "—"), *Dispatch.Destination.choices], required=False
    )
    destination_site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    destination_text = forms.CharField(label=_("Destination details"), max_length=200, required=False)
    disposition = forms.ChoiceField(
        label=_("How it ended"), choices=[("", "—"), *Dispatch.Disposition.choices], required=False
    )
    cancel_reason = forms.ChoiceField(
        label=_("Why cancel"), choices=[("", "—"), *Dispatch.CancelReason.choices], required=False
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sites = Site.objects.filter(org=org, is_active=True)
        self.fields["destination_site"].queryset = sites  # type: ignore[attr-defined]


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    area = forms.ModelChoiceField(label=_("Area served"), queryset=Area.objects.none(), required=False)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(org=org)  # type: ignore[attr-defined]


class UnitMemberForm(forms.Form):
    membership = forms.ModelChoiceField(label=_("Member"), queryset=Membership.objects.none())

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = Membership.objects.filter(org=org, is_active=True).select_related("user")
        self.fields["membership"].queryset = staff  # type: ignore[attr-defined]


class UnitStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in (Unit.Status.AVAILABLE, Unit.Status.OFF_DUTY)]
    )


class TargetForm(forms.Form):
    interval = forms.ChoiceField(label=_("Interval"), choices=Interval.choices)
    seconds = forms.IntegerField(
        label=_("Within (seconds)"),
        min_value=1,
        max_value=86400,
        help_text=_("For example 60 for “answer to dispatch within a minute”."),
    )
    share = forms.IntegerField(
        label=_("Of the time (%)"),
        min_value=1,
        max_value=100,
        help_text=_("The share of dispatches that must meet it, for example 90."),
    )
