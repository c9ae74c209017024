"""Reads the shelter pages need beyond `queries.py`: bed counts for the facility list, the beds of a
facility with what each is doing now, the free beds an admission or a hold may take, live holds for the
board, her household's children, the follow-up plan a discharge would create, and the case a hold was
placed for. Reads only: every write is a verb in `actions.py`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from haven.cases.models import Case, CaseAssignment
from haven.dispatch.models import Dispatch
from haven.hotline.models import Contact
from haven.people.models import HouseholdMember, Person, SafeContact
from haven.shelters.models import Bed, BedHold, Facility, Room, Stay, StayResident, age_on, sleeps_in_bed

FOLLOW_UP_HOUR = time(10, 0)  # the hour `actions._follow_up_plan` books its phone meetings at


@dataclass
class BedCounts:
    total: int = 0
    free_beds: int = 0
    free_cots: int = 0
    held: int = 0
    occupied: int = 0

    @property
    def free(self) -> int:
        return self.free_beds + self.free_cots


def _held(at: datetime) -> Exists:
    return Exists(BedHold.objects.live(at).filter(bed_id=OuterRef("pk")))


def bed_counts(facility_ids: Iterable[uuid.UUID], at: datetime) -> dict[uuid.UUID, BedCounts]:
    """Beds in use per facility, free / held / occupied, in one grouped query."""
    rows = (
        Bed.objects.filter(facility_id__in=list(facility_ids), is_active=True)
        .annotate(occupied=sleeps_in_bed(), held=_held(at))
        .values("facility_id", "kind", "occupied", "held")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[uuid.UUID, BedCounts] = defaultdict(BedCounts)
    for row in rows:
        count = counts[row["facility_id"]]
        count.total += row["n"]
        if row["occupied"]:
            count.occupied += row["n"]
        elif row["held"]:
            count.held += row["n"]
        elif row["kind"] == Bed.Kind.COT:
            count.free_cots += row["n"]
        else:
            count.free_beds += row["n"]
    return counts


def facility_list(user: Any, at: datetime) -> list[tuple[Facility, BedCounts]]:
    """The organisation's facilities with their bed counts: two queries, whatever their number."""
    facilities = list(Facility.objects.visible_to(user).select_related("site__area", "org"))
    counts = bed_counts([f.pk for f in facilities], at)
    return [(facility, counts.get(facility.pk) or BedCounts()) for facility in facilities]


def rooms_of(facility: Facility, at: datetime) -> QuerySet[Room, Room]:
    """Rooms with their beds; each bed annotated `occupied` and `held` (a live hold) as of `at`."""
    beds = Bed.objects.annotate(occupied=sleeps_in_bed(), held=_held(at)).order_by("label")
    return Room.objects.filter(facility=facility).prefetch_related(Prefetch("beds", queryset=beds))


def free_beds(facility: Facility, at: datetime, keep_group: uuid.UUID | None = None) -> list[Bed]:
    """Beds an admission may take now: in use, nobody in them, not held (or held by `keep_group`)."""
    held = BedHold.objects.live(at).filter(bed_id=OuterRef("pk"))
    if keep_group is not None:
        held = held.exclude(group=keep_group)
    return list(
        Bed.objects.filter(facility=facility, is_active=True, room__is_active=True)
        .exclude(sleeps_in_bed())
        .exclude(Exists(held))
        .select_related("room")
        .order_by("room__name", "label")
    )


def pick_beds(free: Sequence[Bed], beds: int, cots: int, accessible: bool) -> list[Bed] | None:
    """Choose `beds` beds (an accessible one first when asked) and `cots` cots from `free`; None when
    there are not enough."""
    plain = [bed for bed in free if bed.kind == Bed.Kind.BED]
    if accessible:
        plain.sort(key=lambda bed: not bed.is_accessible)
        if not plain or not plain[0].is_accessible:
            return None
    cot_list = [bed for bed in free if bed.kind == Bed.Kind.COT]
    if len(plain) < beds or len(cot_list) < cots:
        return None
    return plain[:beds] + cot_list[:cots]


@dataclass
class HoldRow:
    group: uuid.UUID
    held_by: str
    is_own: bool
    beds: list[str]
    expires_at: datetime
    first: BedHold
    # Ages and sexes of the children coming: only for the facility's own holds.
    children: list[dict[str, Any]] = field(default_factory=list)
    adults: int | None = None


def live_holds(facility: Facility, at: datetime) -> list[HoldRow]:
    """The facility's live holds, one row per household. What the household is (adults, children's
    ages) is shown only for the facility's own holds: another organisation's hold is a count and a time."""
    holds = BedHold.objects.live(at).filter(facility=facility).select_related("bed", "held_by")
    rows: dict[uuid.UUID, HoldRow] = {}
    for hold in holds.order_by("expires_at", "bed__label"):
        own = hold.held_by_id == facility.org_id
        row = rows.get(hold.group)
        if row is None:
            row = rows[hold.group] = HoldRow(
                group=hold.group,
                held_by=hold.held_by.name,
                is_own=own,
                beds=[],
                expires_at=hold.expires_at,
                first=hold,
                children=hold.children if own else [],
                adults=hold.adults if own else None,
            )
        row.beds.append(hold.bed.label)
    return list(rows.values())


@dataclass
class ChildChoice:
    person: Person
    age: int | None


def household_children(case: Case, day: date) -> list[ChildChoice]:
    """The children living with her (her household, not left), youngest first, with their age."""
    rows = (
        HouseholdMember.objects.filter(
            household__head_id=case.survivor_id, relationship=HouseholdMember.Relationship.CHILD
        )
        .exclude(left_on__lte=day)
        .select_related("person")
    )
    children = [ChildChoice(row.person, age_on(row.person, day)) for row in rows]
    return sorted(children, key=lambda child: (child.age is None, child.age or 0, child.person.survivor_code))


@dataclass
class PlannedFollowUp:
    on: date
    days: int
    is_phone_meeting: bool


def follow_up_preview(stay: Stay, left_on: date, at: datetime) -> list[PlannedFollowUp]:
    """What `actions.discharge_stay` will put in her case if she leaves on `left_on`: a phone meeting
    with her lead worker where it is safe to call her, otherwise a follow-up to arrange a safe way. Mirrors
    `actions._follow_up_plan`; a test keeps the two in step."""
    if stay.case.is_closed:
        return []
    safe = SafeContact.objects.filter(person_id=stay.case.survivor_id, safe_to_call=True).exists()
    has_lead = CaseAssignment.objects.filter(
        case_id=stay.case_id,
        role_in_case=CaseAssignment.RoleInCase.LEAD,
        ended_at__isnull=True,
        membership__is_active=True,
    ).exists()
    planned = []
    for days in sorted(set(stay.facility.follow_up_days)):
        if left_on > date.max - timedelta(days=days):
            break  # a leaving date typed at the end of the calendar: nothing to preview after it
        day = left_on + timedelta(days=days)
        starts_at = timezone.make_aware(datetime.combine(day, FOLLOW_UP_HOUR))
        if safe and has_lead and starts_at > at:
            planned.append(PlannedFollowUp(day, days, True))
        elif day >= timezone.localdate(at):
            planned.append(PlannedFollowUp(day, days, False))
    return planned


def case_of_reference(reference: str, org_id: uuid.UUID) -> uuid.UUID | None:
    """The case a hold's reference points at (a case, a dispatch or a contact of the organisation)."""
    try:
        ref = uuid.UUID(reference)
    except ValueError:
        return None
    if Case.objects.filter(pk=ref, org_id=org_id).exists():
        return ref
    found = Dispatch.objects.filter(pk=ref, org_id=org_id).values_list("case_id", flat=True).first()
    if found is None:
        found = Contact.objects.filter(pk=ref, org_id=org_id).values_list("case_id", flat=True).first()
    return found


def stay_history(case: Case) -> QuerySet[Stay, Stay]:
    """Her stays (this one, and where she came from or went to), newest first."""
    return Stay.objects.filter(case=case).select_related("facility__site").order_by("-arrived_at")


def residents_of(stay: Stay) -> QuerySet[StayResident, StayResident]:
    return StayResident.objects.filter(stay=stay).select_related("person", "bed__room").order_by("role")


def other_facilities(facility: Facility, user: Any) -> QuerySet[Facility, Facility]:
    """Where a transfer may go: the organisation's other facilities with an open site."""
    return (
        Facility.objects.visible_to(user)
        .filter(org_id=facility.org_id, site__is_active=True)
        .exclude(pk=facility.pk)
        .select_related("site")
    )
