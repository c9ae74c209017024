"""Approving a cycle as a whole: once, only when generated, only when every registered check passes,
and only by an approver."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from haven.benefits import cycles, hooks
from haven.benefits.models import Cycle
from haven.benefits.tests import factories
from haven.benefits.tests.helpers import api, at, officer, operator, written
from haven.conftest import World


def _generated(world: World) -> Cycle:
    vwb = factories.vwb(world.org)
    factories.enrolment(vwb, starts_on=date(2026, 1, 1))
    cycle = cycles.open_cycle(programme=vwb, month=date(2026, 3, 1), acting_user=None, at=at("2026-02-25"))
    cycles.generate_entitlements(cycle=cycle, acting_user=None, at=at("2026-02-26"))
    return cycle


@pytest.fixture
def stock_check() -> Iterator[list[str]]:
    """A check like the distribution app's: it names whatever problems the test puts in the list."""
    problems: list[str] = []

    def check(cycle: Cycle) -> list[str]:
        return list(problems)

    hooks.register_cycle_approval_check(check)
    yield problems
    hooks._cycle_approval_checks.remove(check)


def test_it_approves_once_and_refuses_a_second_approval_with_the_reason(world: World) -> None:
    cycle = _generated(world)
    approver = officer(world)

    first = api(world, approver, "POST", f"/benefits/cycles/{cycle.pk}/approve", {})
    before = written()
    second = api(world, approver, "POST", f"/benefits/cycles/{cycle.pk}/approve", {})

    assert first.status_code == 200 and first.json()["status"] == "APPROVED"
    assert second.status_code == 422 and "approved once" in second.json()["errors"][0]["message"]
    assert written() == before
    cycle.refresh_from_db()
    assert cycle.approved_by == approver.user
    assert list(cycle.transitions.values_list("to_status", flat=True)) == ["OPEN", "GENERATED", "APPROVED"]


def test_a_cycle_not_generated_yet_is_not_approved(world: World) -> None:
    cycle = cycles.open_cycle(
        programme=factories.vwb(world.org), month=date(2026, 3, 1), acting_user=None, at=at("2026-02-25")
    )
    with pytest.raises(ValidationError, match="Generate the entitlements"):
        cycles.approve_cycle(cycle=cycle, acting_user=None, at=at("2026-02-26"))


def test_a_half_generated_cycle_is_not_approved(world: World) -> None:
    vwb = factories.vwb(world.org)
    for _ in range(3):
        factories.enrolment(vwb, starts_on=date(2026, 1, 1))
    cycle = cycles.open_cycle(programme=vwb, month=date(2026, 3, 1), acting_user=None, at=at("2026-02-25"))
    cycles.generate_entitlements(cycle=cycle, acting_user=None, at=at("2026-02-26"), batch_size=1)
    cycles.start_generation(cycle=cycle, acting_user=None, at=at("2026-02-27"))  # a second run, interrupted
    cycles.generate_entitlements(
        cycle=cycle, acting_user=None, at=at("2026-02-27"), batch_size=1, max_batches=1
    )

    with pytest.raises(ValidationError, match="to the end"):
        cycles.approve_cycle(cycle=cycle, acting_user=None, at=at("2026-02-28"))


def test_every_problem_a_check_names_refuses_the_approval(world: World, stock_check: list[str]) -> None:
    cycle = _generated(world)
    stock_check += ["Not enough rice at point A: 30 kg short.", "Not enough rice at point B: 60 kg short."]

    response = api(world, officer(world), "POST", f"/benefits/cycles/{cycle.pk}/approve", {})

    assert response.status_code == 422
    assert [e["message"] for e in response.json()["errors"]] == stock_check
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.GENERATED


def test_only_an_approver_approves(world: World) -> None:
    cycle = _generated(world)
    page = world.client_for(operator(world)).post(reverse("benefits:cycle_approve", args=[cycle.pk]))
    response = api(world, operator(world), "POST", f"/benefits/cycles/{cycle.pk}/approve", {})
    assert page.status_code == 403 and response.status_code == 403
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.GENERATED
