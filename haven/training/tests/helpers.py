"""Building blocks for the training tests: a centre with a tailoring course, a running batch, trainees."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from haven.benefits.models import Beneficiary
from haven.benefits.tests import factories
from haven.orgs.models import Organisation
from haven.training import actions
from haven.training.models import Batch, Course, Trainee, TrainingCentre


def centre(org: Organisation, name: str = "Women's Training Centre, Savar") -> TrainingCentre:
    existing: TrainingCentre | None = TrainingCentre.objects.filter(org=org, name=name).first()
    if existing is not None:
        return existing
    return actions.create_centre(
        org=org, name=name, site=None, area=None, acting_user=None, at=timezone.now()
    )


def tailoring(org: Organisation, *, places: int = 25) -> Course:
    return actions.create_course(
        centre=centre(org),
        kind=Course.Kind.TRADE,
        title="Tailoring and dress-making",
        weeks=12,
        pass_mark=50,
        min_attendance=75,
        places=places,
        acting_user=None,
        at=timezone.now(),
    )


def running_batch(org: Organisation, *, places: int = 25, started_days_ago: int = 10) -> Batch:
    """A batch that started `started_days_ago` days ago and is running."""
    course = tailoring(org, places=places)
    starts = timezone.localdate() - timedelta(days=started_days_ago)
    batch = actions.plan_batch(
        course=course,
        code=f"B-{starts:%Y%m%d}-{Batch.objects.count() + 1}",
        starts_on=starts,
        places=None,
        acting_user=None,
        at=timezone.now(),
    )
    return actions.move_batch(batch=batch, verb="start", acting_user=None, at=timezone.now())


def trainee(batch: Batch, who: Beneficiary | None = None) -> Trainee:
    who = who or factories.beneficiary(Organisation.objects.get(pk=batch.org_id), name="Shirin Akter")
    return actions.enrol_trainee(batch=batch, beneficiary=who, acting_user=None, at=timezone.now())


def days_of(batch: Batch, count: int) -> list[date]:
    return [batch.starts_on + timedelta(days=n) for n in range(count)]
