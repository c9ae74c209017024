"""The API: issuing with a proxy, refusals as 422 with the field at fault, the allocation plan."""

from __future__ import annotations

from haven.benefits.distribution.tests.helpers import api, scene, written
from haven.benefits.models import Cycle
from haven.conftest import World
from haven.orgs.roles import Role


def test_it_issues_to_a_proxy_and_refuses_a_second_issue_with_422(world: World) -> None:
    here = scene(world.org, cards=2)
    clerk = world.members[Role.COMPUTER_OPERATOR]
    path = f"/distribution-points/{here.point.pk}/issues"
    body = {
        "cycle_id": str(here.cycle.pk),
        "card_number": here.cards[0],
        "proxy": {"name": "Jamal Uddin", "relationship": "CHILD", "id_checked": True},
    }
    answer = api(world, clerk, "POST", path, body)
    assert answer.status_code == 201, answer.content
    assert (answer.json()["by_proxy"], answer.json()["quantity"]) == (True, "30.00")
    assert "Jamal" not in answer.content.decode()  # the proxy's name is not echoed back

    before = written()
    again = api(world, clerk, "POST", path, body)
    assert again.status_code == 422
    assert again.json()["errors"] == [
        {
            "field": "card_number",
            "message": f"The ration of card {here.cards[0]} for 2026-03 was already issued.",
        }
    ]
    bad_proxy = api(
        world,
        clerk,
        "POST",
        path,
        {**body, "card_number": here.cards[1], "proxy": {"name": "X", "relationship": "COUSIN"}},
    )
    assert bad_proxy.status_code == 422
    assert written() == before


def test_it_shows_what_stops_a_cycle_from_being_approved(world: World) -> None:
    here = scene(world.org, cards=2, stock="45", status=Cycle.Status.GENERATED)
    answer = api(
        world,
        world.members[Role.PROGRAMME_OFFICER],
        "GET",
        f"/distribution/cycles/{here.cycle.pk}/allocation",
    )
    assert answer.status_code == 200
    assert answer.json()["needs"][0]["shortfall"] == "15.00"
    assert answer.json()["problems"] == [
        "Not enough rice at Kaliganj union store: 60 kg due, 45 kg available, 15 kg short."
    ]
    refused = api(
        world,
        world.members[Role.PROGRAMME_OFFICER],
        "POST",
        f"/distribution/cycles/{here.cycle.pk}/allocation",
    )
    assert refused.status_code == 422
