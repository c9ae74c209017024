"""Tests for haven.web.calendars: conversions, digits, formatting and parsing (no database)."""

# The test data is deliberately written in non-Latin digits that look like Latin letters.

import os
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel import localedata
from django.conf import settings
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

if not settings.configured and "DJANGO_SETTINGS_MODULE" not in os.environ:
    settings.configure(USE_I18N=False, USE_TZ=True, TIME_ZONE="UTC")

from haven.web import calendars
from haven.web.calendars import (
    BENGALI,
    CALENDARS,
    GREGORIAN,
    SOLAR_HIJRI,
    calendar_month_names,
    days_in_month,
    format_date,
    format_datetime,
    from_bengali,
    from_calendar,
    from_solar_hijri,
    language_digits,
    localize_digits,
    parse_date,
    to_bengali,
    to_calendar,
    to_solar_hijri,
)

modern_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


# --- Solar Hijri ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("solar_hijri", "gregorian"),
    [
        ((1378, 1, 1), date(1999, 3, 21)),
        ((1397, 12, 29), date(2019, 3, 20)),
        ((1398, 1, 1), date(2019, 3, 21)),
        ((1399, 12, 30), date(2021, 3, 20)),
        ((1403, 12, 30), date(2025, 3, 20)),
    ],
)
def test_it_converts_known_solar_hijri_dates(solar_hijri: tuple[int, int, int], gregorian: date) -> None:
    assert from_solar_hijri(*solar_hijri) == gregorian
    assert to_solar_hijri(gregorian) == solar_hijri


@given(modern_dates)
def test_it_round_trips_solar_hijri(d: date) -> None:
    assert from_solar_hijri(*to_solar_hijri(d)) == d


# --- Bengali --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("gregorian_year", [1971, 1999, 2000, 2019, 2023, 2024, 2025, 2100])
def test_it_starts_the_bengali_year_on_14_april(gregorian_year: int) -> None:
    assert to_bengali(date(gregorian_year, 4, 14)) == (gregorian_year - 593, 1, 1)
    assert to_bengali(date(gregorian_year, 4, 13)) == (gregorian_year - 594, 12, 30)
    assert from_bengali(gregorian_year - 593, 1, 1) == date(gregorian_year, 4, 14)


@pytest.mark.parametrize(
    ("gregorian", "bengali"),
    [
        (date(2024, 4, 14), (1431, 1, 1)),
        (date(2024, 12, 16), (1431, 9, 1)),  # Victory Day: 1 Poush
        (date(2025, 2, 21), (1431, 11, 8)),  # Language Martyrs' Day: 8 Falgun
        (date(2025, 3, 26), (1431, 12, 12)),  # Independence Day: 12 Chaitra
        (date(2024, 2, 21), (1430, 11, 8)),
        (date(2024, 3, 26), (1430, 12, 12)),
        (date(2024, 3, 14), (1430, 11, 30)),  # 2024 is leap: Falgun has 30 days
        (date(2024, 3, 15), (1430, 12, 1)),
        (date(2023, 3, 14), (1429, 11, 29)),  # 2023 is not: Falgun has 29 days
        (date(2023, 3, 15), (1429, 12, 1)),
        (date(2024, 10, 16), (1431, 6, 31)),
        (date(2024, 10, 17), (1431, 7, 1)),
    ],
)
def test_it_converts_known_bengali_dates(gregorian: date, bengali: tuple[int, int, int]) -> None:
    assert to_bengali(gregorian) == bengali
    assert from_bengali(*bengali) == gregorian


@pytest.mark.parametrize("year", [1990, 2000, 2023, 2024, 2025, 2100])
def test_it_keeps_national_days_fixed_in_bengali(year: int) -> None:
    assert to_bengali(date(year, 12, 16))[1:] == (9, 1)
    assert to_bengali(date(year, 2, 21))[1:] == (11, 8)
    assert to_bengali(date(year, 3, 26))[1:] == (12, 12)


def test_it_gives_falgun_30_days_only_when_its_gregorian_year_is_leap() -> None:
    assert days_in_month(BENGALI, 1430, 11) == 30  # Falgun 1430 falls in 2024
    assert days_in_month(BENGALI, 1429, 11) == 29  # Falgun 1429 falls in 2023
    assert days_in_month(BENGALI, 1306, 11) == 29  # Falgun 1306 falls in 1900, not leap
    assert days_in_month(BENGALI, 1406, 11) == 30  # Falgun 1406 falls in 2000, leap
    with pytest.raises(ValueError, match="Day"):
        from_bengali(1429, 11, 30)


def test_it_advances_bengali_dates_one_day_at_a_time() -> None:
    previous = to_bengali(date(1900, 1, 1))
    d = date(1900, 1, 2)
    while d <= date(2100, 12, 31):
        current = to_bengali(d)
        year, month, day = previous
        if day < days_in_month(BENGALI, year, month):
            assert current == (year, month, day + 1)
        elif month < 12:
            assert current == (year, month + 1, 1)
        else:
            assert current == (year + 1, 1, 1)
        previous = current
        d += timedelta(days=1)


@given(modern_dates)
def test_it_round_trips_bengali(d: date) -> None:
    assert from_bengali(*to_bengali(d)) == d


@given(modern_dates, st.sampled_from(CALENDARS))
def test_it_round_trips_every_calendar(d: date, calendar: str) -> None:
    assert from_calendar(*to_calendar(d, calendar), calendar) == d


def test_it_rejects_dates_before_the_bengali_era() -> None:
    with pytest.raises(ValueError, match="Bengali era"):
        to_bengali(date(594, 4, 13))
    assert to_bengali(date(594, 4, 14)) == (1, 1, 1)


# --- Digits ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fa", "۰۱۲۳۴۵۶۷۸۹"),
        ("bn", "০১২৩৪৫৬৭৮৯"),
        ("en", "0123456789"),
        ("ar", "0123456789"),  # CLDR's default for plain "ar" is Latin digits
        ("ar-eg", "٠١٢٣٤٥٦٧٨٩"),
        ("ps", "۰۱۲۳۴۵۶۷۸۹"),
        ("mr", "०१२३४५६७८९"),
    ],
)
def test_it_localizes_digits(language: str, expected: str) -> None:
    assert localize_digits("0123456789", language) == expected
    assert language_digits(language) == expected


def test_it_leaves_non_digits_alone() -> None:
    assert localize_digits("Case 12-a/7:", "fa") == "Case ۱۲-a/۷:"


def test_it_rejects_unknown_languages() -> None:
    for language in ("xx", "", "not a language"):
        with pytest.raises(ValueError, match="Unknown language"):
            localize_digits("1", language)


def test_it_knows_the_digits_of_every_babel_locale() -> None:
    for identifier in localedata.locale_identifiers():
        assert len(language_digits(identifier.replace("_", "-"))) == 10


# --- Month names and formatting -------------------------------------------------------------------------


def test_it_formats_solar_hijri_with_persian_digits() -> None:
    with translation.override("en"):
        assert format_date(date(1999, 3, 21), SOLAR_HIJRI, "fa") == "۱ Farvardin ۱۳۷۸"
        assert format_date(date(2019, 3, 20), SOLAR_HIJRI, "en") == "29 Esfand 1397"


def test_it_formats_bengali_with_bengali_digits() -> None:
    with translation.override("en"):
        assert format_date(date(2024, 4, 14), BENGALI, "bn") == "১ Boishakh ১৪৩১"
        assert format_date(date(2024, 12, 16), BENGALI, "bn") == "১ Poush ১৪৩১"


def test_it_formats_gregorian() -> None:
    with translation.override("en"):
        assert format_date(date(2024, 2, 29), GREGORIAN, "en") == "29 February 2024"


def test_it_translates_month_names_with_calendar_contexts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calendars, "pgettext", lambda context, message: f"<{context}:{message}>")
    assert format_date(date(1999, 3, 21), SOLAR_HIJRI, "en") == "1 <Solar Hijri month:Farvardin> 1378"
    assert format_date(date(2024, 4, 14), BENGALI, "en") == "1 <Bengali month:Boishakh> 1431"
    assert format_date(date(2024, 1, 5), GREGORIAN, "en") == "5 <Gregorian month:January> 2024"


def test_it_lists_twelve_month_names_per_calendar() -> None:
    with translation.override("en"):
        assert calendar_month_names(SOLAR_HIJRI)[11] == "Esfand"
        assert calendar_month_names(BENGALI)[0] == "Boishakh"
        assert calendar_month_names(GREGORIAN)[11] == "December"
        assert all(len(calendar_month_names(calendar)) == 12 for calendar in CALENDARS)


def test_it_formats_aware_datetimes_in_the_current_time_zone() -> None:
    moment = datetime(2024, 3, 19, 21, 5, tzinfo=UTC)  # 2024-03-20 00:35 in Tehran
    with translation.override("en"), timezone.override(ZoneInfo("Asia/Tehran")):
        assert format_datetime(moment, SOLAR_HIJRI, "fa") == "۱ Farvardin ۱۴۰۳ ۰۰:۳۵"
    with translation.override("en"), timezone.override(ZoneInfo("Asia/Dhaka")):
        assert format_datetime(moment, BENGALI, "bn") == "৬ Chaitra ১৪৩০ ০৩:০৫"


def test_it_formats_naive_datetimes_as_they_are() -> None:
    with translation.override("en"):
        assert format_datetime(datetime(2024, 4, 14, 9, 7), GREGORIAN, "en") == "14 April 2024 09:07"


# --- Parsing --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "calendar", "expected"),
    [
        ("1378-01-01", SOLAR_HIJRI, date(1999, 3, 21)),
        ("۱۳۷۸-۰۱-۰۱", SOLAR_HIJRI, date(1999, 3, 21)),
        ("۱۳۹۷/۱۲/۲۹", SOLAR_HIJRI, date(2019, 3, 20)),
        ("١٣٩٨/١/١", SOLAR_HIJRI, date(2019, 3, 21)),  # Arabic-Indic digits, no zero padding
        ("\u200f۱۴۰۳/۱۲/۳۰\u200f", SOLAR_HIJRI, date(2025, 3, 20)),  # bidi marks from pasted text
        ("১৪৩১-০১-০১", BENGALI, date(2024, 4, 14)),
        ("1430-11-30", BENGALI, date(2024, 3, 14)),
        (" 2024-02-29 ", GREGORIAN, date(2024, 2, 29)),
        ("२०२४-०२-२९", GREGORIAN, date(2024, 2, 29)),  # Devanagari
        ("੨੦੨੪/੦੨/੨੯", GREGORIAN, date(2024, 2, 29)),  # Gurmukhi
    ],
)
def test_it_parses_dates(text: str, calendar: str, expected: date) -> None:
    assert parse_date(text, calendar) == expected


@pytest.mark.parametrize(
    ("text", "calendar"),
    [
        ("", SOLAR_HIJRI),
        ("yesterday", SOLAR_HIJRI),
        ("1378-01", SOLAR_HIJRI),
        ("78-01-01", SOLAR_HIJRI),
        ("1378-01/01", SOLAR_HIJRI),
        ("1378-13-01", SOLAR_HIJRI),
        ("۱۳۷۸-۰۰-۰۱", SOLAR_HIJRI),
        ("1378-01-32", SOLAR_HIJRI),
        ("1378-07-31", SOLAR_HIJRI),
        ("۱۴۰۲-۱۲-۳۰", SOLAR_HIJRI),  # 1402 is not a leap year
        ("1429-11-30", BENGALI),
        ("1431-01-32", BENGALI),
        ("2023-02-29", GREGORIAN),
        ("0000-01-01", GREGORIAN),
        ("2024-01-01", "JULIAN"),
    ],
)
def test_it_rejects_bad_dates(text: str, calendar: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - messages vary by cause
        parse_date(text, calendar)


def test_it_rejects_unknown_calendars() -> None:
    with pytest.raises(ValueError, match="Unknown calendar"):
        to_calendar(date(2024, 1, 1), "gregorian")
    with pytest.raises(ValueError, match="Unknown calendar"):
        format_date(date(2024, 1, 1), "LUNAR_HIJRI", "en")


@pytest.mark.parametrize(
    ("value", "calendar", "expected"),
    [
        (date(1, 1, 1), SOLAR_HIJRI, "1 January 1"),
        (date(593, 6, 1), BENGALI, "1 June 593"),
        (date(9999, 12, 31), SOLAR_HIJRI, "31 December 9999"),
    ],
)
def test_it_shows_a_date_its_calendar_cannot_write_in_the_gregorian_one(
    value: date, calendar: str, expected: str
) -> None:
    """A mistyped year (0001, 9999) must not make the record unreadable for a Solar Hijri or Bengali
    reader: the page shows the Gregorian date, whose month name says which calendar it is."""
    with translation.override("en"):
        assert format_date(value, calendar, "en") == expected


def test_it_shows_a_time_at_the_calendar_s_last_hour_in_utc() -> None:
    moment = datetime(9999, 12, 31, 23, 30, tzinfo=UTC)
    with timezone.override(ZoneInfo("Asia/Tehran")), translation.override("en"):
        assert format_datetime(moment, GREGORIAN, "en") == "31 December 9999 23:30"
