"""Only the programme's team sees participants: by role, or added by an administrator; nobody else."""

from __future__ import annotations

from django.urls import reverse

from haven.conftest import World, make_member
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.perpetrators.models import Participant
from haven.perpetrators.tests.conftest import api
from haven.perpetrators.tests.walk import active_participant


def _file(world: World, member: Membership, participant: Participant) -> int:
    return world.client_for(member).get(reverse("perpetrators:detail", args=[participant.pk])).status_code


def test_a_counsellor_added_to_the_team_sees_files_until_she_is_taken_off(
    world: World, participant: Participant
) -> None:
    admin, counsellor = world.members[Role.ORG_ADMIN], world.members[Role.COUNSELLOR]
    assert _file(world, counsellor, participant) == 404

    added = world.client_for(admin).post(reverse("perpetrators:team"), {"membership": counsellor.pk})
    assert added.status_code == 302
    assert _file(world, counsellor, participant) == 200
    listed = api(world, counsellor, "GET", "/perpetrators/participants").json()
    assert [row["code"] for row in listed] == [participant.code]

    world.client_for(admin).post(reverse("perpetrators:team_remove"), {"membership": counsellor.pk})
    assert _file(world, counsellor, participant) == 404
    assert world.client_for(counsellor).get(reverse("perpetrators:list")).status_code == 403
    path = f"/perpetrators/participants/{participant.pk}"
    assert api(world, counsellor, "GET", path).status_code == 404


def test_the_administrator_manages_the_team_but_reads_no_file(world: World, participant: Participant) -> None:
    admin = world.members[Role.ORG_ADMIN]
    team_page = world.client_for(admin).get(reverse("perpetrators:team")).content.decode()
    assert world.members[Role.PERPETRATOR_WORKER].user.first_name in team_page
    assert _file(world, admin, participant) == 404
    assert world.client_for(admin).get(reverse("perpetrators:list")).status_code == 403
    assert api(world, admin, "GET", "/perpetrators/participants").status_code == 403


def test_the_team_page_refuses_bad_choices(world: World, worker: Membership) -> None:
    admin = world.members[Role.ORG_ADMIN]
    response = world.client_for(admin).post(reverse("perpetrators:team"), {"membership": worker.pk})
    assert response.status_code == 422  # a programme worker is not offered: on the team by role
    body = {"membership_id": worker.pk}
    response = api(world, admin, "POST", "/perpetrators/team", body)
    assert response.status_code == 422 and "by their role" in response.json()["errors"][0]["message"]
    assert world.client_for(worker).get(reverse("perpetrators:team")).status_code == 403


def test_an_outsider_finds_nothing(world: World, participant: Participant) -> None:
    elsewhere = make_member(world.other_org, Role.PERPETRATOR_WORKER, username="elsewhere.pw", at=world.at)
    active_participant(world.other_org, elsewhere)
    assert _file(world, elsewhere, participant) == 404
    assert api(world, elsewhere, "GET", f"/perpetrators/participants/{participant.pk}").status_code == 404
    codes = [row["code"] for row in api(world, elsewhere, "GET", "/perpetrators/participants").json()]
    assert len(codes) == 1  # his own organisation's participant only
