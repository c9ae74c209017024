"""Emergency dispatch: mobile teams (units) and the dispatches they go out on.

A `Dispatch` is raised from a case or a hotline contact. It moves through a fixed chain of steps
(created → activated → acknowledged → en route → on scene → transporting → arrived → completed, or
cancelled) only through the verbs in `haven/dispatch/actions.py`; each step is a `DispatchEvent` row (who,
when), so the intervals between steps are derived, never typed in. Where she is and what danger is known
are encrypted: they are the most dangerous facts Haven holds while a team is on its way.

Access rule (one per model, failing closed; see `DispatchQuerySet.visible_to`):
- only roles that work with survivors see dispatches at all;
- case managers (centre and shelter managers, `manages_cases`) see every dispatch of their organisation;
- a member of an active team is a *responder*: she sees the dispatches of her team(s) only;
- every other member whose role works with survivors is on the *dispatch desk* and sees every dispatch of
  the organisation, because the desk hands calls over between shifts.
Location and danger are therefore shown to the assigned team and the desk only. Teams themselves are staff
information: every member sees them; roles that manage sites create them and change their members.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.cases.models import Case, manages_cases
from haven.orgs.models import Area, Membership, Organisation, OrgScopedQuerySet, Site, membership_of
from haven.privacy.fields import EncryptedTextField

UNIT_ACTIONS = frozenset({"view", "change", "status"})
DISPATCH_ACTIONS = frozenset({"view", "change"})


class UnitQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> UnitQuerySet:
        """Every member sees her organisation's teams. "change" (name, area, members): roles that manage
        sites. "status" (available / off duty): roles that work with survivors or manage sites. Nothing
        for an unknown action or without a membership (fail closed)."""
        membership = membership_of(user)
        if membership is None or action not in UNIT_ACTIONS:
            return self.none()
        role = membership.role_enum
        scoped = self.filter(org_id=membership.org_id)
        allowed = {
            "view": True,
            "change": role.manages_sites,
            "status": role.manages_sites or role.works_with_survivors,
        }[action]
        return scoped if allowed else self.none()


class Unit(models.Model):
    """A mobile team. Its status follows its dispatch; outside one, it is available or off duty."""

    class Status(models.TextChoices):
        AVAILABLE = "AVAILABLE", _("Available")
        EN_ROUTE = "EN_ROUTE", _("En route")
        ON_SCENE = "ON_SCENE", _("On scene")
        OFF_DUTY = "OFF_DUTY", _("Off duty")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("area served")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFF_DUTY)
    status_changed_at = models.DateTimeField()
    members: models.ManyToManyField[Membership, UnitMember] = models.ManyToManyField(
        Membership, through="UnitMember", related_name="units", blank=True
    )
    created_at = models.DateTimeField()

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="dispatch_unit_unique_name")]

    def __str__(self) -> str:
        return self.name


class UnitMember(models.Model):
    """A staff member on a team. Leaving keeps the row as history."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="unit_memberships")
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "membership"],
                condition=Q(left_at__isnull=True),
                name="dispatch_unit_member_once",
            ),
        ]

    def __str__(self) -> str:
        return f"member of {self.unit_id}"


def responder_units(membership: Membership) -> models.QuerySet[UnitMember, Any]:
    """The unit ids of the teams this member is on now (as a subquery)."""
    return UnitMember.objects.filter(membership=membership, left_at__isnull=True).values("unit_id")


class DispatchQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> DispatchQuerySet:
        """The rule in the module docstring: case managers and the dispatch desk see every dispatch of
        the organisation, responders those of their teams, roles not working with survivors none.
        "view" and "change" have the same audience: whoever sees a dispatch may record its next step."""
        membership = membership_of(user)
        if membership is None or action not in DISPATCH_ACTIONS:
            return self.none()
        role = membership.role_enum
        if not role.works_with_survivors:
            return self.none()
        scoped = self.filter(org_id=membership.org_id)
        if manages_cases(role):
            return scoped
        teams = responder_units(membership)
        return scoped.filter(unit_id__in=teams) if teams.exists() else scoped

    def open(self) -> DispatchQuerySet:
        return self.exclude(status__in=Dispatch.CLOSED_STATUSES)


class Dispatch(models.Model):
    class Priority(models.IntegerChoices):
        IMMEDIATE = 1, _("Immediate: life in danger")
        URGENT = 2, _("Urgent")
        ROUTINE = 3, _("Routine")

    class Status(models.TextChoices):
        CREATED = "CREATED", _("Created")
        ACTIVATED = "ACTIVATED", _("Team activated")
        ACKNOWLEDGED = "ACKNOWLEDGED", _("Acknowledged by the team")
        EN_ROUTE = "EN_ROUTE", _("En route")
        ON_SCENE = "ON_SCENE", _("On scene")
        TRANSPORTING = "TRANSPORTING", _("Transporting")
        ARRIVED = "ARRIVED", _("Arrived at destination")
        COMPLETED = "COMPLETED", _("Completed")
        CANCELLED = "CANCELLED", _("Cancelled")

    class Known(models.TextChoices):
        UNKNOWN = "UNKNOWN", _("Not known")
        YES = "YES", _("Yes")
        NO = "NO", _("No")

    class Destination(models.TextChoices):
        SHELTER = "SHELTER", _("Shelter or safe house")
        ONE_STOP_CENTRE = "ONE_STOP_CENTRE", _("One-stop or crisis centre")
        HOSPITAL = "HOSPITAL", _("Hospital or clinic")
        POLICE = "POLICE", _("Police station")
        OTHER = "OTHER", _("Somewhere else")

    class Disposition(models.TextChoices):
        TAKEN_TO_SAFETY = "TAKEN_TO_SAFETY", _("Taken to safety")
        RESOLVED_ON_SCENE = "RESOLVED_ON_SCENE", _("Resolved on scene")
        DECLINED_HELP = "DECLINED_HELP", _("She declined help")
        NOT_FOUND = "NOT_FOUND", _("Nobody found at the location")
        POLICE_TOOK_OVER = "POLICE_TOOK_OVER", _("Police took over")

    class CancelReason(models.TextChoices):
        CALLER_SAFE = "CALLER_SAFE", _("She is safe: no team needed")
        DUPLICATE = "DUPLICATE", _("Duplicate of another dispatch")
        POLICE_ATTENDING = "POLICE_ATTENDING", _("Police are attending instead")
        NO_TEAM = "NO_TEAM", _("No team could go")
        OTHER = "OTHER", _("Other")

    CLOSED_STATUSES = (Status.COMPLETED, Status.CANCELLED)
    HANDOVER_DESTINATIONS = (Destination.SHELTER, Destination.ONE_STOP_CENTRE)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="dispatches")
    contact = models.ForeignKey(
        "hotline.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="dispatches"
    )
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CREATED)
    # When the call was answered (or the emergency otherwise became known): the SLA clocks start here.
    received_at = models.DateTimeField(_("received at"))
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispatches",
        verbose_name=_("team"),
    )
    location_address = EncryptedTextField(_("address or directions"), blank=True)
    location_coordinates = EncryptedTextField(_("coordinates (latitude, longitude)"), blank=True)
    weapons = models.CharField(_("weapons"), max_length=8, choices=Known.choices, default=Known.UNKNOWN)
    children_present = models.CharField(
        _("children present"), max_length=8, choices=Known.choices, default=Known.UNKNOWN
    )
    danger_notes = EncryptedTextField(_("what else is known of the danger"), blank=True)
    destination_kind = models.CharField(
        _("destination"), max_length=16, choices=Destination.choices, blank=True
    )
    destination_site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("site")
    )
    # A hospital or police station by name: a public place, never her address.
    destination_text = models.CharField(_("destination details"), max_length=200, blank=True)
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition.choices, blank=True)
    cancel_reason = models.CharField(
        _("why cancelled"), max_length=20, choices=CancelReason.choices, blank=True
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = DispatchQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "received_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(contact__isnull=False),
                name="dispatch_from_case_or_contact",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(status__in=["COMPLETED", "CANCELLED"]),
                name="dispatch_closed_at_only_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(status__in=["CREATED", "CANCELLED"]),
                name="dispatch_team_once_activated",
            ),
        ]
        indexes = [models.Index(fields=["org", "status"], name="dispatch_board")]

    def __str__(self) -> str:
        return f"dispatch {self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES


class DispatchEvent(models.Model):
    """One step of a dispatch: which, when and who recorded it. Written only by the verbs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(max_length=12, choices=Dispatch.Status.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dispatch", "step"], name="dispatch_event_step_once"),
        ]

    def __str__(self) -> str:
        return f"{self.step} on {self.dispatch_id}"


class Target(models.Model):
    """An organisation's service-level target: `interval` within `seconds`, `share` % of the time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    interval = models.CharField(_("interval"), max_length=24)
    seconds = models.PositiveIntegerField(_("within (seconds)"))
    share = models.PositiveSmallIntegerField(_("of the time (%)"))

    class Meta:
        ordering = ["interval"]
        constraints = [
            models.UniqueConstraint(fields=["org", "interval"], name="dispatch_target_once"),
            models.CheckConstraint(condition=Q(share__gte=1, share__lte=100), name="dispatch_target_share"),
            models.CheckConstraint(condition=Q(seconds__gte=1), name="dispatch_target_seconds"),
        ]

    def __str__(self) -> str:
        return f"{self.interval} ≤ {self.seconds}s"


class Handover(models.Model):
    """The team brought her to a shelter or centre: the seam the shelter flow will pick up (later issue)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    dispatch = models.OneToOneField(Dispatch, on_delete=models.CASCADE, related_name="handover")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    destination_kind = models.CharField(max_length=16, choices=Dispatch.Destination.choices)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"handover of {self.dispatch_id}"
