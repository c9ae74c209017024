"""What a referral carries across: the snapshot of her data, limited to the release's scope.

The snapshot is built once, at send time, as JSON `{category: [[field, value], ...] per record}` with
codes (not translated labels), so the receiver reads it in her own language. Nothing outside the scope
is read into it. `shared_sections` turns it back into labelled rows for a page or the API.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.cases.gbvims import ViolenceType
from haven.cases.models import Case, Incident
from haven.people.models import HouseholdMember, Person, SafeContact
from haven.referrals.models import Release

Record = list[list[str]]

FIELD_LABELS: dict[str, Promise] = {
    "name": _("Name"),
    "latin_name": _("Name in Latin letters"),
    "sex": _("Sex"),
    "born_on": _("Date of birth"),
    "id_kind": _("ID document"),
    "id_number": _("ID number"),
    "phone": _("Phone"),
    "address": _("Address"),
    "safe_to_call": _("Safe to call"),
    "safe_channel": _("Safe channel"),
    "safe_hours": _("Safe hours"),
    "do_not_name_organisation": _("Do not name the organisation on calls"),
    "opened_on": _("Case opened on"),
    "languages": _("Languages spoken"),
    "needs_interpreter": _("Needs an interpreter"),
    "occurred_on": _("Date of the incident"),
    "violence_type": _("Type of violence"),
    "place_type": _("Type of place"),
    "narrative": _("What happened, in her words"),
    "relationship": _("Relationship"),
}
CHOICES: dict[str, type[models.TextChoices]] = {
    "sex": Person.Sex,
    "id_kind": Person.IdKind,
    "safe_channel": SafeContact.Channel,
    "violence_type": ViolenceType,
    "place_type": Incident.PlaceType,
    "relationship": HouseholdMember.Relationship,
}
BOOLEANS = frozenset({"safe_to_call", "do_not_name_organisation", "needs_interpreter"})


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def _record(obj: Any, names: tuple[str, ...]) -> Record:
    """The named fields of `obj` that hold something, as [field, text] pairs."""
    pairs = [[name, _text(getattr(obj, name))] for name in names]
    return [pair for pair in pairs if pair[1]]


def _identity(case: Case) -> list[Record]:
    return [_record(case.survivor, ("name", "latin_name", "sex", "born_on", "id_kind", "id_number"))]


def _contact(case: Case) -> list[Record]:
    record = _record(case.survivor, ("phone", "address"))
    safe = SafeContact.objects.filter(person=case.survivor).first()
    if safe is not None:
        record += _record(safe, ("safe_to_call", "safe_channel", "safe_hours", "do_not_name_organisation"))
    return [record]


def _case_summary(case: Case) -> list[Record]:
    summary = [["opened_on", case.opened_at.date().isoformat()]]
    return [summary + _record(case.survivor, ("languages", "needs_interpreter"))]


def _incidents(case: Case) -> list[Record]:
    names = ("occurred_on", "violence_type", "place_type", "narrative")
    return [
        _record(incident, names) for incident in Incident.objects.filter(case=case).order_by("occurred_on")
    ]


def _household(case: Case) -> list[Record]:
    members = HouseholdMember.objects.filter(household__head=case.survivor, left_on__isnull=True)
    return [
        [["relationship", member.relationship], *_record(member.person, ("name", "born_on"))]
        for member in members.select_related("person").order_by("relationship", "person__survivor_code")
    ]


COLLECTORS: dict[str, Callable[[Case], list[Record]]] = {
    Release.Scope.IDENTITY: _identity,
    Release.Scope.CONTACT: _contact,
    Release.Scope.CASE_SUMMARY: _case_summary,
    Release.Scope.INCIDENTS: _incidents,
    Release.Scope.HOUSEHOLD: _household,
}


def build_snapshot(case: Case, release: Release) -> tuple[list[str], str]:
    """The release's categories, in catalogue order, and the JSON of her data in exactly those."""
    categories = [code for code in Release.Scope.values if code in release.scope]
    data = {code: COLLECTORS[code](case) for code in categories}
    return categories, json.dumps(data, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class SharedSection:
    category: str
    title: str
    records: list[list[tuple[str, str]]]


def _display(field: str, value: str) -> str:
    if field in CHOICES and value in CHOICES[field].values:
        return str(CHOICES[field](value).label)
    if field in BOOLEANS:
        return str(_("Yes") if value == "yes" else _("No"))
    return value


def shared_sections(snapshot: str) -> list[SharedSection]:
    """The snapshot as labelled sections, in the reader's language; nothing when it is empty (opaque or
    wiped by a revocation)."""
    if not snapshot:
        return []
    data: dict[str, list[Record]] = json.loads(snapshot)
    return [
        SharedSection(
            category=code,
            title=str(Release.Scope(code).label),
            records=[
                [(str(FIELD_LABELS.get(f, f)), _display(f, v)) for f, v in record] for record in data[code]
            ],
        )
        for code in Release.Scope.values
        if code in data
    ]
