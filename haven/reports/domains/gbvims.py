"""GBVIMS statistics: the incidents an organisation may count, broken down the way the GBVIMS does.

Counted incidents (``incidents``) are the organisation's incidents *reported* in the period (the
GBVIMS counts by date of report, the day the survivor told us), in the scope's area, that:

* she agreed may be counted in statistics shared outside (``consent_to_statistics``), and
* no other GBVIMS organisation has already reported (``reported_elsewhere``), so that a network's
  consolidated figures count each incident once.

Indicators:

* ``gbvims.incidents`` - by violence type (the stored GBVIMS classification), survivor age group at the
  incident, survivor sex, time of day, type of place, reporting delay and area;
* ``gbvims.incidents_by_context`` - by case context (IPV, child sexual abuse, early marriage...). An
  incident may carry several contexts, so the cells may add up to more than the total, which counts the
  incidents with at least one context;
* ``gbvims.incidents_by_perpetrator`` - by the alleged perpetrators' relationship to her. An incident
  with perpetrators of two relationships is counted under each; the total counts each incident once;
* ``gbvims.services`` - services started in the period for survivors with a counted incident, by
  whether we provided them or referred her, and by kind.

Everything counted is read from the incident row alone: her sex and her perpetrators' relationships are
kept on it by the verbs (``Incident.survivor_sex``, ``Incident.perpetrator_relationships``), so the
statistics over a million incidents join nothing. Contexts and relationships are JSON lists (an incident may
carry several); ``ListHolds`` tests membership set-based on both databases (``json_each`` on SQLite, ``?``
on PostgreSQL), and every value of the list is counted in one ``GROUP BY`` with a filtered count each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, Q, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils.translation import gettext_lazy as _

from haven.cases.catalogue import ServiceKind
from haven.cases.gbvims import CaseContext, DelayBucket, ViolenceType
from haven.cases.models import AllegedPerpetrator, CaseService, Incident
from haven.orgs.roles import Role
from haven.people.models import Person
from haven.reports.grouping import expression
from haven.reports.indicators import (
    AREA,
    DIMENSIONS,
    Cell,
    Dimension,
    Indicator,
    Report,
    Scope,
    Source,
    Table,
    Unit,
    age_group,
    choice_labels,
    count_indicator,
    register,
    register_dimension,
    register_report,
)

VIOLENCE_TYPE = "violence_type"
CASE_CONTEXT = "case_context"
SURVIVOR_SEX = "survivor_sex"
PERPETRATOR_RELATIONSHIP = "perpetrator_relationship"
TIME_OF_DAY = "time_of_day"
PLACE_TYPE = "place_type"
REPORTING_DELAY = "reporting_delay"
SERVICE_STATUS = "service_status"
SERVICE_KIND = "service_kind"
AGE_GROUP = "age_group"

COUNTED = Q(consent_to_statistics=True, reported_elsewhere=False)
"""The incidents GBVIMS statistics may count: she consented, and no other GBVIMS organisation reported it."""


def shared_dimension(code: str, label: Any, choices: Any) -> Dimension:
    # A dimension another domain registered first under the same code is shared, not redefined.
    return DIMENSIONS.get(code) or register_dimension(Dimension(code, label, choice_labels(choices)))


shared_dimension(VIOLENCE_TYPE, _("type of violence"), ViolenceType.choices)
shared_dimension(CASE_CONTEXT, _("case context"), CaseContext.choices)
shared_dimension(SURVIVOR_SEX, _("survivor's sex"), Person.Sex.choices)
shared_dimension(
    PERPETRATOR_RELATIONSHIP, _("perpetrator's relationship to her"), AllegedPerpetrator.Relationship.choices
)
shared_dimension(TIME_OF_DAY, _("time of day"), Incident.TimeOfDay.choices)
shared_dimension(PLACE_TYPE, _("type of place"), Incident.PlaceType.choices)
shared_dimension(REPORTING_DELAY, _("time before reporting"), DelayBucket.choices)
shared_dimension(SERVICE_STATUS, _("provided or referred"), CaseService.Status.choices)
shared_dimension(SERVICE_KIND, _("service"), ServiceKind.choices)


class ListHolds(models.Expression):
    """True when the JSON list in ``lookup`` holds the text ``value`` (set-based on SQLite and PostgreSQL)."""

    output_field = models.BooleanField()

    def __init__(self, lookup: str, value: str) -> None:
        super().__init__()
        self.source: Any = models.F(lookup)
        self.value: Any = models.Value(value, output_field=models.TextField())

    def get_source_expressions(self) -> list[Any]:
        return [self.source, self.value]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.source, self.value = exprs

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> tuple[str, Any]:
        column, column_params = compiler.compile(self.source)
        value, value_params = compiler.compile(self.value)
        # Both parts are compiled by Django (a column and a placeholder); the values travel as parameters.
        sql = f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = {value})"  # noqa: S608
        return sql, (*column_params, *value_params)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Any]:
        column, column_params = compiler.compile(self.source)
        value, value_params = compiler.compile(self.value)
        # ``?``: the text is an element of the list; cheaper per row than containment (``@>``).
        return f"({column} ? {value})", (*column_params, *value_params)


# --- Which incidents count, and where each breakdown reads its value ------------------------------------


def incidents(scope: Scope) -> QuerySet[Incident]:
    """The incidents of the scope that the GBVIMS statistics count."""
    counted = Incident.objects.filter(COUNTED, org=scope.org)
    return counted.filter(scope.days("reported_on") & scope.in_area("area"))


INCIDENT_SOURCES: dict[str, Source] = {
    VIOLENCE_TYPE: "violence_type",
    AGE_GROUP: age_group("survivor_age_at_incident"),
    SURVIVOR_SEX: "survivor_sex",
    TIME_OF_DAY: "time_of_day",
    PLACE_TYPE: "place_type",
    REPORTING_DELAY: "delay_bucket",
    AREA: "area",
}
"""Each incident breakdown → the field or expression it groups by."""


# --- Contexts and perpetrators: several per incident ----------------------------------------------------

CONTEXT_SOURCES: dict[str, Source] = {
    code: source
    for code, source in INCIDENT_SOURCES.items()
    if code in (VIOLENCE_TYPE, AGE_GROUP, SURVIVOR_SEX, AREA)
}
PERPETRATOR_SOURCES: dict[str, Source] = {
    code: source for code, source in INCIDENT_SOURCES.items() if code in (VIOLENCE_TYPE, AGE_GROUP, AREA)
}


def list_table(
    code: str,
    records: QuerySet[Incident],
    by: tuple[str, ...],
    listed: tuple[str, str, Sequence[str]],
    sources: dict[str, Source],
) -> Table:
    """Incidents by a value they hold in a JSON list, e.g. their contexts; the total counts each once.

    ``listed`` is the list's dimension, its field and its possible values. ``records`` are the incidents
    whose list is not empty. One ``GROUP BY`` over the other breakdowns, with one filtered count per
    value and the incidents of the group: their sum is the total.
    """
    dimension, field, values = listed
    rest = [code for code in by if code != dimension]
    aliases = {f"d_{index}": expression(sources[code]) for index, code in enumerate(rest)}
    counts: dict[str, Any] = {
        f"c_{index}": Count("pk", filter=Q(ListHolds(field, value))) for index, value in enumerate(values)
    }
    counts["n"] = Count("pk")
    rows: list[dict[str, Any]] = (
        list(records.annotate(**aliases).values(*aliases).annotate(**counts).order_by())
        if aliases
        else [records.aggregate(**counts)]
    )
    table = Table(code, by)
    for row in rows:
        others = tuple(row[alias] for alias in aliases)
        if dimension not in by:
            table.cells[others] = Cell(row["n"])
            continue
        position = by.index(dimension)
        for index, value in enumerate(values):
            if row[f"c_{index}"]:
                table.cells[(*others[:position], value, *others[position:])] = Cell(row[f"c_{index}"])
    table.total = Cell(sum(row["n"] for row in rows))
    return table


def _context_table(scope: Scope, by: tuple[str, ...]) -> Table:
    listed = (CASE_CONTEXT, "contexts", CaseContext.values)
    records = incidents(scope).exclude(contexts=[])
    return list_table("gbvims.incidents_by_context", records, by, listed, CONTEXT_SOURCES)


def _perpetrator_table(scope: Scope, by: tuple[str, ...]) -> Table:
    listed = (PERPETRATOR_RELATIONSHIP, "perpetrator_relationships", AllegedPerpetrator.Relationship.values)
    records = incidents(scope).exclude(perpetrator_relationships=[])
    return list_table("gbvims.incidents_by_perpetrator", records, by, listed, PERPETRATOR_SOURCES)


# --- The indicators and the report ----------------------------------------------------------------------

INCIDENTS = register(
    count_indicator(
        code="gbvims.incidents",
        name=_("GBV incidents reported"),
        definition=_(
            "Incidents reported to us in the period that she agreed may be counted and that no other "
            "GBVIMS organisation has reported, by their GBVIMS classification."
        ),
        records=incidents,
        dimensions=INCIDENT_SOURCES,
    )
)

INCIDENTS_BY_CONTEXT = register(
    Indicator(
        code="gbvims.incidents_by_context",
        name=_("GBV incidents by case context"),
        definition=_(
            "Counted incidents by GBVIMS case context. An incident may have several contexts, so the "
            "rows may add up to more than the total, which counts incidents with at least one context."
        ),
        unit=Unit.COUNT,
        dimensions=(CASE_CONTEXT, *CONTEXT_SOURCES),
        compute=_context_table,
    )
)

INCIDENTS_BY_PERPETRATOR = register(
    Indicator(
        code="gbvims.incidents_by_perpetrator",
        name=_("GBV incidents by the alleged perpetrator's relationship to her"),
        definition=_(
            "Counted incidents by how each alleged perpetrator is related to her. An incident with "
            "perpetrators of two relationships is counted under each; the total counts it once."
        ),
        unit=Unit.COUNT,
        dimensions=(PERPETRATOR_RELATIONSHIP, *PERPETRATOR_SOURCES),
        compute=_perpetrator_table,
    )
)


def _services(scope: Scope) -> QuerySet[CaseService]:
    # Survivors with a counted incident of any date: her services belong to the statistics she agreed to.
    counted_cases = Incident.objects.filter(COUNTED, scope.in_area("area"), org=scope.org).values("case_id")
    return CaseService.objects.filter(scope.days("started_on"), org=scope.org, case_id__in=counted_cases)


SERVICES = register(
    count_indicator(
        code="gbvims.services",
        name=_("Services provided and referred"),
        definition=_(
            "Services that started in the period for survivors with a counted incident: provided by us, "
            "referred elsewhere, already received elsewhere or declined, by kind of service."
        ),
        records=_services,
        dimensions={SERVICE_STATUS: "status", SERVICE_KIND: "kind"},
    )
)

GBVIMS_REPORT = register_report(
    Report(
        code="gbvims",
        title=_("GBVIMS statistics"),
        description=_(
            "Incidents of gender-based violence reported to us, as the GBVIMS counts them: only incidents "
            "she agreed may be counted and that no other GBVIMS organisation has already reported."
        ),
        indicators=(INCIDENTS.code, INCIDENTS_BY_CONTEXT.code, INCIDENTS_BY_PERPETRATOR.code, SERVICES.code),
        readers=frozenset({Role.ORG_ADMIN, Role.CENTRE_MANAGER, Role.DATA_OFFICER}),
        record_readers=frozenset({Role.CENTRE_MANAGER}),
        shareable=True,
    )
)
