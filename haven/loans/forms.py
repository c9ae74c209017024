"""Forms of the loans pages. They only parse input; the verbs in actions.py decide (an amount outside
the product's limits or a woman of 56 is parsed here and refused there, with the verb's own sentence)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.loans.models import CommitteeDecision, Frequency, Loan, LoanProduct
from haven.web.widgets import DateInput

DATE = DateInput()
MEMBERS_HELP = _("One name per line (or separated by commas), with their role on the committee.")


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="BDT")
    service_charge_percent = forms.DecimalField(
        label=_("Flat service charge (% a year)"),
        help_text=_("Charged once on the principal for the whole term: principal × rate × years."),
    )
    term_months = forms.IntegerField(label=_("Term in months"), min_value=1, max_value=120)
    frequency = forms.ChoiceField(label=_("Instalments"), choices=Frequency.choices)
    grace_days = forms.IntegerField(
        label=_("Grace period in days"),
        min_value=0,
        max_value=365,
        initial=0,
        help_text=_(
            "Counted from the day the money is paid out; the first instalment falls one period later."
        ),
    )
    min_amount = forms.DecimalField(label=_("Smallest loan"))
    max_amount = forms.DecimalField(label=_("Largest loan"))
    min_age = forms.IntegerField(label=_("Youngest borrower (years)"), initial=18, min_value=1, max_value=129)
    max_age = forms.IntegerField(label=_("Oldest borrower (years)"), initial=55, min_value=1, max_value=129)
    requires_training = forms.BooleanField(
        label=_("Borrowers must have been trained"), initial=True, required=False
    )


class ApplicationForm(forms.Form):
    registry_number = forms.CharField(
        label=_("Registry number"), max_length=40, help_text=_("As on her registry entry or card.")
    )
    product = forms.ModelChoiceField(label=_("Loan product"), queryset=LoanProduct.objects.none())
    amount = forms.DecimalField(label=_("Amount asked for"))
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    training_completed = forms.BooleanField(label=_("She has completed a training"), required=False)
    training_where = forms.CharField(label=_("Where she was trained"), max_length=200, required=False)
    applied_on = forms.DateField(label=_("Applied on"), widget=DATE)

    def __init__(self, *args: Any, products: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=CommitteeDecision.Outcome.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    members_present = forms.CharField(
        label=_("Members present"), widget=forms.Textarea(attrs={"rows": 4}), help_text=MEMBERS_HELP
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    approved_amount = forms.DecimalField(
        label=_("Amount approved"),
        required=False,
        help_text=_("Only when the committee approved less than she asked for."),
    )


class DisbursementForm(forms.Form):
    disbursed_on = forms.DateField(label=_("Paid out on"), widget=DATE)
    method = forms.ChoiceField(label=_("Paid out by"), choices=Loan.Method.choices)


class RepaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount"))
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=40)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why?"), widget=forms.Textarea(attrs={"rows": 3}))


class RescheduleForm(forms.Form):
    decided_on = forms.DateField(label=_("Committee decided on"), widget=DATE)
    members_present = forms.CharField(
        label=_("Members present"), widget=forms.Textarea(attrs={"rows": 4}), help_text=MEMBERS_HELP
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    term_months = forms.IntegerField(label=_("New term in months"), min_value=1, max_value=120)
    grace_days = forms.IntegerField(label=_("Grace period in days"), min_value=0, max_value=365, initial=0)


class WriteOffForm(forms.Form):
    written_off_on = forms.DateField(label=_("Written off on"), widget=DATE)
    reason = forms.CharField(label=_("Why is it written off?"), widget=forms.Textarea(attrs={"rows": 3}))


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=pgettext_lazy("loan", "Status"), choices=[("", _("Any")), *Loan.Status.choices], required=False
    )


class PortfolioForm(forms.Form):
    on = forms.DateField(label=_("On"), widget=DATE, required=False)
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False)
