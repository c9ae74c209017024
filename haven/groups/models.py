"""Group work, trainings, awareness sessions and information campaigns.

An `Activity` is something the organisation runs for a group: a residents' or kitchen meeting in a
shelter, a mothers' or children's group, an outing, homework help, a class or a course, an awareness
session for professionals or for the public. It meets in `ActivitySession`s. Who came is recorded two
ways: `Attendance` of known persons (people of the organisation, women and children alike) and
`AnonymousCount`s of everyone else, by sex and age group and, at sessions for professionals, by the kind
of institution they work for. A session's capacity bounds both together.

Trainings (life skills, vocational and technical, gender and digital rights) are courses: a person is
enrolled (`Enrolment`), sits an exam (score and pass per participant), and receives a `Certificate`
with a number unique in the organisation when she passed.

A `Campaign` (e.g. "#StopViolence") produces `Material`s (booklets, brochures, posters…) that are handed
out in `Distribution`s: how many, where, when. Totals per material and per campaign are what remain.

Access rules (one per model, failing closed):
- activities, sessions, anonymous counts, campaigns, materials and distributions carry no personal data:
  every member of the organisation sees them; the organising roles (`ORGANISER_ROLES`) change them;
- attendance, enrolments and certificates name a person: coming to a group tells that she is in a
  programme. Only roles that work with survivors see or record them (child educators among them, for
  children's groups and homework help), in their own organisation. Names are decrypted on the session
  page only; lists and the API show survivor codes.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.orgs.models import Area, Membership, Organisation, OrgScopedQuerySet, Site, membership_of
from haven.orgs.roles import KEPT_APART_ROLES, Role
from haven.people.models import Person
from haven.privacy.fields import EncryptedTextField

ACTIONS = frozenset({"view", "change"})

ORGANISER_ROLES: frozenset[Role] = frozenset(
    {
        Role.ORG_ADMIN,
        Role.CENTRE_MANAGER,
        Role.SHELTER_MANAGER,
        Role.CASEWORKER,
        Role.COUNSELLOR,
        Role.CHILD_EDUCATOR,
        Role.PROGRAMME_OFFICER,
    }
)
"""Who creates activities, sessions, head counts, campaigns, materials and distributions: the people who
run groups and classes (shelter staff run kitchen and residents' meetings), the programme officer who runs
trainings and campaigns, and the organisation's administrator."""


def organises(role: Role) -> bool:
    return role in ORGANISER_ROLES


class ActivityKind(models.TextChoices):
    RESIDENTS_MEETING = "RESIDENTS_MEETING", _("Residents' group meeting")
    COMMUNITY_MEETING = "COMMUNITY_MEETING", _("Community meeting")
    KITCHEN_MEETING = "KITCHEN_MEETING", _("Kitchen meeting")
    MOTHERS_GROUP = "MOTHERS_GROUP", _("Mothers' group")
    CHILDRENS_GROUP = "CHILDRENS_GROUP", _("Children's group")
    OUTING = "OUTING", _("Outing")
    HOMEWORK_HELP = "HOMEWORK_HELP", _("Homework help")
    LIFE_SKILLS = "LIFE_SKILLS", _("Life-skills class (life and communication skills)")
    VOCATIONAL_TRAINING = "VOCATIONAL_TRAINING", _("Vocational or technical training")
    GENDER_DIGITAL_RIGHTS = "GENDER_DIGITAL_RIGHTS", _("Gender and digital rights training")
    PROFESSIONAL_AWARENESS = "PROFESSIONAL_AWARENESS", _("Awareness session for professionals")
    PUBLIC_AWARENESS = "PUBLIC_AWARENESS", _("Public awareness event")


TRAINING_KINDS = frozenset(
    {ActivityKind.LIFE_SKILLS, ActivityKind.VOCATIONAL_TRAINING, ActivityKind.GENDER_DIGITAL_RIGHTS}
)
"""Courses: participants enrol, sit an exam, and those who pass receive a certificate."""

CHILDREN_KINDS = frozenset({ActivityKind.CHILDRENS_GROUP, ActivityKind.HOMEWORK_HELP})


class Audience(models.TextChoices):
    WOMEN = "WOMEN", _("Women")
    GIRLS = "GIRLS", _("Adolescent girls")
    WOMEN_AND_GIRLS = "WOMEN_AND_GIRLS", _("Women and adolescent girls")
    MOTHERS = "MOTHERS", _("Mothers")
    CHILDREN = "CHILDREN", _("Children")
    RESIDENTS = "RESIDENTS", _("Shelter residents")
    MEN = "MEN", _("Men")
    COMMUNITY = "COMMUNITY", _("The community")
    PROFESSIONALS = "PROFESSIONALS", _("Professionals")
    PUBLIC = "PUBLIC", _("The general public")


class Sex(models.TextChoices):
    FEMALE = "FEMALE", _("Female")
    MALE = "MALE", _("Male")
    OTHER = "OTHER", _("Other or not known")


class AgeGroup(models.TextChoices):
    CHILD = "0_11", _("0–11")
    ADOLESCENT = "12_17", _("12–17")
    YOUNG_ADULT = "18_24", _("18–24")
    ADULT = "25_59", _("25–59")
    OLDER = "60_PLUS", _("60 and over")
    UNKNOWN = "UNKNOWN", _("Age not known")


class Institution(models.TextChoices):
    POLICE = "POLICE", _("Police")
    LAW = "LAW", _("Lawyers and courts")
    SOCIAL_WORK = "SOCIAL_WORK", _("Social workers")
    HEALTH = "HEALTH", _("Health workers")
    IMMIGRATION = "IMMIGRATION", _("Immigration centres")
    COMMUNITY_GROUPS = "COMMUNITY_GROUPS", _("Community groups")
    OTHER = "OTHER", pgettext_lazy("kind of institution", "Other")


def age_group_of(born_on: date | None, on: date) -> str:
    """The age group on the day of the session; unknown without a date of birth."""
    if born_on is None:
        return AgeGroup.UNKNOWN
    age = on.year - born_on.year - ((on.month, on.day) < (born_on.month, born_on.day))
    for limit, group in ((11, AgeGroup.CHILD), (17, AgeGroup.ADOLESCENT), (24, AgeGroup.YOUNG_ADULT)):
        if age <= limit:
            return group
    return AgeGroup.ADULT if age <= 59 else AgeGroup.OLDER


def sex_of(person: Person) -> str:
    return person.sex if person.sex in (Sex.FEMALE, Sex.MALE) else Sex.OTHER


# --- access ----------------------------------------------------------------------------------------------


class OpenToStaffQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> OpenToStaffQuerySet:
        """Rows without personal data: every member of the organisation sees them except the roles kept apart
        from survivors (a session's place can be a shelter); the organising roles
        change them; nothing for an unknown action or anyone without a membership (fail closed)."""
        if action not in ACTIONS:
            return self.none()
        membership = membership_of(user)
        if membership is None or membership.role_enum in KEPT_APART_ROLES:
            return self.none()
        if action == "change" and not organises(membership.role_enum):
            return self.none()
        return self.in_active_org(user)  # type: ignore[return-value]


class NamesPersonQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> NamesPersonQuerySet:
        """Rows naming a person: roles that work with survivors, in their organisation, both to see and to
        record; nobody else, and nothing for an unknown action (fail closed)."""
        if action not in ACTIONS:
            return self.none()
        return self.for_survivor_work(user)  # type: ignore[return-value]


# --- activities and sessions -----------------------------------------------------------------------------


class Activity(models.Model):
    """A group, class, course, outing or awareness event, with the defaults its sessions start from."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=24, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("site")
    )
    audience = models.CharField(_("for whom"), max_length=16, choices=Audience.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    capacity = models.PositiveIntegerField(
        _("places per session"),
        null=True,
        blank=True,
        help_text=_("How many people one session can take. Empty: no limit."),
    )
    facilitators = models.ManyToManyField(
        Membership, blank=True, related_name="+", verbose_name=_("facilitators")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # Trainings only: the exam mark (out of 100) from which a participant has passed.
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (out of 100)"), null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = OpenToStaffQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["org", "kind", "starts_on"], name="group_activity_kind_period")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="group_activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__isnull=True) | Q(pass_mark__lte=100), name="group_pass_mark_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"activity {self.pk}"

    @property
    def is_training(self) -> bool:
        return self.kind in TRAINING_KINDS

    @property
    def is_for_children(self) -> bool:
        return self.kind in CHILDREN_KINDS

    @property
    def is_for_professionals(self) -> bool:
        return self.kind == ActivityKind.PROFESSIONAL_AWARENESS


class ActivitySession(models.Model):
    """One meeting of an activity. Its place is a site of the organisation (by name: never an address) or
    a short description such as "community hall"."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("site")
    )
    place = models.CharField(_("place"), max_length=120, blank=True)
    facilitator = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    # What was said may name a participant: encrypted, shown on the session page only.
    notes = EncryptedTextField(_("notes"), blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = OpenToStaffQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["org", "starts_at"], name="group_session_period")]

    def __str__(self) -> str:
        return f"session {self.pk}"


class Attendance(models.Model):
    """A known person at a session. Sex and age group are kept as they were on the day, so the figures
    of a past period never change when her file is edited later."""

    class Status(models.TextChoices):
        PRESENT = "PRESENT", _("Present")
        ABSENT = "ABSENT", _("Absent")
        EXCUSED = "EXCUSED", _("Excused")

    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(ActivitySession, on_delete=models.PROTECT, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = NamesPersonQuerySet.as_manager()

    class Meta:
        ordering = ["person__survivor_code"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="group_attendance_once_per_session")
        ]

    def __str__(self) -> str:
        return f"attendance {self.pk}"


class AnonymousCount(models.Model):
    """How many people nobody registered came to a session, in one cell of sex by age group (and by the kind
    of institution, at sessions for professionals). Counts are not personal: every member sees them."""

    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(ActivitySession, on_delete=models.PROTECT, related_name="anonymous_counts")
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices)
    institution = models.CharField(_("institution"), max_length=16, choices=Institution.choices, blank=True)
    count = models.PositiveIntegerField(_("how many"))

    objects = OpenToStaffQuerySet.as_manager()

    class Meta:
        ordering = ["sex", "age_group", "institution"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "sex", "age_group", "institution"], name="group_count_one_per_cell"
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="group_count_positive"),
        ]

    def __str__(self) -> str:
        return f"count {self.pk}"


# --- courses: enrolment, exam, certificate ---------------------------------------------------------------


class Enrolment(models.Model):
    """A person enrolled in a training, with her exam result once she sat it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField()
    exam_score = models.PositiveSmallIntegerField(_("exam score (out of 100)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    examined_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = NamesPersonQuerySet.as_manager()

    class Meta:
        ordering = ["person__survivor_code"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="group_enrolment_once"),
            models.CheckConstraint(
                condition=Q(exam_score__isnull=True) | Q(exam_score__lte=100), name="group_exam_score_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"enrolment {self.pk}"


class Certificate(models.Model):
    """The certificate of a participant who passed; its number is unique in the organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("number"), max_length=20)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = NamesPersonQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["org", "number"], name="group_certificate_number")]

    def __str__(self) -> str:
        return f"certificate {self.number}"


# --- campaigns -------------------------------------------------------------------------------------------


class Campaign(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = OpenToStaffQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="group_campaign_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Material(models.Model):
    class Kind(models.TextChoices):
        BOOKLET = "BOOKLET", _("Booklet")
        BROCHURE = "BROCHURE", _("Brochure")
        POSTER = "POSTER", _("Poster")
        LEAFLET = "LEAFLET", _("Leaflet")
        VIDEO = "VIDEO", _("Video")
        OTHER = "OTHER", pgettext_lazy("kind of material", "Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="materials")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    audience = models.CharField(_("for whom"), max_length=200)
    quantity_produced = models.PositiveIntegerField(_("copies produced"))
    created_at = models.DateTimeField()

    objects = OpenToStaffQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class Distribution(models.Model):
    """Copies of a material handed out: how many, where (an area and/or a place), when, and how."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="distributions")
    quantity = models.PositiveIntegerField(_("copies"))
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("area")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    distributed_on = models.DateField(_("date handed out"))
    channel = models.CharField(_("event or channel"), max_length=200, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = OpenToStaffQuerySet.as_manager()

    class Meta:
        ordering = ["-distributed_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="group_distribution_positive"),
        ]

    def __str__(self) -> str:
        return f"distribution {self.pk}"
