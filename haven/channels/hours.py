"""Opening hours of a channel: a weekly schedule in the channel's time zone, minus holidays.

`weekly_hours` maps a weekday (Monday = "0") to intervals ``[["09:00", "17:00"], …]``; "24:00" closes at
midnight. A channel marked open around the clock ignores both the schedule and the holidays: a national
helpline does not close on a public holiday.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from haven.channels.models import Channel

INTERVAL = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def _minutes(hours: str, minutes: str) -> int:
    value = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or value > 24 * 60:
        raise ValueError(value)
    return value


def parse_day(text: str) -> list[list[str]]:
    """'09:00-13:00, 14:00-17:30' → [["09:00", "13:00"], ["14:00", "17:30"]]; empty means closed."""
    intervals = []
    for part in filter(str.strip, text.split(",")):
        match = INTERVAL.match(part)
        try:
            if match is None:
                raise ValueError(part)
            start, end = _minutes(*match.group(1, 2)), _minutes(*match.group(3, 4))
        except ValueError:
            raise ValidationError(_("Write opening times like 09:00-17:00, separated by commas.")) from None
        if end <= start:
            raise ValidationError(_("An opening time must end after it starts (%(part)s).") % {"part": part})
        intervals.append([f"{start // 60:02d}:{start % 60:02d}", f"{end // 60:02d}:{end % 60:02d}"])
    return intervals


def format_day(intervals: Iterable[Iterable[str]]) -> str:
    return ", ".join("-".join(pair) for pair in intervals)


def validate_weekly_hours(weekly: Mapping[str, Iterable[Iterable[str]]]) -> dict[str, list[list[str]]]:
    """Re-parse a schedule (from the API) so that only well-formed intervals are stored."""
    cleaned: dict[str, list[list[str]]] = {}
    for day, intervals in weekly.items():
        if day not in {str(n) for n in range(7)}:
            raise ValidationError({"weekly_hours": _("Weekdays are numbered 0 (Monday) to 6 (Sunday).")})
        try:
            cleaned[day] = parse_day(format_day(intervals))
        except ValidationError as exc:
            raise ValidationError({"weekly_hours": exc.messages}) from None
    return cleaned


def validate_time_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a folder
        raise ValidationError(
            {"time_zone": _("Use a time zone name such as Asia/Dhaka or America/Montreal.")}
        ) from None
    return name


def is_open(channel: Channel, at: datetime) -> bool:
    if channel.always_open:
        return True
    local = at.astimezone(zoneinfo.ZoneInfo(channel.time_zone))
    if local.date().isoformat() in channel.holidays:
        return False
    now = local.time()
    return any(
        _at(start) <= now < _at(end) for start, end in channel.weekly_hours.get(str(local.weekday()), [])
    )


def _at(text: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    return time.max if hours == 24 else time(hours, minutes)


def closed_message(channel: Channel, language: str, fallback: str) -> str:
    """The message outside hours in her language, else the organisation's language, else any one set."""
    messages: dict[str, str] = channel.closed_messages
    for code in (language, fallback):
        if messages.get(code):
            return messages[code]
    return next((text for text in messages.values() if text), "")


def parse_holidays(text: str) -> list[str]:
    """One ISO date (2026-03-26) per line or comma; returned sorted without repeats."""
    days = set()
    for part in re.split(r"[\s,]+", text.strip()):
        if not part:
            continue
        try:
            days.add(date.fromisoformat(part).isoformat())
        except ValueError:
            raise ValidationError(
                {"holidays": _("Write each holiday as a date like 2026-03-26 (%(part)s).") % {"part": part}}
            ) from None
    return sorted(days)
