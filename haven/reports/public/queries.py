"""The figures a public page shows: each headline indicator's total over the page's period, suppressed.

They go through ``build_report`` like every other report, always with suppression, and are cached for
an hour: the page needs no sign-in, so a crowd of visitors must not mean a crowd of counting queries.
The cache key carries the page's last change, so a change of settings shows at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.utils.translation import gettext_lazy

from haven.reports.indicators import INDICATORS, Cell, Indicator, Report, scope_for
from haven.reports.periods import FISCAL_YEAR, YEAR, Period, current_period
from haven.reports.public.models import PublicPage
from haven.reports.queries import build_report
from haven.web import calendars

CACHE_SECONDS = 3600


@dataclass(frozen=True)
class Headline:
    indicator: Indicator
    cell: Cell


def page_period(page: PublicPage, today: date) -> Period:
    """The last complete year of the organisation's calendar, or the last complete fiscal year."""
    if page.period_kind == PublicPage.PeriodKind.LAST_FISCAL_YEAR:
        return current_period(FISCAL_YEAR, calendars.GREGORIAN, today).previous()
    return current_period(YEAR, page.org.default_calendar, today).previous()


def headline_figures(page: PublicPage, period: Period, threshold: int) -> list[Headline]:
    """The page's indicators that still exist, in the order chosen, each with its suppressed total."""
    codes = tuple(code for code in page.indicators if code in INDICATORS)
    key = f"report_public:{page.pk}:{page.updated_at.timestamp()}:{period.code}:{threshold}"
    cells: dict[str, Cell] | None = cache.get(key)
    if cells is None:
        cells = _compute(page, codes, period, threshold)
        cache.set(key, cells, CACHE_SECONDS)
    return [Headline(INDICATORS[code], cells[code]) for code in codes if code in cells]


def _compute(page: PublicPage, codes: tuple[str, ...], period: Period, threshold: int) -> dict[str, Cell]:
    report = Report(
        code="public",
        title=gettext_lazy("Public figures"),
        description=gettext_lazy("The headline figures an organisation publishes."),
        indicators=codes,
        readers=frozenset(),
    )
    result = build_report(report, scope_for(page.org, period), suppress=True, threshold=threshold)
    return {item.indicator.code: item.table.total for item in result.results}
