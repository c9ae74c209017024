"""A synthetic indicator and two reports for the page, dashboard and browser tests, registered for one
test and removed after it, so these tests do not depend on which domain indicators exist yet.

The indicator counts "visits" by a colour whose labels are Bengali and Persian. Its figures follow the
period so that a comparison has something to show: RED is 10 + the Gregorian month the period starts in,
GREEN is always 8, BLUE always 3 (under the threshold of 5, so suppressed for readers without record
access, and GREEN with it as its complement); broken down by area, each area gets RED's figure.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from django.utils.translation import gettext_lazy

from haven.orgs.models import Area
from haven.orgs.roles import Role
from haven.reports.indicators import (
    DIMENSIONS,
    INDICATORS,
    REPORTS,
    Cell,
    Dimension,
    Indicator,
    Report,
    Scope,
    Table,
    register,
    register_dimension,
    register_report,
)

COLOUR: Final = "pagetest_colour"
INDICATOR: Final = "pagetest.visits"
OPEN_REPORT: Final = "pagetest.open"
MANAGERS_REPORT: Final = "pagetest.managers"
COLOUR_LABELS: Final = {"RED": "লাল রং", "GREEN": "Зелёный", "BLUE": "آبی"}


def red(scope: Scope) -> int:
    return 10 + scope.period.start.month


def _compute(scope: Scope, by: tuple[str, ...]) -> Table:
    colours = {"RED": red(scope), "GREEN": 8, "BLUE": 3}
    areas = list(Area.objects.filter(org=scope.org).values_list("pk", flat=True)) if "area" in by else []
    table = Table(INDICATOR, by, total=Cell(sum(colours.values())))
    for colour, value in colours.items():
        for area in areas or [None]:
            key = tuple(colour if code == COLOUR else area for code in by)
            if by:
                table.cells[key] = Cell(value if area is None else red(scope))
    return table


READERS: Final = frozenset({Role.DATA_OFFICER, Role.ORG_ADMIN, Role.CENTRE_MANAGER, Role.PERPETRATOR_WORKER})


@contextmanager
def registered() -> Iterator[None]:
    dimension = Dimension(
        COLOUR, gettext_lazy("colour"), lambda values: {v: COLOUR_LABELS[v] for v in values}
    )
    register_dimension(dimension)
    register(
        Indicator(
            INDICATOR,
            gettext_lazy("Visits"),
            gettext_lazy("Visits counted for the page tests."),
            "COUNT",
            (COLOUR, "area"),
            _compute,
        )
    )
    # The perpetrator worker is named as a reader on purpose: the pages must keep her out regardless.
    register_report(
        Report(OPEN_REPORT, gettext_lazy("Open figures"), gettext_lazy("For tests."), (INDICATOR,), READERS)
    )
    register_report(
        Report(
            MANAGERS_REPORT,
            gettext_lazy("Managers' figures"),
            gettext_lazy("For tests."),
            (INDICATOR,),
            frozenset({Role.CENTRE_MANAGER}),
            record_readers=frozenset({Role.CENTRE_MANAGER}),
        )
    )
    try:
        yield
    finally:
        REPORTS.pop(OPEN_REPORT, None)
        REPORTS.pop(MANAGERS_REPORT, None)
        INDICATORS.pop(INDICATOR, None)
        DIMENSIONS.pop(COLOUR, None)
