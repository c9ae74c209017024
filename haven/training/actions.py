"""Verbs of the training centres: centres, courses, batches, enrolment, the daily register, exams and
certificates.

Each verb checks its input, then in one transaction locks what a concurrent writer could change, checks
again, saves and writes its audit entry (field names only). A refusal is a `ValidationError` keyed by the
field at fault with a sentence saying what to do instead; nothing is written when one is raised.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.benefits.models import Beneficiary, Enrolment
from haven.orgs.models import Area, Organisation, Site
from haven.orgs.validation import refused_if_taken, required_text
from haven.privacy import audit
from haven.training.models import AttendanceDay, Batch, Course, Trainee, TrainingCentre, TrainingCertificate
from haven.training.queries import attendance_rate

if TYPE_CHECKING:
    from haven.accounts.models import User

CENTRE_CREATE = audit.register_action("training_centre.create", "A training centre was added")
COURSE_CREATE = audit.register_action("training_course.create", "A course was added to a training centre")
BATCH_CREATE = audit.register_action("training_batch.create", "A batch of a course was planned")
BATCH_STATUS = audit.register_action("training_batch.status", "A batch started, ended or was cancelled")
TRAINEE_ENROL = audit.register_action("training_trainee.enrol", "A woman was enrolled in a batch")
TRAINEE_DROP = audit.register_action("training_trainee.drop", "A trainee dropped out of a batch")
ATTENDANCE_RECORD = audit.register_action("training_attendance.record", "A day's register was recorded")
EXAM_RECORD = audit.register_action("training_exam.record", "A trainee's exam mark was recorded")
CERTIFICATE_ISSUE = audit.register_action("training_certificate.issue", "A training certificate was issued")
CERTIFICATE_PRINT = audit.register_action(
    "training_certificate.print", "A training certificate was printed", read=True
)
ROLL_VIEW = audit.register_action(
    "training_roll.view", "The names of a batch's trainees were shown", read=True
)

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)
# Moves a batch may make, by verb: from which statuses, to which.
_BATCH_MOVES: dict[str, tuple[frozenset[str], str]] = {
    "start": (frozenset({Batch.Status.PLANNED}), Batch.Status.RUNNING),
    "complete": (frozenset({Batch.Status.RUNNING}), Batch.Status.COMPLETED),
    "cancel": (frozenset({Batch.Status.PLANNED, Batch.Status.RUNNING}), Batch.Status.CANCELLED),
}


def _audit(action: str, obj: Any, org_id: Any, actor: User | None, at: datetime, fields: list[str]) -> None:
    audit.record(action=action, actor=actor, org=Organisation(pk=org_id), obj=obj, at=at, fields=fields)


def _same_org(field: str, obj: Any, org_id: Any) -> None:
    if obj is not None and obj.org_id != org_id:
        raise ValidationError({field: _("Choose one of your organisation's own.")})


def create_centre(
    *,
    org: Organisation,
    name: str,
    site: Site | None,
    area: Area | None,
    acting_user: User | None,
    at: datetime,
) -> TrainingCentre:
    name = required_text("name", name, 200)
    _same_org("site", site, org.pk)
    _same_org("area", area, org.pk)
    taken = _("A training centre already has this name.")
    if TrainingCentre.objects.filter(org=org, name=name).exists():
        raise ValidationError({"name": taken})
    with transaction.atomic():
        with refused_if_taken("name", taken):
            centre = TrainingCentre.objects.create(org=org, name=name, site=site, area=area, created_at=at)
        _audit(CENTRE_CREATE, centre, org.pk, acting_user, at, ["name", "site", "area"])
    return centre


def create_course(
    *,
    centre: TrainingCentre,
    kind: str,
    title: str,
    weeks: int,
    pass_mark: int,
    min_attendance: int,
    places: int,
    acting_user: User | None,
    at: datetime,
) -> Course:
    if kind not in Course.Kind.values:
        raise ValidationError({"kind": _("Choose a trade course or an income-generating training.")})
    if not 1 <= weeks <= 104:
        raise ValidationError({"weeks": _("A course lasts from 1 to 104 weeks.")})
    for field, value in (("pass_mark", pass_mark), ("min_attendance", min_attendance)):
        if not 0 <= value <= 100:
            raise ValidationError({field: _("Give a whole number from 0 to 100.")})
    if not 1 <= places <= 500:
        raise ValidationError({"places": _("A batch has from 1 to 500 places.")})
    course = Course(
        org_id=centre.org_id,
        centre=centre,
        kind=kind,
        title=required_text("title", title, 200),
        weeks=weeks,
        pass_mark=pass_mark,
        min_attendance=min_attendance,
        places=places,
        created_at=at,
    )
    with transaction.atomic():
        course.save()
        _audit(COURSE_CREATE, course, centre.org_id, acting_user, at, ["kind", "title", "weeks", "places"])
    return course


def plan_batch(
    *, course: Course, code: str, starts_on: date, places: int | None, acting_user: User | None, at: datetime
) -> Batch:
    """A batch of the course from `starts_on`, for the course's length; places default to the course's."""
    code = required_text("code", code, 30)
    places = course.places if places is None else places
    if not 1 <= places <= 500:
        raise ValidationError({"places": _("A batch has from 1 to 500 places.")})
    try:
        ends_on = starts_on + timedelta(weeks=course.weeks) - timedelta(days=1)
    except OverflowError:  # a batch starting in the calendar's last weeks would end after 9999
        raise ValidationError(
            {"starts_on": _("This period is outside the years the calendar can show.")}
        ) from None
    batch = Batch(
        org_id=course.org_id,
        course=course,
        code=code,
        starts_on=starts_on,
        ends_on=ends_on,
        places=places,
        created_at=at,
    )
    with refused_if_taken("code", _("This course already has a batch with this name.")):
        batch.save()
        _audit(BATCH_CREATE, batch, course.org_id, acting_user, at, ["code", "starts_on", "places"])
    return batch


def move_batch(*, batch: Batch, verb: str, acting_user: User | None, at: datetime) -> Batch:
    """Start, complete or cancel a batch; anything else is refused with where the batch stands."""
    if verb not in _BATCH_MOVES:
        raise ValidationError({"verb": _("Choose start, complete or cancel.")})
    allowed_from, to = _BATCH_MOVES[verb]
    with transaction.atomic():
        locked: Batch = Batch.objects.select_for_update().get(pk=batch.pk)
        if locked.status not in allowed_from:
            raise ValidationError(
                {
                    "verb": _("The batch is %(status)s: it cannot do that.")
                    % {"status": locked.get_status_display()}
                }
            )
        locked.status = to
        locked.save(update_fields=["status"])
        _audit(BATCH_STATUS, locked, locked.org_id, acting_user, at, ["status"])
    return locked


def _active_benefit_enrolment(beneficiary: Beneficiary) -> Enrolment | None:
    """Her active in-kind or cash enrolment (VWB), to which the training belongs; None if she has none."""
    found: Enrolment | None = (
        Enrolment.objects.filter(beneficiary=beneficiary, status=Enrolment.Status.ACTIVE)
        .order_by("starts_on")
        .first()
    )
    return found


def enrol_trainee(
    *, batch: Batch, beneficiary: Beneficiary, acting_user: User | None, at: datetime
) -> Trainee:
    """Enrol a woman from the registry in a planned or running batch, within its places, once."""
    _same_org("beneficiary", beneficiary, batch.org_id)
    with transaction.atomic():
        locked: Batch = Batch.objects.select_for_update().get(pk=batch.pk)
        if locked.status not in {Batch.Status.PLANNED, Batch.Status.RUNNING}:
            raise ValidationError(
                {"beneficiary": _("This batch has ended or was cancelled: choose another.")}
            )
        if Trainee.objects.filter(batch=locked, beneficiary=beneficiary).exists():
            raise ValidationError({"beneficiary": _("She is already in this batch.")})
        taken = Trainee.objects.filter(batch=locked, status=Trainee.Status.ENROLLED).count()
        if taken >= locked.places:
            raise ValidationError(
                {"beneficiary": _("The batch is full (%(places)s places).") % {"places": locked.places}}
            )
        trainee = Trainee.objects.create(
            org_id=locked.org_id,
            batch=locked,
            beneficiary=beneficiary,
            benefit_enrolment=_active_benefit_enrolment(beneficiary),
            enrolled_at=at,
        )
        _audit(TRAINEE_ENROL, trainee, locked.org_id, acting_user, at, ["beneficiary", "benefit_enrolment"])
    return trainee


def drop_trainee(*, trainee: Trainee, acting_user: User | None, at: datetime) -> Trainee:
    """Record that she left the batch. Under her row's lock, as `issue_certificate` reads it: a
    certificate issued at the same moment is either seen here, or sees her dropped."""
    with transaction.atomic():
        locked = Trainee.objects.select_for_update().get(pk=trainee.pk)
        if locked.status == Trainee.Status.DROPPED:
            raise ValidationError({"trainee": _("She has already dropped out.")})
        if TrainingCertificate.objects.filter(trainee=locked).exists():
            raise ValidationError({"trainee": _("She has a certificate: she completed the batch.")})
        locked.status = Trainee.Status.DROPPED
        locked.save(update_fields=["status"])
        _audit(TRAINEE_DROP, locked, locked.org_id, acting_user, at, ["status"])
    trainee.status = locked.status
    return trainee


def record_register(
    *, batch: Batch, on: date, present: Collection[Any], acting_user: User | None, at: datetime
) -> int:
    """The day's register: every enrolled trainee is marked present (if her id is in `present`) or absent.

    Recording the same day again replaces that day's marks. Returns how many trainees were marked.
    """
    if batch.status != Batch.Status.RUNNING:
        raise ValidationError({"on": _("Keep the register while the batch is running: start it first.")})
    if not batch.starts_on <= on <= batch.ends_on:
        raise ValidationError({"on": _("This day is outside the batch's dates.")})
    if on > timezone.localdate(at):
        raise ValidationError({"on": _("The register cannot be kept for a day still to come.")})
    trainees = list(
        Trainee.objects.filter(batch=batch, status=Trainee.Status.ENROLLED).values_list("pk", flat=True)
    )
    present_ids = {str(pk) for pk in present}
    unknown = present_ids - {str(pk) for pk in trainees}
    if unknown:
        raise ValidationError({"present": _("Mark only trainees enrolled in this batch.")})
    rows = [
        AttendanceDay(org_id=batch.org_id, trainee_id=pk, on=on, present=str(pk) in present_ids)
        for pk in trainees
    ]
    with transaction.atomic():
        AttendanceDay.objects.filter(trainee__batch=batch, on=on).delete()
        AttendanceDay.objects.bulk_create(rows)
        _audit(ATTENDANCE_RECORD, batch, batch.org_id, acting_user, at, ["on", "present"])
    return len(rows)


def record_exam(*, trainee: Trainee, score: int, acting_user: User | None, at: datetime) -> Trainee:
    """Her exam mark out of 100; she passes at the course's pass mark. Fixed once a certificate exists."""
    if not isinstance(score, int) or not 0 <= score <= 100:
        raise ValidationError({"score": _("Give the mark as a whole number from 0 to 100.")})
    with transaction.atomic():
        locked: Trainee = (
            Trainee.objects.select_for_update().select_related("batch__course").get(pk=trainee.pk)
        )
        if locked.status == Trainee.Status.DROPPED:
            raise ValidationError({"score": _("She dropped out: no exam mark.")})
        if TrainingCertificate.objects.filter(trainee=locked).exists():
            raise ValidationError({"score": _("A certificate was issued on this mark; it cannot change.")})
        locked.exam_score = score
        locked.passed = score >= locked.batch.course.pass_mark
        locked.save(update_fields=["exam_score", "passed"])
        _audit(EXAM_RECORD, locked, locked.org_id, acting_user, at, ["exam_score", "passed"])
    return locked


def _certificate_refusal(trainee: Trainee) -> str:
    course = trainee.batch.course
    if trainee.passed is None:
        return _("She has not sat the exam yet: record her mark first.")
    if not trainee.passed:
        return _("She did not pass the exam: no certificate.")
    rate = attendance_rate(trainee)
    if rate is None or rate < course.min_attendance:
        return _("She came to %(rate)s%% of the days; the course asks for %(needed)s%%.") % {
            "rate": 0 if rate is None else rate,
            "needed": course.min_attendance,
        }
    return ""


def _next_number(org_id: Any, year: int) -> str:
    prefix = f"TC-{year}-"
    numbers = TrainingCertificate.objects.filter(org_id=org_id, number__startswith=prefix).values_list(
        "number", flat=True
    )
    highest = max(
        (int(n.removeprefix(prefix)) for n in numbers if n.removeprefix(prefix).isdigit()), default=0
    )
    return f"{prefix}{highest + 1:05d}"


def issue_certificate(
    *, trainee: Trainee, language: str, acting_user: User | None, at: datetime
) -> TrainingCertificate:
    """A numbered certificate (TC-YEAR-NNNNN) for a trainee who passed and came often enough; once."""
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose one of Haven's languages.")})
    with transaction.atomic():
        locked: Trainee = (
            Trainee.objects.select_for_update().select_related("batch__course").get(pk=trainee.pk)
        )
        if TrainingCertificate.objects.filter(trainee=locked).exists():
            raise ValidationError({"trainee": _("She already has a certificate for this batch.")})
        if locked.status == Trainee.Status.DROPPED:
            raise ValidationError({"trainee": _("She has already dropped out.")})
        refusal = _certificate_refusal(locked)
        if refusal:
            raise ValidationError({"trainee": refusal})
        # Numbers are taken under the lock of the organisation's newest certificate year: retry on a clash.
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    certificate = TrainingCertificate.objects.create(
                        org_id=locked.org_id,
                        trainee=locked,
                        number=_next_number(locked.org_id, timezone.localtime(at).year),
                        language=language,
                        issued_at=at,
                        issued_by=acting_user,
                    )
                break
            except IntegrityError:
                continue
        else:
            raise ValidationError({"trainee": _("The certificate could not be numbered; try again.")})
        _audit(CERTIFICATE_ISSUE, certificate, locked.org_id, acting_user, at, ["number"])
    return certificate


def record_certificate_print(
    *, certificate: TrainingCertificate, acting_user: User | None, at: datetime
) -> None:
    _audit(CERTIFICATE_PRINT, certificate, certificate.org_id, acting_user, at, [])


def record_roll_view(*, batch: Batch, acting_user: User | None, at: datetime) -> None:
    """The roll names the women of the batch: each showing is audited, like a file."""
    _audit(ROLL_VIEW, batch, batch.org_id, acting_user, at, ["beneficiary"])
