"""Demo cash payments for the Bangladesh organisation: the Mother & child benefit's approved cycle is paid
through bKash — a batch made by the computer operator, approved by the programme officer, its file
downloaded, and bKash's result file imported: every payment paid but one, which failed because the
wallet is in another person's name (so the reconciliation page has something to follow up).

Needs the programme "mcb" with an approved cycle from `load_demo_benefits`; without them, nothing is
created. Women of that cycle without a wallet get an invented bKash number first (demo data only).
"""

from __future__ import annotations

from datetime import datetime

from haven.accounts.models import User
from haven.benefits.models import Beneficiary, Cycle, Entitlement, Programme
from haven.benefits.payments import actions
from haven.benefits.payments.models import Payment, PaymentBatch, Provider
from haven.benefits.payments.providers import ResultLine, adapter_for
from haven.orgs.models import Membership, Organisation
from haven.orgs.roles import Role


def _user(org: Organisation, role: Role) -> User | None:
    membership = Membership.objects.filter(org=org, role=role, is_active=True).select_related("user").first()
    return membership.user if membership is not None else None


def _cycle(org: Organisation) -> Cycle | None:
    programme = Programme.objects.filter(org=org, code="mcb").first()
    if programme is None:
        return None
    found: Cycle | None = (
        Cycle.objects.filter(programme=programme, status=Cycle.Status.APPROVED).order_by("-month").first()
    )
    return found


def _give_wallets(cycle: Cycle) -> None:
    """An invented bKash number for each woman of the cycle who has none (numbers 01700 0000xx)."""
    due = Entitlement.objects.filter(cycle=cycle, status=Entitlement.Status.DUE).values(
        "enrolment__beneficiary"
    )
    women = Beneficiary.objects.filter(pk__in=due, wallet_provider="").order_by("registry_number", "pk")
    for serial, woman in enumerate(women, 1):
        woman.wallet_provider = Provider.BKASH
        woman.wallet_number = f"017000{serial:05d}"
        woman.save(update_fields=["wallet_provider", "wallet_number"])


def _results(batch: PaymentBatch) -> bytes:
    payments = list(batch.payments.order_by("pk"))
    rows = [
        ResultLine(number, p.idempotency_key, "PAID", p.amount, "", f"DEMO{p.pk:07d}")
        for number, p in enumerate(payments[:-1], 2)
    ]
    last = payments[-1]
    rows.append(ResultLine(len(payments) + 1, last.idempotency_key, "FAILED", last.amount, "E1002", ""))
    return adapter_for(batch.provider).render_results(rows)


def load_demo_payments(org: Organisation, at: datetime) -> None:
    cycle = _cycle(org) if org.country == "BD" else None
    if cycle is None or PaymentBatch.objects.filter(cycle=cycle).exists():
        return
    _give_wallets(cycle)
    if not Entitlement.objects.filter(cycle=cycle, status=Entitlement.Status.DUE).exists():
        return
    batch = actions.create_batch(
        cycle=cycle, provider=Provider.BKASH, acting_user=_user(org, Role.COMPUTER_OPERATOR), at=at
    )
    officer = _user(org, Role.PROGRAMME_OFFICER)
    actions.approve_batch(batch=batch, acting_user=officer, at=at)
    actions.export_batch(batch=batch, acting_user=officer, at=at)
    if batch.payments.filter(status=Payment.Status.PENDING).exists():
        actions.import_statuses(
            batch=batch, file_name="bkash-results.csv", content=_results(batch), acting_user=officer, at=at
        )
