"""Verbs for mobile teams and dispatches.

Every write locks what it changes, checks where it stands, saves, records a `DispatchEvent` where a
dispatch moves, and writes an audit entry (field names only). Refusals are `ValidationError`s that say
what to do instead; nothing is written when one is raised.

Assigning a team locks the dispatch, then the team's row, and only then reads the team's status, so two
dispatchers who pick the same available team at once cannot both have it: the second waits for the first
and then finds the team en route.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from haven.cases.models import Case
from haven.dispatch import handover
from haven.dispatch.models import Dispatch, DispatchEvent, Target, Unit, UnitMember
from haven.dispatch.sla import Interval
from haven.orgs.models import Area, Membership, Organisation, Site
from haven.orgs.validation import refused_if_taken
from haven.privacy import audit
from haven.risk.actions import take_dispatch_offer
from haven.risk.models import Escalation

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.hotline.models import Contact

UNIT_CREATE = audit.register_action("unit.create", "A mobile team was created")
UNIT_MEMBERS = audit.register_action("unit.members", "A member joined or left a mobile team")
UNIT_STATUS = audit.register_action("unit.status", "A mobile team went on or off duty")
DISPATCH_CREATE = audit.register_action("dispatch.create", "A dispatch was created")
DISPATCH_VIEW = audit.register_action(
    "dispatch.view", "A dispatch's location and danger were read", read=True
)
DISPATCH_ACTIVATE = audit.register_action("dispatch.activate", "A team was assigned to a dispatch")
DISPATCH_STEP = audit.register_action("dispatch.step", "A dispatch moved to its next step")
DISPATCH_TARGET = audit.register_action("dispatch.target", "A dispatch service-level target was set")

Status = Dispatch.Status

NEXT_STEPS: dict[str, tuple[str, ...]] = {
    Status.CREATED: (Status.ACTIVATED, Status.CANCELLED),
    Status.ACTIVATED: (Status.ACKNOWLEDGED, Status.CANCELLED),
    Status.ACKNOWLEDGED: (Status.EN_ROUTE, Status.CANCELLED),
    Status.EN_ROUTE: (Status.ON_SCENE, Status.CANCELLED),
    # Not every call ends in a transport: she may be safe where she is, or not be there.
    Status.ON_SCENE: (Status.TRANSPORTING, Status.COMPLETED),
    Status.TRANSPORTING: (Status.ARRIVED,),
    Status.ARRIVED: (Status.COMPLETED,),
    Status.COMPLETED: (),
    Status.CANCELLED: (),
}
"""The chain. Activation goes through `assign_unit`, because it needs a team."""

UNIT_STATUS_AT_STEP: dict[str, str] = {
    # A team is committed from the moment it is assigned: nobody else may take it.
    Status.ACTIVATED: Unit.Status.EN_ROUTE,
    Status.ON_SCENE: Unit.Status.ON_SCENE,
    Status.TRANSPORTING: Unit.Status.EN_ROUTE,
    Status.COMPLETED: Unit.Status.AVAILABLE,
    Status.CANCELLED: Unit.Status.AVAILABLE,
}

_COORDINATES = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def next_steps(dispatch: Dispatch) -> tuple[str, ...]:
    return NEXT_STEPS[dispatch.status]


# --- teams ---------------------------------------------------------------------------------------------


def create_unit(
    *, org: Organisation, name: str, area: Area | None = None, acting_user: User | None, at: datetime
) -> Unit:
    """A new mobile team, off duty until it says it is available."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the team a name.")})
    if area is not None and area.org_id != org.pk:
        raise ValidationError({"area": _("Choose an area of your own organisation.")})
    if Unit.objects.filter(org=org, name=name).exists():
        raise ValidationError({"name": _("Another team already has this name.")})
    unit = Unit(org=org, name=name, area=area, status_changed_at=at, created_at=at)
    with transaction.atomic():
        unit.save()
        audit.record(
            action=UNIT_CREATE, actor=acting_user, org=org, obj=unit, at=at, fields=["name", "area", "status"]
        )
    return unit


def add_unit_member(
    *, unit: Unit, membership: Membership, acting_user: User | None, at: datetime
) -> UnitMember:
    if membership.org_id != unit.org_id or not membership.is_active:
        raise ValidationError({"membership": _("Choose an active member of your own organisation.")})
    if not membership.role_enum.works_with_survivors:
        raise ValidationError({"membership": _("Only staff who work with survivors can go out on a team.")})
    if UnitMember.objects.filter(unit=unit, membership=membership, left_at__isnull=True).exists():
        raise ValidationError({"membership": _("This person is already on the team.")})
    row = UnitMember(org_id=unit.org_id, unit=unit, membership=membership, joined_at=at)
    with transaction.atomic():
        row.save()
        audit.record(
            action=UNIT_MEMBERS, actor=acting_user, org=unit.org, obj=unit, at=at, fields=["members"]
        )
    return row


def remove_unit_member(*, unit: Unit, membership: Membership, acting_user: User | None, at: datetime) -> None:
    with transaction.atomic():
        updated = UnitMember.objects.filter(unit=unit, membership=membership, left_at__isnull=True).update(
            left_at=at
        )
        if not updated:
            raise ValidationError({"membership": _("This person is not on the team.")})
        audit.record(
            action=UNIT_MEMBERS, actor=acting_user, org=unit.org, obj=unit, at=at, fields=["members"]
        )


def set_unit_status(*, unit: Unit, status: str, acting_user: User | None, at: datetime) -> Unit:
    """On or off duty. En route and on scene follow the team's dispatch, never a button."""
    if status not in (Unit.Status.AVAILABLE, Unit.Status.OFF_DUTY):
        raise ValidationError({"status": _("A team can only be set available or off duty by hand.")})
    with transaction.atomic():
        locked: Unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if Dispatch.objects.open().filter(unit=locked).exists():
            raise ValidationError({"status": _("This team is on a dispatch: complete or cancel it first.")})
        locked.status, locked.status_changed_at = status, at
        locked.save(update_fields=["status", "status_changed_at"])
        audit.record(
            action=UNIT_STATUS, actor=acting_user, org=unit.org, obj=locked, at=at, fields=["status"]
        )
    unit.status, unit.status_changed_at = locked.status, locked.status_changed_at
    return unit


# --- creating a dispatch -------------------------------------------------------------------------------


def _source_org(case: Case | None, contact: Contact | None) -> uuid.UUID:
    if case is None and contact is None:
        raise ValidationError(_("A dispatch comes from a case or a hotline contact: name one."))
    if case is not None and contact is not None and case.org_id != contact.org_id:
        raise ValidationError({"contact": _("The contact and the case belong to different organisations.")})
    source = case if case is not None else contact
    assert source is not None
    return source.org_id


def _check_location(address: str, coordinates: str) -> None:
    if not address.strip() and not coordinates.strip():
        raise ValidationError(
            {"location_address": _("Say where the team must go: an address, directions or coordinates.")}
        )
    match = _COORDINATES.match(coordinates) if coordinates.strip() else None
    if coordinates.strip() and (match is None or abs(float(match[1])) > 90 or abs(float(match[2])) > 180):
        raise ValidationError(
            {"location_coordinates": _("Write coordinates as latitude, longitude, for example 23.81, 90.41.")}
        )


def build_dispatch(
    *,
    case: Case | None = None,
    contact: Contact | None = None,
    priority: int,
    location_address: str = "",
    location_coordinates: str = "",
    weapons: str = Dispatch.Known.UNKNOWN,
    children_present: str = Dispatch.Known.UNKNOWN,
    danger_notes: str = "",
    received_at: datetime | None = None,
    acting_user: User | None,
    at: datetime,
) -> Dispatch:
    """The dispatch not yet saved, refused with a reason if it cannot be created. A dispatch from a
    contact linked to a case goes on that case too, so the case timeline shows it."""
    if case is None and contact is not None:
        case = contact.case
    org_id = _source_org(case, contact)
    if priority not in Dispatch.Priority.values:
        raise ValidationError({"priority": _("Choose a priority.")})
    _check_location(location_address, location_coordinates)
    if received_at is not None and received_at > at:
        raise ValidationError({"received_at": _("The call cannot have been answered in the future.")})
    for field, value in (("weapons", weapons), ("children_present", children_present)):
        if value not in Dispatch.Known.values:
            raise ValidationError({field: _("Answer yes, no or not known.")})
    if received_at is None:
        # A dispatch from a call starts its clocks when the call was answered, if the hotline knows.
        received_at = getattr(contact, "answered_at", None) or at
    return Dispatch(
        org_id=org_id,
        case=case,
        contact=contact,
        priority=priority,
        received_at=received_at,
        location_address=location_address.strip(),
        location_coordinates=location_coordinates.strip(),
        weapons=weapons,
        children_present=children_present,
        danger_notes=danger_notes.strip(),
        created_at=at,
        created_by=acting_user,
    )


def create_dispatch(**fields: Any) -> Dispatch:
    """Create a dispatch (step "created"); a team is assigned next, with `assign_unit`."""
    dispatch = build_dispatch(**fields)
    acting_user, at = fields["acting_user"], fields["at"]
    with transaction.atomic():
        dispatch.save()
        _event(dispatch, Status.CREATED, acting_user, at)
        audit.record(
            action=DISPATCH_CREATE,
            actor=acting_user,
            org=dispatch.org,
            obj=dispatch,
            at=at,
            fields=[name for name in _CREATE_FIELDS if getattr(dispatch, name) not in ("", None)],
        )
        _take_risk_offers(dispatch, acting_user, at)
    return dispatch


def _take_risk_offers(dispatch: Dispatch, acting_user: User | None, at: datetime) -> None:
    """A screen that offered an immediate dispatch (haven/risk escalations) is answered by this one: a
    screen on her case, or one taken during the contact (perhaps before the contact was linked to a case)."""
    source = Q(pk__in=[])
    if dispatch.case_id is not None:
        source |= Q(assessment__case_id=dispatch.case_id)
    if dispatch.contact_id is not None:
        source |= Q(assessment__contact_id=dispatch.contact_id)
    offers = Escalation.objects.open_dispatch_offers().filter(source, org_id=dispatch.org_id)
    for escalation in offers:
        take_dispatch_offer(escalation=escalation, acting_user=acting_user, at=at)


_CREATE_FIELDS = (
    "case",
    "contact",
    "priority",
    "received_at",
    "location_address",
    "location_coordinates",
    "weapons",
    "children_present",
    "danger_notes",
)


def record_dispatch_view(*, dispatch: Dispatch, acting_user: User | None, at: datetime) -> None:
    """Reading where she is and what danger is known is recorded, like any read of her file."""
    audit.record(action=DISPATCH_VIEW, actor=acting_user, org=dispatch.org, obj=dispatch, at=at)


# --- moving along the chain ----------------------------------------------------------------------------


def _event(dispatch: Dispatch, step: str, acting_user: User | None, at: datetime) -> DispatchEvent:
    return DispatchEvent.objects.create(
        org_id=dispatch.org_id, dispatch=dispatch, step=step, at=at, actor=acting_user, unit=dispatch.unit
    )


def _refuse_out_of_order(dispatch: Dispatch, step: str) -> None:
    allowed = NEXT_STEPS[dispatch.status]
    if step in allowed:
        return
    names = {
        "current": Status(dispatch.status).label,
        "step": Status(step).label if step in Status.values else step,
    }
    if not allowed:
        raise ValidationError(
            {"step": _("This dispatch is “%(current)s”: it cannot change any more.") % names}
        )
    names["next"] = ", ".join(f"“{Status(option).label}”" for option in allowed)
    raise ValidationError(
        {"step": _("This dispatch is “%(current)s”: it cannot be marked “%(step)s”. Next: %(next)s.") % names}
    )


def _lock(dispatch: Dispatch) -> Dispatch:
    locked: Dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    return locked


def _lock_available_unit(unit: Unit, org_id: uuid.UUID) -> Unit:
    locked: Unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if locked.org_id != org_id:
        raise ValidationError({"unit": _("Choose a team of your own organisation.")})
    if locked.status != Unit.Status.AVAILABLE:
        raise ValidationError(
            {
                "unit": _("%(team)s is “%(status)s”, not available: choose another team.")
                % {"team": locked.name, "status": Unit.Status(locked.status).label}
            }
        )
    return locked


def _set_unit_status(unit: Unit | None, step: str, at: datetime) -> None:
    if unit is None or step not in UNIT_STATUS_AT_STEP:
        return
    Unit.objects.filter(pk=unit.pk).update(status=UNIT_STATUS_AT_STEP[step], status_changed_at=at)


def assign_unit(*, dispatch: Dispatch, unit: Unit, acting_user: User | None, at: datetime) -> Dispatch:
    """Activate the dispatch with an available team; the team is en route (committed) from now on."""
    with transaction.atomic():
        locked = _lock(dispatch)
        _refuse_out_of_order(locked, Status.ACTIVATED)
        locked_unit = _lock_available_unit(unit, locked.org_id)
        locked.unit, locked.status = locked_unit, Status.ACTIVATED
        locked.save(update_fields=["unit", "status"])
        _event(locked, Status.ACTIVATED, acting_user, at)
        _set_unit_status(locked_unit, Status.ACTIVATED, at)
        audit.record(
            action=DISPATCH_ACTIVATE,
            actor=acting_user,
            org=dispatch.org,
            obj=locked,
            at=at,
            fields=["unit", "status"],
        )
    return locked


def _check_destination(dispatch: Dispatch, kind: str, site: Site | None, text: str) -> None:
    if kind not in Dispatch.Destination.values:
        raise ValidationError({"destination_kind": _("Say where she was taken.")})
    if site is not None and (site.org_id != dispatch.org_id or not site.is_active):
        raise ValidationError({"destination_site": _("Choose an active site of your own organisation.")})
    if site is not None and kind != _kind_of_site(site):
        # The kind decides the handover: a shelter recorded as a hospital would never expect her.
        fits = Dispatch.Destination(_kind_of_site(site)).label
        message = _("The site chosen counts as “%(kind)s”: choose that destination, or leave it empty.")
        raise ValidationError({"destination_kind": message % {"kind": fits}})
    if site is None and not text.strip():
        raise ValidationError(
            {"destination_text": _("Choose one of your sites, or name the place she was taken to.")}
        )


SITE_DESTINATIONS: dict[str, str] = {
    Site.Kind.SHELTER: Dispatch.Destination.SHELTER,
    Site.Kind.ONE_STOP_CENTRE: Dispatch.Destination.ONE_STOP_CENTRE,
    Site.Kind.CRISIS_CENTRE: Dispatch.Destination.ONE_STOP_CENTRE,
}


def _kind_of_site(site: Site | None) -> str:
    """A team on its phone picks the site it reached; the kind of destination follows from the site.
    None of an organisation's sites is a hospital or a police station: any site that is not a shelter
    or a centre (an office, a helpline) is somewhere else."""
    if site is None:
        return ""
    return SITE_DESTINATIONS.get(site.kind, Dispatch.Destination.OTHER)


def _step_fields(dispatch: Dispatch, step: str, details: dict[str, Any], at: datetime) -> list[str]:
    """Check and set what the step itself needs; the names of the fields it changed."""
    if step == Status.ARRIVED:
        site, text = details.get("destination_site"), details.get("destination_text", "")
        kind = details.get("destination_kind") or _kind_of_site(site)
        _check_destination(dispatch, kind, site, text)
        dispatch.destination_kind, dispatch.destination_site = kind, site
        dispatch.destination_text = text.strip()
        return ["destination_kind", "destination_site", "destination_text"]
    if step == Status.COMPLETED:
        if details.get("disposition") not in Dispatch.Disposition.values:
            raise ValidationError({"disposition": _("Say how the dispatch ended.")})
        dispatch.disposition, dispatch.closed_at = details["disposition"], at
        return ["disposition", "closed_at"]
    if step == Status.CANCELLED:
        if details.get("cancel_reason") not in Dispatch.CancelReason.values:
            raise ValidationError({"cancel_reason": _("Say why the dispatch is cancelled.")})
        dispatch.cancel_reason, dispatch.closed_at = details["cancel_reason"], at
        return ["cancel_reason", "closed_at"]
    return []


def record_step(
    *, dispatch: Dispatch, step: str, acting_user: User | None, at: datetime, **details: Any
) -> Dispatch:
    """Move the dispatch to `step` if it is next in the chain.

    `details`: `destination_kind`, `destination_site`, `destination_text` for "arrived"; `disposition` for
    "completed"; `cancel_reason` for "cancelled". Arrival at a shelter or centre hands over to the shelter
    flow (`handover.on_arrival`).
    """
    if step == Status.ACTIVATED:
        raise ValidationError({"step": _("Assign a team to activate the dispatch.")})
    with transaction.atomic():
        locked = _lock(dispatch)
        _refuse_out_of_order(locked, step)
        changed = _step_fields(locked, step, details, at)
        locked.status = step
        locked.save(update_fields=["status", *changed])
        _event(locked, step, acting_user, at)
        _set_unit_status(locked.unit, step, at)
        audit.record(
            action=DISPATCH_STEP,
            actor=acting_user,
            org=dispatch.org,
            obj=locked,
            at=at,
            fields=["status", *changed],
            reason_code=step,
        )
        if step == Status.ARRIVED and locked.destination_kind in Dispatch.HANDOVER_DESTINATIONS:
            handover.on_arrival(locked, acting_user=acting_user, at=at)
    return locked


# --- targets -------------------------------------------------------------------------------------------


def set_target(
    *, org: Organisation, interval: str, seconds: int, share: int, acting_user: User | None, at: datetime
) -> Target:
    """Set (or replace) the organisation's target for one interval."""
    if interval not in Interval.values:
        raise ValidationError({"interval": _("Choose one of the measured intervals.")})
    if seconds < 1:
        raise ValidationError({"seconds": _("The target must be at least one second.")})
    if not 1 <= share <= 100:
        raise ValidationError({"share": _("The share must be between 1 and 100 %.")})
    with transaction.atomic():
        # Two managers may save the first target at once.
        with refused_if_taken("interval", _("Someone else just set this target: try again.")):
            target, _created = Target.objects.update_or_create(
                org=org, interval=interval, defaults={"seconds": seconds, "share": share}
            )
        audit.record(
            action=DISPATCH_TARGET, actor=acting_user, org=org, obj=target, at=at, fields=["seconds", "share"]
        )
    return target
