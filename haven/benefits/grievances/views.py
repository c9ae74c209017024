"""Pages of grievances: the working list, the overdue list, lodging one for a caller or a visitor, a
grievance's file (assign, decide, appeal, decide the appeal, close), the figures; and the public page
where anyone may complain, anonymously if they wish, and check the status later with a tracking code.

Thin: parse, call one verb or query, render. Programme staff work here; an appeal is decided by an
approver. Opening a grievance is audited: it may name the complainant.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.benefits.grievances import actions, queries
from haven.benefits.grievances.forms import (
    AppealForm,
    AssignForm,
    DecideForm,
    FilterForm,
    GrievanceForm,
    PublicGrievanceForm,
    TrackForm,
)
from haven.benefits.grievances.models import Grievance
from haven.benefits.models import APPROVING_ROLES, PROGRAMME_ROLES
from haven.benefits.selection import public
from haven.orgs.access import StaffRequest, get_visible_or_404, public_view, staff_view
from haven.orgs.forms import (
    FormPage,
    add_verb_errors,
    handle_form,
    posted_data,
    run_and_redirect,
    run_posted_form,
)
from haven.orgs.models import Organisation
from haven.web.paging import page_of

FORM_METHODS = ("GET", "POST")


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _grievance(request: StaffRequest, grievance_id: Any, action: str = "view") -> Grievance:
    found: Grievance = get_visible_or_404(
        Grievance.objects.select_related("org", "programme", "area", "beneficiary", "assigned_to__user"),
        request.user,
        action,
        pk=grievance_id,
    )
    return found


def _url(grievance_id: Any) -> str:
    return reverse("grievances:detail", args=[grievance_id])


@staff_view(PROGRAMME_ROLES)
def grievance_list(request: StaffRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = queries.grievances(
        request.user, status=filters.get("status", ""), category=filters.get("category", "")
    )
    context = {
        "form": form,
        "page": page_of(request, found),
        "today": timezone.localdate(),
        "title": _("Grievances"),
    }
    return render(request, "grievances/list.html", context)


@staff_view(PROGRAMME_ROLES)
def overdue_list(request: StaffRequest) -> HttpResponse:
    found = queries.overdue(request.user, timezone.localdate())
    context = {
        "page": page_of(request, found),
        "today": timezone.localdate(),
        "title": _("Overdue grievances"),
    }
    return render(request, "grievances/list.html", context)


@staff_view(PROGRAMME_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def grievance_create(request: StaffRequest) -> HttpResponse:
    """A grievance told to an officer (at the union office, by phone)."""
    form = GrievanceForm(posted_data(request), org=request.org)

    def save(data: dict[str, Any]) -> Grievance:
        grievance, code = actions.lodge_grievance(
            org=request.org, channel=Grievance.Channel.OFFICER, **data, **_now(request)
        )
        # Shown once, to read out to the complainant: only its digest is kept.
        messages.info(request, _("Tracking code, to give to the complainant: %(code)s") % {"code": code})
        return grievance

    page = FormPage(
        "grievances/form.html",
        _("Grievance recorded."),
        lambda grievance: _url(grievance.pk),
        {"title": _("Record a grievance")},
    )
    return handle_form(request, form, save, page)


@staff_view(PROGRAMME_ROLES, object_kwargs=("grievance_id",))
def grievance_detail(request: StaffRequest, grievance_id: str) -> HttpResponse:
    grievance = _grievance(request, grievance_id)
    context = {
        "grievance": grievance,
        "transitions": grievance.transitions.all(),
        "assign_form": AssignForm(org=request.org),
        "decide_form": DecideForm(),
        "appeal_form": AppealForm(),
        "is_approver": request.membership.role_enum in APPROVING_ROLES,
        "today": timezone.localdate(),
    }
    actions.record_grievance_view(grievance=grievance, **_now(request))
    return render(request, "grievances/detail.html", context)


@staff_view(PROGRAMME_ROLES, object_kwargs=("grievance_id",), methods=("POST",))
@require_POST
def grievance_assign(request: StaffRequest, grievance_id: str) -> HttpResponse:
    grievance = _grievance(request, grievance_id, "change")

    def run(data: dict[str, Any]) -> Any:
        return actions.assign_grievance(grievance=grievance, **data, **_now(request))

    form = AssignForm(request.POST, org=request.org)
    return run_posted_form(request, form, run, _("Grievance assigned."), _url(grievance.pk))


@staff_view(PROGRAMME_ROLES, object_kwargs=("grievance_id",), methods=("POST",))
@require_POST
def grievance_decide(request: StaffRequest, grievance_id: str) -> HttpResponse:
    grievance = _grievance(request, grievance_id, "change")

    def run(data: dict[str, Any]) -> Any:
        return actions.decide_grievance(grievance=grievance, **data, **_now(request))

    return run_posted_form(
        request, DecideForm(request.POST), run, _("Decision recorded."), _url(grievance.pk)
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("grievance_id",), methods=("POST",))
@require_POST
def grievance_appeal(request: StaffRequest, grievance_id: str) -> HttpResponse:
    grievance = _grievance(request, grievance_id, "change")

    def run(data: dict[str, Any]) -> Any:
        return actions.appeal_grievance(grievance=grievance, **data, **_now(request))

    return run_posted_form(request, AppealForm(request.POST), run, _("Appeal recorded."), _url(grievance.pk))


@staff_view(APPROVING_ROLES, object_kwargs=("grievance_id",), methods=("POST",))
@require_POST
def appeal_decide(request: StaffRequest, grievance_id: str) -> HttpResponse:
    grievance = _grievance(request, grievance_id, "approve")

    def run(data: dict[str, Any]) -> Any:
        return actions.decide_appeal(grievance=grievance, **data, **_now(request))

    done = _("Appeal decided; the grievance is closed.")
    return run_posted_form(request, DecideForm(request.POST), run, done, _url(grievance.pk))


@staff_view(PROGRAMME_ROLES, object_kwargs=("grievance_id",), methods=("POST",))
@require_POST
def grievance_close(request: StaffRequest, grievance_id: str) -> HttpResponse:
    grievance = _grievance(request, grievance_id, "change")
    return run_and_redirect(
        request,
        lambda: actions.close_grievance(grievance=grievance, **_now(request)),
        _("Grievance closed."),
        _url(grievance.pk),
    )


@staff_view(PROGRAMME_ROLES)
def statistics(request: StaffRequest) -> HttpResponse:
    return render(request, "grievances/statistics.html", {"rows": queries.by_category(request.user)})


# --- public --------------------------------------------------------------------------------------------


def _public_org(org_slug: str) -> Organisation:
    org: Organisation = get_object_or_404(Organisation, slug=org_slug)
    return org


@public_view
@require_http_methods(FORM_METHODS)
def public_lodge(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Anyone may complain, without a name. The answer is the tracking code, shown once."""
    org = _public_org(org_slug)
    form = PublicGrievanceForm(request.POST if request.method == "POST" else None, org=org)
    status, code = 200, ""
    if request.method == "POST":
        status, code = _take_public_grievance(request, org, form)
    context = {"org": org, "form": form, "code": code}
    return render(request, "grievances/public.html", context, status=status)


def _take_public_grievance(
    request: HttpRequest, org: Organisation, form: PublicGrievanceForm
) -> tuple[int, str]:
    if public.is_robot(request.POST):
        return 200, actions.new_tracking_code()  # a robot is told nothing; its code names nothing
    if public.too_many_posts(request, "grievance"):
        form.add_error(None, _("Too many complaints were sent from here; try again in an hour."))
        return 429, ""
    if not form.is_valid():
        return 422, ""
    data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
    try:
        _grievance, code = actions.lodge_grievance(
            org=org, channel=Grievance.Channel.PUBLIC, acting_user=None, at=timezone.now(), **data
        )
    except ValidationError as exc:
        add_verb_errors(form, exc)
        return 422, ""
    return 200, code


@public_view
@require_http_methods(FORM_METHODS)
def public_track(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The status of a grievance by its tracking code (posted, so the code stays out of logs). Shows the
    category, the dates and the decision, never what was written or who wrote it."""
    org = _public_org(org_slug)
    form = TrackForm(request.POST if request.method == "POST" else None)
    found, status = None, 200
    if request.method == "POST":
        if public.too_many_posts(request, "track", limit=30):
            form.add_error(None, _("Too many tries from here; try again in an hour."))
            status = 429
        elif form.is_valid():
            found = actions.find_by_code(org, form.cleaned_data["code"])
            if found is None:
                form.add_error("code", _("No grievance has this code. Check it letter by letter."))
                status = 404
    return render(request, "grievances/track.html", {"org": org, "form": form, "found": found}, status=status)
