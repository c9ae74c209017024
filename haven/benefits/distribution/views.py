"""Pages of in-kind distribution: the points and their stock, a cycle's allocation, the fast issue page
of the distribution day, closing a cycle at a point with its uncollected rations, and the figures.

Thin: parse, call one verb or query, render. Programme staff (`PROGRAMME_ROLES`) use them; adjusting
stock is for approving roles, who are recorded as the approver.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.benefits.distribution import actions, queries
from haven.benefits.distribution.forms import (
    AdjustForm,
    CardForm,
    IssueForm,
    LossForm,
    PointForm,
    ReceiveForm,
)
from haven.benefits.distribution.models import Closure, DistributionPoint, Issue, StockMovement
from haven.benefits.models import APPROVING_ROLES, PROGRAMME_ROLES, Cycle, Entitlement, Programme
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import (
    FormPage,
    add_verb_errors,
    handle_form,
    posted_data,
    run_and_redirect,
    run_posted_form,
)
from haven.web.paging import page_of

FORM_METHODS = ("GET", "POST")
POINT = ("distribution_point_id",)
CYCLE = ("distribution_cycle_id",)
POINT_CYCLE = ("distribution_point_id", "distribution_cycle_id")


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _point(request: StaffRequest, point_id: Any) -> DistributionPoint:
    point: DistributionPoint = get_visible_or_404(
        DistributionPoint.objects.select_related("org", "officer__user"), request.user, pk=point_id
    )
    return point


def _cycle(request: StaffRequest, cycle_id: Any) -> Cycle:
    cycle: Cycle = get_visible_or_404(
        Cycle.objects.select_related("org", "programme"), request.user, pk=cycle_id
    )
    return cycle


def _point_url(point: DistributionPoint) -> str:
    return reverse("distribution:point", args=[point.pk])


def _issue_url(point: DistributionPoint, cycle: Cycle) -> str:
    return reverse("distribution:issue", args=[point.pk, cycle.pk])


# --- points --------------------------------------------------------------------------------------------


@staff_view(PROGRAMME_ROLES)
def point_list(request: StaffRequest) -> HttpResponse:
    points = list(
        DistributionPoint.objects.visible_to(request.user)
        .select_related("officer__user")
        .prefetch_related("served_unions__union")
    )
    stock: dict[Any, list[queries.StockRow]] = {}
    for row in queries.stock_rows([p.pk for p in points]):
        stock.setdefault(row.point_id, []).append(row)
    rows = [(point, stock.get(point.pk, [])) for point in points]
    return render(
        request, "distribution/points.html", {"rows": rows, "units": queries.in_kind_items(request.org.pk)}
    )


def _save_point(request: StaffRequest, point: DistributionPoint | None) -> Any:
    def save(data: dict[str, Any]) -> DistributionPoint:
        unions = list(data.pop("unions"))
        if point is None:
            data.pop("is_active")
            return actions.create_point(org=request.org, unions=unions, **data, **_now(request))
        return actions.update_point(point=point, changes=data, unions=unions, **_now(request))

    return save


@staff_view(PROGRAMME_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def point_create(request: StaffRequest) -> HttpResponse:
    form = PointForm(posted_data(request), org=request.org)
    page = FormPage(
        "distribution/form.html",
        _("Distribution point set up."),
        _point_url,
        {"title": _("New distribution point")},
    )
    return handle_form(request, form, _save_point(request, None), page)


@staff_view(PROGRAMME_ROLES, object_kwargs=POINT, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def point_edit(request: StaffRequest, distribution_point_id: str) -> HttpResponse:
    point = _point(request, distribution_point_id)
    initial = {name: getattr(point, name) for name in actions.POINT_FIELDS}
    initial["unions"] = queries.served_union_ids(point)
    form = PointForm(posted_data(request), initial=initial, org=request.org)
    context = {"title": _("Change a distribution point"), "point": point}
    page = FormPage("distribution/form.html", _("Saved."), _point_url, context)
    return handle_form(request, form, _save_point(request, point), page)


@staff_view(PROGRAMME_ROLES, object_kwargs=POINT)
def point_detail(request: StaffRequest, distribution_point_id: str) -> HttpResponse:
    """The point's stock by item, its ledger, the stock forms, and the cycles to issue or close."""
    point = _point(request, distribution_point_id)
    movements = StockMovement.objects.filter(point=point).select_related(
        "cycle", "recorded_by", "approved_by"
    )
    closed = set(Closure.objects.filter(point=point).values_list("cycle_id", flat=True))
    cycles = queries.in_kind_cycles(request.user).filter(status=Cycle.Status.APPROVED)[:12]
    items = queries.in_kind_items(request.org.pk)
    context = {
        "point": point,
        "unions": point.served_unions.select_related("union"),
        "stock": queries.stock_rows([point.pk]),
        "units": items,
        "page": page_of(request, movements),
        "cycles": [(cycle, cycle.pk in closed) for cycle in cycles],
        "receive_form": ReceiveForm(items=items),
        "loss_form": LossForm(items=items),
        "adjust_form": AdjustForm(items=items),
        "can_adjust": request.membership.role_enum in APPROVING_ROLES,
    }
    return render(request, "distribution/point.html", context)


def _stock_post(request: StaffRequest, point_id: str, form_class: type, verb: Any, done: str) -> HttpResponse:
    point = _point(request, point_id)
    form = form_class(request.POST, items=queries.in_kind_items(request.org.pk))
    return run_posted_form(
        request, form, lambda data: verb(point=point, **data, **_now(request)), done, _point_url(point)
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=POINT, methods=("POST",))
@require_POST
def stock_receive(request: StaffRequest, distribution_point_id: str) -> HttpResponse:
    return _stock_post(
        request, distribution_point_id, ReceiveForm, actions.receive_stock, _("Stock received.")
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=POINT, methods=("POST",))
@require_POST
def stock_loss(request: StaffRequest, distribution_point_id: str) -> HttpResponse:
    return _stock_post(request, distribution_point_id, LossForm, actions.record_loss, _("Loss recorded."))


@staff_view(APPROVING_ROLES, object_kwargs=POINT, methods=("POST",))
@require_POST
def stock_adjust(request: StaffRequest, distribution_point_id: str) -> HttpResponse:
    return _stock_post(
        request, distribution_point_id, AdjustForm, actions.adjust_stock, _("Adjustment recorded.")
    )


# --- cycles --------------------------------------------------------------------------------------------


@staff_view(PROGRAMME_ROLES)
def cycle_list(request: StaffRequest) -> HttpResponse:
    return render(
        request, "distribution/cycles.html", {"page": page_of(request, queries.in_kind_cycles(request.user))}
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=CYCLE)
def cycle_detail(request: StaffRequest, distribution_cycle_id: str) -> HttpResponse:
    """What the cycle needs at each point against stock (the approval check's view), and how its
    distribution is going, point by point and union by union."""
    cycle = _cycle(request, distribution_cycle_id)
    plan = queries.allocation_plan(cycle)
    context = {
        "cycle": cycle,
        "plan": plan,
        "problems": queries.stock_problems(plan),
        "by_point": queries.figures_by_point(cycle),
        "by_union": queries.figures_by_union(cycle),
        "unit": cycle.programme.unit,
    }
    return render(request, "distribution/cycle.html", context)


@staff_view(PROGRAMME_ROLES, object_kwargs=CYCLE, methods=("POST",))
@require_POST
def cycle_allocate(request: StaffRequest, distribution_cycle_id: str) -> HttpResponse:
    cycle = _cycle(request, distribution_cycle_id)
    url = reverse("distribution:cycle", args=[cycle.pk])
    return run_and_redirect(
        request, lambda: actions.allocate_cycle(cycle=cycle, **_now(request)), _("Stock allocated."), url
    )


# --- the distribution day ------------------------------------------------------------------------------


def _day_counts(point: DistributionPoint, cycle: Cycle) -> dict[str, int]:
    counts = queries.owed(queries.entitlements_at(point, cycle)).values("status").order_by()
    by_status = {row["status"]: row["n"] for row in counts.annotate(n=Count("pk"))}
    return {
        "issued": by_status.get(Entitlement.Status.ISSUED, 0),
        "due": by_status.get(Entitlement.Status.DUE, 0),
    }


def _proxy(data: dict[str, Any]) -> actions.Proxy | None:
    if not data["by_proxy"]:
        return None
    return actions.Proxy(
        name=data["proxy_name"], relationship=data["proxy_relationship"], id_checked=data["proxy_id_checked"]
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=POINT_CYCLE, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def issue(request: StaffRequest, distribution_point_id: str, distribution_cycle_id: str) -> HttpResponse:
    """The fast page of the distribution day: type the card number, see what is due, confirm.

    Two posts: the card alone looks the ration up (audited: her name is shown), the confirmation issues
    it and comes back here with the card field empty and focused for the next woman in the queue.
    """
    point, cycle = _point(request, distribution_point_id), _cycle(request, distribution_cycle_id)
    card_form, issue_form, ration = CardForm(), None, None
    status = 200
    if request.method == "POST" and "confirm" in request.POST:
        issue_form = IssueForm(request.POST)
        if issue_form.is_valid():
            data = issue_form.cleaned_data
            try:
                done = actions.issue_ration(
                    point=point,
                    cycle=cycle,
                    card_number=data["card_number"],
                    proxy=_proxy(data),
                    **_now(request),
                )
            except ValidationError as exc:
                add_verb_errors(issue_form, exc)
            else:
                messages.success(request, _issued_message(done, cycle))
                return HttpResponseRedirect(_issue_url(point, cycle))
        status = 422
        ration = _ration_or_none(request, point, cycle, issue_form.data.get("card_number", ""))
    elif request.method == "POST":
        card_form = CardForm(request.POST)
        if card_form.is_valid():
            try:
                ration = actions.find_ration(
                    point=point,
                    cycle=cycle,
                    card_number=card_form.cleaned_data["card_number"],
                    **_now(request),
                )
            except ValidationError as exc:
                add_verb_errors(card_form, exc)
            else:
                issue_form = IssueForm(initial={"card_number": ration.enrolment.card_number})
        status = 200 if ration is not None else 422
    context = {
        "point": point,
        "cycle": cycle,
        "card_form": card_form,
        "issue_form": issue_form,
        "ration": ration,
        "counts": _day_counts(point, cycle),
        "closed": Closure.objects.filter(point=point, cycle=cycle).first(),
    }
    return render(request, "distribution/issue.html", context, status=status)


def _ration_or_none(
    request: StaffRequest, point: DistributionPoint, cycle: Cycle, card: str
) -> actions.Ration | None:
    try:
        return actions.find_ration(point=point, cycle=cycle, card_number=card, **_now(request))
    except ValidationError:
        return None


def _issued_message(done: Issue, cycle: Cycle) -> str:
    return _("Issued %(quantity)s of %(item)s for card %(card)s.") % {
        "quantity": queries.quantity_text(done.movement.quantity, cycle.programme.unit),
        "item": done.movement.item,
        "card": done.entitlement.enrolment.card_number,
    }


@staff_view(PROGRAMME_ROLES, object_kwargs=POINT_CYCLE, methods=("POST",))
@require_POST
def close(request: StaffRequest, distribution_point_id: str, distribution_cycle_id: str) -> HttpResponse:
    point, cycle = _point(request, distribution_point_id), _cycle(request, distribution_cycle_id)
    url = reverse("distribution:uncollected", args=[point.pk, cycle.pk])
    return run_and_redirect(
        request,
        lambda: actions.close_distribution(point=point, cycle=cycle, **_now(request)),
        _("Distribution closed; the rations not collected are listed below."),
        url,
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=POINT_CYCLE)
def uncollected(
    request: StaffRequest, distribution_point_id: str, distribution_cycle_id: str
) -> HttpResponse:
    point, cycle = _point(request, distribution_point_id), _cycle(request, distribution_cycle_id)
    context = {
        "point": point,
        "cycle": cycle,
        "closure": Closure.objects.filter(point=point, cycle=cycle).select_related("closed_by").first(),
        "by_union": queries.uncollected_by_union(point, cycle),
        "page": page_of(request, queries.uncollected_cards(point, cycle)),
        "unit": cycle.programme.unit,
    }
    return render(request, "distribution/uncollected.html", context)


@staff_view(PROGRAMME_ROLES)
def figures(request: StaffRequest) -> HttpResponse:
    """Quantities distributed against allocated and the uncollected rate, cycle by cycle."""
    programmes = Programme.objects.visible_to(request.user).filter(benefit_kind=Programme.BenefitKind.IN_KIND)
    rows = [(programme, queries.figures_by_cycle(programme)) for programme in programmes]
    return render(request, "distribution/figures.html", {"rows": rows})
