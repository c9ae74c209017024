"""A batch from planning to certificates: enrolment within places, the daily register, exam marks, the
attendance a certificate needs, numbering, and every refusal leaving nothing behind."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.training import actions, queries
from haven.training.models import AttendanceDay, Batch, Trainee, TrainingCertificate
from haven.training.tests import helpers

pytestmark = pytest.mark.django_db


def _now() -> dict[str, Any]:
    return {"acting_user": None, "at": timezone.now()}


def test_a_batch_lasts_the_course_length_and_moves_only_forward(world: World) -> None:
    course = helpers.tailoring(world.org)
    start = timezone.localdate()
    batch = actions.plan_batch(course=course, code="2026-1", starts_on=start, places=None, **_now())
    assert batch.ends_on == start + timedelta(weeks=12) - timedelta(days=1)
    assert batch.places == course.places
    with pytest.raises(ValidationError, match="cannot do that"):
        actions.move_batch(batch=batch, verb="complete", **_now())
    assert actions.move_batch(batch=batch, verb="start", **_now()).status == Batch.Status.RUNNING
    with pytest.raises(ValidationError, match="already has a batch"):
        actions.plan_batch(course=course, code="2026-1", starts_on=start, places=None, **_now())


def test_enrolment_keeps_to_the_places_and_links_her_benefit(world: World) -> None:
    batch = helpers.running_batch(world.org, places=2)
    vwb = factories.vwb(world.org)
    enrolled = factories.enrolment(vwb)
    first = helpers.trainee(batch, enrolled.beneficiary)
    assert first.benefit_enrolment == enrolled
    helpers.trainee(batch)
    with pytest.raises(ValidationError, match="full"):
        helpers.trainee(batch)
    with pytest.raises(ValidationError, match="already in this batch"):
        helpers.trainee(batch, enrolled.beneficiary)
    assert Trainee.objects.filter(batch=batch).count() == 2


def test_a_woman_of_another_organisation_cannot_be_enrolled(world: World) -> None:
    batch = helpers.running_batch(world.org)
    stranger = factories.beneficiary(world.other_org)
    with pytest.raises(ValidationError, match="your organisation"):
        helpers.trainee(batch, stranger)
    assert not Trainee.objects.exists()


def test_the_register_marks_the_absent_and_can_be_kept_again(world: World) -> None:
    batch = helpers.running_batch(world.org)
    amina, bina = helpers.trainee(batch), helpers.trainee(batch)
    day = batch.starts_on
    assert actions.record_register(batch=batch, on=day, present=[amina.pk], **_now()) == 2
    assert set(AttendanceDay.objects.filter(on=day).values_list("trainee_id", "present")) == {
        (amina.pk, True),
        (bina.pk, False),
    }
    actions.record_register(batch=batch, on=day, present=[amina.pk, bina.pk], **_now())
    assert AttendanceDay.objects.filter(on=day, present=True).count() == 2


@pytest.mark.parametrize(
    ("offset", "message"),
    [(-1, "outside the batch"), (1, "still to come")],
)
def test_the_register_refuses_days_outside_the_batch_or_to_come(
    world: World, offset: int, message: str
) -> None:
    batch = helpers.running_batch(world.org, started_days_ago=0)
    helpers.trainee(batch)
    day = batch.starts_on + timedelta(days=offset)
    with pytest.raises(ValidationError, match=message):
        actions.record_register(batch=batch, on=day, present=[], **_now())
    assert not AttendanceDay.objects.exists()


def test_the_register_refuses_someone_not_in_the_batch(world: World) -> None:
    batch, other = helpers.running_batch(world.org), helpers.running_batch(world.org)
    helpers.trainee(batch)
    outsider = helpers.trainee(other)
    with pytest.raises(ValidationError, match="enrolled in this batch"):
        actions.record_register(batch=batch, on=batch.starts_on, present=[outsider.pk], **_now())
    assert not AttendanceDay.objects.exists()


def test_a_certificate_needs_a_pass_and_enough_attendance(world: World) -> None:
    batch = helpers.running_batch(world.org)
    trainee = helpers.trainee(batch)
    with pytest.raises(ValidationError, match="not sat the exam"):
        actions.issue_certificate(trainee=trainee, language="bn", **_now())
    actions.record_exam(trainee=trainee, score=49, **_now())
    with pytest.raises(ValidationError, match="did not pass"):
        actions.issue_certificate(trainee=trainee, language="bn", **_now())
    actions.record_exam(trainee=trainee, score=72, **_now())
    for n, day in enumerate(helpers.days_of(batch, 4)):
        actions.record_register(batch=batch, on=day, present=[trainee.pk] if n < 2 else [], **_now())
    with pytest.raises(ValidationError, match="50% of the days; the course asks for 75%"):
        actions.issue_certificate(trainee=trainee, language="bn", **_now())
    for day in helpers.days_of(batch, 4):
        actions.record_register(batch=batch, on=day, present=[trainee.pk], **_now())
    certificate = actions.issue_certificate(trainee=trainee, language="bn", **_now())
    assert certificate.number == f"TC-{timezone.localdate().year}-00001"
    with pytest.raises(ValidationError, match="already has a certificate"):
        actions.issue_certificate(trainee=trainee, language="bn", **_now())
    with pytest.raises(ValidationError, match="cannot change"):
        actions.record_exam(trainee=trainee, score=90, **_now())
    assert TrainingCertificate.objects.count() == 1


def test_a_dropped_trainee_frees_her_place_and_gets_no_mark(world: World) -> None:
    batch = helpers.running_batch(world.org, places=1)
    trainee = helpers.trainee(batch)
    actions.drop_trainee(trainee=trainee, **_now())
    with pytest.raises(ValidationError, match="dropped out"):
        actions.record_exam(trainee=trainee, score=60, **_now())
    helpers.trainee(batch)  # her place is free again


def test_figures_count_each_stage(world: World) -> None:
    batch = helpers.running_batch(world.org)
    passed, failed, dropped = helpers.trainee(batch), helpers.trainee(batch), helpers.trainee(batch)
    actions.record_register(batch=batch, on=batch.starts_on, present=[passed.pk], **_now())
    actions.record_exam(trainee=passed, score=80, **_now())
    actions.record_exam(trainee=failed, score=20, **_now())
    actions.drop_trainee(trainee=dropped, **_now())
    actions.issue_certificate(trainee=passed, language="en", **_now())
    (row,) = queries.course_figures(world.org.pk)
    assert (row.batches, row.enrolled, row.dropped, row.examined, row.passed, row.certified) == (
        1,
        3,
        1,
        2,
        1,
        1,
    )


def test_every_write_is_audited_by_field_name(world: World) -> None:
    batch = helpers.running_batch(world.org)
    trainee = helpers.trainee(batch)
    actions.record_exam(trainee=trainee, score=66, **_now())
    entry = AuditEntry.objects.filter(action="training_exam.record").get()
    assert entry.fields == ["exam_score", "passed"]
    assert entry.object_id == str(trainee.pk)


def test_a_woman_who_dropped_out_after_passing_gets_no_certificate(world: World) -> None:
    batch = helpers.running_batch(world.org)
    trainee = helpers.trainee(batch)
    for day in helpers.days_of(batch, 3):
        actions.record_register(batch=batch, on=day, present=[trainee.pk], **_now())
    actions.record_exam(trainee=trainee, score=80, **_now())
    actions.drop_trainee(trainee=trainee, **_now())
    with pytest.raises(ValidationError, match="dropped out"):
        actions.issue_certificate(trainee=trainee, language="bn", **_now())
    assert not TrainingCertificate.objects.exists()


def test_a_batch_that_would_end_past_the_calendar_is_refused_not_a_crash(world: World) -> None:
    course = helpers.tailoring(world.org)
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    response = client.post(
        reverse("training:batch_create", args=[course.pk]), {"code": "Last", "starts_on": "9999-12-01"}
    )
    assert response.status_code == 422
    assert "outside the years" in response.content.decode()
    assert not Batch.objects.exists()


def test_dropping_her_from_a_page_opened_before_she_was_certified_is_refused(world: World) -> None:
    """Two officers on her page: one issues her certificate, the other then drops her from the page
    loaded before it. The drop reads her row as it is now, under its lock, and is refused."""
    batch = helpers.running_batch(world.org)
    trainee = helpers.trainee(batch)
    for day in helpers.days_of(batch, 3):
        actions.record_register(batch=batch, on=day, present=[trainee.pk], **_now())
    actions.record_exam(trainee=trainee, score=80, **_now())
    seen_before = Trainee.objects.get(pk=trainee.pk)
    with pytest.raises(AttributeError):  # what the other officer's page loaded: no certificate yet
        seen_before.certificate  # noqa: B018
    actions.issue_certificate(trainee=trainee, language="bn", **_now())
    with pytest.raises(ValidationError, match="She has a certificate"):
        actions.drop_trainee(trainee=seen_before, **_now())
    assert Trainee.objects.get(pk=trainee.pk).status != Trainee.Status.DROPPED


def test_a_woman_dropped_twice_from_two_pages_is_dropped_once(world: World) -> None:
    trainee = helpers.trainee(helpers.running_batch(world.org))
    first_page, second_page = Trainee.objects.get(pk=trainee.pk), Trainee.objects.get(pk=trainee.pk)
    actions.drop_trainee(trainee=first_page, **_now())
    with pytest.raises(ValidationError, match="already dropped out"):
        actions.drop_trainee(trainee=second_page, **_now())
    assert AuditEntry.objects.filter(action="training_trainee.drop").count() == 1
