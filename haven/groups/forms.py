"""Forms of the groups pages. They only parse input; the verbs in actions.py decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from haven.groups.actions import HeadCount
from haven.groups.models import (
    Activity,
    ActivityKind,
    AgeGroup,
    Attendance,
    Audience,
    Institution,
    Material,
    Sex,
)
from haven.orgs.models import Area, Membership, Organisation, Site
from haven.orgs.validation import MAX_ROW_ID
from haven.web.widgets import DateInput, DateTimeInput

DATE = DateInput()
DATETIME = DateTimeInput()
PLACE_HELP = _("A short description such as “community hall”. Never write a shelter's address.")


def _staff(org: Organisation) -> Any:
    return (
        Membership.objects.filter(org=org, is_active=True).select_related("user").order_by("user__first_name")
    )


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.get_full_name() or obj.user.username} · {obj.get_role_display()}"


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.get_full_name() or obj.user.username} · {obj.get_role_display()}"

    def _check_values(self, value: Any) -> Any:
        """Refuse an id no row can have (a tampered one) before it reaches the database, where SQLite
        cannot even compare it; Django's own check refuses the rest (non-digits, unknown ids)."""
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue
            if abs(number) > MAX_ROW_ID:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)  # type: ignore[misc]


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *ActivityKind.choices], required=False
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)


class FiguresForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end cannot come before the start."))
        return data


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ChoiceField(label=_("For whom"), choices=Audience.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE, required=False)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    capacity = forms.IntegerField(
        label=_("Places per session"), min_value=1, required=False, help_text=_("Empty: no limit.")
    )
    facilitators = StaffMultipleChoiceField(
        label=_("Facilitators"), queryset=Membership.objects.none(), required=False
    )
    pass_mark = forms.IntegerField(
        label=_("Exam pass mark (out of 100)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Trainings only. Empty: 50."),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(org=org, is_active=True)  # type: ignore[attr-defined]
        self.fields["facilitators"].queryset = _staff(org)  # type: ignore[attr-defined]
        self.fields["language"].initial = org.default_language


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    place = forms.CharField(label=_("Place"), max_length=120, required=False, help_text=PLACE_HELP)
    facilitator = StaffChoiceField(label=_("Facilitator"), queryset=Membership.objects.none(), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, required=False, help_text=_("Empty: the activity's places.")
    )
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(org_id=activity.org_id, is_active=True)  # type: ignore[attr-defined]
        self.fields["facilitator"].queryset = _staff(activity.org)  # type: ignore[attr-defined]
        self.fields["language"].initial = activity.language


class FindPersonForm(forms.Form):
    """Find a known person by survivor code or name. Posted, so a name never lands in a URL or a log."""

    query = forms.CharField(label=_("Survivor code or name"), max_length=200)


class AttendanceForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Attendance"), choices=Attendance.Status.choices)


class EnrolForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)


class ExamForm(forms.Form):
    score = forms.IntegerField(label=_("Exam score (out of 100)"), min_value=0, max_value=100)


class CertificateForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Certificate language"),
        choices=[("", _("Her language")), *settings.LANGUAGES],
        required=False,
    )


def count_field_name(sex: str, age_group: str, institution: str = "") -> str:
    return f"count_{sex}_{age_group}_{institution}".rstrip("_")


def grid_cells(professional: bool) -> list[tuple[str, str, str]]:
    """The cells a grid shows: sex by age group, and at sessions for professionals also institution by sex
    (their age is not asked)."""
    cells = [(sex, age, "") for age in AgeGroup.values for sex in Sex.values]
    if professional:
        cells += [
            (sex, AgeGroup.UNKNOWN, institution) for institution in Institution.values for sex in Sex.values
        ]
    return cells


class CountsForm(forms.Form):
    """The anonymous-participants grid: one whole number per cell, empty meaning none."""

    def __init__(
        self, *args: Any, professional: bool, initial_cells: dict[tuple[str, str, str], int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cells = grid_cells(professional)
        for sex, age, institution in self.cells:
            self.fields[count_field_name(sex, age, institution)] = forms.IntegerField(
                min_value=0,
                max_value=100_000,
                required=False,
                initial=initial_cells.get((sex, age, institution)) or None,
                widget=forms.NumberInput(attrs={"size": 4, "min": 0}),
            )

    def head_counts(self) -> list[HeadCount]:
        return [
            HeadCount(
                sex, age, self.cleaned_data.get(count_field_name(sex, age, institution)) or 0, institution
            )
            for sex, age, institution in self.cells
        ]


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("For example #StopViolence."))
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE, required=False)
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Material.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    audience = forms.CharField(label=_("For whom"), max_length=200)
    quantity_produced = forms.IntegerField(label=_("Copies produced"), min_value=0)


class DistributionForm(forms.Form):
    quantity = forms.IntegerField(label=_("Copies handed out"), min_value=1)
    distributed_on = forms.DateField(label=_("Date handed out"), widget=DATE)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    channel = forms.CharField(
        label=_("Event or channel"),
        max_length=200,
        required=False,
        help_text=_("For example a market day or a school visit."),
    )

    def __init__(self, *args: Any, org_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(org_id=org_id)  # type: ignore[attr-defined]
