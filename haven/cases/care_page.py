"""The care records on the case page: panels for the plan and needs, services, appointments and notes,
and their events on the timeline. Registered from `CasesConfig.ready()` (see sections.py).

Each source and panel is a fixed number of queries, whatever the number of records (no N+1).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from haven.cases.actions import decides_for
from haven.cases.care_forms import NoteForm
from haven.cases.care_queries import unmet_needs
from haven.cases.models import (
    Appointment,
    Case,
    CaseNote,
    CasePlan,
    CasePlanTransition,
    CaseService,
    CaseServiceChange,
    Goal,
    GoalProgress,
    NeedLevel,
    NeedsAssessment,
)
from haven.cases.sections import CasePanel, TimelineItem, register_panel, register_timeline_source
from haven.orgs.access import StaffRequest

ITEM = "cases/care/_timeline_item.html"


def _name(user: Any) -> str:
    return str(user.username) if user is not None else ""


# --- Timeline ------------------------------------------------------------------------------------------


def service_items(case: Case) -> Iterator[TimelineItem]:
    changes = CaseServiceChange.objects.filter(service__case=case).select_related("service", "actor")
    for change in changes:
        labels = {"service": change.service.get_kind_display(), "to": change.get_to_status_display()}
        if change.from_status:
            labels["from"] = change.get_from_status_display()
            summary = _("Service “%(service)s”: from “%(from)s” to “%(to)s”") % labels
        else:
            summary = _("Service recorded: %(service)s (%(to)s)") % labels
        yield TimelineItem("service", change.at, summary, ITEM, change, {"by": _name(change.actor)})


def needs_items(case: Case) -> Iterator[TimelineItem]:
    for assessment in NeedsAssessment.objects.filter(case=case).select_related("assessed_by"):
        levels = list(assessment.needs().values())
        summary = _("Needs assessed (%(occasion)s): %(urgent)d urgent, %(some)d some") % {
            "occasion": assessment.get_occasion_display(),
            "urgent": levels.count(NeedLevel.URGENT),
            "some": levels.count(NeedLevel.SOME),
        }
        extra = {"by": _name(assessment.assessed_by), "text": assessment.notes}
        yield TimelineItem("needs", assessment.recorded_at, summary, ITEM, assessment, extra)


def plan_items(case: Case) -> Iterator[TimelineItem]:
    for move in CasePlanTransition.objects.filter(plan__case=case).select_related("actor"):
        labels = {"to": move.get_to_status_display(), "from": move.get_from_status_display()}
        if move.from_status:
            summary = _("Case plan: from “%(from)s” to “%(to)s”") % labels
        else:
            summary = _("Case plan started (%(to)s)") % labels
        yield TimelineItem(
            "plan", move.at, summary, ITEM, move, {"by": _name(move.actor), "text": move.comment}
        )


def goal_items(case: Case) -> Iterator[TimelineItem]:
    for goal in Goal.objects.filter(case=case).select_related("created_by"):
        summary = _("Goal added: %(domain)s") % {"domain": goal.get_domain_display()}
        extra = {"by": _name(goal.created_by), "text": goal.description}
        yield TimelineItem("goal", goal.created_at, summary, ITEM, goal, extra)
    progress = GoalProgress.objects.filter(goal__case=case).select_related("goal", "by")
    for entry in progress:
        summary = _("Progress on the “%(domain)s” goal: %(status)s") % {
            "domain": entry.goal.get_domain_display(),
            "status": entry.get_to_status_display(),
        }
        yield TimelineItem(
            "progress", entry.at, summary, ITEM, entry, {"by": _name(entry.by), "text": entry.note}
        )


def appointment_items(case: Case) -> Iterator[TimelineItem]:
    for appointment in Appointment.objects.filter(case=case).select_related("worker__user", "recorded_by"):
        labels = {"mode": appointment.get_mode_display(), "worker": _name(appointment.worker.user)}
        by = {"by": _name(appointment.recorded_by)}
        if (
            appointment.status == Appointment.Status.HELD
            and appointment.concluded_at == appointment.recorded_at
        ):
            summary = _("Meeting held (%(mode)s) with %(worker)s") % labels
            yield TimelineItem(
                "appointment",
                appointment.recorded_at,
                summary,
                ITEM,
                appointment,
                {**by, "text": appointment.outcome},
            )
            continue
        summary = _("Appointment scheduled (%(mode)s) with %(worker)s") % labels
        yield TimelineItem(
            "appointment",
            appointment.recorded_at,
            summary,
            ITEM,
            appointment,
            {**by, "when": appointment.starts_at},
        )
        if appointment.concluded_at is not None:
            summary = _("Appointment %(status)s") % {"status": appointment.get_status_display().lower()}
            extra = {"text": appointment.outcome, "when": appointment.starts_at}
            yield TimelineItem("appointment", appointment.concluded_at, summary, ITEM, appointment, extra)


def note_items(case: Case) -> Iterator[TimelineItem]:
    for note in CaseNote.objects.filter(case=case).select_related("author"):
        yield TimelineItem(
            "note", note.written_at, _("Note"), ITEM, note, {"by": _name(note.author), "text": note.text}
        )


# --- Panels --------------------------------------------------------------------------------------------


def _may_decide(plan: CasePlan | None, request: StaffRequest) -> bool:
    if plan is None or plan.status != CasePlan.Status.SUBMITTED:
        return False
    return decides_for(plan.case, request.user) and plan.submitted_by_id != request.user.pk


def _may_submit(case: Case, plan: CasePlan | None) -> bool:
    """A draft or a plan sent back is submitted; one in effect too once the organisation asks for approval."""
    if plan is None:
        return False
    Status = CasePlan.Status
    return plan.status in {Status.DRAFT, Status.REJECTED} or (
        plan.status == Status.IN_EFFECT and case.org.case_plans_need_approval
    )


def _latest(progress: Any) -> GoalProgress | None:
    entries = list(progress)  # prefetched: no query
    return entries[-1] if entries else None


def plan_panel(case: Case, request: StaffRequest) -> Mapping[str, Any]:
    assessment = NeedsAssessment.objects.filter(case=case).order_by("-assessed_on", "-recorded_at").first()
    plan = CasePlan.objects.filter(case=case).first()
    goals = list(Goal.objects.filter(case=case).prefetch_related("progress"))
    last_move = plan.transitions.order_by("-at").first() if plan is not None else None
    return {
        "assessment": assessment,
        "needs": [level for level in assessment.levels() if level[2] != NeedLevel.NONE] if assessment else [],
        "unmet": unmet_needs(assessment, goals),
        "plan": plan,
        "goals": [(goal, _latest(goal.progress.all())) for goal in goals],
        "sent_back": last_move if plan is not None and plan.status == CasePlan.Status.REJECTED else None,
        "may_submit": _may_submit(case, plan),
        "may_decide": _may_decide(plan, request),
    }


def services_panel(case: Case, request: StaffRequest) -> Mapping[str, Any]:
    return {"services": list(CaseService.objects.filter(case=case).select_related("provided_by__user"))}


def appointments_panel(case: Case, request: StaffRequest) -> Mapping[str, Any]:
    appointments = list(Appointment.objects.filter(case=case).select_related("worker__user", "site"))
    return {
        "upcoming": [a for a in appointments if a.status == Appointment.Status.SCHEDULED],
        "past": [a for a in reversed(appointments) if a.status != Appointment.Status.SCHEDULED],
        "now": timezone.now(),
    }


def notes_panel(case: Case, request: StaffRequest) -> Mapping[str, Any]:
    notes = list(CaseNote.objects.filter(case=case).select_related("author", "appointment"))
    return {"notes": notes, "note_form": NoteForm(case=case)}


def register() -> None:
    register_timeline_source("cases.services", service_items)
    register_timeline_source("cases.needs", needs_items)
    register_timeline_source("cases.plan", plan_items)
    register_timeline_source("cases.goals", goal_items)
    register_timeline_source("cases.appointments", appointment_items)
    register_timeline_source("cases.notes", note_items)
    register_panel(CasePanel("cases.plan", 20, "cases/care/_panel_plan.html", plan_panel))
    register_panel(CasePanel("cases.services", 30, "cases/care/_panel_services.html", services_panel))
    register_panel(
        CasePanel("cases.appointments", 40, "cases/care/_panel_appointments.html", appointments_panel)
    )
    register_panel(CasePanel("cases.notes", 50, "cases/care/_panel_notes.html", notes_panel))
