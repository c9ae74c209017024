"""Money on the loans pages: formatted for the reader's language (its separators, sign and digits)."""

from __future__ import annotations

from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency
from django import template
from django.utils import translation

from haven.loans.models import LoanProduct, from_minor
from haven.web import calendars

register = template.Library()


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(translation.to_locale(language))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """`{{ figures.collected|money:"BDT" }}`: taka sign, Bengali digits in Bengali; "—" if unknown."""
    if amount is None or not currency:
        return "—"
    language = translation.get_language() or "en"
    text = format_currency(amount, currency, locale=_locale(language), numbering_system="default")
    return calendars.localize_digits(text, language)


@register.filter
def minor(amount: int | None, product: LoanProduct) -> str:
    """`{{ instalment.principal_due_minor|minor:loan.product }}`: minor units shown in the product's money."""
    if amount is None:
        return "—"
    return money(from_minor(amount, product.currency_places), product.currency)


@register.filter
def percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return calendars.localize_digits(f"{value} %", translation.get_language() or "en")
