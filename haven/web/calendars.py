"""Calendar conversion, digit localization, and date formatting and parsing.

Everything here is a pure function of its arguments (plus Django's active translation and time zone,
which the caller sets up). Dates are always stored as Gregorian ``datetime.date``; the other calendars
exist only at the edges, for display and for typed-in input.

Calendars are identified by the uppercase codes in ``CALENDARS``:

* ``GREGORIAN`` - the proleptic Gregorian calendar of ``datetime``.
* ``SOLAR_HIJRI`` - the Iranian/Afghan calendar, converted with ``jdatetime``.
* ``BENGALI`` - Bangladesh's revised Bengali calendar (Bangla Academy, 2019 revision), converted here.
"""

from __future__ import annotations

import calendar as pycalendar
import contextlib
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Final

import jdatetime
from babel import Locale, UnknownLocaleError
from django.utils import timezone
from django.utils.translation import pgettext, to_locale

GREGORIAN: Final = "GREGORIAN"
SOLAR_HIJRI: Final = "SOLAR_HIJRI"
BENGALI: Final = "BENGALI"
CALENDARS: Final = (GREGORIAN, SOLAR_HIJRI, BENGALI)

# Bengali year = Gregorian year - 593 from 14 April (Pohela Boishakh), - 594 before it.
_BENGALI_YEAR_OFFSET: Final = 593
_BENGALI_NEW_YEAR: Final = (4, 14)

# Inclusive year ranges each calendar accepts. Solar Hijri is bounded by jdatetime; Bengali starts at
# year 1 (594-04-14) and its last year is only partly representable (it runs past 9999-12-31).
_YEAR_RANGES: Final[dict[str, tuple[int, int]]] = {
    GREGORIAN: (1, 9999),
    SOLAR_HIJRI: (int(jdatetime.MINYEAR), int(jdatetime.MAXYEAR)),
    BENGALI: (1, 9999 - _BENGALI_YEAR_OFFSET),
}

# Unicode name of the digit zero of each CLDR numbering system (all "numeric" systems: ten contiguous
# code points, zero to nine). Babel tells us which system a locale uses but carries no digit data.
# Covers every default numbering system in CLDR 47 plus common alternates.
_DIGIT_ZERO_NAMES: Final[dict[str, str]] = {
    "latn": "DIGIT ZERO",
    "arab": "ARABIC-INDIC DIGIT ZERO",
    "arabext": "EXTENDED ARABIC-INDIC DIGIT ZERO",
    "beng": "BENGALI DIGIT ZERO",
    "deva": "DEVANAGARI DIGIT ZERO",
    "guru": "GURMUKHI DIGIT ZERO",
    "gujr": "GUJARATI DIGIT ZERO",
    "orya": "ORIYA DIGIT ZERO",
    "tamldec": "TAMIL DIGIT ZERO",
    "telu": "TELUGU DIGIT ZERO",
    "knda": "KANNADA DIGIT ZERO",
    "mlym": "MALAYALAM DIGIT ZERO",
    "thai": "THAI DIGIT ZERO",
    "laoo": "LAO DIGIT ZERO",
    "tibt": "TIBETAN DIGIT ZERO",
    "mymr": "MYANMAR DIGIT ZERO",
    "khmr": "KHMER DIGIT ZERO",
    "olck": "OL CHIKI DIGIT ZERO",
    "cakm": "CHAKMA DIGIT ZERO",
    "adlm": "ADLAM DIGIT ZERO",
    "nkoo": "NKO DIGIT ZERO",
    "mtei": "MEETEI MAYEK DIGIT ZERO",
    "hmnp": "NYIAKENG PUACHUE HMONG DIGIT ZERO",
}

# Invisible direction marks that pasted right-to-left text often carries; dropped before parsing.
_BIDI_MARKS: Final = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

_DATE_PATTERN: Final = re.compile(r"([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})")


# --- Calendar codes and month lengths -----------------------------------------------------------------


def check_calendar(calendar: str) -> None:
    """Raise ``ValueError`` unless ``calendar`` is one of ``CALENDARS``."""
    if calendar not in CALENDARS:
        raise ValueError(f"Unknown calendar: {calendar!r}.")


def _bengali_month_lengths(year: int) -> tuple[int, ...]:
    """Month lengths of Bengali ``year``.

    Rule: Boishakh..Ashwin (1-6) have 31 days; Kartik, Ogrohayon, Poush, Magh (7-10) have 30;
    Falgun (11) has 30 when the Gregorian year it falls in (``year + 594``) is a leap year, else 29;
    Chaitra (12) has 30. The total always equals the Gregorian span 14 April .. 13 April.
    """
    falgun = 30 if pycalendar.isleap(year + _BENGALI_YEAR_OFFSET + 1) else 29
    return (31, 31, 31, 31, 31, 31, 30, 30, 30, 30, falgun, 30)


def _solar_hijri_is_leap(year: int) -> bool:
    """Whether Solar Hijri ``year`` has 30 days in Esfand (as jdatetime computes it)."""
    return bool(jdatetime.date(year, 1, 1).isleap())


def days_in_month(calendar: str, year: int, month: int) -> int:
    """Number of days in ``month`` (1-12) of ``year`` in ``calendar``.

    Rule for Solar Hijri: months 1-6 have 31 days, 7-11 have 30, Esfand has 30 in leap years, else 29.
    Raises ``ValueError`` for an unknown calendar, a year out of range, or a month outside 1-12.
    """
    check_calendar(calendar)
    low, high = _YEAR_RANGES[calendar]
    if not low <= year <= high:
        raise ValueError("Year is out of range.")
    if not 1 <= month <= 12:
        raise ValueError("Month must be between 1 and 12.")
    if calendar == GREGORIAN:
        return pycalendar.monthrange(year, month)[1]
    if calendar == SOLAR_HIJRI:
        if month <= 6:
            return 31
        if month <= 11:
            return 30
        return 30 if _solar_hijri_is_leap(year) else 29
    return _bengali_month_lengths(year)[month - 1]


def _check_day(calendar: str, year: int, month: int, day: int) -> None:
    """Raise ``ValueError`` unless (year, month, day) is a real date of ``calendar``."""
    if not 1 <= day <= days_in_month(calendar, year, month):
        raise ValueError("Day is out of range for the month.")


# --- Solar Hijri --------------------------------------------------------------------------------------


def to_solar_hijri(d: date) -> tuple[int, int, int]:
    """Gregorian ``d`` as Solar Hijri (year, month, day). ``ValueError`` if before 622-03-21."""
    try:
        converted = jdatetime.date.fromgregorian(year=d.year, month=d.month, day=d.day)
    except ValueError as exc:
        raise ValueError("Date is outside the Solar Hijri range.") from exc
    return int(converted.year), int(converted.month), int(converted.day)


def from_solar_hijri(year: int, month: int, day: int) -> date:
    """Gregorian date of Solar Hijri (year, month, day); ``ValueError`` if that date does not exist."""
    _check_day(SOLAR_HIJRI, year, month, day)
    gregorian: date = jdatetime.date(year, month, day).togregorian()
    return gregorian


# --- Bengali (Bangladesh, revised 2019) ---------------------------------------------------------------


def _bengali_new_year_ordinal(year: int) -> int:
    """Proleptic Gregorian ordinal of 1 Boishakh of Bengali ``year`` (14 April of ``year + 593``)."""
    month, day = _BENGALI_NEW_YEAR
    return date(year + _BENGALI_YEAR_OFFSET, month, day).toordinal()


def to_bengali(d: date) -> tuple[int, int, int]:
    """Gregorian ``d`` as Bengali (year, month, day).

    Rule: the year begins on 14 April, so it is Gregorian year - 593 on/after 14 April and - 594 before.
    ``ValueError`` for dates before 1 Boishakh of year 1 (594-04-14).
    """
    year = d.year - _BENGALI_YEAR_OFFSET
    if (d.month, d.day) < _BENGALI_NEW_YEAR:
        year -= 1
    if year < 1:
        raise ValueError("Date is before the Bengali era.")
    offset = d.toordinal() - _bengali_new_year_ordinal(year)
    for month, length in enumerate(_bengali_month_lengths(year), start=1):
        if offset < length:
            return year, month, offset + 1
        offset -= length
    raise AssertionError("Bengali month lengths do not cover the year.")  # pragma: no cover


def from_bengali(year: int, month: int, day: int) -> date:
    """Gregorian date of Bengali (year, month, day); ``ValueError`` if that date does not exist."""
    _check_day(BENGALI, year, month, day)
    ordinal = _bengali_new_year_ordinal(year) + sum(_bengali_month_lengths(year)[: month - 1]) + day - 1
    try:
        return date.fromordinal(ordinal)
    except (ValueError, OverflowError) as exc:
        raise ValueError("Year is out of range.") from exc


# --- Dispatch by calendar code ------------------------------------------------------------------------


def to_calendar(d: date, calendar: str) -> tuple[int, int, int]:
    """Gregorian ``d`` as (year, month, day) in ``calendar``."""
    check_calendar(calendar)
    if calendar == SOLAR_HIJRI:
        return to_solar_hijri(d)
    if calendar == BENGALI:
        return to_bengali(d)
    return d.year, d.month, d.day


def from_calendar(year: int, month: int, day: int, calendar: str) -> date:
    """Gregorian date of (year, month, day) written in ``calendar``; ``ValueError`` if it does not exist."""
    check_calendar(calendar)
    if calendar == SOLAR_HIJRI:
        return from_solar_hijri(year, month, day)
    if calendar == BENGALI:
        return from_bengali(year, month, day)
    _check_day(GREGORIAN, year, month, day)
    return date(year, month, day)


# --- Month names (translated at call time; literal pgettext calls so makemessages finds them) ----------


def _gregorian_month_names() -> list[str]:
    """Gregorian month names in the active language."""
    return [
        pgettext("Gregorian month", "January"),
        pgettext("Gregorian month", "February"),
        pgettext("Gregorian month", "March"),
        pgettext("Gregorian month", "April"),
        pgettext("Gregorian month", "May"),
        pgettext("Gregorian month", "June"),
        pgettext("Gregorian month", "July"),
        pgettext("Gregorian month", "August"),
        pgettext("Gregorian month", "September"),
        pgettext("Gregorian month", "October"),
        pgettext("Gregorian month", "November"),
        pgettext("Gregorian month", "December"),
    ]


def _solar_hijri_month_names() -> list[str]:
    """Solar Hijri (Iranian) month names in the active language."""
    return [
        pgettext("Solar Hijri month", "Farvardin"),
        pgettext("Solar Hijri month", "Ordibehesht"),
        pgettext("Solar Hijri month", "Khordad"),
        pgettext("Solar Hijri month", "Tir"),
        pgettext("Solar Hijri month", "Mordad"),
        pgettext("Solar Hijri month", "Shahrivar"),
        pgettext("Solar Hijri month", "Mehr"),
        pgettext("Solar Hijri month", "Aban"),
        pgettext("Solar Hijri month", "Azar"),
        pgettext("Solar Hijri month", "Dey"),
        pgettext("Solar Hijri month", "Bahman"),
        pgettext("Solar Hijri month", "Esfand"),
    ]


def _bengali_month_names() -> list[str]:
    """Bengali month names in the active language."""
    return [
        pgettext("Bengali month", "Boishakh"),
        pgettext("Bengali month", "Joishtho"),
        pgettext("Bengali month", "Asharh"),
        pgettext("Bengali month", "Srabon"),
        pgettext("Bengali month", "Bhadro"),
        pgettext("Bengali month", "Ashwin"),
        pgettext("Bengali month", "Kartik"),
        pgettext("Bengali month", "Ogrohayon"),
        pgettext("Bengali month", "Poush"),
        pgettext("Bengali month", "Magh"),
        pgettext("Bengali month", "Falgun"),
        pgettext("Bengali month", "Chaitra"),
    ]


_MONTH_NAMES: Final[dict[str, Callable[[], list[str]]]] = {
    GREGORIAN: _gregorian_month_names,
    SOLAR_HIJRI: _solar_hijri_month_names,
    BENGALI: _bengali_month_names,
}


def calendar_month_names(calendar: str) -> list[str]:
    """The twelve month names of ``calendar``, first month first, translated into the active language."""
    check_calendar(calendar)
    return _MONTH_NAMES[calendar]()


# --- Digits -------------------------------------------------------------------------------------------


def _digits_of_numbering_system(numbering_system: str) -> str:
    """The ten digits 0-9 of a CLDR numbering system; ``ValueError`` if it is not a known digit system."""
    try:
        zero = ord(unicodedata.lookup(_DIGIT_ZERO_NAMES[numbering_system]))
    except KeyError as exc:
        raise ValueError(f"Unsupported numbering system: {numbering_system!r}.") from exc
    return "".join(chr(zero + value) for value in range(10))


def _babel_locale(language: str) -> Locale:
    """Babel locale for a Django language code such as ``fa``, ``pt-br`` or ``sr-latn``."""
    try:
        return Locale.parse(to_locale(language))
    except (ValueError, UnknownLocaleError) as exc:
        raise ValueError(f"Unknown language: {language!r}.") from exc


@lru_cache(maxsize=64)
def language_digits(language: str) -> str:
    """The ten digits 0-9 of ``language``'s default numbering system per Babel/CLDR.

    Rule: e.g. ``fa`` gives Extended Arabic-Indic, ``bn`` Bengali, ``en`` ASCII. ``ValueError`` if the
    language is unknown to Babel.
    """
    return _digits_of_numbering_system(_babel_locale(language).default_numbering_system)


@lru_cache(maxsize=64)
def _localize_table(language: str) -> dict[int, str]:
    """``str.translate`` table from ASCII digits to ``language``'s digits."""
    return {ord("0") + value: digit for value, digit in enumerate(language_digits(language))}


def localize_digits(text: str, language: str) -> str:
    """Replace ASCII digits in ``text`` with ``language``'s digits; other characters are unchanged."""
    return text.translate(_localize_table(language))


@lru_cache(maxsize=1)
def _ascii_table() -> dict[int, str | None]:
    """``str.translate`` table from every supported digit set to ASCII, also dropping bidi marks."""
    table: dict[int, str | None] = dict.fromkeys(map(ord, _BIDI_MARKS))
    for numbering_system in _DIGIT_ZERO_NAMES:
        for value, digit in enumerate(_digits_of_numbering_system(numbering_system)):
            table[ord(digit)] = str(value)
    return table


def delocalize_digits(text: str) -> str:
    """Replace any supported localized digit in ``text`` with its ASCII digit and drop bidi marks."""
    return text.translate(_ascii_table())


# --- Formatting and parsing ---------------------------------------------------------------------------


def format_date(d: date, calendar: str, language: str) -> str:
    """``d`` as "day month-name year" in ``calendar``, e.g. "1 Farvardin 1378".

    Month names come from the active translation; only the digits follow ``language``. A date that
    ``calendar`` cannot write (a Solar Hijri date before 622 or after 20 March 9999, a Bengali one
    before 594) is shown in the Gregorian calendar, its month name telling which: a record with a
    mistyped year must still open for the person who can correct it.
    """
    check_calendar(calendar)
    try:
        year, month, day = to_calendar(d, calendar)
    except ValueError:
        calendar = GREGORIAN
        year, month, day = d.year, d.month, d.day
    month_name = calendar_month_names(calendar)[month - 1]
    return f"{localize_digits(str(day), language)} {month_name} {localize_digits(str(year), language)}"


def format_datetime(dt: datetime, calendar: str, language: str) -> str:
    """``dt`` as ``format_date`` plus " HH:MM" (24-hour), digits in ``language``.

    Aware datetimes are first converted to the current Django time zone; naive ones are used as they are.
    """
    if timezone.is_aware(dt):
        with contextlib.suppress(OverflowError):  # within hours of the calendar's ends: kept in UTC
            dt = timezone.localtime(dt)
    clock = localize_digits(f"{dt.hour:02d}:{dt.minute:02d}", language)
    return f"{format_date(dt.date(), calendar, language)} {clock}"


def parse_date(text: str, calendar: str) -> date:
    """Gregorian date of ``text`` written as "YYYY-MM-DD" or "YYYY/MM/DD" in ``calendar``.

    Rule: digits may be ASCII or any localized set (Persian, Arabic-Indic, Bengali, Devanagari,
    Gurmukhi, ...), surrounding whitespace and bidi marks are ignored, and both separators must match.
    Raises ``ValueError`` with a short English message for any text that is not a real date.
    """
    check_calendar(calendar)
    match = _DATE_PATTERN.fullmatch(delocalize_digits(text).strip())
    if match is None:
        raise ValueError("Enter a date as YYYY-MM-DD.")
    year, _separator, month, day = match.groups()
    return from_calendar(int(year), int(month), int(day), calendar)
