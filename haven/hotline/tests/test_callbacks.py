"""Callbacks respect her safe-contact instructions; missed ones are visible to supervisors."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.hotline import actions
from haven.hotline.models import Callback
from haven.hotline.safety import safe_windows
from haven.hotline.tests.walk import acting
from haven.orgs.roles import Role
from haven.people.actions import register_person, set_safe_contact
from haven.people.models import Person
from haven.privacy.models import AuditEntry


def _person(world: World, **instructions: Any) -> Person:
    person = register_person(org=world.org, name="Synthetic Caller", acting_user=None, at=world.at)
    if instructions:
        set_safe_contact(person=person, instructions=instructions, acting_user=None, at=world.at)
    return person


def _tomorrow_at(hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _post(world: World, person: Person, body: dict[str, Any]) -> Any:
    token = world.token_for(world.members[Role.HOTLINE_AGENT])
    return world.client_for(None).post(
        f"/api/v1/hotline/people/{person.pk}/callbacks",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_it_shows_her_safe_contact_instructions_first(world: World) -> None:
    person = _person(
        world, safe_to_call=True, safe_channel="PHONE", safe_hours="10:00-12:00", code_word="mango"
    )
    client = world.client_for(world.members[Role.HOTLINE_AGENT])

    page = client.get(reverse("hotline:schedule_callback", args=[person.pk])).content.decode()

    assert page.index('id="safe-contact"') < page.index('name="due_at"')
    assert "mango" in page and "never name the organisation" in page


def test_it_schedules_within_her_safe_hours_on_her_safe_channel(world: World) -> None:
    person = _person(world, safe_to_call=True, safe_channel="PHONE", safe_hours="10:00-12:00 weekdays")
    client = world.client_for(world.members[Role.HOTLINE_AGENT])

    response = client.post(
        reverse("hotline:schedule_callback", args=[person.pk]),
        {"channel": "PHONE", "due_at": timezone.localtime(_tomorrow_at(11)).strftime("%Y-%m-%dT%H:%M")},
    )

    assert response.status_code == 302
    callback = Callback.objects.get(person=person)
    assert AuditEntry.objects.filter(object_id=str(callback.pk), action="callback.schedule").exists()


@pytest.mark.parametrize(
    ("instructions", "body", "message"),
    [
        ({}, {"channel": "PHONE"}, "Record her safe-contact instructions"),
        (
            {"safe_to_call": False, "safe_channel": "PHONE"},
            {"channel": "PHONE"},
            "not to call or message her",
        ),
        (
            {"safe_to_call": True, "safe_channel": "SMS"},
            {"channel": "PHONE"},
            "The only safe channel for her",
        ),
        (
            {"safe_to_call": True, "safe_channel": "PHONE", "safe_hours": "10:00-12:00"},
            {"channel": "PHONE", "hour": 15},
            "outside her safe hours",
        ),
        (
            {"safe_to_call": True, "safe_channel": "PHONE", "safe_hours": "when he is at work"},
            {"channel": "PHONE"},
            "hold no time Haven can check",
        ),
    ],
)
def test_it_refuses_a_callback_her_instructions_do_not_allow(
    world: World, instructions: dict[str, Any], body: dict[str, Any], message: str
) -> None:
    person = _person(world, **instructions)
    due_at = _tomorrow_at(body.pop("hour", 11)).isoformat()

    response = _post(world, person, {**body, "due_at": due_at})

    assert response.status_code == 422
    assert message in response.json()["errors"][0]["message"]
    assert not Callback.objects.filter(person=person).exists()


def test_it_shows_a_missed_callback_to_supervisors_only(world: World) -> None:
    person = _person(world, safe_to_call=True, safe_channel="PHONE")
    agent = world.members[Role.HOTLINE_AGENT]
    scheduled_at = timezone.now() - timedelta(hours=3)
    missed = actions.schedule_callback(
        person=person,
        channel="PHONE",
        due_at=scheduled_at + timedelta(hours=1),
        acting_user=acting(agent),
        at=scheduled_at,
    )

    supervisor = world.client_for(world.members[Role.CENTRE_MANAGER]).get(reverse("hotline:board"))
    own_board = world.client_for(agent).get(reverse("hotline:board"))
    listed = world.client_for(None).get(
        "/api/v1/hotline/callbacks", headers={"Authorization": f"Bearer {world.token_for(agent)}"}
    )

    assert 'id="missed-callbacks"' in supervisor.content.decode()
    assert person.survivor_code in supervisor.content.decode()
    assert 'id="missed-callbacks"' not in own_board.content.decode()
    assert listed.json()[0]["id"] == str(missed.pk) and listed.json()[0]["missed"] is True

    done = world.client_for(agent).post(reverse("hotline:callback_done", args=[missed.pk]))
    again = world.client_for(agent).post(reverse("hotline:callback_done", args=[missed.pk]), follow=True)
    assert done.status_code == 302
    assert "already done" in again.content.decode()


def test_it_reads_the_times_in_her_safe_hours() -> None:
    assert safe_windows("10:00–12:00, weekdays") == [(time(10), time(12))]
    assert safe_windows("after 14:30") == [(time(14, 30), time(23, 59, 59))]
    assert safe_windows("9-11 or 22:00 to 23:00") == [(time(9), time(11)), (time(22), time(23))]
    assert safe_windows("mornings") == []
