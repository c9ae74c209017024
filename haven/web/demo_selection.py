"""Demo selection and grievances for the Bangladesh organisation: four women apply to VWB in a union (and
one to the Mother & child benefit when today is one of its application days); a VWB list for the union is
reviewed by the union committee, published, and is in its objection window with one anonymous objection;
two grievances, one anonymous.

All names and numbers are invented. Needs the programmes "vwb" (and "mcb") and their rules from
`load_demo_benefits`; without them, nothing is created.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from haven.benefits import eligibility
from haven.benefits.grievances.actions import lodge_grievance
from haven.benefits.models import Beneficiary, Programme, Quota
from haven.benefits.selection import actions
from haven.orgs.models import Area, Organisation

WOMEN = [
    # name, born, NID, phone, marital status, land (decimals), disabled member
    ("রোকেয়া খাতুন", date(1988, 4, 12), "1988261234567", "+880 1711 100001", "WIDOWED", "3", False),
    ("শাহনাজ পারভীন", date(1992, 9, 3), "1992261234568", "+880 1711 100002", "ABANDONED", "0", True),
    ("মরিয়ম বেগম", date(1985, 1, 20), "1985261234569", "+880 1711 100003", "MARRIED", "8", False),
    ("ফাতেমা আক্তার", date(1995, 6, 30), "1995261234570", "+880 1711 100004", "DIVORCED", "20", False),
]


def _union(org: Organisation) -> Area | None:
    found: Area | None = Area.objects.filter(org=org, level=Area.Level.LOCALITY).order_by("name").first()
    return found


def _applicant(org: Organisation, union: Area, row: tuple[Any, ...], at: datetime) -> Beneficiary:
    name, born_on, nid, phone, marital, land, disabled = row
    return actions.register_applicant(
        org=org,
        applicant=actions.Applicant(
            name=name,
            area=union,
            born_on=born_on,
            id_number=nid,
            phone=phone,
            marital_status=marital,
            mobile_is_own=True,
            land_decimals=Decimal(land),
            household_has_disabled_member=disabled,
        ),
        acting_user=None,
        at=at,
    )


def load_demo_selection(org: Organisation, at: datetime) -> None:
    vwb = Programme.objects.filter(org=org, code="vwb").first()
    union = _union(org)
    if vwb is None or union is None or eligibility.current_rule_set(vwb) is None:
        return
    applied_at = at - timedelta(days=20)
    for row in WOMEN:
        actions.submit_application(
            programme=vwb,
            beneficiary=_applicant(org, union, row, applied_at),
            channel="OFFICER",
            acting_user=None,
            at=applied_at,
        )
    _mother_and_child(org, union, at)
    _list_in_objection_window(vwb, union, at)
    _grievances(org, vwb, union, at)


def _mother_and_child(org: Organisation, union: Area, at: datetime) -> None:
    mcb = Programme.objects.filter(org=org, code="mcb").first()
    today = timezone.localdate(at)
    if mcb is None or actions.window_problem(mcb, today) or eligibility.current_rule_set(mcb) is None:
        return
    her = actions.register_applicant(
        org=org,
        applicant=actions.Applicant(
            name="নাসরিন সুলতানা",
            area=union,
            born_on=date(1999, 2, 14),
            id_number="1999261234571",
            phone="+880 1711 100005",
            mobile_is_own=True,
            monthly_income=5000,
            expected_delivery_on=today + timedelta(days=90),
        ),
        acting_user=None,
        at=at,
    )
    actions.submit_application(programme=mcb, beneficiary=her, channel="OFFICER", acting_user=None, at=at)


def _list_in_objection_window(vwb: Programme, union: Area, at: datetime) -> None:
    today = timezone.localdate(at)
    start = today.replace(day=1)
    quota: Quota = actions.create_quota(
        programme=vwb,
        area=union,
        period_start=start,
        period_end=start + timedelta(days=89),
        places=3,
        acting_user=None,
        at=at,
    )
    review_at = at - timedelta(days=3)
    selection_list = actions.build_draft(quota=quota, acting_user=None, at=review_at)
    actions.start_review(
        selection_list=selection_list,
        committee_name="ইউনিয়ন ভিডব্লিউবি কমিটি",
        reviewed_on=timezone.localdate(review_at),
        acting_user=None,
        at=review_at,
    )
    for name, institution, role in (
        ("আব্দুল করিম", "ইউনিয়ন পরিষদ", "সভাপতি"),
        ("সেলিনা হোসেন", "উপজেলা মহিলা বিষয়ক কার্যালয়", "সদস্য সচিব"),
        ("জাহানারা ইমাম", "ইউনিয়ন পরিষদ (সংরক্ষিত আসন)", "সদস্য"),
    ):
        actions.add_committee_member(
            selection_list=selection_list,
            name=name,
            institution=institution,
            role_on_committee=role,
            was_present=True,
            acting_user=None,
            at=review_at,
        )
    actions.include_undecided(selection_list=selection_list, acting_user=None, at=review_at)
    published = actions.publish_list(
        selection_list=selection_list,
        objections_end_on=today + timedelta(days=7),
        acting_user=None,
        at=at - timedelta(days=1),
    )
    first = published.entries.order_by("rank").select_related("application__beneficiary").first()
    if first is not None:
        actions.record_objection(
            selection_list=published,
            about="ENTRY",
            registry_number=first.application.beneficiary.registry_number,
            text="তার স্বামী বিদেশে চাকরি করেন।",
            channel="PUBLIC",
            acting_user=None,
            at=at,
        )


def _grievances(org: Organisation, vwb: Programme, union: Area, at: datetime) -> None:
    lodge_grievance(
        org=org,
        category="WRONG_QUANTITY",
        programme=vwb,
        area=union,
        description="ডিলার ৩০ কেজির বদলে ২৫ কেজি চাল দিয়েছেন।",
        channel="PUBLIC",
        acting_user=None,
        at=at - timedelta(days=9),
    )
    lodge_grievance(
        org=org,
        category="EXCLUSION_ERROR",
        programme=vwb,
        area=union,
        description="আমি আবেদন করেছিলাম, তালিকায় নাম নেই।",
        complainant_name="সুফিয়া খাতুন",
        complainant_phone="+880 1711 100006",
        channel="OFFICER",
        acting_user=None,
        at=at,
    )
