"""Reporting periods: each code names the right Gregorian days, reads back, and steps back one period."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from haven.reports.periods import PeriodError, current_period, parse_period
from haven.web import calendars


@pytest.mark.parametrize(
    ("code", "start", "last_day"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025-Q4", date(2025, 10, 1), date(2025, 12, 31)),
        ("2025-H1", date(2025, 1, 1), date(2025, 6, 30)),
        ("2025-H2", date(2025, 7, 1), date(2025, 12, 31)),
        ("FY2024", date(2024, 7, 1), date(2025, 6, 30)),
        # Mordad 1403 = 22 July - 21 August 2024; Esfand 1403 (not leap) has 29 days, ending 20 March 2025.
        ("SH1403-05", date(2024, 7, 22), date(2024, 8, 21)),
        ("SH1403-12", date(2025, 2, 19), date(2025, 3, 20)),
        ("SH1403", date(2024, 3, 20), date(2025, 3, 20)),
        # Bengali 1431 begins on Pohela Boishakh, 14 April 2024; Boishakh has 31 days.
        ("BN1431", date(2024, 4, 14), date(2025, 4, 13)),
        ("BN1431-01", date(2024, 4, 14), date(2024, 5, 14)),
        ("2025-01-05..2025-03-31", date(2025, 1, 5), date(2025, 3, 31)),
    ],
)
def test_a_period_code_names_the_right_gregorian_days(code: str, start: date, last_day: date) -> None:
    period = parse_period(code)
    assert (period.start, period.last_day) == (start, last_day)
    assert parse_period(period.code) == period
    assert period.contains(start) and period.contains(last_day)
    assert not period.contains(period.end)


@pytest.mark.parametrize(
    ("code", "previous"),
    [
        ("2025", "2024"),
        ("2025-01", "2024-12"),
        ("2025-Q1", "2024-Q4"),
        ("2025-H1", "2024-H2"),
        ("2025-H2", "2025-H1"),
        ("FY2024", "FY2023"),
        ("SH1403-01", "SH1402-12"),
        ("BN1431", "BN1430"),
        ("2025-03-01..2025-03-10", "2025-02-19..2025-02-28"),
    ],
)
def test_the_previous_period_is_the_same_kind_one_step_back(code: str, previous: str) -> None:
    assert parse_period(code).previous().code == previous


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_the_months_of_each_calendar_tile_the_days_without_gaps(day: date) -> None:
    for calendar in calendars.CALENDARS:
        month = current_period("MONTH", calendar, day)
        assert month.contains(day)
        assert month.previous().end == month.start
        assert parse_period(month.code) == month


@pytest.mark.parametrize(
    "code", ["", "2025-13", "2025-Q5", "SH1403-00", "2025-02-30..2025-03-01", "FY", "last year"]
)
def test_a_wrong_code_is_refused_with_a_message_that_says_what_is_accepted(code: str) -> None:
    with pytest.raises(PeriodError) as refused:
        parse_period(code)
    assert str(refused.value)


def test_the_edges_of_the_calendar_are_refused_not_overflowed() -> None:
    with pytest.raises(PeriodError, match="outside the years"):
        parse_period("2025-01-01..9999-12-31")
    for code in ("0001", "0001-01", "0001-01-01..0001-01-05", "SH0001"):
        with pytest.raises(PeriodError, match="outside the years"):
            parse_period(code).previous()


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(PeriodError, match="cannot end before"):
        parse_period("2025-03-10..2025-03-01")


def test_labels_read_in_the_calendar_and_digits_of_the_language() -> None:
    with translation.override("fa"):
        label = parse_period("SH1403-05").label("fa")
    assert "۱۴۰۳" in label  # Persian digits
    with translation.override("en"):
        assert parse_period("SH1403-05").label("en") == "Mordad 1403"
        assert parse_period("FY2024").label("en") == "Fiscal year 2024–25"
    with translation.override("bn"):
        assert "১৪৩১" in parse_period("BN1431").label("bn")


def test_persian_digits_typed_in_a_code_are_read() -> None:
    assert parse_period("SH۱۴۰۳-۰۵") == parse_period("SH1403-05")
