"""Verbs of the DHIS2 export: mappings, and the export of a report's figures as a ``dataValueSets``
payload. Figures leave the organisation, so they are suppressed (small cells withheld) and each export is
audited. A mapping that misses an element refuses the whole export, listing what is missing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haven.orgs.models import Area, Organisation
from haven.privacy import audit
from haven.reports import suppression
from haven.reports.dhis2.models import ElementMapping, OrgUnitMapping
from haven.reports.indicators import (
    INDICATORS,
    Indicator,
    IndicatorError,
    Number,
    Report,
    Scope,
    Table,
    indicator,
    report,
    scope_for,
)
from haven.reports.periods import FISCAL_YEAR, HALF, MONTH, QUARTER, YEAR, Period, PeriodError, parse_period
from haven.web import calendars

if TYPE_CHECKING:
    from haven.accounts.models import User

MAPPING_CHANGE = audit.register_action("dhis2_mapping.change", "A DHIS2 mapping was added or removed")
EXPORT = audit.register_action("dhis2.export", "Figures were exported as a DHIS2 data value set")

UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")
"""A DHIS2 identifier: 11 characters, a letter then letters and digits."""

Json = dict[str, Any]


def _audit(action: str, obj: Any, org_id: Any, actor: User | None, at: datetime, fields: list[str]) -> None:
    audit.record(action=action, actor=actor, org=Organisation(pk=org_id), obj=obj, at=at, fields=fields)


def _uid(field: str, value: str, *, optional: bool = False) -> str:
    value = value.strip()
    if optional and not value:
        return ""
    if not UID.match(value):
        raise ValidationError(
            {field: _("A DHIS2 id has 11 letters or digits and starts with a letter (e.g. fbfJHSPpUQD).")}
        )
    return value


def add_element_mapping(
    *,
    org: Organisation,
    indicator: str,
    dimension: str = "",
    value: str = "",
    data_element: str,
    category_option_combo: str = "",
    acting_user: User | None,
    at: datetime,
) -> ElementMapping:
    """Map an indicator's total (no dimension) or one dimension value to a DHIS2 data element."""
    known = INDICATORS.get(indicator.strip())
    if known is None:
        raise ValidationError(
            {"indicator": _("There is no indicator “%(code)s”.") % {"code": indicator[:60]}}
        )
    dimension, value = dimension.strip(), value.strip()
    if dimension and dimension not in known.dimensions:
        raise ValidationError({"dimension": _("This indicator cannot be broken down by this dimension.")})
    if bool(dimension) != bool(value):
        raise ValidationError({"value": _("Give both a dimension and its value, or neither for the total.")})
    mapping = ElementMapping(
        org=org,
        indicator=known.code,
        dimension=dimension,
        value=value[:80],
        data_element=_uid("data_element", data_element),
        category_option_combo=_uid("category_option_combo", category_option_combo, optional=True),
        created_at=at,
    )
    if ElementMapping.objects.filter(
        org=org, indicator=known.code, dimension=dimension, value=value
    ).exists():
        raise ValidationError({"indicator": _("This indicator (and value) is already mapped.")})
    with transaction.atomic():
        mapping.save()
        _audit(MAPPING_CHANGE, mapping, org.pk, acting_user, at, ["indicator", "data_element"])
    return mapping


def add_org_unit_mapping(
    *, org: Organisation, area: Area | None, org_unit: str, acting_user: User | None, at: datetime
) -> OrgUnitMapping:
    """The DHIS2 org unit for the whole organisation (no area) or for one of its areas."""
    if area is not None and area.org_id != org.pk:
        raise ValidationError({"area": _("Choose an area of your own organisation.")})
    if OrgUnitMapping.objects.filter(org=org, area=area).exists():
        raise ValidationError({"area": _("This area (or the organisation) already has an org unit.")})
    mapping = OrgUnitMapping(org=org, area=area, org_unit=_uid("org_unit", org_unit), created_at=at)
    with transaction.atomic():
        mapping.save()
        _audit(MAPPING_CHANGE, mapping, org.pk, acting_user, at, ["area", "org_unit"])
    return mapping


def remove_mapping(
    *, mapping: ElementMapping | OrgUnitMapping, acting_user: User | None, at: datetime
) -> None:
    with transaction.atomic():
        _audit(MAPPING_CHANGE, mapping, mapping.org_id, acting_user, at, ["deleted"])
        mapping.delete()


# --- Export -----------------------------------------------------------------------------------------------


def dhis2_period(period: Period) -> str:
    """DHIS2's own period code: 202503, 2025, 2025Q1, 2025S1, 2025July (fiscal year from July)."""
    if period.calendar == calendars.GREGORIAN:
        start = period.start
        if period.kind == MONTH:
            return f"{start.year:04d}{start.month:02d}"
        if period.kind == YEAR:
            return f"{start.year:04d}"
        if period.kind == QUARTER:
            return f"{start.year:04d}Q{(start.month - 1) // 3 + 1}"
        if period.kind == HALF:
            return f"{start.year:04d}S{1 if start.month == 1 else 2}"
    if period.kind == FISCAL_YEAR:
        return f"{period.start.year:04d}July"
    raise ValidationError(
        {"period": _("DHIS2 takes Gregorian months, quarters, half years, years and July fiscal years.")}
    )


def export_data_value_set(
    *,
    org: Organisation,
    report_code: str,
    period_code: str,
    data_set: str = "",
    acting_user: User | None,
    at: datetime,
) -> tuple[Json, int]:
    """The ``dataValueSets`` payload and how many values were withheld by small-cell suppression."""
    try:
        chosen = report(report_code.strip())
        period = parse_period(period_code)
    except (IndicatorError, PeriodError) as exc:
        raise ValidationError(str(exc)) from exc
    data_set = _uid("data_set", data_set, optional=True)
    code = dhis2_period(period)
    units = list(OrgUnitMapping.objects.filter(org=org).select_related("area"))
    if not units:
        raise ValidationError(_("Map your organisation or its areas to DHIS2 org units first."))
    elements: dict[str, list[ElementMapping]] = {}
    for mapping in ElementMapping.objects.filter(org=org, indicator__in=chosen.indicators):
        elements.setdefault(mapping.indicator, []).append(mapping)
    missing = [f"{indicator}" for indicator in chosen.indicators if indicator not in elements]
    figures = _figures(chosen, org, period, units, elements)
    hidden = _hidden(figures, _parent_units(org, units))
    values, withheld, lacking = _data_values(figures, hidden, elements, units, code)
    missing += lacking
    if missing:
        raise ValidationError(
            _("These figures have no DHIS2 data element: %(missing)s. Map them, then export again.")
            % {"missing": ", ".join(sorted(set(missing)))}
        )
    payload: Json = {"period": code, "dataValues": values}
    if data_set:
        payload = {"dataSet": data_set, **payload}
    if len(units) == 1:
        payload["orgUnit"] = units[0].org_unit
    _audit(EXPORT, None, org.pk, acting_user, at, ["report", "period"])
    return payload, withheld


# The figures of all units are suppressed together. Each unit's figures are checked as on a report page
# (a breakdown with its total); and a unit's figure with the figures of the units under it, because a
# reader of the payload can subtract: the organisation's total minus every area but one gives that one.

Entry = tuple[int, str, str, str]
"""(unit's position, indicator, dimension, value); the unit's total has dimension and value ``""``."""


@dataclass(frozen=True)
class Figure:
    value: Number | None
    additive: bool
    hidden: bool = False  # a rate on too few people, hidden already


def _figures(
    chosen: Report,
    org: Organisation,
    period: Period,
    units: list[OrgUnitMapping],
    elements: dict[str, list[ElementMapping]],
) -> dict[Entry, Figure]:
    """Every unit's unsuppressed figures: totals and the mapped dimensions' breakdowns.

    Each indicator answers all of its breakdowns for a unit at once (``Indicator.tables``: one scan of
    its records where it can), not once per dimension.
    """
    threshold = suppression.configured_threshold()
    dimensions = sorted({m.dimension for maps in elements.values() for m in maps if m.dimension})
    figures: dict[Entry, Figure] = {}
    for position, unit in enumerate(units):
        scope = scope_for(org, period, unit.area)
        for item in (indicator(code) for code in chosen.indicators):
            wanted = [(), *((dimension,) for dimension in dimensions if dimension in item.dimensions)]
            for by, table in zip(wanted, _tables(item, scope, wanted), strict=True):
                if not item.additive:
                    table = suppression.suppress(table, threshold, additive=False)
                cells = [("", table.total)] if not by else [(_text(k[0]), c) for k, c in table.cells.items()]
                for value, cell in cells:
                    entry = (position, item.code, by[0] if by else "", value)
                    figures[entry] = Figure(cell.value, item.additive, cell.suppressed)
    return figures


def _tables(item: Indicator, scope: Scope, wanted: list[tuple[str, ...]]) -> list[Table]:
    try:
        return item.tables(scope, wanted)
    except (IndicatorError, PeriodError) as exc:  # e.g. a month at the far edge of a calendar
        raise ValidationError(str(exc)) from exc


def _parent_units(org: Organisation, units: list[OrgUnitMapping]) -> dict[int, int]:
    """Each unit's position → the position of the nearest unit above it (its area's nearest mapped
    ancestor, else the organisation's own unit if it has one)."""
    parents = dict(Area.objects.filter(org=org).values_list("pk", "parent_id"))
    position_of = {unit.area_id: position for position, unit in enumerate(units)}
    above: dict[int, int] = {}
    for position, unit in enumerate(units):
        if unit.area_id is None:
            continue
        ancestor = parents.get(unit.area_id)
        while ancestor is not None and ancestor not in position_of:
            ancestor = parents.get(ancestor)
        if ancestor in position_of:  # None is there when the organisation itself is mapped
            above[position] = position_of[ancestor]
    return above


@dataclass(frozen=True)
class Rest:
    """What a unit holds beyond the mapped units under it (records with no area, unmapped areas):
    never published, but anyone can work it out as the unit's figure minus theirs."""

    of: Entry


def _hidden(figures: dict[Entry, Figure], parent_units: dict[int, int]) -> frozenset[Entry]:
    """Small additive figures and their complements, across breakdowns and units; rates hidden already."""
    counts: dict[Entry | Rest, Number] = {
        entry: figure.value or 0 for entry, figure in figures.items() if figure.additive
    }
    lines: dict[tuple[Any, ...], list[Entry | Rest]] = {}
    for entry in list(counts):
        assert not isinstance(entry, Rest)
        position, indicator, dimension, value = entry
        if dimension:  # a breakdown's cells with the unit's total
            lines.setdefault(("unit", position, indicator, dimension), [(position, indicator, "", "")])
            lines[("unit", position, indicator, dimension)].append(entry)
        parent = (parent_units.get(position, -1), indicator, dimension, value)
        if parent in counts:  # a unit's figure, the same figure of the units under it, and the rest
            lines.setdefault(("area", *parent), [parent, Rest(parent)]).append(entry)
    for line, members in lines.items():
        if line[0] == "area":
            head, rest, *children = members
            below = sum(Decimal(str(counts[child])) for child in children)
            counts[rest] = max(Decimal(0), Decimal(str(counts[head])) - below)
    threshold = suppression.configured_threshold()
    rests = frozenset(key for key in counts if isinstance(key, Rest))
    hidden = suppression.complete_lines(counts, lines, threshold, is_margin=_is_margin, derived=rests)
    published = {key for key in hidden if not isinstance(key, Rest)}
    return frozenset(published) | {entry for entry, figure in figures.items() if figure.hidden}


def _is_margin(line: tuple[Any, ...], entry: Entry | Rest) -> bool:
    """A line's total: the unit's total in a breakdown line; the parent unit's figure in an area line."""
    if isinstance(entry, Rest):
        return False
    if line[0] == "unit":
        return entry[2] == ""
    return entry == line[1:]


def _data_values(
    figures: dict[Entry, Figure],
    hidden: frozenset[Entry],
    elements: dict[str, list[ElementMapping]],
    units: list[OrgUnitMapping],
    period: str,
) -> tuple[list[Json], int, list[str]]:
    """The payload's values, how many mapped figures were withheld, and the figures nothing maps."""
    values: list[Json] = []
    withheld, missing = 0, []
    for entry, figure in figures.items():
        position, indicator, dimension, value = entry
        maps = {mapping_value(m.value): m for m in elements.get(indicator, []) if m.dimension == dimension}
        if not maps:
            continue
        mapping = maps.get(mapping_value(value))
        if mapping is None:
            if entry in hidden or figure.value:
                missing.append(f"{indicator} {dimension}={mapping_value(value)}")
        elif entry in hidden:
            withheld += 1
        elif figure.value is not None:
            values.append(_data_value(mapping, period, units[position].org_unit, figure.value))
    return values, withheld, missing


NOT_RECORDED = "-"
"""The mapping value for records where the dimension was not recorded (no area, no age given)."""


def mapping_value(value: Any) -> str:
    """A figure's dimension value as a mapping writes it: text, and NOT_RECORDED for none."""
    return NOT_RECORDED if value is None or value == "" else str(value)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _data_value(mapping: ElementMapping, period: str, org_unit: str, value: Any) -> Json:
    item: Json = {"dataElement": mapping.data_element, "period": period, "orgUnit": org_unit}
    if mapping.category_option_combo:
        item["categoryOptionCombo"] = mapping.category_option_combo
    item["value"] = _number(value)
    return item


def _number(value: Any) -> str:
    if isinstance(value, int):
        return str(value)
    text = f"{Decimal(str(value)):.4f}".rstrip("0").rstrip(".")
    return text or "0"
