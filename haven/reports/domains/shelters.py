"""The shelters' figures: admissions, children, bed-nights, occupancy, length of stay, turn-aways and where
women went when they left.

The definitions are those of the occupancy panel (``haven.shelters.queries.occupancy``), computed here in
SQL so a year of a network of shelters is one grouped statement per figure; the tests check both give the
same numbers:

* an *admission* is a household's stay that began (``arrived_at``) in the period; a transfer to another
  facility is a new stay there, so a new admission;
* a *bed-night* is one person (the woman or a child) in a bed for one night: the night of day *d* counts
  when she arrived on *d* or before and left after *d*; a stay crossing the period's edge counts only its
  nights inside the period (local days, the organisation's time zone);
* *occupancy* is bed-nights ÷ (active beds x days of the period), capacity as it stands now;
* the *average stay* is over the stays that ended in the period, from arrival to departure, in days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.orgs.roles import Role
from haven.reports.indicators import (
    AREA,
    Cell,
    Dimension,
    Indicator,
    Report,
    Scope,
    Table,
    Unit,
    choice_labels,
    count_indicator,
    register,
    register_dimension,
    register_report,
)
from haven.shelters.models import Bed, Facility, Stay, StayResident, TurnAway


def _facility_labels(values: Iterable[Any]) -> dict[Any, str]:
    """A facility's name (its site's). Shelter names are confidential to some roles, but every reader of
    the shelters report (org admin, centre and shelter managers, data officer) may see them; a report
    that leaves the organisation must not break figures down by facility."""
    ids = [value for value in values if value is not None]
    return dict(Facility.objects.filter(pk__in=ids).values_list("pk", "site__name"))


register_dimension(Dimension("facility", _("facility"), _facility_labels))
register_dimension(Dimension("discharge_destination", _("went to"), choice_labels(Stay.Destination.choices)))
register_dimension(Dimension("turn_away_reason", _("reason"), choice_labels(TurnAway.Reason.choices)))
register_dimension(Dimension("resident_role", _("woman or child"), choice_labels(StayResident.Role.choices)))


def _bounds(scope: Scope) -> tuple[datetime, datetime]:
    """The period as moments: local midnight of its first day and of the day after its last."""
    return (
        timezone.make_aware(datetime.combine(scope.period.start, time.min)),
        timezone.make_aware(datetime.combine(scope.period.end, time.min)),
    )


# --- admissions, children, discharges, turn-aways ------------------------------------------------------


def admissions(scope: Scope) -> QuerySet[Stay, Stay]:
    begin, finish = _bounds(scope)
    return Stay.objects.filter(
        scope.in_area("facility__site__area"), org=scope.org, arrived_at__gte=begin, arrived_at__lt=finish
    )


def _children_of_stay() -> QuerySet[StayResident, StayResident]:
    return StayResident.objects.filter(stay=OuterRef("pk"), role=StayResident.Role.CHILD)


STAY_DIMENSIONS = {"facility": "facility_id", AREA: "facility__site__area_id"}

register(
    count_indicator(
        code="shelters.admissions",
        name=_("Admissions"),
        definition=_(
            "Households (a woman and the children with her) whose stay at a facility began in the "
            "period; a transfer to another facility is a new admission there."
        ),
        records=admissions,
        dimensions=STAY_DIMENSIONS,
    )
)
register(
    count_indicator(
        code="shelters.admissions_with_children",
        name=_("Admissions with children"),
        definition=_("Admissions of the period in which at least one child came with her mother."),
        records=lambda scope: admissions(scope).filter(Exists(_children_of_stay())),
        dimensions=STAY_DIMENSIONS,
    )
)
register(
    count_indicator(
        code="shelters.children_admitted",
        name=_("Children admitted with their mothers"),
        definition=_(
            "Children who came with their mother in a stay that began in the period, each child once."
        ),
        records=lambda scope: StayResident.objects.filter(
            org=scope.org, role=StayResident.Role.CHILD, stay__in=admissions(scope).values("pk")
        ),
        dimensions={"facility": "stay__facility_id", AREA: "stay__facility__site__area_id"},
        distinct="person",
    )
)


def discharges(scope: Scope) -> QuerySet[Stay, Stay]:
    begin, finish = _bounds(scope)
    return Stay.objects.filter(
        scope.in_area("facility__site__area"), org=scope.org, ended_at__gte=begin, ended_at__lt=finish
    )


register(
    count_indicator(
        code="shelters.discharges",
        name=_("Departures by destination"),
        definition=_("Stays that ended in the period, by where the woman went when she left."),
        records=discharges,
        dimensions={**STAY_DIMENSIONS, "discharge_destination": "destination"},
    )
)


def turn_aways(scope: Scope) -> QuerySet[TurnAway, TurnAway]:
    begin, finish = _bounds(scope)
    return TurnAway.objects.filter(
        scope.in_area("facility__site__area"), org=scope.org, at__gte=begin, at__lt=finish
    )


register(
    count_indicator(
        code="shelters.turn_aways",
        name=_("Turn-aways"),
        definition=_("Households a facility could not take in the period (recorded without client data)."),
        records=turn_aways,
        dimensions={**STAY_DIMENSIONS, "turn_away_reason": "reason"},
    )
)

# --- bed-nights and occupancy --------------------------------------------------------------------------


def _nights_in(scope: Scope) -> ExpressionWrapper[CombinedExpression]:
    """A residency's nights inside the period, as an SQL duration (whole days)."""
    start = Value(scope.period.start, output_field=DateField())
    end = Value(scope.period.end, output_field=DateField())
    first = Greatest(TruncDate("started_at"), start, output_field=DateField())
    last = Least(Coalesce(TruncDate("ended_at"), end), end, output_field=DateField())
    return ExpressionWrapper(last - first, output_field=DurationField())


def residencies(scope: Scope) -> QuerySet[StayResident, StayResident]:
    """Residencies with at least part of a day in the period (so none has negative nights in it)."""
    begin, finish = _bounds(scope)
    return (
        StayResident.objects.filter(scope.in_area("stay__facility__site__area"))
        .filter(org=scope.org, started_at__lt=finish)
        .exclude(ended_at__lt=begin)
    )


RESIDENCY_DIMENSIONS = {
    "facility": "stay__facility_id",
    AREA: "stay__facility__site__area_id",
    "resident_role": "role",
}


def _bed_night_groups(scope: Scope, fields: list[str]) -> tuple[dict[Any, tuple[int, int]], tuple[int, int]]:
    """(bed-nights, people) per group of ``fields`` values and overall."""
    aggregates = {"nights": Sum(_nights_in(scope)), "people": Count("person", distinct=True)}
    queryset = residencies(scope)
    groups = {}
    if fields:
        for row in queryset.values(*fields).annotate(**aggregates).order_by():
            groups[tuple(row[name] for name in fields)] = (_days(row["nights"]), row["people"])
    total = queryset.aggregate(**aggregates)
    return groups, (_days(total["nights"]), total["people"])


def _days(span: Any) -> int:
    return 0 if span is None else round(span.total_seconds() / 86400)


def _bed_nights(scope: Scope, by: tuple[str, ...]) -> Table:
    groups, (nights, _people) = _bed_night_groups(scope, [RESIDENCY_DIMENSIONS[dim] for dim in by])
    table = Table("shelters.bed_nights", by, {key: Cell(value) for key, (value, _n) in groups.items()})
    table.total = Cell(nights)
    return table


register(
    Indicator(
        code="shelters.bed_nights",
        name=_("Bed-nights"),
        definition=_(
            "Nights spent in a bed in the period, one per person (the woman and each child); a stay "
            "crossing the period's start or end counts only its nights inside the period."
        ),
        unit=Unit.COUNT,
        dimensions=tuple(RESIDENCY_DIMENSIONS),
        compute=_bed_nights,
    )
)


def _beds(scope: Scope) -> QuerySet[Bed, Bed]:
    return Bed.objects.filter(scope.in_area("facility__site__area"), org=scope.org, is_active=True)


def _occupancy(scope: Scope, by: tuple[str, ...]) -> Table:
    """Bed-nights ÷ (active beds x days), in per cent to two decimals (the panel's rate x 100); the base
    is the people who slept there."""
    days = scope.period.days
    table = Table("shelters.occupancy", by)
    groups, (nights, people) = _bed_night_groups(scope, ["stay__facility_id"] if by else [])
    if by:
        beds = _beds(scope).values("facility_id").annotate(n=Count("pk")).order_by()
        for row in beds:
            used, residents = groups.get((row["facility_id"],), (0, 0))
            table.cells[(row["facility_id"],)] = _occupancy_cell(used, row["n"] * days, residents)
    table.total = _occupancy_cell(nights, _beds(scope).count() * days, people)
    return table


def _occupancy_cell(nights: int, capacity: int, people: int) -> Cell:
    return Cell(round(100 * nights / capacity, 2) if capacity else None, people)


register(
    Indicator(
        code="shelters.occupancy",
        name=_("Occupancy rate"),
        definition=_(
            "Bed-nights of the period ÷ bed-nights available (the beds in use times the days of the "
            "period), in per cent; the base is the people who slept there."
        ),
        unit=Unit.PERCENT,
        dimensions=("facility",),
        compute=_occupancy,
        additive=False,
    )
)


def _average_stay(scope: Scope, by: tuple[str, ...]) -> Table:
    length = ExpressionWrapper(F("ended_at") - F("arrived_at"), output_field=DurationField())
    aggregates = {"mean": Avg(length), "n": Count("pk")}
    table = Table("shelters.average_stay", by)
    queryset = discharges(scope)
    if by:
        for row in queryset.values("facility_id").annotate(**aggregates).order_by():
            table.cells[(row["facility_id"],)] = _stay_cell(row["mean"], row["n"])
    total = queryset.aggregate(**aggregates)
    table.total = _stay_cell(total["mean"], total["n"])
    return table


def _stay_cell(mean: Any, stays: int) -> Cell:
    return Cell(round(mean.total_seconds() / 86400, 2) if mean is not None else None, stays)


register(
    Indicator(
        code="shelters.average_stay",
        name=_("Average length of stay"),
        definition=_(
            "Days from arrival to departure, averaged over the stays that ended in the period; the base "
            "is those stays."
        ),
        unit=Unit.DAYS,
        dimensions=("facility",),
        compute=_average_stay,
        additive=False,
    )
)

register_report(
    Report(
        code="shelters",
        title=_("Shelters"),
        description=_(
            "Admissions and the children who came with their mothers, bed-nights and occupancy, length "
            "of stay, households turned away and where women went when they left."
        ),
        indicators=(
            "shelters.admissions",
            "shelters.admissions_with_children",
            "shelters.children_admitted",
            "shelters.bed_nights",
            "shelters.occupancy",
            "shelters.average_stay",
            "shelters.turn_aways",
            "shelters.discharges",
        ),
        # Every reader may see the facilities' names (the "facility" dimension); see _facility_labels.
        readers=frozenset({Role.ORG_ADMIN, Role.CENTRE_MANAGER, Role.SHELTER_MANAGER, Role.DATA_OFFICER}),
        record_readers=frozenset({Role.SHELTER_MANAGER, Role.CENTRE_MANAGER}),
    )
)
