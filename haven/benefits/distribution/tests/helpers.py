"""A distribution scene for the tests: a union with women holding VWB cards, an approved month whose
rations are due, and a point serving the union with rice in store. Synthetic data only.

Entitlements are written directly (the cycles verbs are tested on their own), as the brief of this app
asks, so these tests do not depend on how cycles are generated or approved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone

from haven.benefits.distribution import actions
from haven.benefits.distribution.models import Closure, DistributionPoint, Issue, StockMovement
from haven.benefits.models import Cycle, Enrolment, Entitlement, Programme
from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs.models import Area, Membership, Organisation
from haven.privacy.models import AuditEntry

MONTH = date(2026, 3, 1)
NAMES = ("Rokeya Khatun", "Shahnaz Begum", "Morjina Akter", "Hasina Parvin", "Salma Khatun")


@dataclass
class Scene:
    org: Organisation
    programme: Programme
    cycle: Cycle
    union: Area
    point: DistributionPoint
    enrolments: list[Enrolment] = field(default_factory=list)

    @property
    def cards(self) -> list[str]:
        return [enrolment.card_number for enrolment in self.enrolments]

    def entitlement(self, index: int = 0) -> Entitlement:
        return Entitlement.objects.get(cycle=self.cycle, enrolment=self.enrolments[index])


def cycle(programme: Programme, month: date = MONTH, status: str = Cycle.Status.APPROVED) -> Cycle:
    return Cycle.objects.create(
        org=programme.org, programme=programme, month=month, status=status, created_at=timezone.now()
    )


def enrol(programme: Programme, union: Area, count: int) -> list[Enrolment]:
    return [
        factories.enrolment(
            programme, factories.beneficiary(programme.org, name=NAMES[i % len(NAMES)], area=union)
        )
        for i in range(count)
    ]


def entitle(the_cycle: Cycle, enrolments: list[Enrolment], quantity: str = "30") -> None:
    Entitlement.objects.bulk_create(
        [
            Entitlement(
                org=the_cycle.org,
                cycle=the_cycle,
                enrolment=enrolment,
                item=the_cycle.programme.item,
                quantity=Decimal(quantity),
            )
            for enrolment in enrolments
        ]
    )


def point(
    org: Organisation, unions: list[Area], name: str = "Kaliganj UP store", stock: str | None = "1000"
) -> DistributionPoint:
    created = actions.create_point(org=org, name=name, unions=unions, acting_user=None, at=timezone.now())
    if stock is not None:
        receive(created, stock)
    return created


def receive(at_point: DistributionPoint, quantity: str, item: str = "rice") -> StockMovement:
    return actions.receive_stock(
        point=at_point, item=item, quantity=quantity, acting_user=None, at=timezone.now()
    )


def scene(
    org: Organisation,
    *,
    cards: int = 3,
    stock: str | None = "1000",
    status: str = Cycle.Status.APPROVED,
    union_name: str = "Kaliganj union",
    programme: Programme | None = None,
) -> Scene:
    union = factories.union(org, union_name)
    programme = programme or factories.vwb(org)
    the_cycle = cycle(programme, status=status)
    enrolments = enrol(programme, union, cards)
    entitle(the_cycle, enrolments)
    the_point = point(org, [union], name=f"{union_name} store", stock=stock)
    return Scene(org, programme, the_cycle, union, the_point, enrolments)


def api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def written() -> tuple[int, ...]:
    """How many rows of each kind exist: a refusal must leave these unchanged."""
    issued = Entitlement.objects.filter(status=Entitlement.Status.ISSUED).count()
    models = (StockMovement, Issue, Closure, AuditEntry)
    return (issued, *(model.objects.count() for model in models))
