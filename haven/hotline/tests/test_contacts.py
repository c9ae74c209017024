"""A contact's life through real HTTP: offered, picked up, transferred, wrapped up or closed in one click."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.hotline import actions
from haven.hotline.models import Contact, ContactAgent
from haven.hotline.tests.walk import acting, fresh_agent
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def _offer(world: World, kind: str = Contact.Kind.VOICE, **extra: Any) -> Contact:
    return actions.offer_contact(org=world.org, kind=kind, acting_user=None, at=timezone.now(), **extra)


def _api(world: World, role: Role, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    client = world.client_for(None)
    headers = {"Authorization": f"Bearer {world.token_for(world.members[role])}"}
    data = json.dumps(body or {})
    return client.generic(
        method, "/api/v1" + path, data=data, content_type="application/json", headers=headers
    )


def test_it_picks_up_and_closes_an_information_call_in_one_click(world: World) -> None:
    contact = _offer(world)
    agent = world.client_for(world.members[Role.HOTLINE_AGENT])

    picked = agent.post(reverse("hotline:pick_up", args=[contact.pk]))
    closed = agent.post(reverse("hotline:quick_close", args=[contact.pk]), {"reason": "information"})

    assert picked.status_code == closed.status_code == 302
    contact.refresh_from_db()
    assert contact.state == Contact.State.CLOSED
    assert contact.caller_type == Contact.CallerType.INFORMATION_ONLY
    assert contact.outcome == Contact.Outcome.INFORMATION_GIVEN
    assert [c.code for c in contact.categories.all()] == ["information-general"]
    assert contact.handle_time is not None and contact.time_to_answer is not None
    assert not contact.agents.filter(left_at__isnull=True).exists()
    actions_logged = set(
        AuditEntry.objects.filter(object_id=str(contact.pk)).values_list("action", flat=True)
    )
    assert {"contact.offer", "contact.pick_up", "contact.wrap_up"} <= actions_logged


def test_it_closes_a_silent_contact_in_one_api_call(world: World) -> None:
    contact = _offer(world, kind=Contact.Kind.WHATSAPP)
    actions.pick_up(contact=contact, acting_user=acting(world.members[Role.HOTLINE_AGENT]), at=timezone.now())

    response = _api(
        world, Role.HOTLINE_AGENT, "POST", f"/contacts/{contact.pk}/quick-close", {"reason": "silent"}
    )

    assert response.status_code == 200
    body = response.json()
    assert (
        body["state"] == "CLOSED" and body["caller_type"] == "SILENT" and body["outcome"] == "NO_CONVERSATION"
    )


def test_it_derives_time_to_answer_handle_time_and_abandonment(world: World) -> None:
    start = timezone.now() - timedelta(minutes=10)
    agent = acting(world.members[Role.HOTLINE_AGENT])
    answered = actions.offer_contact(org=world.org, kind="VOICE", acting_user=None, at=start)
    actions.pick_up(contact=answered, acting_user=agent, at=start + timedelta(seconds=12))
    actions.wrap_up(
        contact=answered,
        caller_type="SURVIVOR",
        outcome="COUNSELLING",
        acting_user=agent,
        at=start + timedelta(seconds=12, minutes=5),
    )
    left = actions.offer_contact(org=world.org, kind="VOICE", acting_user=None, at=start)
    actions.abandon_contact(contact=left, acting_user=None, at=start + timedelta(seconds=40))

    body = _api(world, Role.HOTLINE_AGENT, "GET", f"/contacts/{answered.pk}").json()
    level = _api(world, Role.CENTRE_MANAGER, "GET", "/hotline/service-level").json()

    assert body["time_to_answer_seconds"] == 12 and body["handle_time_seconds"] == 300
    assert _api(world, Role.HOTLINE_AGENT, "GET", f"/contacts/{left.pk}").json()["state"] == "ABANDONED"
    assert level["offered"] == 2 and level["answered_percent"] == 50.0 and level["abandoned_percent"] == 50.0
    assert len(level["breaches"]) == 2  # 50 % answered in time < 90 %, 50 % abandoned > 5 %


def test_it_transfers_warm_only_to_an_available_colleague_and_keeps_the_chain(world: World) -> None:
    contact = _offer(world)
    first = world.members[Role.HOTLINE_AGENT]
    actions.pick_up(contact=contact, acting_user=acting(first), at=timezone.now())
    colleague = fresh_agent(world.org)
    body = {"to_membership_id": colleague.pk, "kind": "WARM", "briefing": "Synthetic briefing"}

    refused = _api(world, Role.HOTLINE_AGENT, "POST", f"/contacts/{contact.pk}/transfer", body)
    actions.set_availability(membership=colleague, is_available=True, acting_user=None, at=timezone.now())
    accepted = _api(world, Role.HOTLINE_AGENT, "POST", f"/contacts/{contact.pk}/transfer", body)

    assert refused.status_code == 422
    assert "available now" in refused.json()["errors"][0]["message"]
    assert accepted.status_code == 200
    chain = list(ContactAgent.objects.filter(contact=contact).order_by("joined_at"))
    assert [(row.membership_id, row.transfer) for row in chain] == [(first.pk, ""), (colleague.pk, "WARM")]
    assert chain[0].left_at is not None and chain[1].left_at is None
    assert chain[1].briefing == "Synthetic briefing"


def test_it_transfers_cold_from_the_page_and_refuses_the_former_agent_afterwards(world: World) -> None:
    contact = _offer(world)
    first = world.members[Role.HOTLINE_AGENT]
    actions.pick_up(contact=contact, acting_user=acting(first), at=timezone.now())
    colleague = fresh_agent(world.org)
    client = world.client_for(first)

    moved = client.post(reverse("hotline:transfer", args=[contact.pk]), {"to": colleague.pk, "kind": "COLD"})
    again = client.post(reverse("hotline:transfer", args=[contact.pk]), {"to": first.pk, "kind": "COLD"})

    assert moved.status_code == 302
    assert again.status_code == 422
    assert "Another agent is on this contact" in again.content.decode()
    assert (
        ContactAgent.objects.filter(contact=contact, left_at__isnull=True).get().membership_id == colleague.pk
    )


def test_it_refuses_a_second_call_and_a_taken_contact_without_writing(world: World) -> None:
    agent = world.members[Role.HOTLINE_AGENT]
    first, second = _offer(world), _offer(world)
    _api(world, Role.HOTLINE_AGENT, "POST", f"/contacts/{first.pk}/pick-up")

    busy = _api(world, Role.HOTLINE_AGENT, "POST", f"/contacts/{second.pk}/pick-up")
    taken = _api(world, Role.CASEWORKER, "POST", f"/contacts/{first.pk}/pick-up")

    assert busy.status_code == 422 and "already on a call" in busy.json()["errors"][0]["message"]
    assert taken.status_code == 422 and "“In progress”" in taken.json()["errors"][0]["message"]
    second.refresh_from_db()
    assert second.answered_at is None
    assert not AuditEntry.objects.filter(object_id=str(second.pk), action="contact.pick_up").exists()
    assert ContactAgent.objects.filter(contact=first).get().membership_id == agent.pk


def test_it_refuses_a_wrap_up_without_a_case_for_a_case_outcome(world: World) -> None:
    contact = _offer(world)
    actions.pick_up(contact=contact, acting_user=acting(world.members[Role.HOTLINE_AGENT]), at=timezone.now())
    body = {"caller_type": "SURVIVOR", "outcome": "CASE_LINKED"}

    response = _api(world, Role.HOTLINE_AGENT, "POST", f"/contacts/{contact.pk}/wrap-up", body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "outcome"
    contact.refresh_from_db()
    assert contact.ended_at is None


def test_it_keeps_the_summary_encrypted(world: World) -> None:
    contact = _offer(world)
    agent = world.members[Role.HOTLINE_AGENT]
    actions.pick_up(contact=contact, acting_user=acting(agent), at=timezone.now())
    page = world.client_for(agent).post(
        reverse("hotline:wrap_up", args=[contact.pk]),
        {"caller_type": "SURVIVOR", "outcome": "COUNSELLING", "summary": "Synthetic words about Asha"},
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM hotline_contact WHERE id = %s", [contact.pk.hex])
        rows = cursor.fetchall() or []
    if not rows:  # PostgreSQL stores UUIDs natively
        with connection.cursor() as cursor:
            cursor.execute("SELECT summary FROM hotline_contact WHERE id = %s", [contact.pk])
            rows = cursor.fetchall()

    assert page.status_code == 302
    assert rows and "Asha" not in rows[0][0] and rows[0][0].startswith("h1$")
    shown = world.client_for(agent).get(reverse("hotline:contact", args=[contact.pk]))
    assert "Synthetic words about Asha" in shown.content.decode()
    assert AuditEntry.objects.filter(object_id=str(contact.pk), action="contact.view").exists()


def test_it_hides_contacts_from_other_organisations_and_other_roles(world: World) -> None:
    contact = _offer(world)
    outsider_agent = fresh_agent(world.other_org)
    outsider_token = world.token_for(outsider_agent)

    page = world.client_for(outsider_agent).get(reverse("hotline:contact", args=[contact.pk]))
    api = world.client_for(None).get(
        f"/api/v1/contacts/{contact.pk}", headers={"Authorization": f"Bearer {outsider_token}"}
    )
    data_officer = _api(world, Role.DATA_OFFICER, "GET", f"/contacts/{contact.pk}")

    assert page.status_code == 404 and api.status_code == 404
    assert data_officer.status_code == 403


def test_it_audits_the_contact_returned_by_a_wrap_up(world: World) -> None:
    """The answer to a wrap-up carries what she said (the summary), a reading like the GET's."""
    contact = _offer(world)
    agent = world.members[Role.HOTLINE_AGENT]
    actions.pick_up(contact=contact, acting_user=acting(agent), at=timezone.now())
    body = {"caller_type": "SURVIVOR", "outcome": "COUNSELLING", "summary": "Synthetic words about Rina"}

    response = _api(world, Role.HOTLINE_AGENT, "POST", f"/contacts/{contact.pk}/wrap-up", body)

    assert response.status_code == 200, response.content
    assert response.json()["summary"] == "Synthetic words about Rina"
    reads = AuditEntry.objects.filter(object_id=str(contact.pk), action="contact.view", actor=agent.user)
    assert reads.count() == 1
