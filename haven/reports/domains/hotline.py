"""The hotline's figures: contacts by channel and type, answer times against the target, abandonment,
and the mobile teams' dispatches with the intervals between their steps.

Definitions are those of the hotline's and dispatch's own screens, over a reporting period instead of
the last 24 hours:

* a contact is *offered* when it reached us (``offered_at`` in the period); the service level counts the
  inbound contacts that are *settled* (answered, or ended without an answer), as
  ``haven.hotline.queries.service_level`` does; contacts still waiting are not judged yet;
* *answered within the target*: ``answered_at - offered_at`` at most the organisation's
  ``HotlineSettings.answer_seconds``; *abandoned*: inbound, ended, never answered;
* a dispatch counts in the period it was received (``received_at``), as in
  ``haven.dispatch.sla.compliance``; an interval is measured on the dispatches that recorded both of its
  steps, with the step bounds of ``haven.dispatch.sla.BOUNDS``.

Everything is computed in SQL (one grouped statement per figure). The medians and 90th percentiles of the
dispatch intervals read only the sorted interval lengths of the period's dispatches (a number per
dispatch, no record) and interpolate between ranks like PostgreSQL's ``percentile_cont``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.dispatch import sla
from haven.dispatch.models import Dispatch, DispatchEvent
from haven.hotline.actions import hotline_settings
from haven.hotline.models import Contact, ContactCategory
from haven.orgs.roles import Role
from haven.reports.indicators import (
    Cell,
    Dimension,
    Indicator,
    Key,
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

# --- dimensions ----------------------------------------------------------------------------------------


def _category_labels(values: Iterable[Any]) -> dict[Any, str]:
    """A first-level category's name as the organisation wrote it (its taxonomy is its own data)."""
    ids = [value for value in values if value is not None]
    return {pk: name for pk, name in ContactCategory.objects.filter(pk__in=ids).values_list("pk", "name")}


WITHIN_TARGET = "WITHIN"
UP_TO_TWICE = "UP_TO_2X"
UP_TO_FOUR_TIMES = "UP_TO_4X"
LONGER = "LONGER"

ANSWER_TIME_BUCKETS = (
    (WITHIN_TARGET, _("Within the target")),
    (UP_TO_TWICE, _("Up to twice the target")),
    (UP_TO_FOUR_TIMES, _("Two to four times the target")),
    (LONGER, _("More than four times the target")),
)

register_dimension(Dimension("contact_channel", _("channel"), choice_labels(Contact.Kind.choices)))
register_dimension(Dimension("contact_type", _("type of contact"), _category_labels))
register_dimension(Dimension("contact_direction", _("direction"), choice_labels(Contact.Direction.choices)))
register_dimension(Dimension("caller_type", _("caller"), choice_labels(Contact.CallerType.choices)))
register_dimension(Dimension("answer_time", _("time to answer"), choice_labels(ANSWER_TIME_BUCKETS)))
register_dimension(Dimension("dispatch_priority", _("priority"), choice_labels(Dispatch.Priority.choices)))
register_dimension(
    Dimension("dispatch_disposition", _("disposition"), choice_labels(Dispatch.Disposition.choices))
)

CHANNEL = {"contact_channel": "kind"}

# --- contacts ------------------------------------------------------------------------------------------


def contacts_offered(scope: Scope) -> QuerySet[Contact, Contact]:
    """The organisation's contacts that reached it (or that it made) in the period."""
    return Contact.objects.filter(org=scope.org).filter(scope.moments("offered_at"))


def settled_inbound(scope: Scope) -> QuerySet[Contact, Contact]:
    """Inbound contacts of the period that are answered or ended: what the service level judges."""
    return (
        contacts_offered(scope)
        .filter(direction=Contact.Direction.INBOUND)
        .filter(Q(answered_at__isnull=False) | Q(ended_at__isnull=False))
    )


register(
    count_indicator(
        code="hotline.contacts",
        by_area=False,
        name=_("Contacts"),
        definition=_(
            "Calls, messages and visits that reached the hotline (or follow-up calls it made) in the "
            "period. By type: the first level of the organisation's contact categories; a contact about "
            "two kinds of things counts under each, once in the total."
        ),
        records=contacts_offered,
        dimensions={
            "contact_channel": "kind",
            "contact_type": Coalesce(F("categories__parent_id"), F("categories__id")),
            "contact_direction": "direction",
            "caller_type": "caller_type",
        },
        distinct="pk",
    )
)


def _limit(scope: Scope) -> timedelta:
    return timedelta(seconds=hotline_settings(scope.org).answer_seconds)


def _answer_bucket(limit: timedelta) -> Case:
    """Each answered contact's time to answer, in steps of the target."""
    within = [
        When(answered_at__lte=F("offered_at") + Value(limit * factor, DurationField()), then=Value(code))
        for factor, code in ((1, WITHIN_TARGET), (2, UP_TO_TWICE), (4, UP_TO_FOUR_TIMES))
    ]
    return Case(*within, default=Value(LONGER))


def _answer_times(scope: Scope, by: tuple[str, ...]) -> Table:
    limit = _limit(scope)
    answered = settled_inbound(scope).filter(answered_at__isnull=False)
    sources = {"contact_channel": F("kind"), "answer_time": _answer_bucket(limit)}
    return _grouped_counts("hotline.answer_time", answered, {dim: sources[dim] for dim in by})


def _grouped_counts(code: str, queryset: QuerySet[Any, Any], by: dict[str, Any]) -> Table:
    table = Table(code, tuple(by))
    if by:
        aliases = {f"d_{index}": source for index, source in enumerate(by.values())}
        rows = queryset.annotate(**aliases).values(*aliases).annotate(n=Count("pk")).order_by()
        for row in rows:
            table.cells[tuple(row[alias] for alias in aliases)] = Cell(row["n"])
    table.total = Cell(queryset.count())
    return table


register(
    Indicator(
        code="hotline.answer_time",
        by_area=False,
        name=_("Answered contacts by time to answer"),
        definition=_(
            "Inbound contacts of the period that an agent answered, by the time from reaching the hotline "
            "to being picked up, in steps of the organisation's answer target (HotlineSettings)."
        ),
        unit=Unit.COUNT,
        dimensions=("answer_time", "contact_channel"),
        compute=_answer_times,
    )
)


def _rate_table(
    code: str,
    queryset: QuerySet[Any, Any],
    counted: Q,
    by: tuple[str, ...],
    sources: dict[str, str],
) -> Table:
    """Per group: 100 x (rows matching ``counted``) / (all rows), with the rows as the base."""
    table = Table(code, by)
    fields = [sources[dim] for dim in by]
    aggregates = {"n": Count("pk"), "hits": Count("pk", filter=counted)}
    if by:
        for row in queryset.values(*fields).annotate(**aggregates).order_by():
            table.cells[tuple(row[name] for name in fields)] = _rate(row["hits"], row["n"])
    totals = queryset.aggregate(**aggregates)
    table.total = _rate(totals["hits"], totals["n"])
    return table


def _rate(hits: int, base: int) -> Cell:
    """A percentage to one decimal, as the hotline's own service-level panel shows it."""
    return Cell(round(100 * hits / base, 1) if base else None, base)


def _answered_in_target(scope: Scope, by: tuple[str, ...]) -> Table:
    limit = Value(_limit(scope), DurationField())
    in_time = Q(answered_at__isnull=False, answered_at__lte=F("offered_at") + limit)
    return _rate_table("hotline.answered_in_target", settled_inbound(scope), in_time, by, CHANNEL)


def _abandonment(scope: Scope, by: tuple[str, ...]) -> Table:
    abandoned = Q(answered_at__isnull=True)  # settled and never answered: ended by her
    return _rate_table("hotline.abandonment", settled_inbound(scope), abandoned, by, CHANNEL)


register(
    Indicator(
        code="hotline.answered_in_target",
        by_area=False,
        name=_("Contacts answered within the target"),
        definition=_(
            "Per cent of the period's settled inbound contacts (answered or abandoned) that were answered "
            "within the organisation's answer target; the base is the settled contacts."
        ),
        unit=Unit.PERCENT,
        dimensions=("contact_channel",),
        compute=_answered_in_target,
        additive=False,
    )
)
register(
    Indicator(
        code="hotline.abandonment",
        by_area=False,
        name=_("Abandonment rate"),
        definition=_(
            "Per cent of the period's settled inbound contacts that ended before anyone answered "
            "(abandoned ÷ offered); the base is the settled contacts."
        ),
        unit=Unit.PERCENT,
        dimensions=("contact_channel",),
        compute=_abandonment,
        additive=False,
    )
)

# --- dispatches ----------------------------------------------------------------------------------------


def dispatches_received(scope: Scope) -> QuerySet[Dispatch, Dispatch]:
    return Dispatch.objects.filter(org=scope.org).filter(scope.moments("received_at"))


register(
    count_indicator(
        code="hotline.dispatches",
        by_area=False,
        name=_("Dispatches"),
        definition=_("Mobile-team dispatches received in the period (cancelled ones included)."),
        records=dispatches_received,
        dimensions={"dispatch_priority": "priority", "dispatch_disposition": "disposition"},
    )
)

DEPARTURE = (sla.RECEIVED, Dispatch.Status.EN_ROUTE)
"""Request → departure: from the answered call to the team leaving (not one of the SLA's targets)."""


def _step_time(step: str) -> Any:
    if step == sla.RECEIVED:
        return F("received_at")
    events = DispatchEvent.objects.filter(dispatch=OuterRef("pk"), step=step).values("at")[:1]
    return Subquery(events, output_field=DateTimeField())


def interval_lengths(scope: Scope, bounds: tuple[str, str], by: Sequence[str]) -> dict[Key, list[float]]:
    """Minutes between the two steps for each dispatch of the period that recorded both, grouped by
    the dimensions ``by`` (key ``()`` holds them all), each list sorted."""
    start, end = bounds
    span = ExpressionWrapper(_step_time(end) - _step_time(start), output_field=DurationField())
    fields = [_DISPATCH_FIELDS[dim] for dim in by]
    rows = (
        dispatches_received(scope)
        .annotate(span=span)
        .filter(span__isnull=False)
        .order_by("span")
        .values_list(*fields, "span")
    )
    groups: dict[Key, list[float]] = {}
    for *key, length in rows:
        minutes = length.total_seconds() / 60
        groups.setdefault((), []).append(minutes)
        if by:
            groups.setdefault(tuple(key), []).append(minutes)
    return groups


_DISPATCH_FIELDS = {"dispatch_priority": "priority"}


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """The continuous percentile of sorted values (linear between ranks, as ``percentile_cont``)."""
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _interval_compute(code: str, bounds: tuple[str, str], fraction: float) -> Callable[..., Table]:
    def compute(scope: Scope, by: tuple[str, ...]) -> Table:
        groups = interval_lengths(scope, bounds, by)
        table = Table(code, by)

        def cell(values: list[float]) -> Cell:
            return Cell(round(percentile(values, fraction), 1), len(values)) if values else Cell(None, 0)

        if by:
            table.cells = {key: cell(values) for key, values in groups.items() if key != ()}
        table.total = cell(groups.get((), []))
        return table

    return compute


_INTERVALS: tuple[tuple[str, tuple[str, str], Promise, Promise, Promise, Promise], ...] = (
    (
        "request_to_departure",
        DEPARTURE,
        _("Dispatch: request to departure, median"),
        _("Dispatch: request to departure, 90th percentile"),
        _(
            "Minutes from the answered call (the dispatch's received time) to the team leaving (en "
            "route), median over the period's dispatches that recorded both; the base is those dispatches."
        ),
        _(
            "Minutes from the answered call to the team leaving: 90 per cent of the period's dispatches that "
            "recorded both took at most this long; the base is those dispatches."
        ),
    ),
    (
        "departure_to_arrival",
        sla.BOUNDS[sla.Interval.TRAVEL],
        _("Dispatch: departure to arrival, median"),
        _("Dispatch: departure to arrival, 90th percentile"),
        _(
            "Minutes from the team leaving (en route) to its arrival on scene, median over the period's "
            "dispatches that recorded both; the base is those dispatches."
        ),
        _(
            "Minutes from the team leaving to its arrival on scene: 90 per cent of the period's dispatches "
            "that recorded both took at most this long; the base is those dispatches."
        ),
    ),
    (
        "request_to_arrival",
        sla.BOUNDS[sla.Interval.RESPONSE],
        _("Dispatch: request to arrival, median"),
        _("Dispatch: request to arrival, 90th percentile"),
        _(
            "Minutes from the answered call to the team's arrival on scene (the response time), median "
            "over the period's dispatches that recorded both; the base is those dispatches."
        ),
        _(
            "Minutes from the answered call to the team's arrival on scene: 90 per cent of the period's "
            "dispatches that recorded both took at most this long; the base is those dispatches."
        ),
    ),
)

INTERVAL_CODES: list[str] = []
for _name, _bounds, _median_name, _p90_name, _median_definition, _p90_definition in _INTERVALS:
    for _suffix, _fraction, _title, _definition in (
        ("median", 0.5, _median_name, _median_definition),
        ("p90", 0.9, _p90_name, _p90_definition),
    ):
        _code = f"hotline.{_name}_{_suffix}"
        register(
            Indicator(
                code=_code,
                name=_title,
                definition=_definition,
                unit=Unit.MINUTES,
                dimensions=("dispatch_priority",),
                compute=_interval_compute(_code, _bounds, _fraction),
                additive=False,
                by_area=False,
            )
        )
        INTERVAL_CODES.append(_code)

# --- the report ----------------------------------------------------------------------------------------

register_report(
    Report(
        code="hotline",
        title=_("Hotline and dispatch"),
        description=_(
            "Contacts by channel and type, answer times against the target, abandonment, and the mobile "
            "teams' dispatches with the time they took to leave and to arrive."
        ),
        indicators=(
            "hotline.contacts",
            "hotline.answer_time",
            "hotline.answered_in_target",
            "hotline.abandonment",
            "hotline.dispatches",
            *INTERVAL_CODES,
        ),
        # Centre and shelter managers supervise the hotline (hotline.models.supervises_hotline).
        readers=frozenset({Role.ORG_ADMIN, Role.CENTRE_MANAGER, Role.SHELTER_MANAGER, Role.DATA_OFFICER}),
        record_readers=frozenset({Role.CENTRE_MANAGER, Role.SHELTER_MANAGER}),
    )
)
