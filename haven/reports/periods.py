"""Reporting periods written the way the people who report think of them.

A period is a half-open range of Gregorian days ``[start, end)``: figures filter on ``start <= day < end``.
It is written as a short code that fits in a URL and reads back to the same period:

=====================  ========================================================================
``2025``               Gregorian year
``2025-03``            Gregorian month
``2025-Q1``            Gregorian quarter (Q1-Q4)
``2025-H1``            Gregorian half year (H1, H2): the One Stop Centres' half-yearly report
``FY2024``             fiscal year July 2024 - June 2025 (Bangladesh, Pakistan, Australia...)
``SH1403``             Solar Hijri year (from 1 Farvardin)
``SH1403-05``          Solar Hijri month (Mordad 1403)
``BN1431``             Bengali year (from 1 Boishakh, 14 April)
``BN1431-01``          Bengali month
``2025-01-05..2025-03-31``  any range of days, both ends included (a donor project's period)
=====================  ========================================================================

Every kind knows its previous period (the same kind, one step back) for comparisons.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from django.utils.translation import gettext as _

from haven.web import calendars

YEAR: Final = "YEAR"
MONTH: Final = "MONTH"
QUARTER: Final = "QUARTER"
HALF: Final = "HALF"
FISCAL_YEAR: Final = "FISCAL_YEAR"
RANGE: Final = "RANGE"

FISCAL_YEAR_START_MONTH: Final = 7
"""July: the fiscal year of Bangladesh's ministries (and Pakistan's), which the seed programmes report in."""

_CALENDAR_PREFIXES: Final = {"SH": calendars.SOLAR_HIJRI, "BN": calendars.BENGALI}
_PREFIX_OF_CALENDAR: Final = {calendar: prefix for prefix, calendar in _CALENDAR_PREFIXES.items()}

_GREGORIAN_PART = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4])|-H([12]))?$")
_CALENDAR_PART = re.compile(r"^(SH|BN)(\d{4})(?:-(\d{2}))?$")
_FISCAL = re.compile(r"^FY(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def _out_of_range() -> str:
    return _("This period is outside the years the calendar can show.")


class PeriodError(ValueError):
    """A period code that names no period; the message is translated and says what is accepted."""


@dataclass(frozen=True)
class Period:
    kind: str
    calendar: str
    start: date
    end: date  # exclusive
    code: str

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def previous(self) -> Period:
        """The period just before: same kind, one step back (a range keeps its length)."""
        try:
            return _PREVIOUS[self.kind](self)
        except OverflowError as exc:  # before 1 January of year 1
            raise PeriodError(_out_of_range()) from exc

    def label(self, language: str) -> str:
        """How the period reads to a person: "Mordad 1403", "Fiscal year 2024-25"."""
        return calendars.localize_digits(_LABELS[self.kind](self, language), language)


def parse_period(code: str) -> Period:
    """The period a code names (see the module docstring); ``PeriodError`` if it names none."""
    text = calendars.delocalize_digits(code.strip())
    for parser in (_parse_gregorian, _parse_calendar, _parse_fiscal, _parse_range):
        period = parser(text)
        if period is not None:
            return period
    raise PeriodError(
        _(
            "“%(code)s” is not a period. Write a year (2025), a month (2025-03), a quarter (2025-Q1), "
            "a half year (2025-H1), a fiscal year (FY2024), a Solar Hijri or Bengali year or month "
            "(SH1403, SH1403-05, BN1431-01) or a range of days (2025-01-01..2025-03-31)."
        )
        % {"code": code[:40]}
    )


def current_period(kind: str, calendar: str, today: date) -> Period:
    """The month or year (of ``calendar``) that contains ``today``; fiscal years are Gregorian."""
    if kind == FISCAL_YEAR:
        first_year = today.year if today.month >= FISCAL_YEAR_START_MONTH else today.year - 1
        return fiscal_year(first_year)
    year, month, _day = calendars.to_calendar(today, calendar)
    if kind == YEAR:
        return calendar_year(calendar, year)
    return calendar_month(calendar, year, month)


# --- Constructors -------------------------------------------------------------------------------------


def _year_code(calendar: str, year: int) -> str:
    return f"{_PREFIX_OF_CALENDAR.get(calendar, '')}{year:04d}"


def calendar_year(calendar: str, year: int) -> Period:
    start = _calendar_date(year, 1, 1, calendar)
    end = _calendar_date(year + 1, 1, 1, calendar)
    return Period(YEAR, calendar, start, end, _year_code(calendar, year))


def calendar_month(calendar: str, year: int, month: int) -> Period:
    if not 1 <= month <= 12:
        raise PeriodError(_("A month is numbered from 01 to 12."))
    start = _calendar_date(year, month, 1, calendar)
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    end = _calendar_date(next_year, next_month, 1, calendar)
    return Period(MONTH, calendar, start, end, f"{_year_code(calendar, year)}-{month:02d}")


def quarter(year: int, number: int) -> Period:
    start = _calendar_date(year, 3 * number - 2, 1, calendars.GREGORIAN)
    end = (
        _calendar_date(year + 1, 1, 1, calendars.GREGORIAN) if number == 4 else date(year, 3 * number + 1, 1)
    )
    return Period(QUARTER, calendars.GREGORIAN, start, end, f"{year:04d}-Q{number}")


def half_year(year: int, number: int) -> Period:
    start = _calendar_date(year, 1 if number == 1 else 7, 1, calendars.GREGORIAN)
    end = date(year, 7, 1) if number == 1 else _calendar_date(year + 1, 1, 1, calendars.GREGORIAN)
    return Period(HALF, calendars.GREGORIAN, start, end, f"{year:04d}-H{number}")


def fiscal_year(first_year: int) -> Period:
    start = _calendar_date(first_year, FISCAL_YEAR_START_MONTH, 1, calendars.GREGORIAN)
    end = _calendar_date(first_year + 1, FISCAL_YEAR_START_MONTH, 1, calendars.GREGORIAN)
    return Period(FISCAL_YEAR, calendars.GREGORIAN, start, end, f"FY{first_year:04d}")


def day_range(first_day: date, last_day: date) -> Period:
    """The days from ``first_day`` to ``last_day``, both included."""
    if last_day < first_day:
        raise PeriodError(_("A period cannot end before it starts."))
    try:
        end = last_day + timedelta(days=1)
    except OverflowError as exc:  # 31 December 9999
        raise PeriodError(_out_of_range()) from exc
    return Period(RANGE, calendars.GREGORIAN, first_day, end, f"{first_day}..{last_day}")


def _calendar_date(year: int, month: int, day: int, calendar: str) -> date:
    try:
        return calendars.from_calendar(year, month, day, calendar)
    except (ValueError, OverflowError) as exc:
        raise PeriodError(_out_of_range()) from exc


# --- Parsers: each returns None when the code is not its kind -----------------------------------------


def _parse_gregorian(text: str) -> Period | None:
    match = _GREGORIAN_PART.match(text)
    if match is None:
        return None
    year = int(match[1])
    if match[2]:
        return calendar_month(calendars.GREGORIAN, year, int(match[2]))
    if match[3]:
        return quarter(year, int(match[3]))
    if match[4]:
        return half_year(year, int(match[4]))
    return calendar_year(calendars.GREGORIAN, year)


def _parse_calendar(text: str) -> Period | None:
    match = _CALENDAR_PART.match(text.upper())
    if match is None:
        return None
    calendar = _CALENDAR_PREFIXES[match[1]]
    if match[3]:
        return calendar_month(calendar, int(match[2]), int(match[3]))
    return calendar_year(calendar, int(match[2]))


def _parse_fiscal(text: str) -> Period | None:
    match = _FISCAL.match(text.upper())
    return fiscal_year(int(match[1])) if match else None


def _parse_range(text: str) -> Period | None:
    match = _RANGE.match(text)
    if match is None:
        return None
    try:
        first_day, last_day = date.fromisoformat(match[1]), date.fromisoformat(match[2])
    except ValueError as exc:
        raise PeriodError(_("“%(code)s” holds a day that does not exist.") % {"code": text[:40]}) from exc
    return day_range(first_day, last_day)


# --- Previous period and labels, per kind -------------------------------------------------------------


def _previous_year(period: Period) -> Period:
    year = calendars.to_calendar(period.start, period.calendar)[0]
    return calendar_year(period.calendar, year - 1)


def _previous_month(period: Period) -> Period:
    year, month, _day = calendars.to_calendar(period.start, period.calendar)
    return (
        calendar_month(period.calendar, year - 1, 12)
        if month == 1
        else calendar_month(period.calendar, year, month - 1)
    )


def _previous_quarter(period: Period) -> Period:
    number = (period.start.month - 1) // 3 + 1
    return quarter(period.start.year - 1, 4) if number == 1 else quarter(period.start.year, number - 1)


def _previous_half(period: Period) -> Period:
    return half_year(period.start.year - 1, 2) if period.start.month == 1 else half_year(period.start.year, 1)


def _previous_fiscal_year(period: Period) -> Period:
    return fiscal_year(period.start.year - 1)


def _previous_range(period: Period) -> Period:
    return day_range(period.start - timedelta(days=period.days), period.start - timedelta(days=1))


_PREVIOUS: Final[dict[str, Callable[[Period], Period]]] = {
    YEAR: _previous_year,
    MONTH: _previous_month,
    QUARTER: _previous_quarter,
    HALF: _previous_half,
    FISCAL_YEAR: _previous_fiscal_year,
    RANGE: _previous_range,
}


def _year_label(period: Period, language: str) -> str:
    year = calendars.to_calendar(period.start, period.calendar)[0]
    if period.calendar == calendars.SOLAR_HIJRI:
        return _("%(year)s (Solar Hijri)") % {"year": year}
    if period.calendar == calendars.BENGALI:
        return _("%(year)s (Bengali year)") % {"year": year}
    return str(year)


def _month_label(period: Period, language: str) -> str:
    year, month, _day = calendars.to_calendar(period.start, period.calendar)
    return f"{calendars.calendar_month_names(period.calendar)[month - 1]} {year}"


def _quarter_label(period: Period, language: str) -> str:
    number = (period.start.month - 1) // 3 + 1
    return _("Quarter %(number)s of %(year)s") % {"number": number, "year": period.start.year}


def _half_label(period: Period, language: str) -> str:
    if period.start.month == 1:
        return _("January–June %(year)s") % {"year": period.start.year}
    return _("July–December %(year)s") % {"year": period.start.year}


def _fiscal_label(period: Period, language: str) -> str:
    return _("Fiscal year %(first)s–%(second)s") % {
        "first": period.start.year,
        "second": f"{(period.start.year + 1) % 100:02d}",
    }


def _range_label(period: Period, language: str) -> str:
    # The user's calendar is not known here; ranges are labelled in Gregorian, as they were typed.
    first = calendars.format_date(period.start, calendars.GREGORIAN, language)
    last = calendars.format_date(period.last_day, calendars.GREGORIAN, language)
    return f"{first} – {last}"


_LABELS: Final[dict[str, Callable[[Period, str], str]]] = {
    YEAR: _year_label,
    MONTH: _month_label,
    QUARTER: _quarter_label,
    HALF: _half_label,
    FISCAL_YEAR: _fiscal_label,
    RANGE: _range_label,
}
