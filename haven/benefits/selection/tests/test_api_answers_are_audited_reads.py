"""Every API answer that carries a selection list (its committee's names, the reasons given for each woman)
or an objection (what someone wrote about her) is an audited read (`benefits.list_view`) of the list or
the objection, whether it answers a read or a step."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from haven.benefits.selection import actions
from haven.benefits.selection.actions import LIST_VIEW
from haven.benefits.selection.models import SelectionList
from haven.benefits.selection.tests.helpers import (
    applicant,
    apply,
    programme_with_rules,
    published,
    quota,
    reviewed,
)
from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry

pytestmark = pytest.mark.usefixtures("fake_rules")

MEMBER_NAME = "Abdul Karim"  # the member `reviewed` records


def _api(world: World, member: Membership, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().post("/api/v1" + path, data, content_type="application/json", headers=headers)


def _draft(world: World, days_ago: int = 0) -> SelectionList:
    programme = programme_with_rules(world.org)
    union = factories.union(world.org)
    apply(programme, applicant(world.org, union, name="Amena Begum"))
    at = timezone.now() - timedelta(days=days_ago)
    return actions.build_draft(quota=quota(programme, union), acting_user=None, at=at)


def _read_of(member: Membership, record: Any) -> bool:
    return AuditEntry.objects.filter(
        action=LIST_VIEW,
        actor=member.user,
        object_type=record._meta.label_lower,
        object_id=str(record.pk),
    ).exists()


def test_including_the_undecided_answers_with_an_audited_read_of_the_list(world: World) -> None:
    selection_list = _draft(world)
    at = timezone.now()
    actions.start_review(
        selection_list=selection_list,
        committee_name="Union committee",
        reviewed_on=timezone.localdate(at) - timedelta(days=1),
        acting_user=None,
        at=at,
    )
    actions.add_committee_member(
        selection_list=selection_list,
        name=MEMBER_NAME,
        institution="Union Parishad",
        role_on_committee="Chair",
        was_present=True,
        acting_user=None,
        at=at,
    )
    operator = world.members[Role.COMPUTER_OPERATOR]
    answer = _api(world, operator, f"/selection-lists/{selection_list.pk}/include-undecided")
    assert answer.status_code == 200, answer.content
    assert answer.json()["committee_members"][0]["name"] == MEMBER_NAME
    assert _read_of(operator, selection_list)


def test_publishing_answers_with_an_audited_read_of_the_list(world: World) -> None:
    selection_list = reviewed(_draft(world))
    officer = world.members[Role.PROGRAMME_OFFICER]
    body = {"objections_end_on": (timezone.localdate() + timedelta(days=7)).isoformat()}
    answer = _api(world, officer, f"/selection-lists/{selection_list.pk}/publish", body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "PUBLISHED"
    assert _read_of(officer, selection_list)


def test_finalising_answers_with_an_audited_read_of_the_list(world: World) -> None:
    selection_list = published(_draft(world, days_ago=9), days_ago=9)
    officer = world.members[Role.PROGRAMME_OFFICER]
    answer = _api(world, officer, f"/selection-lists/{selection_list.pk}/finalise")
    assert answer.status_code == 200, answer.content
    assert answer.json()["committee_members"][0]["name"] == MEMBER_NAME
    assert _read_of(officer, selection_list)


def test_deciding_an_objection_answers_with_an_audited_read_of_it(world: World) -> None:
    selection_list = published(_draft(world))
    objection = actions.record_objection(
        selection_list=selection_list,
        about="OMISSION",
        text="My neighbour was left out",
        channel="PUBLIC",
        acting_user=None,
        at=timezone.now(),
    )
    operator = world.members[Role.COMPUTER_OPERATOR]
    body = {"upheld": False, "reason": "She applied after the draft was built."}
    answer = _api(world, operator, f"/list-objections/{objection.pk}/decision", body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["text"] == "My neighbour was left out"
    assert _read_of(operator, objection)


def test_reading_a_list_is_an_audited_read_of_it(world: World) -> None:
    selection_list = published(_draft(world))
    operator = world.members[Role.COMPUTER_OPERATOR]
    headers = {"Authorization": f"Bearer {world.token_for(operator)}"}
    answer = Client().get(f"/api/v1/selection-lists/{selection_list.pk}", headers=headers)
    assert answer.status_code == 200, answer.content
    assert answer.json()["committee_members"][0]["name"] == MEMBER_NAME
    assert _read_of(operator, selection_list)
