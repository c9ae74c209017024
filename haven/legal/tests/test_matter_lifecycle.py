"""A lawyer opens a protection-order matter from the case page, moves it and records its outcome; wrong
moves and bad dates are refused with a reason and leave nothing behind."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.cases.models import Case
from haven.legal.models import Matter, MatterTransition
from haven.legal.tests.conftest import Legal, api, errors, new_case, open_matter
from haven.orgs.roles import Role


def test_it_opens_a_protection_order_from_the_case_page(legal: Legal) -> None:
    client = legal.world.client_for(legal.lawyer)
    case_page = client.get(reverse("cases:detail", args=[legal.case.pk])).content.decode()
    url = reverse("legal:matter_create", args=[legal.case.pk]) + "?kind=PROTECTION_ORDER"
    assert url.replace("&", "&amp;") in case_page or url in case_page
    form = client.get(url).content.decode()
    assert 'value="PROTECTION_ORDER" selected' in form
    response = client.post(
        url,
        {
            "kind": "PROTECTION_ORDER",
            "opened_on": timezone.localdate().isoformat(),
            "court": "Family Court, Dhaka",
            "opposing_party_name": "Karim Opponent",
            "opposing_party_relationship": "HUSBAND",
            "advocate": str(legal.in_house.pk),
        },
    )
    matter = Matter.objects.get(case=legal.case)
    assert response.status_code == 302 and response["Location"] == reverse("legal:matter", args=[matter.pk])
    assert matter.reference == f"L-{timezone.localdate().year}-0001"
    assert matter.status == Matter.Status.OPEN and matter.advocate == legal.in_house
    assert matter.opposing_party_name == "Karim Opponent"
    raw = Matter.objects.filter(pk=matter.pk).values_list("opposing_party_name", flat=True).get()
    assert "Karim" not in str(raw)  # stored sealed
    second = open_matter(legal.case, legal.at, kind=Matter.Kind.DIVORCE)
    assert second.reference.endswith("-0002")


def test_it_moves_the_matter_and_closes_it_with_an_outcome(legal: Legal) -> None:
    matter = open_matter(legal.case, legal.at)
    client = legal.world.client_for(legal.lawyer)
    client.post(reverse("legal:matter_transition", args=[matter.pk]), {"verb": "file"})
    response = client.post(
        reverse("legal:matter_outcome", args=[matter.pk]),
        {"outcome": "GRANTED", "closed_on": timezone.localdate().isoformat(), "notes": "Order for 12 months"},
    )
    assert response.status_code == 302
    matter.refresh_from_db()
    assert (matter.status, matter.outcome, matter.outcome_notes) == (
        "CLOSED",
        "GRANTED",
        "Order for 12 months",
    )
    moves = list(MatterTransition.objects.filter(matter=matter).values_list("from_status", "to_status"))
    assert moves == [("", "OPEN"), ("OPEN", "FILED"), ("FILED", "CLOSED")]
    reopened = api(legal.world, legal.lawyer, "POST", f"/matters/{matter.pk}/transition", {"verb": "reopen"})
    assert reopened.json()["status"] == "OPEN" and reopened.json()["outcome"] == ""


def test_it_refuses_wrong_moves_and_bad_dates(legal: Legal) -> None:
    matter = open_matter(legal.case, legal.at)
    lawyer = legal.lawyer
    wrong = api(legal.world, lawyer, "POST", f"/matters/{matter.pk}/transition", {"verb": "reopen"})
    assert wrong.status_code == 422 and "cannot reopen it" in errors(wrong)
    unknown = api(legal.world, lawyer, "POST", f"/matters/{matter.pk}/transition", {"verb": "win"})
    assert unknown.status_code == 422
    early = (matter.opened_on - timedelta(days=1)).isoformat()
    before = api(
        legal.world,
        lawyer,
        "POST",
        f"/matters/{matter.pk}/outcome",
        {"outcome": "GRANTED", "closed_on": early},
    )
    assert before.status_code == 422 and "before the matter was opened" in errors(before)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = api(
        legal.world,
        lawyer,
        "POST",
        f"/cases/{legal.case.pk}/matters",
        {"kind": "DIVORCE", "opened_on": tomorrow},
    )
    assert future.status_code == 422 and "still to come" in errors(future)
    bad_kind = api(legal.world, lawyer, "POST", f"/cases/{legal.case.pk}/matters", {"kind": "DUEL"})
    assert bad_kind.status_code == 422
    assert Matter.objects.count() == 1 and MatterTransition.objects.count() == 1


def test_it_refuses_a_matter_on_a_closed_case_with_the_reason_on_the_form(legal: Legal) -> None:
    case = new_case(legal.world)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=legal.at)
    client = legal.world.client_for(legal.world.members[Role.CENTRE_MANAGER])
    response = client.post(
        reverse("legal:matter_create", args=[case.pk]),
        {"kind": "CUSTODY", "opened_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 422
    assert "This case is closed" in response.content.decode()
    assert not Matter.objects.filter(case=case).exists()
