"""The shelter path through a real Chromium: from a dispatch, a hotline agent finds a free bed in the
network for a mother with two children and holds three beds; the shelter manager admits the household
from the hold into those beds; five days later she discharges them with a follow-up plan, which lands in
the case.

"Five days later" is the stay's arrival moved back five days between the two visits: every verb takes
"now" from the clock, and the discharge cannot be recorded ahead of time.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.cases.actions import open_case
from haven.cases.models import FollowUp
from haven.conftest import make_member, make_org
from haven.dispatch import actions as dispatch_actions
from haven.dispatch.models import Dispatch
from haven.orgs.actions import create_site
from haven.orgs.models import Membership, Site
from haven.orgs.roles import Role
from haven.people.actions import add_to_her_household, register_person
from haven.shelters import actions
from haven.shelters.models import BedHold, Facility, Stay, StayResident
from haven.web.tests.browser_support import sign_in, skip_unless_browser_available

skip_unless_browser_available()
from playwright.sync_api import Browser, BrowserContext, Page  # noqa: E402 - only once it is known to exist


class Scene:
    def __init__(
        self, agent: Membership, manager: Membership, facility: Facility, dispatch: Dispatch
    ) -> None:
        self.agent, self.manager, self.facility, self.dispatch = agent, manager, facility, dispatch


@pytest.fixture
def scene(transactional_db: None, _async_unsafe_allowed: None) -> Scene:
    at = timezone.now()
    org = make_org("beds", at=at)
    site = create_site(org=org, name="Maison Quebec", kind=Site.Kind.SHELTER, acting_user=None, at=at)
    agent = make_member(org, Role.HOTLINE_AGENT, username="flow.agent", at=at)
    manager = make_member(org, Role.SHELTER_MANAGER, username="flow.manager", at=at, site=site)
    caseworker = make_member(org, Role.CASEWORKER, username="flow.caseworker", at=at)
    facility = actions.create_facility(
        site=site, facility_type="SHELTER", operator="NGO", acting_user=None, at=at, follow_up_days=[7, 30]
    )
    actions.add_room(
        facility=facility,
        name="1",
        beds=[actions.NewBed(label) for label in ("A", "B", "C", "D")],
        acting_user=None,
        at=at,
    )
    mother = register_person(org=org, name="Synthetic Mother", sex="FEMALE", acting_user=None, at=at)
    for name, sex, born in (("Girl", "FEMALE", date(2020, 2, 1)), ("Boy", "MALE", date(2017, 6, 1))):
        add_to_her_household(
            head=mother, relationship="CHILD", name=name, sex=sex, born_on=born, acting_user=None, at=at
        )
    case = open_case(survivor=mother, lead=caseworker, acting_user=None, at=at)
    dispatch = dispatch_actions.create_dispatch(
        case=case,
        priority=Dispatch.Priority.IMMEDIATE,
        location_address="Synthetic 1",
        acting_user=None,
        at=at,
    )
    return Scene(agent, manager, facility, dispatch)


def _find_and_hold(page: Page, scene: Scene) -> BedHold:
    page.goto(f"/dispatch/{scene.dispatch.pk}/")
    with page.expect_navigation():
        page.click("#find-bed")
    assert page.url.endswith(f"/shelters/availability/?dispatch={scene.dispatch.pk}")
    page.fill("#id_beds", "3")
    page.fill("#id_adults", "1")
    page.fill("#id_boys_ages", "8")
    page.fill("#id_girls_ages", "6")
    with page.expect_navigation():
        page.click("#search")
    row = page.locator(f"#facility-{scene.facility.pk}")
    row.wait_for()
    assert row.locator("input[name=beds]").input_value() == "3"
    with page.expect_navigation():
        row.locator("button.hold-button").click()
    page.locator("#hold-expiry").wait_for()
    holds = BedHold.objects.filter(status=BedHold.Status.HELD)
    assert holds.count() == 3
    return holds.order_by("bed__label").first()  # type: ignore[return-value]


def _admit_from_the_hold(page: Page, hold: BedHold) -> Stay:
    page.goto(f"/shelters/holds/{hold.pk}/")
    with page.expect_navigation():
        page.click("#admit-from-hold")
    beds = list(
        BedHold.objects.filter(group=hold.group).order_by("bed__label").values_list("bed_id", flat=True)
    )
    page.select_option("#id_woman_bed", str(beds[0]))
    children = page.locator("select[name^=child_]")
    assert children.count() == 2
    for index in range(2):
        children.nth(index).select_option(str(beds[index + 1]))
    page.select_option("#id_arrival_kind", "MOBILE_TEAM")
    with page.expect_navigation():
        page.click("#admit")
    page.locator("#stay-residents").wait_for()
    return Stay.objects.get()


def _discharge_with_a_plan(page: Page, stay: Stay) -> None:
    page.goto(f"/shelters/stays/{stay.pk}/")
    with page.expect_navigation():
        page.click("#discharge")
    page.select_option("#id_destination", "NEW_HOUSING")
    page.locator("#follow-up-preview li").first.wait_for()
    assert page.locator("#follow-up-preview li").count() == 2
    with page.expect_navigation():
        page.click("#confirm-discharge")
    page.locator("#stay-status").wait_for()


@pytest.mark.browser
def test_from_a_dispatch_a_bed_is_held_the_household_admitted_and_discharged_with_a_plan(
    browser: Browser, context: BrowserContext, page: Page, live_server: Any, scene: Scene
) -> None:
    sign_in(context, live_server, scene.agent.user)
    hold = _find_and_hold(page, scene)
    assert hold.reference == str(scene.dispatch.pk)

    manager_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        sign_in(manager_context, live_server, scene.manager.user)
        manager = manager_context.new_page()
        stay = _admit_from_the_hold(manager, hold)
        assert StayResident.objects.filter(stay=stay, ended_at__isnull=True).count() == 3
        assert set(BedHold.objects.filter(group=hold.group).values_list("status", flat=True)) == {"USED"}

        five_days_ago = timezone.now() - timedelta(days=5)  # time passes: see the module docstring
        Stay.objects.filter(pk=stay.pk).update(arrived_at=five_days_ago)
        StayResident.objects.filter(stay=stay).update(started_at=five_days_ago)
        _discharge_with_a_plan(manager, stay)
    finally:
        manager_context.close()

    stay.refresh_from_db()
    assert stay.status == Stay.Status.ENDED and stay.destination == "NEW_HOUSING"
    today = timezone.localdate()
    due = sorted(FollowUp.objects.filter(case=stay.case).values_list("due_on", flat=True))
    assert due == [today + timedelta(days=7), today + timedelta(days=30)]
