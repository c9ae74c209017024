"""Whether a callback respects her safe-contact instructions.

Safe hours are free text written with her ("10:00-12:00, weekdays", "after 14:00"), so this reads the
time ranges in it. When the text holds no time at all Haven cannot check it, and says so rather than
guess: an unsafe call cannot be taken back.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.people.models import SafeContact

_TIME = r"(\d{1,2})(?:[:.h](\d{2}))?"
_RANGE = re.compile(_TIME + r"\s*(?:-|–|—|to|until)\s*" + _TIME, re.IGNORECASE)
_AFTER = re.compile(r"(?:after|from)\s*" + _TIME, re.IGNORECASE)
_BEFORE = re.compile(r"(?:before|until)\s*" + _TIME, re.IGNORECASE)

Window = tuple[time, time]


def _time(hours: str, minutes: str | None) -> time | None:
    h, m = int(hours), int(minutes or 0)
    if h == 24 and m == 0:
        return time(23, 59, 59)
    return time(h, m) if h < 24 and m < 60 else None


def safe_windows(text: str) -> list[Window]:
    """The time ranges written in her safe hours ("10:00-12:00", "after 14:00", "before 9"), in order."""
    windows: list[Window] = []
    rest = text
    for match in _RANGE.finditer(text):
        start, end = _time(match[1], match[2]), _time(match[3], match[4])
        if start is not None and end is not None:
            windows.append((start, end))
        rest = rest.replace(match[0], " ")
    for pattern, is_after in ((_AFTER, True), (_BEFORE, False)):
        for match in pattern.finditer(rest):
            moment = _time(match[1], match[2])
            if moment is not None:
                windows.append((moment, time(23, 59, 59)) if is_after else (time(0, 0), moment))
    return windows


def _within(moment: time, window: Window) -> bool:
    start, end = window
    if start <= end:
        return start <= moment <= end
    return moment >= start or moment <= end  # a window across midnight, e.g. 22:00-02:00


def check_safe_callback(contact: SafeContact | None, channel: str, due_at: datetime) -> None:
    """Refuse, with the reason, a callback her instructions do not allow: none recorded, not safe to
    call, another channel than her safe one, or a time outside her safe hours."""
    if contact is None:
        raise ValidationError(
            {"channel": _("Record her safe-contact instructions before scheduling a callback.")}
        )
    if not contact.safe_to_call:
        raise ValidationError({"channel": _("Her instructions say not to call or message her.")})
    if channel != contact.safe_channel:
        raise ValidationError(
            {
                "channel": _("The only safe channel for her is “%(channel)s”.")
                % {"channel": SafeContact.Channel(contact.safe_channel).label}
            }
        )
    _check_hours(contact.safe_hours or "", due_at)


def _check_hours(text: str, due_at: datetime) -> None:
    if not text.strip():
        return
    windows = safe_windows(text)
    if not windows:
        raise ValidationError(
            {
                "due_at": _(
                    "Her safe hours hold no time Haven can check. Record them with times, for example "
                    "“10:00–12:00”, before scheduling a callback."
                )
            }
        )
    moment = timezone.localtime(due_at).time()
    if not any(_within(moment, window) for window in windows):
        raise ValidationError(
            {"due_at": _("This time is outside her safe hours. Choose a time within them.")}
        )
