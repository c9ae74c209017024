"""Bad input is refused with a clear sentence on the field at fault (422), and nothing is written: no
donation, no receipt, no number taken from the counter, no audit entry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.supporters import actions
from haven.supporters.models import Donation
from haven.supporters.tests import walk
from haven.supporters.tests.helpers import api, fundraiser, written


def _refused(response: Any, field: str, words: str) -> None:
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert any(e["field"] == field and words in e["message"] for e in errors), errors


def _money(**extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {"received_on": today.isoformat(), "kind": "MONEY", "amount": "100", "currency": "CAD"} | {
        "method": "CASH",
        **extra,
    }


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (_money(amount="-20"), "amount", "more than zero"),
        (_money(amount="0"), "amount", "more than zero"),
        (_money(amount="10.505"), "amount", "at most 2 decimals"),
        (_money(currency="XYZ"), "currency", "ISO 4217"),
        (_money(currency="EURO"), "currency", "ISO 4217"),
        (_money(currency=""), "currency", "ISO 4217"),
        (_money(received_on=(timezone.localdate() + timedelta(days=2)).isoformat()), "received_on", "future"),
        ({"received_on": timezone.localdate().isoformat(), "kind": "IN_KIND"}, "description", "required"),
    ],
)
def test_it_refuses_a_bad_gift(world: World, body: dict[str, Any], field: str, words: str) -> None:
    giver, member = walk.supporter(world.org), fundraiser(world)
    before = written()
    response = api(world, member, "POST", f"/supporters/{giver.pk}/donations", body)
    _refused(response, field, words)
    assert written() == before


def test_it_refuses_a_gift_restricted_to_another_donors_project_or_outside_its_period(world: World) -> None:
    member = fundraiser(world)
    project = walk.project()
    stranger = walk.supporter(world.org, name="Someone Else")
    before = written()
    other = api(
        world, member, "POST", f"/supporters/{stranger.pk}/donations", _money(project_id=str(project.pk))
    )
    _refused(other, "project", "another supporter")
    early = (project.starts_on - timedelta(days=1)).isoformat()
    body = _money(project_id=str(project.pk), received_on=early)
    _refused(
        api(world, member, "POST", f"/supporters/{project.supporter_id}/donations", body),
        "project",
        "period",
    )
    body = _money(project_id=str(project.pk), currency="EUR")
    _refused(
        api(world, member, "POST", f"/supporters/{project.supporter_id}/donations", body),
        "currency",
        "CAD",
    )
    assert written() == before


def test_it_refuses_a_receipt_without_a_value_and_a_second_valid_receipt(world: World) -> None:
    member = fundraiser(world)
    coats = actions.record_donation(
        supporter=walk.supporter(world.org),
        received_on=timezone.localdate(),
        kind=Donation.Kind.IN_KIND,
        description="Coats",
        acting_user=None,
        at=timezone.now(),
    )
    before = written()
    _refused(
        api(world, member, "POST", f"/donations/{coats.pk}/receipts", {}),
        "estimated_value",
        "estimated value",
    )
    assert written() == before

    receipt = walk.receipt()
    before = written()
    again = api(world, member, "POST", f"/donations/{receipt.donation_id}/receipts", {})
    _refused(again, "donation", "already has a valid receipt")
    value = api(
        world,
        member,
        "POST",
        f"/donations/{receipt.donation_id}/estimated-value",
        {"estimated_value": "1", "currency": "CAD"},
    )
    _refused(value, "estimated_value", "cancel it")
    assert written() == before


def test_the_form_shows_the_verbs_refusal_on_its_field(world: World) -> None:
    giver = walk.supporter(world.org)
    client = world.client_for(fundraiser(world))
    before = written()
    page = client.post(
        reverse("supporters:donation_create", args=[giver.pk]),
        {
            "kind": "MONEY",
            "received_on": timezone.localdate().isoformat(),
            "amount": "-5",
            "currency": "CAD",
            "method": "CASH",
        },
    )
    assert page.status_code == 422
    assert "The amount must be more than zero." in page.content.decode()
    bad_email = client.post(
        reverse("supporters:create"), {"kind": "COMPANY", "name": "X", "email": "nope", "language": "fr"}
    )
    assert bad_email.status_code == 422 and "e-mail address" in bad_email.content.decode()
    assert written() == before
