"""Checks that verbs in every app make on what people type, with the same translated messages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def required_text(field: str, value: str, limit: int) -> str:
    """``value`` stripped; refused (on ``field``) when empty or longer than ``limit`` characters."""
    value = value.strip()
    if not value:
        raise ValidationError({field: _("This field cannot be empty.")})
    if len(value) > limit:
        raise ValidationError({field: _("Keep this under %(limit)s characters.") % {"limit": limit}})
    return value
