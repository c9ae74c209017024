"""Forms of the programme's pages. They only parse input; the verbs in actions.py decide.

The ODARA form is generated from the instrument file, one question per item, answered with radio buttons.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.orgs.models import Membership
from haven.perpetrators import odara
from haven.perpetrators.models import Completion, Participant, ProgrammeSession
from haven.risk.instrument import CHOICES, Instrument
from haven.web.widgets import DateInput, DateTimeInput

DATETIME_WIDGET = DateTimeInput()
DATE_WIDGET = DateInput()


class ParticipantForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language he speaks"), choices=settings.LANGUAGES)
    referral_source = forms.ChoiceField(
        label=gettext_lazy("Referred by"), choices=Participant.ReferralSource.choices
    )


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(
        label=gettext_lazy("New status"),
        choices=[
            (status, label)
            for status, label in Participant.Status.choices
            if status not in (Participant.Status.INTAKE, Participant.Status.COMPLETED)
        ],
    )
    reason = forms.CharField(
        label=gettext_lazy("Why"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ProgrammeSession.Kind.choices)
    starts_at = forms.DateTimeField(label=gettext_lazy("Date and time"), widget=DATETIME_WIDGET)
    facilitator = forms.ModelChoiceField(
        label=gettext_lazy("Facilitator"), queryset=Membership.objects.none()
    )
    attended = forms.TypedChoiceField(
        label=gettext_lazy("Did he come?"),
        choices=[("yes", gettext_lazy("Yes, he attended")), ("no", gettext_lazy("No, he did not come"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text=gettext_lazy("About him and his work. No survivor codes or file references."),
    )

    def __init__(self, *args: Any, team: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["facilitator"]
        field.queryset = team  # type: ignore[attr-defined]
        field.label_from_instance = lambda member: member.user.get_full_name() or member.user.username  # type: ignore[attr-defined]


class CompletionForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=Completion.Outcome.choices)
    completed_on = forms.DateField(label=gettext_lazy("Completed on"), widget=DATE_WIDGET)
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text=gettext_lazy("What changed for him. No survivor codes or file references."),
    )


class TeamMemberForm(forms.Form):
    membership = forms.ModelChoiceField(label=gettext_lazy("Member"), queryset=Membership.objects.none())

    def __init__(self, *args: Any, members: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        field.queryset = members  # type: ignore[attr-defined]
        field.label_from_instance = lambda member: (  # type: ignore[attr-defined]
            f"{member.user.get_full_name() or member.user.username} · {member.get_role_display()}"
        )


class OdaraForm(forms.Form):
    """One radio question per item of the instrument, its text translated at display time."""

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            choices = [(value, str(odara.ANSWER_LABELS[value])) for value in CHOICES[item.answer]]
            self.fields[item.id] = forms.ChoiceField(
                label=_(item.text), choices=choices, widget=forms.RadioSelect, required=item.required
            )

    def answers(self) -> dict[str, Any]:
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}
