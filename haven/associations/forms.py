"""Forms of the associations pages. They only parse input; the verbs decide (an amount with three
decimals, a date in the future or an overlapping stall are parsed here and refused there, with the
verb's own sentence)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from haven.associations import grading
from haven.associations.models import (
    Association,
    AssociationDocument,
    Entrepreneur,
    Grade,
    Grant,
    MarketingCentre,
    OfficeBearer,
    Product,
)
from haven.orgs.models import Area, Organisation
from haven.web.widgets import DateInput

DATE = DateInput()


def _areas(field: forms.Field, org: Organisation) -> None:
    field.queryset = Area.objects.filter(org=org)  # type: ignore[attr-defined]


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Association.Status.choices], required=False
    )
    grade = forms.ChoiceField(label=_("Grade"), choices=[("", _("Any")), *Grade.choices], required=False)


class FeeFields(forms.Form):
    fee_amount = forms.DecimalField(label=_("Fee paid"))
    fee_receipt_number = forms.CharField(label=_("Receipt number"), max_length=40)
    fee_paid_on = forms.DateField(label=_("Paid on"), widget=DATE)


class ApplicationForm(FeeFields):
    name = forms.CharField(label=_("Name of the association"), max_length=200)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    office_address = forms.CharField(label=_("Office address"), max_length=500, required=False)
    founded_on = forms.DateField(label=_("Founded on"), widget=DATE, required=False)
    member_count = forms.IntegerField(label=_("Number of members"), min_value=1)
    applied_on = forms.DateField(label=_("Application received on"), widget=DATE)
    field_order = ["name", "area", "office_address", "founded_on", "member_count", "applied_on"]

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _areas(self.fields["area"], org)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=AssociationDocument.Kind.choices)
    file = forms.FileField(label=_("File"), help_text=_("PDF, PNG or JPEG, at most 5 MB."))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why is it refused?"), widget=forms.Textarea(attrs={"rows": 3}))


class RenewalForm(FeeFields):
    years = forms.IntegerField(label=_("Renew for (years)"), min_value=1, max_value=5, initial=1)


class BearerForm(forms.Form):
    position = forms.ChoiceField(label=_("Office"), choices=OfficeBearer.Position.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    since_on = forms.DateField(label=_("In office since"), widget=DATE)


class GradingForm(forms.Form):
    """One score field per criterion, and the members present as lines of "name; institution; role"."""

    graded_on = forms.DateField(label=_("Graded on"), widget=DATE)
    members = forms.CharField(
        label=_("Committee members present"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: name; institution; role on the committee. At least three."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in grading.CRITERIA:
            self.fields[f"score_{criterion.code}"] = forms.IntegerField(
                label=str(criterion.label),
                min_value=0,
                max_value=criterion.maximum,
                help_text=_("0 to %(max)s") % {"max": criterion.maximum},
            )

    def clean_members(self) -> list[dict[str, str]]:
        members = []
        for line in str(self.cleaned_data["members"]).splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise ValidationError(_("Write each member as: name; institution; role."))
            members.append(
                {"name": parts[0], "institution": parts[1], "role_title": parts[2] if len(parts) > 2 else ""}
            )
        return members

    def verb_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        scores = {c.code: data[f"score_{c.code}"] for c in grading.CRITERIA}
        return {"graded_on": data["graded_on"], "members": data["members"], "scores": scores}


class ScheduleForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    amount = forms.DecimalField(label=_("Grant amount"))


class RoundForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=200)


class DisburseForm(forms.Form):
    disbursed_on = forms.DateField(label=_("Disbursed on"), widget=DATE)
    method = forms.ChoiceField(label=_("Method"), choices=Grant.Method.choices)
    reference = forms.CharField(label=_("Reference (transfer, cheque or voucher number)"), max_length=80)


class ReportForm(forms.Form):
    amount_spent = forms.DecimalField(label=_("Amount spent"), min_value=0)
    narrative = forms.CharField(
        label=_("What was done with the grant"), widget=forms.Textarea(attrs={"rows": 5})
    )
    reported_on = forms.DateField(label=_("Report received on"), widget=DATE)


class EntrepreneurForm(forms.Form):
    trading_name = forms.CharField(label=_("Trading name"), max_length=200)
    registry_number = forms.CharField(
        label=_("Registry number"),
        max_length=40,
        required=False,
        help_text=_("When she is in the programme registry; otherwise give her name below."),
    )
    name = forms.CharField(label=_("Her name"), max_length=200, required=False)
    phone = forms.CharField(label=_("Her phone"), max_length=40, required=False)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    association = forms.ModelChoiceField(
        label=_("Association"), queryset=Association.objects.none(), required=False
    )
    registered_on = forms.DateField(label=_("Registered on"), widget=DATE)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _areas(self.fields["area"], org)
        registered = Association.objects.filter(org=org, status=Association.Status.REGISTERED)
        self.fields["association"].queryset = registered  # type: ignore[attr-defined]


class ProductForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Product.Category.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    price_min = forms.DecimalField(label=_("Lowest price"))
    price_max = forms.DecimalField(label=_("Highest price"))


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("Course"), max_length=200)
    provider = forms.CharField(label=_("Given by"), max_length=200, required=False)
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE)
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=60, required=False)


class SalesForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=MarketingCentre.objects.none())
    period = forms.DateField(label=_("Month"), widget=DATE, help_text=_("Any day of the month."))
    amount = forms.DecimalField(label=_("Sales"))
    items_sold = forms.IntegerField(label=_("Items sold"), min_value=0)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = MarketingCentre.objects.filter(org=org)  # type: ignore[attr-defined]


class CentreForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    address = forms.CharField(label=_("Address"), max_length=500, required=False)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _areas(self.fields["area"], org)


class StallForm(forms.Form):
    number = forms.CharField(label=_("Stall number"), max_length=20)
    monthly_rent = forms.DecimalField(label=_("Rent a month"), min_value=0)


class AllocationForm(forms.Form):
    stall = forms.ModelChoiceField(label=_("Stall"), queryset=MarketingCentre.objects.none())
    entrepreneur = forms.ModelChoiceField(label=_("Entrepreneur"), queryset=Entrepreneur.objects.none())
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To"), widget=DATE)
    rent = forms.DecimalField(
        label=_("Rent for the period"),
        required=False,
        help_text=_("Leave empty for the stall's monthly rent for each month."),
    )

    def __init__(self, *args: Any, centre: MarketingCentre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stall"].queryset = centre.stalls.all()  # type: ignore[attr-defined]
        active = Entrepreneur.objects.filter(org_id=centre.org_id, is_active=True)
        self.fields["entrepreneur"].queryset = active  # type: ignore[attr-defined]


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount paid"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=40)
