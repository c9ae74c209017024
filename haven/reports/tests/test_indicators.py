"""The indicator framework itself: scope filters, area subtrees and roll-up, months of any calendar, totals,
comparison with the previous period, and the refusals (unknown breakdown, another organisation's area).

Counted here: women registered in the benefits registry, which carries an area and a registration moment.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from haven.benefits.models import Beneficiary
from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs import actions as org_actions
from haven.orgs.models import Area, Organisation
from haven.orgs.roles import Role
from haven.reports import indicators
from haven.reports.indicators import AREA, IndicatorError, Report, Scope, count_indicator, scope_for
from haven.reports.periods import parse_period
from haven.reports.queries import build_report

CODE = "test.registered"


@pytest.fixture
def registered() -> Iterator[indicators.Indicator]:
    item = indicators.register(
        count_indicator(
            code=CODE,
            name=gettext_lazy("Women registered"),
            definition=gettext_lazy("Registry entries made in the period."),
            records=lambda scope: Beneficiary.objects.filter(
                scope.moments("registered_at"), scope.in_area("area"), org=scope.org
            ),
            dimensions={AREA: "area"},
            distinct="person",
        )
    )
    indicators.register_report(
        Report("test", gettext_lazy("Test"), gettext_lazy("Test"), (CODE,), frozenset({Role.DATA_OFFICER}))
    )
    yield item
    del indicators.INDICATORS[CODE], indicators.REPORTS["test"]


def _area(org: Organisation, name: str, level: Area.Level, parent: Area | None = None) -> Area:
    area: Area = org_actions.create_area(
        org=org, name=name, level=level, parent=parent, acting_user=None, at=timezone.now()
    )
    return area


def _local(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))  # type: ignore[arg-type]


@pytest.mark.django_db
def test_counts_follow_the_scope_areas_months_and_previous_period(
    world: World, registered: indicators.Indicator
) -> None:
    home = world.org
    district = _area(home, "Jhenaidah", Area.Level.DISTRICT)
    first = _area(home, "Kaliganj union", Area.Level.LOCALITY, district)
    second = _area(home, "Shailkupa union", Area.Level.LOCALITY, district)
    elsewhere = _area(home, "Sylhet union", Area.Level.LOCALITY)
    # Mordad 1403 runs 22 July - 21 August 2024; Shahrivar 1403 from 22 August.
    for area, moment in [
        (first, _local(2024, 7, 22, 0, 30)),
        (first, _local(2024, 8, 21, 23, 30)),
        (second, _local(2024, 8, 1)),
        (second, _local(2024, 8, 22)),  # Shahrivar
        (elsewhere, _local(2024, 8, 2)),
        (first, _local(2024, 7, 21, 23, 59)),  # Tir: the previous month
    ]:
        factories.beneficiary(home, area=area, at=moment)
    factories.beneficiary(world.other_org, at=_local(2024, 8, 1))  # another organisation: never counted

    mordad = parse_period("SH1403-05")
    everywhere = scope_for(home, mordad)
    assert registered.table(everywhere).total.value == 4

    by_area = registered.table(everywhere, [AREA])
    assert by_area.value(first.pk) == 2 and by_area.value(second.pk) == 1 and by_area.value(elsewhere.pk) == 1

    in_district = scope_for(home, mordad, district)
    assert registered.table(in_district).total.value == 3
    rolled = registered.table(in_district, [AREA]).rolled_up(
        indicators.areas_at_level(home, Area.Level.DISTRICT)
    )
    assert rolled.cells.keys() == {(district.pk,)} and rolled.value(district.pk) == 3

    # A Solar Hijri year is split into Solar Hijri months; a range of days into Gregorian ones.
    by_month = registered.table(scope_for(home, parse_period("SH1403")), ["month"])
    assert (by_month.value("SH1403-04"), by_month.value("SH1403-05"), by_month.value("SH1403-06")) == (
        1,
        4,
        1,
    )
    assert by_month.total.value == 6
    summer = registered.table(scope_for(home, parse_period("2024-07-22..2024-08-31")), ["month"])
    # Months are clipped to the range: 21 July (Tir) is outside it.
    assert (summer.value("2024-07"), summer.value("2024-08"), summer.total.value) == (1, 4, 5)

    result = build_report(indicators.report("test"), in_district, by=(AREA,), compare=True, suppress=False)
    [figures] = result.results
    assert figures.table.total.value == 3 and figures.previous is not None
    assert figures.previous.total.value == 1  # Tir 1403
    assert [names for _key, names, _cell, _before in figures.rows()] == [
        ["Kaliganj union"],
        ["Shailkupa union"],
    ]


@pytest.mark.django_db
def test_a_breakdown_the_indicator_lacks_and_a_foreign_area_are_refused(
    world: World, registered: indicators.Indicator
) -> None:
    period = parse_period("2024")
    with pytest.raises(IndicatorError, match="cannot be broken down"):
        registered.table(Scope(world.org, period), ["violence_type"])
    foreign = _area(world.other_org, "Far union", Area.Level.LOCALITY)
    with pytest.raises(IndicatorError, match="not one of your organisation"):
        scope_for(world.org, period, foreign)
    with pytest.raises(IndicatorError, match="no indicator"):
        indicators.indicator("nothing.here")
