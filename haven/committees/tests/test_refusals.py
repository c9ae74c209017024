"""What a committee's verbs refuse, with a reason next to the field, through the API (422) and the
pages (a re-shown form), leaving nothing half-written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from haven.committees import actions
from haven.committees.models import Action, Meeting, TabledCase
from haven.committees.tests.conftest import Setting, acting, api, make_case
from haven.conftest import World
from haven.orgs.roles import Role


def _action_body(setting: Setting, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "text": "Visit the family",
        "owner_id": str(setting.police.pk),
        "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
    }
    return {**body, **changes}


def _errors(response: Any) -> dict[str, list[str]]:
    """The 422 answer's errors, by field."""
    assert response.status_code == 422, response.content
    errors: dict[str, list[str]] = {}
    for error in response.json()["errors"]:
        errors.setdefault(error["field"], []).append(error["message"])
    return errors


def test_it_refuses_an_action_due_before_the_meeting(world: World, setting: Setting) -> None:
    worker = world.members[Role.CASEWORKER]
    early = (setting.meeting.held_on - timedelta(days=1)).isoformat()
    path = f"/committee-meetings/{setting.meeting.pk}/actions"
    errors = _errors(api(world, worker, "POST", path, _action_body(setting, due_on=early)))
    assert "cannot be due before the meeting" in errors["due_on"][0]
    assert not Action.objects.exists()


def test_it_refuses_an_owner_who_left_or_sits_elsewhere(world: World, setting: Setting) -> None:
    worker = world.members[Role.CASEWORKER]
    path = f"/committee-meetings/{setting.meeting.pk}/actions"
    other = actions.create_committee(
        org=world.org, name="District committee", kind="DISTRICT_PREVENTION", acting_user=None, at=world.at
    )
    outsider_seat = actions.add_member(
        committee=other,
        institution="District office",
        institution_type="LOCAL_GOVERNMENT",
        role_title="Chair",
        name="Deputy Commissioner",
        joined_on=timezone.localdate(),
        acting_user=None,
        at=timezone.now(),
    )
    errors = _errors(api(world, worker, "POST", path, _action_body(setting, owner_id=str(outsider_seat.pk))))
    assert errors["owner"] == ["Choose a member of this committee."]
    actions.member_leaves(
        member=setting.police, left_on=timezone.localdate(), acting_user=None, at=timezone.now()
    )
    errors = _errors(api(world, worker, "POST", path, _action_body(setting)))
    assert "has left the committee" in errors["owner"][0]
    form = world.client_for(worker).post(
        reverse("committees:action_add", args=[setting.meeting.pk]),
        {"text": "Visit", "owner": setting.police.pk, "due_on": timezone.localdate().isoformat()},
    )
    assert form.status_code == 422 and "Choose a current member of this committee." in form.content.decode()
    assert not Action.objects.exists()


def test_it_refuses_to_table_a_case_the_user_cannot_see(world: World, setting: Setting) -> None:
    others_case = make_case(world, "Morium Khatun")
    outsider_to_case = world.members[Role.CASEWORKER]
    others_case.assignments.update(ended_at=timezone.now())  # nobody's but the managers' any more
    body = {"meeting_id": str(setting.meeting.pk)}
    response = api(world, outsider_to_case, "POST", f"/cases/{others_case.pk}/committee-tablings", body)
    assert response.status_code == 404
    page = world.client_for(outsider_to_case).get(
        reverse("committees:table_from_case", args=[others_case.pk])
    )
    assert page.status_code == 404
    by_code = world.client_for(outsider_to_case).post(
        reverse("committees:table_case", args=[setting.meeting.pk]),
        {"survivor_code": others_case.survivor.survivor_code},
    )
    assert (
        by_code.status_code == 422
        and "No case you may see has this survivor code." in by_code.content.decode()
    )
    assert not TabledCase.objects.exists()


def test_it_refuses_the_same_case_twice_at_one_meeting(world: World, setting: Setting) -> None:
    worker = world.members[Role.CASEWORKER]
    path = f"/cases/{setting.case.pk}/committee-tablings"
    assert api(world, worker, "POST", path, {"meeting_id": str(setting.meeting.pk)}).status_code == 201
    errors = _errors(api(world, worker, "POST", path, {"meeting_id": str(setting.meeting.pk)}))
    assert errors["case"] == ["This case is already tabled at this meeting."]
    assert TabledCase.objects.count() == 1


def test_it_refuses_minutes_on_a_cancelled_meeting(world: World, setting: Setting) -> None:
    manager = world.members[Role.CENTRE_MANAGER]
    assert (
        api(world, manager, "POST", f"/committee-meetings/{setting.meeting.pk}/cancel", {}).status_code == 200
    )
    path = f"/committee-meetings/{setting.meeting.pk}/minutes"
    errors = _errors(api(world, manager, "PUT", path, {"minutes": "The meeting went ahead after all."}))
    assert "cancelled meeting has no minutes" in errors["minutes"][0]
    setting.meeting.refresh_from_db()
    assert setting.meeting.status == "CANCELLED" and setting.meeting.minutes == ""
    body = {"text": "A decision", "tabled_case_id": None}
    assert (
        "was cancelled"
        in _errors(api(world, manager, "POST", f"/committee-meetings/{setting.meeting.pk}/decisions", body))[
            "meeting"
        ][0]
    )


def test_it_refuses_a_meeting_of_an_inactive_committee(world: World, setting: Setting) -> None:
    admin = world.members[Role.ORG_ADMIN]
    path = f"/committees/{setting.committee.pk}"
    assert api(world, admin, "PATCH", path, {"is_active": False}).status_code == 200
    starts = (timezone.now() + timedelta(days=3)).isoformat()
    errors = _errors(api(world, admin, "POST", path + "/meetings", {"starts_at": starts}))
    assert "no longer meets" in errors["committee"][0]
    assert Meeting.objects.count() == 1
    form = world.client_for(admin).post(
        reverse("committees:meeting_create", args=[setting.committee.pk]),
        {"starts_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")},
    )
    assert form.status_code == 422 and "no longer meets" in form.content.decode()


def test_it_refuses_bad_input_with_field_errors(world: World, setting: Setting) -> None:
    admin = world.members[Role.ORG_ADMIN]
    errors = _errors(api(world, admin, "POST", "/committees", {"name": "", "kind": "NOPE"}))
    assert set(errors) >= {"name", "kind"}
    errors = _errors(
        api(world, admin, "POST", "/committees", {"name": setting.committee.name, "kind": "OTHER"})
    )
    assert errors["name"] == ["Another committee already has this name."]
    path = f"/committees/{setting.committee.pk}/members"
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    body = {"institution": "School", "institution_type": "EDUCATION", "role_title": "Member", "name": "A B"}
    assert "joined_on" in _errors(api(world, admin, "POST", path, {**body, "joined_on": future}))
    action = actions.assign_action(
        meeting=setting.meeting,
        text="Visit",
        owner=setting.doctor,
        due_on=timezone.localdate(),
        acting_user=acting(world, Role.CASEWORKER),
        at=timezone.now(),
    )
    done = f"/committee-actions/{action.pk}/done"
    assert "future" in _errors(api(world, admin, "POST", done, {"done_on": future}))["done_on"][0]
    assert api(world, admin, "POST", done, {}).status_code == 200
    assert "already closed" in _errors(api(world, admin, "POST", done, {}))["status"][0]
