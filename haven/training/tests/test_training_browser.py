"""A trade course through a real Chromium: the computer operator adds a tailoring course to the centre,
plans a batch that started last week, starts it, enrols two women from the registry (one is a VWB
beneficiary, so her training counts for VWB), keeps the register on two days, records the exam marks and
issues a certificate to the one who passed and came often enough; the other is refused with the reason.
The certificate PDF is downloaded and read back.

Names and registry numbers are synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.benefits.models import Beneficiary, Enrolment
from haven.benefits.tests import factories
from haven.conftest import make_member, make_org
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.training.models import AttendanceDay, Batch, Course, Trainee, TrainingCentre, TrainingCertificate
from haven.training.tests.helpers import centre
from haven.web.tests.browser_support import sign_in, skip_unless_browser_available, submit_main_form
from haven.web.tests.pdf_support import text_of

skip_unless_browser_available()
from playwright.sync_api import BrowserContext, Page, expect  # noqa: E402 - only once it is known to exist

COURSE = "Tailoring and dress-making"


@dataclass
class Centre:
    operator: Membership
    centre: TrainingCentre
    shirin: Beneficiary  # a VWB beneficiary: comes every day, passes
    parvin: Beneficiary  # misses a day: passes the exam, but too few days for a certificate
    vwb: Enrolment


@pytest.fixture
def here(transactional_db: None, _async_unsafe_allowed: None) -> Centre:
    at = timezone.now()
    org = make_org("dwa-training", at=at)
    operator = make_member(org, Role.COMPUTER_OPERATOR, username="training.operator", at=at)
    shirin = factories.beneficiary(org, name="Shirin Akter")
    vwb = factories.enrolment(factories.vwb(org), shirin, starts_on=timezone.localdate().replace(day=1))
    return Centre(operator, centre(org), shirin, factories.beneficiary(org, name="Parvin Sultana"), vwb)


def _press(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _keep_register(page: Page, day: str, absent: Trainee | None = None) -> None:
    _press(page, "#keep-register")
    page.fill("#register-form [name=on]", day)
    if absent is not None:
        page.uncheck(f"#register-form input[value='{absent.pk}']")
    submit_main_form(page)


def _row(page: Page, trainee: Trainee) -> Any:
    return page.locator(f"#trainee-{trainee.pk}")


def _issue_certificate(page: Page, trainee: Trainee) -> None:
    _row(page, trainee).locator("select[name=language]").select_option("en")
    with page.expect_navigation():
        _row(page, trainee).get_by_role("button", name="Issue the certificate").click()


@pytest.mark.browser
def test_a_woman_is_trained_examined_and_certified(
    context: BrowserContext, page: Page, live_server: Any, here: Centre
) -> None:
    sign_in(context, live_server, here.operator.user)
    started = timezone.localdate() - timedelta(days=7)
    page.goto(reverse("training:centre", args=[here.centre.pk]))
    _press(page, "#new-course")
    page.select_option("main form [name=kind]", Course.Kind.TRADE)
    page.fill("main form [name=title]", COURSE)
    page.fill("main form [name=min_attendance]", "75")
    submit_main_form(page)
    course = Course.objects.get(centre=here.centre)
    assert (course.title, course.weeks, course.pass_mark, course.min_attendance) == (COURSE, 12, 50, 75)

    page.goto(f"/training/{here.centre.pk}/")
    with page.expect_navigation():
        page.locator(f"#course-{course.pk}").get_by_role("link", name="Plan a batch").click()
    page.fill("main form [name=code]", "2026-2")
    page.fill("main form [name=starts_on]", started.isoformat())
    submit_main_form(page)
    batch = Batch.objects.get(course=course)
    if not page.url.endswith(f"/training/batches/{batch.pk}/"):
        page.goto(f"/training/batches/{batch.pk}/")
    _press(page, "#start")
    expect(page.locator("#batch-status")).to_have_text(str(Batch.Status.RUNNING.label))

    for woman in (here.shirin, here.parvin):
        page.fill("#enrol-form [name=registry_number]", woman.registry_number)
        _press(page, "#enrol")
    shirin = Trainee.objects.get(beneficiary=here.shirin)
    parvin = Trainee.objects.get(beneficiary=here.parvin)
    assert shirin.benefit_enrolment == here.vwb and parvin.benefit_enrolment is None
    expect(_row(page, shirin)).to_contain_text("VWB training")

    _keep_register(page, started.isoformat())
    page.goto(f"/training/batches/{batch.pk}/")
    _keep_register(page, (started + timedelta(days=1)).isoformat(), absent=parvin)
    page.goto(f"/training/batches/{batch.pk}/")
    expect(_row(page, shirin)).to_contain_text("2/2")
    expect(_row(page, parvin)).to_contain_text("1/2")

    for trainee, mark in ((shirin, "72"), (parvin, "64")):
        _row(page, trainee).locator("input[name=score]").fill(mark)
        with page.expect_navigation():
            _row(page, trainee).get_by_role("button", name="Record the mark").click()
    expect(_row(page, shirin)).to_contain_text("72 (passed)")

    _issue_certificate(page, parvin)
    expect(page.locator(".messages .error")).to_contain_text(
        "She came to 50% of the days; the course asks for 75%."
    )
    _issue_certificate(page, shirin)
    expect(page.locator(".messages .success")).to_contain_text("The certificate was issued.")
    certificate = TrainingCertificate.objects.get()
    assert certificate.trainee == shirin and certificate.number.startswith("TC-")

    with page.expect_download() as download:
        _row(page, shirin).get_by_role("link", name=certificate.number).click()
    assert download.value.suggested_filename == f"certificate-{certificate.number}.pdf"
    text = " ".join(text_of(download.value.path().read_bytes()).split())
    for expected in ("Shirin Akter", COURSE, certificate.number, here.centre.name):
        assert expected in text, (expected, text)
    assert "Parvin" not in text

    assert AttendanceDay.objects.filter(trainee=shirin, present=True).count() == 2
    assert list(
        AttendanceDay.objects.filter(trainee=parvin).order_by("on").values_list("present", flat=True)
    ) == [
        True,
        False,
    ]
    shirin.refresh_from_db()
    parvin.refresh_from_db()
    assert (shirin.exam_score, shirin.passed, parvin.exam_score, parvin.passed) == (72, True, 64, True)
    assert not TrainingCertificate.objects.filter(trainee=parvin).exists()
