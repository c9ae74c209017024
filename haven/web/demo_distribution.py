"""Demo in-kind distribution for the Bangladesh organisation: a distribution point at the union parishad
for the union(s) whose women hold VWB cards, rice received from the food department, and the first
rations of the approved month handed over — one of them to a woman's son, because she was ill.

The VWB programme and its approved cycle come from the core benefits demo; without them this creates
nothing. All names are invented. Running it twice adds nothing the second time.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_UP, Decimal
from typing import TYPE_CHECKING

from haven.benefits.distribution import actions
from haven.benefits.distribution.models import DistributionPoint, ServedUnion
from haven.benefits.models import Cycle, Entitlement, Programme
from haven.orgs.models import Area, Membership, Organisation
from haven.orgs.roles import Role

if TYPE_CHECKING:
    from haven.accounts.models import User

DEALER = "আবদুল করিম (ডেমো)"  # invented
PROXY = "জামাল উদ্দিন (ডেমো)"  # invented
SACK = Decimal("50")  # rice arrives in 50 kg sacks


def load_demo_distribution(org: Organisation, at: datetime) -> None:
    if org.country != "BD":
        return
    programme = Programme.objects.filter(org=org, code="vwb").first()
    if programme is None:
        return
    cycle = Cycle.objects.filter(programme=programme, status=Cycle.Status.APPROVED).order_by("-month").first()
    if cycle is None:
        return
    due = Entitlement.objects.filter(cycle=cycle, status=Entitlement.Status.DUE)
    union_ids = set(due.values_list("enrolment__area_id", flat=True))
    unions = list(Area.objects.filter(pk__in=union_ids, level=Area.Level.LOCALITY).order_by("name"))
    if not unions or ServedUnion.objects.filter(union__in=unions).exists():
        return
    officer = Membership.objects.filter(org=org, role=Role.PROGRAMME_OFFICER, is_active=True).first()
    acting_user = officer.user if officer else None
    point = actions.create_point(
        org=org,
        name=f"{unions[0].name} — ইউনিয়ন পরিষদ বিতরণ কেন্দ্র",
        place="ইউনিয়ন পরিষদ ভবন",
        unions=unions,
        dealer_name=DEALER,
        dealer_phone="+8801700000000",
        officer=officer,
        acting_user=acting_user,
        at=at,
    )
    _receive_rice(point, programme, cycle, acting_user, at)
    _issue_first_rations(point, cycle, acting_user, at)


def _receive_rice(
    point: DistributionPoint, programme: Programme, cycle: Cycle, acting_user: User | None, at: datetime
) -> None:
    """Enough whole sacks for the month's rations, and one sack more."""
    needed = sum((e.quantity for e in Entitlement.objects.filter(cycle=cycle).only("quantity")), Decimal(0))
    sacks = (needed / SACK).to_integral_value(rounding=ROUND_UP) + 1
    actions.receive_stock(
        point=point,
        item=programme.item,
        quantity=sacks * SACK,
        reference="DO/খাদ্য/২০২৬/০১৭",
        acting_user=acting_user,
        at=at,
    )


def _issue_first_rations(
    point: DistributionPoint, cycle: Cycle, acting_user: User | None, at: datetime
) -> None:
    cards = list(
        Entitlement.objects.filter(cycle=cycle, status=Entitlement.Status.DUE)
        .order_by("enrolment__card_number")
        .values_list("enrolment__card_number", flat=True)[:3]
    )
    for index, card in enumerate(cards):
        proxy = actions.Proxy(name=PROXY, relationship="CHILD", id_checked=True) if index == 1 else None
        actions.issue_ration(
            point=point,
            cycle=cycle,
            card_number=card,
            proxy=proxy,
            acting_user=acting_user,
            at=at,
        )
