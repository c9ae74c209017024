"""The caseworker's whole path through a real Chromium: find a returning survivor by the Latin spelling of
her Bengali name, open her case, log the meeting just held, and refer her to a legal-aid office under a
release she signed. Every step goes through the pages a person would use, by keyboard-reachable controls.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.cases.models import Appointment, Case
from haven.conftest import make_member, make_org
from haven.directory.actions import create_provider
from haven.directory.models import Provider
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.people.models import Person
from haven.referrals.models import Referral, Release
from haven.web.tests.browser_support import (
    sign_in,
    skip_unless_browser_available,
    submit_main_form,
    wait_for_inline_checks,
)

skip_unless_browser_available()
from playwright.sync_api import BrowserContext, Page  # noqa: E402 - only once it is known to exist


@pytest.fixture
def caseworker(transactional_db: None, _async_unsafe_allowed: None) -> Membership:
    at = timezone.now()
    org = make_org("flow", at=at)
    return make_member(org, Role.CASEWORKER, username="flow.caseworker", at=at)


@pytest.fixture
def returning_survivor(caseworker: Membership) -> Person:
    """She came last year; her name was written in Bengali only, and nobody wrote a Latin spelling."""
    return register_person(
        org=caseworker.org, name="রহিমা বেগম", acting_user=None, at=timezone.now() - timedelta(days=300)
    )


@pytest.fixture
def legal_aid(caseworker: Membership) -> Provider:
    return create_provider(
        org=caseworker.org,
        name="Legal Aid Office (synthetic)",
        kind=Provider.Kind.LEGAL_AID,
        services=["LEGAL_INFORMATION", "LEGAL_REPRESENTATION", "PROTECTION_ORDER"],
        languages=["bn", "en"],
        acting_user=None,
        at=timezone.now(),
    )


def _search_by_latin_spelling(page: Page, survivor: Person) -> None:
    page.goto("/people/")
    page.fill("#id_name", "Rahima Begum")
    page.keyboard.press("Enter")
    match = page.locator("#people-results a", has_text=survivor.survivor_code)
    match.wait_for()
    with page.expect_navigation():
        match.click()


def _log_meeting(page: Page, worker: Membership) -> None:
    with page.expect_navigation():
        page.click("#log-meeting")
    held_at = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page.select_option("#id_worker", str(worker.pk))
    page.fill("#id_starts_at", held_at)
    page.fill("#id_duration_minutes", "45")
    page.select_option("#id_mode", "IN_PERSON")
    page.select_option("#id_language", "bn")
    page.fill("#id_outcome", "She wants to apply for a protection order.")
    submit_main_form(page)


def _refer_with_release(page: Page, provider: Provider) -> None:
    with page.expect_navigation():
        page.click("#refer-link")
    with page.expect_navigation():
        page.click("#record-release")
    page.select_option("#id_recipient", str(provider.pk))
    page.check("input[name=scope][value=IDENTITY]")
    page.check("input[name=scope][value=CONTACT]")
    page.fill("#id_purpose", "So the legal-aid office can prepare her protection-order application.")
    today = timezone.localdate()
    page.fill("#id_signed_on", today.isoformat())
    page.fill("#id_expires_on", (today + timedelta(days=90)).isoformat())
    page.check("input[name=consent_method][value=SIGNED_FORM]")
    wait_for_inline_checks(page)
    with page.expect_navigation():
        page.click("#save-release")
    # Back on the referral form, with the new release chosen for her.
    page.check("input[name=kind][value=EXTERNAL]")
    page.select_option("#id_service", "PROTECTION_ORDER")
    page.select_option("#id_provider", str(provider.pk))
    page.fill("#id_needs", "Help with a protection-order application.")
    page.fill("#id_contact_back", "+880 1700 000000 (caseworker desk)")
    assert page.locator("#id_release").input_value() != ""
    wait_for_inline_checks(page)
    with page.expect_navigation():
        page.click("#send-referral")


@pytest.mark.browser
def test_a_caseworker_finds_her_opens_a_case_logs_a_meeting_and_refers_her_with_a_release(
    context: BrowserContext,
    page: Page,
    live_server: Any,
    caseworker: Membership,
    returning_survivor: Person,
    legal_aid: Provider,
) -> None:
    sign_in(context, live_server, caseworker.user)

    _search_by_latin_spelling(page, returning_survivor)
    assert page.locator("h1").inner_text() == returning_survivor.survivor_code
    with page.expect_navigation():
        page.get_by_role("button", name="Open a case").click()
    case = Case.objects.get(survivor=returning_survivor)
    assert page.url.endswith(f"/cases/{case.pk}/")

    _log_meeting(page, caseworker)
    meeting = Appointment.objects.get(case=case)
    assert meeting.status == Appointment.Status.HELD
    assert "Meeting held" in page.locator("#timeline").inner_text()

    _refer_with_release(page, legal_aid)
    referral = Referral.objects.get(case=case)
    release = Release.objects.get(person=returning_survivor)
    assert (referral.provider, referral.release, referral.is_opaque) == (legal_aid, release, False)
    assert referral.status == Referral.Status.SENT
    assert legal_aid.name in page.locator("#referrals").inner_text()
