"""A donor project's progress: its indicators computed for its own period and areas, against targets.

A donor report leaves the organisation, so its figures are always suppressed (whoever reads them).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from haven.orgs.roles import Role
from haven.reports.dashboards import readable_indicators
from haven.reports.exports.formats import percent_of
from haven.reports.exports.params import threshold_of
from haven.reports.indicators import INDICATORS, Cell, Indicator, Report, Scope, area_subtree
from haven.reports.periods import day_range
from haven.reports.projects.models import PROJECT_READERS, Project
from haven.reports.queries import ReportResult, build_report


def scope_of(project: Project) -> Scope:
    """The project's days and the union of its areas (and everything under them); all areas if none."""
    period = day_range(project.starts_on, project.ends_on)
    areas = list(project.areas.all())
    if not areas:
        return Scope(org=project.org, period=period)
    ids = frozenset(pk for area in areas for pk in area_subtree(project.org, area))
    return Scope(org=project.org, period=period, area=areas[0] if len(areas) == 1 else None, area_ids=ids)


def report_of(project: Project, role: Role) -> Report:
    """The project's targets as a report, with only the indicators ``role`` may read in its reports."""
    readable = readable_indicators(role)
    codes = tuple(target.indicator for target in project.targets.all() if target.indicator in readable)
    return Report(
        code=f"project-{project.pk}",
        title=project.name,  # type: ignore[arg-type]
        description=project.donor,  # type: ignore[arg-type]
        indicators=codes,
        readers=PROJECT_READERS,
    )


def targets_of(project: Project) -> dict[str, Decimal]:
    return {target.indicator: target.target for target in project.targets.all()}


def result_of(project: Project, role: Role) -> ReportResult:
    return build_report(
        report_of(project, role), scope_of(project), suppress=True, threshold=threshold_of(project.org)
    )


@dataclass(frozen=True)
class Progress:
    indicator: Indicator | None
    code: str
    target: Decimal
    achieved: Cell | None
    percent: Decimal | None
    readable: bool  # whether the reader's role may see this indicator's figures


def progress(project: Project, role: Role) -> list[Progress]:
    """One line per target: what the records show so far and its share of the target."""
    result = result_of(project, role)
    totals = {item.indicator.code: item.table.total for item in result.results}
    lines = []
    for code, target in targets_of(project).items():
        cell = totals.get(code)
        value = None if cell is None or cell.suppressed else cell.value
        indicator = INDICATORS.get(code)
        lines.append(Progress(indicator, code, target, cell, percent_of(value, target), code in totals))
    return lines
