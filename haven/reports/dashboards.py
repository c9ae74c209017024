"""Dashboards: each managing role's few headline figures and charts, for the current month and year of
the reader's calendar, each linking to the report it comes from.

A dashboard holds no figures of its own: it reads the registered reports the role may read
(``Report.readers``), through ``build_report``, so its numbers are the report pages' numbers, suppressed
the same way for roles that do not see small cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Final

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.orgs.models import Organisation
from haven.orgs.roles import KEPT_APART_ROLES, ROLES_NOT_KEPT_APART, Role
from haven.reports.charts import Point, bar_chart, line_chart
from haven.reports.indicators import (
    AREA,
    MONTH_DIMENSION,
    REPORTS,
    Cell,
    Indicator,
    Report,
    months_of,
    scope_for,
)
from haven.reports.periods import MONTH, YEAR, Period, current_period
from haven.reports.queries import build_report
from haven.web import calendars

REPORT_ROLES: Final = ROLES_NOT_KEPT_APART
"""Who may open the report pages at all; each report then names its own readers. The perpetrator
programme's workers and fundraisers never reach a survivor report, whatever a report's readers say."""

MAX_HEADLINES: Final = 6
MAX_BAR_CHARTS: Final = 2


@dataclass(frozen=True)
class DashboardSpec:
    title: Promise
    domains: tuple[str, ...] | None  # indicator code prefixes shown; None = every domain


_SURVIVOR_SERVICES = ("osc", "gbvims", "hotline", "services", "shelters")
DASHBOARDS: Final[dict[Role, DashboardSpec]] = {
    # The hotline's supervisors are the centre and shelter managers: both see the hotline's figures.
    Role.CENTRE_MANAGER: DashboardSpec(gettext_lazy("Centre and hotline"), _SURVIVOR_SERVICES),
    Role.SHELTER_MANAGER: DashboardSpec(
        gettext_lazy("Shelter and hotline"), ("shelters", "hotline", "services")
    ),
    Role.PROGRAMME_OFFICER: DashboardSpec(gettext_lazy("Programmes"), ("programmes",)),
    Role.ORG_ADMIN: DashboardSpec(gettext_lazy("Organisation"), None),
    Role.DATA_OFFICER: DashboardSpec(gettext_lazy("Organisation"), None),
}
DASHBOARD_ROLES: Final = frozenset(DASHBOARDS)


def readable_reports(role: Role) -> list[Report]:
    """The registered reports ``role`` may read, by title; none at all for the roles kept apart."""
    if role in KEPT_APART_ROLES:
        return []
    return sorted((r for r in REPORTS.values() if role in r.readers), key=lambda r: str(r.title))


def readable_indicators(role: Role) -> frozenset[str]:
    """The indicators of the reports ``role`` may read: the figures it may see anywhere else."""
    return frozenset(code for report in readable_reports(role) for code in report.indicators)


def report_url(report: Report, period: Period) -> str:
    url = reverse("reports:report", kwargs={"report_code": report.code})
    return f"{url}?{urlencode({'period': period.code})}"


@dataclass
class Headline:
    indicator: Indicator
    url: str
    month: Cell
    month_before: Cell | None
    year: Cell


@dataclass
class Chart:
    title: str
    svg: SafeString
    points: list[Point]
    url: str


@dataclass
class Dashboard:
    spec: DashboardSpec
    month: Period
    year: Period
    headlines: list[Headline] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    bar_charts: int = 0


@dataclass(frozen=True)
class Reader:
    """Who is looking, in which calendar and language, and on which day."""

    org: Organisation
    role: Role
    calendar: str
    language: str
    rtl: bool
    today: date


def build_dashboard(reader: Reader) -> Dashboard:
    spec = DASHBOARDS[reader.role]
    month = current_period(MONTH, reader.calendar, reader.today)
    year = current_period(YEAR, reader.calendar, reader.today)
    dashboard = Dashboard(spec, month, year)
    for report, codes in _selection(reader.role, spec):
        _add_report(dashboard, reader, replace(report, indicators=codes))
    return dashboard


def _selection(role: Role, spec: DashboardSpec) -> list[tuple[Report, tuple[str, ...]]]:
    """Up to MAX_HEADLINES indicators of the role's reports in the dashboard's domains, each once."""
    chosen: list[tuple[Report, tuple[str, ...]]] = []
    seen: set[str] = set()
    for report in readable_reports(role):
        codes = tuple(
            code
            for code in report.indicators
            if code not in seen and (spec.domains is None or code.split(".")[0] in spec.domains)
        )[: MAX_HEADLINES - len(seen)]
        if codes:
            chosen.append((report, codes))
            seen.update(codes)
        if len(seen) >= MAX_HEADLINES:
            break
    return chosen


def _add_report(dashboard: Dashboard, reader: Reader, report: Report) -> None:
    suppress = not report.sees_small_cells(reader.role)
    this_month = build_report(report, scope_for(reader.org, dashboard.month), compare=True, suppress=suppress)
    this_year = build_report(
        report, scope_for(reader.org, dashboard.year), by=(MONTH_DIMENSION,), suppress=suppress
    )
    for monthly, yearly in zip(this_month.results, this_year.results, strict=True):
        item = monthly.indicator
        url = report_url(report, dashboard.month)
        before = monthly.previous.total if monthly.previous is not None else None
        # This month's figure is read from the year's month-by-month table, suppressed with it: taken
        # from a table of its own, a month hidden there only as a complement could be worked out.
        now = yearly.table.cells.get((dashboard.month.code,), monthly.table.total)
        dashboard.headlines.append(Headline(item, url, now, before, yearly.table.total))
        dashboard.charts.append(_month_chart(reader, dashboard.year, item, yearly.table.cells, report))
        if dashboard.bar_charts < MAX_BAR_CHARTS:
            bar = _breakdown_chart(reader, dashboard.year, item, report, suppress)
            if bar is not None:
                dashboard.charts.append(bar)
                dashboard.bar_charts += 1


def _month_chart(
    reader: Reader, year: Period, item: Indicator, cells: dict[tuple[object, ...], Cell], report: Report
) -> Chart:
    names = calendars.calendar_month_names(year.calendar)
    points = [
        Point(names[int(month.code[-2:]) - 1], _value(cells.get((month.code,)))) for month in months_of(year)
    ]
    title = _("%(indicator)s by month, %(year)s") % {
        "indicator": item.name,
        "year": year.label(reader.language),
    }
    svg = line_chart(
        title,
        str(item.definition),
        points,
        language=reader.language,
        rtl=reader.rtl,
        suppressed_mark=_("fewer than shown"),
    )
    return Chart(title, svg, points, report_url(report, year))


def _breakdown_chart(
    reader: Reader, year: Period, item: Indicator, report: Report, suppress: bool
) -> Chart | None:
    """Bars for the indicator's first breakdown that is neither area nor month, over the year."""
    dimension = next((code for code in item.dimensions if code not in (AREA, MONTH_DIMENSION)), None)
    if dimension is None:
        return None
    single = replace(report, indicators=(item.code,))
    result = build_report(single, scope_for(reader.org, year), by=(dimension,), suppress=suppress)
    rows = result.results[0].rows()
    if not rows:
        return None
    points = [Point(" / ".join(names), _value(cell)) for _key, names, cell, _before in rows]
    title = _("%(indicator)s, %(year)s") % {"indicator": item.name, "year": year.label(reader.language)}
    svg = bar_chart(
        title,
        str(item.definition),
        points,
        language=reader.language,
        rtl=reader.rtl,
        suppressed_mark=_("fewer than shown"),
    )
    return Chart(title, svg, points, report_url(report, year))


def _value(cell: Cell | None) -> int | float | None:
    if cell is None:
        return 0
    if cell.suppressed or cell.value is None:
        return None
    return cell.value  # type: ignore[return-value]
