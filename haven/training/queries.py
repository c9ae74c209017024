"""Reads of the training centres: attendance rates, a batch's roll, and figures for the reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from haven.training.models import AttendanceDay, Batch, Course, Trainee


def attendance_rate(trainee: Trainee) -> int | None:
    """Her share of the recorded days she was present, in whole percent; None before any register."""
    counts = AttendanceDay.objects.filter(trainee=trainee).aggregate(
        days=Count("pk"), present=Count("pk", filter=Q(present=True))
    )
    if not counts["days"]:
        return None
    return int(100 * counts["present"] // counts["days"])


def roll(batch: Batch) -> Any:
    """The batch's trainees with their registry entry, certificate and attendance counts, in one query."""
    return (
        Trainee.objects.filter(batch=batch)
        .select_related("beneficiary__person", "beneficiary__area", "certificate", "benefit_enrolment")
        .annotate(
            days=Count("attendance"),
            days_present=Count("attendance", filter=Q(attendance__present=True)),
        )
        .order_by("beneficiary__registry_number")
    )


def register_days(batch: Batch) -> list[Any]:
    """The days a register was kept, newest first."""
    days = AttendanceDay.objects.filter(trainee__batch=batch).values_list("on", flat=True).distinct()
    return sorted(set(days), reverse=True)


@dataclass(frozen=True)
class CourseFigures:
    course: Course
    batches: int
    enrolled: int
    dropped: int
    examined: int
    passed: int
    certified: int


def course_figures(org_id: Any) -> list[CourseFigures]:
    """Per course: batches, women enrolled, dropped out, examined, passed and certified (for the reports)."""
    courses = (
        Course.objects.filter(org_id=org_id)
        .select_related("centre")
        .annotate(
            n_batches=Count("batches", distinct=True),
            n_enrolled=Count("batches__trainees", distinct=True),
            n_dropped=Count(
                "batches__trainees", filter=Q(batches__trainees__status=Trainee.Status.DROPPED), distinct=True
            ),
            n_examined=Count(
                "batches__trainees", filter=Q(batches__trainees__exam_score__isnull=False), distinct=True
            ),
            n_passed=Count("batches__trainees", filter=Q(batches__trainees__passed=True), distinct=True),
            n_certified=Count("batches__trainees__certificate", distinct=True),
        )
    )
    return [
        CourseFigures(
            course=c,
            batches=c.n_batches,
            enrolled=c.n_enrolled,
            dropped=c.n_dropped,
            examined=c.n_examined,
            passed=c.n_passed,
            certified=c.n_certified,
        )
        for c in courses
    ]
