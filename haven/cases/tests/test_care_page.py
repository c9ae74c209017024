"""The case page and API with many care records: every panel and timeline source, in a bounded number
of queries however many records there are."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.cases import care_actions as care
from haven.cases.models import Case
from haven.cases.tests.care_helpers import acting, active_case, api
from haven.conftest import World
from haven.orgs.roles import Role


def _fill(world: World, case: Case, count: int) -> None:
    user = acting(world, Role.CASEWORKER)
    worker = world.members[Role.CASEWORKER]
    now, today = timezone.now(), timezone.localdate()
    common: dict[str, Any] = {"case": case, "acting_user": user, "at": now}
    for index in range(count):
        service = care.record_service(kind="MATERIAL_AID", status="REFERRED", started_on=today, **common)
        care.change_service(
            service=service, status="RECEIVED_ELSEWHERE", ended_on=today, acting_user=user, at=now
        )
        care.assess_needs(occasion="REVIEW", assessed_on=today, levels={"safety": "SOME"}, **common)
        goal = care.add_goal(domain="INCOME", description=f"Goal {index}", **common)
        care.record_progress(goal=goal, status="IN_PROGRESS", note="Going on", acting_user=user, at=now)
        care.record_appointment(worker=worker, starts_at=now + timedelta(days=index + 1), **common)
        held = care.record_appointment(
            worker=worker, starts_at=now - timedelta(days=index + 1), status="HELD", outcome="Fine", **common
        )
        care.write_note(text=f"Note {index}", appointment=held, **common)


def _queries(world: World, case: Case, django_assert_max_num_queries: Any, limit: int) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    with django_assert_max_num_queries(limit):
        response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200


def test_the_case_page_takes_the_same_queries_for_one_or_many_records(
    world: World, django_assert_max_num_queries: Any
) -> None:
    case = active_case(world)
    _fill(world, case, 1)
    client = world.client_for(world.members[Role.CASEWORKER])
    client.get(reverse("cases:detail", args=[case.pk]))  # warm the key ring and the session
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("cases:detail", args=[case.pk]))
    _fill(world, case, 4)
    with CaptureQueriesContext(connection) as five:
        html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert len(five.captured_queries) == len(one.captured_queries)
    _queries(world, case, django_assert_max_num_queries, len(one.captured_queries))
    for text in ("Goal 3", "Note 3", "Material and financial aid", 'id="appointments"', 'id="plan"'):
        assert text in html


def test_the_api_case_file_carries_the_care_events(world: World) -> None:
    case = active_case(world)
    _fill(world, case, 1)
    timeline = api(world, world.members[Role.CASEWORKER], "GET", f"/cases/{case.pk}").json()["timeline"]
    kinds = {entry["kind"] for entry in timeline}
    assert {"service", "needs", "plan", "goal", "progress", "appointment", "note"} <= kinds
    assert "Note 0" not in str([entry["summary"] for entry in timeline])  # summaries carry no free text
