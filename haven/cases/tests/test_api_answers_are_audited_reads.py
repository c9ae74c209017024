"""Every API answer that carries the case plan or one of its goals (the goals and progress notes, in clear)
is an audited read of the case, whether it answers a read or a step of the plan: the same entry
(`case.view`) `GET /cases/{id}/plan` writes, as for every care record."""

from __future__ import annotations

from django.utils import timezone

from haven.cases import care_actions as care
from haven.cases.actions import CASE_VIEW
from haven.cases.models import Case, Goal
from haven.cases.tests.care_helpers import acting, active_case, api
from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry

GOAL = "A protection order against her husband"


def _reads(member: Membership, case: Case) -> int:
    return AuditEntry.objects.filter(
        action=CASE_VIEW, object_type="cases.case", object_id=str(case.pk), actor=member.user
    ).count()


def _goal(world: World, case: Case) -> Goal:
    worker = acting(world, Role.CASEWORKER)
    return care.add_goal(case=case, domain="SAFETY", description=GOAL, acting_user=worker, at=timezone.now())


def test_adding_a_goal_answers_with_an_audited_read(world: World) -> None:
    case = active_case(world)
    worker = world.members[Role.CASEWORKER]
    added = api(
        world, worker, "POST", f"/cases/{case.pk}/plan/goals", {"domain": "SAFETY", "description": GOAL}
    )
    assert added.status_code == 201, added.content
    assert _reads(worker, case) == 1


def test_recording_progress_answers_with_an_audited_read(world: World) -> None:
    case, other = active_case(world), active_case(world, name="Rehana Begum")
    goal = _goal(world, case)
    worker = world.members[Role.CASEWORKER]
    progress = api(
        world, worker, "POST", f"/goals/{goal.pk}/progress", {"status": "IN_PROGRESS", "note": "x"}
    )
    assert progress.status_code == 201, progress.content
    assert progress.json()["description"] == GOAL
    assert _reads(worker, case) == 1 and _reads(worker, other) == 0


def test_a_decision_on_the_plan_answers_with_an_audited_read(world: World) -> None:
    world.org.case_plans_need_approval = True
    world.org.save(update_fields=["case_plans_need_approval"])
    case = active_case(world)
    goal = _goal(world, case)
    manager = world.members[Role.SHELTER_MANAGER]
    submitted = api(world, manager, "POST", f"/plans/{goal.plan_id}/decision", {"decision": "submit"})
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["goals"][0]["description"] == GOAL
    assert _reads(manager, case) == 1


def test_a_change_of_a_service_answers_with_an_audited_read(world: World) -> None:
    case = active_case(world)
    worker = world.members[Role.CASEWORKER]
    service = care.record_service(
        case=case,
        kind="PROTECTION_ORDER",
        status="REFERRED",
        started_on=timezone.localdate(),
        details="Hearing at the district court, her brother comes with her",
        acting_user=acting(world, Role.CASEWORKER),
        at=timezone.now(),
    )
    changed = api(world, worker, "POST", f"/services/{service.pk}/change", {"status": "RECEIVED_ELSEWHERE"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["details"] == "Hearing at the district court, her brother comes with her"
    assert _reads(worker, case) == 1
