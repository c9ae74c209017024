"""Reconciliation and the figures for reports: where each entitlement of a cycle stands, the success
rate per cycle and provider, and the amounts paid against the amounts due."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from haven.accounts.models import User
from haven.benefits.models import Cycle
from haven.benefits.payments import actions, queries
from haven.benefits.payments.tests import factories
from haven.conftest import World
from haven.orgs.roles import Role


def acting(world: World, role: Role) -> User:
    member = world.members[role]
    member.user.active_membership = member
    return member.user


def test_it_tells_where_every_entitlement_stands(world: World, cycle: Cycle) -> None:
    factories.entitlements(cycle, 5)
    factories.entitlement(cycle, number="")  # never in a batch
    batch = factories.sent_batch(cycle)
    p1, p2, p3, p4, _p5 = batch.payments.order_by("pk")
    content = factories.results(
        batch, [(p1, "PAID", ""), (p2, "PAID", ""), (p3, "FAILED", "E1001"), (p4, "FAILED", "E9000")]
    )
    actions.import_statuses(
        batch=batch, file_name="r.csv", content=content, acting_user=None, at=timezone.now()
    )

    figures = queries.cycle_reconciliation(cycle)
    assert figures.due == queries.Tally(6, Decimal("4800.00"))
    assert figures.paid == queries.Tally(2, Decimal("1600.00"))
    assert figures.pending.count == 1
    assert figures.awaiting_correction.count == 1  # wallet not found
    assert figures.ready_for_retry.count == 1  # a temporary problem: retried as it is
    assert figures.not_in_batch.count == 1
    assert figures.retried == 0

    totals = queries.batch_totals(batch)
    assert totals.matches_control
    assert [(reason, tally.count) for reason, tally in totals.failed_by_reason] == [
        ("A temporary problem at the provider", 1),
        ("No wallet with this number", 1),
    ]

    retry = actions.create_batch(cycle=cycle, provider="BKASH", acting_user=None, at=timezone.now())
    assert retry.control_count == 1
    assert queries.cycle_reconciliation(cycle).retried == 1

    user = acting(world, Role.PROGRAMME_OFFICER)
    (rate,) = queries.success_rates(user)
    assert (rate.provider, rate.paid.count, rate.failed, rate.pending, rate.rate) == ("BKASH", 2, 2, 2, 50.0)
    (row,) = queries.paid_versus_due(user)
    assert (row.due, row.paid, row.share_paid) == (Decimal("4800.00"), Decimal("1600.00"), 33.3)
    assert queries.success_rates(acting(world, Role.CASEWORKER)) == []
    world.outsider.user.active_membership = world.outsider
    assert queries.success_rates(world.outsider.user) == []
