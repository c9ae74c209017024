"""Needs assessments feed the case plan; goals, progress and the optional supervisor approval (submit,
approve, send back with a comment), all on the timeline, encrypted where free text, refused with reasons."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.cases.models import CasePlan, CasePlanTransition, Goal, NeedsAssessment
from haven.cases.tests.care_helpers import acting, active_case, api, closed_case, raw_column
from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def _assess(world: World, case_id: object, **levels: str) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    data = {"occasion": "INTAKE", "assessed_on": timezone.localdate().isoformat(), **levels}
    data.setdefault("notes", "Sleeps at her sister's")
    response = client.post(reverse("cases:assess_needs", args=[case_id]), data)
    assert response.status_code == 302, response.content.decode()


def _require_approval(world: World) -> None:
    admin = world.client_for(world.members[Role.ORG_ADMIN])
    response = admin.post(
        reverse("orgs:settings"),
        {
            "name": world.org.name,
            "default_language": "en",
            "default_calendar": "GREGORIAN",
            "case_plans_need_approval": "on",
        },
    )
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert world.org.case_plans_need_approval


def test_the_latest_assessment_feeds_the_plan(world: World) -> None:
    case = active_case(world)
    _assess(world, case.pk, safety="URGENT", homelessness="SOME", immigration="SOME")
    assessment = NeedsAssessment.objects.get()
    assert assessment.safety == "URGENT" and assessment.health == "NONE"
    assert "sister" not in raw_column("cases_needsassessment", "notes", assessment.pk)
    assert set(AuditEntry.objects.get(action="needs.assess").fields) >= {"safety", "notes"}
    client = world.client_for(world.members[Role.CASEWORKER])
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    unmet = detail.split('id="unmet-needs"')[1].split("</div>")[0]
    assert "Safety" in unmet and "Homelessness" in unmet and "Immigration status" in unmet
    assert "Needs assessed (Intake): 1 urgent, 2 some" in detail
    # The goal form pre-selects the most pressing unmet need.
    form = client.get(reverse("cases:add_goal", args=[case.pk])).content.decode()
    assert '<option value="SAFETY" selected>' in form
    response = client.post(
        reverse("cases:add_goal", args=[case.pk]),
        {"domain": "SAFETY", "description": "A protection order against her husband"},
    )
    assert response.status_code == 302
    plan = api(world, world.members[Role.CASEWORKER], "GET", f"/cases/{case.pk}/plan").json()
    assert plan["status"] == "IN_EFFECT"
    assert {n["domain"] for n in plan["unmet_needs"]} == {"homelessness", "immigration"}
    form = client.get(reverse("cases:add_goal", args=[case.pk])).content.decode()
    assert '<option value="JUSTICE" selected>' in form  # immigration status is a legal matter
    goal = Goal.objects.get()
    assert "husband" not in raw_column("cases_goal", "description", goal.pk)
    # A review later is its own assessment; the newest one counts.
    _assess(world, case.pk, occasion="REVIEW")
    assert (
        api(world, world.members[Role.CASEWORKER], "GET", f"/cases/{case.pk}/plan").json()["unmet_needs"]
        == []
    )


def test_progress_moves_the_goal_and_goes_on_the_timeline(world: World) -> None:
    case = active_case(world)
    worker = world.members[Role.CASEWORKER]
    created = api(
        world,
        worker,
        "POST",
        f"/cases/{case.pk}/plan/goals",
        {
            "domain": "HOUSING",
            "description": "A flat of her own",
            "target_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
        },
    )
    assert created.status_code == 201, created.content
    goal_id = created.json()["id"]
    client = world.client_for(worker)
    response = client.post(
        reverse("cases:record_progress", args=[goal_id]),
        {"status": "IN_PROGRESS", "note": "Visited the housing office with her"},
    )
    assert response.status_code == 302
    refused = api(world, worker, "POST", f"/goals/{goal_id}/progress", {"status": "IN_PROGRESS"})
    assert refused.status_code == 422
    done = api(
        world, worker, "POST", f"/goals/{goal_id}/progress", {"status": "ACHIEVED", "note": "Keys received"}
    )
    assert done.status_code == 201
    assert [p["to_status"] for p in done.json()["progress"]] == ["IN_PROGRESS", "ACHIEVED"]
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Progress on the “Housing” goal: Achieved" in html
    assert "Keys received" in html
    assert AuditEntry.objects.filter(action="plan.progress").count() == 2
    past = api(
        world,
        worker,
        "POST",
        f"/cases/{case.pk}/plan/goals",
        {"domain": "INCOME", "description": "Work", "target_on": "2000-01-01"},
    )
    assert past.status_code == 422 and past.json()["errors"][0]["field"] == "target_on"


def test_approval_submit_refusals_send_back_and_approve(world: World) -> None:
    _require_approval(world)
    case = active_case(world)
    worker, manager, other_manager = (
        world.members[Role.CASEWORKER],
        world.members[Role.SHELTER_MANAGER],
        world.members[Role.CENTRE_MANAGER],
    )
    api(
        world,
        worker,
        "POST",
        f"/cases/{case.pk}/plan/goals",
        {"domain": "SAFETY", "description": "Safety plan"},
    )
    plan = CasePlan.objects.get()
    assert plan.status == "DRAFT"
    decide = f"/plans/{plan.pk}/decision"
    assert api(world, worker, "POST", decide, {"decision": "approve"}).status_code == 422  # not submitted yet
    assert api(world, worker, "POST", decide, {"decision": "submit"}).json()["status"] == "SUBMITTED"
    blocked = api(
        world, worker, "POST", f"/cases/{case.pk}/plan/goals", {"domain": "HEALTH", "description": "x"}
    )
    assert blocked.status_code == 422 and "waiting for a manager" in blocked.json()["errors"][0]["message"]
    by_worker = api(world, worker, "POST", decide, {"decision": "approve"})
    assert by_worker.status_code == 422
    assert "or a centre or shelter manager can" in by_worker.json()["errors"][0]["message"]
    no_comment = api(world, manager, "POST", decide, {"decision": "reject"})
    assert no_comment.status_code == 422 and no_comment.json()["errors"][0]["field"] == "comment"
    # Sent back through the page, with a comment the worker reads on the case.
    client = world.client_for(manager)
    client.post(
        reverse("cases:plan_decision", args=[plan.pk]),
        {"decision": "reject", "comment": "Add a goal about her son's school"},
    )
    plan.refresh_from_db()
    assert plan.status == "REJECTED"
    move = CasePlanTransition.objects.get(to_status="REJECTED")
    assert "son's school" not in raw_column("cases_caseplantransition", "comment", move.pk)
    html = world.client_for(worker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Add a goal about her son&#x27;s school" in html
    assert "Case plan: from “Waiting for approval” to “Sent back”" in html
    # The manager who submits cannot approve her own submission; another manager can.
    api(world, manager, "POST", decide, {"decision": "submit"})
    own = api(world, manager, "POST", decide, {"decision": "approve"})
    assert own.status_code == 422 and "you submitted this plan yourself" in own.json()["errors"][0]["message"]
    html = world.client_for(other_manager).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Approve the plan" in html
    assert api(world, other_manager, "POST", decide, {"decision": "approve"}).json()["status"] == "APPROVED"
    # Changing an approved plan puts it back to draft: what was approved is no longer the plan.
    api(
        world, worker, "POST", f"/cases/{case.pk}/plan/goals", {"domain": "CHILDREN", "description": "School"}
    )
    plan.refresh_from_db()
    assert plan.status == "DRAFT"
    moves = list(CasePlanTransition.objects.values_list("to_status", flat=True))
    assert moves == ["DRAFT", "SUBMITTED", "REJECTED", "SUBMITTED", "APPROVED", "DRAFT"]
    assert AuditEntry.objects.filter(action="plan.transition").count() == 6


def test_a_closed_case_refuses_needs_goals_and_progress(world: World) -> None:
    case = active_case(world)
    goal = api(
        world,
        world.members[Role.CASEWORKER],
        "POST",
        f"/cases/{case.pk}/plan/goals",
        {"domain": "SAFETY", "description": "Safety plan"},
    ).json()
    from haven.cases import actions

    actions.request_closure(
        case=case, reason="NEEDS_MET", acting_user=acting(world, Role.CASEWORKER), at=world.at
    )
    actions.approve_closure(case=case, acting_user=acting(world, Role.SHELTER_MANAGER), at=world.at)
    worker = world.members[Role.CASEWORKER]
    today = timezone.localdate().isoformat()
    for path, body in [
        (f"/cases/{case.pk}/needs", {"occasion": "REVIEW", "assessed_on": today}),
        (f"/cases/{case.pk}/plan/goals", {"domain": "HEALTH", "description": "x"}),
        (f"/goals/{goal['id']}/progress", {"status": "ACHIEVED"}),
    ]:
        response = api(world, worker, "POST", path, body)
        assert response.status_code == 422
        assert "so you cannot change it" in response.json()["errors"][0]["message"]
    client = world.client_for(worker)
    response = client.post(
        reverse("cases:assess_needs", args=[case.pk]), {"occasion": "REVIEW", "assessed_on": today}
    )
    assert response.status_code == 422
    assert not NeedsAssessment.objects.exists()
    assert Goal.objects.get().status == "NOT_STARTED"
    assert closed_case(world).is_closed
