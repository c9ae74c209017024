"""Every API answer that carries a grievance's file (the complainant's name and phone, what she wrote)
is an audited read, whether it answers a read or a write: the same entry `GET /grievances/{id}` writes."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from haven.benefits.grievances.actions import GRIEVANCE_VIEW
from haven.conftest import World, make_member
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry

NAME = "Rokeya Khatun"


def _api(world: World, member: Membership, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().post("/api/v1" + path, data, content_type="application/json", headers=headers)


def _reads(member: Membership, grievance_id: str) -> int:
    return AuditEntry.objects.filter(action=GRIEVANCE_VIEW, actor=member.user, object_id=grievance_id).count()


def _lodge(world: World, member: Membership) -> str:
    body = {
        "category": "PAYMENT_NOT_RECEIVED",
        "description": "No allowance in March.",
        "complainant_name": NAME,
    }
    answer = _api(world, member, "/grievances", body)
    assert answer.status_code == 201 and answer.json()["complainant_name"] == NAME
    grievance_id: str = answer.json()["id"]
    return grievance_id


def _each_answer_is_a_read(
    world: World, member: Membership, grievance_id: str, *steps: tuple[str, Any]
) -> None:
    for path, body in steps:
        before = _reads(member, grievance_id)
        answer = _api(world, member, path.format(id=grievance_id), body)
        assert answer.status_code == 200, answer.content
        assert answer.json()["complainant_name"] == NAME
        assert _reads(member, grievance_id) == before + 1, path


def test_lodging_assigning_deciding_and_closing_answer_with_an_audited_read(world: World) -> None:
    officer = world.members[Role.PROGRAMME_OFFICER]
    grievance_id = _lodge(world, officer)
    assert _reads(officer, grievance_id) == 1
    _each_answer_is_a_read(
        world,
        officer,
        grievance_id,
        ("/grievances/{id}/assign", {"membership_id": world.members[Role.COMPUTER_OPERATOR].pk}),
        ("/grievances/{id}/decision", {"outcome": "NOT_UPHELD", "reasons": "Paid on 5 March."}),
        ("/grievances/{id}/close", None),
    )


def test_appealing_and_deciding_the_appeal_answer_with_an_audited_read(world: World) -> None:
    operator = world.members[Role.COMPUTER_OPERATOR]
    grievance_id = _lodge(world, operator)
    decided = {"outcome": "NOT_UPHELD", "reasons": "Paid on 5 March."}
    _each_answer_is_a_read(
        world,
        operator,
        grievance_id,
        ("/grievances/{id}/decision", decided),
        ("/grievances/{id}/appeal", {"grounds": "The money never came."}),
    )
    approver = make_member(world.org, Role.PROGRAMME_OFFICER, username="home.officer-2", at=world.at)
    _each_answer_is_a_read(
        world,
        approver,
        grievance_id,
        ("/grievances/{id}/appeal/decision", {"outcome": "UPHELD", "reasons": "Not paid."}),
    )
