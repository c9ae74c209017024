"""The chain of a dispatch through the API: created → activated → … → completed, refusals out of order,
the handover at a shelter on the case timeline, audit entries and the encrypted location."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.urls import reverse

from haven.cases.models import Case
from haven.conftest import World
from haven.dispatch.models import Dispatch, DispatchEvent, Handover, Unit
from haven.dispatch.tests.conftest import ADDRESS, NAME, Crew, api, errors
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def _create(world: World, case: Case, **extra: Any) -> Any:
    body = {
        "case_id": str(case.pk),
        "priority": 1,
        "location_address": ADDRESS,
        "location_coordinates": "23.81, 90.41",
        "weapons": "YES",
        "children_present": "YES",
        "danger_notes": "He has a knife",
        **extra,
    }
    return api(world, world.members[Role.CASEWORKER], "POST", "/dispatches", body)


def _step(world: World, dispatch_id: str, step: str, **extra: Any) -> Any:
    member = world.members[Role.HOTLINE_AGENT]
    return api(world, member, "POST", f"/dispatches/{dispatch_id}/steps", {"step": step, **extra})


def test_it_runs_the_whole_chain_to_a_shelter(world: World, case: Case, crew: Crew) -> None:
    created = _create(world, case)
    assert created.status_code == 201, created.content
    dispatch_id = created.json()["id"]
    assert created.json()["location_address"] == ADDRESS and created.json()["next_steps"] == [
        "ACTIVATED",
        "CANCELLED",
    ]
    agent = world.members[Role.HOTLINE_AGENT]
    assigned = api(world, agent, "POST", f"/dispatches/{dispatch_id}/assign", {"unit_id": str(crew.unit.pk)})
    assert assigned.status_code == 200 and assigned.json()["status"] == "ACTIVATED"
    crew.unit.refresh_from_db()
    assert crew.unit.status == Unit.Status.EN_ROUTE

    for step in ("ACKNOWLEDGED", "EN_ROUTE", "ON_SCENE", "TRANSPORTING"):
        assert _step(world, dispatch_id, step).json()["status"] == step
    crew.unit.refresh_from_db()
    assert crew.unit.status == Unit.Status.EN_ROUTE
    arrived = _step(
        world, dispatch_id, "ARRIVED", destination_kind="SHELTER", destination_site_id=str(world.shelter.pk)
    )
    assert arrived.status_code == 200 and arrived.json()["destination_site_id"] == str(world.shelter.pk)
    done = _step(world, dispatch_id, "COMPLETED", disposition="TAKEN_TO_SAFETY")
    assert done.json()["status"] == "COMPLETED" and done.json()["closed_at"] is not None

    steps = list(DispatchEvent.objects.filter(dispatch_id=dispatch_id).values_list("step", flat=True))
    assert steps == [
        "CREATED",
        "ACTIVATED",
        "ACKNOWLEDGED",
        "EN_ROUTE",
        "ON_SCENE",
        "TRANSPORTING",
        "ARRIVED",
        "COMPLETED",
    ]
    assert all(event["actor_id"] for event in done.json()["events"])
    crew.unit.refresh_from_db()
    assert crew.unit.status == Unit.Status.AVAILABLE

    handover = Handover.objects.get(dispatch_id=dispatch_id)
    assert handover.case_id == case.pk and handover.site_id == world.shelter.pk
    page = world.client_for(world.members[Role.CASEWORKER]).get(reverse("cases:detail", args=[case.pk]))
    assert "Handed over by the mobile team at Shelter" in page.content.decode()
    assert ADDRESS not in page.content.decode()


def test_it_hands_nothing_over_at_a_hospital(world: World, case: Case, crew: Crew) -> None:
    dispatch_id = _create(world, case).json()["id"]
    api(
        world,
        world.members[Role.HOTLINE_AGENT],
        "POST",
        f"/dispatches/{dispatch_id}/assign",
        {"unit_id": str(crew.unit.pk)},
    )
    for step in ("ACKNOWLEDGED", "EN_ROUTE", "ON_SCENE", "TRANSPORTING"):
        _step(world, dispatch_id, step)
    missing = _step(world, dispatch_id, "ARRIVED", destination_kind="HOSPITAL")
    assert missing.status_code == 422 and "name the place" in errors(missing)
    arrived = _step(
        world, dispatch_id, "ARRIVED", destination_kind="HOSPITAL", destination_text="City hospital"
    )
    assert arrived.json()["status"] == "ARRIVED"
    assert not Handover.objects.exists()


def test_it_refuses_steps_out_of_order(world: World, case: Case, crew: Crew) -> None:
    dispatch_id = _create(world, case).json()["id"]
    early = _step(world, dispatch_id, "ON_SCENE")
    assert early.status_code == 422
    assert "“Created”: it cannot be marked “On scene”. Next: “Team activated”, “Cancelled”." in errors(early)
    by_step = _step(world, dispatch_id, "ACTIVATED")
    assert by_step.status_code == 422 and "Assign a team" in errors(by_step)
    assert list(DispatchEvent.objects.filter(dispatch_id=dispatch_id).values_list("step", flat=True)) == [
        "CREATED"
    ]

    no_reason = _step(world, dispatch_id, "CANCELLED")
    assert no_reason.status_code == 422 and "why" in errors(no_reason)
    assert _step(world, dispatch_id, "CANCELLED", cancel_reason="CALLER_SAFE").json()["status"] == "CANCELLED"
    after = _step(world, dispatch_id, "ACKNOWLEDGED")
    assert after.status_code == 422 and "cannot change any more" in errors(after)
    agent = world.members[Role.HOTLINE_AGENT]
    late = api(world, agent, "POST", f"/dispatches/{dispatch_id}/assign", {"unit_id": str(crew.unit.pk)})
    assert late.status_code == 422
    crew.unit.refresh_from_db()
    assert crew.unit.status == Unit.Status.AVAILABLE


def test_it_refuses_a_team_that_is_busy_or_off_duty(world: World, case: Case, crew: Crew) -> None:
    agent = world.members[Role.HOTLINE_AGENT]
    first, second = _create(world, case).json()["id"], _create(world, case).json()["id"]
    api(world, agent, "POST", f"/dispatches/{first}/assign", {"unit_id": str(crew.unit.pk)})
    busy = api(world, agent, "POST", f"/dispatches/{second}/assign", {"unit_id": str(crew.unit.pk)})
    assert busy.status_code == 422 and "Team North is “En route”, not available" in errors(busy)
    off = api(world, crew.responder, "POST", f"/units/{crew.unit.pk}/status", {"status": "OFF_DUTY"})
    assert off.status_code == 422 and "on a dispatch" in errors(off)
    assert Dispatch.objects.get(pk=second).status == "CREATED"


def test_it_requires_a_location_and_a_source(world: World, case: Case) -> None:
    nowhere = _create(world, case, location_address="", location_coordinates="")
    assert nowhere.status_code == 422 and "Say where the team must go" in errors(nowhere)
    bad = _create(world, case, location_coordinates="north of the river")
    assert bad.status_code == 422 and "latitude, longitude" in errors(bad)
    agent = world.members[Role.HOTLINE_AGENT]
    orphan = api(world, agent, "POST", "/dispatches", {"priority": 1, "location_address": ADDRESS})
    assert orphan.status_code == 422 and "case or a hotline contact" in errors(orphan)
    assert not Dispatch.objects.exists() and not AuditEntry.objects.filter(action="dispatch.create").exists()


def test_it_audits_field_names_only_and_encrypts_the_location(world: World, case: Case, crew: Crew) -> None:
    dispatch_id = _create(world, case).json()["id"]
    entry = AuditEntry.objects.get(action="dispatch.create", object_id=dispatch_id)
    assert {"location_address", "location_coordinates", "danger_notes", "weapons"} <= set(entry.fields)
    api(world, world.members[Role.HOTLINE_AGENT], "GET", f"/dispatches/{dispatch_id}")
    assert AuditEntry.objects.filter(action="dispatch.view", object_id=dispatch_id).exists()
    api(
        world,
        world.members[Role.HOTLINE_AGENT],
        "POST",
        f"/dispatches/{dispatch_id}/assign",
        {"unit_id": str(crew.unit.pk)},
    )
    assert sorted(AuditEntry.objects.get(action="dispatch.activate").fields) == ["status", "unit"]
    for value in AuditEntry.objects.values_list("fields", "reason_code"):
        assert ADDRESS not in str(value) and "knife" not in str(value)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT location_address, location_coordinates, danger_notes FROM dispatch_dispatch"
            " WHERE id = %s",
            [Dispatch.objects.get().pk.hex if connection.vendor == "sqlite" else dispatch_id],
        )
        stored = cursor.fetchone()
    assert all(column.startswith("h1$") for column in stored)
    assert not any(text in " ".join(stored) for text in (ADDRESS, "23.81", "knife", NAME))
