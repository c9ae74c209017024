"""Repayment schedules and the allocation of repayments: pure arithmetic on integer minor units.

Conventions (shown to staff on the product page and in docs):

- **Flat service charge**: principal x yearly rate x term in years (term months / 12), computed once on
  the principal disbursed, rounded half up to the currency's minor unit. A 12-month loan of Tk 20,000 at
  5 % carries Tk 1,000; over 24 months, Tk 2,000.
- **Instalments**: monthly instalments are one a month for the term; weekly instalments are
  term months x 52 / 12, rounded (52 for a year, 104 for two). Principal and service charge are each
  split equally; what does not divide evenly (the rounding remainder) falls on the last instalment, so
  the instalments add up to principal + charge exactly.
- **Dates**: the grace period (in days) starts on the day the money is paid out; instalment k falls k
  weeks or k months after the grace period ends. A month later than the 31st is the last day of a shorter
  month (31 January → 28 February → 31 March: each date is counted from the start, so days never drift).
- **Allocation**: a repayment goes to the oldest instalment with something unpaid, service charge first,
  then principal, then on to the next; money beyond what is due so far pays later instalments in
  advance. More than the whole balance is refused (see `actions.record_repayment`).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

WEEKLY = "WEEKLY"
MONTHLY = "MONTHLY"


@dataclass(frozen=True)
class Line:
    number: int
    due_on: date
    principal: int
    charge: int


@dataclass(frozen=True)
class Due:
    """What is still unpaid on one instalment, in the order allocation visits them."""

    key: int
    charge: int
    principal: int


def flat_charge(principal: int, percent_a_year: Decimal, term_months: int) -> int:
    """The service charge of the whole term in minor units, rounded half up."""
    exact = Decimal(principal) * percent_a_year / 100 * Decimal(term_months) / 12
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def instalment_count(frequency: str, term_months: int) -> int:
    if frequency == WEEKLY:
        return max(1, int((Decimal(term_months * 52) / 12).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    return term_months


def add_months(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_dates(starts_on: date, frequency: str, count: int, grace_days: int) -> list[date]:
    anchor = starts_on + timedelta(days=grace_days)
    if frequency == WEEKLY:
        return [anchor + timedelta(weeks=k) for k in range(1, count + 1)]
    return [add_months(anchor, k) for k in range(1, count + 1)]


def split(total: int, count: int) -> list[int]:
    """`count` equal parts of `total`, the remainder on the last: split(1000, 3) == [333, 333, 334]."""
    part = total // count
    return [part] * (count - 1) + [total - part * (count - 1)]


def build(principal: int, charge: int, dates: Sequence[date]) -> list[Line]:
    principals, charges = split(principal, len(dates)), split(charge, len(dates))
    return [
        Line(number=k + 1, due_on=day, principal=principals[k], charge=charges[k])
        for k, day in enumerate(dates)
    ]


def allocate(amount: int, dues: Sequence[Due]) -> list[tuple[int, int, int]]:
    """Spread `amount` over `dues` (oldest first): [(key, charge, principal), …] for the instalments it
    reaches. The caller has checked that `amount` is no more than the total unpaid."""
    parts: list[tuple[int, int, int]] = []
    left = amount
    for due in dues:
        if left <= 0:
            break
        charge = min(left, due.charge)
        principal = min(left - charge, due.principal)
        left -= charge + principal
        if charge or principal:
            parts.append((due.key, charge, principal))
    return parts
