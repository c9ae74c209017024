"""What an export is asked for: the same GET parameters as the report page (``report``, ``period``,
``area``, ``area_level``, ``by``, ``compare``), read into a computed ``ReportResult``.

Suppression follows the reader, as on the page: a role among the report's ``record_readers`` sees small
cells; every other reader gets them suppressed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from haven.orgs.models import Area, Membership, Organisation
from haven.orgs.roles import KEPT_APART_ROLES
from haven.reports.indicators import DIMENSIONS, IndicatorError, Report, report, scope_for
from haven.reports.periods import PeriodError, parse_period
from haven.reports.queries import ReportResult, build_report
from haven.reports.suppression import configured_threshold

PARAMETERS = ("report", "period", "area", "area_level", "by", "compare")
TRUE_WORDS = frozenset({"1", "true", "on", "yes"})


def threshold_of(org: Organisation) -> int:
    """The suppression threshold for ``org``'s figures: the installation's, as on the report pages."""
    return configured_threshold()


def readable_report(code: str, membership: Membership) -> Report:
    """The report ``code`` if the member's role reads it; an unknown or unreadable report is the same
    refusal, so the message does not confirm which reports exist for other roles."""
    try:
        found = report(code)
    except IndicatorError:
        found = None
    role = membership.role_enum
    if found is None or role not in found.readers or role in KEPT_APART_ROLES:
        raise ValidationError({"report": _("There is no report “%(code)s” for you.") % {"code": code[:60]}})
    return found


def _area(org: Organisation, value: str) -> Area | None:
    if not value:
        return None
    try:
        return Area.objects.get(org=org, pk=value)
    except (Area.DoesNotExist, ValidationError, ValueError):
        raise ValidationError({"area": _("This area is not one of your organisation's areas.")}) from None


def _level(value: str) -> int | None:
    if not value:
        return None
    try:
        level = int(value)
    except ValueError:
        level = 0
    if level < 1:
        raise ValidationError({"area_level": _("Choose a level of the geography (a whole number from 1).")})
    return level


def dimensions_of(query: Any) -> tuple[str, ...]:
    """``by`` given once per dimension (``by=area&by=sex``) or comma-separated (``by=area,sex``); each
    must be a known dimension (an indicator that lacks one is shown without it, as on the page)."""
    values = query.getlist("by") if hasattr(query, "getlist") else [query.get("by", "")]
    found = [part.strip() for value in values for part in str(value).split(",")]
    wanted = tuple(dict.fromkeys(part for part in found if part))
    unknown = [code for code in wanted if code not in DIMENSIONS]
    if unknown:
        raise ValidationError(
            {
                "by": _("Haven cannot break figures down by %(dimensions)s.")
                % {"dimensions": ", ".join(unknown)[:80]}
            }
        )
    return wanted


@dataclass(frozen=True)
class ReportRequest:
    report: Report
    result: ReportResult

    @property
    def file_stem(self) -> str:
        return f"{self.report.code}-{self.result.scope.period.code}".replace("..", "_").replace(".", "-")


def read_request(query: Mapping[str, Any], membership: Membership) -> ReportRequest:
    """Parse and compute; every bad parameter is a ``ValidationError`` keyed by the parameter."""
    org = membership.org
    chosen = readable_report(str(query.get("report", "")), membership)
    try:
        period = parse_period(str(query.get("period", "")))
    except PeriodError as error:
        raise ValidationError({"period": str(error)}) from None
    scope = scope_for(org, period, _area(org, str(query.get("area", ""))))
    try:
        result = build_report(
            chosen,
            scope,
            by=dimensions_of(query),
            area_level=_level(str(query.get("area_level", ""))),
            compare=str(query.get("compare", "")).lower() in TRUE_WORDS,
            suppress=not chosen.sees_small_cells(membership.role_enum),
            threshold=threshold_of(org),
        )
    except IndicatorError as error:
        raise ValidationError({"by": str(error)}) from None
    return ReportRequest(chosen, result)
