"""Case pages: my cases, open a case, the case file with its timeline, record an incident, move its status.

Thin: parse, call a verb, render. Lists show survivor codes only; opening a case file is an audited read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.models import User
from haven.cases import actions, sections
from haven.cases.care_actions import refuse_closed
from haven.cases.forms import (
    CaseSitesForm,
    FollowUpForm,
    IncidentForm,
    LeaveTeamForm,
    PerpetratorForm,
    TeamForm,
    TransitionForm,
)
from haven.cases.models import (
    AllegedPerpetrator,
    Appointment,
    Case,
    CaseAssignment,
    FollowUp,
    FollowUpQuerySet,
    Incident,
)
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, run_and_redirect
from haven.orgs.models import Membership
from haven.people.models import Person, SafeContact
from haven.people.views import SURVIVOR_ROLES
from haven.web.paging import page_of

FORM_METHODS = ("GET", "POST")
Status = Case.Status

# Which verbs each status allows; approving or refusing a closure is for case managers only.
NEXT_VERBS: dict[str, tuple[str, ...]] = {
    Status.OPEN: ("activate",),
    Status.ACTIVE: ("request_closure",),
    Status.CLOSURE_REQUESTED: ("approve_closure", "reject_closure"),
    Status.CLOSED: ("reopen",),
    Status.REOPENED: ("activate",),
}
DECIDER_VERBS = frozenset({"approve_closure", "reject_closure"})


def case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def apply_verb(
    case: Case, verb: str, *, acting_user: User, at: datetime, reason: str = "", comment: str = ""
) -> Case:
    """Run one status verb on the case; an unknown verb or a refused move raises ValidationError."""
    verbs: dict[str, Callable[[], Case]] = {
        "activate": lambda: actions.activate_case(case=case, acting_user=acting_user, at=at),
        "request_closure": lambda: actions.request_closure(
            case=case, reason=reason, acting_user=acting_user, at=at
        ),
        "approve_closure": lambda: actions.approve_closure(case=case, acting_user=acting_user, at=at),
        "reject_closure": lambda: actions.reject_closure(
            case=case, comment=comment, acting_user=acting_user, at=at
        ),
        "reopen": lambda: actions.reopen_case(case=case, acting_user=acting_user, at=at, comment=comment),
    }
    if verb not in verbs:
        raise ValidationError({"verb": _("Choose one of the actions offered.")})
    return verbs[verb]()


def allowed_verbs(case: Case, user: Any) -> list[str]:
    decides = actions.decides_for(case, user)
    return [v for v in NEXT_VERBS.get(case.status, ()) if decides or v not in DECIDER_VERBS]


def lead_of(case: Case) -> CaseAssignment | None:
    for assignment in case.assignments.all():
        if assignment.ended_at is None and assignment.role_in_case == CaseAssignment.RoleInCase.LEAD:
            return assignment
    return None


@staff_view(SURVIVOR_ROLES)
def case_list(request: StaffRequest) -> HttpResponse:
    cases = (
        Case.objects.visible_to(request.user)
        .select_related("survivor")
        .prefetch_related("assignments__membership__user")
        .order_by("-opened_at")
    )
    status = request.GET.get("status", "")
    if status in Status.values:
        cases = cases.filter(status=status)
    else:
        status = ""
    page = page_of(request, cases)
    rows = [(case, lead_of(case)) for case in page]
    context = {"rows": rows, "page": page, "status": status, "statuses": Status.choices}
    template = "cases/_list_rows.html" if request.htmx else "cases/list.html"
    return render(request, template, context)


@staff_view(SURVIVOR_ROLES, object_kwargs=("person_id",), methods=("POST",))
@require_POST
def open_case(request: StaffRequest, person_id: str) -> HttpResponse:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    try:
        case = actions.open_case(
            survivor=person, lead=request.membership, acting_user=request.user, at=timezone.now()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
    messages.success(request, _("Case opened."))
    return HttpResponseRedirect(case_url(case))


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",))
def detail(request: StaffRequest, case_id: str) -> HttpResponse:
    case = get_visible_or_404(
        Case.objects.select_related("survivor").prefetch_related("assignments__membership__user"),
        request.user,
        pk=case_id,
    )
    actions.record_case_view(case=case, acting_user=request.user, at=timezone.now())
    context = {
        "case": case,
        "lead": lead_of(case),
        "verbs": allowed_verbs(case, request.user),
        "closure_reasons": Case.ClosureReason.choices,
        # Her safe-contact instructions come first: the case page offers to call her (appointments).
        "person": case.survivor,
        "contact": SafeContact.objects.filter(person_id=case.survivor_id).first(),
        "panels": sections.rendered_panels(case, request),
        "timeline": sections.timeline(case),
    }
    return render(request, "cases/detail.html", context)


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def record_incident(request: StaffRequest, case_id: str) -> HttpResponse:
    case = get_visible_or_404(Case.objects.select_related("survivor"), request.user, "change", pk=case_id)
    form = IncidentForm(request.POST or None, org=request.org)

    def save(_data: dict[str, Any]) -> Incident:
        return actions.record_incident(
            case=case, acting_user=request.user, at=timezone.now(), **form.incident_fields()
        )

    page = FormPage(
        "cases/incident_form.html",
        _("Incident recorded."),
        lambda _incident: case_url(case),
        {"title": _("New incident for %(code)s") % {"code": case.survivor.survivor_code}, "case": case},
    )
    return handle_form(request, form, save, page)


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=("POST",))
@require_POST
def transition(request: StaffRequest, case_id: str) -> HttpResponse:
    case = get_visible_or_404(Case.objects.all(), request.user, "change", pk=case_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the actions offered."))
        return HttpResponseRedirect(case_url(case))
    data = form.cleaned_data
    try:
        apply_verb(
            case,
            data["verb"],
            acting_user=request.user,
            at=timezone.now(),
            reason=data["reason"],
            comment=data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The case is now “%(status)s”.") % {"status": Status(case.status).label})
    return HttpResponseRedirect(case_url(case))


def my_open_follow_ups(user: Any, membership: Membership) -> FollowUpQuerySet:
    """Open follow-ups of the cases the user works on that are hers: assigned to her membership, or
    assigned to nobody on a case she leads. Closed cases have nothing left to do."""
    led = CaseAssignment.objects.filter(
        membership=membership, role_in_case=CaseAssignment.RoleInCase.LEAD, ended_at__isnull=True
    ).values("case_id")
    return (
        FollowUp.objects.visible_to(user, "change")
        .open()
        .exclude(case__status=Status.CLOSED)
        .filter(Q(assigned_to=membership) | Q(assigned_to__isnull=True, case_id__in=led))
        .select_related("case__survivor")
        .order_by("due_on", "created_at")
    )


@dataclass(frozen=True)
class TaskGroups:
    overdue: list[FollowUp]
    today: list[FollowUp]
    upcoming: list[FollowUp]


def group_tasks(follow_ups: Iterable[FollowUp], today: date) -> TaskGroups:
    groups = TaskGroups([], [], [])
    for follow_up in follow_ups:
        if follow_up.due_on < today:
            groups.overdue.append(follow_up)
        elif follow_up.due_on == today:
            groups.today.append(follow_up)
        else:
            groups.upcoming.append(follow_up)
    return groups


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def schedule_follow_up(request: StaffRequest, case_id: str) -> HttpResponse:
    case = get_visible_or_404(Case.objects.select_related("survivor"), request.user, "change", pk=case_id)
    form = FollowUpForm(request.POST or None, case=case)

    def save(data: dict[str, Any]) -> FollowUp:
        return actions.schedule_follow_up(
            case=case,
            title=data["title"],
            due_on=data["due_on"],
            is_safety_critical=data["is_safety_critical"],
            assigned_to=data["assigned_to"],
            acting_user=request.user,
            at=timezone.now(),
        )

    page = FormPage(
        "cases/follow_up_form.html",
        _("Follow-up scheduled."),
        lambda _follow_up: case_url(case) + "#follow-ups",
        {"title": _("New follow-up for %(code)s") % {"code": case.survivor.survivor_code}, "case": case},
    )
    return handle_form(request, form, save, page)


@staff_view(SURVIVOR_ROLES, object_kwargs=("follow_up_id",), methods=("POST",))
@require_POST
def complete_follow_up(request: StaffRequest, follow_up_id: str) -> HttpResponse:
    follow_up = get_visible_or_404(
        FollowUp.objects.select_related("case"), request.user, "change", pk=follow_up_id
    )
    try:
        actions.complete_follow_up(follow_up=follow_up, acting_user=request.user, at=timezone.now())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Follow-up done."))
    next_url = request.POST.get("next", "")
    if next_url == "tasks":
        return HttpResponseRedirect(reverse("cases:my_tasks"))
    return HttpResponseRedirect(case_url(follow_up.case) + "#follow-ups")


@staff_view(SURVIVOR_ROLES)
def my_tasks(request: StaffRequest) -> HttpResponse:
    today = timezone.localdate()
    groups = group_tasks(my_open_follow_ups(request.user, request.membership), today)
    sections = [
        ("overdue", _("Overdue"), groups.overdue),
        ("today", _("Due today"), groups.today),
        ("upcoming", _("Upcoming"), groups.upcoming),
    ]
    appointments = my_appointments(request.user, request.membership)
    context = {"sections": sections, "today": today, "now": timezone.now(), "appointments": appointments}
    return render(request, "cases/my_tasks.html", context)


def my_appointments(user: Any, membership: Membership) -> list[Appointment]:
    """Her scheduled appointments on open cases, soonest first; past ones still wait for their outcome."""
    return list(
        Appointment.objects.filter(
            case__in=Case.objects.visible_to(user, "change").exclude(status=Status.CLOSED),
            worker=membership,
            status=Appointment.Status.SCHEDULED,
        )
        .select_related("case__survivor", "site")
        .order_by("starts_at")
    )


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=("POST",))
@require_POST
def add_to_team(request: StaffRequest, case_id: str) -> HttpResponse:
    case = get_visible_or_404(Case.objects.all(), request.user, "change", pk=case_id)
    form = TeamForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, _("Choose a worker and her role in the case."))
        return HttpResponseRedirect(case_url(case))
    membership, role_in_case = form.cleaned_data["membership"], form.cleaned_data["role_in_case"]
    now = timezone.now()

    def run() -> CaseAssignment:
        if role_in_case == CaseAssignment.RoleInCase.LEAD:
            return actions.hand_over_lead(case=case, to=membership, acting_user=request.user, at=now)
        return actions.assign_worker(
            case=case, membership=membership, role_in_case=role_in_case, acting_user=request.user, at=now
        )

    return run_and_redirect(request, run, _("The team of the case has changed."), case_url(case))


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=("POST",))
@require_POST
def remove_from_team(request: StaffRequest, case_id: str) -> HttpResponse:
    case = get_visible_or_404(Case.objects.all(), request.user, "change", pk=case_id)
    form = LeaveTeamForm(request.POST)
    assignment = None
    if form.is_valid():
        assignment = case.assignments.filter(
            membership_id=form.cleaned_data["membership"], ended_at__isnull=True
        ).first()
    if assignment is None:
        messages.error(request, _("This worker is not on the case."))
        return HttpResponseRedirect(case_url(case))
    return run_and_redirect(
        request,
        lambda: actions.end_assignment(assignment=assignment, acting_user=request.user, at=timezone.now()),
        _("The team of the case has changed."),
        case_url(case),
    )


@staff_view(SURVIVOR_ROLES, object_kwargs=("incident_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def describe_perpetrator(request: StaffRequest, incident_id: str) -> HttpResponse:
    incident = get_visible_or_404(
        Incident.objects.select_related("case__survivor"), request.user, "change", pk=incident_id
    )
    form = PerpetratorForm(request.POST or None)

    def save(data: dict[str, Any]) -> AllegedPerpetrator:
        return actions.add_alleged_perpetrator(
            incident=incident, acting_user=request.user, at=timezone.now(), **data
        )

    page = FormPage(
        "cases/perpetrator_form.html",
        _("The alleged perpetrator is described."),
        lambda _perpetrator: case_url(incident.case),
        {"title": _("Alleged perpetrator"), "case": incident.case, "incident": incident},
    )
    return handle_form(request, form, save, page, check=lambda _data: refuse_closed(incident.case))


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=("POST",))
@require_POST
def set_sites(request: StaffRequest, case_id: str) -> HttpResponse:
    case = get_visible_or_404(Case.objects.all(), request.user, "change", pk=case_id)
    form = CaseSitesForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, _("Choose sites of your own organisation."))
        return HttpResponseRedirect(case_url(case))
    return run_and_redirect(
        request,
        lambda: actions.set_case_sites(
            case=case, sites=form.cleaned_data["sites"], acting_user=request.user, at=timezone.now()
        ),
        _("The sites involved have changed."),
        case_url(case),
    )
