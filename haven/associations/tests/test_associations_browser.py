"""A women's association through a real Chromium, from its application to its report on a grant.

The computer operator records the application with its fee and uploads its papers; the programme officer
is refused while the minutes are missing, then registers the association once they are in, records the
committee's grading (grade A), sets this year's grant for grade A, opens a round, allocates and approves
it; the operator records the disbursement and, later, the association's utilisation report.

Names, receipts and references are synthetic.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.associations.models import (
    Association,
    AssociationDocument,
    FeePayment,
    Grading,
    Grant,
    GrantReport,
    GrantRound,
)
from haven.benefits.tests import factories
from haven.conftest import make_member, make_org
from haven.orgs.models import Area, Membership
from haven.orgs.roles import Role
from haven.web.tests.browser_support import sign_in, skip_unless_browser_available, submit_main_form

skip_unless_browser_available()
from playwright.sync_api import Browser, BrowserContext, FilePayload, Page, expect  # noqa: E402 - only once it exists

NAME = "Kaliganj Nari Kalyan Samity"
PDF = b"%PDF-1.4\n% synthetic\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SCORES = {"governance": 18, "accounts": 16, "activities": 24, "membership": 12, "meetings": 10}  # 80: A


@dataclass
class Office:
    operator: Membership
    officer: Membership
    union: Area


@pytest.fixture
def office(transactional_db: None, _async_unsafe_allowed: None) -> Office:
    at = timezone.now()
    org = make_org("dwa-associations", at=at)
    operator = make_member(org, Role.COMPUTER_OPERATOR, username="assoc.operator", at=at)
    officer = make_member(org, Role.PROGRAMME_OFFICER, username="assoc.officer", at=at)
    return Office(operator, officer, factories.union(org))


@pytest.fixture
def officer_page(browser: Browser, live_server: Any, office: Office) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    sign_in(context, live_server, office.officer.user)
    yield context.new_page()
    context.close()


def _press(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _follow(page: Page, text: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=text).click()


def _upload(page: Page, kind: str, name: str) -> None:
    page.select_option("#document-upload [name=kind]", kind)
    page.set_input_files(
        "#document-upload input[type=file]",
        files=FilePayload(name=name, mimeType="application/pdf", buffer=PDF),
    )
    _press(page, "#document-upload button[type=submit]")


def _fill(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.fill(f"main form [name={name}]", value)


@pytest.mark.browser
def test_an_association_is_registered_graded_granted_and_reports_back(
    context: BrowserContext, page: Page, officer_page: Page, live_server: Any, office: Office
) -> None:
    operator, officer = page, officer_page
    today = timezone.localdate()
    last_week = (today - timedelta(days=7)).isoformat()
    sign_in(context, live_server, office.operator.user)

    operator.goto(reverse("associations:list"))
    _press(operator, "#association-create")
    operator.select_option("main form [name=area]", str(office.union.pk))
    _fill(
        operator,
        {
            "name": NAME,
            "member_count": "35",
            "applied_on": last_week,
            "fee_amount": "500",
            "fee_receipt_number": "RCPT-2026-0042",
            "fee_paid_on": last_week,
        },
    )
    submit_main_form(operator)
    association = Association.objects.get()
    assert association.status == Association.Status.APPLIED
    expect(operator.locator("#fees")).to_contain_text("RCPT-2026-0042")
    _upload(operator, "CONSTITUTION", "constitution.pdf")
    _upload(operator, "MEMBER_LIST", "members.pdf")
    expect(operator.locator("#documents li")).to_have_count(2)
    assert operator.locator("#approve").count() == 0  # the decision is the officer's

    officer.goto(f"/associations/{association.pk}/")
    _press(officer, "#approve")
    expect(officer.locator(".messages .error")).to_contain_text("Minutes of the founding meeting")
    expect(officer.locator("#association-status")).to_have_text(str(Association.Status.APPLIED.label))

    operator.reload()
    _upload(operator, "MINUTES", "minutes.pdf")
    officer.reload()
    _press(officer, "#approve")
    expect(officer.locator("#association-status")).to_have_text(str(Association.Status.REGISTERED.label))
    association.refresh_from_db()
    assert association.registration_number
    expect(officer.locator("#registration-number")).to_have_text(association.registration_number)

    _follow(officer, "Record a grading")
    officer.fill(
        "main form [name=members]",
        "Salma Begum; Upazila women affairs office; Chair\n"
        "Abdul Karim; Union Parishad; Member\n"
        "Nasrin Akter; Kaliganj school; Member",
    )
    _fill(officer, {"graded_on": today.isoformat(), **{f"score_{c}": str(s) for c, s in SCORES.items()}})
    submit_main_form(officer)
    expect(officer.locator("#gradings")).to_contain_text("80")
    association.refresh_from_db()
    assert association.grade == "A"

    officer.goto("/associations/grants/schedule/")
    officer.select_option("main form [name=grade]", "A")
    _fill(officer, {"year": str(today.year), "amount": "50000"})
    submit_main_form(officer)
    officer.goto("/associations/grants/rounds/new/")
    _fill(officer, {"year": str(today.year), "name": f"Annual grants {today.year}"})
    submit_main_form(officer)
    _press(officer, "#allocate")
    expect(officer.locator("#round-grants")).to_contain_text(NAME)
    _press(officer, "#approve-round")
    grant_round = GrantRound.objects.get()
    expect(officer.locator("#round-status")).to_have_text(str(GrantRound.Status.APPROVED.label))

    operator.goto(f"/associations/grants/rounds/{grant_round.pk}/")
    _follow(operator, "Record the disbursement")
    operator.select_option("main form [name=method]", "BANK_TRANSFER")
    _fill(operator, {"disbursed_on": today.isoformat(), "reference": "TRF-88120"})
    submit_main_form(operator)
    expect(operator.locator("#round-grants")).to_contain_text("TRF-88120")
    _follow(operator, "Record the report")
    _fill(
        operator,
        {
            "amount_spent": "48500",
            "narrative": "Two sewing machines and a month of tailoring lessons for twelve members.",
            "reported_on": today.isoformat(),
        },
    )
    submit_main_form(operator)
    expect(operator.locator("#round-grants")).to_contain_text("Spent:")

    association.refresh_from_db()
    assert (
        association.status == Association.Status.REGISTERED and association.decided_by == office.officer.user
    )
    fee = FeePayment.objects.get(association=association)
    assert (fee.amount, fee.receipt_number) == (Decimal("500"), "RCPT-2026-0042")
    kinds = set(AssociationDocument.objects.filter(association=association).values_list("kind", flat=True))
    assert kinds == {"CONSTITUTION", "MEMBER_LIST", "MINUTES"}
    grading = Grading.objects.get(association=association)
    assert (grading.total, grading.grade, grading.members.count()) == (80, "A", 3)
    grant = Grant.objects.get(association=association)
    assert (grant.amount, grant.status, grant.reference) == (
        Decimal("50000"),
        Grant.Status.REPORTED,
        "TRF-88120",
    )
    assert GrantReport.objects.get(grant=grant).amount_spent == Decimal("48500")
