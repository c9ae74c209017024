"""Demo training centre for the Bangladesh organisation: a women's training centre with a tailoring
course and a block-batik course, a batch that finished (marks and certificates) and one running.

Trainees are women of the demo registry (`demo_benefits`); without them the centre has courses only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from haven.benefits.models import Beneficiary
from haven.orgs.models import Organisation, Site
from haven.training import actions
from haven.training.models import Batch, Course


def load_demo_training(org: Organisation, at: datetime) -> None:
    if org.country != "BD":
        return
    site = Site.objects.filter(org=org, kind=Site.Kind.TRAINING_CENTRE).first()
    centre = actions.create_centre(
        org=org, name="মহিলা প্রশিক্ষণ কেন্দ্র, সাভার", site=site, area=None, acting_user=None, at=at
    )
    tailoring = actions.create_course(
        centre=centre,
        kind=Course.Kind.TRADE,
        title="দর্জি বিজ্ঞান ও পোশাক তৈরি",
        weeks=12,
        pass_mark=50,
        min_attendance=75,
        places=25,
        acting_user=None,
        at=at,
    )
    actions.create_course(
        centre=centre,
        kind=Course.Kind.INCOME_GENERATING,
        title="ব্লক-বাটিক ও হস্তশিল্প",
        weeks=4,
        pass_mark=50,
        min_attendance=75,
        places=20,
        acting_user=None,
        at=at,
    )
    women = list(Beneficiary.objects.filter(org=org).order_by("registry_number")[:10])
    _finished_batch(tailoring, women[:5], at)
    _running_batch(tailoring, women[5:], at)


def _started(course: Course, code: str, days_ago: int, at: datetime) -> Batch:
    starts = at.date() - timedelta(days=days_ago)
    batch = actions.plan_batch(
        course=course, code=code, starts_on=starts, places=None, acting_user=None, at=at
    )
    return actions.move_batch(batch=batch, verb="start", acting_user=None, at=at)


def _finished_batch(course: Course, women: list[Beneficiary], at: datetime) -> None:
    batch = _started(course, "২০২৬-১", 100, at)
    trainees = [actions.enrol_trainee(batch=batch, beneficiary=w, acting_user=None, at=at) for w in women]
    for day in range(10):
        present = [t.pk for n, t in enumerate(trainees) if (n + day) % 7]
        on = batch.starts_on + timedelta(days=day)
        actions.record_register(batch=batch, on=on, present=present, acting_user=None, at=at)
    for mark, trainee in zip((82, 67, 45, 74, 91), trainees, strict=False):
        passed = actions.record_exam(trainee=trainee, score=mark, acting_user=None, at=at)
        if passed.passed:
            actions.issue_certificate(trainee=passed, language="bn", acting_user=None, at=at)
    actions.move_batch(batch=batch, verb="complete", acting_user=None, at=at)


def _running_batch(course: Course, women: list[Beneficiary], at: datetime) -> None:
    batch = _started(course, "২০২৬-২", 6, at)
    trainees = [actions.enrol_trainee(batch=batch, beneficiary=w, acting_user=None, at=at) for w in women]
    for day in range(3):
        on = batch.starts_on + timedelta(days=day)
        actions.record_register(batch=batch, on=on, present=[t.pk for t in trainees], acting_user=None, at=at)
