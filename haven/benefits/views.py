"""Pages of the benefits core: programmes (with their rule versions, quotas, counts and cycles), a cycle
(coverage, generation with a progress bar, approval), the registry (list per area, search by NID or
phone, a beneficiary's file), enrolment and exits.

Thin: parse, call one verb or query, render. Programme staff only (`PROGRAMME_ROLES`); approving a cycle
is for `APPROVING_ROLES`. Names and phones appear on a beneficiary's own page only, and opening it is
audited; a search is a POST, so an NID or a phone never lands in a URL or an access log.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from haven.benefits import actions, cycles, queries
from haven.benefits.forms import (
    AreaFilterForm,
    CycleForm,
    EnrolForm,
    ExitForm,
    ProgrammeForm,
    RuleSetForm,
    SearchForm,
)
from haven.benefits.models import (
    APPROVING_ROLES,
    PROGRAMME_ROLES,
    Beneficiary,
    Cycle,
    Enrolment,
    Programme,
)
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, posted_data, run_and_redirect, run_posted_form
from haven.web.paging import page_of

FORM_METHODS = ("GET", "POST")


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _programme(request: StaffRequest, programme_id: Any) -> Programme:
    found: Programme = get_visible_or_404(
        Programme.objects.select_related("org"), request.user, pk=programme_id
    )
    return found


def _cycle(request: StaffRequest, cycle_id: Any, action: str = "view") -> Cycle:
    found: Cycle = get_visible_or_404(
        Cycle.objects.select_related("programme__org"), request.user, action, pk=cycle_id
    )
    return found


def _beneficiary(request: StaffRequest, beneficiary_id: Any) -> Beneficiary:
    found: Beneficiary = get_visible_or_404(
        Beneficiary.objects.select_related("org", "person__org", "area"), request.user, pk=beneficiary_id
    )
    return found


def _enrolment(request: StaffRequest, enrolment_id: Any) -> Enrolment:
    found: Enrolment = get_visible_or_404(
        Enrolment.objects.select_related("programme__org", "beneficiary"), request.user, pk=enrolment_id
    )
    return found


def _programme_url(programme_id: Any) -> str:
    return reverse("benefits:programme_detail", args=[programme_id])


def _cycle_url(cycle_id: Any) -> str:
    return reverse("benefits:cycle_detail", args=[cycle_id])


def _beneficiary_url(beneficiary_id: Any) -> str:
    return reverse("benefits:beneficiary_detail", args=[beneficiary_id])


# --- programmes ------------------------------------------------------------------------------------------


@staff_view(PROGRAMME_ROLES)
def programme_list(request: StaffRequest) -> HttpResponse:
    return render(request, "benefits/programmes.html", {"programmes": queries.programmes(request.user)})


@staff_view(PROGRAMME_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def programme_create(request: StaffRequest) -> HttpResponse:
    form = ProgrammeForm(posted_data(request))

    def save(data: dict[str, Any]) -> Programme:
        return actions.create_programme(org=request.org, **data, **_now(request))

    page = FormPage(
        "benefits/form.html",
        _("Programme set up."),
        lambda programme: _programme_url(programme.pk),
        {"title": _("New programme")},
    )
    return handle_form(request, form, save, page)


@staff_view(PROGRAMME_ROLES, object_kwargs=("benefit_programme_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def programme_edit(request: StaffRequest, benefit_programme_id: str) -> HttpResponse:
    programme = _programme(request, benefit_programme_id)
    initial = {name: getattr(programme, name) for name in actions.PROGRAMME_FIELDS}
    form = ProgrammeForm(posted_data(request), initial=initial)

    def save(data: dict[str, Any]) -> Programme:
        return actions.update_programme(programme=programme, changes=data, **_now(request))

    page = FormPage(
        "benefits/form.html",
        _("Saved."),
        lambda _result: _programme_url(programme.pk),
        {"title": _("Change the programme"), "programme": programme},
    )
    return handle_form(request, form, save, page)


@staff_view(PROGRAMME_ROLES, object_kwargs=("benefit_programme_id",))
def programme_detail(request: StaffRequest, benefit_programme_id: str) -> HttpResponse:
    programme = _programme(request, benefit_programme_id)
    context = {
        "programme": programme,
        "rule_sets": programme.rule_sets.select_related("created_by"),
        "quotas": programme.quotas.select_related("area"),
        "counts": queries.enrolment_counts(programme),
        "exit_reasons": Enrolment.ExitReason.choices,
        "cycles": programme.cycles.all(),
        "cycle_form": CycleForm(initial={"month": timezone.localdate()}),
    }
    return render(request, "benefits/programme.html", context)


@staff_view(PROGRAMME_ROLES, object_kwargs=("benefit_programme_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def rule_set_publish(request: StaffRequest, benefit_programme_id: str) -> HttpResponse:
    programme = _programme(request, benefit_programme_id)
    latest = programme.rule_sets.first()
    initial = {}
    if latest is not None:
        initial = {
            name: _json_text(getattr(latest, name)) for name in ("eligibility", "priority", "exclusions")
        }
    form = RuleSetForm(posted_data(request), initial=initial)

    def save(data: dict[str, Any]) -> Any:
        return actions.publish_rule_set(programme=programme, **data, **_now(request))

    page = FormPage(
        "benefits/form.html",
        _("A new version of the rules is published."),
        lambda _result: _programme_url(programme.pk),
        {"title": _("Publish new rules"), "programme": programme},
    )
    return handle_form(request, form, save, page)


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@staff_view(PROGRAMME_ROLES, object_kwargs=("benefit_programme_id",), methods=("POST",))
@require_POST
def exit_completed(request: StaffRequest, benefit_programme_id: str) -> HttpResponse:
    """Close the enrolments whose last month has passed (what the monthly command does, on demand)."""
    programme = _programme(request, benefit_programme_id)
    now = _now(request)
    closed = actions.exit_completed_enrolments(programme=programme, on=timezone.localdate(now["at"]), **now)
    messages.success(
        request,
        ngettext(
            "%(count)s enrolment reached its last month and is closed.",
            "%(count)s enrolments reached their last month and are closed.",
            closed,
        )
        % {"count": closed},
    )
    return HttpResponseRedirect(_programme_url(programme.pk))


# --- cycles ----------------------------------------------------------------------------------------------


@staff_view(PROGRAMME_ROLES, object_kwargs=("benefit_programme_id",), methods=("POST",))
@require_POST
def cycle_open(request: StaffRequest, benefit_programme_id: str) -> HttpResponse:
    programme = _programme(request, benefit_programme_id)

    def run(data: dict[str, Any]) -> Cycle:
        return cycles.open_cycle(programme=programme, month=data["month"], **_now(request))

    return run_posted_form(
        request, CycleForm(request.POST), run, _("Cycle opened."), _programme_url(programme.pk)
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("benefit_cycle_id",))
def cycle_detail(request: StaffRequest, benefit_cycle_id: str) -> HttpResponse:
    cycle = _cycle(request, benefit_cycle_id)
    rows = queries.cycle_coverage(cycle)
    context = {
        "cycle": cycle,
        "programme": cycle.programme,
        "month": cycles.month_label(cycle.month),
        "progress": cycles.progress_of(cycle),
        "coverage": rows,
        "totals": queries.coverage_totals(rows),
        "transitions": cycle.transitions.select_related("actor"),
        "may_approve": request.membership.role_enum in APPROVING_ROLES,
    }
    return render(request, "benefits/cycle.html", context)


def _enqueue_generation(cycle_id: str, user_id: int) -> None:
    from haven.benefits.tasks import generate_cycle

    generate_cycle.enqueue(cycle_id, user_id)


@staff_view(PROGRAMME_ROLES, object_kwargs=("benefit_cycle_id",), methods=("POST",))
@require_POST
def cycle_generate(request: StaffRequest, benefit_cycle_id: str) -> HttpResponse:
    """Start the generation and queue the work; the cycle's page shows its progress."""
    cycle = _cycle(request, benefit_cycle_id)

    def run() -> None:
        cycles.start_generation(cycle=cycle, **_now(request))
        transaction.on_commit(functools.partial(_enqueue_generation, str(cycle.pk), request.user.pk))

    return run_and_redirect(request, run, _("Generating the entitlements…"), _cycle_url(cycle.pk))


@staff_view(PROGRAMME_ROLES, object_kwargs=("benefit_cycle_id",))
def cycle_progress(request: StaffRequest, benefit_cycle_id: str) -> HttpResponse:
    """What the progress bar polls: counts and a status, no personal data."""
    response = JsonResponse(cycles.progress_of(_cycle(request, benefit_cycle_id)))
    response["Cache-Control"] = "no-store"
    return response


@staff_view(APPROVING_ROLES, object_kwargs=("benefit_cycle_id",), methods=("POST",))
@require_POST
def cycle_approve(request: StaffRequest, benefit_cycle_id: str) -> HttpResponse:
    cycle = _cycle(request, benefit_cycle_id, "approve")

    def run() -> None:
        cycles.approve_cycle(cycle=cycle, **_now(request))

    return run_and_redirect(request, run, _("Cycle approved."), _cycle_url(cycle.pk))


# --- the registry ----------------------------------------------------------------------------------------


@staff_view(PROGRAMME_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def beneficiary_list(request: StaffRequest) -> HttpResponse:
    """The register by area (GET, no personal data in the URL), or a search by NID or phone (POST)."""
    filters = AreaFilterForm(request.GET or None, org=request.org)
    area = filters.cleaned_data.get("area") if filters.is_valid() else None
    search = SearchForm(posted_data(request))
    if request.method == "POST":
        found = search.cleaned_data if search.is_valid() else {}
        rows = (
            queries.find_beneficiaries(request.user, **found)
            if found
            else queries.registry(request.user).none()
        )
    else:
        rows = queries.registry(request.user, area)
    page = page_of(request, rows)
    today = timezone.localdate()
    for beneficiary in page.object_list:
        beneficiary.age_band = queries.age_band(beneficiary.born_on, today)
    context = {"filters": filters, "search": search, "page": page, "searched": request.method == "POST"}
    return render(request, "benefits/beneficiaries.html", context)


@staff_view(PROGRAMME_ROLES, object_kwargs=("beneficiary_id",))
def beneficiary_detail(request: StaffRequest, beneficiary_id: str) -> HttpResponse:
    """Her file: name and phone (decrypted here only), enrolments, entitlements. Audited."""
    beneficiary = _beneficiary(request, beneficiary_id)
    context = {
        "beneficiary": beneficiary,
        "person": beneficiary.person,
        "enrolments": beneficiary.enrolments.select_related("programme", "area").order_by("-starts_on"),
        "entitlements": queries.entitlement_history(beneficiary),
    }
    actions.record_beneficiary_view(beneficiary=beneficiary, **_now(request))
    return render(request, "benefits/beneficiary.html", context)


@staff_view(PROGRAMME_ROLES, object_kwargs=("beneficiary_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def enrol(request: StaffRequest, beneficiary_id: str) -> HttpResponse:
    beneficiary = _beneficiary(request, beneficiary_id)
    form = EnrolForm(posted_data(request), org=request.org, initial={"starts_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> Enrolment:
        return actions.enrol(beneficiary=beneficiary, **data, **_now(request))

    page = FormPage(
        "benefits/form.html",
        _("Enrolled."),
        lambda _result: _beneficiary_url(beneficiary.pk),
        {"title": _("Enrol in a programme"), "beneficiary": beneficiary},
    )
    return handle_form(request, form, save, page)


@staff_view(PROGRAMME_ROLES, object_kwargs=("benefit_enrolment_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def enrolment_exit(request: StaffRequest, benefit_enrolment_id: str) -> HttpResponse:
    enrolment = _enrolment(request, benefit_enrolment_id)
    form = ExitForm(posted_data(request), initial={"on": timezone.localdate()})

    def save(data: dict[str, Any]) -> actions.ExitOutcome:
        outcome = actions.exit_enrolment(
            enrolment=enrolment, reason=data["reason"], on=data["on"], **_now(request)
        )
        if outcome.left_in_approved:
            messages.warning(
                request,
                _(
                    "%(count)s entitlements in cycles already approved remain due: stop them at the "
                    "distribution point or in the payment batch."
                )
                % {"count": outcome.left_in_approved},
            )
        return outcome

    page = FormPage(
        "benefits/form.html",
        _("The enrolment has ended; her later entitlements not yet approved are cancelled."),
        lambda _result: _beneficiary_url(enrolment.beneficiary_id),
        {
            "title": _("End enrolment %(card)s") % {"card": enrolment.card_number},
            "beneficiary": enrolment.beneficiary,
        },
    )
    return handle_form(request, form, save, page)
