"""A lawyer's protection-order work through a real Chromium, in Bengali: from her client's case she opens
a protection-order matter, drafts the application from the organisation's Bengali template, prints it,
schedules the hearing, records what the court decided and closes the matter with its outcome.

Her name, the respondent and the facts are synthetic. The PDF is read back to check it is set in the
Bengali Noto face and carries the filled-in values.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.cases.actions import assign_worker, open_case, record_incident
from haven.cases.models import Case, CaseAssignment
from haven.conftest import make_member, make_org
from haven.documents.actions import install_examples
from haven.documents.forms import asked_field_name
from haven.documents.models import DocumentTemplate, Draft
from haven.legal.actions import add_advocate
from haven.legal.models import Advocate, Hearing, Matter
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.web.tests.browser_support import sign_in, skip_unless_browser_available
from haven.web.tests.pdf_support import font_families

skip_unless_browser_available()
from playwright.sync_api import BrowserContext, Page  # noqa: E402 - only once it is known to exist

HER_NAME = "সালমা খাতুন"  # synthetic
RESPONDENT = "রফিক মিয়া"  # synthetic
FACTS = "প্রতিপক্ষ গত মাসে আবেদনকারীকে মারধর করেছে এবং হুমকি দিয়েছে।"  # synthetic
COURT = "পারিবারিক আদালত, ঢাকা"


class Scene:
    def __init__(self, lawyer: Membership, case: Case) -> None:
        self.lawyer, self.case = lawyer, case


@pytest.fixture
def scene(transactional_db: None, _async_unsafe_allowed: None) -> Scene:
    at = timezone.now()
    org = make_org("legal-aid", at=at, language="bn")
    caseworker = make_member(org, Role.CASEWORKER, username="flow.caseworker", at=at, language="bn")
    lawyer = make_member(org, Role.LAWYER, username="flow.lawyer", at=at, language="bn")
    add_advocate(org=org, kind=Advocate.Kind.IN_HOUSE, membership=lawyer, acting_user=None, at=at)
    install_examples(org=org, acting_user=None, at=at)
    survivor = register_person(org=org, name=HER_NAME, born_on=date(1994, 3, 8), acting_user=None, at=at)
    case = open_case(survivor=survivor, lead=caseworker, acting_user=None, at=at)
    assign_worker(
        case=case, membership=lawyer, role_in_case=CaseAssignment.RoleInCase.SUPPORT, acting_user=None, at=at
    )
    last_week = timezone.localdate(at) - timedelta(days=7)
    record_incident(
        case=case,
        occurred_on=last_week,
        reported_on=last_week,
        place_type="HOME",
        physical_violence=True,
        acting_user=None,
        at=at,
    )
    return Scene(lawyer, case)


def _open_the_matter(page: Page, scene: Scene) -> Matter:
    page.goto(f"/cases/{scene.case.pk}/")
    with page.expect_navigation():
        page.click("#open-protection-order")
    # The matter was opened ten days ago, so the hearing "this morning" falls after it at any hour.
    page.fill("#id_opened_on", (timezone.localdate() - timedelta(days=10)).isoformat())
    page.fill("#id_court", COURT)
    page.fill("#id_opposing_party_name", RESPONDENT)
    page.select_option("#id_opposing_party_relationship", Matter.Relationship.HUSBAND)
    with page.expect_navigation():
        page.click("#save")
    matter = Matter.objects.get(case=scene.case)
    assert matter.kind == Matter.Kind.PROTECTION_ORDER
    page.wait_for_url(f"**/legal/matters/{matter.pk}/")
    return matter


def _draft_the_application(page: Page) -> Draft:
    template = DocumentTemplate.objects.get(kind="PROTECTION_ORDER", language="bn")
    with page.expect_navigation():
        page.click("#draft-for-matter")
    with page.expect_navigation():
        page.click(f"#use-template-{template.pk}")
    # The matter gives the court and the respondent; the rest only she and her lawyer can say.
    assert page.input_value(f"[name={asked_field_name('court.name')}]") == COURT
    page.fill(f"[name={asked_field_name('survivor.address')}]", "আইনজীবীর চেম্বার, ঢাকা (কাল্পনিক)")
    page.fill(f"[name={asked_field_name('law.basis')}]", "পারিবারিক সহিংসতা (প্রতিরোধ ও সুরক্ষা) আইন")
    page.fill(f"[name={asked_field_name('facts')}]", FACTS)
    page.fill(f"[name={asked_field_name('relief')}]", "প্রতিপক্ষকে আবেদনকারীর কাছে আসতে নিষেধ করা হোক।")
    page.fill(f"[name={asked_field_name('signed.place')}]", "ঢাকা")
    with page.expect_navigation():
        page.click("#make-draft")
    draft = Draft.objects.get()
    page.get_by_text(FACTS).wait_for()
    return draft


def _print_it(page: Page) -> bytes:
    with page.expect_download() as download:
        page.click("#download-pdf")
    path = download.value.path()
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    return data


def _schedule_and_record_the_hearing(page: Page, matter: Matter) -> Hearing:
    page.goto(f"/legal/matters/{matter.pk}/")
    with page.expect_navigation():
        page.click("#schedule-hearing")
    # She is back from court: the hearing was this morning.
    this_morning = timezone.localtime() - timedelta(hours=3)
    page.fill("#id_starts_at", this_morning.strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_purpose", Hearing.Purpose.FIRST_HEARING)
    with page.expect_navigation():
        page.click("#save")
    hearing = Hearing.objects.get(matter=matter)
    with page.expect_navigation():
        page.click(f"#result-{hearing.pk}")
    page.select_option("#id_result", Hearing.Result.ORDER_GRANTED)
    with page.expect_navigation():
        page.click("#save")
    return hearing


def _record_the_outcome(page: Page) -> None:
    with page.expect_navigation():
        page.click("#record-outcome")
    page.select_option("#id_outcome", Matter.Outcome.GRANTED)
    page.fill("#id_closed_on", timezone.localdate().isoformat())
    with page.expect_navigation():
        page.click("#save")
    page.locator("#matter-outcome").wait_for()


@pytest.mark.browser
def test_a_lawyer_drafts_a_bengali_protection_order_application_and_records_the_outcome(
    context: BrowserContext, page: Page, live_server: Any, scene: Scene
) -> None:
    sign_in(context, live_server, scene.lawyer.user)

    matter = _open_the_matter(page, scene)
    draft = _draft_the_application(page)
    assert draft.matter_id == matter.pk and draft.case_id == scene.case.pk
    pdf = _print_it(page)
    assert "Noto Sans Bengali" in font_families(pdf)

    hearing = _schedule_and_record_the_hearing(page, matter)
    _record_the_outcome(page)

    hearing.refresh_from_db()
    matter.refresh_from_db()
    assert hearing.result == Hearing.Result.ORDER_GRANTED
    assert (matter.status, matter.outcome) == (Matter.Status.CLOSED, Matter.Outcome.GRANTED)
    # The page speaks Bengali to her lawyer, and the case's timeline tells the story without names.
    page.goto(f"/cases/{scene.case.pk}/")
    html = page.content()
    assert 'lang="bn"' in html and RESPONDENT not in html
