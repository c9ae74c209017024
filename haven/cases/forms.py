"""Forms for the case pages. They only parse input; the verbs in actions.py decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.cases.actions import PERPETRATOR_FIELDS
from haven.cases.models import AllegedPerpetrator, Case, CaseAssignment, FollowUp, Incident
from haven.orgs.models import Area, Membership, Organisation, Site
from haven.orgs.validation import MAX_ROW_ID
from haven.web.widgets import DateInput

VERB_CHOICES = [
    ("activate", _("Start working on the case")),
    ("request_closure", _("Ask to close the case")),
    ("approve_closure", _("Approve the closure")),
    ("reject_closure", _("Refuse the closure")),
    ("reopen", _("Reopen the case")),
]

# The act questions of the GBVIMS tool, asked in plain words.
ACT_LABELS: dict[str, Any] = {
    "penetration": _("She was raped: something was forced inside her body, however slightly"),
    "sexual_contact_without_penetration": _(
        "She was touched sexually against her will, or someone tried to rape her"
    ),
    "physical_violence": _("She was hit, kicked, choked, burned, cut or hurt in her body in another way"),
    "forced_marriage": _("She was married, or promised in marriage, against her will"),
    "denial_of_resources": _(
        "She was kept from money, work, school, health care or other help she has a right to"
    ),
    "psychological_abuse": _("She was threatened, humiliated, isolated, stalked or harassed"),
    "was_gbv": _("It happened to her because she is a woman or a girl (gender-based)"),
    "perpetrator_is_intimate_partner": _("It was done by her husband, partner or a former one"),
    "transactional": _("Money, goods or help were given or promised in exchange for sex"),
    "held_captive_or_owned": _("She was held captive, or treated as if someone owned her"),
    "harmful_traditional_practice": _("It was a harmful traditional practice (for example FGM/C)"),
}


class TransitionForm(forms.Form):
    verb = forms.ChoiceField(label=_("Action"), choices=VERB_CHOICES)
    reason = forms.ChoiceField(
        label=_("Why close the case?"), choices=[("", "—"), *Case.ClosureReason.choices], required=False
    )
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class IncidentForm(forms.Form):
    occurred_on = forms.DateField(label=_("When did it happen?"), widget=DateInput())
    reported_on = forms.DateField(
        label=_("When did she tell us?"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for today."),
    )
    time_of_day = forms.ChoiceField(
        label=_("Time of day"), choices=Incident.TimeOfDay.choices, initial=Incident.TimeOfDay.UNKNOWN
    )
    place_type = forms.ChoiceField(label=_("Where did it happen?"), choices=Incident.PlaceType.choices)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    narrative = forms.CharField(
        label=_("What happened, in her words"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        required=False,
    )
    penetration = forms.BooleanField(label=ACT_LABELS["penetration"], required=False)
    sexual_contact_without_penetration = forms.BooleanField(
        label=ACT_LABELS["sexual_contact_without_penetration"], required=False
    )
    physical_violence = forms.BooleanField(label=ACT_LABELS["physical_violence"], required=False)
    forced_marriage = forms.BooleanField(label=ACT_LABELS["forced_marriage"], required=False)
    denial_of_resources = forms.BooleanField(label=ACT_LABELS["denial_of_resources"], required=False)
    psychological_abuse = forms.BooleanField(label=ACT_LABELS["psychological_abuse"], required=False)
    was_gbv = forms.BooleanField(label=ACT_LABELS["was_gbv"], required=False, initial=True)
    perpetrator_is_intimate_partner = forms.BooleanField(
        label=ACT_LABELS["perpetrator_is_intimate_partner"], required=False
    )
    transactional = forms.BooleanField(label=ACT_LABELS["transactional"], required=False)
    held_captive_or_owned = forms.BooleanField(label=ACT_LABELS["held_captive_or_owned"], required=False)
    harmful_traditional_practice = forms.BooleanField(
        label=ACT_LABELS["harmful_traditional_practice"], required=False
    )
    survivor_age_at_incident = forms.IntegerField(
        label=_("Her age at the time (years)"), min_value=0, max_value=120, required=False
    )
    consent_to_statistics = forms.BooleanField(
        label=_("She agrees this incident is counted in statistics shared outside"), required=False
    )
    reported_elsewhere = forms.BooleanField(
        label=_("Another GBVIMS organisation has already reported this incident"),
        required=False,
        help_text=_("It is then left out of our statistics, so that the network counts it once."),
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(org=org)  # type: ignore[attr-defined]

    def incident_fields(self) -> dict[str, Any]:
        """The cleaned answers as `record_incident` takes them (an empty report date means today)."""
        data = dict(self.cleaned_data)
        if data.get("reported_on") is None:
            data.pop("reported_on", None)
        return data


class AssigneeField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user.username)


class FollowUpForm(forms.Form):
    title = forms.CharField(
        label=_("What to do"),
        max_length=200,
        help_text=FollowUp._meta.get_field("title").help_text,
    )
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    is_safety_critical = forms.BooleanField(
        label=_("Her safety depends on it"),
        required=False,
        help_text=_("The case cannot be closed while a safety-critical follow-up is open."),
    )
    assigned_to = AssigneeField(
        label=_("Who does it"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("The lead worker"),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = (  # type: ignore[attr-defined]
            Membership.objects.filter(
                org_id=case.org_id,
                case_assignments__case=case,
                case_assignments__ended_at__isnull=True,
            )
            .select_related("user")
            .order_by("user__username")
        )


class TeamForm(forms.Form):
    """Add a worker to the case, or make her its lead (the current lead then stays on as support)."""

    membership = AssigneeField(label=_("Worker"), queryset=Membership.objects.none())
    role_in_case = forms.ChoiceField(
        label=_("Role in the case"),
        choices=CaseAssignment.RoleInCase.choices,
        initial=CaseAssignment.RoleInCase.SUPPORT,
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Everyone active in the organisation; the verb refuses roles that do not work with survivors, with
        # a reason, rather than hiding them here without one.
        self.fields["membership"].queryset = (  # type: ignore[attr-defined]
            Membership.objects.filter(org_id=case.org_id, is_active=True)
            .select_related("user")
            .order_by("user__username")
        )


class LeaveTeamForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ROW_ID)


class PerpetratorForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AllegedPerpetrator
        fields = list(PERPETRATOR_FIELDS)


class CaseSitesForm(forms.Form):
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites involved"),
        queryset=Site.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = Site.objects.filter(org_id=case.org_id, is_active=True)  # type: ignore[attr-defined]
