"""Verbs for the care of a case: services, needs assessments, the case plan and its approval, appointments
and notes.

Each verb has a `build_*` twin where it has one: it checks everything that needs no lock and returns the
unsaved record, so the form pages can validate inline (htmx) with the very rules the verb applies. The
verb then locks the case, refuses a closed one (`require_editable`), saves, and writes its audit entry
(field names only) in one transaction. Callers fetch the case through `visible_to(user, "change")` first.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.cases.actions import _state_error, require_decider, require_editable, require_on_case
from haven.cases.models import (
    NEED_DOMAINS,
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
from haven.orgs.models import Membership, Site
from haven.people.models import SafeContact
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

SERVICE_RECORD = audit.register_action("service.record", "A service was recorded on a case")
SERVICE_CHANGE = audit.register_action("service.change", "A service's status or dates changed")
NEEDS_ASSESS = audit.register_action("needs.assess", "Needs were assessed on a case")
GOAL_ADD = audit.register_action("plan.goal_add", "A goal was added to a case plan")
GOAL_PROGRESS = audit.register_action("plan.progress", "Progress on a case plan goal was recorded")
PLAN_TRANSITION = audit.register_action("plan.transition", "A case plan's approval status changed")
APPOINTMENT_RECORD = audit.register_action("appointment.record", "An appointment was scheduled or logged")
APPOINTMENT_CONCLUDE = audit.register_action(
    "appointment.conclude", "An appointment was marked held, missed or cancelled"
)
NOTE_WRITE = audit.register_action("note.write", "A note was written on a case")

ServiceStatus = CaseService.Status
PlanStatus = CasePlan.Status
# Services whose dates are facts already lived: they cannot end in the future.
_LIVED = {ServiceStatus.PROVIDED, ServiceStatus.RECEIVED_ELSEWHERE}
# Plan statuses in which goals may be changed, and those from which it may be submitted.
_PLAN_SUBMITTABLE = {PlanStatus.DRAFT, PlanStatus.REJECTED, PlanStatus.IN_EFFECT}


def refuse_closed(case: Case) -> None:
    """Early, lock-free refusal for inline validation; the verb checks again under the lock."""
    if case.is_closed:
        raise _state_error(case, "edit")


def _save_new(
    obj: models.Model, case: Case, action: str, fields: list[str], user: User | None, at: datetime
) -> None:
    with transaction.atomic():
        require_editable(case)
        obj.save()
        audit.record(action=action, actor=user, org=case.org, obj=obj, at=at, fields=fields)


def _require_member(membership: Membership | None, case: Case, field: str) -> None:
    if membership is not None:
        require_on_case(case, membership, field)


# --- Services ------------------------------------------------------------------------------------------


def _check_service_dates(status: str, started_on: date | None, ended_on: date | None, today: date) -> None:
    if started_on is not None and started_on > today:
        raise ValidationError({"started_on": _("The start date cannot be in the future.")})
    if started_on is not None and ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": _("The end date cannot be before the start date.")})
    if status in _LIVED and ended_on is not None and ended_on > today:
        raise ValidationError(
            {"ended_on": _("The end date cannot be in the future for a service she has received.")}
        )


def build_service(
    *,
    case: Case,
    kind: str,
    status: str,
    started_on: date,
    ended_on: date | None = None,
    provided_by: Membership | None = None,
    details: str = "",
    acting_user: User | None,
    at: datetime,
) -> CaseService:
    refuse_closed(case)
    if provided_by is not None and status != ServiceStatus.PROVIDED:
        raise ValidationError({"provided_by": _("Only a service we provided has a worker who provided it.")})
    _require_member(provided_by, case, "provided_by")
    _check_service_dates(status, started_on, ended_on, timezone.localdate(at))
    service = CaseService(
        org_id=case.org_id,
        case=case,
        kind=kind,
        status=status,
        started_on=started_on,
        ended_on=ended_on,
        provided_by=provided_by,
        details=(details or "").strip(),
        recorded_at=at,
        recorded_by=acting_user,
    )
    service.full_clean()
    return service


def record_service(**fields: Any) -> CaseService:
    """Record a service of the catalogue on the case: provided by us, referred, received elsewhere or
    declined, with its dates. Refused on a closed case."""
    service = build_service(**fields)
    case, at, user = fields["case"], fields["at"], fields["acting_user"]
    with transaction.atomic():
        _save_new(service, case, SERVICE_RECORD, _service_fields(service), user, at)
        CaseServiceChange.objects.create(
            org_id=case.org_id, service=service, from_status="", to_status=service.status, at=at, actor=user
        )
    return service


def _service_fields(service: CaseService) -> list[str]:
    optional = {
        "ended_on": service.ended_on,
        "provided_by": service.provided_by_id,
        "details": service.details,
    }
    return ["kind", "status", "started_on", *(name for name, value in optional.items() if value)]


def change_service(
    *,
    service: CaseService,
    status: str,
    ended_on: date | None,
    acting_user: User | None,
    at: datetime,
) -> CaseService:
    """Change a service's status (e.g. referred → received elsewhere) or its end date; a new status is a
    row on the timeline. A provider stays only while the service is one we provide."""
    if status not in ServiceStatus.values:
        raise ValidationError({"status": _("Choose one of the statuses offered.")})
    _check_service_dates(status, service.started_on, ended_on, timezone.localdate(at))
    with transaction.atomic():
        require_editable(service.case)
        locked: CaseService = CaseService.objects.select_for_update().get(pk=service.pk)
        from_status = locked.status
        changed = [
            name
            for name, value in (("status", status), ("ended_on", ended_on))
            if getattr(locked, name) != value
        ]
        if not changed:
            raise ValidationError({"status": _("Nothing changed: choose a new status or end date.")})
        locked.status, locked.ended_on = status, ended_on
        if status != ServiceStatus.PROVIDED and locked.provided_by_id is not None:
            locked.provided_by = None
            changed.append("provided_by")
        locked.save(update_fields=changed)
        if from_status != status:
            CaseServiceChange.objects.create(
                org_id=locked.org_id,
                service=locked,
                from_status=from_status,
                to_status=status,
                at=at,
                actor=acting_user,
            )
        audit.record(
            action=SERVICE_CHANGE, actor=acting_user, org=service.case.org, obj=locked, at=at, fields=changed
        )
    service.status, service.ended_on, service.provided_by_id = (
        locked.status,
        locked.ended_on,
        locked.provided_by_id,
    )
    return service


# --- Needs assessment ----------------------------------------------------------------------------------


def build_needs_assessment(
    *,
    case: Case,
    occasion: str,
    assessed_on: date,
    levels: Mapping[str, str],
    other_harms: str = "",
    notes: str = "",
    acting_user: User | None,
    at: datetime,
) -> NeedsAssessment:
    refuse_closed(case)
    unknown = set(levels) - set(NEED_DOMAINS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be set here.")})
    if assessed_on is not None and assessed_on > timezone.localdate(at):
        raise ValidationError({"assessed_on": _("The assessment date cannot be in the future.")})
    if assessed_on is not None and assessed_on < timezone.localdate(case.opened_at):
        raise ValidationError({"assessed_on": _("The assessment date cannot be before the case was opened.")})
    assessment = NeedsAssessment(
        org_id=case.org_id,
        case=case,
        occasion=occasion,
        assessed_on=assessed_on,
        assessed_by=acting_user,
        other_harms=(other_harms or "").strip(),
        notes=(notes or "").strip(),
        recorded_at=at,
        **{domain: levels.get(domain) or NeedLevel.NONE for domain in NEED_DOMAINS},
    )
    assessment.full_clean()
    return assessment


def assess_needs(**fields: Any) -> NeedsAssessment:
    """Record her needs by domain, at intake or on review; the newest assessment feeds the plan."""
    assessment = build_needs_assessment(**fields)
    written = ["occasion", "assessed_on", *NEED_DOMAINS]
    written += [name for name in ("other_harms", "notes") if getattr(assessment, name)]
    _save_new(assessment, fields["case"], NEEDS_ASSESS, written, fields["acting_user"], fields["at"])
    return assessment


# --- Case plan -----------------------------------------------------------------------------------------


def _plan_transition(
    plan: CasePlan, from_status: str, to: str, user: User | None, at: datetime, comment: str = ""
) -> None:
    """Record the move and audit it; the caller has saved the plan's new status."""
    CasePlanTransition.objects.create(
        org_id=plan.org_id,
        plan=plan,
        from_status=from_status,
        to_status=to,
        at=at,
        actor=user,
        comment=comment,
    )
    audit.record(
        action=PLAN_TRANSITION,
        actor=user,
        org=plan.case.org,
        obj=plan,
        at=at,
        fields=["status"],
        reason_code=f"{from_status}>{to}",
    )


def _plan_for_change(case: Case, user: User | None, at: datetime) -> CasePlan:
    """The case's plan, locked and ready for a change to its goals (inside a transaction).

    The first goal starts the plan: a draft where plans need approval, in effect otherwise. A plan
    waiting for a decision cannot change under the manager's eyes; an approved one goes back to draft,
    because what was approved is no longer the plan.
    """
    plan: CasePlan | None = CasePlan.objects.select_for_update().filter(case=case).first()
    needs_approval = case.org.case_plans_need_approval
    if plan is None:
        status = PlanStatus.DRAFT if needs_approval else PlanStatus.IN_EFFECT
        plan = CasePlan.objects.create(org_id=case.org_id, case=case, status=status, created_at=at)
        _plan_transition(plan, "", status, user, at)
        return plan
    _check_plan_editable(plan)
    if plan.status == PlanStatus.APPROVED:
        _move_plan(plan, PlanStatus.DRAFT, user, at)
    return plan


def _check_plan_editable(plan: CasePlan) -> None:
    if plan.status == PlanStatus.SUBMITTED:
        raise ValidationError(
            _(
                "The plan is waiting for a manager's decision: "
                "it cannot change until it is approved or sent back."
            )
        )


def _move_plan(plan: CasePlan, to: str, user: User | None, at: datetime, comment: str = "") -> CasePlan:
    from_status = plan.status
    plan.status = to
    plan.submitted_by = user if to == PlanStatus.SUBMITTED else None
    plan.save(update_fields=["status", "submitted_by"])
    _plan_transition(plan, from_status, to, user, at, comment=comment)
    return plan


def build_goal(
    *,
    case: Case,
    domain: str,
    description: str,
    target_on: date | None = None,
    acting_user: User | None,
    at: datetime,
) -> Goal:
    refuse_closed(case)
    plan = CasePlan.objects.filter(case=case).first()
    if plan is not None:
        _check_plan_editable(plan)
    if target_on is not None and target_on < timezone.localdate(at):
        raise ValidationError({"target_on": _("The target date cannot be in the past.")})
    goal = Goal(
        org_id=case.org_id,
        case=case,
        domain=domain,
        description=(description or "").strip(),
        target_on=target_on,
        created_at=at,
        created_by=acting_user,
    )
    goal.full_clean(exclude=["plan"])
    return goal


def add_goal(**fields: Any) -> Goal:
    """Add a goal to the case plan (starting the plan with the first goal)."""
    goal = build_goal(**fields)
    case, user, at = fields["case"], fields["acting_user"], fields["at"]
    with transaction.atomic():
        require_editable(case)
        goal.plan = _plan_for_change(case, user, at)
        goal.save()
        written = ["domain", "description", *(["target_on"] if goal.target_on else [])]
        audit.record(action=GOAL_ADD, actor=user, org=case.org, obj=goal, at=at, fields=written)
    return goal


def record_progress(
    *, goal: Goal, status: str, note: str = "", acting_user: User | None, at: datetime
) -> GoalProgress:
    """Note progress on a goal and its status after it. Progress is work, not a change of plan: it needs
    no approval, even while the plan waits for one."""
    if status not in Goal.Status.values:
        raise ValidationError({"status": _("Choose one of the statuses offered.")})
    note = (note or "").strip()
    if not note and status == goal.status:
        raise ValidationError({"note": _("Write what happened, or choose the goal's new status.")})
    with transaction.atomic():
        require_editable(goal.case)
        locked: Goal = Goal.objects.select_for_update().get(pk=goal.pk)
        progress = GoalProgress.objects.create(
            org_id=locked.org_id,
            goal=locked,
            at=at,
            by=acting_user,
            note=note,
            from_status=locked.status,
            to_status=status,
        )
        locked.status = status
        locked.save(update_fields=["status"])
        written = ["status", *(["note"] if note else [])]
        audit.record(
            action=GOAL_PROGRESS, actor=acting_user, org=goal.case.org, obj=locked, at=at, fields=written
        )
    goal.status = status
    return progress


def _locked_plan(plan: CasePlan) -> CasePlan:
    require_editable(plan.case)
    locked: CasePlan = CasePlan.objects.select_for_update().select_related("case__org").get(pk=plan.pk)
    return locked


def submit_plan(*, plan: CasePlan, acting_user: User | None, at: datetime) -> CasePlan:
    """Ask a manager to approve the plan; it needs at least one goal that is still being worked on."""
    with transaction.atomic():
        locked = _locked_plan(plan)
        if locked.status not in _PLAN_SUBMITTABLE:
            raise ValidationError(
                _("The plan is “%(status)s”, so it cannot be submitted.")
                % {"status": locked.get_status_display()}
            )
        if not any(goal.is_active for goal in locked.goals.all()):
            raise ValidationError(
                _("Add at least one goal that is still to be reached before submitting the plan.")
            )
        _move_plan(locked, PlanStatus.SUBMITTED, acting_user, at)
    plan.status, plan.submitted_by_id = locked.status, locked.submitted_by_id
    return plan


def _decide(plan: CasePlan, to: str, acting_user: User | None, at: datetime, comment: str = "") -> CasePlan:
    with transaction.atomic():
        locked = _locked_plan(plan)
        if locked.status != PlanStatus.SUBMITTED:
            raise ValidationError(
                _("The plan is “%(status)s”: only a submitted plan can be approved or sent back.")
                % {"status": locked.get_status_display()}
            )
        require_decider(
            acting_user,
            locked.case,
            locked.submitted_by_id,
            not_manager=_(
                "Only the case's supervisor or a centre or shelter manager can approve or send back its plan."
            ),
            own_request=_("Another manager must decide: you submitted this plan yourself."),
        )
        _move_plan(locked, to, acting_user, at, comment=comment)
    plan.status, plan.submitted_by_id = locked.status, locked.submitted_by_id
    return plan


def approve_plan(*, plan: CasePlan, acting_user: User | None, at: datetime) -> CasePlan:
    return _decide(plan, PlanStatus.APPROVED, acting_user, at)


def reject_plan(*, plan: CasePlan, comment: str, acting_user: User | None, at: datetime) -> CasePlan:
    """Send the plan back; the comment (encrypted) tells the worker what to change."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what should change in the plan.")})
    return _decide(plan, PlanStatus.REJECTED, acting_user, at, comment=comment.strip())


# --- Appointments --------------------------------------------------------------------------------------

_REMOTE = {Appointment.Mode.PHONE, Appointment.Mode.ONLINE}


def _check_safe_to_contact(case: Case, mode: str, status: str) -> None:
    """A call or online meeting is planned only where her safe-contact instructions allow calling her.

    A meeting already held by phone is logged whatever they say: she may have called us.
    """
    if mode not in _REMOTE or status != Appointment.Status.SCHEDULED:
        return
    contact = SafeContact.objects.filter(person_id=case.survivor_id).first()
    if contact is None or not contact.safe_to_call:
        raise ValidationError(
            {
                "mode": _(
                    "Her safe-contact instructions do not allow calling or messaging her: meet in person, "
                    "or record instructions that allow it first."
                )
            }
        )


def _check_appointment_time(status: str, starts_at: datetime | None, at: datetime) -> None:
    if starts_at is None:
        return
    if status == Appointment.Status.SCHEDULED and starts_at < at:
        raise ValidationError({"starts_at": _("An appointment to schedule cannot be in the past.")})
    if status != Appointment.Status.SCHEDULED and starts_at > at:
        raise ValidationError({"starts_at": _("A meeting that took place cannot be in the future.")})


def build_appointment(
    *,
    case: Case,
    worker: Membership,
    starts_at: datetime,
    duration_minutes: int = 60,
    mode: str = Appointment.Mode.IN_PERSON,
    site: Site | None = None,
    language: str = "",
    interpreter_needed: bool = False,
    interpreter_language: str = "",
    status: str = Appointment.Status.SCHEDULED,
    outcome: str = "",
    acting_user: User | None,
    at: datetime,
) -> Appointment:
    refuse_closed(case)
    if status not in (Appointment.Status.SCHEDULED, Appointment.Status.HELD):
        raise ValidationError({"status": _("Schedule an appointment, or log a meeting that was held.")})
    if worker is not None:
        require_on_case(case, worker, "worker")
    if site is not None and (site.org_id != case.org_id or mode != Appointment.Mode.IN_PERSON):
        raise ValidationError({"site": _("Choose one of your sites, and only for a meeting in person.")})
    if interpreter_needed and not interpreter_language:
        raise ValidationError({"interpreter_language": _("Say which language the interpreter must speak.")})
    if outcome and status == Appointment.Status.SCHEDULED:
        raise ValidationError({"outcome": _("Write what came of it once the meeting has been held.")})
    _check_appointment_time(status, starts_at, at)
    _check_safe_to_contact(case, mode, status)
    appointment = Appointment(
        org_id=case.org_id,
        case=case,
        worker=worker,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        site=site,
        language=language,
        interpreter_needed=interpreter_needed,
        interpreter_language=interpreter_language if interpreter_needed else "",
        status=status,
        outcome=(outcome or "").strip(),
        recorded_at=at,
        recorded_by=acting_user,
        concluded_at=at if status != Appointment.Status.SCHEDULED else None,
    )
    appointment.full_clean()
    return appointment


def record_appointment(**fields: Any) -> Appointment:
    """Schedule an appointment, or log a meeting that was held (status HELD) in one step."""
    appointment = build_appointment(**fields)
    written = ["worker", "starts_at", "duration_minutes", "mode", "status"]
    optional = ("site", "language", "interpreter_needed", "interpreter_language", "outcome")
    written += [name for name in optional if getattr(appointment, name)]
    _save_new(appointment, fields["case"], APPOINTMENT_RECORD, written, fields["acting_user"], fields["at"])
    return appointment


def conclude_appointment(
    *, appointment: Appointment, status: str, outcome: str = "", acting_user: User | None, at: datetime
) -> Appointment:
    """Mark a scheduled appointment held, missed or cancelled, with what came of it (encrypted)."""
    concluding = {Appointment.Status.HELD, Appointment.Status.MISSED, Appointment.Status.CANCELLED}
    if status not in concluding:
        raise ValidationError({"status": _("Choose held, missed or cancelled.")})
    with transaction.atomic():
        require_editable(appointment.case)
        locked: Appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.status != Appointment.Status.SCHEDULED:
            raise ValidationError(
                {
                    "status": _("This appointment has already been marked “%(status)s”.")
                    % {"status": locked.get_status_display()}
                }
            )
        if status != Appointment.Status.CANCELLED and locked.starts_at > at:
            raise ValidationError(
                {"status": _("This appointment has not started yet: it can only be cancelled.")}
            )
        locked.status, locked.outcome, locked.concluded_at = status, (outcome or "").strip(), at
        locked.save(update_fields=["status", "outcome", "concluded_at"])
        written = ["status", "concluded_at", *(["outcome"] if locked.outcome else [])]
        audit.record(
            action=APPOINTMENT_CONCLUDE,
            actor=acting_user,
            org=appointment.case.org,
            obj=locked,
            at=at,
            fields=written,
        )
    appointment.status, appointment.outcome, appointment.concluded_at = locked.status, locked.outcome, at
    return appointment


# --- Notes ---------------------------------------------------------------------------------------------


def build_note(
    *, case: Case, text: str, appointment: Appointment | None = None, acting_user: User | None, at: datetime
) -> CaseNote:
    refuse_closed(case)
    if appointment is not None and appointment.case_id != case.pk:
        raise ValidationError({"appointment": _("Choose an appointment of this case.")})
    note = CaseNote(
        org_id=case.org_id,
        case=case,
        author=acting_user,
        written_at=at,
        text=(text or "").strip(),
        appointment=appointment,
    )
    note.full_clean()
    return note


def write_note(**fields: Any) -> CaseNote:
    """Write a note on the case (encrypted), optionally about one of its appointments."""
    note = build_note(**fields)
    written = ["text", *(["appointment"] if note.appointment_id else [])]
    _save_new(note, fields["case"], NOTE_WRITE, written, fields["acting_user"], fields["at"])
    return note
