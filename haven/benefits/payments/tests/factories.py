"""Factories of the payments tests: the Mother & child benefit with an approved cycle, women with wallets
and their DUE entitlements, and a provider's result file for a batch. Synthetic data only.

Cycles and entitlements are written directly (the cycle verbs belong to the benefits core and are tested
there).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.utils import timezone

from haven.benefits.models import Cycle, Entitlement, Programme
from haven.benefits.payments import actions
from haven.benefits.payments.models import Payment, PaymentBatch
from haven.benefits.payments.providers import Outcome, ResultLine, adapter_for
from haven.benefits.tests import factories as benefit_factories
from haven.orgs.models import Organisation

if TYPE_CHECKING:
    from haven.accounts.models import User

MONTH = date(2026, 3, 1)
_numbers = itertools.count(1)


def programme(org: Organisation) -> Programme:
    existing: Programme | None = Programme.objects.filter(org=org, code="mcb").first()
    return existing or benefit_factories.mother_and_child(org)


def cycle(org: Organisation, month: date = MONTH, status: str = Cycle.Status.APPROVED) -> Cycle:
    found, _created = Cycle.objects.get_or_create(
        programme=programme(org),
        month=month,
        defaults={"org": org, "status": status, "created_at": timezone.now()},
    )
    return found


def wallet_number() -> str:
    """A fresh, valid Bangladeshi mobile number (Grameenphone range 017…)."""
    return f"0171{next(_numbers):07d}"


def entitlement(
    the_cycle: Cycle, *, provider: str = "bKash", number: str | None = None, amount: str = "800"
) -> Entitlement:
    """A woman enrolled in the cycle's programme with a wallet, and her DUE entitlement of the cycle."""
    org = the_cycle.programme.org
    woman = benefit_factories.beneficiary(
        org, wallet_provider=provider, wallet_number=wallet_number() if number is None else number
    )
    enrolment = benefit_factories.enrolment(the_cycle.programme, woman)
    return Entitlement.objects.create(
        org=org, cycle=the_cycle, enrolment=enrolment, item="BDT", quantity=Decimal(amount)
    )


def entitlements(the_cycle: Cycle, count: int, **kwargs: str) -> list[Entitlement]:
    return [entitlement(the_cycle, **kwargs) for _index in range(count)]


def sent_batch(
    the_cycle: Cycle, provider: str = "BKASH", *, maker: User | None = None, approver: User | None = None
) -> PaymentBatch:
    """A batch made, approved and exported (the file downloaded once)."""
    now = timezone.now()
    batch = actions.create_batch(cycle=the_cycle, provider=provider, acting_user=maker, at=now)
    actions.approve_batch(batch=batch, acting_user=approver, at=now)
    actions.export_batch(batch=batch, acting_user=approver, at=now)
    batch.refresh_from_db()
    return batch


def results(batch: PaymentBatch, outcomes: Iterable[tuple[Payment, str, str]]) -> bytes:
    """The provider's result file for (payment, outcome, provider code) triples, in its own format."""
    adapter = adapter_for(batch.provider)
    rows = [
        ResultLine(
            number,
            payment.idempotency_key,
            cast(Outcome, outcome),
            payment.amount,
            code,
            f"TX{payment.pk:08d}",
        )
        for number, (payment, outcome, code) in enumerate(outcomes, 2)
    ]
    return adapter.render_results(rows)


def all_paid(batch: PaymentBatch) -> bytes:
    return results(batch, [(payment, "PAID", "") for payment in batch.payments.order_by("pk")])
