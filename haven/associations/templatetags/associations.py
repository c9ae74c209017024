"""Amounts on the associations pages: in the organisation's currency (taka in Bangladesh), formatted for
the reader's language, in its digits."""

from __future__ import annotations

from decimal import Decimal

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal, get_territory_currencies
from django import template
from django.utils import translation

from haven.web import calendars

register = template.Library()


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(translation.to_locale(language))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


@register.simple_tag(takes_context=True)
def amount(context: template.Context, value: Decimal | None) -> str:
    """`{% amount grant.amount %}`: in taka with Bengali digits for a Bengali reader; "—" for none."""
    if value is None:
        return "—"
    language = translation.get_language() or "en"
    org = getattr(context.get("request"), "org", None)
    currencies = get_territory_currencies(org.country) if org is not None and org.country else []
    locale = _locale(language)
    if currencies:
        text = format_currency(value, currencies[0], locale=locale, numbering_system="default")
    else:
        text = format_decimal(value, locale=locale)
    return calendars.localize_digits(text, language)
