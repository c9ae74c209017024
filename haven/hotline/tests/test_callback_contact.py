"""A callback made becomes an outbound contact on her file and her case (reached or not), in the same
transaction as marking it done; bad input writes nothing; a missed callback stays before supervisors."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.cases.models import Case
from haven.conftest import World
from haven.hotline import actions, queries
from haven.hotline.models import Callback, Contact, ContactAgent
from haven.hotline.tests.walk import acting, callable_person
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry

SECRET = "Synthetic summary of the call back"


def _callback_on_a_case(world: World, agent: Membership, *, due_in: timedelta) -> tuple[Callback, Case]:
    """She called, the agent opened her case from the call and scheduled a callback from that contact."""
    start = timezone.now() - timedelta(hours=4)
    inbound = actions.offer_contact(org=world.org, kind=Contact.Kind.VOICE, acting_user=None, at=start)
    actions.pick_up(contact=inbound, acting_user=acting(agent), at=start + timedelta(seconds=5))
    person = callable_person(world.org)
    case = actions.open_case_from_contact(contact=inbound, person=person, acting_user=acting(agent), at=start)
    callback = actions.schedule_callback(
        person=person,
        channel="PHONE",
        due_at=start + timedelta(hours=4) + due_in,
        contact=inbound,
        assigned_to=agent,
        acting_user=acting(agent),
        at=start,
    )
    return callback, case


def _api(world: World, member: Membership, path: str, body: Any) -> Any:
    return world.client_for(None).post(
        "/api/v1" + path,
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.token_for(member)}"},
    )


def test_it_records_the_call_she_answered_on_her_case(world: World) -> None:
    agent = world.members[Role.HOTLINE_AGENT]
    callback, case = _callback_on_a_case(world, agent, due_in=timedelta(minutes=5))
    client = world.client_for(agent)

    form = client.get(reverse("hotline:callback_done", args=[callback.pk])).content.decode()
    assert form.index('id="safe-contact"') < form.index('id="callback-result"')
    response = client.post(
        reverse("hotline:callback_done", args=[callback.pk]),
        {"reached": "yes", "outcome": "COUNSELLING", "minutes": "12", "summary": SECRET},
    )

    assert response.status_code == 302 and response["Location"] == reverse("hotline:callbacks")
    made = Contact.objects.get(direction=Contact.Direction.OUTBOUND)
    assert (made.kind, made.caller_type, made.outcome) == ("OUTBOUND", "SURVIVOR", "COUNSELLING")
    assert made.person_id == callback.person_id and made.case_id == case.pk
    assert made.handle_time == timedelta(minutes=12) and made.state == Contact.State.CLOSED
    assert made.summary == SECRET
    assert ContactAgent.objects.get(contact=made).membership_id == agent.pk
    callback.refresh_from_db()
    assert callback.done_at == made.ended_at and callback.done_by_id == agent.user_id
    assert AuditEntry.objects.filter(object_id=str(made.pk), action="callback.contact").exists()

    page = world.client_for(agent).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Hotline contact · Outbound follow-up call · Survivor · Counselling" in page
    assert reverse("hotline:contact", args=[made.pk]) in page and SECRET not in page


def test_it_records_a_call_nobody_answered_and_offers_another_callback(world: World) -> None:
    agent = world.members[Role.HOTLINE_AGENT]
    callback, case = _callback_on_a_case(world, agent, due_in=timedelta(minutes=5))
    level_before = queries.service_level(world.org, timezone.now()).offered

    response = world.client_for(agent).post(
        reverse("hotline:callback_done", args=[callback.pk]), {"reached": "no"}
    )

    made = Contact.objects.get(direction=Contact.Direction.OUTBOUND)
    again = reverse("hotline:schedule_callback", args=[callback.person_id])
    assert response.status_code == 302 and response["Location"] == f"{again}?contact={made.pk}"
    assert made.answered_at is None and made.ended_at is not None
    assert (made.caller_type, made.outcome, made.case_id) == ("", "NO_CONVERSATION", case.pk)
    # Outbound calls are not in the inbound answer figures.
    assert queries.service_level(world.org, timezone.now()).offered == level_before
    page = world.client_for(agent).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Hotline contact · Outbound follow-up call · No conversation" in page
    contact_page = world.client_for(agent).get(reverse("hotline:contact", args=[made.pk]))
    assert made.state == Contact.State.NOT_REACHED and "Not reached" in contact_page.content.decode()
    assert "Abandoned" not in contact_page.content.decode()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"minutes": "999"}, "minutes", "from 0 to 240"),
        ({"minutes": "-1"}, "minutes", "greater than or equal to 0"),
        ({"outcome": "CASE_OPENED"}, "outcome", "Select a valid choice"),
        ({"reached": "no", "summary": "She was not there"}, "outcome", "has no outcome or summary"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(
    world: World, body: dict[str, str], field: str, message: str
) -> None:
    agent = world.members[Role.HOTLINE_AGENT]
    callback, _case = _callback_on_a_case(world, agent, due_in=timedelta(minutes=5))
    contacts = Contact.objects.count()

    response = world.client_for(agent).post(reverse("hotline:callback_done", args=[callback.pk]), body)

    assert response.status_code == 422
    assert message in str(response.context["form"].errors[field])
    assert Contact.objects.count() == contacts
    callback.refresh_from_db()
    assert callback.done_at is None


def test_the_api_records_the_call_and_refuses_a_bad_outcome(world: World) -> None:
    agent = world.members[Role.HOTLINE_AGENT]
    callback, case = _callback_on_a_case(world, agent, due_in=timedelta(minutes=5))
    path = f"/hotline/callbacks/{callback.pk}/done"
    contacts = Contact.objects.count()

    refused = _api(world, agent, path, {"outcome": "CASE_LINKED"})
    assert refused.status_code == 422 and Contact.objects.count() == contacts
    done = _api(world, agent, path, {"reached": True, "outcome": "REFERRAL", "minutes": 3})

    assert done.status_code == 200 and done.json()["done_at"] is not None
    made = Contact.objects.get(pk=done.json()["contact_id"])
    assert (made.outcome, made.case_id, made.direction) == ("REFERRAL", case.pk, "OUTBOUND")
    assert _api(world, agent, path, {}).status_code == 422  # already done


def test_a_missed_callback_stays_before_supervisors_until_it_is_recorded(world: World) -> None:
    agent = world.members[Role.HOTLINE_AGENT]
    callback, _case = _callback_on_a_case(world, agent, due_in=-timedelta(hours=1))
    supervisor = world.client_for(world.members[Role.CENTRE_MANAGER])
    colleague = world.client_for(world.members[Role.COUNSELLOR])
    code = callback.person.survivor_code

    board = supervisor.get(reverse("hotline:board")).content.decode()
    missed = board[board.index('id="missed-callbacks"') :]
    assert code in missed
    assert code in supervisor.get(reverse("hotline:callbacks")).content.decode()
    # Given to the agent: a colleague's list does not show it, the supervisor's does.
    assert code not in colleague.get(reverse("hotline:callbacks")).content.decode()

    world.client_for(agent).post(reverse("hotline:callback_done", args=[callback.pk]), {"reached": "no"})

    assert queries.missed_callbacks(world.org, timezone.now()) == []
    assert (
        code
        not in supervisor.get(reverse("hotline:board")).content.decode().split('id="missed-callbacks"')[1]
    )


def test_the_api_takes_an_empty_result_as_reached(world: World) -> None:
    agent = world.members[Role.HOTLINE_AGENT]
    callback, _case = _callback_on_a_case(world, agent, due_in=timedelta(minutes=5))
    done = _api(world, agent, f"/hotline/callbacks/{callback.pk}/done", {})
    assert done.status_code == 200, done.content
    made = Contact.objects.get(pk=done.json()["contact_id"])
    assert (made.caller_type, made.outcome) == (Contact.CallerType.SURVIVOR, "")


def test_a_callback_cannot_come_from_another_womans_contact(world: World) -> None:
    """Her callback would be recorded on the other woman's case, for that case's team to read."""
    agent = world.members[Role.HOTLINE_AGENT]
    _callback, other_case = _callback_on_a_case(world, agent, due_in=timedelta(minutes=5))
    other_contact = Contact.objects.get(case=other_case)
    her = callable_person(world.org)
    due_at = timezone.now() + timedelta(hours=1)

    response = _api(
        world,
        agent,
        f"/hotline/people/{her.pk}/callbacks",
        {"channel": "PHONE", "due_at": due_at.isoformat(), "contact_id": str(other_contact.pk)},
    )

    assert response.status_code == 422
    assert "not hers" in response.json()["errors"][0]["message"]
    assert not Callback.objects.filter(person=her).exists()
