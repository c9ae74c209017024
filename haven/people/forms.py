"""Forms for the people pages. They only parse input; the verbs in actions.py decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.orgs.validation import MAX_ROW_ID
from haven.people.models import HouseholdMember, Person, SafeContact
from haven.web.widgets import DateInput


class PersonSearchForm(forms.Form):
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    id_kind = forms.ChoiceField(
        label=_("ID document"), choices=[("", "—"), *Person.IdKind.choices], required=False
    )
    id_number = forms.CharField(label=_("ID number"), max_length=60, required=False)
    name = forms.CharField(
        label=_("Name"), max_length=200, required=False, help_text=_("In any script, or part of it.")
    )

    def has_terms(self) -> bool:
        if not self.is_valid():
            return False
        data = self.cleaned_data
        return any(str(data.get(key) or "").strip() for key in ("phone", "id_number", "name"))


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("As she gives it, in any script."))
    latin_name = forms.CharField(label=_("Name in Latin letters"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(
        label=_("Address"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    id_kind = forms.ChoiceField(
        label=_("ID document"), choices=[("", "—"), *Person.IdKind.choices], required=False
    )
    id_number = forms.CharField(label=_("ID number"), max_length=60, required=False)
    born_on = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput(),
    )
    born_on_is_estimate = forms.BooleanField(label=_("The date of birth is an estimate"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Person.Sex.choices, initial=Person.Sex.FEMALE)
    languages = forms.CharField(
        label=_("Languages spoken"),
        max_length=200,
        required=False,
        help_text=_("Language codes separated by commas, e.g. bn, en."),
    )
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    disabilities = forms.MultipleChoiceField(
        label=_("Disabilities"),
        choices=Person.Disability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick all that apply, as she describes them; leave empty when nobody asked yet."),
    )
    disability_details = forms.CharField(
        label=_("About her disability"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("What helps her: access, sign language, medication, a carer."),
    )
    marital_status = forms.TypedChoiceField(
        label=_("Marital status"),
        choices=Person.MaritalStatus.choices,
        initial=Person.MaritalStatus.NOT_KNOWN,
        required=False,
        empty_value=Person.MaritalStatus.NOT_KNOWN,
    )
    displacement_status = forms.TypedChoiceField(
        label=_("Displacement"),
        choices=Person.Displacement.choices,
        initial=Person.Displacement.NOT_KNOWN,
        required=False,
        empty_value=Person.Displacement.NOT_KNOWN,
    )

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        """The form's initial values for changing an existing person's details."""
        initial = {name: getattr(person, name) for name in cls.base_fields}
        initial["languages"] = ", ".join(person.languages)
        return initial

    def clean_languages(self) -> list[str]:
        raw = str(self.cleaned_data.get("languages") or "")
        codes = [code.strip().lower() for code in raw.split(",") if code.strip()]
        for code in codes:
            if not (2 <= len(code) <= 8 and code.replace("-", "").isalpha()):
                raise forms.ValidationError(_("Write language codes such as bn or en, separated by commas."))
        return list(dict.fromkeys(codes))


class SafeContactForm(forms.Form):
    safe_to_call = forms.BooleanField(label=_("Safe to call or message her"), required=False)
    safe_channel = forms.ChoiceField(
        label=_("Safe channel"), choices=SafeContact.Channel.choices, initial=SafeContact.Channel.IN_PERSON
    )
    safe_hours = forms.CharField(label=_("Safe hours"), max_length=200, required=False)
    code_word = forms.CharField(label=_("Code word"), max_length=200, required=False)
    abuser_knows_of_contact = forms.BooleanField(
        label=_("The abuser knows she is in contact with us"), required=False
    )
    do_not_name_organisation = forms.BooleanField(
        label=_("Do not name the organisation on calls"), required=False, initial=True
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class MergeForm(forms.Form):
    """Which record of a flagged pair stays; the other is merged into it."""

    keep = forms.ChoiceField(choices=[("A", "A"), ("B", "B")])


class HouseholdMemberForm(forms.Form):
    """A child (or another member) who lives with her, registered and added to her household at once."""

    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("In any script."))
    relationship = forms.ChoiceField(
        label=_("Relationship to her"),
        choices=HouseholdMember.Relationship.choices,
        initial=HouseholdMember.Relationship.CHILD,
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Person.Sex.choices, initial=Person.Sex.UNKNOWN)
    born_on = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    born_on_is_estimate = forms.BooleanField(label=_("The date of birth is an estimate"), required=False)
    joined_on = forms.DateField(label=_("Living with her since"), required=False, widget=DateInput())


class MemberLeftForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ROW_ID)
    left_on = forms.DateField(label=_("Left on"), widget=DateInput())
