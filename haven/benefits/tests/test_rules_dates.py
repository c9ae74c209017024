"""Date-derived fields compile to date bounds; the bounds must mean exactly what the whole numbers mean,
birthdays on 29 February and short months included."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from haven.benefits import rules

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(born_on=dates, on=dates, years=st.integers(min_value=0, max_value=120))
def test_age_at_least_is_a_birth_date_bound(born_on: date, on: date, years: int) -> None:
    assert (rules.age_on(born_on, on) >= years) == (born_on <= rules.years_before(on, years))


def test_a_29_february_birthday_counts_from_1_march_in_a_common_year() -> None:
    assert rules.age_on(date(2004, 2, 29), date(2024, 2, 28)) == 19
    assert rules.age_on(date(2004, 2, 29), date(2023, 3, 1)) == 19
    assert rules.age_on(date(2004, 2, 29), date(2023, 2, 28)) == 18
    assert rules.years_before(date(2028, 2, 29), 3) == date(2025, 2, 28)


@given(on=dates, until=dates, months=st.integers(min_value=-120, max_value=120))
def test_months_to_delivery_at_least_is_a_due_date_bound(on: date, until: date, months: int) -> None:
    assert (rules.months_until(on, until) >= months) == (until >= rules.add_months(on, months))


def test_add_months_clamps_to_the_end_of_a_short_month() -> None:
    assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert rules.add_months(date(2026, 5, 15), -48) == date(2022, 5, 15)
