"""Every API answer (and page) that carries a committee's records (its members' names, why a case was
tabled, what was decided or asked) is an audited read (`committee.view`): of the one member or action
answered, or of the committee or meeting whose page or list it is, whether it answers a read or a step."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from haven.committees import actions
from haven.committees.actions import COMMITTEE_VIEW
from haven.committees.models import Action
from haven.committees.tests.conftest import Setting, acting, api
from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def _reads_of(member: Membership, record: Any) -> int:
    return AuditEntry.objects.filter(
        action=COMMITTEE_VIEW,
        actor=member.user,
        object_type=record._meta.label_lower,
        object_id=str(record.pk),
    ).count()


def _action(world: World, setting: Setting) -> Action:
    return actions.assign_action(
        meeting=setting.meeting,
        text="Visit her school",
        owner=setting.police,
        due_on=timezone.localdate() + timedelta(days=3),
        acting_user=acting(world, Role.CASEWORKER),
        at=timezone.now(),
    )


def _answer(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    answer = api(world, member, method, path, body)
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_a_committee_and_its_actions_are_audited_reads_of_the_committee(
    world: World, setting: Setting
) -> None:
    _action(world, setting)
    caseworker = world.members[Role.CASEWORKER]
    page = _answer(world, caseworker, "GET", f"/committees/{setting.committee.pk}")
    assert "Inspector Karim Uddin" in [m["name"] for m in page["members"]]
    assert _reads_of(caseworker, setting.committee) == 1
    rows = _answer(world, caseworker, "GET", f"/committees/{setting.committee.pk}/actions")
    assert [row["text"] for row in rows] == ["Visit her school"]
    assert _reads_of(caseworker, setting.committee) == 2


def test_the_cases_tabled_at_a_meeting_are_an_audited_read_of_the_meeting(
    world: World, setting: Setting
) -> None:
    actions.table_case(
        meeting=setting.meeting,
        case=setting.case,
        reason="Her husband threatens her again",
        acting_user=acting(world, Role.CASEWORKER),
        at=timezone.now(),
    )
    counsellor = world.members[Role.COUNSELLOR]
    path = f"/committee-meetings/{setting.meeting.pk}"
    rows = _answer(world, counsellor, "GET", path + "/tabled-cases")
    assert [row["reason"] for row in rows] == ["Her husband threatens her again"]
    assert rows[0]["name"] is None  # no release: her code only, and no identity read
    assert _reads_of(counsellor, setting.meeting) == 1
    page = _answer(world, counsellor, "GET", path)
    assert page["tabled_cases"][0]["reason"] == "Her husband threatens her again"
    assert _reads_of(counsellor, setting.meeting) == 2


def test_closing_an_action_answers_with_an_audited_read_of_it(world: World, setting: Setting) -> None:
    caseworker = world.members[Role.CASEWORKER]
    for step in ("done", "drop"):
        action = _action(world, setting)
        answer = _answer(world, caseworker, "POST", f"/committee-actions/{action.pk}/{step}", {})
        assert answer["text"] == "Visit her school"
        assert _reads_of(caseworker, action) == 1, step


def test_a_member_leaving_answers_with_an_audited_read_of_the_member(world: World, setting: Setting) -> None:
    caseworker = world.members[Role.CASEWORKER]
    answer = _answer(world, caseworker, "POST", f"/committee-members/{setting.doctor.pk}/leave", {})
    assert answer["name"] == "Dr Salma Haque" and answer["left_on"] == timezone.localdate().isoformat()
    assert _reads_of(caseworker, setting.doctor) == 1


def test_the_committee_and_meeting_pages_are_audited_reads_as_through_the_api(
    world: World, setting: Setting
) -> None:
    caseworker = world.members[Role.CASEWORKER]
    client = world.client_for(caseworker)
    page = client.get(reverse("committees:detail", args=[setting.committee.pk]))
    assert page.status_code == 200 and "Inspector Karim Uddin" in page.content.decode()
    assert _reads_of(caseworker, setting.committee) == 1
    assert client.get(reverse("committees:meeting", args=[setting.meeting.pk])).status_code == 200
    assert _reads_of(caseworker, setting.meeting) == 1
