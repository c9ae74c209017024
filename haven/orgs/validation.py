"""Checks that verbs in every app make on what people type, with the same translated messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator

MAX_ROW_ID = 2**63 - 1
"""The largest id a database row can have (a 64-bit signed integer). A form field taking a row's id is
bounded by it, so that a larger, tampered id is refused with a message instead of crashing the query
(SQLite raises OverflowError on it)."""


@contextmanager
def refused_if_taken(field: str, message: str) -> Iterator[None]:
    """Around the save of something that must be unique (a name, a number, one holder of an office).

    The verb checks first and refuses with `message`; when two people submit the same at once, both
    checks pass and the database's unique constraint refuses the second save. That refusal becomes the
    same message on `field` instead of a server error, and the savepoint keeps the rest of the verb's
    transaction usable.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise ValidationError({field: message}) from None


def required_text(field: str, value: str, limit: int) -> str:
    """``value`` stripped; refused (on ``field``) when empty or longer than ``limit`` characters."""
    value = value.strip()
    if not value:
        raise ValidationError({field: _("This field cannot be empty.")})
    if len(value) > limit:
        raise ValidationError({field: _("Keep this under %(limit)s characters.") % {"limit": limit}})
    return value


def local_time(moment: datetime) -> datetime:
    """A time typed or sent without a UTC offset, read in the current time zone (the organisation's).

    Forms do this themselves; the API and hand-made addresses do not, and such a time compared as it came
    with the server's clock would be a server error.
    """
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


LocalDateTime = Annotated[datetime, AfterValidator(local_time)]
"""A time an API client sends: without a UTC offset it is the organisation's local time (`local_time`), so
every verb gets a time it can compare with the server's clock."""
