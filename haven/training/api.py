"""API of the training centres: centres and courses, batches (plan, start, complete, cancel), enrolment of
women from the registry, the day's register, exam marks, certificates and the figures per course.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Bad input is a 422 with the verb's sentence, field by field. Reading a batch's roll is audited.
"""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from haven.benefits.models import PROGRAMME_ROLES, Beneficiary
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Area, Site
from haven.training import actions, queries
from haven.training.models import Batch, Course, Trainee, TrainingCentre
from haven.web.openapi import SchemaName

CourseKind = Annotated[Course.Kind, SchemaName("CourseKind")]


router = Router(tags=["training"])

CENTRE = ("training_centre_id",)
COURSE = ("training_course_id",)
BATCH = ("training_batch_id",)
TRAINEE = ("trainee_id",)


class TrainingCentreIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    site_id: uuid.UUID | None = None
    area_id: uuid.UUID | None = None


class CourseIn(Schema):
    kind: CourseKind
    title: str = Field(min_length=1, max_length=200)
    weeks: int = Field(12, ge=1, le=104)
    pass_mark: int = Field(50, ge=0, le=100)
    min_attendance: int = Field(75, ge=0, le=100)
    places: int = Field(25, ge=1, le=500)


class CourseOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    weeks: int
    pass_mark: int
    min_attendance: int
    places: int


class CentreOut(Schema):
    id: uuid.UUID
    name: str
    site_id: uuid.UUID | None
    area_id: uuid.UUID | None
    courses: list[CourseOut] = []


class TrainingBatchIn(Schema):
    code: str = Field(min_length=1, max_length=30)
    starts_on: date
    places: int | None = Field(None, ge=1, le=500)


class TraineeOut(Schema):
    id: uuid.UUID
    beneficiary_id: uuid.UUID
    registry_number: str
    name: str
    status: str
    days: int
    days_present: int
    exam_score: int | None
    passed: bool | None
    certificate_number: str | None


class TrainingBatchOut(Schema):
    id: uuid.UUID
    course_id: uuid.UUID
    code: str
    starts_on: date
    ends_on: date
    places: int
    status: str
    trainees: list[TraineeOut] = []


class MoveIn(Schema):
    verb: str = Field(description="start, complete or cancel")


class TrainingEnrolIn(Schema):
    beneficiary_id: uuid.UUID


class RegisterIn(Schema):
    on: date
    present: list[uuid.UUID] = Field(
        default_factory=list, description="Trainees present; the rest are absent"
    )


class RegisterOut(Schema):
    marked: int


class TrainingExamIn(Schema):
    score: int = Field(ge=0, le=100)


class TrainingCertificateIn(Schema):
    language: str = Field(max_length=8)


class TrainingCertificateOut(Schema):
    id: uuid.UUID
    number: str
    language: str
    issued_at: datetime


class TrainingFigureOut(Schema):
    course_id: uuid.UUID
    title: str
    batches: int
    enrolled: int
    dropped: int
    examined: int
    passed: int
    certified: int


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _centre_out(centre: TrainingCentre) -> CentreOut:
    courses = [CourseOut.from_orm(course) for course in centre.courses.all()]
    return CentreOut(
        id=centre.pk, name=centre.name, site_id=centre.site_id, area_id=centre.area_id, courses=courses
    )


def _batch_out(batch: Batch, with_roll: bool) -> TrainingBatchOut:
    trainees = [_trainee_out(t) for t in queries.roll(batch)] if with_roll else []
    return TrainingBatchOut(
        id=batch.pk,
        course_id=batch.course_id,
        code=batch.code,
        starts_on=batch.starts_on,
        ends_on=batch.ends_on,
        places=batch.places,
        status=batch.status,
        trainees=trainees,
    )


def _trainee_out(trainee: Any) -> TraineeOut:
    certificate = getattr(trainee, "certificate", None)
    return TraineeOut(
        id=trainee.pk,
        beneficiary_id=trainee.beneficiary_id,
        registry_number=trainee.beneficiary.registry_number,
        name=trainee.beneficiary.person.name,
        status=trainee.status,
        days=getattr(trainee, "days", 0),
        days_present=getattr(trainee, "days_present", 0),
        exam_score=trainee.exam_score,
        passed=trainee.passed,
        certificate_number=certificate.number if certificate else None,
    )


def _read_trainee(request: StaffRequest, trainee: Trainee) -> TraineeOut:
    """A trainee as an answer names the woman: a showing of her batch's roll, audited as reading the
    roll is, whether it answers her enrolment or her exam mark."""
    actions.record_roll_view(batch=trainee.batch, **_now(request))
    return _trainee_out(trainee)


def _in_org(model: Any, request: StaffRequest, pk: uuid.UUID | None) -> Any:
    """An object of the acting organisation by id, or None when no id is given; another's is a 404."""
    if pk is None:
        return None
    return get_visible_or_404(model.objects.all(), request.user, pk=pk)


@router.get("/training/centres", response=list[CentreOut])
@api_access(PROGRAMME_ROLES)
def list_centres(request: StaffRequest) -> list[CentreOut]:
    centres = TrainingCentre.objects.visible_to(request.user).prefetch_related("courses")
    return [_centre_out(centre) for centre in centres]


@router.post("/training/centres", response={201: CentreOut})
@api_access(PROGRAMME_ROLES)
def create_centre(request: StaffRequest, payload: TrainingCentreIn) -> Status[CentreOut]:
    centre = actions.create_centre(
        org=request.org,
        name=payload.name,
        site=_in_org(Site, request, payload.site_id),
        area=_in_org(Area, request, payload.area_id),
        **_now(request),
    )
    return Status(201, _centre_out(centre))


@router.get("/training/centres/{training_centre_id}", response=CentreOut)
@api_access(PROGRAMME_ROLES, object_kwargs=CENTRE)
def read_centre(request: StaffRequest, training_centre_id: uuid.UUID) -> CentreOut:
    centre: TrainingCentre = get_visible_or_404(
        TrainingCentre.objects.all(), request.user, pk=training_centre_id
    )
    return _centre_out(centre)


@router.post("/training/centres/{training_centre_id}/courses", response={201: CourseOut})
@api_access(PROGRAMME_ROLES, object_kwargs=CENTRE)
def create_course(request: StaffRequest, training_centre_id: uuid.UUID, payload: CourseIn) -> Status[Any]:
    centre: TrainingCentre = get_visible_or_404(
        TrainingCentre.objects.all(), request.user, pk=training_centre_id
    )
    return Status(201, actions.create_course(centre=centre, **payload.dict(), **_now(request)))


@router.post("/training/courses/{training_course_id}/batches", response={201: TrainingBatchOut})
@api_access(PROGRAMME_ROLES, object_kwargs=COURSE)
def plan_batch(
    request: StaffRequest, training_course_id: uuid.UUID, payload: TrainingBatchIn
) -> Status[TrainingBatchOut]:
    course: Course = get_visible_or_404(Course.objects.all(), request.user, pk=training_course_id)
    batch = actions.plan_batch(course=course, **payload.dict(), **_now(request))
    return Status(201, _batch_out(batch, with_roll=False))


def _batch(request: StaffRequest, training_batch_id: uuid.UUID) -> Batch:
    batch: Batch = get_visible_or_404(Batch.objects.all(), request.user, pk=training_batch_id)
    return batch


@router.get("/training/batches/{training_batch_id}", response=TrainingBatchOut)
@api_access(PROGRAMME_ROLES, object_kwargs=BATCH)
def read_batch(request: StaffRequest, training_batch_id: uuid.UUID) -> TrainingBatchOut:
    batch = _batch(request, training_batch_id)
    actions.record_roll_view(batch=batch, acting_user=request.user, at=timezone.now())
    return _batch_out(batch, with_roll=True)


@router.post("/training/batches/{training_batch_id}/status", response=TrainingBatchOut)
@api_access(PROGRAMME_ROLES, object_kwargs=BATCH)
def move_batch(request: StaffRequest, training_batch_id: uuid.UUID, payload: MoveIn) -> TrainingBatchOut:
    batch = actions.move_batch(batch=_batch(request, training_batch_id), verb=payload.verb, **_now(request))
    return _batch_out(batch, with_roll=False)


@router.post("/training/batches/{training_batch_id}/trainees", response={201: TraineeOut})
@api_access(PROGRAMME_ROLES, object_kwargs=BATCH)
def enrol(
    request: StaffRequest, training_batch_id: uuid.UUID, payload: TrainingEnrolIn
) -> Status[TraineeOut]:
    batch = _batch(request, training_batch_id)
    beneficiary: Beneficiary = get_visible_or_404(
        Beneficiary.objects.select_related("person"), request.user, pk=payload.beneficiary_id
    )
    trainee = actions.enrol_trainee(batch=batch, beneficiary=beneficiary, **_now(request))
    return Status(201, _read_trainee(request, trainee))


@router.post("/training/batches/{training_batch_id}/register", response=RegisterOut)
@api_access(PROGRAMME_ROLES, object_kwargs=BATCH)
def keep_register(request: StaffRequest, training_batch_id: uuid.UUID, payload: RegisterIn) -> RegisterOut:
    batch = _batch(request, training_batch_id)
    marked = actions.record_register(batch=batch, on=payload.on, present=payload.present, **_now(request))
    return RegisterOut(marked=marked)


def _trainee(request: StaffRequest, trainee_id: uuid.UUID) -> Trainee:
    trainee: Trainee = get_visible_or_404(
        Trainee.objects.select_related("beneficiary__person"), request.user, pk=trainee_id
    )
    return trainee


@router.post("/training/trainees/{trainee_id}/exam", response=TraineeOut)
@api_access(PROGRAMME_ROLES, object_kwargs=TRAINEE)
def record_exam(request: StaffRequest, trainee_id: uuid.UUID, payload: TrainingExamIn) -> TraineeOut:
    trainee = actions.record_exam(trainee=_trainee(request, trainee_id), score=payload.score, **_now(request))
    return _read_trainee(request, trainee)


@router.post("/training/trainees/{trainee_id}/certificate", response={201: TrainingCertificateOut})
@api_access(PROGRAMME_ROLES, object_kwargs=TRAINEE)
def issue_certificate(
    request: StaffRequest, trainee_id: uuid.UUID, payload: TrainingCertificateIn
) -> Status[Any]:
    trainee = _trainee(request, trainee_id)
    return Status(201, actions.issue_certificate(trainee=trainee, language=payload.language, **_now(request)))


@router.get("/training/figures", response=list[TrainingFigureOut])
@api_access(PROGRAMME_ROLES)
def figures(request: StaffRequest) -> list[TrainingFigureOut]:
    return [
        TrainingFigureOut(
            course_id=row.course.pk,
            title=row.course.title,
            batches=row.batches,
            enrolled=row.enrolled,
            dropped=row.dropped,
            examined=row.examined,
            passed=row.passed,
            certified=row.certified,
        )
        for row in queries.course_figures(request.org.pk)
    ]
