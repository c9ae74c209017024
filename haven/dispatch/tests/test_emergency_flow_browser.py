"""The emergency path through a real Chromium: a WhatsApp message in Bengali reaches the hotline, an agent
(working in Bengali) takes the chat, links it to the woman's file, runs the LAP screen (screened in),
dispatches the mobile team, and the team, on its phone page, marks arrival at the one-stop centre.

The message arrives as Meta's Cloud API posts it, signed with the channel's app secret; nothing leaves the
machine.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from haven.channels.tests.factories import channel, meta_message, post_meta
from haven.conftest import make_member, make_org
from haven.dispatch import actions as dispatch_actions
from haven.dispatch.models import Dispatch, Handover, Unit
from haven.hotline.actions import set_availability
from haven.hotline.models import Contact
from haven.orgs.actions import create_site
from haven.orgs.models import Membership, Organisation, Site
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.risk.actions import install_default_rules
from haven.risk.models import Assessment
from haven.web.tests.browser_support import sign_in, skip_unless_browser_available, wait_for_inline_checks

skip_unless_browser_available()
from playwright.sync_api import Browser, BrowserContext, Page  # noqa: E402 - only once it is known to exist

HER_PHONE = "8801711000111"
HER_MESSAGE = "আমাকে সাহায্য করুন, সে আবার ছুরি নিয়ে এসেছে"  # synthetic: "Help me, he came back with a knife"


class Scene:
    def __init__(self, org: Organisation, agent: Membership, responder: Membership, centre: Site) -> None:
        self.org, self.agent, self.responder, self.centre = org, agent, responder, centre


@pytest.fixture
def scene(transactional_db: None, _async_unsafe_allowed: None) -> Scene:
    at = timezone.now()
    org = make_org("emergency", at=at, language="bn")
    agent = make_member(org, Role.HOTLINE_AGENT, username="flow.agent", at=at, language="bn")
    set_availability(membership=agent, is_available=True, acting_user=None, at=at)
    responder = make_member(org, Role.MOBILE_TEAM, username="flow.responder", at=at, language="bn")
    unit = dispatch_actions.create_unit(org=org, name="Mobile team 1", acting_user=None, at=at)
    dispatch_actions.add_unit_member(unit=unit, membership=responder, acting_user=None, at=at)
    dispatch_actions.set_unit_status(unit=unit, status=Unit.Status.AVAILABLE, acting_user=None, at=at)
    centre = create_site(
        org=org, name="One-stop crisis centre", kind="ONE_STOP_CENTRE", acting_user=None, at=at
    )
    install_default_rules(org=org, acting_user=None, at=at)
    register_person(org=org, name="রহিমা বেগম", phone="+" + HER_PHONE, acting_user=None, at=at)
    return Scene(org, agent, responder, centre)


def _her_message_arrives(scene: Scene) -> None:
    whatsapp = channel(scene.org, "WHATSAPP")
    response = post_meta(Client(), whatsapp, meta_message(text=HER_MESSAGE, sender=HER_PHONE))
    assert response.status_code == 200


def _take_the_chat(page: Page) -> Contact:
    page.goto("/hotline/")
    with page.expect_navigation():
        page.locator("#queues form button[type=submit]").first.click()
    contact = Contact.objects.get()
    page.wait_for_url(f"**/hotline/contacts/{contact.pk}/")
    page.get_by_text(HER_MESSAGE).wait_for()
    return contact


def _link_her_file_and_open_a_case(page: Page) -> None:
    with page.expect_navigation():
        page.click("#link-person")
    page.fill("#id_phone", "+" + HER_PHONE)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    with page.expect_navigation():
        page.locator("#matches button[name=open_case]").click()


def _screen_lap(page: Page) -> None:
    with page.expect_navigation():
        page.click("#screen-lap")
    for item in range(1, 12):
        answer = "yes" if item == 1 else "no"  # "Has he ever used a weapon against you…": yes
        page.check(f"input[name=q{item}][value={answer}]")
    with page.expect_navigation():
        page.click("#score-screen")


def _dispatch_the_team(page: Page) -> Dispatch:
    with page.expect_navigation():
        page.click("#dispatch-now")
    page.fill("#id_location_address", "বাড়ি ১৪, রোড ৭, মিরপুর (কাল্পনিক)")
    page.select_option("#id_weapons", "YES")
    wait_for_inline_checks(page)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    dispatch = Dispatch.objects.get()
    page.select_option("#id_unit", str(Unit.objects.get().pk))
    with page.expect_navigation():
        page.click("#assign")
    return dispatch


def _team_arrives_at_the_centre(browser: Browser, live_server: Any, scene: Scene, dispatch: Dispatch) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    try:
        sign_in(context, live_server, scene.responder.user)
        phone = context.new_page()
        phone.goto(f"/dispatch/{dispatch.pk}/team/")
        for step in ("acknowledged", "en_route", "on_scene", "transporting"):
            with phone.expect_navigation():
                phone.click(f"#step-{step}")
        phone.select_option("#id_destination_kind", "ONE_STOP_CENTRE")
        phone.select_option("#id_destination_site", str(scene.centre.pk))
        with phone.expect_navigation():
            phone.click("#step-arrived")
    finally:
        context.close()


@pytest.mark.browser
def test_an_agent_takes_a_bengali_whatsapp_chat_screens_dispatches_and_the_team_arrives(
    browser: Browser, context: BrowserContext, page: Page, live_server: Any, scene: Scene
) -> None:
    _her_message_arrives(scene)
    sign_in(context, live_server, scene.agent.user)

    contact = _take_the_chat(page)
    _link_her_file_and_open_a_case(page)
    contact.refresh_from_db()
    assert contact.person is not None and contact.case is not None

    _screen_lap(page)
    assessment = Assessment.objects.get(contact=contact)
    assert assessment.level == "SCREENED_IN"

    dispatch = _dispatch_the_team(page)
    dispatch.refresh_from_db()
    assert dispatch.contact_id == contact.pk and dispatch.status == Dispatch.Status.ACTIVATED

    _team_arrives_at_the_centre(browser, live_server, scene, dispatch)
    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.ARRIVED
    assert Handover.objects.filter(dispatch=dispatch).exists()
