"""Pages of supporters and donations: the list (search), a supporter's file (gifts, receipts, projects),
recording a gift, issuing, cancelling and downloading receipts, the donor projects with their balances,
and the totals per year and currency.

Thin: parse, call one verb or query, render. Supporters' names are decrypted on the page only, for
`SUPPORTER_ROLES`; opening a supporter's file is audited. Centre managers see the totals page only:
sums, counts and project balances, never a donor's name.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Max, Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, posted_data, run_and_redirect
from haven.supporters import actions, queries, receipts
from haven.supporters.forms import (
    CancelForm,
    DonationForm,
    ProjectForm,
    SearchForm,
    SupporterForm,
    ValueForm,
    YearForm,
)
from haven.supporters.models import (
    SUPPORTER_ROLES,
    TOTALS_READERS,
    Donation,
    DonorProject,
    Receipt,
    Supporter,
)
from haven.web.paging import page_of
from haven.web.pdf import PdfUnavailable

FORM_METHODS = ("GET", "POST")


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _supporter_url(supporter_id: Any) -> str:
    return reverse("supporters:detail", args=[supporter_id])


def _supporter(request: StaffRequest, supporter_id: Any) -> Supporter:
    supporter: Supporter = get_visible_or_404(
        Supporter.objects.select_related("org"), request.user, pk=supporter_id
    )
    return supporter


def _donation(request: StaffRequest, donation_id: Any) -> Donation:
    donation: Donation = get_visible_or_404(
        Donation.objects.select_related("supporter__org", "project"), request.user, pk=donation_id
    )
    return donation


def _receipt(request: StaffRequest, receipt_id: Any) -> Receipt:
    receipt: Receipt = get_visible_or_404(
        Receipt.objects.select_related("org", "donation__supporter", "donation__project", "replaces"),
        request.user,
        pk=receipt_id,
    )
    return receipt


# --- supporters ----------------------------------------------------------------------------------------


@staff_view(SUPPORTER_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def supporter_list(request: StaffRequest) -> HttpResponse:
    """The list, and the search: a POST, so a name, e-mail or phone never lands in a URL or a log."""
    form = SearchForm(request.POST if request.method == "POST" else None)
    filters = form.cleaned_data if form.is_valid() else {}
    supporters = queries.find_supporters(request.user, filters.get("q", ""), filters.get("kind", ""))
    supporters = supporters.annotate(gifts=Count("donations"), last_gift_on=Max("donations__received_on"))
    context = {"form": form, "page": page_of(request, supporters), "searched": bool(filters.get("q"))}
    return render(request, "supporters/list.html", context)


@staff_view(SUPPORTER_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def supporter_create(request: StaffRequest) -> HttpResponse:
    form = SupporterForm(posted_data(request), org=request.org)

    def save(data: dict[str, Any]) -> Supporter:
        return actions.create_supporter(org=request.org, **data, **_now(request))

    page = FormPage(
        "supporters/form.html",
        _("Supporter added."),
        lambda supporter: _supporter_url(supporter.pk),
        {"title": _("New supporter")},
    )
    return handle_form(request, form, save, page)


@staff_view(SUPPORTER_ROLES, object_kwargs=("supporter_id",))
def supporter_detail(request: StaffRequest, supporter_id: str) -> HttpResponse:
    """The supporter's file: details, gifts with their receipts, projects with balances. Audited."""
    supporter = _supporter(request, supporter_id)
    receipts_first = Prefetch(
        "receipts", queryset=Receipt.objects.select_related("replaces").order_by("-issued_at")
    )
    donations = supporter.donations.select_related("project").prefetch_related(receipts_first)
    context = {
        "supporter": supporter,
        "donations": donations,
        "balances": [queries.balance_of(project) for project in supporter.projects.all()],
    }
    actions.record_supporter_view(supporter=supporter, **_now(request))
    return render(request, "supporters/detail.html", context)


def _supporter_initial(supporter: Supporter) -> dict[str, Any]:
    return {name: getattr(supporter, name) for name in actions.SUPPORTER_FIELDS}


@staff_view(SUPPORTER_ROLES, object_kwargs=("supporter_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def supporter_edit(request: StaffRequest, supporter_id: str) -> HttpResponse:
    supporter = _supporter(request, supporter_id)
    form = SupporterForm(posted_data(request), initial=_supporter_initial(supporter), org=request.org)

    def save(data: dict[str, Any]) -> Supporter:
        return actions.update_supporter(supporter=supporter, changes=data, **_now(request))

    page = FormPage(
        "supporters/form.html",
        _("Saved."),
        lambda _result: _supporter_url(supporter.pk),
        {"title": _("Change a supporter's details"), "supporter": supporter},
    )
    return handle_form(request, form, save, page)


# --- donations and projects ----------------------------------------------------------------------------


@staff_view(SUPPORTER_ROLES, object_kwargs=("supporter_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def donation_create(request: StaffRequest, supporter_id: str) -> HttpResponse:
    supporter = _supporter(request, supporter_id)
    initial = {"received_on": timezone.localdate()}
    form = DonationForm(posted_data(request), initial=initial, supporter=supporter)

    def save(data: dict[str, Any]) -> Donation:
        return actions.record_donation(
            supporter=supporter,
            received_on=data["received_on"],
            kind=data["kind"],
            amount=data["amount"],
            currency=data["currency"],
            method=data["method"],
            description=data["description"],
            quantity=data["quantity"],
            estimated_value=data["estimated_value"],
            project=data["project"],
            is_anonymous=data["is_anonymous"],
            **_now(request),
        )

    page = FormPage(
        "supporters/form.html",
        _("Donation recorded."),
        lambda _donation: _supporter_url(supporter.pk),
        {"title": _("Record a donation"), "supporter": supporter},
    )
    return handle_form(request, form, save, page)


@staff_view(SUPPORTER_ROLES, object_kwargs=("donation_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def donation_value(request: StaffRequest, donation_id: str) -> HttpResponse:
    donation = _donation(request, donation_id)
    initial = {"estimated_value": donation.estimated_value, "currency": donation.currency}
    form = ValueForm(posted_data(request), initial=initial)

    def save(data: dict[str, Any]) -> Donation:
        return actions.value_in_kind_gift(donation=donation, **data, **_now(request))

    page = FormPage(
        "supporters/form.html",
        _("Value saved."),
        lambda _donation: _supporter_url(donation.supporter_id),
        {"title": _("Estimated value of a gift in kind"), "supporter": donation.supporter},
    )
    return handle_form(request, form, save, page)


@staff_view(SUPPORTER_ROLES, object_kwargs=("supporter_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def project_create(request: StaffRequest, supporter_id: str) -> HttpResponse:
    supporter = _supporter(request, supporter_id)
    form = ProjectForm(posted_data(request), org=request.org)

    def save(data: dict[str, Any]) -> DonorProject:
        return actions.create_donor_project(supporter=supporter, **data, **_now(request))

    page = FormPage(
        "supporters/form.html",
        _("Project set up."),
        lambda _project: reverse("supporters:projects"),
        {"title": _("New donor project (restricted fund)"), "supporter": supporter},
    )
    return handle_form(request, form, save, page)


@staff_view(SUPPORTER_ROLES)
def project_list(request: StaffRequest) -> HttpResponse:
    return render(request, "supporters/projects.html", {"balances": queries.project_balances(request.user)})


# --- receipts ------------------------------------------------------------------------------------------


@staff_view(SUPPORTER_ROLES, object_kwargs=("donation_id",), methods=("POST",))
@require_POST
def receipt_issue(request: StaffRequest, donation_id: str) -> HttpResponse:
    donation = _donation(request, donation_id)

    def issue() -> Receipt:
        return actions.issue_receipt(donation=donation, **_now(request))

    return run_and_redirect(request, issue, _("Receipt issued."), _supporter_url(donation.supporter_id))


@staff_view(SUPPORTER_ROLES, object_kwargs=("receipt_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def receipt_cancel(request: StaffRequest, receipt_id: str) -> HttpResponse:
    receipt = _receipt(request, receipt_id)
    form = CancelForm(posted_data(request))

    def save(data: dict[str, Any]) -> Receipt:
        verb = actions.reissue_receipt if data["reissue"] else actions.cancel_receipt
        return verb(receipt=receipt, reason=data["reason"], **_now(request))

    page = FormPage(
        "supporters/form.html",
        _("Receipt cancelled. Its number will not be used again."),
        lambda _result: _supporter_url(receipt.donation.supporter_id),
        {
            "title": _("Cancel receipt %(number)s") % {"number": receipt.number},
            "supporter": receipt.donation.supporter,
        },
    )
    return handle_form(request, form, save, page)


@staff_view(SUPPORTER_ROLES, object_kwargs=("receipt_id",))
def receipt_pdf(request: StaffRequest, receipt_id: str) -> HttpResponse:
    """The receipt as a PDF in the supporter's language; each download is audited. When this server
    cannot make PDFs, back to the supporter's page, which says why."""
    receipt = _receipt(request, receipt_id)
    try:
        document = receipts.render_receipt(receipt)
    except PdfUnavailable as unavailable:
        messages.error(request, str(unavailable))
        return HttpResponseRedirect(_supporter_url(receipt.donation.supporter_id))
    actions.record_receipt_print(receipt=receipt, **_now(request))
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipts.file_name(receipt)}"'
    response["Cache-Control"] = "no-store"
    return response


# --- figures -------------------------------------------------------------------------------------------


@staff_view(TOTALS_READERS)
def totals(request: StaffRequest) -> HttpResponse:
    """Totals per year and currency and the projects' balances; the thank-you list (names of donors who
    may be named) for the roles that see supporters."""
    years = queries.years_with_gifts(request.user)
    form = YearForm(request.GET or None)
    chosen = form.cleaned_data.get("year") if form.is_valid() else None
    year = chosen or (years[0] if years else timezone.localdate().year)
    sees_names = request.membership.role_enum in SUPPORTER_ROLES
    context = {
        "form": form,
        "years": years,
        "year": year,
        "rows": queries.totals(request.user, year),
        "balances": queries.project_balances(request.user, "totals"),
        "sees_names": sees_names,
        "thanks": queries.thank_you_list(request.user, year) if sees_names else [],
    }
    return render(request, "supporters/totals.html", context)
