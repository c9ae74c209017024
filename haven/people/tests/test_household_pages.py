"""Her household through pages and API: register a child straight into it, all or nothing; record that
someone left; the case page shows who lives with her now, with ages."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haven.cases import actions as case_actions
from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people.actions import add_to_her_household, register_person
from haven.people.models import HouseholdMember, Person
from haven.privacy.models import AuditEntry


def _mother(world: World) -> Person:
    return register_person(org=world.org, name="Shirin Karimi", acting_user=None, at=world.at)


def _api(world: World, member: Membership, path: str, body: dict[str, Any]) -> Any:
    return Client().post(
        "/api/v1" + path,
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.token_for(member)}"},
    )


def _years_ago(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=1)


def test_a_child_is_registered_into_her_household_and_shown_with_her_age_on_the_case(world: World) -> None:
    mother = _mother(world)
    lead = world.members[Role.CASEWORKER]
    case = case_actions.open_case(survivor=mother, lead=lead, acting_user=None, at=world.at)
    client = world.client_for(lead)

    response = client.post(
        reverse("people:add_household_member", args=[mother.pk]),
        {
            "name": "Darya Karimi",
            "relationship": "CHILD",
            "sex": "FEMALE",
            "born_on": _years_ago(7).isoformat(),
        },
    )

    assert response.status_code == 302
    member = HouseholdMember.objects.select_related("person").get(household__head=mother)
    assert member.person.name == "Darya Karimi" and member.person.survivor_code
    assert (
        member.person.survivor_code in client.get(reverse("people:detail", args=[mother.pk])).content.decode()
    )
    panel = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    section = panel[panel.index('id="her-household"') :]
    assert member.person.survivor_code in section and "7 years old" in section
    assert "Darya" not in section  # codes on the case page, the name stays in her own file
    assert AuditEntry.objects.filter(action="household.member_add").exists()


def test_a_refused_household_member_leaves_nobody_half_registered(world: World) -> None:
    mother = _mother(world)
    client = world.client_for(world.members[Role.CASEWORKER])
    url = reverse("people:add_household_member", args=[mother.pk])
    future = (timezone.localdate() + timedelta(days=3)).isoformat()

    checked = client.post(url, {"name": "Ali Karimi", "_validate": "1"}, headers={"HX-Request": "true"})
    refused = client.post(
        url, {"name": "Ali Karimi", "relationship": "CHILD", "sex": "MALE", "joined_on": future}
    )

    assert checked.status_code == 200 and "<input" not in checked.content.decode()
    assert refused.status_code == 422
    assert "This date cannot be in the future." in refused.content.decode()
    assert Person.objects.filter(org=world.org).count() == 1


def test_someone_who_left_is_kept_as_history_and_off_the_case_page(world: World) -> None:
    mother = _mother(world)
    member = add_to_her_household(
        head=mother,
        name="Omid Karimi",
        relationship="PARTNER",
        joined_on=date(2020, 1, 1),
        acting_user=None,
        at=world.at,
    )
    lead = world.members[Role.CASEWORKER]
    case = case_actions.open_case(survivor=mother, lead=lead, acting_user=None, at=world.at)
    client = world.client_for(lead)
    url = reverse("people:household_member_left", args=[mother.pk])

    too_early = client.post(url, {"member": member.pk, "left_on": "2019-05-01"}, follow=True)
    assert "before the day they came to live with her" in too_early.content.decode()
    client.post(url, {"member": member.pk, "left_on": timezone.localdate().isoformat()})

    member.refresh_from_db()
    assert member.left_on == timezone.localdate()
    panel = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert member.person.survivor_code not in panel[panel.index('id="her-household"') :]
    assert AuditEntry.objects.filter(action="household.member_left").exists()


def test_the_api_adds_lists_and_ends_household_membership(world: World) -> None:
    mother = _mother(world)
    worker = world.members[Role.CASEWORKER]
    created = _api(world, worker, f"/people/{mother.pk}/household", {"name": "Sara", "born_on": "2018-02-03"})
    assert created.status_code == 201
    assert created.json()["relationship"] == "CHILD" and created.json()["born_on"] == "2018-02-03"

    listed = Client().get(
        f"/api/v1/people/{mother.pk}/household",
        headers={"Authorization": f"Bearer {world.token_for(worker)}"},
    )
    assert [row["survivor_code"] for row in listed.json()] == [created.json()["survivor_code"]]

    stranger = _api(
        world, worker, f"/people/{mother.pk}/household/left", {"member_id": 999999, "left_on": "2024-01-01"}
    )
    assert stranger.status_code == 422
    assert stranger.json()["errors"][0]["message"] == "This person is not in her household."
    left = _api(
        world,
        worker,
        f"/people/{mother.pk}/household/left",
        {"member_id": created.json()["id"], "left_on": "2024-01-01"},
    )
    assert left.status_code == 200 and left.json()["left_on"] == "2024-01-01"


def test_the_api_changes_only_the_details_sent_and_refuses_an_empty_name(world: World) -> None:
    mother = register_person(
        org=world.org, name="Shirin Karimi", phone="+1 514 555 0190", acting_user=None, at=world.at
    )
    worker = world.members[Role.CASEWORKER]
    headers = {"Authorization": f"Bearer {world.token_for(worker)}"}

    changed = Client().patch(
        f"/api/v1/people/{mother.pk}",
        json.dumps(
            {"latin_name": "Shirin Karimi", "marital_status": "SEPARATED", "disabilities": ["HEARING"]}
        ),
        content_type="application/json",
        headers=headers,
    )
    refused = Client().patch(
        f"/api/v1/people/{mother.pk}",
        json.dumps({"name": None}),
        content_type="application/json",
        headers=headers,
    )

    assert changed.status_code == 200, changed.json()
    mother.refresh_from_db()
    assert (mother.marital_status, mother.disabilities, mother.phone) == (
        "SEPARATED",
        ["HEARING"],
        "+1 514 555 0190",
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0] == {"field": "name", "message": "This field cannot be empty."}
    audit = AuditEntry.objects.filter(action="person.update").latest("at")
    assert set(audit.fields) == {"latin_name", "marital_status", "disabilities"}
