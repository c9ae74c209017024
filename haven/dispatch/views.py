"""Pages of the dispatch desk and the mobile teams.

Thin: parse, call one verb, render or redirect. One-button actions (assign, next step, team status)
redirect with a message, so a refusal reads as a sentence on the page it came from. The team page is
phone-sized: one big button per next step, and nothing of her beyond where to go and what danger waits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.cases.models import Case
from haven.dispatch import actions, queries, sla
from haven.dispatch.forms import (
    AssignForm,
    DispatchForm,
    StepForm,
    TargetForm,
    UnitForm,
    UnitMemberForm,
    UnitStatusForm,
)
from haven.dispatch.models import Dispatch, Target, Unit, UnitMember, responder_units
from haven.hotline.models import Contact
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, run_posted_form
from haven.orgs.roles import ROLES_NOT_KEPT_APART, Role
from haven.people.views import SURVIVOR_ROLES

FORM_METHODS = ("GET", "POST")
TEAM_MANAGERS = Role.managing_sites()
STATUS_ROLES = SURVIVOR_ROLES | TEAM_MANAGERS
TARGET_READERS = SURVIVOR_ROLES | TEAM_MANAGERS
"""Who reads the service-level targets and how the last 30 days measured (as `GET /dispatch-targets`);
only `TEAM_MANAGERS` set them (as `PUT /dispatch-targets`)."""
COMPLIANCE_DAYS = 30


# --- the desk ------------------------------------------------------------------------------------------


@staff_view(SURVIVOR_ROLES)
def board(request: StaffRequest) -> HttpResponse:
    """Open dispatches with their clocks; htmx reloads the rows every few seconds."""
    dispatches = Dispatch.objects.visible_to(request.user)
    rows = queries.board_rows(dispatches, request.org.pk, timezone.now())
    context = {
        "rows": rows,
        "units": Unit.objects.visible_to(request.user),
        "may_set_targets": request.membership.role_enum in TEAM_MANAGERS,
    }
    template = "dispatch/_board.html" if request.htmx else "dispatch/board.html"
    return render(request, template, context)


def _create_page(request: StaffRequest, source: dict[str, Any]) -> HttpResponse:
    """The new-dispatch form for a case or a contact (`source`: `case` and/or `contact`)."""
    form = DispatchForm(request.POST or None, initial={"priority": Dispatch.Priority.IMMEDIATE})

    def fields(data: dict[str, Any]) -> dict[str, Any]:
        return {**source, **data, "acting_user": request.user, "at": timezone.now()}

    page = FormPage(
        "dispatch/create.html",
        _("Dispatch created: now assign a team."),
        lambda dispatch: reverse("dispatch:detail", args=[dispatch.pk]),
        source,
    )
    return handle_form(
        request,
        form,
        lambda data: actions.create_dispatch(**fields(data)),
        page,
        check=lambda data: actions.build_dispatch(**fields(data)),
    )


@staff_view(SURVIVOR_ROLES, object_kwargs=("case_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def create(request: StaffRequest, case_id: str) -> HttpResponse:
    case = get_visible_or_404(Case.objects.select_related("survivor"), request.user, "change", pk=case_id)
    return _create_page(request, {"case": case})


@staff_view(SURVIVOR_ROLES, object_kwargs=("contact_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def create_from_contact(request: StaffRequest, contact_id: str) -> HttpResponse:
    """From a call or chat: the dispatch also goes on her case when the contact is linked to one (the
    verb does that), and takes up the screens' dispatch offers of the contact."""
    contact = get_visible_or_404(Contact.objects.all(), request.user, "change", pk=contact_id)
    return _create_page(request, {"contact": contact})


def _dispatch(request: StaffRequest, dispatch_id: str) -> Dispatch:
    queryset = Dispatch.objects.select_related("org", "unit", "destination_site").prefetch_related(
        "events__actor"
    )
    dispatch: Dispatch = get_visible_or_404(queryset, request.user, pk=dispatch_id)
    return dispatch


def _reading(request: StaffRequest, dispatch: Dispatch) -> dict[str, Any]:
    """What both the desk page and the team page show, after recording that it was read."""
    actions.record_dispatch_view(dispatch=dispatch, acting_user=request.user, at=timezone.now())
    return {
        "dispatch": dispatch,
        "next_steps": [(step, Dispatch.Status(step).label) for step in actions.next_steps(dispatch)],
        "step_form": StepForm(org=request.org),
    }


@staff_view(SURVIVOR_ROLES, object_kwargs=("dispatch_id",))
def detail(request: StaffRequest, dispatch_id: str) -> HttpResponse:
    dispatch = _dispatch(request, dispatch_id)
    now = timezone.now()
    context = {
        **_reading(request, dispatch),
        "assign_form": AssignForm(org=request.org),
        "clocks": sla.clocks(dispatch, sla.targets_for(dispatch.org_id), now=now),
        "intervals": [
            (
                Dispatch.Status(i.from_step).label,
                Dispatch.Status(i.to_step).label,
                queries.duration(i.seconds),
            )
            for i in sla.step_intervals(dispatch)
        ],
    }
    return render(request, "dispatch/detail.html", context)


@staff_view(SURVIVOR_ROLES, object_kwargs=("dispatch_id",))
def team(request: StaffRequest, dispatch_id: str) -> HttpResponse:
    dispatch = _dispatch(request, dispatch_id)
    return render(request, "dispatch/team.html", _reading(request, dispatch))


@staff_view(SURVIVOR_ROLES)
def mine(request: StaffRequest) -> HttpResponse:
    """The open dispatches of the teams I am on, for my phone."""
    units = Unit.objects.filter(pk__in=responder_units(request.membership))
    dispatches = Dispatch.objects.visible_to(request.user).open().filter(unit__in=units)
    return render(request, "dispatch/mine.html", {"dispatches": dispatches, "units": units})


@staff_view(SURVIVOR_ROLES, object_kwargs=("dispatch_id",), methods=("POST",))
@require_POST
def assign(request: StaffRequest, dispatch_id: str) -> HttpResponse:
    dispatch = get_visible_or_404(
        Dispatch.objects.select_related("org"), request.user, "change", pk=dispatch_id
    )
    form = AssignForm(request.POST, org=request.org)
    return run_posted_form(
        request,
        form,
        lambda data: actions.assign_unit(
            dispatch=dispatch, unit=data["unit"], acting_user=request.user, at=timezone.now()
        ),
        _("Team assigned."),
        reverse("dispatch:detail", args=[dispatch.pk]),
    )


@staff_view(SURVIVOR_ROLES, object_kwargs=("dispatch_id",), methods=("POST",))
@require_POST
def step(request: StaffRequest, dispatch_id: str) -> HttpResponse:
    dispatch = get_visible_or_404(
        Dispatch.objects.select_related("org"), request.user, "change", pk=dispatch_id
    )
    form = StepForm(request.POST, org=request.org)
    page = "dispatch:team" if request.POST.get("from") == "team" else "dispatch:detail"
    return run_posted_form(
        request,
        form,
        lambda data: actions.record_step(
            dispatch=dispatch, acting_user=request.user, at=timezone.now(), **data
        ),
        _("Saved."),
        reverse(page, args=[dispatch.pk]),
    )


# --- teams ---------------------------------------------------------------------------------------------


@staff_view(ROLES_NOT_KEPT_APART)
def units(request: StaffRequest) -> HttpResponse:
    rows = Unit.objects.visible_to(request.user).select_related("area")
    return render(
        request,
        "dispatch/units.html",
        {"units": rows, "may_create": request.membership.role_enum in TEAM_MANAGERS},
    )


@staff_view(TEAM_MANAGERS, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def unit_create(request: StaffRequest) -> HttpResponse:
    form = UnitForm(request.POST or None, org=request.org)
    page = FormPage(
        "dispatch/unit_form.html",
        _("Team created."),
        lambda unit: reverse("dispatch:unit_detail", args=[unit.pk]),
    )

    def save(data: dict[str, Any]) -> Unit:
        return actions.create_unit(org=request.org, acting_user=request.user, at=timezone.now(), **data)

    return handle_form(request, form, save, page)


@staff_view(ROLES_NOT_KEPT_APART, object_kwargs=("unit_id",))
def unit_detail(request: StaffRequest, unit_id: str) -> HttpResponse:
    unit = get_visible_or_404(Unit.objects.select_related("area"), request.user, pk=unit_id)
    members = UnitMember.objects.filter(unit=unit, left_at__isnull=True).select_related("membership__user")
    role = request.membership.role_enum
    context = {
        "unit": unit,
        "members": members,
        "may_manage": role in TEAM_MANAGERS,
        "may_set_status": role in STATUS_ROLES,
        "member_form": UnitMemberForm(org=request.org),
        "status_choices": UnitStatusForm.base_fields["status"].choices,  # type: ignore[attr-defined]
    }
    return render(request, "dispatch/unit_detail.html", context)


def _unit_action(
    request: StaffRequest,
    unit_id: str,
    action: str,
    form: forms.Form,
    run: Callable[[Unit, dict[str, Any]], Any],
) -> HttpResponse:
    unit = get_visible_or_404(Unit.objects.select_related("org"), request.user, action, pk=unit_id)
    return run_posted_form(
        request,
        form,
        lambda data: run(unit, data),
        _("Saved."),
        reverse("dispatch:unit_detail", args=[unit.pk]),
    )


@staff_view(TEAM_MANAGERS, object_kwargs=("unit_id",), methods=("POST",))
@require_POST
def unit_member_add(request: StaffRequest, unit_id: str) -> HttpResponse:
    def run(unit: Unit, data: dict[str, Any]) -> Any:
        return actions.add_unit_member(
            unit=unit, membership=data["membership"], acting_user=request.user, at=timezone.now()
        )

    return _unit_action(request, unit_id, "change", UnitMemberForm(request.POST, org=request.org), run)


@staff_view(TEAM_MANAGERS, object_kwargs=("unit_id",), methods=("POST",))
@require_POST
def unit_member_remove(request: StaffRequest, unit_id: str) -> HttpResponse:
    def run(unit: Unit, data: dict[str, Any]) -> Any:
        return actions.remove_unit_member(
            unit=unit, membership=data["membership"], acting_user=request.user, at=timezone.now()
        )

    return _unit_action(request, unit_id, "change", UnitMemberForm(request.POST, org=request.org), run)


@staff_view(STATUS_ROLES, object_kwargs=("unit_id",), methods=("POST",))
@require_POST
def unit_status(request: StaffRequest, unit_id: str) -> HttpResponse:
    def run(unit: Unit, data: dict[str, Any]) -> Any:
        return actions.set_unit_status(
            unit=unit, status=data["status"], acting_user=request.user, at=timezone.now()
        )

    return _unit_action(request, unit_id, "status", UnitStatusForm(request.POST), run)


# --- service-level targets ----------------------------------------------------------------------------


@staff_view(TARGET_READERS)
def targets(request: StaffRequest) -> HttpResponse:
    """The organisation's targets (the default one until it sets its own) and the last 30 days' share of
    dispatches that met each; the form to set one for those who may."""
    now = timezone.now()
    report = sla.compliance(request.org, now - timedelta(days=COMPLIANCE_DAYS), now)
    may_set = request.membership.role_enum in TEAM_MANAGERS
    context = {
        "report": report,
        "days": COMPLIANCE_DAYS,
        "uses_default": not Target.objects.filter(org=request.org).exists(),
        "may_set": may_set,
        "form": TargetForm() if may_set else None,
    }
    return render(request, "dispatch/targets.html", context)


@staff_view(TEAM_MANAGERS, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def target_set(request: StaffRequest) -> HttpResponse:
    """Set or change the target of one interval (`?interval=` fills the form with its current figures)."""
    current = {rule.interval: rule for rule in sla.targets_for(request.org)}
    chosen = current.get(request.GET.get("interval", ""))
    initial = (
        {"interval": chosen.interval, "seconds": chosen.seconds, "share": chosen.share} if chosen else {}
    )
    form = TargetForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> Target:
        return actions.set_target(org=request.org, acting_user=request.user, at=timezone.now(), **data)

    page = FormPage("dispatch/target_form.html", _("Target saved."), lambda t: reverse("dispatch:targets"))
    return handle_form(request, form, save, page)
