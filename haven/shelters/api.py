"""API for shelters and one-stop centres: facilities, rooms and beds, network availability, holds,
admissions, stays (extension, transfer, discharge), the waitlist, turn-aways and occupancy.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
A facility's address is only in its detail, for roles that see confidential addresses, and each such
reading is audited (`site.view`); lists and availability never carry it. Availability carries counts,
never who occupies a bed. Reading a stay is audited (`stay.view`).
"""

import uuid
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from haven.cases.catalogue import ServiceKind
from haven.cases.models import Case, manages_cases
from haven.orgs import actions as org_actions
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Site
from haven.orgs.roles import ROLES_NOT_KEPT_APART, Role
from haven.orgs.validation import LocalDateTime
from haven.people.api import PersonSex
from haven.people.models import Person
from haven.people.views import SURVIVOR_ROLES
from haven.shelters import actions, queries
from haven.shelters.models import (
    Bed,
    BedHold,
    Facility,
    RiskLevel,
    Room,
    Stay,
    StayExtension,
    StayResident,
    TurnAway,
    WaitlistEntry,
)
from haven.web.openapi import SchemaName

BedKind = Annotated[Bed.Kind, SchemaName("BedKind")]
StayDestination = Annotated[Stay.Destination, SchemaName("StayDestination")]


router = Router(tags=["shelters"])

SITE_MANAGERS = Role.managing_sites()
CASE_MANAGERS = frozenset(role for role in Role if manages_cases(role))
FACILITY = ("facility_id",)


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


# --- schemas -------------------------------------------------------------------------------------------


class PolicyIn(Schema):
    accepts_women: bool = True
    accepts_children: bool = True
    accepts_pregnant_women: bool = True
    accepts_women_with_disabilities: bool = True
    boys_max_age: int | None = Field(None, ge=0, le=17)
    max_stay_days: int | None = Field(None, ge=1, le=3650)
    hold_minutes: int = Field(90, ge=5, le=1440)
    shares_availability: bool = False
    admits_around_the_clock: bool = True
    follow_up_days: list[int] = Field(default_factory=lambda: [7, 30, 90], max_length=10)


class FacilityIn(PolicyIn):
    site_id: uuid.UUID
    facility_type: Facility.Type
    operator: Facility.Operator


class FacilityPatch(Schema):
    facility_type: Facility.Type | None = None
    operator: Facility.Operator | None = None
    accepts_women: bool | None = None
    accepts_children: bool | None = None
    accepts_pregnant_women: bool | None = None
    accepts_women_with_disabilities: bool | None = None
    boys_max_age: int | None = Field(None, ge=0, le=17)
    max_stay_days: int | None = Field(None, ge=1, le=3650)
    hold_minutes: int | None = Field(None, ge=5, le=1440)
    shares_availability: bool | None = None
    admits_around_the_clock: bool | None = None
    follow_up_days: list[int] | None = Field(None, max_length=10)


# The policy fields where null means "no limit"; for the others, null is read as "leave it as it is".
CLEARABLE_FACILITY = frozenset({"boys_max_age", "max_stay_days"})


def _facility_changes(payload: FacilityPatch) -> dict[str, Any]:
    sent = payload.dict(exclude_unset=True)
    return {name: value for name, value in sent.items() if value is not None or name in CLEARABLE_FACILITY}


class BedIn(Schema):
    label: str = Field(min_length=1, max_length=40)
    kind: BedKind = Bed.Kind.BED
    is_accessible: bool = False


class RoomIn(Schema):
    name: str = Field(min_length=1, max_length=60)
    floor: str = Field("", max_length=20)
    notes: str = Field("", max_length=2000)
    beds: list[BedIn] = Field(default_factory=list, max_length=100)


class BedsIn(Schema):
    beds: list[BedIn] = Field(min_length=1, max_length=100)


class InUseIn(Schema):
    in_use: bool


class BedOut(Schema):
    id: uuid.UUID
    label: str
    kind: str
    is_accessible: bool
    is_active: bool


class RoomOut(Schema):
    id: uuid.UUID
    name: str
    floor: str
    is_active: bool
    beds: list[BedOut]


class FacilityOut(Schema):
    id: uuid.UUID
    site_id: uuid.UUID
    name: str
    area: str
    facility_type: str
    operator: str
    accepts_women: bool
    accepts_children: bool
    accepts_pregnant_women: bool
    accepts_women_with_disabilities: bool
    boys_max_age: int | None
    max_stay_days: int | None
    hold_minutes: int
    shares_availability: bool
    admits_around_the_clock: bool
    follow_up_days: list[int]
    capacity: int


class FacilityDetailOut(FacilityOut):
    # Null when the caller's role may not see a confidential address.
    address: str | None
    rooms: list[RoomOut]


class AvailabilityOut(Schema):
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
    free_beds: int
    free_cots: int
    free_accessible: int
    held: int


class ChildIn(Schema):
    age: int = Field(ge=0, le=17)
    sex: PersonSex = Person.Sex.UNKNOWN


class AvailabilityQuery(Schema):
    area_id: uuid.UUID | None = None
    facility_type: Facility.Type | None = None
    adults: int = Field(0, ge=0, le=10)
    boys_ages: list[int] = Field(default_factory=list, description="Ages of the boys coming")
    min_free: int = Field(0, ge=0, le=50)
    needs_accessible: bool = False
    needs_cot: bool = False
    pregnant: bool = False


class HoldIn(Schema):
    facility_id: uuid.UUID
    bed_ids: list[uuid.UUID] = Field(min_length=1, max_length=20)
    adults: int = Field(1, ge=0, le=10)
    children: list[ChildIn] = Field(default_factory=list, max_length=20)
    reference: str = Field("", max_length=60)


class HoldOut(Schema):
    id: uuid.UUID
    group: uuid.UUID
    facility_id: uuid.UUID
    bed_id: uuid.UUID
    status: str
    expires_at: datetime


class ResidentIn(Schema):
    bed_id: uuid.UUID
    person_id: uuid.UUID | None = Field(
        None, description="A child of her household; empty: the woman herself"
    )


class AdmissionIn(Schema):
    facility_id: uuid.UUID
    residents: list[ResidentIn] = Field(min_length=1, max_length=20)
    arrival_kind: Stay.Arrival
    services_started: list[ServiceKind] = Field(default_factory=list)
    planned_end: date | None = None
    hold_id: uuid.UUID | None = None


class ShelterTransferIn(Schema):
    facility_id: uuid.UUID
    residents: list[ResidentIn] = Field(min_length=1, max_length=20)
    planned_end: date | None = None
    hold_id: uuid.UUID | None = None


class DischargeIn(Schema):
    destination: StayDestination
    left_at: LocalDateTime | None = Field(None, description="When she left; default: now")


class ExtensionIn(Schema):
    new_planned_end: date
    reason: str = Field(min_length=1, max_length=4000)


class ShelterDecisionIn(Schema):
    approve: bool


class ResidentOut(Schema):
    person_id: uuid.UUID
    survivor_code: str
    role: str
    bed_id: uuid.UUID
    bed: str
    started_at: datetime
    ended_at: datetime | None


class ExtensionOut(Schema):
    id: uuid.UUID
    new_planned_end: date
    status: str
    requested_at: datetime
    decided_at: datetime | None


class StayOut(Schema):
    id: uuid.UUID
    facility_id: uuid.UUID
    case_id: uuid.UUID
    status: str
    arrival_kind: str
    arrived_at: datetime
    planned_end: date | None
    services_started: list[str]
    ended_at: datetime | None
    destination: str
    transferred_from_id: uuid.UUID | None
    residents: list[ResidentOut]
    extensions: list[ExtensionOut]


class BoardChildOut(Schema):
    code: str
    age: int | None
    sex: str
    bed: str


class BoardRowOut(Schema):
    stay_id: uuid.UUID
    survivor_code: str
    bed: str
    children: list[BoardChildOut]
    planned_end: date | None
    due_to_leave: bool
    past_planned_end: bool
    overstay: bool
    pending_extension: bool
    next_meeting: datetime | None


class WaitlistIn(Schema):
    facility_id: uuid.UUID | None = Field(None, description="Empty: any facility of the organisation")
    adults: int = Field(1, ge=1, le=10)
    children: list[ChildIn] = Field(default_factory=list, max_length=20)
    risk_level: RiskLevel | None = Field(None, description="Default: from her latest risk screen")


class WaitlistOut(Schema):
    id: uuid.UUID
    facility_id: uuid.UUID | None
    case_id: uuid.UUID
    survivor_code: str
    source: str
    adults: int
    children: list[dict[str, Any]]
    risk_level: str
    status: str
    requested_at: datetime
    offered_at: datetime | None


class OfferIn(Schema):
    facility_id: uuid.UUID
    bed_ids: list[uuid.UUID] = Field(min_length=1, max_length=20)


class TurnAwayIn(Schema):
    reason: TurnAway.Reason
    adults: int = Field(1, ge=0, le=10)
    children: int = Field(0, ge=0, le=20)


class TurnAwayOut(Schema):
    id: uuid.UUID
    reason: str
    adults: int
    children: int
    at: datetime


class OccupancyQuery(Schema):
    start: date | None = Field(None, description="First day; default: 30 days ago")
    end: date | None = Field(None, description="Day after the last; default: today")


class OccupancyOut(Schema):
    start: date
    end: date
    bed_nights: int
    capacity_nights: int
    occupancy_rate: float | None
    admissions: int
    admissions_with_children: int
    stays_ended: int
    average_stay_days: float | None
    turn_aways: dict[str, int]


# --- helpers -------------------------------------------------------------------------------------------


def _facility(request: StaffRequest, facility_id: uuid.UUID, action: str = "view") -> Facility:
    queryset = Facility.objects.select_related("site__area", "site__org", "org")
    facility: Facility = get_visible_or_404(queryset, request.user, action, pk=facility_id)
    return facility


def _capacity(facility: Facility) -> int:
    """Active beds: annotated on lists (one query for all), counted for a single facility."""
    annotated: int | None = getattr(facility, "capacity", None)
    if annotated is not None:
        return annotated
    return Bed.objects.filter(facility=facility, is_active=True).count()


def _facility_out(facility: Facility, schema: Any = FacilityOut, **extra: Any) -> Any:
    site = facility.site
    return schema(
        id=facility.pk,
        site_id=site.pk,
        name=site.name,
        area=site.area.name if site.area is not None else "",
        facility_type=facility.facility_type,
        operator=facility.operator,
        accepts_women=facility.accepts_women,
        accepts_children=facility.accepts_children,
        accepts_pregnant_women=facility.accepts_pregnant_women,
        accepts_women_with_disabilities=facility.accepts_women_with_disabilities,
        boys_max_age=facility.boys_max_age,
        max_stay_days=facility.max_stay_days,
        hold_minutes=facility.hold_minutes,
        shares_availability=facility.shares_availability,
        admits_around_the_clock=facility.admits_around_the_clock,
        follow_up_days=facility.follow_up_days,
        capacity=_capacity(facility),
        **extra,
    )


def _room_out(room: Room) -> RoomOut:
    beds = [
        BedOut(id=b.pk, label=b.label, kind=b.kind, is_accessible=b.is_accessible, is_active=b.is_active)
        for b in room.beds.all()
    ]
    return RoomOut(id=room.pk, name=room.name, floor=room.floor, is_active=room.is_active, beds=beds)


def _detail_out(request: StaffRequest, facility: Facility) -> FacilityDetailOut:
    site = facility.site
    show = site.address_visible_to(request.user)
    if show and site.is_confidential:
        org_actions.record_site_view(site=site, acting_user=request.user, at=timezone.now())
    rooms = Room.objects.filter(facility=facility).prefetch_related("beds")
    result: FacilityDetailOut = _facility_out(
        facility,
        FacilityDetailOut,
        address=site.address if show else None,
        rooms=[_room_out(r) for r in rooms],
    )
    return result


def _beds_of(facility: Facility, bed_ids: list[uuid.UUID]) -> list[Bed]:
    """Beds named in a body, of this facility; an unknown one is a field error, not a 404."""
    beds = list(Bed.objects.filter(facility=facility, pk__in=bed_ids))
    if len(beds) != len(set(bed_ids)):
        raise ValidationError({"bed_ids": _("Choose beds of this facility.")})
    by_id = {bed.pk: bed for bed in beds}
    return [by_id[pk] for pk in bed_ids]


def _residents(case: Case, facility: Facility, rows: list[ResidentIn]) -> list[tuple[Person, Bed]]:
    beds = {bed.pk: bed for bed in Bed.objects.filter(facility=facility, pk__in=[r.bed_id for r in rows])}
    person_ids = {r.person_id or case.survivor_id for r in rows}
    people = {p.pk: p for p in Person.objects.filter(org_id=case.org_id, pk__in=person_ids)}
    pairs = []
    for row in rows:
        bed, person = beds.get(row.bed_id), people.get(row.person_id or case.survivor_id)
        if bed is None:
            raise ValidationError({"residents": _("Choose beds of this facility.")})
        if person is None:
            raise ValidationError({"residents": _("Choose a child of her household.")})
        pairs.append((person, bed))
    return pairs


def _hold(facility: Facility, hold_id: uuid.UUID | None) -> BedHold | None:
    if hold_id is None:
        return None
    hold: BedHold | None = BedHold.objects.filter(pk=hold_id, facility=facility).first()
    if hold is None:
        raise ValidationError({"hold_id": _("No such hold on this facility.")})
    return hold


def _stay(request: StaffRequest, stay_id: uuid.UUID, action: str = "view") -> Stay:
    queryset = Stay.objects.select_related("case__org", "facility__site")
    stay: Stay = get_visible_or_404(queryset, request.user, action, pk=stay_id)
    return stay


def _stay_out(stay: Stay) -> StayOut:
    residents = StayResident.objects.filter(stay=stay).select_related("person", "bed")
    return StayOut(
        id=stay.pk,
        facility_id=stay.facility_id,
        case_id=stay.case_id,
        status=stay.status,
        arrival_kind=stay.arrival_kind,
        arrived_at=stay.arrived_at,
        planned_end=stay.planned_end,
        services_started=stay.services_started,
        ended_at=stay.ended_at,
        destination=stay.destination,
        transferred_from_id=stay.transferred_from_id,
        residents=[
            ResidentOut(
                person_id=r.person_id,
                survivor_code=r.person.survivor_code,
                role=r.role,
                bed_id=r.bed_id,
                bed=r.bed.label,
                started_at=r.started_at,
                ended_at=r.ended_at,
            )
            for r in residents
        ],
        extensions=[
            ExtensionOut(
                id=e.pk,
                new_planned_end=e.new_planned_end,
                status=e.status,
                requested_at=e.requested_at,
                decided_at=e.decided_at,
            )
            for e in stay.extensions.all()
        ],
    )


def _read_stay(request: StaffRequest, stay: Stay) -> StayOut:
    """Every answer that carries a stay is a reading of it, after a change as much as on a GET."""
    actions.record_stay_view(stay=stay, acting_user=request.user, at=timezone.now())
    return _stay_out(stay)


def _case(request: StaffRequest, case_id: uuid.UUID) -> Case:
    case: Case = get_visible_or_404(
        Case.objects.select_related("org", "survivor"), request.user, "change", pk=case_id
    )
    return case


def _hold_out(hold: BedHold) -> HoldOut:
    return HoldOut(
        id=hold.pk,
        group=hold.group,
        facility_id=hold.facility_id,
        bed_id=hold.bed_id,
        status=hold.status,
        expires_at=hold.expires_at,
    )


def _entry_out(entry: WaitlistEntry) -> WaitlistOut:
    return WaitlistOut(
        id=entry.pk,
        facility_id=entry.facility_id,
        case_id=entry.case_id,
        survivor_code=entry.case.survivor.survivor_code,
        source=entry.source,
        adults=entry.adults,
        children=entry.children,
        risk_level=entry.risk_level,
        status=entry.status,
        requested_at=entry.requested_at,
        offered_at=entry.offered_at,
    )


# --- facilities, rooms, beds ---------------------------------------------------------------------------


@router.get(
    "/facilities", response=list[FacilityOut], summary="Facilities of your organisation (no addresses)"
)
@api_access(ROLES_NOT_KEPT_APART)
def list_facilities(request: StaffRequest) -> list[FacilityOut]:
    facilities = (
        Facility.objects.visible_to(request.user)
        .select_related("site__area")
        .annotate(capacity=Count("beds", filter=Q(beds__is_active=True)))
    )
    return [_facility_out(f) for f in facilities]


@router.post("/facilities", response={201: FacilityDetailOut}, summary="Describe a shelter or centre site")
@api_access(Role.managing_org())
def create_facility(request: StaffRequest, payload: FacilityIn) -> Status[FacilityDetailOut]:
    site = get_visible_or_404(Site.objects.all(), request.user, "change", pk=payload.site_id)
    fields = payload.dict(exclude={"site_id", "facility_type", "operator"})
    facility = actions.create_facility(
        site=site, facility_type=payload.facility_type, operator=payload.operator, **fields, **_now(request)
    )
    return Status(201, _detail_out(request, _facility(request, facility.pk)))


@router.get(
    "/facilities/{facility_id}", response=FacilityDetailOut, summary="One facility, its rooms and beds"
)
@api_access(ROLES_NOT_KEPT_APART, object_kwargs=FACILITY)
def get_facility(request: StaffRequest, facility_id: uuid.UUID) -> FacilityDetailOut:
    return _detail_out(request, _facility(request, facility_id))


@router.patch("/facilities/{facility_id}", response=FacilityDetailOut)
@api_access(SITE_MANAGERS, object_kwargs=FACILITY)
def update_facility(
    request: StaffRequest, facility_id: uuid.UUID, payload: FacilityPatch
) -> FacilityDetailOut:
    facility = _facility(request, facility_id, "change")
    actions.update_facility(facility=facility, changes=_facility_changes(payload), **_now(request))
    return _detail_out(request, _facility(request, facility_id))


@router.post("/facilities/{facility_id}/rooms", response={201: RoomOut})
@api_access(SITE_MANAGERS, object_kwargs=FACILITY)
def add_room(request: StaffRequest, facility_id: uuid.UUID, payload: RoomIn) -> Status[RoomOut]:
    facility = _facility(request, facility_id, "change")
    beds = [actions.NewBed(b.label, b.kind, b.is_accessible) for b in payload.beds]
    room = actions.add_room(
        facility=facility,
        name=payload.name,
        floor=payload.floor,
        notes=payload.notes,
        beds=beds,
        **_now(request),
    )
    return Status(201, _room_out(room))


def _room(request: StaffRequest, room_id: uuid.UUID) -> Room:
    room: Room = get_visible_or_404(
        Room.objects.select_related("facility__site__org"), request.user, "change", pk=room_id
    )
    return room


@router.post("/rooms/{room_id}/beds", response={201: RoomOut})
@api_access(SITE_MANAGERS, object_kwargs=("room_id",))
def add_beds(request: StaffRequest, room_id: uuid.UUID, payload: BedsIn) -> Status[RoomOut]:
    room = _room(request, room_id)
    beds = [actions.NewBed(b.label, b.kind, b.is_accessible) for b in payload.beds]
    actions.add_beds(room=room, beds=beds, **_now(request))
    return Status(201, _room_out(room))


@router.post("/rooms/{room_id}/in-use", response=RoomOut, summary="Take a room out of use, or put it back")
@api_access(SITE_MANAGERS, object_kwargs=("room_id",))
def set_room_in_use(request: StaffRequest, room_id: uuid.UUID, payload: InUseIn) -> RoomOut:
    room = actions.set_room_in_use(room=_room(request, room_id), in_use=payload.in_use, **_now(request))
    return _room_out(room)


@router.post("/beds/{bed_id}/in-use", response=BedOut, summary="Take a bed out of use, or put it back")
@api_access(SITE_MANAGERS, object_kwargs=("bed_id",))
def set_bed_in_use(request: StaffRequest, bed_id: uuid.UUID, payload: InUseIn) -> BedOut:
    bed = get_visible_or_404(
        Bed.objects.select_related("facility__site__org"), request.user, "change", pk=bed_id
    )
    bed = actions.set_bed_in_use(bed=bed, in_use=payload.in_use, **_now(request))
    return BedOut(
        id=bed.pk, label=bed.label, kind=bed.kind, is_accessible=bed.is_accessible, is_active=bed.is_active
    )


# --- availability and holds ----------------------------------------------------------------------------


@router.get("/availability", response=list[AvailabilityOut], summary="Free beds across your network")
@api_access(ROLES_NOT_KEPT_APART)
def availability(request: StaffRequest, filters: Query[AvailabilityQuery]) -> list[AvailabilityOut]:
    boys = tuple({"age": age, "sex": Person.Sex.MALE} for age in filters.boys_ages)
    wanted = queries.AvailabilityFilter(
        area_id=filters.area_id,
        facility_type=filters.facility_type or "",
        adults=filters.adults,
        children=boys,
        min_free=filters.min_free,
        needs_accessible=filters.needs_accessible,
        needs_cot=filters.needs_cot,
        pregnant=filters.pregnant,
    )
    rows = queries.availability(request.user, timezone.now(), wanted)
    return [AvailabilityOut(**row.__dict__) for row in rows]


@router.post("/holds", response={201: list[HoldOut]}, summary="Hold beds for a household on its way")
@api_access(SURVIVOR_ROLES)
def place_hold(request: StaffRequest, payload: HoldIn) -> Status[list[HoldOut]]:
    facility = _network_facility(request, payload.facility_id)
    holds = actions.place_hold(
        facility=facility,
        beds=_beds_of(facility, payload.bed_ids),
        held_by=request.org,
        adults=payload.adults,
        children=[child.dict() for child in payload.children],
        reference=payload.reference,
        **_now(request),
    )
    return Status(201, [_hold_out(hold) for hold in holds])


def _network_facility(request: StaffRequest, facility_id: uuid.UUID) -> Facility:
    facility: Facility | None = (
        queries.network_facilities(request.user).select_related("site__org").filter(pk=facility_id).first()
    )
    if facility is None:
        raise ValidationError({"facility_id": _("No such facility in your network.")})
    return facility


@router.post("/holds/{hold_id}/release", response=list[HoldOut], summary="Give back held beds")
@api_access(SURVIVOR_ROLES, object_kwargs=("hold_id",))
def release_hold(request: StaffRequest, hold_id: uuid.UUID) -> list[HoldOut]:
    hold = get_visible_or_404(BedHold.objects.all(), request.user, pk=hold_id)
    actions.release_hold(hold=hold, **_now(request))
    return [_hold_out(h) for h in BedHold.objects.filter(group=hold.group)]


# --- admissions and stays ------------------------------------------------------------------------------


@router.post("/cases/{case_id}/admissions", response={201: StayOut}, summary="Admit her household")
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def admit(request: StaffRequest, case_id: uuid.UUID, payload: AdmissionIn) -> Status[StayOut]:
    case = _case(request, case_id)
    facility = _facility(request, payload.facility_id)
    stay = actions.admit_household(
        case=case,
        facility=facility,
        residents=_residents(case, facility, payload.residents),
        arrival_kind=payload.arrival_kind,
        services_started=list(payload.services_started),
        planned_end=payload.planned_end,
        hold=_hold(facility, payload.hold_id),
        **_now(request),
    )
    return Status(201, _read_stay(request, _stay(request, stay.pk)))


@router.get("/stays/{stay_id}", response=StayOut, summary="One stay (an audited read)")
@api_access(SURVIVOR_ROLES, object_kwargs=("stay_id",))
def get_stay(request: StaffRequest, stay_id: uuid.UUID) -> StayOut:
    return _read_stay(request, _stay(request, stay_id))


@router.post("/stays/{stay_id}/extensions", response={201: ExtensionOut}, summary="Ask for a longer stay")
@api_access(SURVIVOR_ROLES, object_kwargs=("stay_id",))
def request_extension(
    request: StaffRequest, stay_id: uuid.UUID, payload: ExtensionIn
) -> Status[ExtensionOut]:
    stay = _stay(request, stay_id, "change")
    e = actions.request_extension(
        stay=stay, new_planned_end=payload.new_planned_end, reason=payload.reason, **_now(request)
    )
    out = ExtensionOut(
        id=e.pk,
        new_planned_end=e.new_planned_end,
        status=e.status,
        requested_at=e.requested_at,
        decided_at=e.decided_at,
    )
    return Status(201, out)


@router.post(
    "/extensions/{extension_id}/decision", response=StayOut, summary="Approve or refuse a longer stay"
)
@api_access(CASE_MANAGERS, object_kwargs=("extension_id",))
def decide_extension(request: StaffRequest, extension_id: uuid.UUID, payload: ShelterDecisionIn) -> StayOut:
    extension = get_visible_or_404(
        StayExtension.objects.select_related("stay"), request.user, "change", pk=extension_id
    )
    actions.decide_extension(extension=extension, approve=payload.approve, **_now(request))
    return _read_stay(request, _stay(request, extension.stay_id))


@router.post(
    "/stays/{stay_id}/transfer", response={201: StayOut}, summary="Move the household to another facility"
)
@api_access(SURVIVOR_ROLES, object_kwargs=("stay_id",))
def transfer(request: StaffRequest, stay_id: uuid.UUID, payload: ShelterTransferIn) -> Status[StayOut]:
    stay = _stay(request, stay_id, "change")
    facility = _facility(request, payload.facility_id)
    new_stay = actions.transfer_stay(
        stay=stay,
        to_facility=facility,
        residents=_residents(stay.case, facility, payload.residents),
        planned_end=payload.planned_end,
        hold=_hold(facility, payload.hold_id),
        **_now(request),
    )
    return Status(201, _read_stay(request, _stay(request, new_stay.pk)))


@router.post(
    "/stays/{stay_id}/discharge", response=StayOut, summary="She left: where to, and her follow-up plan"
)
@api_access(SURVIVOR_ROLES, object_kwargs=("stay_id",))
def discharge(request: StaffRequest, stay_id: uuid.UUID, payload: DischargeIn) -> StayOut:
    stay = _stay(request, stay_id, "change")
    actions.discharge_stay(
        stay=stay,
        destination=payload.destination,
        left_at=payload.left_at,
        **_now(request),
    )
    return _read_stay(request, _stay(request, stay_id))


@router.get("/facilities/{facility_id}/residents", response=list[BoardRowOut], summary="Today's residents")
@api_access(SURVIVOR_ROLES, object_kwargs=FACILITY)
def residents_today(request: StaffRequest, facility_id: uuid.UUID) -> list[BoardRowOut]:
    facility = _facility(request, facility_id)
    rows = queries.residents_today(facility, request.user, timezone.now())
    return [
        BoardRowOut(
            stay_id=row.stay.pk,
            survivor_code=row.survivor_code,
            bed=row.bed,
            children=[BoardChildOut(**child.__dict__) for child in row.children],
            planned_end=row.planned_end,
            due_to_leave=row.due_to_leave,
            past_planned_end=row.past_planned_end,
            overstay=row.overstay,
            pending_extension=row.pending_extension,
            next_meeting=row.next_meeting,
        )
        for row in rows
    ]


# --- waitlist and turn-aways ---------------------------------------------------------------------------


@router.get("/facilities/{facility_id}/waitlist", response=list[WaitlistOut], summary="Households waiting")
@api_access(SURVIVOR_ROLES, object_kwargs=FACILITY)
def list_waitlist(request: StaffRequest, facility_id: uuid.UUID) -> list[WaitlistOut]:
    return [_entry_out(entry) for entry in queries.waitlist(_facility(request, facility_id), request.user)]


@router.post(
    "/cases/{case_id}/waitlist", response={201: WaitlistOut}, summary="Put her household on the waitlist"
)
@api_access(SURVIVOR_ROLES, object_kwargs=("case_id",))
def add_to_waitlist(request: StaffRequest, case_id: uuid.UUID, payload: WaitlistIn) -> Status[WaitlistOut]:
    case = _case(request, case_id)
    facility = _facility(request, payload.facility_id) if payload.facility_id else None
    entry = actions.add_to_waitlist(
        case=case,
        facility=facility,
        adults=payload.adults,
        children=[child.dict() for child in payload.children],
        risk_level=payload.risk_level,
        **_now(request),
    )
    return Status(201, _entry_out(entry))


def _entry(request: StaffRequest, entry_id: uuid.UUID) -> WaitlistEntry:
    entry: WaitlistEntry = get_visible_or_404(
        WaitlistEntry.objects.select_related("case__survivor", "case__org"),
        request.user,
        "change",
        pk=entry_id,
    )
    return entry


@router.post("/waitlist/{entry_id}/offer", response=list[HoldOut], summary="Offer beds that freed up")
@api_access(SURVIVOR_ROLES, object_kwargs=("entry_id",))
def offer_bed(request: StaffRequest, entry_id: uuid.UUID, payload: OfferIn) -> list[HoldOut]:
    entry = _entry(request, entry_id)
    facility = _facility(request, payload.facility_id)
    holds = actions.offer_bed(
        entry=entry, facility=facility, beds=_beds_of(facility, payload.bed_ids), **_now(request)
    )
    return [_hold_out(hold) for hold in holds]


@router.post("/waitlist/{entry_id}/withdraw", response=WaitlistOut, summary="She no longer waits")
@api_access(SURVIVOR_ROLES, object_kwargs=("entry_id",))
def withdraw(request: StaffRequest, entry_id: uuid.UUID) -> WaitlistOut:
    entry = actions.withdraw_from_waitlist(entry=_entry(request, entry_id), **_now(request))
    return _entry_out(_entry(request, entry.pk))


@router.post(
    "/facilities/{facility_id}/turn-aways",
    response={201: TurnAwayOut},
    summary="Count a household not placed",
)
@api_access(SURVIVOR_ROLES, object_kwargs=FACILITY)
def record_turn_away(
    request: StaffRequest, facility_id: uuid.UUID, payload: TurnAwayIn
) -> Status[TurnAwayOut]:
    facility = _facility(request, facility_id)
    row = actions.record_turn_away(
        facility=facility,
        reason=payload.reason,
        adults=payload.adults,
        children=payload.children,
        **_now(request),
    )
    return Status(
        201, TurnAwayOut(id=row.pk, reason=row.reason, adults=row.adults, children=row.children, at=row.at)
    )


@router.get(
    "/facilities/{facility_id}/occupancy", response=OccupancyOut, summary="Occupancy figures for a period"
)
@api_access(ROLES_NOT_KEPT_APART, object_kwargs=FACILITY)
def occupancy(request: StaffRequest, facility_id: uuid.UUID, period: Query[OccupancyQuery]) -> OccupancyOut:
    facility = _facility(request, facility_id)
    end = period.end or timezone.localdate()
    start = period.start or end - timedelta(days=30)
    if start >= end:
        raise ValidationError({"start": _("The period must start before it ends.")})
    figures = queries.occupancy(Facility.objects.filter(pk=facility.pk), start, end)
    return OccupancyOut(occupancy_rate=figures.occupancy_rate, **figures.__dict__)
