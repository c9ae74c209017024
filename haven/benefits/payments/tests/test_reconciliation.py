"""Reconciliation and the figures for reports: where each entitlement of a cycle stands, the success
rate per cycle and provider, and the amounts paid against the amounts due."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import User
from haven.benefits import actions as benefit_actions
from haven.benefits.models import Cycle
from haven.benefits.payments import actions, queries
from haven.benefits.payments.tests import factories
from haven.benefits.payments.tests.conftest import api
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


def test_an_entitlement_stopped_by_her_exit_is_reported_as_stopped_not_as_owed(
    world: World, cycle: Cycle
) -> None:
    """A woman who exited before the cycle's month is never paid for it (the batch leaves her out): the
    reconciliation says so instead of listing her money as still to be paid or her wallet as to correct."""
    failed_then_moved = factories.entitlement(cycle)
    batch = factories.sent_batch(cycle)
    content = factories.results(batch, [(batch.payments.get(), "FAILED", "E1001")])  # wallet not found
    actions.import_statuses(
        batch=batch, file_name="r.csv", content=content, acting_user=None, at=timezone.now()
    )
    owed, died, exited_in_month = factories.entitlements(cycle, 3)
    at = timezone.now()
    for entitlement, on in (
        (died, date(2026, 2, 10)),
        (failed_then_moved, date(2026, 2, 20)),
        (exited_in_month, date(2026, 3, 10)),  # March is still hers
    ):
        benefit_actions.exit_enrolment(
            enrolment=entitlement.enrolment, reason="DIED", on=on, acting_user=None, at=at
        )

    figures = queries.cycle_reconciliation(cycle)

    assert figures.due == queries.Tally(4, Decimal("3200.00"))
    assert figures.stopped_by_exit == queries.Tally(2, Decimal("1600.00"))
    assert figures.awaiting_correction == queries.Tally()
    assert figures.ready_for_retry == queries.Tally()
    assert figures.not_in_batch == queries.Tally(2, Decimal("1600.00"))  # owed; exited in March
    officer = world.members[Role.PROGRAMME_OFFICER]
    answer = api(world, officer, "GET", f"/payment-cycles/{cycle.pk}/reconciliation").json()
    assert answer["stopped_by_exit"] == {"count": 2, "amount": "1600.00"}
    page = world.client_for(officer).get(reverse("payments:reconciliation", args=[cycle.pk]))
    assert "Stopped by her exit" in page.content.decode()
    retry = actions.create_batch(cycle=cycle, provider="BKASH", acting_user=None, at=at)
    assert sorted(retry.payments.values_list("entitlement_id", flat=True)) == sorted(
        [owed.pk, exited_in_month.pk]
    )


def test_paid_versus_due_leaves_out_what_her_exit_stopped(world: World, cycle: Cycle) -> None:
    """The share paid is of what is still owed: a ration her exit stopped is never paid, so counting it as
    due would understate the share. One already waiting in an approved batch is still counted, as in the
    reconciliation."""
    paid, pending_then_exited = factories.entitlements(cycle, 2)
    batch = factories.sent_batch(cycle)
    content = factories.results(batch, [(batch.payments.get(entitlement=paid), "PAID", "")])
    actions.import_statuses(
        batch=batch, file_name="r.csv", content=content, acting_user=None, at=timezone.now()
    )
    _owed, stopped = factories.entitlements(cycle, 2)
    at = timezone.now()
    for entitlement, on in ((stopped, date(2026, 2, 10)), (pending_then_exited, date(2026, 2, 20))):
        benefit_actions.exit_enrolment(
            enrolment=entitlement.enrolment, reason="DIED", on=on, acting_user=None, at=at
        )

    (row,) = queries.paid_versus_due(acting(world, Role.PROGRAMME_OFFICER))

    figures = queries.cycle_reconciliation(cycle)
    assert figures.stopped_by_exit == queries.Tally(1, Decimal("800.00"))
    assert (row.due, row.paid, row.share_paid) == (Decimal("2400.00"), Decimal("800.00"), 33.3)
    assert row.due == figures.due.amount - figures.stopped_by_exit.amount
