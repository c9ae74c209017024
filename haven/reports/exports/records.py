"""Record-level exports: which lists of records an organisation may take out for its own use, and who
may take each.

The rule (least privilege): a record set may be exported only by the one role that is responsible for
all of those records and already reads every one of them in Haven, never by a role that "sees figures,
not files" (organisation administrator, data officer) nor by a role that sees only its own cases.

* incidents (with the survivor code, never her name or narrative): the centre manager, who supervises
  every case of the organisation;
* beneficiaries (with the registry number, name and mobile wallet): the programme officer, who approves
  the lists that commit public money.

Rows are read in keyset order with ``iterator`` so memory stays flat; names are decrypted through the
models' encrypted fields, one row at a time, only inside the background job that builds the archive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.benefits.models import Beneficiary
from haven.cases.models import Incident
from haven.orgs.models import Organisation
from haven.orgs.roles import Role
from haven.reports.periods import Period

BATCH = 500


@dataclass(frozen=True)
class RecordSet:
    code: str
    label: Promise
    roles: frozenset[Role]
    columns: tuple[Promise, ...]
    records: Callable[[Organisation, Period], QuerySet[Any]]
    row: Callable[[Any], list[str]]

    def rows(self, org: Organisation, period: Period) -> Iterator[list[str]]:
        for record in self.records(org, period).iterator(chunk_size=BATCH):
            yield self.row(record)


class Kind(models.TextChoices):
    INCIDENTS = "INCIDENTS", _("Incidents, with the survivor code")
    BENEFICIARIES = "BENEFICIARIES", _("Beneficiaries, with registry number and name")


def _incidents(org: Organisation, period: Period) -> QuerySet[Incident]:
    return (
        Incident.objects.filter(org=org, occurred_on__gte=period.start, occurred_on__lt=period.end)
        .select_related("case__survivor", "area")
        .order_by("occurred_on", "pk")
    )


def _incident_row(incident: Incident) -> list[str]:
    age = incident.survivor_age_at_incident
    return [
        incident.case.survivor.survivor_code,
        incident.occurred_on.isoformat(),
        incident.reported_on.isoformat(),
        str(incident.get_violence_type_display()),
        str(incident.get_place_type_display()),
        str(incident.get_time_of_day_display()),
        incident.area.name if incident.area is not None else "",
        "" if age is None else str(age),
        str(_("yes") if incident.consent_to_statistics else _("no")),
        str(incident.case.get_status_display()),
    ]


def _beneficiaries(org: Organisation, period: Period) -> QuerySet[Beneficiary]:
    return (
        Beneficiary.objects.filter(org=org, registered_at__date__gte=period.start)
        .filter(registered_at__date__lt=period.end)
        .select_related("person", "area")
        .order_by("registered_at", "pk")
    )


def _beneficiary_row(beneficiary: Beneficiary) -> list[str]:
    person = beneficiary.person
    return [
        beneficiary.registry_number,
        person.survivor_code,
        person.name,
        beneficiary.area.name,
        beneficiary.registered_at.date().isoformat(),
        beneficiary.wallet_provider,
        beneficiary.wallet_number,
    ]


RECORD_SETS: dict[str, RecordSet] = {
    Kind.INCIDENTS: RecordSet(
        Kind.INCIDENTS,
        Kind.INCIDENTS.label,
        frozenset({Role.CENTRE_MANAGER}),
        (
            _("survivor code"),
            _("date of the incident"),
            _("date reported"),
            _("type of violence"),
            _("type of place"),
            _("time of day"),
            _("area"),
            _("age at the incident"),
            _("consent to statistics"),
            _("case status"),
        ),
        _incidents,
        _incident_row,
    ),
    Kind.BENEFICIARIES: RecordSet(
        Kind.BENEFICIARIES,
        Kind.BENEFICIARIES.label,
        frozenset({Role.PROGRAMME_OFFICER}),
        (
            _("registry number"),
            _("person code"),
            _("name"),
            _("area"),
            _("registered on"),
            _("mobile wallet"),
            _("mobile wallet number"),
        ),
        _beneficiaries,
        _beneficiary_row,
    ),
}

EXPORTING_ROLES: frozenset[Role] = frozenset().union(*(item.roles for item in RECORD_SETS.values()))


def sets_for(role: Role) -> list[RecordSet]:
    return [item for item in RECORD_SETS.values() if role in item.roles]
