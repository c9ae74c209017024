"""Forms for the committee pages. They only parse input; the verbs in actions.py decide.

Field names are the verbs' argument names, so a verb's refusal lands next to its field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.committees.models import Committee, CommitteeMember, Meeting, TabledCase
from haven.directory.models import Provider
from haven.orgs.models import Area, Membership, Organisation
from haven.web.widgets import DateInput, DateTimeInput

DATE = DateInput()
DATETIME = DateTimeInput()


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Members by institution and role: a name is personal data and stays off drop-down lists."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.institution} · {obj.role_title}"


class TabledCaseChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.case.survivor.survivor_code)


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.get_full_name() or obj.user.get_username()} · {obj.get_role_display()}"


class CommitteeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Committee.Kind.choices)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    provider = forms.ModelChoiceField(
        label=_("Directory entry"),
        queryset=Provider.objects.none(),
        required=False,
        help_text=_(
            "The committee's entry in your directory. A woman's release naming it lets the committee's "
            "records show her name; without one they show her survivor code only."
        ),
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(org=org)  # type: ignore[attr-defined]
        self.fields["provider"].queryset = Provider.objects.filter(org=org, is_active=True)  # type: ignore[attr-defined]


class CommitteeEditForm(CommitteeForm):
    chair = MemberChoiceField(label=_("Chair"), queryset=CommitteeMember.objects.none(), required=False)
    is_active = forms.BooleanField(
        label=_("Still meets"), required=False, help_text=_("An inactive committee cannot plan meetings.")
    )

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        initial = {
            "name": committee.name,
            "kind": committee.kind,
            "area": committee.area_id,
            "provider": committee.provider_id,
            "chair": committee.chair_id,
            "is_active": committee.is_active,
        }
        super().__init__(*args, org=committee.org, initial=initial, **kwargs)
        self.fields["chair"].queryset = CommitteeMember.objects.filter(  # type: ignore[attr-defined]
            committee=committee, left_on__isnull=True
        )


class MemberForm(forms.Form):
    institution = forms.CharField(label=_("Institution"), max_length=200)
    institution_type = forms.ChoiceField(
        label=_("Type of institution"), choices=CommitteeMember.InstitutionType.choices
    )
    role_title = forms.CharField(
        label=_("Role on the committee"), max_length=120, help_text=_("For example Chair, Member-secretary.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    membership = StaffChoiceField(
        label=_("Member of our staff"),
        queryset=Membership.objects.none(),
        required=False,
        help_text=_("When the member works here, link her or his Haven account."),
    )
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["joined_on"].initial = timezone.localdate()
        staff = Membership.objects.filter(org=org, is_active=True).select_related("user")
        self.fields["membership"].queryset = staff.order_by("user__first_name")  # type: ignore[attr-defined]


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=8000,
        help_text=_("One item per line. No names: table cases by their code on the meeting page."),
    )

    def agenda_items(self) -> list[str]:
        return str(self.cleaned_data.get("agenda", "")).splitlines()


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 14}), max_length=50000, strip=True
    )


class TableByCodeForm(forms.Form):
    survivor_code = forms.CharField(label=_("Survivor code"), max_length=20)
    reason = forms.CharField(
        label=_("Why the committee should discuss it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )


class TableAtMeetingForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())
    reason = forms.CharField(
        label=_("Why the committee should discuss it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        field.queryset = (  # type: ignore[attr-defined]
            Meeting.objects.visible_to(user)
            .filter(status=Meeting.Status.PLANNED, committee__is_active=True)
            .select_related("committee")
            .order_by("starts_at")
        )
        field.label_from_instance = lambda meeting: (  # type: ignore[attr-defined]
            f"{meeting.committee.name} · {timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}"
        )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)
    tabled_case = TabledCaseChoiceField(
        label=_("About the case"), queryset=TabledCase.objects.none(), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabled = TabledCase.objects.visible_to(user).filter(meeting=meeting).select_related("case__survivor")
        self.fields["tabled_case"].queryset = tabled  # type: ignore[attr-defined]
        if not tabled.exists():
            del self.fields["tabled_case"]


class ActionForm(DecisionForm):
    text = forms.CharField(
        label=_("What is to be done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    owner = MemberChoiceField(
        label=_("Who does it"),
        queryset=CommitteeMember.objects.none(),
        error_messages={"invalid_choice": _("Choose a current member of this committee.")},
    )
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    field_order = ["text", "owner", "due_on", "tabled_case"]

    def __init__(self, *args: Any, meeting: Meeting, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, meeting=meeting, user=user, **kwargs)
        # Only current members are offered; a former one posted anyway gets the same reason as the API.
        today = timezone.localdate()
        self.fields["owner"].queryset = CommitteeMember.objects.filter(  # type: ignore[attr-defined]
            Q(left_on__isnull=True) | Q(left_on__gt=today), committee_id=meeting.committee_id
        )


class DoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE, required=False)
