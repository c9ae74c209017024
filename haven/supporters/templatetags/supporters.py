"""Money on the supporters pages: formatted for the reader's language, in its digits."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import translation

from haven.supporters.receipts import format_amount

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """`{{ donation.amount|money:donation.currency }}`: "1 250,50 $CA" in French; "—" when unknown."""
    if amount is None or not currency:
        return "—"
    return format_amount(amount, currency, translation.get_language() or "en")
