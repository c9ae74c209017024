"""Quantities as people write them on a stock card ("30 kg", "12.5 kg"), in the language's digits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import translation

from haven.benefits.distribution.queries import quantity_text
from haven.web import calendars

register = template.Library()


@register.filter
def qty(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    text = quantity_text(value if isinstance(value, Decimal) else Decimal(str(value)), unit)
    return calendars.localize_digits(text, translation.get_language() or "en")


@register.filter
def percent(value: float | None) -> str:
    if value is None:
        return "—"
    return calendars.localize_digits(f"{value * 100:.1f} %", translation.get_language() or "en")


@register.filter
def unit_for(units: dict[str, str], item: str) -> str:
    """The unit of an item from `queries.in_kind_items` ("kg" for rice); empty when unknown."""
    return units.get(item, "")
