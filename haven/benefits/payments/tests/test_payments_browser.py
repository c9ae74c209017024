"""Paying a cash cycle through a real Chromium: the computer operator makes a bKash batch for the approved
month of the Mother & child benefit (control count and sum), a programme officer approves it and downloads
the provider file, the operator imports bKash's result file (two paid, one failed), the reconciliation
shows both, the failed payment is released for another try and goes into the next batch, which is paid
in turn. At the end every woman is paid exactly once.

Wallet numbers and names are synthetic.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from haven.benefits.models import Cycle, Entitlement
from haven.benefits.payments.models import Payment, PaymentBatch
from haven.benefits.payments.tests import factories
from haven.conftest import make_member, make_org
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.web.tests.browser_support import sign_in, skip_unless_browser_available, submit_main_form

skip_unless_browser_available()
from playwright.sync_api import Browser, BrowserContext, FilePayload, Page, expect  # noqa: E402 - only once it exists


@dataclass
class Month:
    operator: Membership
    officer: Membership
    cycle: Cycle
    entitlements: list[Entitlement]


@pytest.fixture
def month(transactional_db: None, _async_unsafe_allowed: None) -> Month:
    at = timezone.now()
    org = make_org("dwa-payments", at=at)
    operator = make_member(org, Role.COMPUTER_OPERATOR, username="pay.operator", at=at)
    officer = make_member(org, Role.PROGRAMME_OFFICER, username="pay.officer", at=at)
    cycle = factories.cycle(org)
    return Month(operator, officer, cycle, factories.entitlements(cycle, 3, provider="BKASH"))


@pytest.fixture
def officer_page(browser: Browser, live_server: Any, month: Month) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    sign_in(context, live_server, month.officer.user)
    yield context.new_page()
    context.close()


def _press(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)
    assert page.locator(".messages .error").count() == 0, page.inner_text(".messages")


def _make_batch(page: Page, cycle: Cycle) -> PaymentBatch:
    page.goto(reverse("payments:batch_create"))
    page.select_option("main form [name=cycle]", str(cycle.pk))
    page.select_option("main form [name=provider]", "BKASH")
    submit_main_form(page)
    batch = PaymentBatch.objects.latest("created_at")
    assert page.url.endswith(f"/benefits/payments/batches/{batch.pk}/")
    return batch


def _approve_and_download(page: Page, batch: PaymentBatch) -> list[list[Any]]:
    page.goto(f"/benefits/payments/batches/{batch.pk}/")
    _press(page, "#approve")
    with page.expect_download() as download:
        page.click("#download")
    assert download.value.suggested_filename == f"{batch.reference}.xlsx"
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]  # type: ignore[union-attr]


def _import(page: Page, batch: PaymentBatch, content: bytes) -> None:
    page.goto(f"/benefits/payments/batches/{batch.pk}/")
    with page.expect_navigation():
        page.click("#import")
    page.set_input_files(
        "main form input[type=file]",
        files=FilePayload(name="bkash-results.csv", mimeType="text/csv", buffer=content),
    )
    submit_main_form(page)
    assert page.url.endswith(f"/benefits/payments/batches/{batch.pk}/")


def _totals_row(page: Page, label: str) -> str:
    return page.locator("#batch-totals tr", has_text=label).first.inner_text()


@pytest.mark.browser
def test_a_cash_cycle_is_paid_reconciled_and_retried_without_paying_anyone_twice(
    context: BrowserContext, page: Page, officer_page: Page, live_server: Any, month: Month
) -> None:
    operator, officer = page, officer_page
    sign_in(context, live_server, month.operator.user)

    first = _make_batch(operator, month.cycle)
    assert (first.control_count, first.control_sum) == (3, Decimal("2400.00"))
    expect(operator.locator("#control")).to_contain_text("3 payments")
    expect(operator.locator("#control")).to_contain_text("2,400.00")
    assert operator.locator("#approve").count() == 0  # the maker does not approve her own batch

    rows = _approve_and_download(officer, first)
    payments = list(first.payments.order_by("pk"))
    assert [row[3] for row in rows[2:5]] == [p.idempotency_key for p in payments]
    assert [row[1] for row in rows[2:5]] == [p.wallet_number for p in payments]
    assert rows[5][:3] == ["TOTAL", 3, "2400.00"]

    results = factories.results(
        first, [(payments[0], "PAID", ""), (payments[1], "PAID", ""), (payments[2], "FAILED", "E1004")]
    )
    _import(operator, first, results)
    expect(operator.locator("#batch-status")).to_have_text(str(PaymentBatch.Status.RECONCILED.label))
    assert "2" in _totals_row(operator, "Paid") and "1,600.00" in _totals_row(operator, "Paid")
    assert "1" in _totals_row(operator, "Failed") and "800.00" in _totals_row(operator, "Failed")
    expect(operator.locator("#batch-totals")).to_contain_text("The wallet is blocked or inactive")
    expect(operator.locator("#imports")).to_contain_text("2 paid, 1 failed, 0 unchanged")

    operator.goto(f"/benefits/payments/cycles/{month.cycle.pk}/")
    reconciliation = operator.locator("#reconciliation")
    expect(reconciliation.locator("tr", has_text="Paid")).to_contain_text("2")
    expect(reconciliation.locator("tr", has_text="Failed, waiting for a corrected wallet")).to_contain_text(
        "1"
    )
    expect(operator.locator("#failed")).to_contain_text(payments[2].beneficiary.registry_number)

    # Her wallet was blocked; she has had it unblocked, so the operator releases the payment as it is.
    operator.goto(f"/benefits/payments/batches/{first.pk}/")
    failed_row = operator.locator("#payments tr", has_text=payments[2].idempotency_key)
    with operator.expect_navigation():
        failed_row.locator("button").click()
    expect(failed_row).to_contain_text("goes into the next batch")

    # The same results imported again change nothing.
    _import(operator, first, results)
    expect(operator.locator("#imports li").first).to_contain_text("0 paid, 0 failed, 3 unchanged")

    second = _make_batch(operator, month.cycle)
    retried = second.payments.get()
    assert (second.control_count, second.control_sum) == (1, Decimal("800.00"))
    assert retried.entitlement_id == payments[2].entitlement_id and retried.attempt == 2
    assert retried.idempotency_key != payments[2].idempotency_key
    rows = _approve_and_download(officer, second)
    assert rows[3][:3] == ["TOTAL", 1, "800.00"]
    _import(operator, second, factories.all_paid(second))

    operator.goto(f"/benefits/payments/cycles/{month.cycle.pk}/")
    expect(operator.locator("#reconciliation tr", has_text="Paid")).to_contain_text("3")
    expect(operator.locator("#reconciliation tr", has_text="Paid")).to_contain_text("2,400.00")
    expect(operator.locator("main")).to_contain_text("1 entitlement needed more than one attempt.")

    paid = Entitlement.objects.annotate(
        paid=Count("payments", filter=Q(payments__status=Payment.Status.PAID))
    ).values_list("paid", flat=True)
    assert sorted(paid) == [1, 1, 1]
    assert Payment.objects.count() == 4
    assert Payment.objects.filter(status=Payment.Status.FAILED).count() == 1
