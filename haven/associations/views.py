"""Pages of associations, grants and entrepreneurs.

Thin: parse, call one verb or query, render. Programme staff (`PROGRAMME_ROLES`) use every page;
decisions (approving or refusing a registration, recording a grading, approving a grant round) are for
`APPROVING_ROLES`. Opening an entrepreneur's file (her name and phone) is audited; downloading an
association's document too.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.associations import actions, grading, grants, marketing, queries
from haven.associations.forms import (
    AllocationForm,
    ApplicationForm,
    BearerForm,
    CentreForm,
    DisburseForm,
    DocumentForm,
    EntrepreneurForm,
    FilterForm,
    GradingForm,
    PaymentForm,
    ProductForm,
    ReasonForm,
    RenewalForm,
    ReportForm,
    RoundForm,
    SalesForm,
    ScheduleForm,
    StallForm,
    TrainingForm,
)
from haven.associations.models import (
    Association,
    AssociationDocument,
    Entrepreneur,
    Grant,
    GrantRound,
    GrantSchedule,
    MarketingCentre,
    StallAllocation,
)
from haven.benefits.models import APPROVING_ROLES, PROGRAMME_ROLES, Beneficiary
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, posted_data, run_and_redirect, run_posted_form
from haven.web.paging import page_of

FORM = ("GET", "POST")
FORM_TEMPLATE = "associations/form.html"


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _association(request: StaffRequest, association_id: Any, action: str = "view") -> Association:
    found: Association = get_visible_or_404(
        Association.objects.select_related("org", "area"), request.user, action, pk=association_id
    )
    return found


def _association_url(association_id: Any) -> str:
    return reverse("associations:detail", args=[association_id])


def _page(message: str, next_url: Any, title: str, back: str) -> FormPage:
    return FormPage(FORM_TEMPLATE, message, next_url, {"title": title, "back": back})


# --- associations --------------------------------------------------------------------------------------


@staff_view(PROGRAMME_ROLES)
def association_list(request: StaffRequest) -> HttpResponse:
    """The register, filtered by status and grade, with what needs doing: decisions past their 30 days,
    registrations lapsing soon."""
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    rows = queries.associations(request.user, filters.get("status", ""), filters.get("grade", ""))
    context = {
        "form": form,
        "page": page_of(request, rows),
        "overdue": queries.overdue_decisions(request.user, today)[:50],
        "lapsing": queries.lapsing_soon(request.user, today)[:50],
        "today": today,
    }
    return render(request, "associations/list.html", context)


@staff_view(PROGRAMME_ROLES, methods=FORM)
@require_http_methods(FORM)
def association_create(request: StaffRequest) -> HttpResponse:
    form = ApplicationForm(posted_data(request), org=request.org)

    def save(data: dict[str, Any]) -> Association:
        return actions.apply_for_registration(org=request.org, **data, **_now(request))

    page = _page(
        _("Application recorded. Upload its documents next."),
        lambda association: _association_url(association.pk),
        _("New application for registration"),
        reverse("associations:list"),
    )
    return handle_form(request, form, save, page)


@staff_view(PROGRAMME_ROLES, object_kwargs=("association_id",))
def association_detail(request: StaffRequest, association_id: str) -> HttpResponse:
    association = _association(request, association_id)
    context = {
        "association": association,
        "documents": association.documents.defer("content").order_by("kind", "uploaded_at"),
        "fees": association.fees.all(),
        "renewals": association.renewals.select_related("fee"),
        "bearers": association.office_bearers.all(),
        "gradings": association.gradings.annotate(present=Count("members")),
        "grants": association.grants.select_related("round").order_by("-year"),
        "transitions": association.transitions.select_related("actor"),
        "document_form": DocumentForm(),
        "decides": request.membership.role_enum in APPROVING_ROLES,
        "today": timezone.localdate(),
        "criteria": grading.CRITERIA,
    }
    return render(request, "associations/detail.html", context)


@staff_view(PROGRAMME_ROLES, object_kwargs=("association_id",), methods=("POST",))
@require_POST
def document_upload(request: StaffRequest, association_id: str) -> HttpResponse:
    association = _association(request, association_id)
    form = DocumentForm(request.POST, request.FILES)

    def run(data: dict[str, Any]) -> AssociationDocument:
        upload = data["file"]
        # One byte over the limit is enough for the verb to refuse; a huge file is never read whole.
        content = upload.read(actions.MAX_DOCUMENT_BYTES + 1)
        return actions.upload_document(
            association=association,
            kind=data["kind"],
            file_name=upload.name,
            content=content,
            **_now(request),
        )

    return run_posted_form(request, form, run, _("Document added."), _association_url(association.pk))


@staff_view(PROGRAMME_ROLES, object_kwargs=("association_document_id",))
def document_download(request: StaffRequest, association_document_id: str) -> HttpResponse:
    document: AssociationDocument = get_visible_or_404(
        AssociationDocument.objects.select_related("association__org"),
        request.user,
        pk=association_document_id,
    )
    actions.record_document_download(document=document, **_now(request))
    response = HttpResponse(actions.document_bytes(document), content_type=document.content_type)
    extension = document.content_type.rsplit("/", 1)[-1]
    response["Content-Disposition"] = (
        f'attachment; filename="{document.kind.lower()}-{document.pk}.{extension}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@staff_view(APPROVING_ROLES, object_kwargs=("association_id",), methods=("POST",))
@require_POST
def association_approve(request: StaffRequest, association_id: str) -> HttpResponse:
    association = _association(request, association_id, "decide")
    return run_and_redirect(
        request,
        lambda: actions.approve_registration(association=association, **_now(request)),
        _("The association is registered."),
        _association_url(association.pk),
    )


@staff_view(APPROVING_ROLES, object_kwargs=("association_id",), methods=FORM)
@require_http_methods(FORM)
def association_refuse(request: StaffRequest, association_id: str) -> HttpResponse:
    association = _association(request, association_id, "decide")
    page = _page(
        _("The application is refused."),
        lambda _result: _association_url(association.pk),
        _("Refuse the application of %(name)s") % {"name": association.name},
        _association_url(association.pk),
    )
    return handle_form(
        request,
        ReasonForm(posted_data(request)),
        lambda data: actions.refuse_registration(
            association=association, reason=data["reason"], **_now(request)
        ),
        page,
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("registered_association_id",), methods=FORM)
@require_http_methods(FORM)
def association_renew(request: StaffRequest, registered_association_id: str) -> HttpResponse:
    association = _association(request, registered_association_id)
    page = _page(
        _("Registration renewed."),
        lambda _result: _association_url(association.pk),
        _("Renew the registration of %(name)s") % {"name": association.name},
        _association_url(association.pk),
    )
    return handle_form(
        request,
        RenewalForm(posted_data(request)),
        lambda data: actions.renew_registration(association=association, **data, **_now(request)),
        page,
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("association_id",), methods=FORM)
@require_http_methods(FORM)
def bearer_add(request: StaffRequest, association_id: str) -> HttpResponse:
    association = _association(request, association_id)
    page = _page(
        _("Office-bearer recorded."),
        lambda _result: _association_url(association.pk),
        _("Office-bearer of %(name)s") % {"name": association.name},
        _association_url(association.pk),
    )
    return handle_form(
        request,
        BearerForm(posted_data(request)),
        lambda data: actions.add_office_bearer(association=association, **data, **_now(request)),
        page,
    )


@staff_view(APPROVING_ROLES, object_kwargs=("registered_association_id",), methods=FORM)
@require_http_methods(FORM)
def grading_create(request: StaffRequest, registered_association_id: str) -> HttpResponse:
    association = _association(request, registered_association_id, "decide")
    form = GradingForm(posted_data(request))
    page = _page(
        _("Grading recorded."),
        lambda _result: _association_url(association.pk),
        _("Grading of %(name)s") % {"name": association.name},
        _association_url(association.pk),
    )
    return handle_form(
        request,
        form,
        lambda _data: actions.record_grading(
            association=association, **form.verb_arguments(), **_now(request)
        ),
        page,
    )


# --- grants --------------------------------------------------------------------------------------------


@staff_view(PROGRAMME_ROLES)
def grant_overview(request: StaffRequest) -> HttpResponse:
    """The schedule (amount per grade and year), the rounds, and the reports overdue."""
    context = {
        "schedule": GrantSchedule.objects.visible_to(request.user).order_by("-year", "grade"),
        "rounds": queries.rounds(request.user),
        "overdue": queries.overdue_reports(request.user, timezone.localdate())[:100],
    }
    return render(request, "associations/grants.html", context)


@staff_view(PROGRAMME_ROLES, methods=FORM)
@require_http_methods(FORM)
def schedule_set(request: StaffRequest) -> HttpResponse:
    page = _page(
        _("Grant amount saved."),
        lambda _r: reverse("associations:grants"),
        _("Grant per grade and year"),
        reverse("associations:grants"),
    )
    return handle_form(
        request,
        ScheduleForm(posted_data(request)),
        lambda data: grants.set_grant_amount(org=request.org, **data, **_now(request)),
        page,
    )


@staff_view(PROGRAMME_ROLES, methods=FORM)
@require_http_methods(FORM)
def round_create(request: StaffRequest) -> HttpResponse:
    page = _page(
        _("Grant round opened."),
        lambda grant_round: reverse("associations:round_detail", args=[grant_round.pk]),
        _("New grant round"),
        reverse("associations:grants"),
    )
    return handle_form(
        request,
        RoundForm(posted_data(request)),
        lambda data: grants.open_grant_round(org=request.org, **data, **_now(request)),
        page,
    )


def _round(request: StaffRequest, round_id: Any, action: str = "view") -> GrantRound:
    found: GrantRound = get_visible_or_404(GrantRound.objects.all(), request.user, action, pk=round_id)
    return found


@staff_view(PROGRAMME_ROLES, object_kwargs=("association_grant_round_id",))
def round_detail(request: StaffRequest, association_grant_round_id: str) -> HttpResponse:
    grant_round = _round(request, association_grant_round_id)
    context = {
        "round": grant_round,
        "page": page_of(request, queries.round_grants(grant_round)),
        "decides": request.membership.role_enum in APPROVING_ROLES,
        "today": timezone.localdate(),
    }
    return render(request, "associations/round.html", context)


@staff_view(PROGRAMME_ROLES, object_kwargs=("association_open_round_id",), methods=("POST",))
@require_POST
def round_allocate(request: StaffRequest, association_open_round_id: str) -> HttpResponse:
    grant_round = _round(request, association_open_round_id)
    return run_and_redirect(
        request,
        lambda: grants.allocate_grant_round(grant_round=grant_round, **_now(request)),
        _("Grants allocated to the eligible associations."),
        reverse("associations:round_detail", args=[grant_round.pk]),
    )


@staff_view(APPROVING_ROLES, object_kwargs=("association_grant_round_id",), methods=("POST",))
@require_POST
def round_approve(request: StaffRequest, association_grant_round_id: str) -> HttpResponse:
    grant_round = _round(request, association_grant_round_id, "decide")
    return run_and_redirect(
        request,
        lambda: grants.approve_grant_round(grant_round=grant_round, **_now(request)),
        _("Grant round approved: its grants may be disbursed."),
        reverse("associations:round_detail", args=[grant_round.pk]),
    )


def _grant(request: StaffRequest, grant_id: Any) -> Grant:
    found: Grant = get_visible_or_404(
        Grant.objects.select_related("association", "round"), request.user, pk=grant_id
    )
    return found


@staff_view(PROGRAMME_ROLES, object_kwargs=("association_grant_id",), methods=FORM)
@require_http_methods(FORM)
def grant_disburse(request: StaffRequest, association_grant_id: str) -> HttpResponse:
    grant = _grant(request, association_grant_id)
    back = reverse("associations:round_detail", args=[grant.round_id])
    page = _page(
        _("Disbursement recorded."),
        lambda _r: back,
        _("Disburse the grant to %(name)s") % {"name": grant.association.name},
        back,
    )
    return handle_form(
        request,
        DisburseForm(posted_data(request)),
        lambda data: grants.disburse_grant(grant=grant, **data, **_now(request)),
        page,
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("association_disbursed_grant_id",), methods=FORM)
@require_http_methods(FORM)
def grant_report(request: StaffRequest, association_disbursed_grant_id: str) -> HttpResponse:
    grant = _grant(request, association_disbursed_grant_id)
    back = reverse("associations:round_detail", args=[grant.round_id])
    title = _("Utilisation report of %(name)s") % {"name": grant.association.name}
    return handle_form(
        request,
        ReportForm(posted_data(request)),
        lambda data: grants.report_on_grant(grant=grant, **data, **_now(request)),
        _page(_("Report recorded."), lambda _r: back, title, back),
    )


# --- entrepreneurs -------------------------------------------------------------------------------------


@staff_view(PROGRAMME_ROLES)
def entrepreneur_list(request: StaffRequest) -> HttpResponse:
    """Trading names only: her own name is in her file, which is audited when opened."""
    rows = (
        queries.entrepreneurs(request.user).annotate(product_count=Count("products")).order_by("trading_name")
    )
    return render(request, "associations/entrepreneurs.html", {"page": page_of(request, rows)})


def _entrepreneur(request: StaffRequest, entrepreneur_id: Any) -> Entrepreneur:
    found: Entrepreneur = get_visible_or_404(
        Entrepreneur.objects.select_related("org", "person", "association", "area"),
        request.user,
        pk=entrepreneur_id,
    )
    return found


def _entrepreneur_url(entrepreneur_id: Any) -> str:
    return reverse("associations:entrepreneur_detail", args=[entrepreneur_id])


@staff_view(PROGRAMME_ROLES, methods=FORM)
@require_http_methods(FORM)
def entrepreneur_create(request: StaffRequest) -> HttpResponse:
    form = EntrepreneurForm(posted_data(request), org=request.org)

    def save(data: dict[str, Any]) -> Entrepreneur:
        beneficiary = None
        number = data.pop("registry_number")
        if number:
            beneficiary = Beneficiary.objects.visible_to(request.user).filter(registry_number=number).first()
            if beneficiary is None:
                raise ValidationError({"registry_number": _("No woman in the registry has this number.")})
        return marketing.register_entrepreneur(
            org=request.org, beneficiary=beneficiary, **data, **_now(request)
        )

    page = _page(
        _("Entrepreneur registered."),
        lambda entrepreneur: _entrepreneur_url(entrepreneur.pk),
        _("New entrepreneur"),
        reverse("associations:entrepreneurs"),
    )
    return handle_form(request, form, save, page)


@staff_view(PROGRAMME_ROLES, object_kwargs=("entrepreneur_id",))
def entrepreneur_detail(request: StaffRequest, entrepreneur_id: str) -> HttpResponse:
    entrepreneur = _entrepreneur(request, entrepreneur_id)
    marketing.record_entrepreneur_view(entrepreneur=entrepreneur, **_now(request))
    context = {
        "entrepreneur": entrepreneur,
        "products": entrepreneur.products.all(),
        "trainings": entrepreneur.trainings.all(),
        "allocations": entrepreneur.allocations.select_related("stall__centre"),
        "sales": entrepreneur.sales.select_related("centre"),
    }
    return render(request, "associations/entrepreneur.html", context)


def _entrepreneur_form(
    request: StaffRequest,
    entrepreneur_id: str,
    form_class: Any,
    verb: Any,
    message: str,
    title: str,
    **form_kwargs: Any,
) -> HttpResponse:
    entrepreneur = _entrepreneur(request, entrepreneur_id)
    url = _entrepreneur_url(entrepreneur.pk)
    return handle_form(
        request,
        form_class(posted_data(request), **form_kwargs),
        lambda data: verb(entrepreneur=entrepreneur, **data, **_now(request)),
        _page(message, lambda _r: url, title % {"name": entrepreneur.trading_name}, url),
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("entrepreneur_id",), methods=FORM)
@require_http_methods(FORM)
def product_add(request: StaffRequest, entrepreneur_id: str) -> HttpResponse:
    return _entrepreneur_form(
        request,
        entrepreneur_id,
        ProductForm,
        marketing.add_product,
        _("Product added."),
        _("A product of %(name)s"),
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("entrepreneur_id",), methods=FORM)
@require_http_methods(FORM)
def training_add(request: StaffRequest, entrepreneur_id: str) -> HttpResponse:
    return _entrepreneur_form(
        request,
        entrepreneur_id,
        TrainingForm,
        marketing.add_training,
        _("Training recorded."),
        _("A training completed by %(name)s"),
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("entrepreneur_id",), methods=FORM)
@require_http_methods(FORM)
def sales_add(request: StaffRequest, entrepreneur_id: str) -> HttpResponse:
    return _entrepreneur_form(
        request,
        entrepreneur_id,
        SalesForm,
        marketing.record_sales,
        _("Sales recorded."),
        _("Sales of %(name)s"),
        org=request.org,
    )


# --- centres and stalls --------------------------------------------------------------------------------


@staff_view(PROGRAMME_ROLES)
def centre_list(request: StaffRequest) -> HttpResponse:
    centres = (
        MarketingCentre.objects.visible_to(request.user)
        .select_related("area")
        .annotate(stall_count=Count("stalls"))
    )
    context = {"centres": centres, "totals": queries.sales_totals(request.user)[:24]}
    return render(request, "associations/centres.html", context)


@staff_view(PROGRAMME_ROLES, methods=FORM)
@require_http_methods(FORM)
def centre_create(request: StaffRequest) -> HttpResponse:
    page = _page(
        _("Centre added."),
        lambda centre: reverse("associations:centre_detail", args=[centre.pk]),
        _("New marketing centre"),
        reverse("associations:centres"),
    )
    return handle_form(
        request,
        CentreForm(posted_data(request), org=request.org),
        lambda data: marketing.create_centre(org=request.org, **data, **_now(request)),
        page,
    )


def _centre(request: StaffRequest, centre_id: Any) -> MarketingCentre:
    found: MarketingCentre = get_visible_or_404(
        MarketingCentre.objects.select_related("org"), request.user, pk=centre_id
    )
    return found


@staff_view(PROGRAMME_ROLES, object_kwargs=("marketing_centre_id",))
def centre_detail(request: StaffRequest, marketing_centre_id: str) -> HttpResponse:
    centre = _centre(request, marketing_centre_id)
    context = {
        "centre": centre,
        "stalls": centre.stalls.all(),
        "allocations": queries.centre_allocations(centre),
        "totals": queries.sales_totals(request.user, centre),
    }
    return render(request, "associations/centre.html", context)


@staff_view(PROGRAMME_ROLES, object_kwargs=("marketing_centre_id",), methods=FORM)
@require_http_methods(FORM)
def stall_add(request: StaffRequest, marketing_centre_id: str) -> HttpResponse:
    centre = _centre(request, marketing_centre_id)
    url = reverse("associations:centre_detail", args=[centre.pk])
    return handle_form(
        request,
        StallForm(posted_data(request)),
        lambda data: marketing.add_stall(centre=centre, **data, **_now(request)),
        _page(_("Stall added."), lambda _r: url, _("New stall at %(name)s") % {"name": centre.name}, url),
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("marketing_centre_id",), methods=FORM)
@require_http_methods(FORM)
def allocation_create(request: StaffRequest, marketing_centre_id: str) -> HttpResponse:
    centre = _centre(request, marketing_centre_id)
    url = reverse("associations:centre_detail", args=[centre.pk])
    return handle_form(
        request,
        AllocationForm(posted_data(request), centre=centre),
        lambda data: marketing.allocate_stall(**data, **_now(request)),
        _page(
            _("Stall allocated."),
            lambda _r: url,
            _("Allocate a stall at %(name)s") % {"name": centre.name},
            url,
        ),
    )


def _allocation(request: StaffRequest, allocation_id: Any) -> StallAllocation:
    found: StallAllocation = get_visible_or_404(
        StallAllocation.objects.select_related("stall__centre", "entrepreneur"),
        request.user,
        pk=allocation_id,
    )
    return found


@staff_view(PROGRAMME_ROLES, object_kwargs=("stall_allocation_id",), methods=FORM)
@require_http_methods(FORM)
def allocation_payment(request: StaffRequest, stall_allocation_id: str) -> HttpResponse:
    allocation = _allocation(request, stall_allocation_id)
    url = reverse("associations:centre_detail", args=[allocation.stall.centre_id])
    title = _("Rent for stall %(number)s") % {"number": allocation.stall.number}
    return handle_form(
        request,
        PaymentForm(posted_data(request)),
        lambda data: marketing.record_stall_payment(allocation=allocation, **data, **_now(request)),
        _page(_("Payment recorded."), lambda _r: url, title, url),
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=("stall_allocation_id",), methods=("POST",))
@require_POST
def allocation_cancel(request: StaffRequest, stall_allocation_id: str) -> HttpResponse:
    allocation = _allocation(request, stall_allocation_id)
    return run_and_redirect(
        request,
        lambda: marketing.cancel_allocation(allocation=allocation, **_now(request)),
        _("Allocation cancelled: the stall is free for its period."),
        reverse("associations:centre_detail", args=[allocation.stall.centre_id]),
    )


# --- statistics ----------------------------------------------------------------------------------------


@staff_view(PROGRAMME_ROLES)
def statistics(request: StaffRequest) -> HttpResponse:
    user = request.user
    context = {
        "associations": queries.associations_by_status_grade_area(user),
        "grants": queries.grants_disbursed_per_year(user),
        "sales": queries.entrepreneurs_and_sales_per_period(user),
        "entrepreneurs": queries.entrepreneur_counts(user),
        "statuses": dict(Association.Status.choices),
    }
    return render(request, "associations/statistics.html", context)
