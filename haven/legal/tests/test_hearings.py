"""Hearings: scheduling puts the matter before the court; a result with a next date schedules the next
hearing; a hearing before the matter was opened, a result for a hearing to come and a next date before
the hearing are refused."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.legal.models import Hearing, Matter
from haven.legal.tests.conftest import Legal, api, errors, hearing_on, open_matter

FORMAT = "%Y-%m-%dT%H:%M"


def test_it_schedules_from_the_matter_page_and_records_the_result_with_a_next_date(legal: Legal) -> None:
    matter = open_matter(legal.case, legal.at)
    client = legal.world.client_for(legal.lawyer)
    page = client.get(reverse("legal:matter", args=[matter.pk])).content.decode()
    assert reverse("legal:hearing_create", args=[matter.pk]) in page
    held = timezone.localtime() - timedelta(days=2)
    response = client.post(
        reverse("legal:hearing_create", args=[matter.pk]),
        {"starts_at": held.strftime(FORMAT), "purpose": "FIRST_HEARING", "court": ""},
    )
    assert response.status_code == 302
    hearing = Hearing.objects.get(matter=matter)
    assert hearing.court == "Family Court, Dhaka"
    matter.refresh_from_db()
    assert matter.status == Matter.Status.IN_COURT
    next_date = timezone.localtime() + timedelta(days=14)
    response = client.post(
        reverse("legal:hearing_result", args=[hearing.pk]),
        {
            "result": "INTERIM_ORDER",
            "note": "Interim protection granted",
            "next_starts_at": next_date.strftime(FORMAT),
            "next_purpose": "ARGUMENTS",
        },
    )
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.result == "INTERIM_ORDER" and hearing.next_hearing is not None
    assert hearing.next_hearing.purpose == "ARGUMENTS" and hearing.next_hearing.court == hearing.court
    listed = api(legal.world, legal.lawyer, "GET", f"/cases/{legal.case.pk}/matters").json()
    assert listed[0]["next_hearing_at"] is not None


def test_it_refuses_a_hearing_before_the_matter_was_opened(legal: Legal) -> None:
    matter = open_matter(legal.case, legal.at)
    before = timezone.localtime() - timedelta(days=40)
    page = legal.world.client_for(legal.lawyer).post(
        reverse("legal:hearing_create", args=[matter.pk]),
        {"starts_at": before.strftime(FORMAT), "purpose": "FIRST_HEARING"},
    )
    assert page.status_code == 422 and "before the matter was opened" in page.content.decode()
    response = api(
        legal.world,
        legal.lawyer,
        "POST",
        f"/matters/{matter.pk}/hearings",
        {"starts_at": before.isoformat(), "purpose": "FIRST_HEARING"},
    )
    assert response.status_code == 422 and errors(response).startswith("A hearing cannot be before")
    assert not Hearing.objects.exists()
    matter.refresh_from_db()
    assert matter.status == Matter.Status.OPEN


def test_it_refuses_a_result_for_a_hearing_to_come_and_a_next_date_before_it(legal: Legal) -> None:
    matter = open_matter(legal.case, legal.at)
    coming = hearing_on(matter, legal.at + timedelta(days=3), legal.at)
    early = api(legal.world, legal.lawyer, "POST", f"/hearings/{coming.pk}/result", {"result": "ADJOURNED"})
    assert early.status_code == 422 and "has not taken place yet" in errors(early)
    past = hearing_on(matter, legal.at - timedelta(days=3), legal.at)
    backwards = api(
        legal.world,
        legal.lawyer,
        "POST",
        f"/hearings/{past.pk}/result",
        {"result": "ADJOURNED", "next_starts_at": (legal.at - timedelta(days=5)).isoformat()},
    )
    assert backwards.status_code == 422 and "next date must be after" in errors(backwards)
    assert Hearing.objects.filter(matter=matter).count() == 2
    done = api(legal.world, legal.lawyer, "POST", f"/hearings/{past.pk}/result", {"result": "EVIDENCE_HEARD"})
    assert done.status_code == 200
    twice = api(legal.world, legal.lawyer, "POST", f"/hearings/{past.pk}/result", {"result": "ADJOURNED"})
    assert twice.status_code == 422 and "already recorded" in errors(twice)
