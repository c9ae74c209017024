"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py), and
the factories the associations tests share. Each factory makes fresh objects of the home organisation
(or the one given), in the state the page or endpoint that names them needs: an application still to be
decided, a registered and graded association, an approved round with a grant to disburse, a disbursed
grant to report on. Synthetic data only.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from haven.associations import actions, grants, marketing
from haven.associations.models import (
    Association,
    AssociationDocument,
    Entrepreneur,
    Grant,
    GrantRound,
    MarketingCentre,
    Stall,
    StallAllocation,
)
from haven.benefits.tests.factories import union
from haven.conftest import World
from haven.orgs.models import Membership, Organisation

PDF = b"%PDF-1.4\n% synthetic test document\n%%EOF\n"
MEMBERS = [
    {"name": "Walk Member One", "institution": "Department of Women Affairs", "role_title": "Chair"},
    {"name": "Walk Member Two", "institution": "Upazila administration", "role_title": "Member"},
    {"name": "Walk Member Three", "institution": "Social Services", "role_title": "Member-secretary"},
]
SCORES = {"governance": 18, "accounts": 16, "activities": 25, "membership": 12, "meetings": 12}  # 83: A


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def _serial() -> str:
    return uuid.uuid4().hex[:8]


def application(org: Organisation | None = None, *, name: str = "", documents: bool = True) -> Association:
    """An association that applied today, its fee paid and (by default) its three documents uploaded."""
    org = org or _home()
    now = timezone.now()
    association = actions.apply_for_registration(
        org=org,
        name=name or f"Walk women's association {_serial()}",
        area=union(org),
        member_count=25,
        applied_on=timezone.localdate(),
        fee_amount=Decimal("500"),
        fee_receipt_number=f"FEE-{_serial()}",
        fee_paid_on=timezone.localdate(),
        acting_user=None,
        at=now,
    )
    if documents:
        for kind in actions.REQUIRED_DOCUMENTS:
            actions.upload_document(
                association=association,
                kind=kind,
                file_name=f"{kind.lower()}.pdf",
                content=PDF,
                acting_user=None,
                at=now,
            )
    return association


def registered(org: Organisation | None = None, *, name: str = "", grade: bool = True) -> Association:
    """A registered association, graded A by the committee unless `grade` is False."""
    association = actions.approve_registration(
        association=application(org, name=name), acting_user=None, at=timezone.now()
    )
    if grade:
        actions.record_grading(
            association=association,
            graded_on=timezone.localdate(),
            scores=SCORES,
            members=MEMBERS,
            acting_user=None,
            at=timezone.now(),
        )
        association.refresh_from_db()
    return association


def document() -> AssociationDocument:
    found: AssociationDocument = application().documents.first()  # type: ignore[assignment]
    return found


def grant_round(
    org: Organisation | None = None, *, approve: bool = True, year: int | None = None
) -> GrantRound:
    """A round of a year no other round has, allocated to a fresh graded association (and approved)."""
    org = org or _home()
    now = timezone.now()
    year = year or 2000 + GrantRound.objects.filter(org=org).count() + 30
    registered(org)
    for grade, amount in (("A", "50000"), ("B", "30000"), ("C", "15000")):
        grants.set_grant_amount(
            org=org, year=year, grade=grade, amount=Decimal(amount), acting_user=None, at=now
        )
    made = grants.open_grant_round(org=org, year=year, name=f"Grants {year}", acting_user=None, at=now)
    grants.allocate_grant_round(grant_round=made, acting_user=None, at=now)
    if approve:
        made = grants.approve_grant_round(grant_round=made, acting_user=None, at=now)
    return made


def open_round() -> GrantRound:
    """A round not allocated yet, with its year's amounts set and a graded association to receive one."""
    org = _home()
    now = timezone.now()
    year = 2000 + GrantRound.objects.filter(org=org).count() + 30
    registered(org)
    grants.set_grant_amount(org=org, year=year, grade="A", amount=Decimal("50000"), acting_user=None, at=now)
    return grants.open_grant_round(org=org, year=year, name=f"Grants {year}", acting_user=None, at=now)


def grant(*, disbursed: bool = False) -> Grant:
    made: Grant = grant_round().grants.first()  # type: ignore[assignment]
    if disbursed:
        made = grants.disburse_grant(
            grant=made,
            disbursed_on=timezone.localdate(),
            method=Grant.Method.BANK_TRANSFER,
            reference=f"TRF-{_serial()}",
            acting_user=None,
            at=timezone.now(),
        )
    return made


def entrepreneur(org: Organisation | None = None, *, name: str = "Walk Entrepreneur") -> Entrepreneur:
    org = org or _home()
    return marketing.register_entrepreneur(
        org=org,
        trading_name=f"Walk crafts {_serial()}",
        area=union(org),
        registered_on=timezone.localdate(),
        name=name,
        acting_user=None,
        at=timezone.now(),
    )


def centre(org: Organisation | None = None) -> MarketingCentre:
    org = org or _home()
    return marketing.create_centre(
        org=org, name=f"Walk centre {_serial()}", area=union(org), acting_user=None, at=timezone.now()
    )


def stall(where: MarketingCentre | None = None) -> Stall:
    return marketing.add_stall(
        centre=where or centre(),
        number=_serial(),
        monthly_rent=Decimal("2000"),
        acting_user=None,
        at=timezone.now(),
    )


def allocation(starts_on: date | None = None) -> StallAllocation:
    start = starts_on or timezone.localdate().replace(day=1)
    return marketing.allocate_stall(
        stall=stall(),
        entrepreneur=entrepreneur(),
        starts_on=start,
        ends_on=start + timedelta(days=89),
        acting_user=None,
        at=timezone.now(),
    )


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "association_id": lambda world, member: application().pk,
    "registered_association_id": lambda world, member: registered(grade=False).pk,
    "association_document_id": lambda world, member: document().pk,
    "office_bearer_id": lambda world, member: (
        actions.add_office_bearer(
            association=application(documents=False),
            position="EXECUTIVE",
            name="Walk Bearer",
            since_on=timezone.localdate(),
            acting_user=None,
            at=timezone.now(),
        ).pk
    ),
    "association_grant_round_id": lambda world, member: grant_round(approve=False).pk,
    "association_open_round_id": lambda world, member: open_round().pk,
    "association_grant_id": lambda world, member: grant().pk,
    "association_disbursed_grant_id": lambda world, member: grant(disbursed=True).pk,
    "entrepreneur_id": lambda world, member: entrepreneur().pk,
    "marketing_centre_id": lambda world, member: centre().pk,
    "stall_allocation_id": lambda world, member: allocation().pk,
}


def _application_body() -> dict[str, Any]:
    today = timezone.localdate().isoformat()
    return {
        "name": f"Walk association {_serial()}",
        "area_id": str(union(_home()).pk),
        "member_count": 30,
        "applied_on": today,
        "fee_amount": "500",
        "fee_receipt_number": f"FEE-{_serial()}",
        "fee_paid_on": today,
    }


def _entrepreneur_body() -> dict[str, Any]:
    return {
        "trading_name": f"Walk trade {_serial()}",
        "area_id": str(union(_home()).pk),
        "registered_on": timezone.localdate().isoformat(),
        "name": "Walk Woman",
    }


def _allocation_body() -> dict[str, Any]:
    start = timezone.localdate().replace(day=1)
    return {
        "stall_id": str(stall().pk),
        "entrepreneur_id": str(entrepreneur().pk),
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=29)).isoformat(),
    }


def _sales_body() -> dict[str, Any]:
    return {
        "centre_id": str(centre().pk),
        "period": timezone.localdate().replace(day=1).isoformat(),
        "amount": "12500",
        "items_sold": 40,
    }


_ROUND_YEARS = itertools.count(2099, -1)  # far from the factories' years (2030 onwards)

PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/associations"): _application_body,
    ("POST", "/associations/{association_id}/documents"): lambda: {
        "kind": "OTHER",
        "file_name": "letter.pdf",
        "content_base64": "JVBERi0xLjQKJSUgd2FsawolJUVPRgo=",
    },
    ("POST", "/associations/{association_id}/approve"): lambda: {},
    ("POST", "/associations/{association_id}/refuse"): lambda: {"reason": "The constitution is not signed."},
    ("POST", "/associations/{registered_association_id}/renewals"): lambda: {
        "fee_amount": "300",
        "fee_receipt_number": f"REN-{_serial()}",
        "fee_paid_on": timezone.localdate().isoformat(),
    },
    ("POST", "/associations/{association_id}/office-bearers"): lambda: {
        "position": "PRESIDENT",
        "name": "Walk President",
        "since_on": timezone.localdate().isoformat(),
    },
    ("POST", "/associations/{registered_association_id}/gradings"): lambda: {
        "graded_on": timezone.localdate().isoformat(),
        "scores": SCORES,
        "members": MEMBERS,
    },
    ("PUT", "/grant-schedule"): lambda: {"year": 2099, "grade": "B", "amount": "30000"},
    ("POST", "/grant-rounds"): lambda: {"year": next(_ROUND_YEARS), "name": "Walk round"},
    ("POST", "/grant-rounds/{association_open_round_id}/allocate"): lambda: {},
    ("POST", "/grant-rounds/{association_grant_round_id}/approve"): lambda: {},
    ("POST", "/grants/{association_grant_id}/disburse"): lambda: {
        "disbursed_on": timezone.localdate().isoformat(),
        "method": "CHEQUE",
        "reference": f"CHQ-{_serial()}",
    },
    ("POST", "/grants/{association_disbursed_grant_id}/report"): lambda: {
        "amount_spent": "20000",
        "narrative": "Sewing machines bought for the training room.",
        "reported_on": timezone.localdate().isoformat(),
    },
    ("POST", "/entrepreneurs"): _entrepreneur_body,
    ("POST", "/entrepreneurs/{entrepreneur_id}/products"): lambda: {
        "category": "HANDICRAFT",
        "description": "Nakshi kantha quilts",
        "price_min": "1500",
        "price_max": "6000",
    },
    ("POST", "/entrepreneurs/{entrepreneur_id}/trainings"): lambda: {
        "course": "Block printing",
        "completed_on": timezone.localdate().isoformat(),
    },
    ("POST", "/entrepreneurs/{entrepreneur_id}/sales"): _sales_body,
    ("POST", "/marketing-centres"): lambda: {
        "name": f"Walk centre {_serial()}",
        "area_id": str(union(_home()).pk),
    },
    ("POST", "/marketing-centres/{marketing_centre_id}/stalls"): lambda: {
        "number": _serial(),
        "monthly_rent": "2500",
    },
    ("POST", "/stall-allocations"): _allocation_body,
    ("POST", "/stall-allocations/{stall_allocation_id}/payments"): lambda: {
        "amount": "1000",
        "paid_on": timezone.localdate().isoformat(),
        "receipt_number": f"STL-{_serial()}",
    },
}
