"""Verbs for women entrepreneurs (Joyeeta-style marketing support): the entrepreneur registry, trainings
completed, products, marketing centres and their stalls, stall allocations with their rent, payments and
the sales reported per month.

A stall is never given to two entrepreneurs for overlapping periods: `allocate_stall` locks the stall's
row, then looks for an active allocation that overlaps, so two officers allocating the same stall at the
same moment are served one after the other and the second is refused.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from haven.associations.actions import check_amount, check_not_future, check_text, local_date
from haven.associations.models import (
    Association,
    Entrepreneur,
    MarketingCentre,
    Product,
    SalesReport,
    Stall,
    StallAllocation,
    StallPayment,
    TrainingCompleted,
)
from haven.benefits.models import Beneficiary
from haven.orgs.models import Area, Organisation
from haven.orgs.validation import refused_if_taken
from haven.people.actions import register_person
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

ENTREPRENEUR_REGISTER = audit.register_action("entrepreneur.register", "An entrepreneur was registered")
ENTREPRENEUR_VIEW = audit.register_action("entrepreneur.view", "An entrepreneur's file was read", read=True)
TRAINING_ADD = audit.register_action("entrepreneur.training", "A completed training was recorded")
PRODUCT_ADD = audit.register_action("entrepreneur.product", "A product was added")
CENTRE_CREATE = audit.register_action("marketing_centre.create", "A marketing centre was added")
STALL_ADD = audit.register_action("stall.add", "A stall was added")
STALL_ALLOCATE = audit.register_action("stall.allocate", "A stall was allocated")
STALL_RELEASE = audit.register_action("stall.cancel", "A stall allocation was cancelled")
STALL_PAYMENT = audit.register_action("stall.payment", "Rent for a stall was paid")
SALES_REPORT = audit.register_action("entrepreneur.sales", "Sales were reported")


def _area_of(org: Organisation, area: Area) -> Area:
    if area.org_id != org.pk:
        raise ValidationError({"area": _("Choose one of your organisation's areas.")})
    return area


def register_entrepreneur(
    *,
    org: Organisation,
    trading_name: str,
    area: Area,
    registered_on: date,
    beneficiary: Beneficiary | None = None,
    name: str = "",
    phone: str = "",
    association: Association | None = None,
    acting_user: User | None,
    at: datetime,
) -> Entrepreneur:
    """Register a woman as an entrepreneur: from her registry entry (`beneficiary`), or by name (and
    phone) when she has none, which registers her as a person. Once per woman; her association, when
    given, is a registered one."""
    trading_name = check_text(trading_name, "trading_name", 200, required=True)
    registered_on = check_not_future(registered_on, "registered_on", at)
    _area_of(org, area)
    if beneficiary is None and not str(name or "").strip():
        raise ValidationError({"name": _("Give her name, or choose her registry entry.")})
    if beneficiary is not None and beneficiary.org_id != org.pk:
        raise ValidationError({"beneficiary": _("Choose a woman of your organisation's registry.")})
    if association is not None and (
        association.org_id != org.pk or association.status != Association.Status.REGISTERED
    ):
        raise ValidationError({"association": _("Choose a registered association.")})
    registered = _("She is already registered as an entrepreneur.")
    if (
        beneficiary is not None
        and Entrepreneur.objects.filter(org=org, person_id=beneficiary.person_id).exists()
    ):
        raise ValidationError({"beneficiary": registered})
    with transaction.atomic():
        if beneficiary is not None:
            person = beneficiary.person
        else:
            details = {"phone": phone.strip()} if phone and phone.strip() else {}
            person = register_person(
                org=org, name=check_text(name, "name", 200), acting_user=acting_user, at=at, **details
            )
        with refused_if_taken("beneficiary", registered):
            entrepreneur = Entrepreneur.objects.create(
                org=org,
                person=person,
                beneficiary=beneficiary,
                association=association,
                area=area,
                trading_name=trading_name,
                registered_on=registered_on,
                created_at=at,
            )
        audit.record(action=ENTREPRENEUR_REGISTER, actor=acting_user, org=org, obj=entrepreneur, at=at)
    return entrepreneur


def record_entrepreneur_view(*, entrepreneur: Entrepreneur, acting_user: User | None, at: datetime) -> None:
    audit.record(action=ENTREPRENEUR_VIEW, actor=acting_user, org=entrepreneur.org, obj=entrepreneur, at=at)


def add_training(
    *,
    entrepreneur: Entrepreneur,
    course: str,
    completed_on: date,
    provider: str = "",
    certificate_number: str = "",
    acting_user: User | None,
    at: datetime,
) -> TrainingCompleted:
    training = TrainingCompleted(
        org_id=entrepreneur.org_id,
        entrepreneur=entrepreneur,
        course=check_text(course, "course", 200, required=True),
        provider=check_text(provider, "provider", 200),
        completed_on=check_not_future(completed_on, "completed_on", at),
        certificate_number=check_text(certificate_number, "certificate_number", 60),
    )
    with transaction.atomic():
        training.save()
        audit.record(action=TRAINING_ADD, actor=acting_user, org=entrepreneur.org, obj=training, at=at)
    return training


def add_product(
    *,
    entrepreneur: Entrepreneur,
    category: str,
    description: str,
    price_min: Any,
    price_max: Any,
    acting_user: User | None,
    at: datetime,
) -> Product:
    """A product she sells, with its price range (lowest to highest, both positive)."""
    if category not in Product.Category.values:
        raise ValidationError({"category": _("Choose the kind of product.")})
    low, high = check_amount(price_min, "price_min"), check_amount(price_max, "price_max")
    if high < low:
        raise ValidationError({"price_max": _("The highest price is below the lowest: check the range.")})
    product = Product(
        org_id=entrepreneur.org_id,
        entrepreneur=entrepreneur,
        category=category,
        description=check_text(description, "description", 300, required=True),
        price_min=low,
        price_max=high,
    )
    with transaction.atomic():
        product.save()
        audit.record(action=PRODUCT_ADD, actor=acting_user, org=entrepreneur.org, obj=product, at=at)
    return product


def create_centre(
    *, org: Organisation, name: str, area: Area, address: str = "", acting_user: User | None, at: datetime
) -> MarketingCentre:
    name = check_text(name, "name", 200, required=True)
    taken = _("A centre with this name exists already.")
    if MarketingCentre.objects.filter(org=org, name=name).exists():
        raise ValidationError({"name": taken})
    centre = MarketingCentre(
        org=org,
        name=name,
        area=_area_of(org, area),
        address=check_text(address, "address", 500),
        created_at=at,
    )
    with transaction.atomic():
        with refused_if_taken("name", taken):
            centre.save()
        audit.record(action=CENTRE_CREATE, actor=acting_user, org=org, obj=centre, at=at)
    return centre


def add_stall(
    *, centre: MarketingCentre, number: str, monthly_rent: Any, acting_user: User | None, at: datetime
) -> Stall:
    number = check_text(number, "number", 20, required=True)
    taken = _("This centre has a stall with this number already.")
    if centre.stalls.filter(number=number).exists():
        raise ValidationError({"number": taken})
    stall = Stall(
        org_id=centre.org_id,
        centre=centre,
        number=number,
        monthly_rent=check_amount(monthly_rent, "monthly_rent", allow_zero=True),
    )
    with transaction.atomic():
        with refused_if_taken("number", taken):
            stall.save()
        audit.record(action=STALL_ADD, actor=acting_user, org=centre.org, obj=stall, at=at)
    return stall


def months_in(starts_on: date, ends_on: date) -> int:
    """Calendar months touched by the period, both ends included (1 March to 15 April: two)."""
    return (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month + 1


def allocate_stall(
    *,
    stall: Stall,
    entrepreneur: Entrepreneur,
    starts_on: date,
    ends_on: date,
    rent: Any = None,
    acting_user: User | None,
    at: datetime,
) -> StallAllocation:
    """Give the stall to the entrepreneur from `starts_on` to `ends_on` (both included). The rent is the
    stall's monthly rent for each month touched unless another amount is agreed. Refused when the stall
    is given to someone for any day of the period."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The period ends before it starts.")})
    if entrepreneur.org_id != stall.org_id or not entrepreneur.is_active:
        raise ValidationError({"entrepreneur": _("Choose an active entrepreneur of your organisation.")})
    # The stall's rent for a long period can be more than an amount may be: refused like a typed one.
    amount = check_amount(
        stall.monthly_rent * months_in(starts_on, ends_on) if rent is None or rent == "" else rent,
        "rent",
        allow_zero=True,
    )
    with transaction.atomic():
        locked: Stall = Stall.objects.select_for_update().select_related("centre__org").get(pk=stall.pk)
        taken = locked.allocations.filter(
            status=StallAllocation.Status.ACTIVE, starts_on__lte=ends_on, ends_on__gte=starts_on
        ).first()
        if taken is not None:
            raise ValidationError(
                {
                    "starts_on": _(
                        "Stall %(number)s is already given to someone from %(start)s to %(end)s: "
                        "choose another stall or period."
                    )
                    % {"number": locked.number, "start": taken.starts_on, "end": taken.ends_on}
                }
            )
        allocation = StallAllocation.objects.create(
            org_id=locked.org_id,
            stall=locked,
            entrepreneur=entrepreneur,
            starts_on=starts_on,
            ends_on=ends_on,
            rent=amount,
            allocated_at=at,
            allocated_by=acting_user,
        )
        audit.record(action=STALL_ALLOCATE, actor=acting_user, org=locked.centre.org, obj=allocation, at=at)
    return allocation


def cancel_allocation(
    *, allocation: StallAllocation, acting_user: User | None, at: datetime
) -> StallAllocation:
    """Free the stall for the allocation's period; the row, and any rent paid on it, stay."""
    with transaction.atomic():
        Stall.objects.select_for_update().get(pk=allocation.stall_id)  # same lock order as allocating
        locked: StallAllocation = StallAllocation.objects.select_related("stall__centre__org").get(
            pk=allocation.pk
        )
        if locked.status != StallAllocation.Status.ACTIVE:
            raise ValidationError({"status": _("This allocation is already cancelled.")})
        locked.status = StallAllocation.Status.CANCELLED
        locked.save(update_fields=["status"])
        audit.record(
            action=STALL_RELEASE,
            actor=acting_user,
            org=locked.stall.centre.org,
            obj=locked,
            at=at,
            fields=["status"],
        )
    return locked


def paid_on_allocation(allocation: StallAllocation) -> Decimal:
    total = allocation.payments.aggregate(total=Sum("amount"))["total"]
    return Decimal(total or 0)


def record_stall_payment(
    *,
    allocation: StallAllocation,
    amount: Any,
    paid_on: date,
    receipt_number: str,
    acting_user: User | None,
    at: datetime,
) -> StallPayment:
    """Rent paid on an allocation, never more than is still due."""
    value = check_amount(amount, "amount")
    receipt_number = check_text(receipt_number, "receipt_number", 40, required=True)
    paid_on = check_not_future(paid_on, "paid_on", at)
    with transaction.atomic():
        locked: StallAllocation = (
            StallAllocation.objects.select_for_update()
            .select_related("stall__centre__org")
            .get(pk=allocation.pk)
        )
        if locked.status != StallAllocation.Status.ACTIVE:
            raise ValidationError({"amount": _("This allocation is cancelled: no rent is due on it.")})
        due = locked.rent - paid_on_allocation(locked)
        if value > due:
            raise ValidationError(
                {"amount": _("This is more than the rent still due (%(due)s).") % {"due": due}}
            )
        if StallPayment.objects.filter(org_id=locked.org_id, receipt_number=receipt_number).exists():
            raise ValidationError({"receipt_number": _("This receipt number was already recorded.")})
        payment = StallPayment(
            org_id=locked.org_id,
            allocation=locked,
            amount=value,
            paid_on=paid_on,
            receipt_number=receipt_number,
            recorded_at=at,
        )
        with refused_if_taken("receipt_number", _("This receipt number was already recorded.")):
            payment.save()
        audit.record(action=STALL_PAYMENT, actor=acting_user, org=locked.stall.centre.org, obj=payment, at=at)
    return payment


def record_sales(
    *,
    entrepreneur: Entrepreneur,
    centre: MarketingCentre,
    period: date,
    amount: Any,
    items_sold: int,
    acting_user: User | None,
    at: datetime,
) -> SalesReport:
    """What she sold in a month at a centre. `period` is any day of the month; once per month and centre
    (correct a report by asking an administrator, not by reporting twice)."""
    if centre.org_id != entrepreneur.org_id:
        raise ValidationError({"centre": _("Choose one of your organisation's centres.")})
    if period is None:
        raise ValidationError({"period": _("This field is required.")})
    month = period.replace(day=1)
    if month > local_date(at).replace(day=1):
        raise ValidationError({"period": _("Sales are reported for a month that has begun.")})
    if not isinstance(items_sold, int) or isinstance(items_sold, bool) or items_sold < 0:
        raise ValidationError({"items_sold": _("Enter the number of items sold (0 or more).")})
    report = SalesReport(
        org_id=entrepreneur.org_id,
        entrepreneur=entrepreneur,
        centre=centre,
        period=month,
        amount=check_amount(amount, "amount", allow_zero=True),
        items_sold=items_sold,
        recorded_at=at,
    )
    refusal = ValidationError({"period": _("Her sales at this centre for this month are already reported.")})
    if SalesReport.objects.filter(entrepreneur=entrepreneur, centre=centre, period=month).exists():
        raise refusal
    try:
        with transaction.atomic():
            report.save()
            audit.record(action=SALES_REPORT, actor=acting_user, org=entrepreneur.org, obj=report, at=at)
    except IntegrityError:
        raise refusal from None
    return report
