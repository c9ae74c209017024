"""Taka on the payments pages: formatted for the reader's language, in its digits."""

from __future__ import annotations

from decimal import Decimal

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency
from django import template
from django.utils import translation

from haven.web import calendars

register = template.Library()


@register.filter
def taka(amount: Decimal | None) -> str:
    """`{{ batch.control_sum|taka }}`: "BDT 1,600.00" in English, in Bengali digits in Bengali."""
    if amount is None:
        return "—"
    language = translation.get_language() or "en"
    try:
        locale = Locale.parse(translation.to_locale(language))
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    text = format_currency(amount, "BDT", locale=locale, numbering_system="default")
    return calendars.localize_digits(text, language)


@register.filter
def masked(number: str | None) -> str:
    """A wallet number with all but its last three digits hidden: enough to tell two apart."""
    if not number:
        return "—"
    return "•" * max(len(number) - 3, 0) + number[-3:]
