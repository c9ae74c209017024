"""Generating a cycle's entitlements: who is covered, idempotence, interruption and resumption, progress,
and the command and background task that run it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from haven.benefits import actions, cycles
from haven.benefits.models import Cycle, Entitlement, Programme
from haven.benefits.tests import factories
from haven.benefits.tests.helpers import api, at, officer
from haven.conftest import World

MARCH = date(2026, 3, 1)


def _open(programme: Programme, month: date = MARCH) -> Cycle:
    return cycles.open_cycle(programme=programme, month=month, acting_user=None, at=at("2026-02-25"))


def _generate(cycle: Cycle, **options: Any) -> cycles.GenerationOutcome:
    return cycles.generate_entitlements(cycle=cycle, acting_user=None, at=at("2026-02-26"), **options)


def test_it_gives_each_covered_enrolment_one_entitlement_of_the_programme(world: World) -> None:
    vwb = factories.vwb(world.org)
    due = [factories.enrolment(vwb, starts_on=date(2026, 1, 1)) for _ in range(3)]
    factories.enrolment(vwb, starts_on=date(2026, 4, 1))  # starts after March
    ended = factories.enrolment(vwb, starts_on=date(2024, 1, 1))  # last month December 2025
    exited = factories.enrolment(vwb, starts_on=date(2026, 1, 1))
    actions.exit_enrolment(
        enrolment=exited, reason="MOVED", on=date(2026, 1, 20), acting_user=None, at=at("2026-01-21")
    )
    other = factories.enrolment(factories.mother_and_child(world.org), starts_on=date(2026, 1, 1))
    cycle = _open(vwb)

    outcome = _generate(cycle)

    rows = Entitlement.objects.filter(cycle=cycle)
    assert outcome.finished and outcome.inserted == 3
    assert {e.enrolment_id for e in rows} == {e.pk for e in due}
    assert {(e.item, e.quantity, e.status, e.org_id) for e in rows} == {
        ("rice", Decimal("30.00"), "DUE", world.org.pk)
    }
    assert ended.pk not in {e.enrolment_id for e in rows} and other.pk not in {e.enrolment_id for e in rows}
    cycle.refresh_from_db()
    assert (cycle.status, cycle.entitlement_count) == (Cycle.Status.GENERATED, 3)
    assert list(cycle.transitions.values_list("to_status", flat=True)) == ["OPEN", "GENERATED"]


def test_the_cycle_of_december_9999_generates_without_a_server_error(world: World) -> None:
    vwb = factories.vwb(world.org, duration_months=1)
    last = factories.enrolment(vwb, starts_on=date(9999, 12, 1))
    cycle = _open(vwb, date(9999, 12, 1))
    response = api(world, officer(world), "POST", f"/benefits/cycles/{cycle.pk}/generate")
    assert response.status_code == 200
    _generate(cycle)
    assert [e.enrolment_id for e in Entitlement.objects.filter(cycle=cycle)] == [last.pk]


def test_it_covers_the_first_and_the_last_month_of_an_enrolment(world: World) -> None:
    vwb = factories.vwb(world.org, duration_months=2)
    enrolment = factories.enrolment(vwb, starts_on=date(2026, 2, 1))  # February and March
    for month, expected in ((date(2026, 1, 1), 0), (date(2026, 2, 1), 1), (MARCH, 1), (date(2026, 4, 1), 0)):
        cycle = _open(vwb, month)
        assert _generate(cycle).inserted == expected, month
    assert enrolment.ends_on == MARCH


def test_a_rerun_adds_nothing(world: World) -> None:
    vwb = factories.vwb(world.org)
    for _ in range(4):
        factories.enrolment(vwb, starts_on=date(2026, 1, 1))
    cycle = _open(vwb)
    _generate(cycle, batch_size=3)

    again = _generate(cycle, batch_size=3)

    assert again.finished and again.inserted == 0
    cycle.refresh_from_db()
    assert cycle.entitlement_count == 4 == Entitlement.objects.filter(cycle=cycle).count()


def test_an_interrupted_run_keeps_its_batches_and_the_next_run_finishes_the_rest(world: World) -> None:
    vwb = factories.vwb(world.org)
    for _ in range(5):
        factories.enrolment(vwb, starts_on=date(2026, 1, 1))
    cycle = _open(vwb)

    first = _generate(cycle, batch_size=2, max_batches=1)  # as if the worker died after one batch
    cycle.refresh_from_db()
    assert (first.finished, first.inserted, cycle.generation_done, cycle.generation_total) == (False, 2, 2, 5)
    assert cycle.is_generating and cycle.status == Cycle.Status.OPEN
    assert cycles.progress_of(cycle)["percent"] == 40

    rest = _generate(cycle, batch_size=2)

    assert rest.finished and rest.inserted == 3
    cycle.refresh_from_db()
    assert not cycle.is_generating and cycle.entitlement_count == 5 and cycle.generation_cursor is None
    assert Entitlement.objects.filter(cycle=cycle).count() == 5


def test_a_new_enrolment_after_generation_is_added_by_the_next_run(world: World) -> None:
    vwb = factories.vwb(world.org)
    factories.enrolment(vwb, starts_on=date(2026, 1, 1))
    cycle = _open(vwb)
    _generate(cycle)
    late = factories.enrolment(vwb, starts_on=date(2026, 3, 1))

    assert _generate(cycle).inserted == 1
    assert Entitlement.objects.filter(cycle=cycle, enrolment=late).exists()


def test_an_approved_cycle_is_not_generated_again(world: World) -> None:
    cycle = _open(factories.vwb(world.org))
    _generate(cycle)
    cycles.approve_cycle(cycle=cycle, acting_user=None, at=at("2026-02-27"))

    with pytest.raises(ValidationError, match="approved"):
        _generate(cycle)


def test_a_month_has_one_cycle(world: World) -> None:
    vwb = factories.vwb(world.org)
    _open(vwb, MARCH)
    with pytest.raises(ValidationError, match="already a cycle"):
        _open(vwb, date(2026, 3, 17))


def test_the_command_opens_generates_and_reports(world: World) -> None:
    vwb = factories.vwb(world.org)
    for _ in range(3):
        factories.enrolment(vwb, starts_on=date(2026, 1, 1))
    out = StringIO()

    call_command("generate_cycle", programme="vwb", month="2026-03", batch_size=2, stdout=out)
    call_command("generate_cycle", programme="vwb", month="2026-03", stdout=out)

    text = out.getvalue()
    assert "100% 3/3" in text and "3 entitlements added" in text and "0 entitlements added" in text
    assert Cycle.objects.get(programme=vwb).entitlement_count == 3


def test_the_page_queues_the_work_and_the_progress_endpoint_follows_it(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    vwb = factories.vwb(world.org)
    factories.enrolment(vwb, starts_on=date(2026, 1, 1))
    cycle = _open(vwb)
    client = world.client_for(officer(world))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("benefits:cycle_generate", args=[cycle.pk]))

    assert response.status_code == 302 and len(callbacks) == 1
    progress = client.get(reverse("benefits:cycle_progress", args=[cycle.pk])).json()
    assert progress == {
        "status": "GENERATED",
        "running": False,
        "done": 1,
        "total": 1,
        "percent": 100,
        "entitlements": 1,
    }
    page = client.get(reverse("benefits:cycle_detail", args=[cycle.pk]))
    assert page.status_code == 200 and b"generation-progress" not in page.content


def test_the_api_opens_a_cycle_and_starts_its_generation(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    vwb = factories.vwb(world.org)
    factories.enrolment(vwb, starts_on=date(2026, 1, 1))
    member = officer(world)
    opened = api(world, member, "POST", f"/benefits/programmes/{vwb.pk}/cycles", {"month": "2026-03-09"})
    assert opened.status_code == 201 and opened.json()["month"] == "2026-03-01"
    cycle_id = opened.json()["id"]

    with django_capture_on_commit_callbacks(execute=True):
        started = api(world, member, "POST", f"/benefits/cycles/{cycle_id}/generate", {})

    assert started.status_code == 200 and started.json()["running"] is True
    detail = api(world, member, "GET", f"/benefits/cycles/{cycle_id}").json()
    assert detail["status"] == "GENERATED" and detail["entitlement_count"] == 1
    assert detail["coverage"][0]["covered"] == detail["coverage"][0]["entitled"] == 1
