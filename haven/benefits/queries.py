"""Reads of the benefits core: programme overviews, the registry list and search, a beneficiary's file,
and the statistics the reports use (beneficiaries by area, cycle coverage).

Lists never carry names: the registry list shows the registry number, the area and an age band; names
and phones are decrypted only on a beneficiary's own page. Search by NID or phone goes through the
person's blind indexes, so the typed value is never compared with (or stored next to) stored values.
Statistics are counts grouped in SQL; the organisation is passed in by a caller that checked the role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from haven.benefits.cycles import covered_enrolments
from haven.benefits.models import Beneficiary, Cycle, Enrolment, Entitlement, Programme
from haven.orgs.models import Area, Organisation, membership_of
from haven.people.models import Person
from haven.privacy.blind import NormalisationError, identifier_index, phone_index

AGE_BANDS = ((0, 18), (18, 20), (20, 30), (30, 40), (40, 50), (50, 60), (60, 200))


def age_band(born_on: date | None, on: date) -> str:
    """An age band such as "30-39", not an age or a birth date: enough to read a list, not to identify."""
    if born_on is None:
        return "—"
    age = on.year - born_on.year - ((on.month, on.day) < (born_on.month, born_on.day))
    for low, high in AGE_BANDS:
        if low <= age < high:
            if low == 0:
                return _("under %(age)s") % {"age": high}
            if high == 200:
                return _("%(age)s and over") % {"age": low}
            return f"{low}–{high - 1}"
    return "—"


# --- programmes ------------------------------------------------------------------------------------------


def programmes(user: Any) -> QuerySet[Programme]:
    """The organisation's programmes with their counts of active enrolments and of cycles."""
    return Programme.objects.visible_to(user).annotate(  # type: ignore[no-any-return]
        active_enrolments=Count(
            "enrolments", filter=Q(enrolments__status=Enrolment.Status.ACTIVE), distinct=True
        ),
        cycle_count=Count("cycles", distinct=True),
    )


def enrolment_counts(programme: Programme) -> dict[str, int]:
    """Enrolments of the programme by status, and exits by reason (keys are the codes)."""
    rows = Enrolment.objects.filter(programme=programme).order_by().values_list("status", "exit_reason")
    counts: dict[str, int] = {}
    for status, reason, total in rows.annotate(total=Count("id")):
        counts[status] = counts.get(status, 0) + total
        if reason:
            counts[reason] = total
    return counts


# --- the registry ----------------------------------------------------------------------------------------


def registry(user: Any, area: Area | None = None) -> QuerySet[Beneficiary]:
    """The register for lists: no encrypted column is read, the birth date comes along for the age band."""
    rows = (
        Beneficiary.objects.visible_to(user)
        .select_related("area")
        .annotate(born_on=F("person__born_on"))
        .only("id", "org_id", "registry_number", "area__name", "area__level", "registered_at")
        .order_by("registry_number", "id")
    )
    if area is not None:
        rows = rows.filter(area__in=_area_and_below(area))
    return rows  # type: ignore[no-any-return]


def _area_and_below(area: Area) -> list[Any]:
    """The area and every area under it (a district's unions), by walking its (small) tree."""
    found, frontier = [area.pk], [area.pk]
    while frontier:
        frontier = list(Area.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        found += frontier
    return found


def find_beneficiaries(user: Any, *, national_id: str = "", phone: str = "") -> QuerySet[Beneficiary]:
    """Beneficiaries whose NID or phone is exactly this one, through the blind indexes; an unreadable
    value finds nobody."""
    membership = membership_of(user)
    found = registry(user)
    if membership is None or not (national_id.strip() or phone.strip()):
        return found.none()
    org = membership.org
    wanted = Q()
    try:
        if national_id.strip():
            wanted |= Q(
                person__id_number_index=identifier_index(org.pk, Person.IdKind.NATIONAL_ID, national_id)
            )
        if phone.strip():
            wanted |= Q(person__phone_index=phone_index(org.pk, phone, org.country))
    except NormalisationError:
        return found.none()
    return found.filter(wanted)


def entitlement_history(beneficiary: Beneficiary, limit: int = 120) -> QuerySet[Entitlement]:
    """Her entitlements, newest month first, with their cycle and programme (one query)."""
    return (
        Entitlement.objects.filter(enrolment__beneficiary=beneficiary)
        .select_related("cycle__programme", "enrolment")
        .order_by("-cycle__month", "cycle__programme__name")[:limit]
    )


# --- statistics ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaCount:
    area_id: Any
    area: str
    registered: int  # beneficiaries registered in the area
    enrolled: int  # of them, with an active enrolment (in the programme, when one is given)


def beneficiaries_by_area(org: Organisation, programme: Programme | None = None) -> list[AreaCount]:
    """Registered and actively enrolled beneficiaries per area of registration, areas by name."""
    active = Q(enrolments__status=Enrolment.Status.ACTIVE)
    if programme is not None:
        active &= Q(enrolments__programme=programme)
    rows = (
        Beneficiary.objects.filter(org=org)
        .order_by()
        .values("area_id", "area__name")
        .annotate(registered=Count("id", distinct=True), enrolled=Count("id", filter=active, distinct=True))
        .order_by("area__name")
    )
    return [AreaCount(r["area_id"], r["area__name"], r["registered"], r["enrolled"]) for r in rows]


@dataclass(frozen=True)
class Coverage:
    area_id: Any
    area: str
    covered: int  # active enrolments whose months include the cycle's
    entitled: int  # of the cycle's entitlements, those not cancelled
    missing: int  # covered enrolments without an entitlement (generation not run, or new enrolments)

    @property
    def percent(self) -> int:
        return int(self.entitled * 100 / self.covered) if self.covered else 100


def cycle_coverage(cycle: Cycle) -> list[Coverage]:
    """Per area of enrolment: enrolments the cycle covers against the entitlements it holds. Three
    grouped counts, whatever the number of enrolments."""
    covered = _count_by_area(covered_enrolments(cycle))
    live = Entitlement.objects.filter(cycle=cycle).exclude(status=Entitlement.Status.CANCELLED)
    entitled = {
        row["enrolment__area_id"]: row["n"]
        for row in live.order_by().values("enrolment__area_id").annotate(n=Count("id"))
    }
    has_one = Entitlement.objects.filter(cycle=cycle).values("enrolment_id")
    missing = _count_by_area(covered_enrolments(cycle).exclude(pk__in=has_one))
    area_ids = set(covered) | set(entitled)
    names = dict(Area.objects.filter(pk__in=area_ids).values_list("id", "name"))
    return sorted(
        (
            Coverage(
                area_id,
                names.get(area_id, ""),
                covered.get(area_id, 0),
                entitled.get(area_id, 0),
                missing.get(area_id, 0),
            )
            for area_id in area_ids
        ),
        key=lambda row: row.area,
    )


def _count_by_area(enrolments: QuerySet[Enrolment]) -> dict[Any, int]:
    return {
        row["area_id"]: row["n"] for row in enrolments.order_by().values("area_id").annotate(n=Count("id"))
    }


def coverage_totals(rows: list[Coverage]) -> Coverage:
    return Coverage(
        None,
        _("All areas"),
        sum(r.covered for r in rows),
        sum(r.entitled for r in rows),
        sum(r.missing for r in rows),
    )
