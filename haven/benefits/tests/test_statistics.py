"""Statistics for the reports: beneficiaries by area, and a cycle's coverage (entitlements against the
active enrolments it covers), each a few grouped queries."""

from __future__ import annotations

from datetime import date
from typing import Any

from haven.benefits import actions, cycles, queries
from haven.benefits.tests import factories
from haven.benefits.tests.helpers import at
from haven.conftest import World


def test_beneficiaries_by_area_counts_the_registered_and_the_actively_enrolled(world: World) -> None:
    north, south = factories.union(world.org, "North union"), factories.union(world.org, "South union")
    vwb = factories.vwb(world.org)
    enrolled = [factories.beneficiary(world.org, area=north) for _ in range(2)]
    factories.beneficiary(world.org, area=north)
    left = factories.beneficiary(world.org, area=south)
    for her in enrolled:
        factories.enrolment(vwb, her)
    actions.exit_enrolment(
        enrolment=factories.enrolment(vwb, left),
        reason="MOVED",
        on=date(2026, 1, 2),
        acting_user=None,
        at=at("2026-01-03"),
    )
    factories.enrolment(factories.mother_and_child(world.org), factories.beneficiary(world.org, area=south))

    everything = {(r.area, r.registered, r.enrolled) for r in queries.beneficiaries_by_area(world.org)}
    in_vwb = {(r.area, r.registered, r.enrolled) for r in queries.beneficiaries_by_area(world.org, vwb)}

    assert everything == {("North union", 3, 2), ("South union", 2, 1)}
    assert in_vwb == {("North union", 3, 2), ("South union", 2, 0)}
    assert queries.beneficiaries_by_area(world.other_org) == []


def test_cycle_coverage_shows_what_is_missing_per_area(
    world: World, django_assert_max_num_queries: Any
) -> None:
    north, south = factories.union(world.org, "North union"), factories.union(world.org, "South union")
    vwb = factories.vwb(world.org)
    for area in (north, north, south):
        factories.enrolment(vwb, factories.beneficiary(world.org, area=area), starts_on=date(2026, 1, 1))
    cycle = cycles.open_cycle(programme=vwb, month=date(2026, 3, 1), acting_user=None, at=at("2026-02-25"))
    cycles.generate_entitlements(cycle=cycle, acting_user=None, at=at("2026-02-26"))
    factories.enrolment(vwb, factories.beneficiary(world.org, area=south), starts_on=date(2026, 3, 1))  # late

    with django_assert_max_num_queries(4):
        rows = queries.cycle_coverage(cycle)

    assert [(r.area, r.covered, r.entitled, r.missing) for r in rows] == [
        ("North union", 2, 2, 0),
        ("South union", 2, 1, 1),
    ]
    total = queries.coverage_totals(rows)
    assert (total.covered, total.entitled, total.missing, total.percent) == (4, 3, 1, 75)
