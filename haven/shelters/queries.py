"""Reads for the shelter pages and API: network availability, today's residents, the waitlist's next
household, occupancy figures and the waitlist's risk level.

`availability` carries counts and what a facility accepts, and nothing about who occupies its beds, nor
its address: it is what another organisation of a shelter network sees.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from haven.cases.models import Appointment, Case
from haven.orgs.models import Organisation, membership_of
from haven.people.models import Person
from haven.risk.models import Assessment
from haven.shelters.actions import accepts_household
from haven.shelters.models import (
    Bed,
    Facility,
    FacilityQuerySet,
    RiskLevel,
    Stay,
    StayExtension,
    StayResident,
    TurnAway,
    WaitlistEntry,
    age_on,
)

# --- risk level ----------------------------------------------------------------------------------------

RISK_MAPPING: dict[tuple[str, str], str] = {
    # Lethality Assessment Program: screened in means she is at high risk of being killed.
    ("lap", "SCREENED_IN"): RiskLevel.HIGH,
    ("lap", "NOT_SCREENED_IN"): RiskLevel.STANDARD,
    # DASH: its own three levels.
    ("dash", "HIGH"): RiskLevel.HIGH,
    ("dash", "MEDIUM"): RiskLevel.MEDIUM,
    ("dash", "STANDARD"): RiskLevel.STANDARD,
    # Danger Assessment: "extreme danger" is the top of its scale, the one that calls for action now.
    ("da", "EXTREME"): RiskLevel.IMMINENT,
    ("da", "SEVERE"): RiskLevel.HIGH,
    ("da", "INCREASED"): RiskLevel.MEDIUM,
    ("da", "VARIABLE"): RiskLevel.STANDARD,
}
"""Instrument levels onto the waitlist's scale. ODARA's categories predict re-assault, not danger now, so
they are not mapped: staff choose the level."""


def risk_level_of(case: Case) -> str:
    """The level of her latest screen that maps onto the waitlist's scale; standard without one."""
    for instrument, level in Assessment.objects.filter(case=case).values_list("instrument", "level")[:20]:
        mapped = RISK_MAPPING.get((instrument, level))
        if mapped is not None:
            return mapped
    return RiskLevel.STANDARD


# --- availability --------------------------------------------------------------------------------------


def network_facilities(user: Any) -> FacilityQuerySet:
    """The user's organisation's facilities, and those of organisations sharing a shelter network with
    it that show their availability. Open sites only. Nothing without a membership (fail closed)."""
    membership = membership_of(user)
    if membership is None:
        return Facility.objects.none()
    partners = Organisation.objects.filter(shelter_networks__members=membership.org_id).exclude(
        pk=membership.org_id
    )
    own = Q(org_id=membership.org_id)
    shared = Q(org_id__in=partners.values("pk"), shares_availability=True)
    return Facility.objects.filter(own | shared, site__is_active=True)


@dataclass(frozen=True)
class AvailabilityFilter:
    area_id: uuid.UUID | None = None
    facility_type: str = ""
    adults: int = 0
    # Ages and sexes of the children coming: facilities that would refuse one are left out.
    children: tuple[dict[str, Any], ...] = ()
    min_free: int = 0
    needs_accessible: bool = False
    needs_cot: bool = False
    pregnant: bool = False


@dataclass
class AvailabilityRow:
    facility_id: uuid.UUID
    name: str
    organisation: str
    is_own: bool
    area: str
    facility_type: str
    operator: str
    accepts_women: bool
    accepts_children: bool
    accepts_pregnant_women: bool
    accepts_women_with_disabilities: bool
    boys_max_age: int | None
    max_stay_days: int | None
    admits_around_the_clock: bool
    hold_minutes: int
    free_beds: int = 0
    free_cots: int = 0
    free_accessible: int = 0
    held: int = 0

    @property
    def free(self) -> int:
        return self.free_beds + self.free_cots


# What a row reads of the facility, in `AvailabilityRow`'s order: its own fields, then the names. Read as
# tuples: a thousand dicts and the conversions between them were a third of the time.
_FACILITY_FIELDS = (
    "pk",
    "site__name",
    "org__name",
    "org_id",
    "site__area__name",
    "facility_type",
    "operator",
    "accepts_women",
    "accepts_children",
    "accepts_pregnant_women",
    "accepts_women_with_disabilities",
    "boys_max_age",
    "max_stay_days",
    "admits_around_the_clock",
    "hold_minutes",
)


def _accepting(facilities: FacilityQuerySet, wanted: AvailabilityFilter) -> FacilityQuerySet:
    """The filters as SQL: where she may go (area, type) and who the facility takes (the rules of
    `actions.accepts_household`, which a hold checks again, one facility at a time)."""
    if wanted.area_id is not None:
        facilities = facilities.filter(site__area_id=wanted.area_id)
    if wanted.facility_type:
        facilities = facilities.filter(facility_type=wanted.facility_type)
    if wanted.adults:
        facilities = facilities.filter(accepts_women=True)
    if wanted.pregnant:
        facilities = facilities.filter(accepts_pregnant_women=True)
    if wanted.children:
        facilities = facilities.filter(accepts_children=True)
    boys = [child["age"] for child in wanted.children if child.get("sex") == Person.Sex.MALE]
    if boys:
        facilities = facilities.filter(Q(boys_max_age__isnull=True) | Q(boys_max_age__gte=max(boys)))
    return facilities


def _free_bed_counts(facilities: FacilityQuerySet, at: datetime) -> QuerySet[Any, tuple[Any, ...]]:
    """One grouped statement over the beds alone: per facility, its free beds, cots and accessible beds,
    and its held beds, from the state the verbs keep on each bed (`Bed.is_occupied`, `Bed.held_until`).

    A bed is free when it is in use, nobody sleeps in it, and no hold on it is still running: a hold past
    its time is free at once, before any job tidies it.
    """
    free = Q(is_occupied=False) & (Q(held_until__isnull=True) | Q(held_until__lte=at))
    counts: QuerySet[Any, tuple[Any, ...]] = (
        Bed.objects.filter(facility_id__in=facilities.values("pk"), is_active=True)
        .values("facility_id")
        .annotate(
            free_beds=Count("pk", filter=free & ~Q(kind=Bed.Kind.COT)),
            free_cots=Count("pk", filter=free & Q(kind=Bed.Kind.COT)),
            free_accessible=Count("pk", filter=free & ~Q(kind=Bed.Kind.COT) & Q(is_accessible=True)),
            held=Count("pk", filter=Q(is_occupied=False, held_until__gt=at)),
        )
        .values_list("facility_id", "free_beds", "free_cots", "free_accessible", "held")
        .order_by()
    )
    return counts


def _wanted(row: AvailabilityRow, wanted: AvailabilityFilter) -> bool:
    if row.free < max(wanted.min_free, 1 if wanted.needs_cot else 0):
        return False
    if wanted.needs_cot and row.free_cots == 0:
        return False
    return not (wanted.needs_accessible and row.free_accessible == 0)


def availability(user: Any, at: datetime, wanted: AvailabilityFilter | None = None) -> list[AvailabilityRow]:
    """Free beds, cots and accessible beds, and held beds, per facility the user's network shows, with
    whom each accepts: two statements returning plain values (no model rows), whatever the size of the
    network; the counts read the state kept on each bed, not the residencies and holds. No occupant, no
    address. Own facilities first, then those with most room."""
    wanted = wanted or AvailabilityFilter()
    membership = membership_of(user)
    if membership is None:
        return []
    facilities = _accepting(network_facilities(user), wanted)
    counts = {facility_id: free for facility_id, *free in _free_bed_counts(facilities, at)}
    rows = []
    for facility_id, name, organisation, owner, area, *accepts in facilities.values_list(*_FACILITY_FIELDS):
        is_own = owner == membership.org_id
        free = counts.get(facility_id, (0, 0, 0, 0))
        row = AvailabilityRow(facility_id, name, organisation, is_own, area or "", *accepts, *free)
        if _wanted(row, wanted):
            rows.append(row)
    return sorted(rows, key=lambda row: (not row.is_own, -row.free, row.name))


# --- today's residents ---------------------------------------------------------------------------------


@dataclass
class ChildRow:
    code: str
    age: int | None
    sex: str
    bed: str


@dataclass
class ResidentRow:
    stay: Stay
    survivor_code: str
    bed: str
    children: list[ChildRow]
    planned_end: date | None
    due_to_leave: bool
    past_planned_end: bool
    overstay: bool
    next_meeting: datetime | None
    pending_extension: bool


def _stay_rows(facility: Facility, user: Any, at: datetime) -> QuerySet[Stay, Stay]:
    current = StayResident.objects.filter(ended_at__isnull=True).select_related("person", "bed__room")
    meetings = Appointment.objects.filter(
        status=Appointment.Status.SCHEDULED, starts_at__gte=at, starts_at__lt=at + timedelta(days=7)
    ).order_by("starts_at")
    return (
        Stay.objects.visible_to(user)
        .filter(facility=facility, status=Stay.Status.ACTIVE)
        .select_related("case", "facility")
        .prefetch_related(
            Prefetch("residents", queryset=current, to_attr="current"),
            Prefetch("case__appointments", queryset=meetings, to_attr="upcoming"),
            Prefetch("extensions", to_attr="all_extensions"),
        )
        .order_by("arrived_at")
    )


def is_overstay(stay: Stay, extensions: Iterable[StayExtension], today: date) -> bool:
    """Longer than the facility's longest stay, without an approved extension that covers today."""
    limit = stay.facility.max_stay_days
    if limit is None or (today - timezone.localdate(stay.arrived_at)).days <= limit:
        return False
    return not any(
        e.status == StayExtension.Status.APPROVED and e.new_planned_end >= today for e in extensions
    )


def _resident_row(stay: Any, today: date) -> ResidentRow:
    woman = next((r for r in stay.current if r.role == StayResident.Role.WOMAN), None)
    children = [
        ChildRow(r.person.survivor_code, age_on(r.person, today), r.person.sex, r.bed.label)
        for r in stay.current
        if r.role == StayResident.Role.CHILD
    ]
    planned = stay.planned_end
    return ResidentRow(
        stay=stay,
        survivor_code=woman.person.survivor_code if woman else "",
        bed=woman.bed.label if woman else "",
        children=children,
        planned_end=planned,
        due_to_leave=planned is not None and planned <= today + timedelta(days=1),
        past_planned_end=planned is not None and planned < today,
        overstay=is_overstay(stay, stay.all_extensions, today),
        next_meeting=stay.case.upcoming[0].starts_at if stay.case.upcoming else None,
        pending_extension=any(e.status == StayExtension.Status.PENDING for e in stay.all_extensions),
    )


def residents_today(facility: Facility, user: Any, at: datetime) -> list[ResidentRow]:
    """The board: each household staying now that the user may see, by survivor code (never names),
    with its children, the next meeting within a week, who is due to leave (planned end by tomorrow)
    and overstays against the facility's policy. A fixed number of queries, however many stay."""
    today = timezone.localdate(at)
    return [_resident_row(stay, today) for stay in _stay_rows(facility, user, at)]


# --- waitlist ------------------------------------------------------------------------------------------


def waitlist(facility: Facility, user: Any) -> QuerySet[WaitlistEntry, WaitlistEntry]:
    """Households waiting for this facility or for any of the organisation's, by risk then time."""
    return (
        WaitlistEntry.objects.visible_to(user)
        .filter(Q(facility=facility) | Q(facility__isnull=True, org_id=facility.org_id))
        .filter(status__in=WaitlistEntry.OPEN_STATUSES)
        .select_related("case__survivor")
        .order_by("risk_rank", "requested_at")
    )


def next_for(facility: Facility) -> WaitlistEntry | None:
    """The household to offer a freed bed to: the highest risk, then the longest waiting, among those
    still waiting (not yet offered) whom the facility accepts."""
    entries = (
        WaitlistEntry.objects.filter(status=WaitlistEntry.Status.WAITING)
        .filter(Q(facility=facility) | Q(facility__isnull=True, org_id=facility.org_id))
        .order_by("risk_rank", "requested_at")
    )
    entry: WaitlistEntry
    for entry in entries.iterator(chunk_size=50):
        if not accepts_household(facility, entry.adults, entry.children):
            return entry
    return None


# --- occupancy -----------------------------------------------------------------------------------------


@dataclass
class Occupancy:
    start: date
    end: date
    bed_nights: int = 0
    capacity_nights: int = 0
    admissions: int = 0
    admissions_with_children: int = 0
    stays_ended: int = 0
    average_stay_days: float | None = None
    turn_aways: dict[str, int] = field(default_factory=dict)

    @property
    def occupancy_rate(self) -> float | None:
        return round(self.bed_nights / self.capacity_nights, 4) if self.capacity_nights else None


def _nights(started: datetime, ended: datetime | None, start: date, end: date) -> int:
    """Nights in [start, end) a person spent: the night of day d counts when she arrived on d or before
    and left after d."""
    first = max(timezone.localdate(started), start)
    last = min(timezone.localdate(ended), end) if ended is not None else end
    return max((last - first).days, 0)


def occupancy(facilities: QuerySet[Facility, Facility], start: date, end: date) -> Occupancy:
    """Figures for the facilities over the days [start, end): bed-nights used, the rate against the
    active beds (capacity as it stands now, times the days), admissions (with children), the average
    length of the stays that ended in the period, and turn-aways by reason."""
    result = Occupancy(start=start, end=end)
    days = (end - start).days
    if days <= 0:
        return result
    ids = facilities.values("pk")
    begin = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    finish = timezone.make_aware(datetime.combine(end, datetime.min.time()))
    residents = StayResident.objects.filter(stay__facility__in=ids, started_at__lt=finish).exclude(
        ended_at__lt=begin
    )
    result.bed_nights = sum(
        _nights(s, e, start, end) for s, e in residents.values_list("started_at", "ended_at")
    )
    result.capacity_nights = Bed.objects.filter(facility__in=ids, is_active=True).count() * days
    admitted = Stay.objects.filter(facility__in=ids, arrived_at__gte=begin, arrived_at__lt=finish)
    children = StayResident.objects.filter(stay=OuterRef("pk"), role=StayResident.Role.CHILD)
    result.admissions = admitted.count()
    result.admissions_with_children = admitted.filter(Exists(children)).count()
    ended = Stay.objects.filter(facility__in=ids, ended_at__gte=begin, ended_at__lt=finish)
    lengths = [(e - a).total_seconds() / 86400 for a, e in ended.values_list("arrived_at", "ended_at")]
    result.stays_ended = len(lengths)
    result.average_stay_days = round(sum(lengths) / len(lengths), 2) if lengths else None
    turned = TurnAway.objects.filter(facility__in=ids, at__gte=begin, at__lt=finish)
    counted = defaultdict(int, dict(turned.values_list("reason").annotate(n=Count("pk")).order_by()))
    result.turn_aways = {reason: counted[reason] for reason in TurnAway.Reason.values}
    return result
