"""Forms for the care pages of a case. They only parse input; the verbs in care_actions.py decide.

Field names are the verbs' argument names, and so the ids (`id_<name>`) and labels stay stable for
keyboard users and browser tests.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import global_settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from haven.cases.catalogue import grouped_choices
from haven.cases.forms import AssigneeField
from haven.cases.models import (
    NEED_DOMAINS,
    Appointment,
    Case,
    CaseService,
    Goal,
    GoalDomain,
    NeedLevel,
    NeedsAssessment,
    manages_cases,
)
from haven.orgs.models import Membership, Site
from haven.orgs.roles import Role
from haven.web.widgets import DateInput, DateTimeInput

DATE = DateInput()
# Every language Django knows, by code; a survivor's language is often not one Haven is translated into.
LANGUAGE_CHOICES = [("", "—"), *global_settings.LANGUAGES]
CASE_MANAGER_ROLES = [role.value for role in Role if manages_cases(role)]


def case_team(case: Case) -> QuerySet[Membership]:
    """Who may be given work on the case: its active workers and the organisation's case managers."""
    return (
        Membership.objects.filter(org_id=case.org_id, is_active=True)
        .filter(
            Q(case_assignments__case=case, case_assignments__ended_at__isnull=True)
            | Q(role__in=CASE_MANAGER_ROLES)
        )
        .distinct()
        .select_related("user")
        .order_by("user__username")
    )


def _text(label: Any, rows: int = 3, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=10000,
        required=required,
        **kwargs,
    )


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=())
    status = forms.ChoiceField(label=_("How"), choices=CaseService.Status.choices)
    started_on = forms.DateField(
        label=_("From"), widget=DATE, help_text=_("The day it started, was referred or was declined.")
    )
    ended_on = forms.DateField(label=_("Until"), widget=DATE, required=False)
    provided_by = AssigneeField(
        label=_("Provided by"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("Only for a service we provided."),
    )
    details = _text(_("Details"), help_text=_("Stored encrypted."))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—"), *grouped_choices()]  # type: ignore[attr-defined]
        self.fields["provided_by"].queryset = case_team(case)  # type: ignore[attr-defined]


class ServiceChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("How"), choices=CaseService.Status.choices)
    ended_on = forms.DateField(label=_("Until"), widget=DATE, required=False)


class NeedsAssessmentForm(forms.Form):
    occasion = forms.ChoiceField(label=_("When"), choices=NeedsAssessment.Occasion.choices)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for domain, label in NEED_DOMAINS.items():
            self.fields[domain] = forms.ChoiceField(
                label=label, choices=NeedLevel.choices, initial=NeedLevel.NONE, required=False
            )
        self.fields["other_harms"] = _text(
            _("Other harms"), rows=2, help_text=_("Other social harms she lives with. Stored encrypted.")
        )
        self.fields["notes"] = _text(_("Notes"), help_text=_("Stored encrypted."))

    def verb_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "occasion": data["occasion"],
            "assessed_on": data["assessed_on"],
            "levels": {domain: data[domain] for domain in NEED_DOMAINS},
            "other_harms": data["other_harms"],
            "notes": data["notes"],
        }


class GoalForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=GoalDomain.choices)
    description = _text(
        _("Goal"), rows=2, required=True, help_text=_("What she wants to reach. Stored encrypted.")
    )
    target_on = forms.DateField(label=_("Target date"), widget=DATE, required=False)


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status of the goal"), choices=Goal.Status.choices)
    note = _text(_("Progress"), rows=2, help_text=_("Stored encrypted."))


class PlanDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("submit", _("Submit")), ("approve", _("Approve")), ("reject", _("Send back"))],
    )
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea)


class AppointmentForm(forms.Form):
    worker = AssigneeField(label=_("With"), queryset=Membership.objects.none())
    starts_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=600, initial=60
    )
    mode = forms.ChoiceField(
        label=_("How"), choices=Appointment.Mode.choices, initial=Appointment.Mode.IN_PERSON
    )
    site = forms.ModelChoiceField(
        label=_("Where"),
        queryset=Site.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("For a meeting in person."),
    )
    language = forms.ChoiceField(label=_("Language of the meeting"), choices=LANGUAGE_CHOICES, required=False)
    interpreter_needed = forms.BooleanField(label=_("An interpreter is needed"), required=False)
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter's language"), choices=LANGUAGE_CHOICES, required=False
    )
    outcome = _text(_("What came of it"), help_text=_("Stored encrypted."))

    def __init__(self, *args: Any, case: Case, held: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = case_team(case)  # type: ignore[attr-defined]
        self.fields["site"].queryset = Site.objects.filter(org_id=case.org_id, is_active=True)  # type: ignore[attr-defined]
        if not held:
            del self.fields["outcome"]

    @classmethod
    def initial_for(cls, case: Case, worker: Membership) -> dict[str, Any]:
        """Her first language and interpreter need, from her file; me as the worker."""
        survivor = case.survivor
        codes = {code for code, _name in global_settings.LANGUAGES}
        language = next((code for code in survivor.languages if code in codes), "")
        initial: dict[str, Any] = {"worker": worker, "language": language}
        if survivor.needs_interpreter:
            initial.update(interpreter_needed=True, interpreter_language=language)
        return initial


class ConcludeAppointmentForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What happened"),
        choices=[(s.value, s.label) for s in Appointment.Status if s != Appointment.Status.SCHEDULED],
    )
    outcome = _text(_("What came of it"), rows=2, help_text=_("Stored encrypted."))


class NoteForm(forms.Form):
    text = _text(
        _("Note"),
        rows=4,
        required=True,
        help_text=_("Stored encrypted. No one outside the case's team reads it."),
    )
    appointment = forms.ModelChoiceField(
        label=_("About the appointment"), queryset=Appointment.objects.none(), required=False, empty_label="—"
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appointment"].queryset = Appointment.objects.filter(case=case).order_by("-starts_at")  # type: ignore[attr-defined]
