"""The risk app's part of the case page: a "Risk screens" panel (her screens, and a button per instrument
to run a new one) and a timeline event per screen. Registered from `RiskConfig.ready()`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from haven.cases.models import Case
from haven.cases.sections import CasePanel, TimelineItem, register_panel, register_timeline_source
from haven.orgs.access import StaffRequest
from haven.risk.instrument import library
from haven.risk.models import Assessment, SafetyPlan


def level_text(assessment: Assessment) -> str:
    return _(assessment.instrument_used.level_label(assessment.level))


def assessment_items(case: Case) -> Iterator[TimelineItem]:
    for assessment in Assessment.objects.filter(case=case).select_related("asked_by"):
        names = {"instrument": _(assessment.instrument_used.title), "level": level_text(assessment)}
        yield TimelineItem(
            kind="risk",
            at=assessment.asked_at,
            summary=_("Risk screen (%(instrument)s): %(level)s") % names,
            template="risk/_timeline_assessment.html",
            obj=assessment,
        )


def risk_panel(case: Case, request: StaffRequest) -> Mapping[str, Any]:
    assessments = Assessment.objects.filter(case=case)
    survivor_instruments = [i for i in library().current() if i.subject == "survivor"]
    plan = SafetyPlan.objects.filter(case=case).first()
    return {
        "safety_plan": plan,
        "plan_overdue": plan is not None and plan.review_on < timezone.localdate(),
        "assessments": [(a, _(a.instrument_used.title), level_text(a)) for a in assessments],
        "instruments": [(instrument.id, _(instrument.title)) for instrument in survivor_instruments],
    }


def register() -> None:
    register_timeline_source("risk.assessments", assessment_items)
    register_panel(CasePanel("risk.assessments", 15, "risk/_panel_risk.html", risk_panel))
