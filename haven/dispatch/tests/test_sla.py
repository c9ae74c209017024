"""Service-level clocks: breaches per dispatch (finished and still running) and compliance over a period
against the organisation's targets, through the API and the board."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.cases.models import Case
from haven.conftest import World
from haven.dispatch import actions
from haven.dispatch.models import Dispatch
from haven.dispatch.tests.conftest import ADDRESS, Crew, api, errors, make_crew
from haven.orgs.roles import Role


def _dispatch(world: World, case: Case, answered_seconds_ago: int) -> Dispatch:
    now = timezone.now()
    return actions.create_dispatch(
        case=case,
        priority=Dispatch.Priority.IMMEDIATE,
        location_address=ADDRESS,
        received_at=now - timedelta(seconds=answered_seconds_ago),
        acting_user=None,
        at=now,
    )


def _clock(response_json: dict[str, object], interval: str) -> dict[str, object]:
    clocks = response_json["clocks"]
    assert isinstance(clocks, list)
    return next(clock for clock in clocks if clock["interval"] == interval)


def test_it_flags_a_slow_dispatch_and_not_a_quick_one(world: World, case: Case, crew: Crew) -> None:
    agent = world.members[Role.HOTLINE_AGENT]
    slow, quick = _dispatch(world, case, 120), _dispatch(world, case, 10)
    other = make_crew(world, "Team South", "home.responder-south")
    api(world, agent, "POST", f"/dispatches/{slow.pk}/assign", {"unit_id": str(crew.unit.pk)})
    api(world, agent, "POST", f"/dispatches/{quick.pk}/assign", {"unit_id": str(other.unit.pk)})

    slow_clock = _clock(api(world, agent, "GET", f"/dispatches/{slow.pk}").json(), "ANSWER_TO_DISPATCH")
    quick_clock = _clock(api(world, agent, "GET", f"/dispatches/{quick.pk}").json(), "ANSWER_TO_DISPATCH")
    assert slow_clock["breached"] is True and slow_clock["running"] is False
    assert float(str(slow_clock["elapsed_seconds"])) >= 120 and slow_clock["target_seconds"] == 60
    assert quick_clock["breached"] is False

    report = api(world, agent, "GET", "/dispatch-targets").json()
    assert report == [
        {
            "interval": "ANSWER_TO_DISPATCH",
            "label": "Answer to dispatch (team activated)",
            "seconds": 60,
            "share": 90,
            "measured": 2,
            "met": 1,
            "share_met": 50.0,
            "breached": True,
        }
    ]


def test_it_flags_a_dispatch_still_waiting_for_a_team_on_the_board(world: World, case: Case) -> None:
    waiting = _dispatch(world, case, 90)
    rows = api(world, world.members[Role.HOTLINE_AGENT], "GET", "/dispatches").json()
    assert [row["id"] for row in rows] == [str(waiting.pk)]
    clock = _clock(rows[0], "ANSWER_TO_DISPATCH")
    assert clock["running"] is True and clock["breached"] is True

    client = world.client_for(world.members[Role.HOTLINE_AGENT])
    board = client.get(reverse("dispatch:board"))
    assert 'hx-trigger="every 5s"' in board.content.decode()
    rows_only = client.get(reverse("dispatch:board"), headers={"HX-Request": "true"}).content.decode()
    assert "Breached: Answer to dispatch (team activated)" in rows_only and "<h1>" not in rows_only
    assert ADDRESS not in rows_only


def test_it_uses_the_organisation_s_own_targets(world: World, case: Case, crew: Crew) -> None:
    manager = world.members[Role.CENTRE_MANAGER]
    answer = {"interval": "ANSWER_TO_DISPATCH", "seconds": 180, "share": 80}
    assert api(world, manager, "PUT", "/dispatch-targets", answer).status_code == 200
    travel = {"interval": "TRAVEL", "seconds": 900, "share": 90}
    assert api(world, manager, "PUT", "/dispatch-targets", travel).status_code == 200
    slow = _dispatch(world, case, 120)
    api(
        world,
        world.members[Role.HOTLINE_AGENT],
        "POST",
        f"/dispatches/{slow.pk}/assign",
        {"unit_id": str(crew.unit.pk)},
    )

    report = {row["interval"]: row for row in api(world, manager, "GET", "/dispatch-targets").json()}
    assert report["ANSWER_TO_DISPATCH"]["breached"] is False and report["ANSWER_TO_DISPATCH"]["met"] == 1
    assert report["TRAVEL"]["measured"] == 0 and report["TRAVEL"]["breached"] is False

    refused = api(world, manager, "PUT", "/dispatch-targets", {**answer, "share": 0})
    assert refused.status_code == 422
    agent = api(world, world.members[Role.HOTLINE_AGENT], "PUT", "/dispatch-targets", answer)
    assert agent.status_code == 403
    unknown = api(world, manager, "PUT", "/dispatch-targets", {**answer, "interval": "LUNCH"})
    assert unknown.status_code == 422 and "Choose one of" in errors(unknown)
