"""Forms of the distribution pages. They only parse input; the verbs in actions.py decide (a quantity
beyond stock or a card of another union is parsed here and refused there, with the verb's sentence)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.benefits.distribution.models import Issue
from haven.benefits.models import PROGRAMME_ROLES
from haven.orgs.models import Area, Membership, Organisation


class OfficerField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        user = obj.user
        return str(user.get_full_name() or user.username)


class PointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    place = forms.CharField(
        label=_("Place"), max_length=300, required=False, help_text=_("e.g. the union parishad office.")
    )
    unions = forms.ModelMultipleChoiceField(
        label=_("Unions it serves"),
        queryset=Area.objects.none(),
        help_text=_("Each union collects its rations at one point."),
    )
    officer = OfficerField(label=_("Officer in charge"), queryset=Membership.objects.none(), required=False)
    dealer_name = forms.CharField(label=_("Dealer"), max_length=200, required=False)
    dealer_phone = forms.CharField(label=_("Dealer's phone"), max_length=40, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unions = self.fields["unions"]
        unions.queryset = Area.objects.filter(org=org, level=Area.Level.LOCALITY)  # type: ignore[attr-defined]
        officers = Membership.objects.filter(
            org=org, is_active=True, role__in=[r.value for r in PROGRAMME_ROLES]
        )
        self.fields["officer"].queryset = officers.select_related("user")  # type: ignore[attr-defined]


def _item_choices(items: dict[str, str]) -> list[tuple[str, str]]:
    """`items` as `queries.in_kind_items` gives them: the page reads them once for its three forms."""
    return [(item, f"{item} ({unit})") for item, unit in items.items()]


class StockForm(forms.Form):
    """Stock received (with its delivery reference) or lost (with the reason)."""

    item = forms.ChoiceField(label=_("Item"))
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, decimal_places=2, max_digits=14)

    def __init__(self, *args: Any, items: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = _item_choices(items)  # type: ignore[attr-defined]


class ReceiveForm(StockForm):
    reference = forms.CharField(
        label=_("Reference"), max_length=100, required=False, help_text=_("e.g. the delivery order number.")
    )


class LossForm(StockForm):
    reason = forms.CharField(label=_("Why it was lost"), max_length=300)


class AdjustForm(forms.Form):
    item = forms.ChoiceField(label=_("Item"))
    change = forms.DecimalField(
        label=_("Change"),
        decimal_places=2,
        max_digits=14,
        help_text=_("What to add; a negative number takes stock away."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, items: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = _item_choices(items)  # type: ignore[attr-defined]


class CardForm(forms.Form):
    card_number = forms.CharField(
        label=_("Card number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "inputmode": "text"}),
    )


class IssueForm(forms.Form):
    """The confirmation: the card again (hidden) and, when she sent someone, who came."""

    card_number = forms.CharField(max_length=30, widget=forms.HiddenInput)
    by_proxy = forms.BooleanField(label=_("Someone else collects it for her"), required=False)
    proxy_name = forms.CharField(label=_("Name of the person collecting"), max_length=200, required=False)
    proxy_relationship = forms.ChoiceField(
        label=_("Their relationship to her"),
        choices=[("", "—"), *Issue.Relationship.choices],
        required=False,
    )
    proxy_id_checked = forms.BooleanField(label=_("I checked their ID card"), required=False)
