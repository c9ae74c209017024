"""Report pages and dashboards.

Thin: the form reads the period, area and breakdown; ``build_report`` computes; this module only turns
cells into what a reader sees (the locale's digits, a mark for a suppressed cell, the change against the
previous period) and draws a chart beside a table broken down one way. Which reports a role reads is the
report's own ``readers``; a report the role may not read does not exist for it (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from haven.orgs.access import StaffRequest, staff_view
from haven.reports.charts import Point, bar_chart, line_chart, number_text
from haven.reports.dashboards import (
    DASHBOARD_ROLES,
    REPORT_ROLES,
    Reader,
    build_dashboard,
    readable_reports,
)
from haven.reports.forms import ReportForm
from haven.reports.indicators import (
    DIMENSIONS,
    MONTH_DIMENSION,
    REPORTS,
    Cell,
    IndicatorError,
    Report,
    Unit,
    scope_for,
)
from haven.reports.queries import IndicatorResult, ReportResult, build_report
from haven.reports.suppression import configured_threshold

MAX_CHART_BARS = 30


@dataclass
class Figure:
    """A cell as shown: its text, whether it is hidden, and the change since the previous period."""

    text: str
    suppressed: bool
    previous: str | None = None
    change: str | None = None


@dataclass
class Line:
    labels: list[str]
    figure: Figure


@dataclass
class Section:
    result: IndicatorResult
    unit: str
    headers: list[str]
    lines: list[Line]
    total: Figure
    chart: SafeString | None


def _language() -> str:
    return translation.get_language() or "en"


def suppressed_mark() -> str:
    return _("hidden")


def figure(cell: Cell | None, previous: Cell | None = None, *, compare: bool = False) -> Figure:
    language = _language()
    if cell is None:
        cell = Cell(0)
    shown = Figure(_text(cell, language), cell.suppressed)
    if compare:
        before = previous if previous is not None else Cell(0)
        shown.previous = _text(before, language)
        shown.change = _change(cell, before, language)
    return shown


def _text(cell: Cell, language: str) -> str:
    return number_text(cell.value, language, suppressed_mark() if cell.suppressed else "—")


def _change(cell: Cell, before: Cell, language: str) -> str:
    if cell.suppressed or before.suppressed or cell.value is None or before.value is None:
        return ""
    difference = Decimal(str(cell.value)) - Decimal(str(before.value))
    sign = "+" if difference > 0 else ("−" if difference < 0 else "±")
    return sign + number_text(abs(difference), language)


def _section(result: IndicatorResult, compare: bool, rtl: bool) -> Section:
    dimensions = result.table.dimensions
    lines = [
        Line(labels, figure(cell, before, compare=compare)) for _key, labels, cell, before in result.rows()
    ]
    previous_total = result.previous.total if result.previous is not None else None
    return Section(
        result=result,
        unit=str(Unit(result.indicator.unit).label) if result.indicator.unit in Unit.values else "",
        headers=[str(DIMENSIONS[code].label) for code in dimensions],
        lines=lines,
        total=figure(result.table.total, previous_total, compare=compare),
        chart=_chart(result, rtl),
    )


def _chart(result: IndicatorResult, rtl: bool) -> SafeString | None:
    """Bars for a table broken down one way; a line when that way is the month."""
    rows = result.rows()
    if len(result.table.dimensions) != 1 or not rows or len(rows) > MAX_CHART_BARS:
        return None
    if result.table.dimensions[0] == MONTH_DIMENSION:
        rows = sorted(rows, key=lambda row: str(row[0][0]))  # month codes sort in calendar order
    points = [
        Point(labels[0], None if cell.suppressed else cell.value) for _key, labels, cell, _before in rows
    ]
    draw = line_chart if result.table.dimensions[0] == MONTH_DIMENSION else bar_chart
    name = str(result.indicator.name)
    return draw(
        name,
        str(result.indicator.definition),
        points,
        language=_language(),
        rtl=rtl,
        suppressed_mark=suppressed_mark(),
    )


def _readable(request: StaffRequest, report_code: str) -> Report:
    report = REPORTS.get(report_code)
    if report is None or report not in readable_reports(request.membership.role_enum):
        raise Http404
    return report


@staff_view(REPORT_ROLES)
def report_list(request: StaffRequest) -> HttpResponse:
    reports = readable_reports(request.membership.role_enum)
    return render(request, "reports/report_list.html", {"reports": reports})


@staff_view(REPORT_ROLES)
def report_page(request: StaffRequest, report_code: str) -> HttpResponse:
    report = _readable(request, report_code)
    form = ReportForm(
        request.GET,
        report=report,
        user=request.user,
        calendar=request.calendar,
        today=timezone.localdate(),
    )
    computed = _compute(request, report, form) if form.is_valid() else None
    context: dict[str, Any] = {
        "report": report,
        "form": form,
        "computed": computed,
        "suppression_mark": suppressed_mark(),
    }
    if computed is not None:
        rtl = translation.get_language_bidi()
        context["sections"] = [
            _section(result, computed.previous_scope is not None, rtl) for result in computed.results
        ]
        context["period_label"] = computed.scope.period.label(_language())
        if computed.previous_scope is not None:
            context["previous_label"] = computed.previous_scope.period.label(_language())
    return render(request, "reports/report.html", context)


def _compute(request: StaffRequest, report: Report, form: ReportForm) -> ReportResult | None:
    data = form.cleaned_data
    try:
        return build_report(
            report,
            scope_for(request.org, data["period_value"], data.get("area")),
            by=tuple(data.get("by") or ()),
            area_level=data.get("area_level") or None,
            compare=bool(data.get("compare")),
            suppress=not report.sees_small_cells(request.membership.role_enum),
            threshold=configured_threshold(),
        )
    except IndicatorError as exc:
        form.add_error(None, str(exc))
        return None


DASHBOARD_FRESH_SECONDS = 300
"""A dashboard is worked out once per organisation, role, calendar, language and day every five minutes
and shared by every reader of it: its figures are the month's and the year's, which a few minutes do not
change in a way anyone acts on, and working them out costs about a hundred queries (docs/performance.md).
The page says when its figures were worked out."""


@staff_view(DASHBOARD_ROLES)
def dashboard(request: StaffRequest) -> HttpResponse:
    reader = Reader(
        org=request.org,
        role=request.membership.role_enum,
        calendar=request.calendar,
        language=_language(),
        rtl=translation.get_language_bidi(),
        today=timezone.localdate(),
    )
    key = _dashboard_key(reader)
    cached: tuple[SafeString, datetime] | None = cache.get(key)  # the rendered body keeps its safe mark
    if cached is None:
        body = render_to_string("reports/_dashboard_body.html", _dashboard_context(reader), request=request)
        cached = (body, timezone.now())
        cache.set(key, cached, DASHBOARD_FRESH_SECONDS)
    body, computed_at = cached
    context = {"body": body, "computed_at": computed_at, "fresh_minutes": DASHBOARD_FRESH_SECONDS // 60}
    return render(request, "reports/dashboard.html", context)


def _dashboard_key(reader: Reader) -> str:
    """Everything a dashboard's figures and words depend on: the same for every reader sharing them."""
    parts = (reader.org.pk, reader.role.value, reader.calendar, reader.language, reader.today.isoformat())
    return "reports:dashboard:" + ":".join(str(part) for part in parts)


def _dashboard_context(reader: Reader) -> dict[str, Any]:
    board = build_dashboard(reader)
    headlines = [
        {
            "headline": headline,
            "month": figure(headline.month, headline.month_before, compare=True),
            "year": figure(headline.year),
        }
        for headline in board.headlines
    ]
    charts = [
        {"chart": chart, "rows": [(point.label, figure(_cell(point))) for point in chart.points]}
        for chart in board.charts
    ]
    return {
        "dashboard": board,
        "headlines": headlines,
        "charts": charts,
        "month_label": board.month.label(reader.language),
        "year_label": board.year.label(reader.language),
    }


def _cell(point: Point) -> Cell:
    return Cell(point.value, suppressed=point.value is None)
