"""Follow-ups on a case and "My tasks": scheduling and completing them (audited), what is refused, the
closure rule for safety-critical ones, and who sees which task."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import User
from haven.cases import actions
from haven.cases.models import Case, CaseAssignment, FollowUp
from haven.conftest import World, make_member
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.privacy.models import AuditEntry

Status = Case.Status


def _as(world: World, role: Role) -> User:
    member = world.members[role]
    member.user.active_membership = member
    return member.user


def _case(world: World, name: str = "Amina Khatun", lead: Role = Role.CASEWORKER) -> Case:
    survivor = register_person(org=world.org, name=name, acting_user=None, at=world.at)
    case = actions.open_case(
        survivor=survivor, lead=world.members[lead], acting_user=None, at=world.at - timedelta(hours=1)
    )
    return actions.activate_case(case=case, acting_user=_as(world, lead), at=world.at)


def _closed(world: World) -> Case:
    case = _case(world)
    actions.request_closure(
        case=case, reason="NEEDS_MET", acting_user=_as(world, Role.CASEWORKER), at=world.at
    )
    return actions.approve_closure(case=case, acting_user=_as(world, Role.SHELTER_MANAGER), at=world.at)


def _schedule(world: World, case: Case, title: str = "Call back", **fields: Any) -> FollowUp:
    fields.setdefault("due_on", timezone.localdate())
    return actions.schedule_follow_up(
        case=case, title=title, acting_user=_as(world, Role.CASEWORKER), at=timezone.now(), **fields
    )


def _due(follow_up: FollowUp, due_on: date) -> FollowUp:
    """Move the due date (e.g. into the past, which scheduling refuses) as time passing would."""
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=due_on)
    follow_up.refresh_from_db()
    return follow_up


def _send(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    url = "/api/v1" + path
    if body is None:
        return Client().generic(method, url, headers=headers)
    return Client().generic(method, url, json.dumps(body), content_type="application/json", headers=headers)


# --- verbs ---------------------------------------------------------------------------------------------


def test_it_schedules_and_completes_a_follow_up_with_audit(world: World) -> None:
    case = _case(world)
    follow_up = _schedule(world, case, "Go with her to the court hearing", is_safety_critical=True)
    assert follow_up.assigned_to is None
    scheduled = AuditEntry.objects.get(action="followup.schedule")
    assert scheduled.object_id == str(follow_up.pk)
    assert scheduled.actor == world.persona(Role.CASEWORKER)
    assert "court" not in json.dumps(scheduled.fields)
    assert set(scheduled.fields) == {"title", "due_on", "is_safety_critical"}
    actions.complete_follow_up(
        follow_up=follow_up, acting_user=_as(world, Role.CASEWORKER), at=timezone.now()
    )
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    assert follow_up.done_by == world.persona(Role.CASEWORKER)
    assert AuditEntry.objects.get(action="followup.complete").object_id == str(follow_up.pk)
    with pytest.raises(ValidationError, match="already done"):
        actions.complete_follow_up(follow_up=follow_up, acting_user=None, at=timezone.now())
    assert AuditEntry.objects.filter(action="followup.complete").count() == 1


def test_it_refuses_a_past_date_a_closed_case_and_an_outside_assignee(world: World) -> None:
    case = _case(world)
    with pytest.raises(ValidationError, match="past"):
        _schedule(world, case, due_on=timezone.localdate() - timedelta(days=1))
    outsider = make_member(world.other_org, Role.CASEWORKER, username="elsewhere.cw", at=world.at)
    with pytest.raises(ValidationError, match="own organisation"):
        _schedule(world, case, assigned_to=outsider)
    with pytest.raises(ValidationError, match="works on this case"):
        _schedule(world, case, assigned_to=world.members[Role.COUNSELLOR])
    with pytest.raises(ValidationError, match="so you cannot change it"):
        _schedule(world, _closed(world))
    assert not FollowUp.objects.exists()
    assert not AuditEntry.objects.filter(action="followup.schedule").exists()


def test_closure_is_refused_while_a_safety_critical_follow_up_is_open(world: World) -> None:
    case = _case(world)
    _schedule(world, case, "Check the protection order was served")  # not safety-critical: no obstacle
    critical = _schedule(world, case, "Safety plan review", is_safety_critical=True)
    with pytest.raises(ValidationError, match="1 open safety-critical follow-up"):
        actions.request_closure(
            case=case, reason="NEEDS_MET", acting_user=_as(world, Role.CASEWORKER), at=timezone.now()
        )
    case.refresh_from_db()
    assert case.status == Status.ACTIVE
    # Through the page, the worker is told why.
    client = world.client_for(world.members[Role.CASEWORKER])
    url = reverse("cases:transition", args=[case.pk])
    response = client.post(url, {"verb": "request_closure", "reason": "NEEDS_MET"}, follow=True)
    assert "1 open safety-critical follow-up" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ACTIVE
    actions.complete_follow_up(follow_up=critical, acting_user=_as(world, Role.CASEWORKER), at=timezone.now())
    client.post(url, {"verb": "request_closure", "reason": "NEEDS_MET"})
    case.refresh_from_db()
    assert case.status == Status.CLOSURE_REQUESTED


# --- pages ---------------------------------------------------------------------------------------------


def test_the_case_page_schedules_lists_and_completes_follow_ups(world: World) -> None:
    case = _case(world)
    client = world.client_for(world.members[Role.CASEWORKER])
    detail = reverse("cases:detail", args=[case.pk])
    html = client.get(detail).content.decode()
    assert 'id="follow-ups"' in html
    assert reverse("cases:schedule_follow_up", args=[case.pk]) in html
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("cases:schedule_follow_up", args=[case.pk]),
        {"title": "Call the shelter about a bed", "due_on": tomorrow.isoformat(), "is_safety_critical": "on"},
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.is_safety_critical
    assert follow_up.due_on == tomorrow
    overdue = _due(
        _schedule(world, case, "Send the medical report"), timezone.localdate() - timedelta(days=3)
    )
    html = client.get(detail).content.decode()
    assert "Call the shelter about a bed" in html
    assert "Safety-critical" in html
    assert 'class="overdue"' in html
    response = client.post(reverse("cases:complete_follow_up", args=[overdue.pk]))
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.done_by == world.persona(Role.CASEWORKER)
    again = client.post(reverse("cases:complete_follow_up", args=[overdue.pk]), follow=True)
    assert "already done" in again.content.decode()


def test_the_page_refuses_a_past_date_and_a_closed_case_with_422(world: World) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    case = _case(world)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        reverse("cases:schedule_follow_up", args=[case.pk]), {"title": "Call back", "due_on": yesterday}
    )
    assert response.status_code == 422
    assert "cannot be in the past" in response.content.decode()
    closed = _closed(world)
    response = client.post(
        reverse("cases:schedule_follow_up", args=[closed.pk]),
        {"title": "Call back", "due_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 422
    assert "so you cannot change it" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_my_tasks_splits_overdue_today_and_upcoming_by_code(world: World) -> None:
    today = timezone.localdate()
    case = _case(world)
    counsellor = world.members[Role.COUNSELLOR]
    actions.assign_worker(
        case=case,
        membership=counsellor,
        role_in_case=CaseAssignment.RoleInCase.SUPPORT,
        acting_user=None,
        at=world.at,
    )
    overdue = _due(_schedule(world, case, "Overdue thing"), today - timedelta(days=2))
    _schedule(world, case, "Today thing")
    _schedule(world, case, "Upcoming thing", due_on=today + timedelta(days=5))
    _schedule(world, case, "Counsellor thing", assigned_to=counsellor)
    done = _schedule(world, case, "Finished thing")
    actions.complete_follow_up(follow_up=done, acting_user=None, at=timezone.now())
    # Unassigned on a case somebody else leads: not mine.
    other_case = _case(world, name="Rehana Begum", lead=Role.SHELTER_MANAGER)
    actions.schedule_follow_up(
        case=other_case, title="Manager thing", due_on=today, acting_user=None, at=timezone.now()
    )

    response = world.client_for(world.members[Role.CASEWORKER]).get(reverse("cases:my_tasks"))
    assert response.status_code == 200
    html = response.content.decode()
    sections = {
        key: html.split(f'id="{key}"')[1].split("</section>")[0] for key in ("overdue", "today", "upcoming")
    }
    assert "Overdue thing" in sections["overdue"]
    assert "Today thing" in sections["today"]
    assert "Upcoming thing" in sections["upcoming"]
    assert "Overdue thing" not in sections["today"] + sections["upcoming"]
    assert case.survivor.survivor_code in html
    assert reverse("cases:detail", args=[case.pk]) in html
    assert "Amina" not in html and "Khatun" not in html
    assert "Counsellor thing" not in html
    assert "Manager thing" not in html
    assert "Finished thing" not in html
    assert reverse("cases:complete_follow_up", args=[overdue.pk]) in html

    theirs = world.client_for(counsellor).get(reverse("cases:my_tasks")).content.decode()
    assert "Counsellor thing" in theirs
    assert "Today thing" not in theirs


def test_my_tasks_is_on_the_home_page_of_survivor_roles_only(world: World) -> None:
    url = reverse("cases:my_tasks")
    assert url in world.client_for(world.members[Role.CASEWORKER]).get(reverse("web:home")).content.decode()
    assert (
        url
        not in world.client_for(world.members[Role.DATA_OFFICER]).get(reverse("web:home")).content.decode()
    )


def test_outsiders_get_404_and_the_data_officer_403(world: World) -> None:
    case = _case(world)
    follow_up = _schedule(world, case)
    outsider = make_member(world.other_org, Role.CASEWORKER, username="elsewhere.cw", at=world.at)
    schedule_url = reverse("cases:schedule_follow_up", args=[case.pk])
    done_url = reverse("cases:complete_follow_up", args=[follow_up.pk])
    payload = {"title": "Call back", "due_on": timezone.localdate().isoformat()}
    for member in (outsider, world.members[Role.COUNSELLOR]):  # the counsellor is not on the case
        client = world.client_for(member)
        assert client.post(schedule_url, payload).status_code == 404
        assert client.post(done_url).status_code == 404
        assert "Call back" not in client.get(reverse("cases:my_tasks")).content.decode()
    officer = world.client_for(world.members[Role.DATA_OFFICER])
    assert officer.post(schedule_url, payload).status_code == 403
    assert officer.post(done_url).status_code == 403
    assert officer.get(reverse("cases:my_tasks")).status_code == 403
    assert FollowUp.objects.count() == 1
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


# --- API -----------------------------------------------------------------------------------------------


def test_the_api_schedules_lists_and_completes(world: World) -> None:
    case = _case(world)
    worker = world.members[Role.CASEWORKER]
    today = timezone.localdate()
    response = _send(
        world,
        worker,
        "POST",
        f"/cases/{case.pk}/follow-ups",
        {"title": "Call back", "due_on": today.isoformat(), "is_safety_critical": True},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["survivor_code"] == case.survivor.survivor_code
    assert body["is_safety_critical"] is True
    tasks = _send(world, worker, "GET", "/tasks").json()
    assert [t["id"] for t in tasks] == [body["id"]]
    assert "Amina" not in json.dumps(tasks)
    refused = _send(
        world,
        worker,
        "POST",
        f"/cases/{case.pk}/follow-ups",
        {"title": "Call back", "due_on": (today - timedelta(days=1)).isoformat()},
    )
    assert refused.status_code == 422
    done = _send(world, worker, "POST", f"/follow-ups/{body['id']}/done")
    assert done.status_code == 200
    assert done.json()["done_by"] == worker.user.username
    assert _send(world, worker, "POST", f"/follow-ups/{body['id']}/done").status_code == 422
    assert _send(world, worker, "GET", "/tasks").json() == []
    assert _send(world, world.members[Role.DATA_OFFICER], "GET", "/tasks").status_code == 403
