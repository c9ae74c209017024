"""A loan officer's work through a real Chromium, in Bengali: she records a trained woman's application
by her registry number, the committee's approval, the payout and the first instalment, then reads the
portfolio. The woman and the committee are synthetic."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from haven.benefits.models import Beneficiary
from haven.benefits.tests.factories import beneficiary
from haven.conftest import make_member, make_org
from haven.loans.models import Loan, LoanProduct
from haven.loans.tests.helpers import product
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.web.tests.browser_support import sign_in, skip_unless_browser_available

skip_unless_browser_available()
from playwright.sync_api import BrowserContext, Page  # noqa: E402 - only once it is known to exist


class Scene:
    def __init__(self, officer: Membership, terms: LoanProduct, woman: Beneficiary) -> None:
        self.officer, self.terms, self.woman = officer, terms, woman


@pytest.fixture
def scene(transactional_db: None, _async_unsafe_allowed: None) -> Scene:
    at = timezone.now()
    org = make_org("loans-bd", at=at, language="bn")
    officer = make_member(org, Role.COMPUTER_OPERATOR, username="flow.operator", at=at, language="bn")
    woman = beneficiary(org, name="পারভীন আক্তার", born_on=date(1987, 2, 11))
    return Scene(officer, product(org), woman)


def _submit(page: Page) -> None:
    with page.expect_navigation():
        page.click("#save")


@pytest.mark.browser
def test_an_officer_records_a_loan_from_application_to_first_instalment(
    context: BrowserContext, page: Page, live_server: Any, scene: Scene
) -> None:
    sign_in(context, live_server, scene.officer.user)
    today = timezone.localdate().isoformat()
    page.goto("/loans/")
    with page.expect_navigation():
        page.click("#loan-apply")
    page.fill("#id_registry_number", scene.woman.registry_number)
    page.select_option("#id_product", str(scene.terms.pk))
    page.fill("#id_amount", "12000")
    page.fill("#id_purpose", "সেলাই মেশিন কেনা")
    page.check("#id_training_completed")
    page.fill("#id_training_where", "মহিলা প্রশিক্ষণ কেন্দ্র")
    _submit(page)
    loan = Loan.objects.get(beneficiary=scene.woman)

    with page.expect_navigation():
        page.click("#loan-decide")
    page.fill("#id_decided_on", today)
    page.fill("#id_members_present", "সভাপতি\nসদস্য সচিব\nইউপি সদস্য")
    page.fill("#id_reason", "প্রশিক্ষণ সম্পন্ন")
    _submit(page)
    with page.expect_navigation():
        page.click("#loan-disburse")
    page.fill("#id_disbursed_on", today)
    _submit(page)
    with page.expect_navigation():
        page.click("#loan-repay")
    page.fill("#id_amount", "1050")
    page.fill("#id_receipt_number", "RB-001")
    _submit(page)

    page.locator("#schedule").wait_for()
    assert page.locator("#schedule tbody tr").count() == 12
    assert "পারভীন আক্তার" in page.content() and 'lang="bn"' in page.content()
    loan.refresh_from_db()
    assert loan.status == Loan.Status.ACTIVE and loan.repayments.count() == 1

    page.goto("/loans/portfolio/")
    page.locator("#par30").wait_for()
    assert page.locator("#areas tbody tr").count() == 1
