"""Forms for the legal aid pages. They only parse input; the verbs in actions.py decide.

Field names are the verbs' argument names, so ids (`id_<name>`) and labels stay stable for keyboard users
and browser tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from haven.legal.actions import MATTER_VERBS
from haven.legal.models import Advocate, Consultation, Hearing, Matter, MatterKind
from haven.orgs.models import Membership, Organisation
from haven.orgs.roles import Role
from haven.web.widgets import DateInput, DateTimeInput

DATE = DateInput()
DATETIME = DateTimeInput()
BLANK = [("", "—")]


def _text(label: Any, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), max_length=10000, required=False, **kwargs
    )


class AdvocateChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """An advocate with her workload and availability, so the choice is informed before the verb judges."""

    def label_from_instance(self, obj: Any) -> str:
        workload = getattr(obj, "workload", None)
        text = f"{obj.name} · {obj.get_kind_display()}"
        if workload is not None:
            text += " · " + str(_("%(count)s of %(max)s active matters")) % {
                "count": workload,
                "max": obj.max_active_matters,
            }
        if not obj.accepting_new:
            text += " · " + str(_("not taking new matters"))
        return text


def _advocate_field(advocates: Iterable[Advocate], required: bool) -> AdvocateChoiceField:
    field = AdvocateChoiceField(
        label=_("Lawyer or advocate"),
        queryset=Advocate.objects.none(),
        required=required,
        empty_label="—",
    )
    # Keep the annotated rows (with workload) for the labels; the queryset validates the choice.
    chosen = list(advocates)
    field.queryset = Advocate.objects.filter(pk__in=[a.pk for a in chosen])
    field.choices = [("", "—"), *((a.pk, field.label_from_instance(a)) for a in chosen)]
    return field


class MatterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of matter"), choices=MatterKind.choices)
    opened_on = forms.DateField(label=_("Opened on"), widget=DATE)
    court = forms.CharField(
        label=_("Court or jurisdiction"),
        max_length=200,
        required=False,
        help_text=_("For example “Family Court, Dhaka”. It appears in calendars: no names."),
    )
    court_number = forms.CharField(label=_("Court's file number"), max_length=60, required=False)
    opposing_party_name = forms.CharField(
        label=_("Opposing party's name"),
        max_length=300,
        required=False,
        help_text=_("Only what the proceedings need. Stored encrypted."),
    )
    opposing_party_relationship = forms.ChoiceField(
        label=_("The opposing party is her"),
        choices=BLANK + list(Matter.Relationship.choices),
        required=False,
    )
    notes = _text(_("What she seeks, notes"), help_text=_("Stored encrypted."))

    def __init__(self, *args: Any, advocates: Iterable[Advocate] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if advocates is not None:
            self.fields["advocate"] = _advocate_field(advocates, required=False)


class MatterEditForm(forms.Form):
    court = MatterForm.base_fields["court"]
    court_number = MatterForm.base_fields["court_number"]
    opposing_party_name = MatterForm.base_fields["opposing_party_name"]
    opposing_party_relationship = MatterForm.base_fields["opposing_party_relationship"]
    notes = MatterForm.base_fields["notes"]


class TransitionForm(forms.Form):
    verb = forms.ChoiceField(choices=[(verb, verb) for verb in MATTER_VERBS])
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False)


class AssignForm(forms.Form):
    def __init__(self, *args: Any, advocates: Iterable[Advocate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["advocate"] = _advocate_field(advocates, required=True)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=BLANK + list(Matter.Outcome.choices))
    closed_on = forms.DateField(label=_("Decided or ended on"), widget=DATE)
    notes = _text(_("Notes on the outcome"), help_text=_("For example the order's terms. Stored encrypted."))


class HearingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Date and time of the hearing"), widget=DATETIME)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Hearing.Purpose.choices)
    court = forms.CharField(
        label=_("Court"), max_length=200, required=False, help_text=_("Empty: the matter's court.")
    )


class HearingResultForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=BLANK + list(Hearing.Result.choices))
    note = _text(_("Notes on the result"), help_text=_("Stored encrypted."))
    next_starts_at = forms.DateTimeField(
        label=_("Next date set by the court"),
        widget=DATETIME,
        required=False,
        help_text=_("It is put in the calendar as the next hearing."),
    )
    next_purpose = forms.ChoiceField(
        label=_("Purpose of the next hearing"), choices=BLANK + list(Hearing.Purpose.choices), required=False
    )


class ConsultationForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("When"),
        widget=DATETIME,
        help_text=_("A consultation still to come goes in the lawyer's calendar."),
    )
    modality = forms.ChoiceField(label=_("How"), choices=Consultation.Modality.choices)
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=5, max_value=600, required=False
    )
    notes = _text(_("Notes"), help_text=_("Stored encrypted."))

    def __init__(
        self,
        *args: Any,
        advocates: Iterable[Advocate],
        matters: Iterable[Matter],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["advocate"] = _advocate_field(advocates, required=True)
        self.fields["advocate"].label = _("Lawyer")
        chosen = list(matters)
        matter_field = forms.ModelChoiceField(
            label=_("Matter"), queryset=Matter.objects.filter(pk__in=[m.pk for m in chosen]), required=False
        )
        matter_field.choices = [
            ("", "—"),
            *((m.pk, f"{m.reference} · {m.get_kind_display()}") for m in chosen),
        ]
        self.fields["matter"] = matter_field
        self.order_fields(["advocate", "matter", "held_at", "modality", "duration_minutes", "notes"])


class ConcludeForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (s, s)
            for s in (Consultation.Status.HELD, Consultation.Status.MISSED, Consultation.Status.CANCELLED)
        ]
    )


def in_house_candidates(org: Organisation) -> Any:
    return (
        Membership.objects.filter(org=org, role=Role.LAWYER, is_active=True, advocacies__isnull=True)
        .select_related("user")
        .order_by("user__username")
    )


class AdvocateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, required=False, help_text=_("For an external advocate.")
    )
    registration_number = forms.CharField(
        label=_("Bar or registration number"), max_length=60, required=False
    )
    empanelled_by = forms.CharField(
        label=_("Empanelled by"),
        max_length=200,
        required=False,
        help_text=_("For example “District Legal Services Authority”."),
    )
    contact = forms.CharField(label=_("Work phone or e-mail"), max_length=200, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=settings.LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )
    areas = forms.MultipleChoiceField(
        label=_("Areas of practice"),
        choices=MatterKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any kind of matter."),
    )
    accepting_new = forms.BooleanField(label=_("Taking new matters"), required=False, initial=True)
    max_active_matters = forms.IntegerField(
        label=_("Most active matters at a time"), min_value=1, max_value=500, initial=15
    )


class NewAdvocateForm(AdvocateForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Advocate.Kind.choices, initial=Advocate.Kind.EXTERNAL)
    membership = forms.ModelChoiceField(
        label=_("Staff lawyer"),
        queryset=Membership.objects.none(),
        required=False,
        help_text=_("For an in-house lawyer: a member whose role is lawyer."),
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        field.queryset = in_house_candidates(org)  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: m.user.get_full_name() or m.user.username  # type: ignore[attr-defined]
        self.order_fields(["kind", "membership", "name"])


class AdvocateEditForm(AdvocateForm):
    is_active = forms.BooleanField(label=_("On the panel"), required=False)
