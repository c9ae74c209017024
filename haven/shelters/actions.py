"""Verbs for facilities, holds, admissions, stays, the waitlist and turn-aways.

Each verb checks everything it can before it writes, then, in one transaction, locks what it changes,
checks again what another transaction could have changed meanwhile, saves and writes its audit entry
(field names only). A refusal is a `ValidationError` keyed by the field at fault, with a sentence that says
what to do instead; nothing is written when one is raised.

No bed is given twice. A verb that puts someone in a bed (admission, transfer) or holds one locks the bed
rows first, in primary-key order so two households asking for the same beds in another order cannot
deadlock, and only then reads who sleeps there and who holds it. The partial unique constraints on
`StayResident` (one current resident per bed, one current stay per person) stay as the last line of
defence: a violation that slips past the checks is turned into the same refusal, never a server error.
Lock order everywhere: beds, then the stay, then the case, then the audit chain.

Each bed also carries its state (`Bed.is_occupied`, `Bed.held_until`) for the network's availability
count. Every verb that opens or ends a residency or a hold calls `keep_bed_state` on the beds it touched,
inside its transaction and under their locks, so the last transaction to change a bed writes what all of
them committed. A hold past its time needs no write: a `held_until` in the past counts as free.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from haven.cases import care_actions
from haven.cases.actions import require_editable, schedule_follow_up
from haven.cases.catalogue import ServiceKind
from haven.cases.models import Appointment, Case, CaseAssignment, CaseService, manages_cases
from haven.orgs.models import Organisation, Site, membership_of
from haven.orgs.validation import refused_if_taken
from haven.people.models import HouseholdMember, Person, SafeContact
from haven.privacy import audit
from haven.shelters.models import (
    FACILITY_SITE_KINDS,
    RISK_RANK,
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
    age_on,
    hold_end_of_bed,
    sleeps_in_bed,
)

if TYPE_CHECKING:
    from haven.accounts.models import User

FACILITY_CREATE = audit.register_action("facility.create", "A shelter or centre was described")
FACILITY_CHANGE = audit.register_action("facility.change", "A facility's description or policy changed")
FACILITY_ROOMS = audit.register_action("facility.rooms", "Rooms or beds were added, taken out or put back")
HOLD_PLACE = audit.register_action("hold.place", "Beds were held for a household on its way")
HOLD_END = audit.register_action("hold.end", "Held beds were released or their hold expired")
STAY_ADMIT = audit.register_action("stay.admit", "A household was admitted to a facility")
STAY_VIEW = audit.register_action("stay.view", "A stay was viewed", read=True)
STAY_EXTENSION = audit.register_action("stay.extension", "A longer stay was requested or decided")
STAY_TRANSFER = audit.register_action("stay.transfer", "A household was transferred to another facility")
STAY_DISCHARGE = audit.register_action("stay.discharge", "A household left a facility")
WAITLIST_CHANGE = audit.register_action("waitlist.change", "A waitlist entry was added, offered or withdrawn")
TURN_AWAY = audit.register_action("turnaway.record", "A household could not be placed")

FACILITY_FIELDS = (
    "facility_type",
    "operator",
    "accepts_women",
    "accepts_children",
    "accepts_pregnant_women",
    "accepts_women_with_disabilities",
    "boys_max_age",
    "max_stay_days",
    "hold_minutes",
    "shares_availability",
    "admits_around_the_clock",
    "follow_up_days",
)

ONE_STOP_BUNDLE: tuple[tuple[str, str], ...] = (
    (ServiceKind.INJURY_CARE, CaseService.Status.PROVIDED),
    (ServiceKind.MEDICO_LEGAL, CaseService.Status.PROVIDED),
    (ServiceKind.CRISIS_COUNSELLING, CaseService.Status.PROVIDED),
    (ServiceKind.POLICE_REPORT, CaseService.Status.PROVIDED),
    (ServiceKind.LEGAL_INFORMATION, CaseService.Status.PROVIDED),
)
"""What a one-stop or crisis centre opens on admission: medical examination and care, counselling, police
facilitation (FIR, DIR, complaint) and legal aid. Bangladesh's centres add a DNA test referral."""

DNA_TEST_COUNTRIES = frozenset({"BD"})
FOLLOW_UP_HOUR = time(10, 0)


# --- facilities, rooms and beds ------------------------------------------------------------------------


def _check_facility(facility: Facility) -> None:
    if facility.facility_type not in Facility.Type.values:
        raise ValidationError({"facility_type": _("Choose the kind of facility.")})
    if facility.operator not in Facility.Operator.values:
        raise ValidationError({"operator": _("Say whether the state or an NGO runs it.")})
    if not 5 <= facility.hold_minutes <= 1440:
        raise ValidationError({"hold_minutes": _("Hold a bed for between 5 minutes and 24 hours.")})
    if facility.max_stay_days is not None and facility.max_stay_days < 1:
        raise ValidationError(
            {"max_stay_days": _("The longest stay is at least one day, or leave it empty.")}
        )
    days = facility.follow_up_days
    if not isinstance(days, list) or not all(isinstance(d, int) and 1 <= d <= 730 for d in days):
        raise ValidationError(
            {"follow_up_days": _("List the days after her stay as whole numbers from 1 to 730.")}
        )


def create_facility(
    *, site: Site, facility_type: str, operator: str, acting_user: User | None, at: datetime, **policy: Any
) -> Facility:
    """Describe one of the organisation's shelter or centre sites: its type, operator, whom it accepts and
    its stay policy (`policy`: any of `FACILITY_FIELDS`). Rooms and beds are added with `add_room`."""
    unknown = set(policy) - set(FACILITY_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be set here.")})
    if site.kind not in FACILITY_SITE_KINDS or not site.is_active:
        raise ValidationError(
            {"site": _("Choose an active site that is a shelter, a one-stop centre or a crisis centre.")}
        )
    if Facility.objects.filter(site=site).exists():
        raise ValidationError({"site": _("This site is already described as a facility.")})
    facility = Facility(
        org_id=site.org_id, site=site, facility_type=facility_type, operator=operator, created_at=at, **policy
    )
    _check_facility(facility)
    with transaction.atomic():
        facility.save()
        audit.record(
            action=FACILITY_CREATE,
            actor=acting_user,
            org=site.org,
            obj=facility,
            at=at,
            fields=["site", "facility_type", "operator", *sorted(policy)],
        )
    return facility


def update_facility(
    *, facility: Facility, changes: Mapping[str, Any], acting_user: User | None, at: datetime
) -> Facility:
    """Change the description or the policy. A shorter longest stay applies to admissions from now on;
    current stays keep their planned end (the board flags those now beyond the limit)."""
    unknown = set(changes) - set(FACILITY_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed here.")})
    changed = [name for name, value in changes.items() if getattr(facility, name) != value]
    for name in changed:
        setattr(facility, name, changes[name])
    _check_facility(facility)
    with transaction.atomic():
        facility.save(update_fields=changed or None)
        audit.record(
            action=FACILITY_CHANGE,
            actor=acting_user,
            org=facility.site.org,
            obj=facility,
            at=at,
            fields=changed,
        )
    return facility


@dataclass(frozen=True)
class NewBed:
    label: str
    kind: str = Bed.Kind.BED
    is_accessible: bool = False


def _check_new_beds(beds: Sequence[NewBed]) -> None:
    labels = [bed.label.strip() for bed in beds]
    if any(not label for label in labels):
        raise ValidationError({"beds": _("Give every bed a label.")})
    if len(set(labels)) != len(labels):
        raise ValidationError({"beds": _("Two beds of the room have the same label.")})
    if any(bed.kind not in Bed.Kind.values for bed in beds):
        raise ValidationError({"beds": _("A bed is a bed or a cot.")})


def _create_beds(room: Room, beds: Sequence[NewBed]) -> list[Bed]:
    return [
        Bed.objects.create(
            org_id=room.org_id,
            facility_id=room.facility_id,
            room=room,
            label=bed.label.strip(),
            kind=bed.kind,
            is_accessible=bed.is_accessible,
        )
        for bed in beds
    ]


def add_room(
    *,
    facility: Facility,
    name: str,
    floor: str = "",
    notes: str = "",
    beds: Sequence[NewBed] = (),
    acting_user: User | None,
    at: datetime,
) -> Room:
    """A room with its beds (and cots): capacity grows by its beds."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the room a name or number.")})
    if Room.objects.filter(facility=facility, name=name).exists():
        raise ValidationError({"name": _("This facility already has a room with this name.")})
    _check_new_beds(beds)
    with transaction.atomic():
        room = Room.objects.create(
            org_id=facility.org_id, facility=facility, name=name, floor=floor.strip(), notes=notes.strip()
        )
        _create_beds(room, beds)
        audit.record(
            action=FACILITY_ROOMS, actor=acting_user, org=facility.site.org, obj=room, at=at, fields=["beds"]
        )
    return room


def add_beds(*, room: Room, beds: Sequence[NewBed], acting_user: User | None, at: datetime) -> list[Bed]:
    if not beds:
        raise ValidationError({"beds": _("Add at least one bed.")})
    _check_new_beds(beds)
    taken = set(Bed.objects.filter(room=room, label__in=[b.label.strip() for b in beds]).values_list("label"))
    if taken:
        raise ValidationError({"beds": _("This room already has a bed with this label.")})
    with transaction.atomic():
        created = _create_beds(room, beds)
        audit.record(
            action=FACILITY_ROOMS,
            actor=acting_user,
            org=room.facility.site.org,
            obj=room,
            at=at,
            fields=["beds"],
        )
    return created


def _lock_beds(beds: Iterable[Bed]) -> list[Bed]:
    """Lock the bed rows in primary-key order: two verbs taking the same beds wait, never deadlock."""
    ids = sorted({bed.pk for bed in beds})
    locked = list(Bed.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    return locked


def keep_bed_state(bed_ids: Iterable[uuid.UUID]) -> None:
    """Write the beds' `is_occupied` and `held_until` from their residencies and holds, after a verb
    changed them. It locks the beds first (re-locking those the verb holds), and reads the truth in the
    next statement, which sees every transaction that changed these beds and committed before it."""
    locked = _lock_beds(Bed(pk=pk) for pk in bed_ids)
    Bed.objects.filter(pk__in=[bed.pk for bed in locked]).update(
        is_occupied=sleeps_in_bed(), held_until=hold_end_of_bed()
    )


def _occupied_ids(bed_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    rows = StayResident.objects.filter(bed_id__in=list(bed_ids), ended_at__isnull=True).values_list("bed_id")
    return {row[0] for row in rows}


def _live_holds(bed_ids: Iterable[uuid.UUID], at: datetime) -> dict[uuid.UUID, BedHold]:
    holds = BedHold.objects.live(at).filter(bed_id__in=list(bed_ids))
    return {hold.bed_id: hold for hold in holds}


def _refuse_taking_out(beds: list[Bed], at: datetime) -> None:
    """Capacity may not drop below what is in use: an occupied or held bed stays in use."""
    ids = [bed.pk for bed in beds]
    occupied = _occupied_ids(ids)
    if occupied:
        label = next(bed.label for bed in beds if bed.pk in occupied)
        raise ValidationError(
            {
                "bed": _("Bed %(bed)s is occupied: it can be taken out of use once she has left.")
                % {"bed": label}
            }
        )
    held = _live_holds(ids, at)
    if held:
        label = next(bed.label for bed in beds if bed.pk in held)
        raise ValidationError(
            {
                "bed": _("Bed %(bed)s is held for a household on its way: release the hold first.")
                % {"bed": label}
            }
        )


def set_bed_in_use(*, bed: Bed, in_use: bool, acting_user: User | None, at: datetime) -> Bed:
    """Take a bed out of use (refused while occupied or held), or put it back."""
    with transaction.atomic():
        (locked,) = _lock_beds([bed])
        if not in_use:
            _refuse_taking_out([locked], at)
        if in_use and not Room.objects.filter(pk=locked.room_id, is_active=True).exists():
            raise ValidationError({"bed": _("Put the room back in use first.")})
        locked.is_active = in_use
        locked.save(update_fields=["is_active"])
        audit.record(
            action=FACILITY_ROOMS,
            actor=acting_user,
            org=bed.facility.site.org,
            obj=locked,
            at=at,
            fields=["is_active"],
        )
    return locked


def set_room_in_use(*, room: Room, in_use: bool, acting_user: User | None, at: datetime) -> Room:
    """Take a room and all its beds out of use (refused while any is occupied or held), or put the
    room back (its beds stay out of use until each is put back: some may have been out already)."""
    with transaction.atomic():
        beds = _lock_beds(Bed.objects.filter(room=room))
        if not in_use:
            _refuse_taking_out(beds, at)
            Bed.objects.filter(room=room).update(is_active=False)
        room.is_active = in_use
        room.save(update_fields=["is_active"])
        audit.record(
            action=FACILITY_ROOMS,
            actor=acting_user,
            org=room.facility.site.org,
            obj=room,
            at=at,
            fields=["is_active"],
        )
    return room


# --- holds ---------------------------------------------------------------------------------------------


def _check_children(children: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Ages and sexes only: [{"age": 4, "sex": "MALE"}]."""
    cleaned = []
    for child in children:
        age, sex = child.get("age"), child.get("sex", Person.Sex.UNKNOWN)
        if not isinstance(age, int) or not 0 <= age <= 17:
            raise ValidationError({"children": _("Give each child's age in whole years, from 0 to 17.")})
        if sex not in Person.Sex.values:
            raise ValidationError({"children": _("Give each child's sex, or “not known”.")})
        cleaned.append({"age": age, "sex": sex})
    return cleaned


def accepts_household(facility: Facility, adults: int, children: Sequence[Mapping[str, Any]]) -> str:
    """Why the facility cannot take this household ("" when it can): the rules a hold checks too."""
    if adults and not facility.accepts_women:
        return _("This facility does not take women.")
    if children and not facility.accepts_children:
        return _("This facility does not take children.")
    limit = facility.boys_max_age
    if limit is not None and any(c["sex"] == Person.Sex.MALE and c["age"] > limit for c in children):
        return _("Boys older than %(age)d cannot stay at this facility.") % {"age": limit}
    return ""


def _check_beds_of(facility: Facility, beds: Sequence[Bed]) -> None:
    if not beds:
        raise ValidationError({"beds": _("Choose at least one bed.")})
    if len({bed.pk for bed in beds}) != len(beds):
        raise ValidationError({"beds": _("The same bed is chosen twice.")})
    if any(bed.facility_id != facility.pk for bed in beds):
        raise ValidationError({"beds": _("Choose beds of this facility.")})


def _refuse_taken(locked: list[Bed], at: datetime, own_group: uuid.UUID | None = None) -> None:
    """Under the bed locks: each bed in use, free, and not held for anyone but `own_group`."""
    inactive = [bed for bed in locked if not bed.is_active]
    if inactive:
        raise ValidationError({"beds": _("Bed %(bed)s is not in use.") % {"bed": inactive[0].label}})
    occupied = _occupied_ids(bed.pk for bed in locked)
    if occupied:
        label = next(bed.label for bed in locked if bed.pk in occupied)
        raise ValidationError({"beds": _("Bed %(bed)s is occupied: choose another bed.") % {"bed": label}})
    holds = _live_holds([bed.pk for bed in locked], at)
    for bed in locked:
        hold = holds.get(bed.pk)
        if hold is not None and hold.group != own_group:
            until = time_format(timezone.localtime(hold.expires_at), "H:i")
            raise ValidationError(
                {
                    "beds": _(
                        "Bed %(bed)s is held for another household until %(until)s: choose another bed."
                    )
                    % {"bed": bed.label, "until": until}
                }
            )


def _tidy_expired(bed_ids: Iterable[uuid.UUID], at: datetime) -> None:
    """Mark the holds past their time on these beds expired, so a new hold may take the bed."""
    BedHold.objects.filter(bed_id__in=list(bed_ids), status=BedHold.Status.HELD, expires_at__lte=at).update(
        status=BedHold.Status.EXPIRED, ended_at=at
    )


def place_hold(
    *,
    facility: Facility,
    beds: Sequence[Bed],
    held_by: Organisation,
    adults: int = 1,
    children: Sequence[Mapping[str, Any]] = (),
    reference: str = "",
    acting_user: User | None,
    at: datetime,
) -> list[BedHold]:
    """Hold `beds` for a household on its way, for the facility's `hold_minutes`; one hold per bed,
    sharing a group. `held_by` may be another organisation of a shelter network: the caller checks it
    may see the facility (`queries.network_facilities`). A reference to the holder's own dispatch,
    contact or case is only kept when the holder runs the facility: elsewhere it would mean nothing and
    could say too much."""
    cleaned = _check_children(children)
    if adults < 0 or adults + len(cleaned) == 0 or adults > 10:
        raise ValidationError({"adults": _("Say how many adults are coming (at most 10).")})
    reason = accepts_household(facility, adults, cleaned)
    if reason:
        raise ValidationError({"children" if cleaned else "adults": reason})
    if reference and held_by.pk != facility.org_id:
        raise ValidationError(
            {"reference": _("Only the organisation running the facility keeps a reference.")}
        )
    _check_beds_of(facility, beds)
    group = uuid.uuid4()
    with transaction.atomic():
        locked = _lock_beds(beds)
        _refuse_taken(locked, at)
        _tidy_expired([bed.pk for bed in locked], at)
        holds = [
            BedHold.objects.create(
                org_id=facility.org_id,
                facility=facility,
                bed=bed,
                group=group,
                held_by=held_by,
                placed_by=acting_user,
                adults=adults,
                children=cleaned,
                reference=reference.strip(),
                placed_at=at,
                expires_at=at + timedelta(minutes=facility.hold_minutes),
            )
            for bed in locked
        ]
        keep_bed_state(bed.pk for bed in locked)
        audit.record(
            action=HOLD_PLACE,
            actor=acting_user,
            org=held_by,
            obj=holds[0],
            at=at,
            fields=["beds", "adults", "children", *(["reference"] if reference else [])],
        )
    return holds


def _held_beds(group: uuid.UUID | None) -> list[Bed]:
    """The beds of a hold group, for a verb to lock with its own beds in one ordered batch: beds locked in
    two batches by two verbs at once could each wait for the other."""
    return list(Bed.objects.filter(holds__group=group)) if group is not None else []


def _end_group(group: uuid.UUID, status: str, at: datetime) -> int:
    """End the holds of `group` still held, with `status`; returns how many. Locks their beds first."""
    beds = _lock_beds(_held_beds(group))
    ended = BedHold.objects.filter(group=group, status=BedHold.Status.HELD).update(status=status, ended_at=at)
    keep_bed_state(bed.pk for bed in beds)
    return ended


def release_hold(*, hold: BedHold, acting_user: User | None, at: datetime) -> int:
    """Give back every bed held with this one; returns how many. Refused once used or ended."""
    with transaction.atomic():
        _lock_beds(_held_beds(hold.group))  # beds before holds, as `place_hold`
        locked = BedHold.objects.select_for_update().get(pk=hold.pk)
        if locked.status != BedHold.Status.HELD:
            raise ValidationError({"hold": _("This hold has already ended: its beds are not held any more.")})
        released = _end_group(locked.group, BedHold.Status.RELEASED, at)
        membership = membership_of(acting_user)
        org = membership.org if membership is not None else locked.held_by
        audit.record(action=HOLD_END, actor=acting_user, org=org, obj=locked, at=at, reason_code="released")
    return released


def expire_holds(*, at: datetime) -> int:
    """Mark the holds past their time expired (tidying only: queries already treat them as free, and
    their beds' `held_until`, already past, says the same, so the beds are neither locked nor written)."""
    with transaction.atomic():
        stale = list(
            BedHold.objects.select_for_update(skip_locked=True)
            .filter(status=BedHold.Status.HELD, expires_at__lte=at)
            .select_related("held_by")
        )
        groups = {hold.group: hold for hold in stale}
        BedHold.objects.filter(pk__in=[hold.pk for hold in stale]).update(
            status=BedHold.Status.EXPIRED, ended_at=at
        )
        for hold in groups.values():
            audit.record(
                action=HOLD_END, actor=None, org=hold.held_by, obj=hold, at=at, reason_code="expired"
            )
    return len(stale)


# --- admission -----------------------------------------------------------------------------------------


def _her_children(survivor: Person, day: date) -> set[uuid.UUID]:
    """Her children who live with her (her household, relationship child, not left)."""
    rows = HouseholdMember.objects.filter(
        household__head=survivor, relationship=HouseholdMember.Relationship.CHILD
    ).exclude(left_on__lte=day)
    return set(rows.values_list("person_id", flat=True))


def _check_person_accepted(facility: Facility, person: Person, is_woman: bool, day: date) -> None:
    if is_woman:
        if not facility.accepts_women:
            raise ValidationError({"residents": _("This facility does not take women.")})
        disabilities = [code for code in person.disabilities if code != Person.Disability.NONE_KNOWN]
        if disabilities and not facility.accepts_women_with_disabilities:
            raise ValidationError(
                {
                    "residents": _(
                        "This facility cannot take a woman with a disability: look for another place."
                    )
                }
            )
        return
    if not facility.accepts_children:
        raise ValidationError({"residents": _("This facility does not take children.")})
    limit = facility.boys_max_age
    if limit is None or person.sex != Person.Sex.MALE:
        return
    age = age_on(person, day)
    if age is None:
        raise ValidationError(
            {
                "residents": _(
                    "Boys older than %(age)d cannot stay here: record her son's date of birth (an estimate "
                    "will do) before admitting him."
                )
                % {"age": limit}
            }
        )
    if age > limit:
        raise ValidationError(
            {
                "residents": _("Boys older than %(age)d cannot stay at this facility; her son is %(his)d.")
                % {"age": limit, "his": age}
            }
        )


def _check_household(
    case: Case, facility: Facility, residents: Sequence[tuple[Person, Bed]], day: date
) -> None:
    people = [person for person, _bed in residents]
    if not residents:
        raise ValidationError({"residents": _("Choose a bed for her and for each child who comes with her.")})
    if len({p.pk for p in people}) != len(people):
        raise ValidationError({"residents": _("The same person is given two beds.")})
    if case.survivor_id not in {p.pk for p in people}:
        raise ValidationError({"residents": _("Admit her with the household: choose a bed for her too.")})
    _check_beds_of(facility, [bed for _person, bed in residents])
    children = _her_children(case.survivor, day)
    for person in people:
        is_woman = person.pk == case.survivor_id
        if not is_woman and person.pk not in children:
            raise ValidationError(
                {
                    "residents": _(
                        "%(code)s is not a child of her household: add the child to her household first."
                    )
                    % {"code": person.survivor_code}
                }
            )
        _check_person_accepted(facility, person, is_woman, day)


def _refuse_staying_elsewhere(people: Iterable[Person], leaving: Stay | None = None) -> None:
    current = StayResident.objects.filter(person__in=list(people), ended_at__isnull=True)
    if leaving is not None:
        current = current.exclude(stay=leaving)
    clash = current.select_related("person").first()
    if clash is not None:
        raise ValidationError(
            {
                "residents": _("%(code)s is already staying at a facility: end or transfer that stay first.")
                % {"code": clash.person.survivor_code}
            }
        )


def _check_planned_end(facility: Facility, arrived: date, planned_end: date | None) -> date | None:
    """Her planned end; by default the longest stay the facility allows. Beyond it needs an extension,
    which is asked for once she is here."""
    limit = facility.max_stay_days
    if planned_end is None:
        return arrived + timedelta(days=limit) if limit is not None else None
    if planned_end < arrived:
        raise ValidationError({"planned_end": _("The planned end cannot be before her arrival.")})
    if limit is not None and planned_end > arrived + timedelta(days=limit):
        raise ValidationError(
            {
                "planned_end": _(
                    "This facility allows stays of at most %(days)d days: plan the end by %(last)s, and ask "
                    "for an extension once she is here if she needs longer."
                )
                % {"days": limit, "last": (arrived + timedelta(days=limit)).isoformat()}
            }
        )
    return planned_end


def _check_services(services: Sequence[str]) -> list[str]:
    if any(code not in ServiceKind.values for code in services):
        raise ValidationError({"services_started": _("Choose services from the catalogue.")})
    return list(dict.fromkeys(services))


def _open_services(
    case: Case, facility: Facility, started: list[str], user: User | None, at: datetime
) -> None:
    """The services started on arrival, and at a one-stop or crisis centre its standard bundle, as
    services of the case (each recorded, and audited, by the cases verb)."""
    wanted: dict[str, str] = {code: CaseService.Status.PROVIDED for code in started}
    if facility.is_one_stop:
        for code, status in ONE_STOP_BUNDLE:
            wanted.setdefault(code, status)
        if case.org.country in DNA_TEST_COUNTRIES:
            wanted.setdefault(ServiceKind.DNA_TEST, CaseService.Status.REFERRED)
    for code, status in wanted.items():
        care_actions.record_service(
            case=case, kind=code, status=status, started_on=timezone.localdate(at), acting_user=user, at=at
        )


def _seat(stay: Stay, residents: Sequence[tuple[Person, Bed]], at: datetime) -> None:
    # The constraints catch what the locked checks should already have.
    with refused_if_taken("beds", _("A chosen bed or person was just taken: check and try again.")):
        for person, bed in residents:
            StayResident.objects.create(
                org_id=stay.org_id,
                stay=stay,
                person=person,
                bed=bed,
                role=StayResident.Role.WOMAN
                if person.pk == stay.case.survivor_id
                else StayResident.Role.CHILD,
                started_at=at,
            )
        keep_bed_state(bed.pk for _person, bed in residents)


def _hold_group(hold: BedHold | None, facility: Facility) -> uuid.UUID | None:
    if hold is None:
        return None
    if hold.facility_id != facility.pk:
        raise ValidationError({"hold": _("This hold is for another facility.")})
    return hold.group


def _check_placement(
    *,
    case: Case,
    facility: Facility,
    residents: Sequence[tuple[Person, Bed]],
    arrival_kind: str,
    planned_end: date | None,
    hold: BedHold | None,
    at: datetime,
) -> tuple[date | None, uuid.UUID | None]:
    """What a placement needs of her household, the facility and the dates (no bed state): the planned
    end to record and the hold group she may use."""
    if arrival_kind not in Stay.Arrival.values:
        raise ValidationError({"arrival_kind": _("Say how she came.")})
    if not facility.site.is_active:
        raise ValidationError({"facility": _("This facility's site is closed.")})
    day = timezone.localdate(at)
    _check_household(case, facility, residents, day)
    return _check_planned_end(facility, day, planned_end), _hold_group(hold, facility)


def check_admission(
    *,
    case: Case,
    facility: Facility,
    residents: Sequence[tuple[Person, Bed]],
    arrival_kind: str,
    services_started: Sequence[str] = (),
    planned_end: date | None = None,
    hold: BedHold | None = None,
    at: datetime,
) -> None:
    """Every check of `admit_household`, without the write and without the bed locks (the form's inline
    check). The beds are read as they are now; the admission itself checks them again under its locks."""
    if case.org_id != facility.org_id:
        raise ValidationError({"facility": _("Choose a facility of the case's organisation.")})
    _check_services(services_started)
    _planned_end, own_group = _check_placement(
        case=case,
        facility=facility,
        residents=residents,
        arrival_kind=arrival_kind,
        planned_end=planned_end,
        hold=hold,
        at=at,
    )
    _refuse_taken([bed for _person, bed in residents], at, own_group)
    _refuse_staying_elsewhere([person for person, _bed in residents])
    require_editable(case)


def _place_household(
    *,
    case: Case,
    facility: Facility,
    residents: Sequence[tuple[Person, Bed]],
    arrival_kind: str,
    planned_end: date | None,
    hold: BedHold | None,
    acting_user: User | None,
    at: datetime,
    leaving: Stay | None = None,
) -> Stay:
    """Checks, locks and seats shared by admission and transfer; runs inside their transaction."""
    planned_end, own_group = _check_placement(
        case=case,
        facility=facility,
        residents=residents,
        arrival_kind=arrival_kind,
        planned_end=planned_end,
        hold=hold,
        at=at,
    )
    chosen = {bed.pk for _person, bed in residents}
    locked = _lock_beds([*(bed for _person, bed in residents), *_held_beds(own_group)])
    _refuse_taken([bed for bed in locked if bed.pk in chosen], at, own_group)
    _refuse_staying_elsewhere([person for person, _bed in residents], leaving)
    require_editable(case)
    stay = Stay.objects.create(
        org_id=case.org_id,
        facility=facility,
        case=case,
        arrival_kind=arrival_kind,
        arrived_at=at,
        planned_end=planned_end,
        admitted_by=acting_user,
        transferred_from=leaving,
    )
    _seat(stay, residents, at)
    if own_group is not None:
        _end_group(own_group, BedHold.Status.USED, at)
    WaitlistEntry.objects.filter(case=case, status__in=WaitlistEntry.OPEN_STATUSES).update(
        status=WaitlistEntry.Status.PLACED, closed_at=at
    )
    return stay


def admit_household(
    *,
    case: Case,
    facility: Facility,
    residents: Sequence[tuple[Person, Bed]],
    arrival_kind: str,
    services_started: Sequence[str] = (),
    planned_end: date | None = None,
    hold: BedHold | None = None,
    acting_user: User | None,
    at: datetime,
) -> Stay:
    """Admit her, and the children of her household who came with her, as one stay, into specific beds.

    `residents`: (person, bed) pairs, her own among them. `planned_end`: by default the facility's longest
    stay (none where stays are not limited). `hold`: a hold of this household on (some of) the beds, used
    up by the admission; a bed held for anyone else is refused. `services_started`: catalogue codes
    recorded on the case as provided; a one-stop or crisis centre adds its standard bundle. Her open
    waitlist entries are marked placed. Refused, with nothing written: a bed occupied, held for someone
    else or out of use, a person already staying somewhere, a child not of her household, someone the
    facility does not accept (a boy over its age limit), a planned end beyond its longest stay, a closed
    case.
    """
    if case.org_id != facility.org_id:
        raise ValidationError({"facility": _("Choose a facility of the case's organisation.")})
    services = _check_services(services_started)
    with transaction.atomic():
        stay = _place_household(
            case=case,
            facility=facility,
            residents=residents,
            arrival_kind=arrival_kind,
            planned_end=planned_end,
            hold=hold,
            acting_user=acting_user,
            at=at,
        )
        stay.services_started = services
        stay.save(update_fields=["services_started"])
        _open_services(case, facility, services, acting_user, at)
        audit.record(
            action=STAY_ADMIT,
            actor=acting_user,
            org=case.org,
            obj=stay,
            at=at,
            fields=["facility", "case", "residents", "arrival_kind", "planned_end", "services_started"],
        )
    return stay


def record_stay_view(*, stay: Stay, acting_user: User | None, at: datetime) -> None:
    """Every view of a stay is a read entry, like a view of her case."""
    audit.record(action=STAY_VIEW, actor=acting_user, org=stay.case.org, obj=stay, at=at)


# --- extensions ----------------------------------------------------------------------------------------


def _lock_leaving(stay: Stay, moving_to: Iterable[Bed] = ()) -> Stay:
    """For a stay that ends: lock the beds its household sleeps in (and those it moves to), then the
    stay, in the house lock order; refused if it has ended meanwhile."""
    sleeping = StayResident.objects.filter(stay=stay, ended_at__isnull=True).values_list("bed_id", flat=True)
    _lock_beds([*(Bed(pk=pk) for pk in sleeping), *moving_to])
    return _lock_active(stay)


def _lock_active(stay: Stay) -> Stay:
    """Lock the stay alone (`of`): the facility and case read with it stay free for other verbs."""
    locked: Stay = (
        Stay.objects.select_for_update(of=("self",)).select_related("facility", "case").get(pk=stay.pk)
    )
    if not locked.is_active:
        raise ValidationError({"stay": _("This stay has ended.")})
    return locked


def request_extension(
    *, stay: Stay, new_planned_end: date, reason: str, acting_user: User | None, at: datetime
) -> StayExtension:
    """Ask for a later planned end, with a reason; a manager other than the requester decides."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why she needs to stay longer.")})
    with transaction.atomic():
        locked = _lock_active(stay)
        if locked.planned_end is not None and new_planned_end <= locked.planned_end:
            raise ValidationError({"new_planned_end": _("Choose a date after the current planned end.")})
        if new_planned_end < timezone.localdate(at):
            raise ValidationError({"new_planned_end": _("The new planned end cannot be in the past.")})
        if StayExtension.objects.filter(stay=locked, status=StayExtension.Status.PENDING).exists():
            raise ValidationError({"stay": _("An extension is already waiting for a decision.")})
        extension = StayExtension.objects.create(
            org_id=locked.org_id,
            stay=locked,
            new_planned_end=new_planned_end,
            reason=reason.strip(),
            requested_by=acting_user,
            requested_at=at,
        )
        audit.record(
            action=STAY_EXTENSION,
            actor=acting_user,
            org=locked.case.org,
            obj=extension,
            at=at,
            fields=["new_planned_end", "reason"],
            reason_code="requested",
        )
    return extension


def _require_manager(stay: Stay, acting_user: User | None, requested_by_id: int | None) -> None:
    membership = membership_of(acting_user)
    if membership is None or membership.org_id != stay.org_id or not manages_cases(membership.role_enum):
        raise ValidationError({"decision": _("Only a centre or shelter manager decides on an extension.")})
    if acting_user is not None and acting_user.pk == requested_by_id:
        raise ValidationError({"decision": _("Someone other than the person who asked must decide.")})


def decide_extension(
    *, extension: StayExtension, approve: bool, acting_user: User | None, at: datetime
) -> StayExtension:
    """Approve (the stay's planned end moves) or refuse a pending extension."""
    with transaction.atomic():
        locked_stay = _lock_active(extension.stay)
        locked: StayExtension = StayExtension.objects.select_for_update().get(pk=extension.pk)
        if locked.status != StayExtension.Status.PENDING:
            raise ValidationError({"decision": _("This extension has already been decided.")})
        _require_manager(locked_stay, acting_user, locked.requested_by_id)
        locked.status = StayExtension.Status.APPROVED if approve else StayExtension.Status.REFUSED
        locked.decided_by, locked.decided_at = acting_user, at
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        if approve:
            locked_stay.planned_end = locked.new_planned_end
            locked_stay.save(update_fields=["planned_end"])
        audit.record(
            action=STAY_EXTENSION,
            actor=acting_user,
            org=locked_stay.case.org,
            obj=locked,
            at=at,
            fields=["status", *(["planned_end"] if approve else [])],
            reason_code=locked.status.lower(),
        )
    return locked


# --- leaving: discharge and transfer -------------------------------------------------------------------


def _end_stay(stay: Stay, destination: str, left_at: datetime, acting_user: User | None) -> None:
    if left_at < stay.arrived_at:
        raise ValidationError({"left_at": _("She cannot leave before she arrived: check the date and time.")})
    sleeping = StayResident.objects.filter(stay=stay, ended_at__isnull=True)
    beds = list(sleeping.values_list("bed_id", flat=True))
    sleeping.update(ended_at=left_at)
    keep_bed_state(beds)
    stay.status, stay.ended_at, stay.destination, stay.ended_by = (
        Stay.Status.ENDED,
        left_at,
        destination,
        acting_user,
    )
    stay.save(update_fields=["status", "ended_at", "destination", "ended_by"])
    StayExtension.objects.filter(stay=stay, status=StayExtension.Status.PENDING).update(
        status=StayExtension.Status.REFUSED, decided_at=left_at
    )


def _lead(case: Case) -> Any:
    assignment = (
        CaseAssignment.objects.filter(
            case=case,
            role_in_case=CaseAssignment.RoleInCase.LEAD,
            ended_at__isnull=True,
            membership__is_active=True,
        )
        .select_related("membership")
        .first()
    )
    return assignment.membership if assignment is not None else None


def _follow_up_plan(stay: Stay, left_at: datetime, user: User | None, at: datetime) -> list[Any]:
    """Phone meetings with her lead worker after the stay, on the facility's days, where her safe-contact
    instructions allow calling her; otherwise follow-ups for the lead worker to arrange a safe way."""
    case, lead = stay.case, _lead(stay.case)
    if case.is_closed:  # nothing can land in a closed case; reopening it is a decision of its own
        return []
    safe = SafeContact.objects.filter(person_id=case.survivor_id, safe_to_call=True).exists()
    planned: list[Any] = []
    left_on = timezone.localdate(left_at)
    for days in sorted(set(stay.facility.follow_up_days)):
        day = left_on + timedelta(days=days)
        starts_at = timezone.make_aware(datetime.combine(day, FOLLOW_UP_HOUR))
        if safe and lead is not None and starts_at > at:
            planned.append(
                care_actions.record_appointment(
                    case=case,
                    worker=lead,
                    starts_at=starts_at,
                    mode=Appointment.Mode.PHONE,
                    acting_user=user,
                    at=at,
                )
            )
        elif day >= timezone.localdate(at):
            title = _(
                "Follow-up %(days)d days after her stay: contact her in a way that is safe for her."
            ) % {"days": days}
            planned.append(schedule_follow_up(case=case, title=title, due_on=day, acting_user=user, at=at))
    return planned


def discharge_stay(
    *, stay: Stay, destination: str, acting_user: User | None, at: datetime, left_at: datetime | None = None
) -> Stay:
    """She (and her children) left, at `left_at` (default: now), for `destination`. Their beds are free
    at once, and the facility's follow-up plan lands in her case (`_follow_up_plan`). Refused before her
    arrival, or for a stay already ended."""
    if destination not in Stay.Destination.values:
        raise ValidationError({"destination": _("Say where she went.")})
    left_at = left_at or at
    if left_at > at:
        raise ValidationError({"left_at": _("Record her leaving once she has left.")})
    with transaction.atomic():
        locked = _lock_leaving(stay)
        _end_stay(locked, destination, left_at, acting_user)
        _follow_up_plan(locked, left_at, acting_user, at)
        audit.record(
            action=STAY_DISCHARGE,
            actor=acting_user,
            org=locked.case.org,
            obj=locked,
            at=at,
            fields=["status", "ended_at", "destination"],
        )
    return locked


def transfer_stay(
    *,
    stay: Stay,
    to_facility: Facility,
    residents: Sequence[tuple[Person, Bed]],
    planned_end: date | None = None,
    hold: BedHold | None = None,
    acting_user: User | None,
    at: datetime,
) -> Stay:
    """End the stay (destination: another shelter) and start one at `to_facility`, residents in their
    new beds, in one step: either both happen or neither. The household is the one staying now (a child
    may stay behind only by leaving the household first); the new facility's rules and beds are checked
    as for an admission."""
    if to_facility.pk == stay.facility_id:
        raise ValidationError({"to_facility": _("Choose another facility: she is staying at this one.")})
    if to_facility.org_id != stay.org_id:
        raise ValidationError(
            {"to_facility": _("A move to another organisation is a referral, not a transfer.")}
        )
    with transaction.atomic():
        moving_to = [bed for _person, bed in residents]
        locked = _lock_leaving(stay, moving_to=[*moving_to, *_held_beds(hold.group if hold else None)])
        staying = set(
            StayResident.objects.filter(stay=locked, ended_at__isnull=True).values_list(
                "person_id", flat=True
            )
        )
        if {person.pk for person, _bed in residents} - staying:
            raise ValidationError({"residents": _("Move only the people staying now.")})
        _end_stay(locked, Stay.Destination.OTHER_SHELTER, at, acting_user)
        new_stay = _place_household(
            case=locked.case,
            facility=to_facility,
            residents=residents,
            arrival_kind=Stay.Arrival.TRANSFER,
            planned_end=planned_end,
            hold=hold,
            acting_user=acting_user,
            at=at,
            leaving=locked,
        )
        audit.record(
            action=STAY_TRANSFER,
            actor=acting_user,
            org=locked.case.org,
            obj=new_stay,
            at=at,
            fields=["transferred_from", "facility", "residents", "planned_end"],
        )
    return new_stay


# --- waitlist ------------------------------------------------------------------------------------------


def add_to_waitlist(
    *,
    case: Case,
    facility: Facility | None = None,
    adults: int = 1,
    children: Sequence[Mapping[str, Any]] = (),
    risk_level: str | None = None,
    source: str = WaitlistEntry.Source.WAITLIST,
    acting_user: User | None,
    at: datetime,
) -> WaitlistEntry:
    """Put her household on the waitlist of one facility, or of any of the organisation's facilities.
    The risk level defaults to what her latest risk screen says (`queries.risk_level_of`)."""
    from haven.shelters.queries import risk_level_of  # queries imports the models only; no cycle at run time

    if facility is not None and facility.org_id != case.org_id:
        raise ValidationError({"facility": _("Choose a facility of the case's organisation.")})
    if case.is_closed:
        raise ValidationError({"case": _("This case is closed.")})
    cleaned = _check_children(children)
    if not 1 <= adults <= 10:
        raise ValidationError({"adults": _("Say how many adults are coming (at most 10).")})
    level = risk_level or risk_level_of(case)
    if level not in RiskLevel.values:
        raise ValidationError({"risk_level": _("Choose a risk level.")})
    if WaitlistEntry.objects.filter(case=case, status__in=WaitlistEntry.OPEN_STATUSES).exists():
        raise ValidationError({"case": _("She is already on the waitlist.")})
    if Stay.objects.filter(case=case, status=Stay.Status.ACTIVE).exists():
        raise ValidationError({"case": _("She is staying at a facility already: transfer her instead.")})
    entry = WaitlistEntry(
        org_id=case.org_id,
        facility=facility,
        case=case,
        source=source,
        adults=adults,
        children=cleaned,
        risk_level=level,
        risk_rank=RISK_RANK[level],
        requested_at=at,
        added_by=acting_user,
    )
    with transaction.atomic():
        with refused_if_taken("case", _("She is already on the waitlist.")):
            entry.save()
        audit.record(
            action=WAITLIST_CHANGE,
            actor=acting_user,
            org=case.org,
            obj=entry,
            at=at,
            fields=["facility", "case", "adults", "children", "risk_level"],
            reason_code="added",
        )
    return entry


class _OfferReplaced(Exception):
    """Her offer was replaced between reading which beds it holds and locking her entry."""


LOCK_ENTRY_ATTEMPTS = 3


def _lock_open_entry(entry: WaitlistEntry, beds: Sequence[Bed] = ()) -> WaitlistEntry:
    """Lock `beds` and those offered to her, then her entry (beds first, as an admission does); refused
    once she no longer waits. Only the entry's row is locked (`of`), not her case or the organisation
    read with it, which every waitlist verb of the organisation would otherwise queue on.

    Which beds her offer holds is read before her entry is locked. If someone replaces the offer in
    between, the new offer's beds would be locked after her entry, the reverse order; so the attempt is
    rolled back to its savepoint (which gives its locks back) and made again with the new offer."""
    for _attempt in range(LOCK_ENTRY_ATTEMPTS):
        try:
            with transaction.atomic():
                return _lock_beds_then_entry(entry, beds)
        except _OfferReplaced:
            continue
    raise ValidationError({"entry": _("Her offer was changed at the same moment: try again.")})


def _lock_beds_then_entry(entry: WaitlistEntry, beds: Sequence[Bed]) -> WaitlistEntry:
    offered = WaitlistEntry.objects.filter(pk=entry.pk).values_list("offer_group", flat=True).first()
    _lock_beds([*beds, *_held_beds(offered)])
    locked: WaitlistEntry = (
        WaitlistEntry.objects.select_for_update(of=("self",)).select_related("case__org").get(pk=entry.pk)
    )
    if locked.offer_group != offered:
        raise _OfferReplaced
    if locked.status not in WaitlistEntry.OPEN_STATUSES:
        raise ValidationError({"entry": _("She is no longer waiting.")})
    return locked


def offer_bed(
    *, entry: WaitlistEntry, facility: Facility, beds: Sequence[Bed], acting_user: User | None, at: datetime
) -> list[BedHold]:
    """Offer the household beds that freed up: the beds are held for it (the facility's hold time) and
    the entry is marked offered. A new offer replaces an earlier one that was not taken up."""
    if entry.facility_id is not None and entry.facility_id != facility.pk:
        raise ValidationError({"facility": _("She is waiting for another facility.")})
    if facility.org_id != entry.org_id:
        raise ValidationError({"facility": _("Choose a facility of the case's organisation.")})
    with transaction.atomic():
        locked = _lock_open_entry(entry, beds)
        if locked.offer_group is not None:
            _end_group(locked.offer_group, BedHold.Status.RELEASED, at)
        holds = place_hold(
            facility=facility,
            beds=beds,
            held_by=facility.site.org,
            adults=locked.adults,
            children=locked.children,
            reference=str(locked.case_id),
            acting_user=acting_user,
            at=at,
        )
        locked.status, locked.offered_at, locked.offer_group = (
            WaitlistEntry.Status.OFFERED,
            at,
            holds[0].group,
        )
        locked.save(update_fields=["status", "offered_at", "offer_group"])
        audit.record(
            action=WAITLIST_CHANGE,
            actor=acting_user,
            org=locked.case.org,
            obj=locked,
            at=at,
            fields=["status", "offered_at"],
            reason_code="offered",
        )
    return holds


def withdraw_from_waitlist(*, entry: WaitlistEntry, acting_user: User | None, at: datetime) -> WaitlistEntry:
    """She no longer waits (found a place elsewhere, changed her mind): any beds offered are released."""
    with transaction.atomic():
        locked = _lock_open_entry(entry)
        if locked.offer_group is not None:
            _end_group(locked.offer_group, BedHold.Status.RELEASED, at)
        locked.status, locked.closed_at = WaitlistEntry.Status.WITHDRAWN, at
        locked.save(update_fields=["status", "closed_at"])
        audit.record(
            action=WAITLIST_CHANGE,
            actor=acting_user,
            org=locked.case.org,
            obj=locked,
            at=at,
            fields=["status"],
            reason_code="withdrawn",
        )
    return locked


def expect_arrival(
    *, case: Case, facility: Facility, reference: str, acting_user: User | None, at: datetime
) -> WaitlistEntry | None:
    """A mobile team brought her to the facility: she heads its waitlist (imminent danger) as an
    expected arrival, and a live hold the organisation placed for this dispatch or case becomes her
    offer, so staff admit her into the held beds. An entry she already had is moved here instead.

    Called from the dispatch's arrival step, which must never fail because of it: nothing is expected
    (None) for a closed case, a facility of another organisation, or a woman already staying somewhere.
    """
    references = {reference, str(case.pk)} - {""}
    staying = Stay.objects.filter(case=case, status=Stay.Status.ACTIVE).exists()
    if case.is_closed or facility.org_id != case.org_id or staying:
        return None
    with transaction.atomic():
        hold = (
            BedHold.objects.live(at)
            .filter(facility=facility, held_by_id=facility.org_id, reference__in=references)
            .order_by("placed_at")
            .first()
        )
        open_entries = WaitlistEntry.objects.filter(case=case, status__in=WaitlistEntry.OPEN_STATUSES)
        offered = open_entries.values_list("offer_group", flat=True)
        _lock_beds(bed for group in offered for bed in _held_beds(group))  # beds before her entry
        entry = open_entries.select_for_update().first()
        if entry is None:
            entry = add_to_waitlist(
                case=case,
                facility=facility,
                risk_level=RiskLevel.IMMINENT,
                source=WaitlistEntry.Source.ARRIVAL,
                acting_user=acting_user,
                at=at,
            )
        entry.facility, entry.source = facility, WaitlistEntry.Source.ARRIVAL
        entry.risk_level, entry.risk_rank = RiskLevel.IMMINENT, RISK_RANK[RiskLevel.IMMINENT]
        earlier, status = entry.offer_group, entry.status
        if hold is not None:
            if earlier is not None and earlier != hold.group:
                _end_group(earlier, BedHold.Status.RELEASED, at)
            entry.status, entry.offered_at, entry.offer_group = WaitlistEntry.Status.OFFERED, at, hold.group
        elif earlier is not None and not BedHold.objects.filter(group=earlier, facility=facility).exists():
            # Beds offered at another facility: she is here instead, so they are given back, and she
            # waits here (an offer left standing hid her from the head of this facility's list).
            _end_group(earlier, BedHold.Status.RELEASED, at)
            entry.status, entry.offered_at, entry.offer_group = WaitlistEntry.Status.WAITING, None, None
        entry.save()
        audit.record(
            action=WAITLIST_CHANGE,
            actor=acting_user,
            org=case.org,
            obj=entry,
            at=at,
            fields=[
                "facility",
                "source",
                "risk_level",
                *(["status"] if hold is not None or entry.status != status else []),
            ],
            reason_code="arrived",
        )
    return entry


# --- turn-aways ----------------------------------------------------------------------------------------


def record_turn_away(
    *,
    facility: Facility,
    reason: str,
    adults: int = 1,
    children: int = 0,
    acting_user: User | None,
    at: datetime,
) -> TurnAway:
    """Count a household the facility could not take, for the figures; nothing that identifies her."""
    if reason not in TurnAway.Reason.values:
        raise ValidationError({"reason": _("Say why the household could not be placed.")})
    if not 0 <= adults <= 10 or not 0 <= children <= 20 or adults + children == 0:
        raise ValidationError({"adults": _("Say how many adults and children could not be placed.")})
    with transaction.atomic():
        row = TurnAway.objects.create(
            org_id=facility.org_id,
            facility=facility,
            reason=reason,
            adults=adults,
            children=children,
            at=at,
            recorded_by=acting_user,
        )
        audit.record(
            action=TURN_AWAY,
            actor=acting_user,
            org=facility.site.org,
            obj=row,
            at=at,
            fields=["reason", "adults", "children"],
        )
    return row
