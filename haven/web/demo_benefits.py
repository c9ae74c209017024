"""Demo social-protection programmes of the Bangladesh district office (the seed is the Department of
Women Affairs): VWB (30 kg of rice a month for 24 months) and the Mother & child benefit (Tk 800 a month
for 36 months to her mobile wallet), forty women of Ashulia union in the registry, their enrolments with
card numbers, and for each programme last month's cycle generated and approved and this month's open.

All names, phone numbers and ID numbers are invented. Other demos find the programmes by their short
names "vwb" and "mcb". Called from `demo.load_demo` for an organisation it has just created; the other
demo organisations get none.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from haven.benefits import actions, cycles
from haven.benefits.models import Beneficiary, Programme
from haven.orgs.models import Area, Organisation
from haven.people.actions import register_person

UNION = "আশুলিয়া ইউনিয়ন"
_GIVEN = (
    "রোকেয়া",
    "শাহানা",
    "নাসরিন",
    "ফাতেমা",
    "মরিয়ম",
    "সুমাইয়া",
    "রাশিদা",
    "হালিমা",
    "জোহরা",
    "আছিয়া",
)
_FAMILY = ("খাতুন", "বেগম", "আক্তার", "পারভীন")
_MARITAL = ("WIDOWED", "MARRIED", "ABANDONED", "DIVORCED", "MARRIED")
_WALLETS = ("BKASH", "NAGAD", "ROCKET")
WOMEN = 40
IN_VWB = 28  # the first 28; the other 12 are mothers in the Mother & child benefit


def load_demo_benefits(org: Organisation, at: datetime) -> None:
    if org.country != "BD":
        return
    union = Area.objects.filter(org=org, name=UNION).first()
    if union is None:
        return
    vwb, mcb = _programmes(org, at)
    today = timezone.localdate(at)
    first_month = cycles.add_months(cycles.month_start(today), -3)
    for n in range(WOMEN):
        woman = _beneficiary(org, union, n, at)
        programme, prefix = (vwb, "VWB") if n < IN_VWB else (mcb, "MCB")
        actions.enrol(
            programme=programme,
            beneficiary=woman,
            card_number=f"{prefix}-ASH-{n + 1:04d}",
            starts_on=first_month,
            acting_user=None,
            at=at,
        )
    for programme in (vwb, mcb):
        _cycles(programme, cycles.month_start(today), at)


def _programmes(org: Organisation, at: datetime) -> tuple[Programme, Programme]:
    vwb = actions.create_programme(
        org=org,
        code="vwb",
        name="দুস্থ মহিলা সহায়তা কর্মসূচি (ভিডব্লিউবি)",
        benefit_kind=Programme.BenefitKind.IN_KIND,
        target_level=Programme.TargetLevel.PERSON,
        duration_months=24,
        item="rice",
        quantity_per_cycle=Decimal("30"),
        unit="kg",
        acting_user=None,
        at=at,
    )
    mcb = actions.create_programme(
        org=org,
        code="mcb",
        name="মা ও শিশু সহায়তা কর্মসূচি",
        benefit_kind=Programme.BenefitKind.CASH,
        target_level=Programme.TargetLevel.PERSON,
        duration_months=36,
        item="BDT",
        quantity_per_cycle=Decimal("800"),
        unit="BDT",
        applications_open_day=1,
        applications_close_day=20,
        acting_user=None,
        at=at,
    )
    return vwb, mcb


def _beneficiary(org: Organisation, union: Area, n: int, at: datetime) -> Beneficiary:
    name = f"{_GIVEN[n % len(_GIVEN)]} {_FAMILY[(n // len(_GIVEN)) % len(_FAMILY)]}"
    is_mother = n >= IN_VWB
    person = register_person(
        org=org,
        name=name,
        phone=f"01711-5{n:05d}",
        id_kind="NATIONAL_ID",
        id_number=f"19{85 + n % 15}26{n:09d}",
        born_on=date(1998 if is_mother else 1980 + n % 20, 1 + n % 12, 1 + n % 27),
        sex="FEMALE",
        marital_status="MARRIED" if is_mother else _MARITAL[n % len(_MARITAL)],
        acting_user=None,
        at=at,
    )
    return Beneficiary.objects.create(
        org=org,
        person=person,
        area=union,
        registry_number=f"ASH-{n + 1:05d}",
        mobile_is_own=True,
        land_decimals=Decimal(n % 20),
        monthly_income=3000 + 250 * (n % 9),
        household_has_disabled_member=n % 7 == 0,
        expected_delivery_on=None,
        wallet_provider=_WALLETS[n % len(_WALLETS)] if is_mother else "",
        wallet_number=f"01811-6{n:05d}" if is_mother else "",
        registered_at=at,
    )


def _cycles(programme: Programme, this_month: date, at: datetime) -> None:
    """Last month generated and approved (distribution and payments demos work on it); this month open."""
    last = cycles.open_cycle(
        programme=programme, month=cycles.add_months(this_month, -1), acting_user=None, at=at
    )
    cycles.generate_entitlements(cycle=last, acting_user=None, at=at)
    cycles.approve_cycle(cycle=last, acting_user=None, at=at)
    cycles.open_cycle(programme=programme, month=this_month, acting_user=None, at=at)
