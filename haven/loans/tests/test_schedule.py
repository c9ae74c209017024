"""Schedule arithmetic: exact sums, the remainder on the last instalment, dates, and allocation order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from haven.loans import schedule as plan


def test_it_charges_the_flat_rate_for_the_term_in_years() -> None:
    assert plan.flat_charge(2_000_000, Decimal("5"), 12) == 100_000  # Tk 20,000 for a year: Tk 1,000
    assert plan.flat_charge(2_000_000, Decimal("5"), 24) == 200_000
    assert plan.flat_charge(1_000_001, Decimal("5"), 18) == 75_000  # 75,000.075 rounds half up to 75,000
    assert plan.flat_charge(1_000_010, Decimal("5"), 18) == 75_001  # 75,000.75 → 75,001


def test_it_counts_weekly_instalments_from_the_term() -> None:
    assert plan.instalment_count("WEEKLY", 12) == 52
    assert plan.instalment_count("WEEKLY", 24) == 104
    assert plan.instalment_count("MONTHLY", 18) == 18


def test_it_keeps_month_ends_without_drifting() -> None:
    dates = plan.due_dates(date(2026, 1, 31), "MONTHLY", 3, grace_days=0)
    assert dates == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]


def test_it_starts_after_the_grace_period() -> None:
    assert plan.due_dates(date(2026, 1, 1), "WEEKLY", 2, grace_days=14) == [
        date(2026, 1, 22),
        date(2026, 1, 29),
    ]
    assert plan.due_dates(date(2026, 1, 1), "MONTHLY", 1, grace_days=30)[0] == date(
        2026, 2, 28
    )  # 31 Jan + 1 month


@given(
    principal=st.integers(min_value=1, max_value=10**11),
    rate=st.decimals(min_value=0, max_value=100, places=2),
    term=st.integers(min_value=1, max_value=60),
    weekly=st.booleans(),
)
def test_it_adds_up_to_principal_and_charge_exactly(
    principal: int, rate: Decimal, term: int, weekly: bool
) -> None:
    frequency = "WEEKLY" if weekly else "MONTHLY"
    charge = plan.flat_charge(principal, rate, term)
    count = plan.instalment_count(frequency, term)
    lines = plan.build(principal, charge, plan.due_dates(date(2026, 1, 31), frequency, count, 0))
    assert sum(line.principal for line in lines) == principal
    assert sum(line.charge for line in lines) == charge
    assert len({line.principal for line in lines[:-1]}) <= 1  # equal but for the last
    assert 0 <= lines[-1].principal - lines[0].principal < count
    assert [line.due_on for line in lines] == sorted({line.due_on for line in lines})


@given(
    amount=st.integers(min_value=0, max_value=10_000),
    dues=st.lists(st.tuples(st.integers(0, 500), st.integers(0, 5000)), min_size=1, max_size=20),
)
def test_it_allocates_oldest_first_charge_before_principal(amount: int, dues: list[tuple[int, int]]) -> None:
    owed = [plan.Due(key=k, charge=c, principal=p) for k, (c, p) in enumerate(dues)]
    amount = min(amount, sum(c + p for c, p in dues))
    parts = plan.allocate(amount, owed)
    assert sum(c + p for _k, c, p in parts) == amount
    for index, (key, charge, principal) in enumerate(parts):
        due = owed[key]
        assert charge <= due.charge and principal <= due.principal
        assert principal == 0 or charge == due.charge  # principal only once the charge is paid
        if index < len(parts) - 1:
            assert (charge, principal) == (due.charge, due.principal)  # only the last one is partial
