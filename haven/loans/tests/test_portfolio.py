"""Portfolio figures: arrears ageing, PAR 30, recovery rate, per area and per month; set-based queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from haven.benefits.tests.factories import union
from haven.conftest import World
from haven.loans import actions, queries
from haven.loans.tests.helpers import DAY, acting, active, api, at, borrower, product, repay
from haven.orgs.roles import Role

ON = date(2026, 5, 20)  # instalments fell due on 15 Feb, Mar, Apr and May


@pytest.fixture
def book(world: World) -> dict[str, Any]:
    terms = product(world.org)
    punctual = active(terms, borrower(world.org))
    for month in (2, 3, 4):
        repay(punctual, "1050", date(2026, month, 15), f"P-{month}")
    late = active(terms, borrower(world.org, area=union(world.org, "Char union")))
    lost = active(terms)
    repay(lost, "1050", date(2026, 2, 15), "L-1")
    actions.write_off_loan(loan=lost, written_off_on=ON, reason="Died", acting_user=None, at=at(ON))
    return {
        "punctual": punctual,
        "late": late,
        "lost": lost,
        "user": acting(world.members[Role.PROGRAMME_OFFICER]),
    }


def test_par30_counts_active_loans_with_an_instalment_over_30_days_late(book: dict[str, Any]) -> None:
    figures = queries.portfolio(book["user"], "BDT", ON)
    assert figures.active_loans == 2  # the written-off loan has left the portfolio
    assert figures.outstanding_principal == Decimal("21000.00")
    assert figures.at_risk_principal == Decimal("12000.00")
    assert figures.par30 == Decimal("57.1")
    # On 14 March the late loan's first instalment is 27 days late: not yet at risk.
    assert queries.par30(book["user"], "BDT", date(2026, 3, 14)) == Decimal("0.0")


def test_recovery_rate_is_collected_over_due_including_losses(book: dict[str, Any]) -> None:
    figures = queries.portfolio(book["user"], "BDT", ON)
    assert (figures.collected, figures.due) == (Decimal("4200.00"), Decimal("12600.00"))
    assert figures.recovery_rate == Decimal("33.3")
    # Paying in advance does not lift the rate above what was due.
    repay(book["punctual"], "5250", ON, "P-advance")
    assert queries.recovery_rate(book["user"], "BDT", ON) == Decimal("41.7")  # 5250 / 12600


def test_arrears_are_aged_by_due_date_and_loans_by_their_oldest_instalment(book: dict[str, Any]) -> None:
    buckets = {b.label: (b.loans, b.amount) for b in queries.arrears_ageing(book["user"], "BDT", ON)}
    assert buckets == {
        "1-30": (1, Decimal("2100.00")),
        "31-60": (0, Decimal("1050.00")),
        "61-90": (0, Decimal("1050.00")),
        "90+": (1, Decimal("1050.00")),
    }


def test_the_portfolio_per_area_and_per_month(
    book: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(2):
        rows = {row.area: row for row in queries.portfolio_by_area(book["user"], "BDT", ON)}
    assert rows["Char union"].par30 == Decimal("100.0") and rows["Char union"].recovery_rate == Decimal("0.0")
    assert rows["Kaliganj union"].active_loans == 1 and rows["Kaliganj union"].par30 == Decimal("0.0")
    assert rows["Kaliganj union"].recovery_rate == Decimal("50.0")  # (3150 + 1050) / (4200 + 4200)
    months = queries.disbursed_per_month(book["user"], "BDT", date(2026, 1, 1), date(2026, 12, 31))
    assert [(m.month, m.loans, m.amount) for m in months] == [(date(2026, 1, 1), 3, Decimal("36000.00"))]
    assert queries.portfolio_outstanding(book["user"], "BDT") == Decimal("21000.00")


def test_figures_take_a_fixed_number_of_queries(world: World, django_assert_max_num_queries: Any) -> None:
    terms = product(world.org)
    for _n in range(6):
        active(terms, on=DAY)
    user = acting(world.members[Role.PROGRAMME_OFFICER])
    with django_assert_max_num_queries(4):
        queries.portfolio(user, "BDT", ON)
        queries.arrears_ageing(user, "BDT", ON)


def test_outsiders_and_other_roles_see_no_figures(book: dict[str, Any], world: World) -> None:
    for user in (acting(world.outsider), acting(world.members[Role.CASEWORKER])):
        figures = queries.portfolio(user, "BDT", ON)
        assert figures.active_loans == 0 and figures.par30 is None


def test_the_portfolio_on_the_calendars_first_and_last_day(book: dict[str, Any], world: World) -> None:
    officer = world.members[Role.PROGRAMME_OFFICER]
    client = world.client_for(officer)
    for on in ("0001-01-01", "0001-02-15", "9999-12-31"):
        assert client.get(reverse("loans:portfolio"), {"on": on}).status_code == 200
        answer = api(world, officer, "GET", f"/loan-portfolio?on={on}")
        assert answer.status_code == 200, answer.content
    first = queries.portfolio(book["user"], "BDT", date(1, 1, 1))
    assert first.at_risk_principal == Decimal(0) and first.recovery_rate is None
    assert all(b.loans == 0 for b in queries.arrears_ageing(book["user"], "BDT", date(1, 1, 1)))
