"""Forms of the supporters pages. They only parse input; the verbs in actions.py decide (a negative
amount or an unknown currency is parsed here and refused there, with the verb's own sentence)."""

from __future__ import annotations

from typing import Any

from babel.numbers import get_territory_currencies
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Organisation
from haven.supporters.models import Donation, DonorProject, Supporter
from haven.web.widgets import DateInput

DATE = DateInput()


def default_currency(org: Organisation) -> str:
    """The currency of the organisation's country (CAD in Canada, BDT in Bangladesh), else none."""
    currencies = get_territory_currencies(org.country) if org.country else []
    return currencies[0] if currencies else ""


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find"),
        required=False,
        max_length=200,
        help_text=_("A name (whole words), an e-mail address or a phone number."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any")), *Supporter.Kind.choices], required=False
    )


class SupporterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Supporter.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(
        label=_("Postal address"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    language = forms.ChoiceField(label=_("Language of receipts"), choices=settings.LANGUAGES)
    may_contact = forms.BooleanField(
        label=_("Agrees to be contacted"),
        required=False,
        help_text=_("Newsletters, appeals and thanks. Receipts are sent whatever the answer."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = org.default_language


class DonationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of gift"), choices=Donation.Kind.choices, initial=Donation.Kind.MONEY
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount"), required=False, help_text=_("For a gift of money."))
    currency = forms.CharField(
        label=_("Currency"), max_length=3, required=False, help_text=_("Three-letter code, such as CAD.")
    )
    method = forms.ChoiceField(
        label=_("Paid by"), choices=[("", "—"), *Donation.Method.choices], required=False
    )
    description = forms.CharField(
        label=_("What was given"), max_length=500, required=False, help_text=_("For a gift in kind.")
    )
    quantity = forms.IntegerField(label=_("Quantity"), required=False)
    estimated_value = forms.DecimalField(
        label=_("Estimated value"),
        required=False,
        help_text=_("For a gift in kind, in the currency above; needed for a receipt."),
    )
    project = forms.ModelChoiceField(
        label=_("Restricted to project"), queryset=DonorProject.objects.none(), required=False
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonymous in public lists"),
        required=False,
        help_text=_("The donor is not named in thank-you lists and reports for this gift."),
    )

    def __init__(self, *args: Any, supporter: Supporter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this donor's own projects are offered; the verb refuses any other.
        self.fields["project"].queryset = DonorProject.objects.filter(supporter=supporter)  # type: ignore[attr-defined]
        self.fields["currency"].initial = default_currency(supporter.org)


class ValueForm(forms.Form):
    estimated_value = forms.DecimalField(label=_("Estimated value"))
    currency = forms.CharField(label=_("Currency"), max_length=3)


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    amount_pledged = forms.DecimalField(label=_("Amount pledged"))
    currency = forms.CharField(
        label=_("Currency"), max_length=3, help_text=_("Three-letter code, such as CAD.")
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].initial = default_currency(org)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cancelled?"), widget=forms.Textarea(attrs={"rows": 3}))
    reissue = forms.BooleanField(
        label=_("Issue a replacement receipt"),
        required=False,
        help_text=_("A new receipt with a new number, the current name and value."),
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=9999, required=False)
