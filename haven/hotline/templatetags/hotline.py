"""Template filters for the hotline's clocks."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template

from haven.hotline.models import Contact

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    """A wait or a handle time as h:mm:ss or m:ss ("—" when there is none yet)."""
    if value is None:
        return "—"
    seconds = max(0, int(value.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@register.filter
def waited(contact: Contact, now: datetime) -> str:
    return duration(contact.waited(now))
