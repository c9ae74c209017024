"""Forms for counselling pages. They only parse input; the verbs in actions.py decide.

Field names are the verbs' argument names, so the verbs' field-level refusals land next to their fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import global_settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from haven.cases.forms import AssigneeField
from haven.cases.models import Case
from haven.counselling.actions import GRANTABLE
from haven.counselling.models import Modality, SessionKind
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.web.widgets import DateInput, DateTimeInput

LANGUAGE_CHOICES = [("", "—"), *global_settings.LANGUAGES]
NOTES_HELP = _("Stored encrypted. Only you, and the roles your organisation allows, can read them.")


def counsellors_on(case: Case) -> QuerySet[Membership]:
    """The active counsellors on the case's team: the only ones a session can be recorded for."""
    return (
        Membership.objects.filter(
            org_id=case.org_id,
            is_active=True,
            role=Role.COUNSELLOR,
            case_assignments__case=case,
            case_assignments__ended_at__isnull=True,
        )
        .select_related("user")
        .order_by("user__username")
    )


def _notes_field(required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Session notes"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        required=required,
        help_text=NOTES_HELP,
    )


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of counselling"), choices=SessionKind.choices)
    counsellor = AssigneeField(
        label=_("Counsellor"),
        queryset=Membership.objects.none(),
        help_text=_("Counsellors on the case's team."),
    )
    modality = forms.ChoiceField(label=_("How"), choices=Modality.choices, initial=Modality.IN_PERSON)
    language = forms.ChoiceField(label=_("Language of the session"), choices=LANGUAGE_CHOICES)
    starts_at = forms.DateTimeField(
        label=_("When it started"),
        widget=DateTimeInput(),
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), initial=50)
    notes = _notes_field(required=False)
    next_session_on = forms.DateField(
        label=_("Next session planned for"),
        widget=DateInput(),
        required=False,
    )

    def __init__(self, *args: Any, case: Case, writes_notes: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = counsellors_on(case)  # type: ignore[attr-defined]
        if not writes_notes:
            # A manager records that the session took place; its counsellor writes the notes.
            del self.fields["notes"]

    @staticmethod
    def initial_for(case: Case, membership: Membership, now: Any) -> dict[str, Any]:
        """Me as the counsellor when I am one, her first language, and the session just ended."""
        codes = {code for code, _name in global_settings.LANGUAGES}
        language = next((code for code in case.survivor.languages if code in codes), "")
        initial: dict[str, Any] = {"language": language, "starts_at": now}
        if membership.role_enum == Role.COUNSELLOR:
            initial["counsellor"] = membership
        return initial


class NotesForm(forms.Form):
    notes = _notes_field(required=True)


class NotesAccessForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles that may read counselling notes"),
        choices=[(role.value, role.label) for role in Role if role in GRANTABLE],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Besides the counsellor who held the session. They read notes only on cases they may open, "
            "and every reading is recorded. Leave all unticked so nobody else reads them."
        ),
    )
