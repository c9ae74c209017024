"""Verbs of in-kind distribution: set up a point, record stock received, lost or adjusted, allocate a
cycle, issue a ration against a card, close a cycle's distribution at a point.

Each verb checks its input before it writes and writes in one transaction with its audit entry (field
names only). A refusal is a `ValidationError` keyed by the field at fault, with a sentence saying what to
do instead; nothing is written when one is raised.

Locks, always in this order: the point row, then the entitlement row. Every verb that moves stock at a
point locks the point first, so two clerks at one point issue one after the other and the stock they
check is the stock they leave; locking the entitlement then makes the second of two clerks scanning the
same card see it issued. The unique `Issue.entitlement` is the last line of defence (SQLite has no row
locks): a violation that slips through becomes the same refusal, never a server error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, ExpressionWrapper, Subquery
from django.utils.translation import gettext as _

from haven.benefits.cycles import month_label
from haven.benefits.distribution import queries
from haven.benefits.distribution.models import (
    QUANTITY_DIGITS,
    QUANTITY_PLACES,
    Closure,
    DistributionPoint,
    Issue,
    ServedUnion,
    StockMovement,
)
from haven.benefits.models import Cycle, Enrolment, Entitlement, Programme
from haven.orgs.models import Area, Membership, Organisation
from haven.orgs.validation import refused_if_taken
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

POINT_CREATE = audit.register_action("distribution_point.create", "A distribution point was set up")
POINT_CHANGE = audit.register_action("distribution_point.change", "A distribution point's details changed")
STOCK_RECEIVE = audit.register_action("stock.receive", "Stock was received at a distribution point")
STOCK_LOSS = audit.register_action("stock.loss", "Stock was recorded lost at a distribution point")
STOCK_ADJUST = audit.register_action("stock.adjust", "A distribution point's stock was adjusted")
CYCLE_ALLOCATE = audit.register_action("distribution.allocate", "Stock was allocated to a cycle")
RATION_LOOKUP = audit.register_action(
    "distribution.lookup", "A card was looked up to issue its ration (her name shown)", read=True
)
RATION_ISSUE = audit.register_action("distribution.issue", "A ration was issued against a card")
DISTRIBUTION_CLOSE = audit.register_action(
    "distribution.close", "Distribution of a cycle ended at a point; what was due is uncollected"
)

POINT_FIELDS = ("name", "place", "dealer_name", "dealer_phone", "officer", "is_active")
NAME_MAX = 200
PLACE_MAX = 300
PHONE_MAX = 40
REASON_MAX = 300
REFERENCE_MAX = 100
CARD_MAX = 30
ENDED_BEFORE_CYCLE = "ended_before_cycle"
"""Annotated on the enrolment a card names: the one rule of exits (`Enrolment.ended_before`), asked of
the cycle's month in the same query."""
Kind = StockMovement.Kind


# --- checks --------------------------------------------------------------------------------------------


def _text(value: Any, field: str, limit: int, *, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("This text is too long (at most %(max)s characters).") % {"max": limit}}
        )
    return text


def check_quantity(value: Any, field: str = "quantity", *, signed: bool = False) -> Decimal:
    """A number of units with at most two decimals; more than zero (or, `signed`, anything but zero)."""
    try:
        quantity = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a quantity, such as 30 or 12.5.")}) from None
    if not quantity.is_finite() or (quantity == 0 if signed else quantity <= 0):
        message = (
            _("Enter a quantity other than zero.") if signed else _("The quantity must be more than zero.")
        )
        raise ValidationError({field: message})
    exponent = quantity.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > QUANTITY_PLACES:
        raise ValidationError({field: _("Give the quantity with at most two decimals.")})
    if abs(quantity) >= Decimal(10) ** (QUANTITY_DIGITS - QUANTITY_PLACES):
        raise ValidationError({field: _("This quantity is too large.")})
    return quantity.quantize(Decimal("0.01"))


def check_item(org_id: Any, item: Any) -> str:
    """An item one of the organisation's in-kind programmes hands out ("rice")."""
    items = queries.in_kind_items(org_id)
    text = str(item or "").strip()
    if text not in items:
        known = ", ".join(items) or _("none yet")
        raise ValidationError(
            {"item": _("Choose an item an in-kind programme hands out (%(items)s).") % {"items": known}}
        )
    return text


def _check_unions(org: Organisation, unions: Iterable[Area], point: DistributionPoint | None) -> list[Area]:
    chosen = list({union.pk: union for union in unions}.values())
    if not chosen:
        raise ValidationError({"unions": _("Choose at least one union this point serves.")})
    for union in chosen:
        if union.org_id != org.pk or union.level != Area.Level.LOCALITY:
            raise ValidationError(
                {"unions": _("%(area)s is not a union of this organisation.") % {"area": union}}
            )
    taken = ServedUnion.objects.filter(union__in=chosen).select_related("point", "union")
    if point is not None:
        taken = taken.exclude(point=point)
    clash = taken.first()
    if clash is not None:
        raise ValidationError(
            {
                "unions": _("%(union)s is already served by %(point)s: a union collects at one point.")
                % {"union": clash.union.name, "point": clash.point.name}
            }
        )
    return chosen


def _check_point(point: DistributionPoint) -> None:
    point.name = _text(point.name, "name", NAME_MAX, required=True)
    point.place = _text(point.place, "place", PLACE_MAX)
    point.dealer_name = _text(point.dealer_name, "dealer_name", NAME_MAX)
    point.dealer_phone = _text(point.dealer_phone, "dealer_phone", PHONE_MAX)
    officer: Membership | None = point.officer
    if officer is not None and (officer.org_id != point.org_id or not officer.is_active):
        raise ValidationError({"officer": _("Choose a member of this organisation's staff.")})
    same_name = DistributionPoint.objects.filter(org_id=point.org_id, name=point.name).exclude(pk=point.pk)
    if same_name.exists():
        raise ValidationError({"name": _("Another distribution point already has this name.")})


# --- points --------------------------------------------------------------------------------------------


def _serve(point: DistributionPoint, unions: list[Area]) -> None:
    ServedUnion.objects.filter(point=point).exclude(union__in=unions).delete()
    kept = set(ServedUnion.objects.filter(point=point).values_list("union_id", flat=True))
    ServedUnion.objects.bulk_create(
        [ServedUnion(org_id=point.org_id, point=point, union=u) for u in unions if u.pk not in kept]
    )


def create_point(
    *,
    org: Organisation,
    name: str,
    unions: Iterable[Area],
    place: str = "",
    dealer_name: str = "",
    dealer_phone: str = "",
    officer: Membership | None = None,
    acting_user: User | None,
    at: datetime,
) -> DistributionPoint:
    """Set up a distribution point serving `unions`; each union collects at one point only."""
    point = DistributionPoint(
        org=org,
        name=name,
        place=place,
        dealer_name=dealer_name,
        dealer_phone=dealer_phone,
        officer=officer,
        created_at=at,
    )
    _check_point(point)
    chosen = _check_unions(org, unions, None)
    # A union may be taken by another point between the check and the write.
    with refused_if_taken("unions", _("One of these unions was just given to another point.")):
        point.save()
        _serve(point, chosen)
        audit.record(action=POINT_CREATE, actor=acting_user, org=org, obj=point, at=at)
    return point


def update_point(
    *,
    point: DistributionPoint,
    changes: dict[str, Any],
    unions: Iterable[Area] | None = None,
    acting_user: User | None,
    at: datetime,
) -> DistributionPoint:
    """Change any of `POINT_FIELDS`, and the unions served when `unions` is given."""
    unknown = set(changes) - set(POINT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed here.")})
    before = {name: getattr(point, name) for name in POINT_FIELDS}
    for name, value in changes.items():
        setattr(point, name, value)
    try:
        _check_point(point)
        chosen = _check_unions(point.org, unions, point) if unions is not None else None
    except ValidationError:
        for name, value in before.items():
            setattr(point, name, value)
        raise
    changed = audit.changed_fields(before, {name: getattr(point, name) for name in POINT_FIELDS})
    if chosen is not None and {u.pk for u in chosen} != set(queries.served_union_ids(point)):
        changed.append("unions")
    if changed:
        with transaction.atomic():
            point.save()
            if chosen is not None:
                _serve(point, chosen)
            audit.record(
                action=POINT_CHANGE, actor=acting_user, org=point.org, obj=point, at=at, fields=changed
            )
    return point


# --- stock ---------------------------------------------------------------------------------------------


def _lock(point: DistributionPoint) -> DistributionPoint:
    locked: DistributionPoint = DistributionPoint.objects.select_for_update().get(pk=point.pk)
    return locked


def _left(point: DistributionPoint, item: str) -> Decimal:
    return queries.on_hand([point.pk], item).get((point.pk, item), queries.ZERO)


def _refuse_beyond_stock(point: DistributionPoint, item: str, quantity: Decimal, field: str) -> None:
    left = _left(point, item)
    if quantity > left:
        raise ValidationError(
            {
                field: _("Only %(left)s of %(item)s is on hand at %(point)s; %(quantity)s cannot leave it.")
                % {
                    "left": queries.quantity_text(left),
                    "item": item,
                    "point": point.name,
                    "quantity": queries.quantity_text(quantity),
                }
            }
        )


def _refuse_beyond_available(point: DistributionPoint, cycle: Cycle, entitlement: Entitlement) -> None:
    """A ration leaves what the point can give its cycle (`queries.PointNeed.available`): the stock on
    hand less what other cycles still hold there. Their women are counted on it; the cycle's own
    allocation is in what is left, so its rations never wait for their own reservation."""
    held = queries.reserved([point.pk], except_cycle=cycle).get((point.pk, entitlement.item), queries.ZERO)
    if not held:
        return  # nothing set aside: the stock on hand, already checked, is all hers to take
    available = _left(point, entitlement.item) - held
    if entitlement.quantity > available:
        raise ValidationError(
            {
                "card_number": _(
                    "Only %(available)s of %(item)s at %(point)s is not held for the rations of other "
                    "months; %(quantity)s cannot be issued for %(month)s."
                )
                % {
                    "available": queries.quantity_text(max(available, queries.ZERO)),
                    "item": entitlement.item,
                    "point": point.name,
                    "quantity": queries.quantity_text(entitlement.quantity),
                    "month": month_label(cycle.month),
                }
            }
        )


def _movement(
    point: DistributionPoint, kind: str, item: str, quantity: Decimal, change: Decimal, **fields: Any
) -> StockMovement:
    movement = StockMovement(
        org_id=point.org_id, point=point, kind=kind, item=item, quantity=quantity, change=change, **fields
    )
    movement.save()
    return movement


def receive_stock(
    *,
    point: DistributionPoint,
    item: str,
    quantity: Any,
    reference: str = "",
    acting_user: User | None,
    at: datetime,
) -> StockMovement:
    """Stock delivered to the point (a delivery order from the food department, say)."""
    item = check_item(point.org_id, item)
    amount = check_quantity(quantity)
    reference = _text(reference, "reference", REFERENCE_MAX)
    with transaction.atomic():
        point = _lock(point)
        movement = _movement(
            point,
            Kind.RECEIVED,
            item,
            amount,
            amount,
            reference=reference,
            recorded_at=at,
            recorded_by=acting_user,
        )
        audit.record(action=STOCK_RECEIVE, actor=acting_user, org=point.org, obj=movement, at=at)
    return movement


def record_loss(
    *,
    point: DistributionPoint,
    item: str,
    quantity: Any,
    reason: str,
    acting_user: User | None,
    at: datetime,
) -> StockMovement:
    """Stock that left the store without being issued (spoilt, stolen, damaged): with the reason."""
    item = check_item(point.org_id, item)
    amount = check_quantity(quantity)
    reason = _text(reason, "reason", REASON_MAX, required=True)
    with transaction.atomic():
        point = _lock(point)
        _refuse_beyond_stock(point, item, amount, "quantity")
        movement = _movement(
            point, Kind.LOST, item, amount, -amount, reason=reason, recorded_at=at, recorded_by=acting_user
        )
        audit.record(action=STOCK_LOSS, actor=acting_user, org=point.org, obj=movement, at=at)
    return movement


def adjust_stock(
    *,
    point: DistributionPoint,
    item: str,
    change: Any,
    reason: str,
    acting_user: User | None,
    at: datetime,
) -> StockMovement:
    """Correct the ledger after a count or a mistake: `change` is added (or, negative, taken away).

    The acting user approves it and is recorded as the approver; the pages and the API let only
    approving roles call this.
    """
    item = check_item(point.org_id, item)
    amount = check_quantity(change, "change", signed=True)
    reason = _text(reason, "reason", REASON_MAX, required=True)
    if acting_user is None:
        raise ValidationError({"change": _("An adjustment needs an officer who approves it.")})
    with transaction.atomic():
        point = _lock(point)
        if amount < 0:
            _refuse_beyond_stock(point, item, -amount, "change")
        movement = _movement(
            point,
            Kind.ADJUSTED,
            item,
            abs(amount),
            amount,
            reason=reason,
            recorded_at=at,
            recorded_by=acting_user,
            approved_by=acting_user,
        )
        audit.record(action=STOCK_ADJUST, actor=acting_user, org=point.org, obj=movement, at=at)
    return movement


# --- allocation ----------------------------------------------------------------------------------------


def _check_in_kind(cycle: Cycle) -> None:
    if cycle.programme.benefit_kind != Programme.BenefitKind.IN_KIND:
        raise ValidationError({"cycle": _("This programme pays cash: it has no rations to distribute.")})


def allocate_cycle(*, cycle: Cycle, acting_user: User | None, at: datetime) -> list[StockMovement]:
    """Reserve at each point the stock the cycle's rations need there (ALLOCATED rows).

    For a cycle whose entitlements are generated or approved. Refused, with every shortfall named, when a
    point has not enough, or when rations are due in a union no point serves. Running it again adds only
    what a point's need grew by since (nothing, usually).
    """
    _check_in_kind(cycle)
    if cycle.status not in (Cycle.Status.GENERATED, Cycle.Status.APPROVED):
        raise ValidationError(
            {"cycle": _("Allocate stock once the cycle's entitlements are generated, and before it closes.")}
        )
    with transaction.atomic():
        point_ids = sorted(
            str(pk)
            for pk in ServedUnion.objects.filter(org_id=cycle.org_id)
            .values_list("point_id", flat=True)
            .distinct()
        )
        list(DistributionPoint.objects.select_for_update().filter(pk__in=point_ids).order_by("pk"))
        plan = queries.allocation_plan(cycle)
        problems = queries.stock_problems(plan)
        if problems:
            raise ValidationError({"cycle": problems})
        movements = [
            StockMovement(
                org_id=cycle.org_id,
                point=need.point,
                item=need.item,
                kind=Kind.ALLOCATED,
                quantity=need.to_allocate,
                change=queries.ZERO,
                cycle=cycle,
                recorded_at=at,
                recorded_by=acting_user,
            )
            for need in plan.needs
            if need.to_allocate > 0
        ]
        StockMovement.objects.bulk_create(movements)
        if movements:
            audit.record(action=CYCLE_ALLOCATE, actor=acting_user, org=cycle.org, obj=cycle, at=at)
    return movements


# --- issuing -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ration:
    """What a card is due at a point in a cycle, found before it is handed over."""

    entitlement: Entitlement
    enrolment: Enrolment
    unit: str


def normalise_card(card_number: Any) -> str:
    return "".join(str(card_number or "").split()).upper()


def _check_can_issue(point: DistributionPoint, cycle: Cycle) -> None:
    _check_in_kind(cycle)
    if not point.is_active:
        raise ValidationError(
            {"point": _("%(point)s is not active: rations are not issued there.") % {"point": point.name}}
        )
    if cycle.status != Cycle.Status.APPROVED:
        raise ValidationError(
            {
                "cycle": _("The cycle of %(month)s is not approved: its rations cannot be issued.")
                % {"month": f"{cycle.month:%Y-%m}"}
            }
        )
    closure = Closure.objects.filter(point=point, cycle=cycle).first()
    if closure is not None:
        raise ValidationError(
            {
                "cycle": _("Distribution of %(month)s at %(point)s is closed.")
                % {"month": f"{cycle.month:%Y-%m}", "point": point.name}
            }
        )


def _enrolment_for(point: DistributionPoint, cycle: Cycle, card: str) -> Enrolment:
    if not card:
        raise ValidationError({"card_number": _("Enter the number on her card.")})
    if len(card) > CARD_MAX:
        raise ValidationError(
            {"card_number": _("A card number has at most %(max)s characters.") % {"max": CARD_MAX}}
        )
    ended = ExpressionWrapper(Enrolment.ended_before(cycle.month), output_field=BooleanField())
    enrolment: Enrolment | None = (
        Enrolment.objects.filter(org_id=cycle.org_id, programme_id=cycle.programme_id, card_number=card)
        .select_related("area", "beneficiary__person")
        .annotate(**{ENDED_BEFORE_CYCLE: ended})
        .first()
    )
    if enrolment is None:
        raise ValidationError(
            {
                "card_number": _("There is no card %(card)s in %(programme)s. Check the number on the card.")
                % {"card": card, "programme": cycle.programme.name}
            }
        )
    if enrolment.area_id not in queries.served_union_ids(point):
        raise ValidationError(
            {
                "card_number": _("Card %(card)s belongs to %(union)s, which does not collect at %(point)s.")
                % {"card": card, "union": enrolment.area.name, "point": point.name}
            }
        )
    if getattr(enrolment, ENDED_BEFORE_CYCLE):
        # Her ration of a cycle approved before she exited stays DUE (see `benefits.actions`), but from
        # the month after she exited she is due nothing: it is stopped here.
        raise ValidationError(
            {
                "card_number": _("Card %(card)s: her enrolment ended before %(month)s; she is due nothing.")
                % {"card": card, "month": month_label(cycle.month)}
            }
        )
    return enrolment


def _refuse_not_due(entitlement: Entitlement | None, card: str, cycle: Cycle) -> None:
    month = f"{cycle.month:%Y-%m}"
    if entitlement is None:
        message = _("Card %(card)s has no ration in %(month)s: she was not enrolled for that month.")
    elif entitlement.status == Entitlement.Status.ISSUED:
        message = _("The ration of card %(card)s for %(month)s was already issued.")
    elif entitlement.status == Entitlement.Status.UNCOLLECTED:
        message = _("The ration of card %(card)s for %(month)s was not collected in time and is closed.")
    elif entitlement.status != Entitlement.Status.DUE:
        message = _("The ration of card %(card)s for %(month)s was cancelled.")
    else:
        return
    raise ValidationError({"card_number": message % {"card": card, "month": month}})


def _entitlement(cycle: Cycle, enrolment: Enrolment, *, lock: bool) -> Entitlement | None:
    rows = Entitlement.objects.filter(cycle=cycle, enrolment=enrolment, item=cycle.programme.item)
    found: Entitlement | None = (rows.select_for_update() if lock else rows).first()
    return found


def find_ration(
    *, point: DistributionPoint, cycle: Cycle, card_number: Any, acting_user: User | None, at: datetime
) -> Ration:
    """What the card is due here this cycle, or the reason nothing can be issued. Showing it reveals who
    holds the card (her name is on the page), so the look-up is audited."""
    _check_can_issue(point, cycle)
    card = normalise_card(card_number)
    enrolment = _enrolment_for(point, cycle, card)
    entitlement = _entitlement(cycle, enrolment, lock=False)
    _refuse_not_due(entitlement, card, cycle)
    assert entitlement is not None
    audit.record(action=RATION_LOOKUP, actor=acting_user, org=cycle.org, obj=enrolment, at=at)
    return Ration(entitlement=entitlement, enrolment=enrolment, unit=cycle.programme.unit)


@dataclass(frozen=True)
class Proxy:
    """Who collected the ration for her: name (encrypted), relationship, whether their ID was seen."""

    name: str
    relationship: str
    id_checked: bool


def _check_proxy(proxy: Proxy | None) -> Proxy | None:
    if proxy is None:
        return None
    name = _text(proxy.name, "proxy_name", NAME_MAX, required=True)
    if proxy.relationship not in Issue.Relationship.values:
        raise ValidationError({"proxy_relationship": _("Say how the person collecting is related to her.")})
    return Proxy(name=name, relationship=proxy.relationship, id_checked=bool(proxy.id_checked))


def issue_ration(
    *,
    point: DistributionPoint,
    cycle: Cycle,
    card_number: Any,
    proxy: Proxy | None = None,
    acting_user: User | None,
    at: datetime,
) -> Issue:
    """Hand over the ration the card is due this cycle, to her or to her `proxy`.

    Refused, with the reason, for an unknown card, a card of a union this point does not serve, a ration
    already issued or no longer due, a cycle not approved or closed here, or too little stock (on hand,
    or left once other cycles' reservations here are set aside). The
    entitlement becomes ISSUED and an ISSUED movement leaves the stock, together.
    """
    proxy = _check_proxy(proxy)
    card = normalise_card(card_number)
    try:
        with transaction.atomic():
            point = _lock(point)
            _check_can_issue(point, cycle)
            enrolment = _enrolment_for(point, cycle, card)
            entitlement = _entitlement(cycle, enrolment, lock=True)
            _refuse_not_due(entitlement, card, cycle)
            assert entitlement is not None
            return _hand_over(point, cycle, entitlement, proxy, acting_user, at)
    except IntegrityError:
        # Only reachable without row locks (SQLite): another clerk's issue of this ration committed first.
        message = _("The ration of card %(card)s for %(month)s was already issued.")
        raise ValidationError(
            {"card_number": message % {"card": card, "month": month_label(cycle.month)}}
        ) from None


def _hand_over(
    point: DistributionPoint,
    cycle: Cycle,
    entitlement: Entitlement,
    proxy: Proxy | None,
    acting_user: User | None,
    at: datetime,
) -> Issue:
    _refuse_beyond_stock(point, entitlement.item, entitlement.quantity, "card_number")
    _refuse_beyond_available(point, cycle, entitlement)
    movement = _movement(
        point,
        Kind.ISSUED,
        entitlement.item,
        entitlement.quantity,
        -entitlement.quantity,
        cycle=cycle,
        recorded_at=at,
        recorded_by=acting_user,
    )
    issue = Issue.objects.create(
        org_id=point.org_id,
        entitlement=entitlement,
        point=point,
        cycle=cycle,
        movement=movement,
        by_proxy=proxy is not None,
        proxy_name=proxy.name if proxy else "",
        proxy_relationship=proxy.relationship if proxy else "",
        proxy_id_checked=proxy.id_checked if proxy else False,
        issued_at=at,
        issued_by=acting_user,
    )
    Entitlement.objects.filter(pk=entitlement.pk).update(status=Entitlement.Status.ISSUED)
    entitlement.status = Entitlement.Status.ISSUED
    fields = ["proxy_name", "proxy_relationship", "proxy_id_checked"] if proxy else []
    audit.record(action=RATION_ISSUE, actor=acting_user, org=point.org, obj=issue, at=at, fields=fields)
    return issue


# --- closing -------------------------------------------------------------------------------------------


def close_distribution(
    *, point: DistributionPoint, cycle: Cycle, acting_user: User | None, at: datetime
) -> Closure:
    """End the cycle's distribution at the point: every ration still due in the unions it serves becomes
    UNCOLLECTED (one UPDATE), except those her exit stopped, and the stock the cycle held there is free
    again."""
    _check_in_kind(cycle)
    if cycle.status not in (Cycle.Status.APPROVED, Cycle.Status.CLOSED):
        raise ValidationError({"cycle": _("Only an approved cycle's distribution can be closed.")})
    with transaction.atomic():
        point = _lock(point)
        if Closure.objects.filter(point=point, cycle=cycle).exists():
            raise ValidationError(
                {
                    "cycle": _("Distribution of %(month)s at %(point)s is already closed.")
                    % {"month": f"{cycle.month:%Y-%m}", "point": point.name}
                }
            )
        unions = ServedUnion.objects.filter(point=point).values("union_id")
        still_due = Entitlement.objects.filter(
            cycle=cycle, status=Entitlement.Status.DUE, enrolment__area_id__in=Subquery(unions)
        )
        # A ration her exit stopped was never hers to collect: it stays DUE, not chased as uncollected.
        marked = queries.owed(still_due).update(status=Entitlement.Status.UNCOLLECTED)
        closure = Closure.objects.create(
            org_id=point.org_id,
            point=point,
            cycle=cycle,
            uncollected_count=marked,
            closed_at=at,
            closed_by=acting_user,
        )
        audit.record(action=DISTRIBUTION_CLOSE, actor=acting_user, org=point.org, obj=closure, at=at)
    return closure
