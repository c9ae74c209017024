"""Demo women's associations and entrepreneurs of the Bangladesh district office (the seed: DWA registers
voluntary women's associations, grades them and gives annual grants; Joyeeta gives women entrepreneurs
stalls at its sales centres).

Three associations in different states: one registered, graded A and paid this year's grant; one whose
application waits for a decision; one whose registration lapsed because it was not renewed. A grant
round for the year, approved. Two entrepreneurs with products, a stall each at a marketing centre, rent
paid and sales reported. All names are invented. Everything is written through the verbs, so the audit
log and the transition rows are as real use would leave them. Other demo organisations get nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from haven.associations import actions, grants, marketing
from haven.associations.models import Association
from haven.orgs.models import Area, Organisation

# A tiny stand-in for a scanned document: the demo shows that documents are kept, not their content.
PDF = b"%PDF-1.4\n% Haven demo document\n%%EOF\n"
MEMBERS = [
    {"name": "সেলিনা পারভীন", "institution": "মহিলা বিষয়ক অধিদপ্তর", "role_title": "সভাপতি"},
    {"name": "মাহমুদা খানম", "institution": "উপজেলা প্রশাসন", "role_title": "সদস্য"},
    {"name": "রাশিদা বেগম", "institution": "সমাজসেবা অধিদপ্তর", "role_title": "সদস্য-সচিব"},
]


def _apply(org: Organisation, area: Area, name: str, receipt: str, at: datetime) -> Association:
    day = timezone.localdate(at)
    association = actions.apply_for_registration(
        org=org,
        name=name,
        area=area,
        member_count=42,
        applied_on=day,
        office_address="সমিতি কার্যালয়, আশুলিয়া বাজার (ডেমো)",
        fee_amount=Decimal("500"),
        fee_receipt_number=receipt,
        fee_paid_on=day,
        acting_user=None,
        at=at,
    )
    for kind in actions.REQUIRED_DOCUMENTS:
        actions.upload_document(
            association=association,
            kind=kind,
            file_name=f"{kind.lower()}.pdf",
            content=PDF,
            acting_user=None,
            at=at,
        )
    return association


def _associations(org: Organisation, area: Area, at: datetime) -> Association:
    """The three associations; returns the registered one."""
    registered = _apply(org, area, "আশুলিয়া নারী কল্যাণ সমিতি (ডেমো)", "DEMO-FEE-001", at - timedelta(days=60))
    registered = actions.approve_registration(
        association=registered, acting_user=None, at=at - timedelta(days=40)
    )
    actions.add_office_bearer(
        association=registered,
        position="PRESIDENT",
        name="নাসরিন আক্তার",
        phone="+880 1711 000001",
        since_on=timezone.localdate(at) - timedelta(days=60),
        acting_user=None,
        at=at,
    )
    scores = {"governance": 17, "accounts": 16, "activities": 26, "membership": 12, "meetings": 13}
    actions.record_grading(
        association=registered,
        graded_on=timezone.localdate(at) - timedelta(days=20),
        scores=scores,
        members=MEMBERS,
        acting_user=None,
        at=at - timedelta(days=20),
    )
    _apply(org, area, "সাভার জাগরণী মহিলা সংস্থা (ডেমো)", "DEMO-FEE-002", at - timedelta(days=10))
    lapsed = _apply(org, area, "ধামসোনা মহিলা উন্নয়ন সমিতি (ডেমো)", "DEMO-FEE-003", at - timedelta(days=430))
    actions.approve_registration(association=lapsed, acting_user=None, at=at - timedelta(days=410))
    actions.lapse_associations(org=org, today=timezone.localdate(at), at=at)
    return registered


def _grants(org: Organisation, at: datetime) -> None:
    year = timezone.localdate(at).year
    for grade, amount in (("A", "50000"), ("B", "30000"), ("C", "15000")):
        grants.set_grant_amount(
            org=org, year=year, grade=grade, amount=Decimal(amount), acting_user=None, at=at
        )
    grant_round = grants.open_grant_round(
        org=org, year=year, name=f"বার্ষিক অনুদান {year} (ডেমো)", acting_user=None, at=at
    )
    grants.allocate_grant_round(grant_round=grant_round, acting_user=None, at=at)
    grant_round = grants.approve_grant_round(grant_round=grant_round, acting_user=None, at=at)
    for grant in grant_round.grants.all():
        grants.disburse_grant(
            grant=grant,
            disbursed_on=timezone.localdate(at),
            method="BANK_TRANSFER",
            reference=f"DEMO-TRF-{grant.pk}",
            acting_user=None,
            at=at,
        )


def _entrepreneurs(org: Organisation, area: Area, association: Association, at: datetime) -> None:
    today = timezone.localdate(at)
    month = today.replace(day=1)
    last_month = (month - timedelta(days=1)).replace(day=1)
    centre = marketing.create_centre(
        org=org,
        name="জয়িতা বিপণন কেন্দ্র, ধানমন্ডি (ডেমো)",
        area=area,
        address="কাল্পনিক ঠিকানা, ঢাকা",
        acting_user=None,
        at=at,
    )
    people = (
        ("শাহনাজ বেগম", "শাহনাজ নকশি কাঁথা", "HANDICRAFT", "নকশি কাঁথা", ("1500", "6000"), association),
        ("মরিয়ম খাতুন", "মরিয়ম আচার ঘর", "FOOD", "আমের আচার", ("150", "400"), None),
    )
    for number, (name, trade, category, product, prices, member_of) in enumerate(people, start=1):
        woman = marketing.register_entrepreneur(
            org=org,
            trading_name=trade,
            area=area,
            registered_on=last_month,
            name=name,
            association=member_of,
            acting_user=None,
            at=at,
        )
        marketing.add_product(
            entrepreneur=woman,
            category=category,
            description=product,
            price_min=prices[0],
            price_max=prices[1],
            acting_user=None,
            at=at,
        )
        marketing.add_training(
            entrepreneur=woman,
            course="ব্যবসা ব্যবস্থাপনা ও বিপণন",
            provider="মহিলা প্রশিক্ষণ কেন্দ্র",
            completed_on=last_month,
            acting_user=None,
            at=at,
        )
        stall = marketing.add_stall(
            centre=centre, number=f"ক-{number}", monthly_rent=Decimal("2500"), acting_user=None, at=at
        )
        allocation = marketing.allocate_stall(
            stall=stall,
            entrepreneur=woman,
            starts_on=last_month,
            ends_on=_end_of_month(month),
            acting_user=None,
            at=at,
        )
        marketing.record_stall_payment(
            allocation=allocation,
            amount=Decimal("2500"),
            paid_on=last_month,
            receipt_number=f"DEMO-STL-{number}",
            acting_user=None,
            at=at,
        )
        for period, amount, items in ((last_month, 18000 * number, 25), (month, 9500 * number, 14)):
            marketing.record_sales(
                entrepreneur=woman,
                centre=centre,
                period=period,
                amount=Decimal(amount),
                items_sold=items,
                acting_user=None,
                at=at,
            )


def _end_of_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def load_demo_associations(org: Organisation, at: datetime) -> None:
    if org.country != "BD":
        return
    area = Area.objects.filter(org=org).order_by("-level").first()
    if area is None:
        return
    registered = _associations(org, area, at)
    _grants(org, at)
    _entrepreneurs(org, area, registered, at)
