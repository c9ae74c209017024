"""Shelters, safe houses and one-stop centres: facilities, rooms and beds, household stays, holds, the
waitlist, stay extensions and turn-aways.

A `Facility` describes one of the organisation's sites (`orgs.Site` keeps the name, the area and the
confidential address). Its capacity is its active `Bed`s, grouped in `Room`s. A `Stay` is one household's
stay (a woman and the children who came with her) under her case; each person sleeps in one bed
(`StayResident`). No bed is given twice: the database allows one current resident per bed and one current
residency per person (partial unique constraints), and the admission verb locks the bed rows before it
checks them (`haven/shelters/actions.py`).

A `BedHold` reserves one bed for a household on its way, for the facility's `hold_minutes`. It carries
no client data: how many adults, the children's ages and sexes, and, only when the holder runs the
facility, a reference to its own dispatch, contact or case. A hold whose `expires_at` has passed is free
for every query at once; `expire_holds` only tidies the status.

Access rules (one per model, failing closed):
- facilities, rooms and beds: every member of the facility's organisation sees them; roles that may
  change the facility's site (`Site.visible_to(user, "change")`) change them. Other organisations of a
  `ShelterNetwork` see free beds of facilities that share availability, through `queries.availability`
  only, never the rows themselves;
- stays, residents, extensions and waitlist entries (they name a case): roles that work with survivors,
  of the organisation, when they manage cases (centre and shelter managers), are based at the facility's
  site (`Membership.site`), or work on the stay's case; nobody else;
- holds: members whose role works with survivors or manages sites, of the facility's organisation or of
  the organisation holding the bed.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.cases.models import Case, CaseAssignment, manages_cases
from haven.orgs.models import Organisation, OrgScopedQuerySet, Site, membership_of
from haven.people.models import Person
from haven.privacy.fields import EncryptedTextField

ACTIONS = frozenset({"view", "change"})

FACILITY_SITE_KINDS = (Site.Kind.SHELTER, Site.Kind.ONE_STOP_CENTRE, Site.Kind.CRISIS_CENTRE)


def _default_follow_up_days() -> list[int]:
    return [7, 30, 90]


class FacilityQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> FacilityQuerySet:
        """Members of the organisation see its facilities; roles that may change the site change them."""
        if action not in ACTIONS:
            return self.none()
        if action == "view":
            return self.in_active_org(user)  # type: ignore[return-value]
        return self.filter(site__in=Site.objects.visible_to(user, "change"))


class Facility(models.Model):
    """What a shelter or centre is, whom it accepts and how long one may stay."""

    class Type(models.TextChoices):
        SHELTER = "SHELTER", _("Shelter")
        SAFE_HOUSE = "SAFE_HOUSE", _("Safe house")
        ONE_STOP_CENTRE = "ONE_STOP_CENTRE", _("One-stop centre")
        CRISIS_CENTRE = "CRISIS_CENTRE", _("Crisis centre")
        TRANSITIONAL_HOUSING = "TRANSITIONAL_HOUSING", _("Transitional housing")

    class Operator(models.TextChoices):
        STATE = "STATE", pgettext_lazy("who runs a facility", "State")
        NGO = "NGO", _("Non-governmental organisation")

    # An admission to one of these opens the one-stop centre's standard services in the case.
    ONE_STOP_TYPES = (Type.ONE_STOP_CENTRE, Type.CRISIS_CENTRE)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    site = models.OneToOneField(Site, on_delete=models.PROTECT, related_name="facility")
    facility_type = models.CharField(_("type"), max_length=24, choices=Type.choices)
    operator = models.CharField(_("run by"), max_length=8, choices=Operator.choices)
    accepts_women = models.BooleanField(_("accepts women"), default=True)
    accepts_children = models.BooleanField(_("accepts children with their mother"), default=True)
    accepts_pregnant_women = models.BooleanField(_("accepts pregnant women"), default=True)
    accepts_women_with_disabilities = models.BooleanField(_("accepts women with disabilities"), default=True)
    boys_max_age = models.PositiveSmallIntegerField(
        _("boys may stay up to the age of"),
        null=True,
        blank=True,
        help_text=_("Older boys cannot stay. Empty: no age limit for boys."),
    )
    max_stay_days = models.PositiveSmallIntegerField(
        _("longest stay (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: she may stay as long as she needs. A longer stay needs an approved extension."),
    )
    hold_minutes = models.PositiveSmallIntegerField(_("a bed is held for (minutes)"), default=90)
    shares_availability = models.BooleanField(
        _("show free beds to the network"),
        default=False,
        help_text=_("Organisations of your shelter networks see how many beds are free, never who is here."),
    )
    admits_around_the_clock = models.BooleanField(_("admits at any hour"), default=True)
    follow_up_days = models.JSONField(
        _("follow-up after the stay (days)"),
        default=_default_follow_up_days,
        blank=True,
        help_text=_("Days after she leaves when a follow-up call or meeting is planned, e.g. 7, 30, 90."),
    )
    created_at = models.DateTimeField()

    objects = FacilityQuerySet.as_manager()

    class Meta:
        ordering = ["site__name"]
        verbose_name_plural = "facilities"
        constraints = [
            models.CheckConstraint(
                condition=Q(hold_minutes__gte=5, hold_minutes__lte=1440),
                name="facility_hold_minutes_sensible",
            ),
            models.CheckConstraint(
                condition=Q(max_stay_days__isnull=True) | Q(max_stay_days__gte=1),
                name="facility_max_stay_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"facility {self.pk}"

    @property
    def name(self) -> str:
        return self.site.name

    @property
    def is_one_stop(self) -> bool:
        return self.facility_type in self.ONE_STOP_TYPES


class FacilityPartQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> FacilityPartQuerySet:
        """Rooms and beds follow their facility."""
        return self.filter(facility__in=Facility.objects.visible_to(user, action))


class Room(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("room name or number"), max_length=60)
    floor = models.CharField(_("floor"), max_length=20, blank=True)
    # Staff may note who the room suits ("quiet, for a mother with a baby"): it could point at someone.
    notes = EncryptedTextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = FacilityPartQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["facility", "name"], name="shelter_room_unique_name")]

    def __str__(self) -> str:
        return self.name


class Bed(models.Model):
    class Kind(models.TextChoices):
        BED = "BED", _("Bed")
        COT = "COT", _("Cot (for an infant)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Kept beside the room so availability counts beds per facility without joining rooms.
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="beds")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="beds")
    label = models.CharField(_("label"), max_length=40)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices, default=Kind.BED)
    is_accessible = models.BooleanField(_("accessible (wheelchair)"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)
    # Kept by the shelter verbs (`actions.keep_bed_state`, under the bed's lock) so that the network's
    # availability is one scan of this table, without joining every residency and hold: whether someone
    # sleeps here now, and until when a hold keeps the bed. A time in the past means free: a hold past its
    # time frees the bed without any write. The residencies and holds stay the truth the verbs check.
    is_occupied = models.BooleanField(default=False, editable=False)
    held_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = FacilityPartQuerySet.as_manager()

    class Meta:
        ordering = ["room__name", "label"]
        constraints = [models.UniqueConstraint(fields=["room", "label"], name="shelter_bed_unique_label")]
        indexes = [models.Index(fields=["facility", "is_active"], name="shelter_bed_capacity")]

    def __str__(self) -> str:
        return self.label


def survivor_work_scope(user: Any, action: str, case_field: str = "case") -> Q | None:
    """The rule for rows that name a case (module docstring); None when the user sees none of them."""
    membership = membership_of(user)
    if membership is None or action not in ACTIONS or not membership.role_enum.works_with_survivors:
        return None
    scope = Q(org_id=membership.org_id)
    if manages_cases(membership.role_enum):
        return scope
    on_case = CaseAssignment.objects.filter(membership=membership, ended_at__isnull=True).values("case_id")
    mine = Q(**{f"{case_field}__in": on_case})
    if membership.site_id is not None:
        mine |= Q(facility__site_id=membership.site_id)
    return scope & mine


class StayQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> StayQuerySet:
        """See the module docstring: managers, staff based at the facility, workers on the case."""
        scope = survivor_work_scope(user, action)
        return self.none() if scope is None else self.filter(scope)

    def active(self) -> StayQuerySet:
        return self.filter(status=Stay.Status.ACTIVE)


class Stay(models.Model):
    """One household's stay at one facility, under the woman's case."""

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", _("Staying")
        ENDED = "ENDED", _("Left")

    class Arrival(models.TextChoices):
        WALK_IN = "WALK_IN", _("Walked in")
        HOTLINE = "HOTLINE", _("Through the hotline")
        POLICE = "POLICE", _("Brought by the police")
        MOBILE_TEAM = "MOBILE_TEAM", _("Brought by a mobile team")
        HOSPITAL = "HOSPITAL", _("From a hospital")
        TRANSFER = "TRANSFER", _("Transferred from another facility")

    class Destination(models.TextChoices):
        OWN_HOME = "OWN_HOME", _("Her own home")
        FAMILY = "FAMILY", _("Family or friends")
        NEW_HOUSING = "NEW_HOUSING", _("New housing")
        OTHER_SHELTER = "OTHER_SHELTER", _("Another shelter")
        RETURNED_TO_ABUSER = "RETURNED_TO_ABUSER", _("Returned to the abuser")
        UNKNOWN = "UNKNOWN", _("Not known")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="stays")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="stays")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    arrival_kind = models.CharField(_("how she came"), max_length=12, choices=Arrival.choices)
    arrived_at = models.DateTimeField(_("arrived at"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    services_started = models.JSONField(_("services started on arrival"), default=list, blank=True)
    ended_at = models.DateTimeField(_("left at"), null=True, blank=True)
    destination = models.CharField(_("went to"), max_length=20, choices=Destination.choices, blank=True)
    transferred_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="transferred_to"
    )
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = StayQuerySet.as_manager()

    class Meta:
        ordering = ["-arrived_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="ACTIVE"), name="shelter_stay_one_active_per_case"
            ),
            models.CheckConstraint(
                condition=Q(status="ACTIVE", ended_at__isnull=True, destination="")
                | (Q(status="ENDED", ended_at__isnull=False) & ~Q(destination="")),
                name="shelter_stay_ended_with_destination",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("arrived_at")),
                name="shelter_stay_ends_after_arrival",
            ),
        ]
        indexes = [models.Index(fields=["facility", "status"], name="shelter_stay_board")]

    def __str__(self) -> str:
        return f"stay {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class StayResident(models.Model):
    """One person of the household in one bed, for as long as she (or the child) sleeps there."""

    class Role(models.TextChoices):
        WOMAN = "WOMAN", _("Woman")
        CHILD = "CHILD", _("Child")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="residents")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="shelter_residencies")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="residents")
    role = models.CharField(_("role"), max_length=6, choices=Role.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["role", "started_at"]
        constraints = [
            # The last line of defence against a double booking: one current resident per bed...
            models.UniqueConstraint(
                fields=["bed"], condition=Q(ended_at__isnull=True), name="shelter_one_resident_per_bed"
            ),
            # ...and one current stay per person, wherever it is.
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_at__isnull=True), name="shelter_one_stay_per_person"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="shelter_resident_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"resident of {self.stay_id}"


class HoldQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> HoldQuerySet:
        """The facility's organisation and the holding organisation, for roles that work with survivors
        or manage sites."""
        membership = membership_of(user)
        if membership is None or action not in ACTIONS:
            return self.none()
        role = membership.role_enum
        if not (role.works_with_survivors or role.manages_sites):
            return self.none()
        return self.filter(Q(org_id=membership.org_id) | Q(held_by_id=membership.org_id))

    def live(self, at: Any) -> HoldQuerySet:
        """Holds that still keep their bed at `at`: an expired hold frees the bed without any job."""
        return self.filter(status=BedHold.Status.HELD, expires_at__gt=at)


class BedHold(models.Model):
    """One bed kept for a household on its way. Holds placed together share a `group`."""

    class Status(models.TextChoices):
        HELD = "HELD", pgettext_lazy("bed hold", "Held")
        RELEASED = "RELEASED", _("Released")
        USED = "USED", _("Used for an admission")
        EXPIRED = "EXPIRED", _("Expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The organisation that runs the facility (the bed's owner)...
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="holds")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="holds")
    group = models.UUIDField(db_index=True)
    # ...and the one holding it, which may be another organisation of a shelter network.
    held_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adults = models.PositiveSmallIntegerField(_("adults"), default=1)
    # [{"age": 4, "sex": "MALE"}, …]: what the facility must know to accept them, nothing that names them.
    children = models.JSONField(_("children"), default=list, blank=True)
    reference = models.CharField(_("your reference"), max_length=60, blank=True)
    placed_at = models.DateTimeField()
    expires_at = models.DateTimeField(_("held until"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.HELD)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = HoldQuerySet.as_manager()

    class Meta:
        ordering = ["expires_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["bed"], condition=Q(status="HELD"), name="shelter_one_hold_per_bed"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("placed_at")), name="shelter_hold_expires_after_placed"
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="shelter_hold_expiry")]

    def __str__(self) -> str:
        return f"hold {self.pk}"


class RiskLevel(models.TextChoices):
    """The waitlist's own scale: each instrument's levels are mapped onto it (`queries.RISK_MAPPING`)."""

    IMMINENT = "IMMINENT", _("Imminent danger")
    HIGH = "HIGH", _("High risk")
    MEDIUM = "MEDIUM", _("Medium risk")
    STANDARD = "STANDARD", _("Standard")


RISK_RANK: dict[str, int] = {
    RiskLevel.IMMINENT: 1,
    RiskLevel.HIGH: 2,
    RiskLevel.MEDIUM: 3,
    RiskLevel.STANDARD: 4,
}


class CaseRowQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> CaseRowQuerySet:
        """Same rule as stays (module docstring)."""
        scope = survivor_work_scope(user, action)
        return self.none() if scope is None else self.filter(scope)


class WaitlistEntry(models.Model):
    """A household waiting for a place: at one facility, or at any facility of the organisation."""

    class Status(models.TextChoices):
        WAITING = "WAITING", _("Waiting")
        OFFERED = "OFFERED", _("Bed offered")
        PLACED = "PLACED", _("Placed")
        WITHDRAWN = "WITHDRAWN", _("Withdrawn")

    class Source(models.TextChoices):
        WAITLIST = "WAITLIST", _("Put on the waitlist")
        ARRIVAL = "ARRIVAL", _("Brought in by a mobile team")

    OPEN_STATUSES = (Status.WAITING, Status.OFFERED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="waitlist"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="shelter_waitlist")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.WAITLIST)
    adults = models.PositiveSmallIntegerField(_("adults"), default=1)
    children = models.JSONField(_("children"), default=list, blank=True)
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    risk_rank = models.PositiveSmallIntegerField()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    requested_at = models.DateTimeField(_("waiting since"))
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_group = models.UUIDField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CaseRowQuerySet.as_manager()

    class Meta:
        ordering = ["risk_rank", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=["WAITING", "OFFERED"]),
                name="shelter_waitlist_one_open_per_case",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "status", "risk_rank", "requested_at"], name="shelter_waitlist")
        ]

    def __str__(self) -> str:
        return f"waitlist entry {self.pk}"


class ExtensionQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> ExtensionQuerySet:
        return self.filter(stay__in=Stay.objects.visible_to(user, action))


class StayExtension(models.Model):
    """A request to stay beyond the planned end, decided by a manager who did not ask for it."""

    class Status(models.TextChoices):
        PENDING = "PENDING", _("Waiting for a decision")
        APPROVED = "APPROVED", _("Approved")
        REFUSED = "REFUSED", _("Refused")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="extensions")
    new_planned_end = models.DateField(_("new planned end"))
    reason = EncryptedTextField(_("why she needs to stay longer"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ExtensionQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["stay"], condition=Q(status="PENDING"), name="shelter_extension_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"extension {self.pk}"


class TurnAwayQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> TurnAwayQuerySet:
        return self.filter(facility__in=Facility.objects.visible_to(user, action))


class TurnAway(models.Model):
    """A household the facility could not take: a count for the figures, with no client data."""

    class Reason(models.TextChoices):
        FULL = "FULL", _("No free bed")
        NOT_ACCEPTED = "NOT_ACCEPTED", _("Not accepted by this facility (e.g. a boy over the age limit)")
        OTHER = "OTHER", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="turn_aways")
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    adults = models.PositiveSmallIntegerField(_("adults"), default=1)
    children = models.PositiveSmallIntegerField(_("children"), default=0)
    at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = TurnAwayQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"turn-away {self.pk}"


class ShelterNetwork(models.Model):
    """Organisations that agreed to show each other their free beds (counts only). Membership is an
    opt-in each organisation gives; a facility is shown only if it also shares its availability."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    members: models.ManyToManyField[Organisation, Any] = models.ManyToManyField(
        Organisation, related_name="shelter_networks", blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def age_on(person: Person, day: date) -> int | None:
    """Whole years on `day`, from her (possibly estimated) date of birth; None when it is not known."""
    if person.born_on is None:
        return None
    born = person.born_on
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def sleeps_in_bed() -> Exists:
    """For a bed query: someone sleeps in the bed now (her residency is open). The truth the verbs
    check; `Bed.is_occupied` keeps it for the availability count."""
    return Exists(StayResident.objects.filter(bed_id=OuterRef("pk"), ended_at__isnull=True))


def hold_end_of_bed() -> Subquery:
    """For a bed query: when the hold on the bed that is still `HELD` ends (at most one, by constraint),
    or NULL. Past that time the bed is free (`HoldQuerySet.live`); `Bed.held_until` keeps it."""
    held = BedHold.objects.filter(bed_id=OuterRef("pk"), status=BedHold.Status.HELD)
    return Subquery(held.values("expires_at")[:1])
