"""Grants: a schedule per grade and year, a round allocated set-based to the eligible registered
associations (a rerun adds nothing), approved once, disbursed, reported back on; overdue reports are
listed and keep an association out of the next grant."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.associations import actions, grants, queries
from haven.associations.models import Association, Grant
from haven.associations.tests import walk
from haven.associations.tests.helpers import officer, written
from haven.conftest import World


def _schedule(world: World, year: int) -> None:
    for grade, amount in (("A", "50000"), ("B", "30000"), ("C", "15000")):
        grants.set_grant_amount(
            org=world.org, year=year, grade=grade, amount=Decimal(amount), acting_user=None, at=world.at
        )


def _grade(association: Association, scores: dict[str, int]) -> None:
    actions.record_grading(
        association=association,
        graded_on=timezone.localdate(),
        scores=scores,
        members=walk.MEMBERS,
        acting_user=None,
        at=timezone.now(),
    )


def test_it_allocates_by_grade_to_eligible_associations_only_and_once(world: World) -> None:
    a_grade = walk.registered(world.org, name="Alpha")
    b_grade = walk.registered(world.org, name="Beta", grade=False)
    _grade(
        b_grade, {"governance": 12, "accounts": 10, "activities": 15, "membership": 8, "meetings": 10}
    )  # 55: B
    walk.registered(world.org, name="Ungraded", grade=False)
    walk.application(world.org, name="Applied only")
    lapsed = walk.registered(world.org, name="Lapsed")
    Association.objects.filter(pk=lapsed.pk).update(status="LAPSED")
    walk.registered(world.other_org, name="Elsewhere")
    _schedule(world, 2026)
    grant_round = grants.open_grant_round(
        org=world.org, year=2026, name="Grants 2026", acting_user=None, at=world.at
    )

    assert grants.allocate_grant_round(grant_round=grant_round, acting_user=None, at=timezone.now()) == 2
    amounts = dict(grant_round.grants.values_list("association__name", "amount"))
    assert amounts == {"Alpha": Decimal("50000.00"), "Beta": Decimal("30000.00")}
    assert (grant_round.status, grant_round.grant_count, grant_round.total_amount) == (
        "ALLOCATED",
        2,
        Decimal("80000"),
    )
    assert grants.allocate_grant_round(grant_round=grant_round, acting_user=None, at=timezone.now()) == 0

    grants.approve_grant_round(grant_round=grant_round, acting_user=None, at=timezone.now())
    with pytest.raises(ValidationError, match="already approved"):
        grants.approve_grant_round(grant_round=grant_round, acting_user=None, at=timezone.now())
    with pytest.raises(ValidationError, match="approved"):
        grants.allocate_grant_round(grant_round=grant_round, acting_user=None, at=timezone.now())
    assert {a_grade.pk, b_grade.pk} == set(grant_round.grants.values_list("association_id", flat=True))


def test_a_round_needs_its_years_amounts_before_allocation(world: World) -> None:
    grant_round = grants.open_grant_round(
        org=world.org, year=2031, name="Grants 2031", acting_user=None, at=world.at
    )
    before = written()
    with pytest.raises(ValidationError, match="grant amounts"):
        grants.allocate_grant_round(grant_round=grant_round, acting_user=None, at=world.at)
    assert written() == before
    with pytest.raises(ValidationError, match="Allocate"):
        grants.approve_grant_round(grant_round=grant_round, acting_user=None, at=world.at)


def test_it_disburses_takes_the_report_and_refuses_the_next_grant_while_a_report_is_overdue(
    world: World,
) -> None:
    grant = walk.grant(disbursed=True)
    assert grant.report_due_on == timezone.localdate() + timedelta(days=180)
    with pytest.raises(ValidationError, match="already disbursed"):
        grants.disburse_grant(
            grant=grant,
            disbursed_on=timezone.localdate(),
            method="CASH",
            reference="X",
            acting_user=None,
            at=timezone.now(),
        )
    # The report is late: listed, and the association gets no grant in the next round.
    Grant.objects.filter(pk=grant.pk).update(report_due_on=timezone.localdate() - timedelta(days=1))
    assert [g.pk for g in queries.overdue_reports(officer(world), timezone.localdate())] == [grant.pk]
    next_year = grant.year + 1
    _schedule(world, next_year)
    later = grants.open_grant_round(org=world.org, year=next_year, name="Next", acting_user=None, at=world.at)
    grants.allocate_grant_round(grant_round=later, acting_user=None, at=timezone.now())
    assert not later.grants.filter(association_id=grant.association_id).exists()

    with pytest.raises(ValidationError, match="More than the grant"):
        grants.report_on_grant(
            grant=grant,
            amount_spent="60000",
            narrative="x",
            reported_on=timezone.localdate(),
            acting_user=None,
            at=timezone.now(),
        )
    report = grants.report_on_grant(
        grant=grant,
        amount_spent="48250.50",
        narrative="Tailoring course for 20 members; two sewing machines.",
        reported_on=timezone.localdate(),
        acting_user=None,
        at=timezone.now(),
    )
    grant.refresh_from_db()
    assert grant.status == "REPORTED" and report.narrative.startswith("Tailoring")
    assert not queries.overdue_reports(officer(world), timezone.localdate()).exists()
    grants.allocate_grant_round(grant_round=later, acting_user=None, at=timezone.now())
    assert later.grants.filter(association_id=grant.association_id).exists()


def test_a_grant_is_disbursed_only_from_an_approved_round(world: World) -> None:
    grant = walk.grant_round(world.org, approve=False).grants.get()
    with pytest.raises(ValidationError, match="not approved"):
        grants.disburse_grant(
            grant=grant,
            disbursed_on=timezone.localdate(),
            method="CHEQUE",
            reference="C-1",
            acting_user=None,
            at=world.at,
        )


def test_a_grant_is_not_paid_before_its_round_was_approved(world: World) -> None:
    grant = walk.grant()
    approved_on = timezone.localdate(grant.round.approved_at)
    with pytest.raises(ValidationError, match="before its round was approved"):
        grants.disburse_grant(
            grant=grant,
            disbursed_on=approved_on - timedelta(days=1),
            method="CHEQUE",
            reference="C-2",
            acting_user=None,
            at=timezone.now(),
        )
    grant.refresh_from_db()
    assert (grant.status, grant.disbursed_on) == ("ALLOCATED", None)
    paid = grants.disburse_grant(
        grant=grant,
        disbursed_on=approved_on,
        method="CHEQUE",
        reference="C-2",
        acting_user=None,
        at=timezone.now(),
    )
    assert paid.disbursed_on == approved_on


def test_an_amount_changed_before_approval_reprices_the_allocated_grants_of_its_grade(world: World) -> None:
    grant_round = walk.grant_round(world.org, approve=False)
    grant = grant_round.grants.get()
    grants.set_grant_amount(
        org=world.org, year=grant_round.year, grade=grant.grade, amount="42000", acting_user=None, at=world.at
    )
    grant.refresh_from_db()
    grant_round.refresh_from_db()
    assert grant.amount == Decimal("42000")
    assert (grant_round.grant_count, grant_round.total_amount) == (1, Decimal("42000"))

    grants.approve_grant_round(grant_round=grant_round, acting_user=None, at=timezone.now())
    with pytest.raises(ValidationError, match="approved"):
        grants.set_grant_amount(
            org=world.org, year=grant_round.year, grade=grant.grade, amount="1", acting_user=None, at=world.at
        )
    grant.refresh_from_db()
    assert grant.amount == Decimal("42000")
