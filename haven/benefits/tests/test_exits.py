"""Exits stop future entitlements: later unapproved ones are cancelled, the exit month and approved
cycles are kept (and counted), generation skips exited enrolments, completed enrolments close in bulk."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from haven.benefits import actions, cycles
from haven.benefits.models import Cycle, Enrolment, Entitlement, Programme
from haven.benefits.tests import factories
from haven.benefits.tests.helpers import api, at, officer, written
from haven.conftest import World


def _cycle(programme: Programme, month: date, *, approve: bool = False) -> Cycle:
    cycle = cycles.open_cycle(programme=programme, month=month, acting_user=None, at=at("2026-01-01"))
    cycles.generate_entitlements(cycle=cycle, acting_user=None, at=at("2026-01-01"))
    if approve:
        cycles.approve_cycle(cycle=cycle, acting_user=None, at=at("2026-01-02"))
    cycle.refresh_from_db()
    return cycle


def test_it_cancels_later_unapproved_entitlements_and_keeps_the_exit_month_and_approved_ones(
    world: World,
) -> None:
    vwb = factories.vwb(world.org)
    her = factories.enrolment(vwb, starts_on=date(2026, 1, 1))
    neighbour = factories.enrolment(vwb, starts_on=date(2026, 1, 1))
    february = _cycle(vwb, date(2026, 2, 1), approve=True)
    march = _cycle(vwb, date(2026, 3, 1), approve=True)
    april = _cycle(vwb, date(2026, 4, 1))

    outcome = actions.exit_enrolment(
        enrolment=her,
        reason="DIED",
        on=date(2026, 2, 10),
        acting_user=officer(world).user,
        at=at("2026-02-12"),
    )

    status = dict(Entitlement.objects.filter(enrolment=her).values_list("cycle__month", "status"))
    assert status == {date(2026, 2, 1): "DUE", date(2026, 3, 1): "DUE", date(2026, 4, 1): "CANCELLED"}
    assert (outcome.cancelled, outcome.left_in_approved) == (1, 1)
    assert Entitlement.objects.get(enrolment=neighbour, cycle=april).status == "DUE"
    april.refresh_from_db()
    assert (april.entitlement_count, february.entitlement_count, march.entitlement_count) == (1, 2, 2)
    her.refresh_from_db()
    assert (her.status, her.exit_reason, her.exited_on) == ("EXITED", "DIED", date(2026, 2, 10))
    assert list(her.transitions.values_list("from_status", "to_status", "reason_code")) == [
        ("ACTIVE", "EXITED", "DIED")
    ]


def test_generation_never_includes_an_exited_enrolment(world: World) -> None:
    vwb = factories.vwb(world.org)
    her = factories.enrolment(vwb, starts_on=date(2026, 1, 1))
    actions.exit_enrolment(
        enrolment=her, reason="FRAUD", on=date(2026, 1, 5), acting_user=None, at=at("2026-01-06")
    )
    assert _cycle(vwb, date(2026, 1, 1)).entitlement_count == 0


@pytest.mark.parametrize(
    ("reason", "on", "message"),
    [
        ("RETIRED", date(2026, 2, 1), "choose one of the reasons"),
        ("MOVED", date(2026, 3, 1), "cannot end in the future"),
    ],
)
def test_a_bad_exit_is_refused_and_writes_nothing(world: World, reason: str, on: date, message: str) -> None:
    her = factories.enrolment(factories.vwb(world.org), starts_on=date(2026, 1, 1))
    before = written()
    with pytest.raises(ValidationError, match=message):
        actions.exit_enrolment(enrolment=her, reason=reason, on=on, acting_user=None, at=at("2026-02-15"))
    assert written() == before


def test_an_enrolment_ends_once(world: World) -> None:
    her = factories.enrolment(factories.vwb(world.org), starts_on=date(2026, 1, 1))
    member = officer(world)
    body = {"reason": "WITHDREW", "on": "2026-02-01"}
    first = api(world, member, "POST", f"/benefits/enrolments/{her.pk}/exit", body)
    second = api(world, member, "POST", f"/benefits/enrolments/{her.pk}/exit", body)
    assert first.status_code == 200 and first.json()["status"] == "EXITED"
    assert second.status_code == 422 and "already ended" in second.json()["errors"][0]["message"]


def test_completed_enrolments_close_in_bulk_and_a_rerun_closes_nothing(world: World) -> None:
    vwb = factories.vwb(world.org, duration_months=2)
    done = [factories.enrolment(vwb, starts_on=date(2025, 11, 1)) for _ in range(3)]  # last month December
    running = factories.enrolment(vwb, starts_on=date(2025, 12, 1))  # last month January

    closed = actions.exit_completed_enrolments(
        programme=vwb, on=date(2026, 1, 15), acting_user=None, at=at("2026-01-15")
    )
    again = actions.exit_completed_enrolments(
        programme=vwb, on=date(2026, 1, 15), acting_user=None, at=at("2026-01-15")
    )

    assert (closed, again) == (3, 0)
    rows = Enrolment.objects.filter(pk__in=[e.pk for e in done])
    assert set(rows.values_list("status", "exit_reason", "exited_on")) == {
        ("EXITED", "COMPLETED", date(2025, 12, 1))
    }
    running.refresh_from_db()
    assert running.status == "ACTIVE"
