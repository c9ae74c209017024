"""A month's cycle through a real Chromium: the programme officer opens the month from the programme's
page, starts the generation and watches the progress bar until the work is done, then approves the cycle.
A second tab, opened before the approval, tries to approve it again and is refused with the reason.

The background worker is stood in for: the queued run stops after its first small batch (as a killed
worker would), so the page opens on a running generation; the test then lets the worker finish and the
page's own polling notices it. Names and card numbers are synthetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.benefits import cycles, views
from haven.benefits.models import Cycle, CycleTransition, Enrolment, Entitlement, Programme
from haven.benefits.tests import factories
from haven.conftest import make_member, make_org
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.web.tests.browser_support import sign_in, skip_unless_browser_available

skip_unless_browser_available()
from playwright.sync_api import BrowserContext, Page, expect  # noqa: E402 - only once it is known to exist

WOMEN = 5
MONTH = date(2026, 3, 1)


@dataclass
class Office:
    officer: Membership
    programme: Programme
    enrolments: list[Enrolment]


@pytest.fixture
def office(transactional_db: None, _async_unsafe_allowed: None) -> Office:
    at = timezone.now()
    org = make_org("dwa-cycles", at=at)
    officer = make_member(org, Role.PROGRAMME_OFFICER, username="cycle.officer", at=at)
    programme = factories.vwb(org)
    union = factories.union(org)
    women = [factories.beneficiary(org, name=f"Shahnaz Begum {i}", area=union) for i in range(WOMEN)]
    enrolments = [factories.enrolment(programme, woman) for woman in women]
    return Office(officer, programme, enrolments)


def _interrupted_worker(cycle_id: str, user_id: int) -> None:
    """The queued run, killed after its first batch of two enrolments."""
    cycle = Cycle.objects.select_related("programme__org").get(pk=cycle_id)
    cycles.generate_entitlements(
        cycle=cycle, acting_user=None, at=timezone.now(), batch_size=2, max_batches=1
    )


@pytest.mark.browser
def test_an_officer_generates_watches_and_approves_a_cycle_once(
    context: BrowserContext, page: Page, live_server: Any, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "_enqueue_generation", _interrupted_worker)
    sign_in(context, live_server, office.officer.user)
    page.goto(reverse("benefits:programme_detail", args=[office.programme.pk]))
    page.fill("#cycle-open input[name=month]", MONTH.isoformat())
    with page.expect_navigation():
        page.click("#cycle-open button[type=submit]")
    with page.expect_navigation():
        page.click("#cycles a")
    cycle = Cycle.objects.get(programme=office.programme)
    assert cycle.month == MONTH and cycle.status == Cycle.Status.OPEN

    with page.expect_navigation():
        page.click("#generate")
    # "2 of 5" as rendered, "2 / 5" once the page's script has polled: either way, 2 done of 5.
    expect(page.locator("#generation-counts")).to_have_text(re.compile(rf"^2 (of|/) {WOMEN}"))
    expect(page.locator("#generation-progress")).to_have_js_property("value", 40)
    assert page.locator("#approve").count() == 0  # not while the generation runs
    cycle.refresh_from_db()
    assert cycle.is_generating and cycle.generation_done == 2

    # The worker resumes where it stopped; the page polls, sees the end and reloads itself.
    cycles.generate_entitlements(cycle=cycle, acting_user=office.officer.user, at=timezone.now())
    expect(page.locator("#cycle-status")).to_have_text(str(Cycle.Status.GENERATED.label))
    expect(page.locator("#cycle-entitlements")).to_have_text(str(WOMEN))
    assert page.locator("#generation").count() == 0

    second = context.new_page()  # the same cycle, open in another tab before the approval
    second.goto(page.url)
    with page.expect_navigation():
        page.click("#approve")
    expect(page.locator(".messages .success")).to_contain_text("Cycle approved.")
    expect(page.locator("#cycle-status")).to_have_text(str(Cycle.Status.APPROVED.label))
    assert page.locator("#approve, #generate").count() == 0

    with second.expect_navigation():
        second.click("#approve")
    expect(second.locator(".messages .error")).to_contain_text("already approved")
    expect(second.locator(".messages .error")).to_contain_text("a cycle is approved once")

    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.APPROVED and cycle.approved_by == office.officer.user
    entitlements = Entitlement.objects.filter(cycle=cycle)
    assert entitlements.count() == Enrolment.objects.filter(programme=office.programme).count() == WOMEN
    assert set(entitlements.values_list("enrolment_id", flat=True)) == {e.pk for e in office.enrolments}
    assert all(quantity == 30 for quantity in entitlements.values_list("quantity", flat=True))
    approvals = CycleTransition.objects.filter(cycle=cycle, to_status=Cycle.Status.APPROVED)
    assert approvals.count() == 1
