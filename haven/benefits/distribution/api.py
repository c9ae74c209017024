"""API for in-kind distribution: points, their stock and ledger, a cycle's allocation, looking a card up
and issuing its ration (to her or a proxy), closing a cycle at a point, uncollected rations, figures.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Quantities are JSON strings ("30.00") in answers; requests may send numbers or strings. A card number is
sent in a POST body, never in a URL. Bad input is a 422 with the verb's sentence, field by field.
"""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from haven.benefits.distribution import actions, queries
from haven.benefits.distribution.models import DistributionPoint, Issue, StockMovement
from haven.benefits.models import APPROVING_ROLES, PROGRAMME_ROLES, Cycle, Programme
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.orgs.models import Area, Membership
from haven.web.openapi import SchemaName

ProxyRelationship = Annotated[Issue.Relationship, SchemaName("ProxyRelationship")]


router = Router(tags=["distribution"])

POINT = ("distribution_point_id",)
CYCLE = ("distribution_cycle_id",)
POINT_CYCLE = ("distribution_point_id", "distribution_cycle_id")


# --- schemas -------------------------------------------------------------------------------------------


class PointIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    union_ids: list[uuid.UUID] = Field(min_length=1, description="The unions (area level 5) it serves")
    place: str = Field("", max_length=300)
    dealer_name: str = Field("", max_length=200)
    dealer_phone: str = Field("", max_length=40)
    officer_id: int | None = Field(None, description="The membership of the officer in charge")


class PointPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    union_ids: list[uuid.UUID] | None = Field(None, min_length=1)
    place: str | None = Field(None, max_length=300)
    dealer_name: str | None = Field(None, max_length=200)
    dealer_phone: str | None = Field(None, max_length=40)
    officer_id: int | None = None
    is_active: bool | None = None


class UnionOut(Schema):
    id: uuid.UUID
    name: str


class StockOut(Schema):
    item: str
    received: Decimal
    issued: Decimal
    lost: Decimal
    adjusted: Decimal
    on_hand: Decimal
    reserved: Decimal
    free: Decimal


class PointOut(Schema):
    id: uuid.UUID
    name: str
    place: str
    dealer_name: str
    dealer_phone: str
    officer_id: int | None
    is_active: bool
    unions: list[UnionOut]
    stock: list[StockOut]


class ReceiveIn(Schema):
    item: str = Field(max_length=40)
    quantity: Decimal
    reference: str = Field("", max_length=100)


class LossIn(Schema):
    item: str = Field(max_length=40)
    quantity: Decimal
    reason: str = Field(min_length=1, max_length=300)


class AdjustIn(Schema):
    item: str = Field(max_length=40)
    change: Decimal = Field(description="Added to the stock; negative to take away")
    reason: str = Field(min_length=1, max_length=300)


class MovementOut(Schema):
    id: int
    kind: str
    item: str
    quantity: Decimal
    change: Decimal
    cycle_id: uuid.UUID | None
    reason: str
    reference: str
    recorded_at: datetime
    recorded_by_id: int | None
    approved_by_id: int | None


class CardIn(Schema):
    cycle_id: uuid.UUID
    card_number: str = Field(min_length=1, max_length=30)


class ProxyIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    relationship: ProxyRelationship
    id_checked: bool = False


class IssueIn(CardIn):
    proxy: ProxyIn | None = Field(None, description="Who collected it, when not she herself")


class RationOut(Schema):
    card_number: str
    name: str
    union: str
    item: str
    quantity: Decimal
    unit: str


class IssueOut(Schema):
    id: uuid.UUID
    card_number: str
    cycle_id: uuid.UUID
    item: str
    quantity: Decimal
    by_proxy: bool
    proxy_relationship: str
    proxy_id_checked: bool
    issued_at: datetime


class DistributionCycleIn(Schema):
    cycle_id: uuid.UUID


class ClosureOut(Schema):
    id: uuid.UUID
    point_id: uuid.UUID
    cycle_id: uuid.UUID
    uncollected_count: int
    closed_at: datetime


class UnionCountOut(Schema):
    union_id: uuid.UUID
    union: str
    item: str
    count: int
    quantity: Decimal


class UncollectedOut(Schema):
    closed: bool
    by_union: list[UnionCountOut]


class NeedOut(Schema):
    point_id: uuid.UUID
    point: str
    item: str
    due: Decimal
    due_count: int
    issued: Decimal
    allocated: Decimal
    available: Decimal
    shortfall: Decimal


class UnservedOut(Schema):
    union_id: uuid.UUID
    union: str
    due: Decimal
    due_count: int


class DistributionPlanOut(Schema):
    cycle_id: uuid.UUID
    needs: list[NeedOut]
    unserved: list[UnservedOut]
    problems: list[str]


class DistributionFigureOut(Schema):
    key: str
    label: str
    item: str
    allocated: Decimal | None
    entitled: Decimal
    entitled_count: int
    issued: Decimal
    issued_count: int
    uncollected: Decimal
    uncollected_count: int
    uncollected_rate: float | None


class CycleFiguresOut(Schema):
    by_point: list[DistributionFigureOut]
    by_union: list[DistributionFigureOut]


class ProgrammeFiguresOut(Schema):
    programme_id: uuid.UUID
    programme: str
    unit: str
    cycles: list[DistributionFigureOut]


# --- helpers -------------------------------------------------------------------------------------------


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _point(request: StaffRequest, point_id: uuid.UUID) -> DistributionPoint:
    point: DistributionPoint = get_visible_or_404(
        DistributionPoint.objects.select_related("org"), request.user, pk=point_id
    )
    return point


def _cycle(request: StaffRequest, cycle_id: uuid.UUID) -> Cycle:
    cycle: Cycle = get_visible_or_404(
        Cycle.objects.select_related("org", "programme"), request.user, pk=cycle_id
    )
    return cycle


def _unions(request: StaffRequest, ids: list[uuid.UUID]) -> list[Area]:
    """The areas named, of the acting organisation; one that is not there is left for the verb to refuse."""
    found = list(Area.objects.visible_to(request.user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"union_ids": _("One of these unions does not exist in this organisation.")})
    return found


def _officer(request: StaffRequest, officer_id: int | None) -> Membership | None:
    if officer_id is None:
        return None
    officer: Membership | None = Membership.objects.filter(org=request.org, pk=officer_id).first()
    if officer is None:
        raise ValidationError({"officer_id": _("Choose a member of this organisation's staff.")})
    return officer


def _stock_out(row: queries.StockRow) -> StockOut:
    return StockOut(
        item=row.item,
        received=row.received,
        issued=row.issued,
        lost=row.lost,
        adjusted=row.adjusted,
        on_hand=row.on_hand,
        reserved=row.reserved,
        free=row.free,
    )


def _point_out(point: DistributionPoint) -> PointOut:
    links = point.served_unions.select_related("union").order_by("union__name")
    return PointOut(
        id=point.pk,
        name=point.name,
        place=point.place,
        dealer_name=point.dealer_name,
        dealer_phone=point.dealer_phone,
        officer_id=point.officer_id,
        is_active=point.is_active,
        unions=[UnionOut(id=link.union_id, name=link.union.name) for link in links],
        stock=[_stock_out(row) for row in queries.stock_rows([point.pk])],
    )


def _movement_out(movement: StockMovement) -> MovementOut:
    return MovementOut(
        id=movement.pk,
        kind=movement.kind,
        item=movement.item,
        quantity=movement.quantity,
        change=movement.change,
        cycle_id=movement.cycle_id,
        reason=movement.reason,
        reference=movement.reference,
        recorded_at=movement.recorded_at,
        recorded_by_id=movement.recorded_by_id,
        approved_by_id=movement.approved_by_id,
    )


def _figure_out(figure: queries.Figures) -> DistributionFigureOut:
    return DistributionFigureOut(
        key=str(figure.key),
        label=figure.label,
        item=figure.item,
        allocated=figure.allocated,
        entitled=figure.entitled,
        entitled_count=figure.entitled_count,
        issued=figure.issued,
        issued_count=figure.issued_count,
        uncollected=figure.uncollected,
        uncollected_count=figure.uncollected_count,
        uncollected_rate=figure.uncollected_rate,
    )


def _plan_out(cycle: Cycle) -> DistributionPlanOut:
    plan = queries.allocation_plan(cycle)
    needs = [
        NeedOut(
            point_id=need.point.pk,
            point=need.point.name,
            item=need.item,
            due=need.due,
            due_count=need.due_count,
            issued=need.issued,
            allocated=need.allocated,
            available=need.available,
            shortfall=need.shortfall,
        )
        for need in plan.needs
    ]
    unserved = [
        UnservedOut(union_id=u.union_id, union=u.union_name, due=u.due, due_count=u.due_count)
        for u in plan.unserved
    ]
    return DistributionPlanOut(
        cycle_id=cycle.pk, needs=needs, unserved=unserved, problems=queries.stock_problems(plan)
    )


# --- points --------------------------------------------------------------------------------------------


@router.get("/distribution-points", response=list[PointOut], summary="Distribution points and their stock")
@api_access(PROGRAMME_ROLES)
def list_points(request: StaffRequest) -> list[PointOut]:
    return [_point_out(point) for point in DistributionPoint.objects.visible_to(request.user)]


@router.post("/distribution-points", response={201: PointOut}, summary="Set up a distribution point")
@api_access(PROGRAMME_ROLES)
def create_point(request: StaffRequest, payload: PointIn) -> Status[PointOut]:
    point = actions.create_point(
        org=request.org,
        name=payload.name,
        unions=_unions(request, payload.union_ids),
        place=payload.place,
        dealer_name=payload.dealer_name,
        dealer_phone=payload.dealer_phone,
        officer=_officer(request, payload.officer_id),
        **_now(request),
    )
    return Status(201, _point_out(point))


@router.get(
    "/distribution-points/{distribution_point_id}", response=PointOut, summary="One point and its stock"
)
@api_access(PROGRAMME_ROLES, object_kwargs=POINT)
def get_point(request: StaffRequest, distribution_point_id: uuid.UUID) -> PointOut:
    return _point_out(_point(request, distribution_point_id))


@router.patch("/distribution-points/{distribution_point_id}", response=PointOut, summary="Change a point")
@api_access(PROGRAMME_ROLES, object_kwargs=POINT)
def update_point(request: StaffRequest, distribution_point_id: uuid.UUID, payload: PointPatch) -> PointOut:
    point = _point(request, distribution_point_id)
    sent = payload.dict(exclude_unset=True)
    changes = {k: v for k, v in sent.items() if k in actions.POINT_FIELDS and v is not None}
    if "officer_id" in sent:
        changes["officer"] = _officer(request, payload.officer_id)
    unions = _unions(request, payload.union_ids) if payload.union_ids is not None else None
    actions.update_point(point=point, changes=changes, unions=unions, **_now(request))
    return _point_out(point)


# --- stock ---------------------------------------------------------------------------------------------


@router.get(
    "/distribution-points/{distribution_point_id}/movements",
    response=list[MovementOut],
    summary="The point's stock ledger, newest first (the last 500 lines)",
)
@api_access(PROGRAMME_ROLES, object_kwargs=POINT)
def list_movements(request: StaffRequest, distribution_point_id: uuid.UUID) -> list[MovementOut]:
    point = _point(request, distribution_point_id)
    return [_movement_out(m) for m in StockMovement.objects.filter(point=point)[:500]]


@router.post(
    "/distribution-points/{distribution_point_id}/stock/received",
    response={201: MovementOut},
    summary="Record stock received",
)
@api_access(PROGRAMME_ROLES, object_kwargs=POINT)
def receive_stock(
    request: StaffRequest, distribution_point_id: uuid.UUID, payload: ReceiveIn
) -> Status[MovementOut]:
    point = _point(request, distribution_point_id)
    movement = actions.receive_stock(point=point, **payload.dict(), **_now(request))
    return Status(201, _movement_out(movement))


@router.post(
    "/distribution-points/{distribution_point_id}/stock/lost",
    response={201: MovementOut},
    summary="Record stock lost, with the reason",
)
@api_access(PROGRAMME_ROLES, object_kwargs=POINT)
def record_loss(
    request: StaffRequest, distribution_point_id: uuid.UUID, payload: LossIn
) -> Status[MovementOut]:
    point = _point(request, distribution_point_id)
    movement = actions.record_loss(point=point, **payload.dict(), **_now(request))
    return Status(201, _movement_out(movement))


@router.post(
    "/distribution-points/{distribution_point_id}/stock/adjustments",
    response={201: MovementOut},
    summary="Adjust stock after a count; the caller approves it",
)
@api_access(APPROVING_ROLES, object_kwargs=POINT)
def adjust_stock(
    request: StaffRequest, distribution_point_id: uuid.UUID, payload: AdjustIn
) -> Status[MovementOut]:
    point = _point(request, distribution_point_id)
    movement = actions.adjust_stock(point=point, **payload.dict(), **_now(request))
    return Status(201, _movement_out(movement))


# --- issuing and closing -------------------------------------------------------------------------------


@router.post(
    "/distribution-points/{distribution_point_id}/ration-lookup",
    response=RationOut,
    summary="What a card is due here in a cycle (audited: it shows her name)",
)
@api_access(PROGRAMME_ROLES, object_kwargs=POINT)
def look_up_ration(request: StaffRequest, distribution_point_id: uuid.UUID, payload: CardIn) -> RationOut:
    point, cycle = _point(request, distribution_point_id), _cycle(request, payload.cycle_id)
    ration = actions.find_ration(point=point, cycle=cycle, card_number=payload.card_number, **_now(request))
    return RationOut(
        card_number=ration.enrolment.card_number,
        name=ration.enrolment.beneficiary.person.name,
        union=ration.enrolment.area.name,
        item=ration.entitlement.item,
        quantity=ration.entitlement.quantity,
        unit=ration.unit,
    )


@router.post(
    "/distribution-points/{distribution_point_id}/issues",
    response={201: IssueOut},
    summary="Issue the ration due on a card, to her or her proxy",
)
@api_access(PROGRAMME_ROLES, object_kwargs=POINT)
def issue_ration(
    request: StaffRequest, distribution_point_id: uuid.UUID, payload: IssueIn
) -> Status[IssueOut]:
    point, cycle = _point(request, distribution_point_id), _cycle(request, payload.cycle_id)
    proxy = None
    if payload.proxy is not None:
        proxy = actions.Proxy(
            name=payload.proxy.name,
            relationship=payload.proxy.relationship,
            id_checked=payload.proxy.id_checked,
        )
    issue = actions.issue_ration(
        point=point, cycle=cycle, card_number=payload.card_number, proxy=proxy, **_now(request)
    )
    return Status(
        201,
        IssueOut(
            id=issue.pk,
            card_number=actions.normalise_card(payload.card_number),
            cycle_id=cycle.pk,
            item=issue.movement.item,
            quantity=issue.movement.quantity,
            by_proxy=issue.by_proxy,
            proxy_relationship=issue.proxy_relationship,
            proxy_id_checked=issue.proxy_id_checked,
            issued_at=issue.issued_at,
        ),
    )


@router.post(
    "/distribution-points/{distribution_point_id}/closures",
    response={201: ClosureOut},
    summary="Close a cycle's distribution here: what is still due becomes uncollected",
)
@api_access(PROGRAMME_ROLES, object_kwargs=POINT)
def close_distribution(
    request: StaffRequest, distribution_point_id: uuid.UUID, payload: DistributionCycleIn
) -> Status[ClosureOut]:
    point, cycle = _point(request, distribution_point_id), _cycle(request, payload.cycle_id)
    closure = actions.close_distribution(point=point, cycle=cycle, **_now(request))
    return Status(
        201,
        ClosureOut(
            id=closure.pk,
            point_id=point.pk,
            cycle_id=cycle.pk,
            uncollected_count=closure.uncollected_count,
            closed_at=closure.closed_at,
        ),
    )


@router.get(
    "/distribution-points/{distribution_point_id}/cycles/{distribution_cycle_id}/uncollected",
    response=UncollectedOut,
    summary="Rations not collected at the point in a cycle, by union",
)
@api_access(PROGRAMME_ROLES, object_kwargs=POINT_CYCLE)
def uncollected(
    request: StaffRequest, distribution_point_id: uuid.UUID, distribution_cycle_id: uuid.UUID
) -> UncollectedOut:
    point, cycle = _point(request, distribution_point_id), _cycle(request, distribution_cycle_id)
    rows = queries.uncollected_by_union(point, cycle)
    return UncollectedOut(
        closed=point.closures.filter(cycle=cycle).exists(),
        by_union=[
            UnionCountOut(
                union_id=r.union_id, union=r.union_name, item=r.item, count=r.count, quantity=r.quantity
            )
            for r in rows
        ],
    )


# --- cycles and figures --------------------------------------------------------------------------------


@router.get(
    "/distribution/cycles/{distribution_cycle_id}/allocation",
    response=DistributionPlanOut,
    summary="What the cycle needs at each point against stock, and what stops its approval",
)
@api_access(PROGRAMME_ROLES, object_kwargs=CYCLE)
def get_allocation(request: StaffRequest, distribution_cycle_id: uuid.UUID) -> DistributionPlanOut:
    return _plan_out(_cycle(request, distribution_cycle_id))


@router.post(
    "/distribution/cycles/{distribution_cycle_id}/allocation",
    response=DistributionPlanOut,
    summary="Allocate (reserve) at each point the stock the cycle needs",
)
@api_access(PROGRAMME_ROLES, object_kwargs=CYCLE)
def allocate(request: StaffRequest, distribution_cycle_id: uuid.UUID) -> DistributionPlanOut:
    cycle = _cycle(request, distribution_cycle_id)
    actions.allocate_cycle(cycle=cycle, **_now(request))
    return _plan_out(cycle)


@router.get(
    "/distribution/cycles/{distribution_cycle_id}/figures",
    response=CycleFiguresOut,
    summary="A cycle's distribution by point and by union",
)
@api_access(PROGRAMME_ROLES, object_kwargs=CYCLE)
def cycle_figures(request: StaffRequest, distribution_cycle_id: uuid.UUID) -> CycleFiguresOut:
    cycle = _cycle(request, distribution_cycle_id)
    return CycleFiguresOut(
        by_point=[_figure_out(f) for f in queries.figures_by_point(cycle)],
        by_union=[_figure_out(f) for f in queries.figures_by_union(cycle)],
    )


@router.get(
    "/distribution/figures",
    response=list[ProgrammeFiguresOut],
    summary="Distributed against allocated and the uncollected rate, cycle by cycle",
)
@api_access(PROGRAMME_ROLES)
def figures(request: StaffRequest) -> list[ProgrammeFiguresOut]:
    programmes = Programme.objects.visible_to(request.user).filter(benefit_kind=Programme.BenefitKind.IN_KIND)
    return [
        ProgrammeFiguresOut(
            programme_id=p.pk,
            programme=p.name,
            unit=p.unit,
            cycles=[_figure_out(f) for f in queries.figures_by_cycle(p)],
        )
        for p in programmes
    ]
