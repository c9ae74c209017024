"""Restricted funds show what was pledged, received and remains; totals add up per year and currency,
never across currencies; the centre manager reads figures without any donor's name."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.orgs.roles import Role
from haven.supporters import actions
from haven.supporters.models import Donation, Supporter
from haven.supporters.tests import walk
from haven.supporters.tests.helpers import api


def _give(giver: Supporter, amount: str, currency: str = "CAD", **extra: Any) -> Donation:
    fields: dict[str, Any] = {"received_on": timezone.localdate(), "kind": Donation.Kind.MONEY} | extra
    if fields["kind"] == Donation.Kind.MONEY:
        fields |= {"amount": Decimal(amount), "method": Donation.Method.CARD}
    else:
        fields |= {"estimated_value": Decimal(amount), "description": "Toys"}
    return actions.record_donation(
        supporter=giver, currency=currency, acting_user=None, at=timezone.now(), **fields
    )


def test_it_keeps_the_balance_of_a_restricted_fund_and_the_totals_per_currency(world: World) -> None:
    foundation = walk.supporter(world.org, name="Fondation Lumière")
    project = walk.project(foundation)
    _give(foundation, "2500", project=project)
    _give(foundation, "1500.25", project=project)
    _give(foundation, "600", project=project, kind=Donation.Kind.IN_KIND)
    _give(foundation, "300")  # unrestricted: not in the fund
    _give(walk.supporter(world.org, name="Hans Euro"), "80", "EUR", is_anonymous=True)
    _give(foundation, "999", received_on=date(timezone.localdate().year - 1, 6, 1))

    fundraiser = world.members[Role.FUNDRAISER]
    fund = api(world, fundraiser, "GET", f"/donor-projects/{project.pk}").json()
    assert (fund["amount_pledged"], fund["received"], fund["in_kind"]) == ("10000.00", "4000.25", "600.00")
    assert (fund["remaining"], fund["gifts"]) == ("5999.75", 3)

    manager = world.members[Role.CENTRE_MANAGER]
    year = timezone.localdate().year
    answer = api(world, manager, "GET", f"/donation-totals?year={year}")
    assert answer.status_code == 200
    rows = {row["currency"]: row for row in answer.json()["totals"]}
    assert (rows["CAD"]["money"], rows["CAD"]["in_kind"], rows["CAD"]["gifts"]) == ("4300.25", "600.00", 4)
    assert (rows["EUR"]["money"], rows["EUR"]["donors"]) == ("80.00", 1)
    assert answer.json()["projects"][0]["remaining"] == "5999.75"
    assert "Fondation" not in answer.content.decode()

    page = world.client_for(manager).get(reverse("supporters:totals"))
    assert page.status_code == 200 and "Fondation" not in page.content.decode()
    assert project.name in page.content.decode()
    thanks = world.client_for(fundraiser).get(reverse("supporters:totals")).content.decode()
    assert "Fondation Lumière" in thanks and "Hans Euro" not in thanks  # his gift is anonymous
