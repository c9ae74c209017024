"""Training centres: three-month trade courses and income-generating trainings for poor women.

A `TrainingCentre` (the Department of Women Affairs runs one per district, the WTCs) offers `Course`s — a
trade such as tailoring or block-batik, with its length, pass mark and the attendance a trainee needs.
Each course runs in `Batch`es; women from the programme registry (`benefits.Beneficiary`) are enrolled in a
batch, with their VWB enrolment linked when the training is part of that benefit. A batch keeps a daily
register (`AttendanceDay` rows, one per trainee and day), an exam mark per trainee, and a numbered
certificate for those who passed and came often enough.

Access: programme staff of the organisation (`benefits.models.PROGRAMME_ROLES`); they reach a trainee's
name through her registry entry, never through a survivor's file.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.benefits.models import Beneficiary, Enrolment, ProgrammeScopedQuerySet
from haven.orgs.models import Area, Organisation, Site


class TrainingCentre(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("site")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("area")
    )
    created_at = models.DateTimeField()

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="training_centre_unique_name")]

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    class Kind(models.TextChoices):
        TRADE = "TRADE", _("Trade course")
        INCOME_GENERATING = "INCOME_GENERATING", _("Income-generating training")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey(TrainingCentre, on_delete=models.PROTECT, related_name="courses")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("trade or title"), max_length=200)
    weeks = models.PositiveSmallIntegerField(_("length in weeks"), default=12)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (out of 100)"), default=50)
    min_attendance = models.PositiveSmallIntegerField(
        _("attendance needed for a certificate (%)"), default=75
    )
    places = models.PositiveSmallIntegerField(_("places per batch"), default=25)
    created_at = models.DateTimeField()

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["centre", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="training_pass_mark_percent"),
            models.CheckConstraint(condition=Q(min_attendance__lte=100), name="training_attendance_percent"),
            models.CheckConstraint(condition=Q(weeks__gte=1), name="training_course_has_weeks"),
        ]

    def __str__(self) -> str:
        return self.title


class Batch(models.Model):
    class Status(models.TextChoices):
        PLANNED = "PLANNED", _("Planned")
        RUNNING = "RUNNING", _("Running")
        COMPLETED = "COMPLETED", _("Completed")
        CANCELLED = "CANCELLED", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="batches")
    code = models.CharField(_("batch"), max_length=30)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    places = models.PositiveSmallIntegerField(_("places"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_at = models.DateTimeField()

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name_plural = "batches"
        constraints = [
            models.UniqueConstraint(fields=["course", "code"], name="training_batch_unique_code"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="training_batch_order"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Trainee(models.Model):
    """A woman enrolled in a batch, her exam mark and her result."""

    class Status(models.TextChoices):
        ENROLLED = "ENROLLED", _("Enrolled")
        DROPPED = "DROPPED", _("Dropped out")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="trainees")
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="trainings")
    # When the training is part of a benefit (VWB women are trained during their 24 months).
    benefit_enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, null=True, blank=True, related_name="trainings"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ENROLLED)
    exam_score = models.PositiveSmallIntegerField(_("exam mark (out of 100)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    enrolled_at = models.DateTimeField()

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["beneficiary__registry_number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "beneficiary"], name="training_trainee_once"),
            models.CheckConstraint(
                condition=Q(exam_score__isnull=True) | Q(exam_score__lte=100), name="training_exam_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"trainee {self.pk}"


class AttendanceDay(models.Model):
    """Whether a trainee came on a day of her batch; the register writes one row per trainee and day."""

    id = models.BigAutoField(primary_key=True)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="attendance")
    on = models.DateField()
    present = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trainee", "on"], name="training_attendance_once")]

    def __str__(self) -> str:
        return f"{self.trainee_id} {self.on}"


class TrainingCertificate(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    trainee = models.OneToOneField(Trainee, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("number"), max_length=24)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["org", "number"], name="training_certificate_number")]

    def __str__(self) -> str:
        return self.number
