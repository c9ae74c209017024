"""A distribution day through a real Chromium, in Bengali: the computer operator at the union's point
types each card number into the field that already has the focus, sees what is due, hands it over —
once to a woman's son collecting for her — and at the end closes the day; the one ration left is listed
as uncollected. Names and card numbers are synthetic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from haven.benefits.distribution.models import Issue
from haven.benefits.distribution.tests.helpers import Scene, scene
from haven.benefits.models import Entitlement
from haven.conftest import make_member, make_org
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.web.tests.browser_support import sign_in, skip_unless_browser_available

skip_unless_browser_available()
from playwright.sync_api import BrowserContext, Page  # noqa: E402 - only once it is known to exist

SON = "জামাল উদ্দিন"  # synthetic


@dataclass
class Day:
    operator: Membership
    here: Scene


@pytest.fixture
def day(transactional_db: None, _async_unsafe_allowed: None) -> Day:
    at = timezone.now()
    org = make_org("dwa-demo", at=at, language="bn")
    operator = make_member(org, Role.COMPUTER_OPERATOR, username="day.operator", at=at, language="bn")
    return Day(operator, scene(org, cards=3))


def _hand_over(page: Page, card: str, *, proxy: str = "") -> None:
    page.keyboard.type(card)  # no click: the card field has the focus when the page opens
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "৩০ kg" in page.inner_text("#ration-quantity")  # 30 in Bengali digits
    if proxy:
        page.check("#id_by_proxy")
        page.fill("#id_proxy_name", proxy)
        page.select_option("#id_proxy_relationship", "CHILD")
        page.check("#id_proxy_id_checked")
    with page.expect_navigation():
        page.click("#confirm-issue")
    page.locator("#id_card_number").wait_for()


@pytest.mark.browser
def test_an_operator_issues_rations_by_card_and_closes_the_day(
    context: BrowserContext, page: Page, live_server: Any, day: Day
) -> None:
    sign_in(context, live_server, day.operator.user)
    here = day.here
    page.goto(f"/benefits/distribution/points/{here.point.pk}/")
    with page.expect_navigation():
        page.click(f"a[href$='/cycles/{here.cycle.pk}/issue/']")

    _hand_over(page, here.cards[0].lower())
    _hand_over(page, here.cards[1], proxy=SON)
    issued = Issue.objects.order_by("issued_at")
    assert [i.entitlement.enrolment.card_number for i in issued] == here.cards[:2]
    assert [(i.by_proxy, i.proxy_name) for i in issued] == [(False, ""), (True, SON)]
    assert 'lang="bn"' in page.content() and SON not in page.content()

    with page.expect_navigation():
        page.click("#close-form button")
    page.locator("#uncollected-cards").wait_for()
    assert here.cards[2] in page.inner_text("#uncollected-cards")
    assert here.entitlement(2).status == Entitlement.Status.UNCOLLECTED
