"""A union's selection list through a real Chromium, from draft to enrolment.

The computer operator works in Bengali: she builds the draft for the union's quota, records the committee
that met, its member and its decisions (two women in, one out with the reason). The programme officer
publishes the list with its objection window; the operator logs an objection brought to the office (a
woman was left out); the officer upholds it, naming her, and once the window has passed makes the list
final: the women included are enrolled with card numbers, the one excluded is not.

The rules engine is stood in for (`fake_rules`, as in the other selection tests): eligible from 20 to 50,
priority 10 for the landless plus 5 for a widow. Names are synthetic.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.benefits.models import Application, Beneficiary, Enrolment, Quota
from haven.benefits.selection.models import CommitteeMember, Objection, SelectionEntry, SelectionList
from haven.benefits.selection.tests.helpers import applicant, apply, programme_with_rules, quota
from haven.benefits.tests import factories
from haven.conftest import make_member, make_org
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.web.tests.browser_support import sign_in, skip_unless_browser_available

skip_unless_browser_available()
from playwright.sync_api import Browser, BrowserContext, Page, expect  # noqa: E402 - only once it exists

MEMBER = "আব্দুল করিম"  # synthetic
COMMITTEE = "কালীগঞ্জ ইউনিয়ন কমিটি"


@dataclass
class Union:
    operator: Membership
    officer: Membership
    quota: Quota
    widow: Beneficiary  # priority 15
    landless: Beneficiary  # priority 10
    landed: Beneficiary  # priority 0, on the draft
    late: Beneficiary  # priority 0, applied last: left out of the three places


@pytest.fixture
def union(transactional_db: None, _async_unsafe_allowed: None, fake_rules: None) -> Union:
    at = timezone.now()
    org = make_org("dwa-selection", at=at, language="bn")
    operator = make_member(org, Role.COMPUTER_OPERATOR, username="sel.operator", at=at, language="bn")
    officer = make_member(org, Role.PROGRAMME_OFFICER, username="sel.officer", at=at)
    programme = programme_with_rules(org)
    area = factories.union(org)
    women = [
        applicant(org, area, land="10", widowed=True, name="Rokeya Khatun"),
        applicant(org, area, land="10", name="Shahnaz Begum"),
        applicant(org, area, land="40", name="Morjina Akter"),
        applicant(org, area, land="40", name="Hasina Parvin"),
    ]
    for offset, woman in enumerate(women):
        apply(programme, woman, at=at - timedelta(hours=len(women) - offset))
    return Union(operator, officer, quota(programme, area, places=3), *women)


@pytest.fixture
def officer_page(browser: Browser, live_server: Any, union: Union) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    sign_in(context, live_server, union.officer.user)
    yield context.new_page()
    context.close()


def _press(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)
    assert page.locator(".messages .error").count() == 0, page.inner_text(".messages")


def _row(page: Page, woman: Beneficiary) -> Any:
    return page.locator("#entries tbody tr", has_text=woman.registry_number)


def _decide(page: Page, woman: Beneficiary, decision: str, reason: str) -> None:
    row = _row(page, woman)
    row.locator("select[name=decision]").select_option(decision)
    row.locator("input[name=reason]").fill(reason)
    with page.expect_navigation():
        row.locator("button").click()


@pytest.mark.browser
def test_a_list_goes_from_draft_to_enrolment(
    context: BrowserContext, page: Page, officer_page: Page, live_server: Any, union: Union
) -> None:
    operator, officer = page, officer_page
    sign_in(context, live_server, union.operator.user)
    operator.goto(reverse("selection:quotas"))
    _press(operator, f"#draft-{union.quota.pk}")
    assert 'lang="bn"' in operator.content()
    selection_list = SelectionList.objects.get(quota=union.quota)
    ranked = SelectionEntry.objects.filter(selection_list=selection_list).order_by("rank")
    assert [e.application.beneficiary_id for e in ranked] == [
        union.widow.pk,
        union.landless.pk,
        union.landed.pk,
    ]
    expect(_row(operator, union.widow)).to_contain_text("১")  # rank 1, in Bengali digits
    assert _row(operator, union.late).count() == 0

    operator.fill("#review-form [name=committee_name]", COMMITTEE)
    operator.fill("#review-form [name=reviewed_on]", (timezone.localdate() - timedelta(days=1)).isoformat())
    _press(operator, "#start-review")
    operator.fill("#member-form [name=name]", MEMBER)
    operator.fill("#member-form [name=institution]", "ইউনিয়ন পরিষদ")
    operator.fill("#member-form [name=role_on_committee]", "সভাপতি")
    _press(operator, "#add-member")
    expect(operator.locator("#members")).to_contain_text(MEMBER)
    _decide(operator, union.landed, "EXCLUDE", "জমি ৪০ শতাংশ")
    _decide(operator, union.widow, "INCLUDE", "")
    _press(operator, "#include-rest")
    assert operator.locator("#publish-form").count() == 0  # publishing is for the officer

    officer.goto(f"/benefits/selection/lists/{selection_list.pk}/")
    officer.fill(
        "#publish-form [name=objections_end_on]", (timezone.localdate() + timedelta(days=7)).isoformat()
    )
    _press(officer, "#publish")
    expect(officer.locator("#list-status")).to_have_text(str(SelectionList.Status.PUBLISHED.label))

    operator.reload()
    operator.select_option("#objection-form [name=about]", Objection.About.OMISSION)
    operator.fill("#objection-form [name=text]", "হাসিনা পারভীন বাদ পড়েছেন")
    _press(operator, "#objection-form button[type=submit]")
    objection = Objection.objects.get(selection_list=selection_list)
    assert objection.status == Objection.Status.OPEN and objection.channel == Objection.Channel.OFFICER

    officer.reload()
    assert officer.locator("#finalise").count() == 1
    decision = officer.locator("#objections li form")
    decision.locator("[name=upheld]").select_option("yes")
    decision.locator("[name=reason]").fill("Home visit confirmed she qualifies; a place is free.")
    decision.locator("[name=registry_number]").fill(union.late.registry_number)
    _press(officer, "#objections li form button[type=submit]")
    expect(officer.locator("#objections")).to_contain_text(str(Objection.Status.UPHELD.label))
    expect(_row(officer, union.late)).to_contain_text("Include")

    # A week later the window has closed (moved here rather than waiting); the officer makes it final.
    SelectionList.objects.filter(pk=selection_list.pk).update(
        objections_end_on=timezone.localdate() - timedelta(days=1)
    )
    officer.reload()
    _press(officer, "#finalise")
    expect(officer.locator("#list-status")).to_have_text(str(SelectionList.Status.FINAL.label))

    selection_list.refresh_from_db()
    assert selection_list.status == SelectionList.Status.FINAL
    assert selection_list.committee_name == COMMITTEE
    member = CommitteeMember.objects.get(selection_list=selection_list)
    assert (member.name, member.was_present) == (MEMBER, True)
    decisions = dict(
        SelectionEntry.objects.filter(selection_list=selection_list).values_list(
            "application__beneficiary_id", "decision"
        )
    )
    included, excluded = SelectionEntry.Decision.INCLUDE, SelectionEntry.Decision.EXCLUDE
    assert decisions == {
        union.widow.pk: included,
        union.landless.pk: included,
        union.landed.pk: excluded,
        union.late.pk: included,
    }
    objection.refresh_from_db()
    assert objection.status == Objection.Status.UPHELD and objection.decided_by == union.officer.user
    enrolled = Enrolment.objects.filter(status=Enrolment.Status.ACTIVE)
    assert set(enrolled.values_list("beneficiary_id", flat=True)) == {
        union.widow.pk,
        union.landless.pk,
        union.late.pk,
    }
    assert all(enrolment.card_number for enrolment in enrolled)
    statuses = dict(Application.objects.values_list("beneficiary_id", "status"))
    assert statuses[union.landed.pk] == Application.Status.NOT_SELECTED
    assert statuses[union.late.pk] == Application.Status.SELECTED
