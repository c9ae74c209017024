"""Checks that other apps add to the benefits core without the core importing them.

The core approves a cycle as a whole; whether there is enough rice in the warehouses is the distribution
app's knowledge, whether a payment batch is ready is the payments app's. Each registers a check in its
AppConfig.ready(); approval asks them all and refuses with every problem they name.
"""

from __future__ import annotations

from collections.abc import Callable

from haven.benefits.models import Cycle

CycleCheck = Callable[[Cycle], list[str]]
"""Given a cycle about to be approved, the reasons it may not be (translated sentences); empty if none."""

_cycle_approval_checks: list[CycleCheck] = []


def register_cycle_approval_check(check: CycleCheck) -> None:
    if check not in _cycle_approval_checks:
        _cycle_approval_checks.append(check)


def cycle_approval_problems(cycle: Cycle) -> list[str]:
    return [problem for check in _cycle_approval_checks for problem in check(cycle)]
