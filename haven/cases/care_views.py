"""Care pages of a case: services, needs assessments, the plan and its approval, appointments and notes.

Thin: parse, call one verb from care_actions.py, render. Every form validates inline: on a change, htmx
posts the form with `_validate` and gets its fields back with the errors the verb's `build_*` twin finds,
without saving anything; without JavaScript the form simply posts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.cases import care_actions as care
from haven.cases.actions import record_case_view
from haven.cases.care_forms import (
    AppointmentForm,
    ConcludeAppointmentForm,
    GoalForm,
    NeedsAssessmentForm,
    NoteForm,
    PlanDecisionForm,
    ProgressForm,
    ServiceChangeForm,
    ServiceForm,
)
from haven.cases.care_queries import goal_form_initial, services_of
from haven.cases.catalogue import Sector
from haven.cases.models import Appointment, Case, CasePlan, CaseService, Goal, NeedsAssessment
from haven.cases.views import case_url
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, run_and_redirect
from haven.people.actions import record_person_view
from haven.people.models import SafeContact
from haven.people.views import SURVIVOR_ROLES

FORM_METHODS = ("GET", "POST")
FORM_TEMPLATE = "cases/care/form.html"


def _page(case: Case, title: str, done: str, submit: str, anchor: str, **context: Any) -> FormPage:
    return FormPage(
        FORM_TEMPLATE,
        done,
        lambda _result: case_url(case) + anchor,
        {"title": title, "case": case, "submit_label": submit, **context},
    )


def _case(request: StaffRequest, case_id: str) -> Case:
    case: Case = get_visible_or_404(
        Case.objects.select_related("survivor", "org"), request.user, "change", pk=case_id
    )
    return case


def _code(case: Case) -> dict[str, str]:
    return {"code": case.survivor.survivor_code}


def _verb_args(request: StaffRequest, **fields: Any) -> dict[str, Any]:
    return {**fields, "acting_user": request.user, "at": timezone.now()}


# --- Services ------------------------------------------------------------------------------------------


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",))
def services(request: StaffRequest, case_id: str) -> HttpResponse:
    """A case's services, filtered by status and sector."""
    case = get_visible_or_404(Case.objects.select_related("survivor"), request.user, pk=case_id)
    # The rows show each service's details in clear, part of her file: an audited read as the file is.
    record_case_view(case=case, acting_user=request.user, at=timezone.now())
    status = request.GET.get("status", "")
    sector = request.GET.get("sector", "")
    status = status if status in CaseService.Status.values else ""
    sector = sector if sector in Sector.values else ""
    context = {
        "case": case,
        "services": services_of(case, status=status, sector=sector),
        "status": status,
        "sector": sector,
        "statuses": CaseService.Status.choices,
        "sectors": Sector.choices,
        "change_form": ServiceChangeForm(),
    }
    template = "cases/care/_service_rows.html" if request.htmx else "cases/care/services.html"
    return render(request, template, context)


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def record_service(request: StaffRequest, case_id: str) -> HttpResponse:
    case = _case(request, case_id)
    initial = {"started_on": timezone.localdate(), "provided_by": request.membership}
    form = ServiceForm(request.POST or None, case=case, initial=initial)
    page = _page(
        case,
        _("New service for %(code)s") % _code(case),
        _("Service recorded."),
        _("Record the service"),
        "#services",
    )
    return handle_form(
        request,
        form,
        lambda data: care.record_service(**_verb_args(request, case=case, **data)),
        page,
        check=lambda data: care.build_service(**_verb_args(request, case=case, **data)),
    )


@staff_view(SURVIVOR_ROLES, object_kwargs=("service_id",), methods=("POST",))
@require_POST
def change_service(request: StaffRequest, service_id: str) -> HttpResponse:
    service = get_visible_or_404(
        CaseService.objects.select_related("case__org"), request.user, "change", pk=service_id
    )
    form = ServiceChangeForm(request.POST)
    from_list = request.POST.get("next") == "services"
    url = (
        reverse("cases:services", args=[service.case_id])
        if from_list
        else case_url(service.case) + "#services"
    )
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(url)

    def run() -> CaseService:
        return care.change_service(service=service, **_verb_args(request, **form.cleaned_data))

    return run_and_redirect(request, run, _("Service updated."), url)


# --- Needs and plan ------------------------------------------------------------------------------------


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def assess_needs(request: StaffRequest, case_id: str) -> HttpResponse:
    case = _case(request, case_id)
    first = not NeedsAssessment.objects.filter(case=case).exists()
    occasion = NeedsAssessment.Occasion.INTAKE if first else NeedsAssessment.Occasion.REVIEW
    form = NeedsAssessmentForm(
        request.POST or None, initial={"occasion": occasion, "assessed_on": timezone.localdate()}
    )

    def args(data: dict[str, Any]) -> dict[str, Any]:
        return _verb_args(request, case=case, **form.verb_fields())

    page = _page(
        case, _("Needs of %(code)s") % _code(case), _("Needs assessed."), _("Record the assessment"), "#plan"
    )
    return handle_form(
        request,
        form,
        lambda data: care.assess_needs(**args(data)),
        page,
        check=lambda data: care.build_needs_assessment(**args(data)),
    )


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def add_goal(request: StaffRequest, case_id: str) -> HttpResponse:
    case = _case(request, case_id)
    initial, unmet = goal_form_initial(case)
    form = GoalForm(request.POST or None, initial=initial)
    page = _page(
        case,
        _("New goal for %(code)s") % _code(case),
        _("Goal added to the plan."),
        _("Add the goal"),
        "#plan",
        unmet_needs=unmet,
    )
    return handle_form(
        request,
        form,
        lambda data: care.add_goal(**_verb_args(request, case=case, **data)),
        page,
        check=lambda data: care.build_goal(**_verb_args(request, case=case, **data)),
    )


@staff_view(SURVIVOR_ROLES, object_kwargs=("goal_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def record_progress(request: StaffRequest, goal_id: str) -> HttpResponse:
    goal = get_visible_or_404(
        Goal.objects.select_related("case__survivor", "case__org"), request.user, "change", pk=goal_id
    )
    form = ProgressForm(request.POST or None, initial={"status": goal.status})
    page = _page(
        goal.case,
        _("Progress on a goal of %(code)s") % _code(goal.case),
        _("Progress recorded."),
        _("Record the progress"),
        "#plan",
        goal=goal,
    )

    def save(data: dict[str, Any]) -> Any:
        return care.record_progress(goal=goal, **_verb_args(request, **data))

    return handle_form(request, form, save, page, check=lambda data: care.refuse_closed(goal.case))


@staff_view(SURVIVOR_ROLES, object_kwargs=("plan_id",), methods=("POST",))
@require_POST
def plan_decision(request: StaffRequest, plan_id: str) -> HttpResponse:
    """Submit the plan, or (a case manager) approve it or send it back with a comment."""
    plan = get_visible_or_404(
        CasePlan.objects.select_related("case__org"), request.user, "change", pk=plan_id
    )
    form = PlanDecisionForm(request.POST)
    url = case_url(plan.case) + "#plan"
    if not form.is_valid():
        messages.error(request, _("Choose one of the actions offered."))
        return HttpResponseRedirect(url)
    decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
    try:
        apply_plan_decision(plan, decision, comment, **_verb_args(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        label = CasePlan.Status(plan.status).label
        messages.success(request, _("The plan is now “%(status)s”.") % {"status": label})
    return HttpResponseRedirect(url)


def apply_plan_decision(plan: CasePlan, decision: str, comment: str, **args: Any) -> CasePlan:
    """One plan verb by name (shared with the API); an unknown name is refused."""
    verbs: dict[str, Callable[[], CasePlan]] = {
        "submit": lambda: care.submit_plan(plan=plan, **args),
        "approve": lambda: care.approve_plan(plan=plan, **args),
        "reject": lambda: care.reject_plan(plan=plan, comment=comment, **args),
    }
    if decision not in verbs:
        raise ValidationError({"decision": _("Choose one of the actions offered.")})
    return verbs[decision]()


# --- Appointments --------------------------------------------------------------------------------------


def _appointment(request: StaffRequest, case_id: str, *, held: bool) -> HttpResponse:
    case = _case(request, case_id)
    initial = AppointmentForm.initial_for(case, request.membership)
    form = AppointmentForm(request.POST or None, case=case, held=held, initial=initial)
    status = Appointment.Status.HELD if held else Appointment.Status.SCHEDULED
    contact = SafeContact.objects.filter(person_id=case.survivor_id).first()
    if request.method == "GET" and contact is not None:
        record_person_view(person=case.survivor, acting_user=request.user, at=timezone.now())
    if held:
        texts = (_("Log a meeting with %(code)s"), _("Meeting logged."), _("Log the meeting"))
    else:
        texts = (
            _("New appointment with %(code)s"),
            _("Appointment scheduled."),
            _("Schedule the appointment"),
        )
    page = _page(
        case,
        texts[0] % _code(case),
        texts[1],
        texts[2],
        "#appointments",
        contact=contact,
        show_safe_contact=True,
    )

    def args(data: dict[str, Any]) -> dict[str, Any]:
        return _verb_args(request, case=case, status=status, **data)

    return handle_form(
        request,
        form,
        lambda data: care.record_appointment(**args(data)),
        page,
        check=lambda data: care.build_appointment(**args(data)),
    )


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def schedule_appointment(request: StaffRequest, case_id: str) -> HttpResponse:
    return _appointment(request, case_id, held=False)


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def log_meeting(request: StaffRequest, case_id: str) -> HttpResponse:
    """Record, in one step, a meeting that has already been held."""
    return _appointment(request, case_id, held=True)


@staff_view(SURVIVOR_ROLES, object_kwargs=("appointment_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def conclude_appointment(request: StaffRequest, appointment_id: str) -> HttpResponse:
    appointment = get_visible_or_404(
        Appointment.objects.select_related("case__survivor", "case__org", "worker__user"),
        request.user,
        "change",
        pk=appointment_id,
    )
    form = ConcludeAppointmentForm(request.POST or None)
    page = _page(
        appointment.case,
        _("How did the appointment go?"),
        _("Appointment updated."),
        _("Save"),
        "#appointments",
        appointment=appointment,
    )

    def save(data: dict[str, Any]) -> Appointment:
        return care.conclude_appointment(appointment=appointment, **_verb_args(request, **data))

    return handle_form(request, form, save, page, check=lambda data: care.refuse_closed(appointment.case))


# --- Notes ---------------------------------------------------------------------------------------------


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def write_note(request: StaffRequest, case_id: str) -> HttpResponse:
    case = _case(request, case_id)
    form = NoteForm(request.POST or None, case=case, initial={"appointment": request.GET.get("appointment")})
    page = _page(
        case, _("New note for %(code)s") % _code(case), _("Note saved."), _("Save the note"), "#notes"
    )
    return handle_form(
        request,
        form,
        lambda data: care.write_note(**_verb_args(request, case=case, **data)),
        page,
        check=lambda data: care.build_note(**_verb_args(request, case=case, **data)),
    )
