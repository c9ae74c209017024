"""Template helpers that show dates in the user's calendar and numbers in their locale's digits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import translation

from haven.web import calendars

register = template.Library()


def _calendar(context: template.Context) -> str:
    request = context.get("request")
    return getattr(request, "calendar", calendars.GREGORIAN)


@register.simple_tag(takes_context=True)
def local_date(context: template.Context, value: date | datetime | None) -> str:
    """A date (or the date part of a datetime) in the user's calendar, with the language's digits."""
    if value is None:
        return ""
    language = translation.get_language() or "en"
    if isinstance(value, datetime):
        return calendars.format_datetime(value, _calendar(context), language)
    return calendars.format_date(value, _calendar(context), language)


@register.filter
def local_digits(value: Any) -> str:
    return calendars.localize_digits(str(value), translation.get_language() or "en")
