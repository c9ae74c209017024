"""Pages of consolidated statistics: networks, invitations, the month's submission and the consolidated
reports. Thin: parse, call one verb, render. Administrators join networks; data officers prepare, approve
and consolidate."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, posted_data, run_and_redirect, run_posted_form
from haven.reports.sharing import actions, cells
from haven.reports.sharing.forms import InviteForm, MonthForm, NetworkForm
from haven.reports.sharing.models import (
    ADMIN_ROLES,
    DATA_ROLES,
    SHARING_ROLES,
    ConsolidatedReport,
    Network,
    NetworkMember,
    Submission,
)

FORM_METHODS = ("GET", "POST")
NETWORK = ("network_id",)


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _network_url(network_id: Any) -> str:
    return reverse("report_sharing:network", kwargs={"network_id": network_id})


@staff_view(SHARING_ROLES)
def index(request: StaffRequest) -> HttpResponse:
    networks = Network.objects.visible_to(request.user).select_related("org")
    invitations = NetworkMember.objects.visible_to(request.user).filter(status=NetworkMember.Status.INVITED)
    context = {
        "networks": networks,
        "invitations": invitations.select_related("network__org"),
        "is_admin": request.membership.role_enum in ADMIN_ROLES,
    }
    return render(request, "report_sharing/index.html", context)


@staff_view(ADMIN_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def network_create(request: StaffRequest) -> HttpResponse:
    page = FormPage(
        "report_sharing/form.html",
        _("The network was set up; invite its members."),
        lambda network: _network_url(network.pk),
        {"title": _("New statistics-sharing network")},
    )
    form = NetworkForm(posted_data(request))
    return handle_form(
        request, form, lambda data: actions.create_network(org=request.org, **data, **_now(request)), page
    )


@staff_view(SHARING_ROLES, object_kwargs=NETWORK)
def network_detail(request: StaffRequest, network_id: str) -> HttpResponse:
    network: Network = get_visible_or_404(Network.objects.select_related("org"), request.user, pk=network_id)
    runs_it = network.org_id == request.org.pk
    context = {
        "network": network,
        "runs_it": runs_it,
        "members": network.members.select_related("org") if runs_it else None,
        "submissions": Submission.objects.visible_to(request.user).filter(network=network),
        "consolidated": ConsolidatedReport.objects.visible_to(request.user).filter(network=network),
        "month_form": MonthForm(),
        "invite_form": InviteForm(),
        "is_data_officer": request.membership.role_enum in DATA_ROLES,
        "is_admin": request.membership.role_enum in ADMIN_ROLES,
    }
    return render(request, "report_sharing/network.html", context)


@staff_view(ADMIN_ROLES, object_kwargs=NETWORK, methods=("POST",))
@require_POST
def invite(request: StaffRequest, network_id: str) -> HttpResponse:
    network: Network = get_visible_or_404(Network.objects.all(), request.user, "manage", pk=network_id)
    return run_posted_form(
        request,
        InviteForm(request.POST),
        lambda data: actions.invite_member(network=network, slug=data["slug"], **_now(request)),
        _("The organisation was invited; it joins when its administrator accepts."),
        _network_url(network.pk),
    )


@staff_view(ADMIN_ROLES, object_kwargs=("invitation_id",), methods=("POST",))
@require_POST
def accept(request: StaffRequest, invitation_id: str) -> HttpResponse:
    invitation: NetworkMember = get_visible_or_404(
        NetworkMember.objects.all(), request.user, "accept", pk=invitation_id
    )
    return run_and_redirect(
        request,
        lambda: actions.accept_invitation(invitation=invitation, **_now(request)),
        _("Your organisation joined the network."),
        _network_url(invitation.network_id),
    )


@staff_view(DATA_ROLES, object_kwargs=NETWORK, methods=("POST",))
@require_POST
def prepare(request: StaffRequest, network_id: str) -> HttpResponse:
    network: Network = get_visible_or_404(Network.objects.all(), request.user, "submit", pk=network_id)
    return run_posted_form(
        request,
        MonthForm(request.POST),
        lambda data: actions.prepare_submission(network=network, org=request.org, **data, **_now(request)),
        _("The month's submission was prepared: review it, then approve it."),
        _network_url(network.pk),
    )


@staff_view(DATA_ROLES, object_kwargs=NETWORK, methods=("POST",))
@require_POST
def consolidate(request: StaffRequest, network_id: str) -> HttpResponse:
    network: Network = get_visible_or_404(Network.objects.all(), request.user, "consolidate", pk=network_id)
    return run_posted_form(
        request,
        MonthForm(request.POST),
        lambda data: actions.consolidate(network=network, **data, **_now(request)),
        _("The consolidated report was made and sent to every member."),
        _network_url(network.pk),
    )


@staff_view(SHARING_ROLES, object_kwargs=("submission_id",))
def submission_detail(request: StaffRequest, submission_id: str) -> HttpResponse:
    submission: Submission = get_visible_or_404(
        Submission.objects.select_related("network"), request.user, pk=submission_id
    )
    context = {
        "submission": submission,
        "indicators": cells.readable(submission.cells),
        "deadline": actions.deadline(submission.network, actions.sharing_month(submission.period)),
        "can_approve": request.membership.role_enum in DATA_ROLES
        and submission.status == Submission.Status.DRAFT,
    }
    return render(request, "report_sharing/submission.html", context)


@staff_view(DATA_ROLES, object_kwargs=("submission_id",), methods=("POST",))
@require_POST
def approve(request: StaffRequest, submission_id: str) -> HttpResponse:
    submission: Submission = get_visible_or_404(
        Submission.objects.all(), request.user, "approve", pk=submission_id
    )
    return run_and_redirect(
        request,
        lambda: actions.approve_submission(submission=submission, **_now(request)),
        _("The submission was approved for the network."),
        reverse("report_sharing:submission", kwargs={"submission_id": submission.pk}),
    )


@staff_view(SHARING_ROLES, object_kwargs=("consolidated_id",))
def consolidated_detail(request: StaffRequest, consolidated_id: str) -> HttpResponse:
    report: ConsolidatedReport = get_visible_or_404(
        ConsolidatedReport.objects.select_related("network"), request.user, pk=consolidated_id
    )
    context = {"consolidated": report, "indicators": cells.readable(report.cells)}
    return render(request, "report_sharing/consolidated.html", context)
