"""Who works on a case (add, hand over the lead, take off) and alleged perpetrators, through pages and API."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import User
from haven.cases import actions
from haven.cases.models import AllegedPerpetrator, Case, CaseAssignment, Incident
from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.privacy.models import AuditEntry

LEAD = CaseAssignment.RoleInCase.LEAD
SUPPORT = CaseAssignment.RoleInCase.SUPPORT


def _case(world: World) -> Case:
    survivor = register_person(org=world.org, name="Rahima Begum", acting_user=None, at=world.at)
    return actions.open_case(
        survivor=survivor,
        lead=world.members[Role.CASEWORKER],
        acting_user=None,
        at=world.at - timedelta(hours=1),
    )


def _as(world: World, role: Role) -> User:
    member = world.members[role]
    member.user.active_membership = member
    return member.user


def _incident(case: Case) -> Incident:
    today = timezone.localdate()
    return actions.record_incident(
        case=case,
        acting_user=None,
        at=timezone.now(),
        occurred_on=today - timedelta(days=3),
        reported_on=today,
        place_type="HOME",
        physical_violence=True,
    )


def _api(world: World, member: Membership, path: str, body: dict[str, Any]) -> Any:
    return Client().post(
        "/api/v1" + path,
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.token_for(member)}"},
    )


def _team(case: Case) -> dict[str, str]:
    active = case.assignments.filter(ended_at__isnull=True).select_related("membership__user")
    return {a.membership.user.username: a.role_in_case for a in active}


def _closed(world: World, case: Case) -> Case:
    caseworker = world.members[Role.CASEWORKER].user
    caseworker.active_membership = world.members[Role.CASEWORKER]
    manager = world.members[Role.CENTRE_MANAGER].user
    manager.active_membership = world.members[Role.CENTRE_MANAGER]
    actions.activate_case(case=case, acting_user=caseworker, at=world.at)
    actions.request_closure(case=case, reason="NEEDS_MET", acting_user=caseworker, at=world.at)
    return actions.approve_closure(case=case, acting_user=manager, at=world.at)


# --- the team ------------------------------------------------------------------------------------------


def test_the_lead_adds_a_counsellor_from_the_case_page(world: World) -> None:
    case = _case(world)
    counsellor = world.members[Role.COUNSELLOR]
    client = world.client_for(world.members[Role.CASEWORKER])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="team"' in page and "Add to the team" in page

    response = client.post(
        reverse("cases:add_to_team", args=[case.pk]), {"membership": counsellor.pk, "role_in_case": SUPPORT}
    )

    assert response.status_code == 302
    assert _team(case)[counsellor.user.username] == SUPPORT
    assert Case.objects.visible_to(_as(world, Role.COUNSELLOR)).filter(pk=case.pk).exists()
    assert AuditEntry.objects.filter(action="case.assign", object_id=str(case.pk)).count() == 2


def test_a_support_worker_cannot_change_the_team(world: World) -> None:
    case = _case(world)
    counsellor = world.members[Role.COUNSELLOR]
    actions.assign_worker(
        case=case, membership=counsellor, role_in_case=SUPPORT, acting_user=None, at=world.at
    )
    client = world.client_for(counsellor)

    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Add to the team" not in page
    response = client.post(
        reverse("cases:add_to_team", args=[case.pk]),
        {"membership": world.members[Role.LAWYER].pk, "role_in_case": SUPPORT},
        follow=True,
    )
    assert (
        "Only the lead worker, the supervisor or a manager can change who works on this case."
        in response.content.decode()
    )
    answer = _api(
        world, counsellor, f"/cases/{case.pk}/team", {"membership_id": world.members[Role.LAWYER].pk}
    )
    assert answer.status_code == 422
    assert world.members[Role.LAWYER].user.username not in _team(case)


def test_a_role_that_does_not_work_on_cases_is_refused_with_a_reason(world: World) -> None:
    case = _case(world)
    answer = _api(
        world,
        world.members[Role.CASEWORKER],
        f"/cases/{case.pk}/team",
        {"membership_id": world.members[Role.DATA_OFFICER].pk},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"] == "This role does not work on survivors' cases."


def test_a_manager_hands_the_lead_over_and_the_old_lead_stays_as_support(world: World) -> None:
    case = _case(world)
    counsellor = world.members[Role.COUNSELLOR]
    actions.assign_worker(
        case=case, membership=counsellor, role_in_case=SUPPORT, acting_user=None, at=world.at
    )

    answer = _api(
        world,
        world.members[Role.CENTRE_MANAGER],
        f"/cases/{case.pk}/team",
        {"membership_id": counsellor.pk, "role_in_case": LEAD},
    )

    assert answer.status_code == 200
    caseworker = world.members[Role.CASEWORKER].user.username
    assert _team(case) == {counsellor.user.username: LEAD, caseworker: SUPPORT}
    active = [row for row in answer.json() if row["ended_at"] is None]
    assert {row["role_in_case"] for row in active} == {LEAD, SUPPORT}


def test_the_lead_cannot_be_taken_off_an_open_case_but_support_can(world: World) -> None:
    case = _case(world)
    lead = world.members[Role.CASEWORKER]
    counsellor = world.members[Role.COUNSELLOR]
    actions.assign_worker(
        case=case, membership=counsellor, role_in_case=SUPPORT, acting_user=None, at=world.at
    )

    refused = _api(
        world, world.members[Role.CENTRE_MANAGER], f"/cases/{case.pk}/team/leave", {"membership_id": lead.pk}
    )
    assert refused.status_code == 422
    assert "Hand the lead over" in refused.json()["errors"][0]["message"]

    client = world.client_for(lead)
    response = client.post(reverse("cases:remove_from_team", args=[case.pk]), {"membership": counsellor.pk})
    assert response.status_code == 302
    assert _team(case) == {lead.user.username: LEAD}
    assert not Case.objects.visible_to(_as(world, Role.COUNSELLOR)).filter(pk=case.pk).exists()


def test_the_team_does_not_grow_on_a_closed_case(world: World) -> None:
    case = _closed(world, _case(world))
    answer = _api(
        world,
        world.members[Role.CENTRE_MANAGER],
        f"/cases/{case.pk}/team",
        {"membership_id": world.members[Role.LAWYER].pk},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"] == "This case is “Closed”, so you cannot change it."


# --- alleged perpetrators ------------------------------------------------------------------------------


def test_a_perpetrator_is_described_from_the_case_page_and_shown_on_the_incident(world: World) -> None:
    case = _case(world)
    incident = _incident(case)
    client = world.client_for(world.members[Role.CASEWORKER])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    form_url = reverse("cases:describe_perpetrator", args=[incident.pk])
    assert form_url in page
    assert client.get(form_url).status_code == 200

    response = client.post(
        form_url,
        {
            "relationship": "INTIMATE_PARTNER",
            "sex": "MALE",
            "age_group": "AGE_26_40",
            "lives_with_survivor": "true",
            "has_weapon_access": "true",
            "prior_violence": "unknown",
        },
    )

    assert response.status_code == 302
    perpetrator = AllegedPerpetrator.objects.get(incident=incident)
    assert (perpetrator.lives_with_survivor, perpetrator.has_weapon_access, perpetrator.prior_violence) == (
        True,
        True,
        None,
    )
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Husband or intimate partner" in page and "has access to a weapon" in page
    assert AuditEntry.objects.filter(action="incident.perpetrator", object_id=str(incident.pk)).exists()


def test_a_bad_perpetrator_form_is_shown_again_with_the_error(world: World) -> None:
    incident = _incident(_case(world))
    client = world.client_for(world.members[Role.CASEWORKER])
    response = client.post(
        reverse("cases:describe_perpetrator", args=[incident.pk]), {"relationship": "WIZARD", "sex": "MALE"}
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not AllegedPerpetrator.objects.exists()


def test_the_api_describes_a_perpetrator_and_the_case_lists_it(world: World) -> None:
    case = _case(world)
    incident = _incident(case)
    lead = world.members[Role.CASEWORKER]
    created = _api(
        world,
        lead,
        f"/incidents/{incident.pk}/perpetrators",
        {"relationship": "IN_LAW", "prior_violence": True},
    )
    assert created.status_code == 201
    assert created.json()["relationship"] == "IN_LAW" and created.json()["prior_violence"] is True

    detail = Client().get(
        f"/api/v1/cases/{case.pk}", headers={"Authorization": f"Bearer {world.token_for(lead)}"}
    )
    incidents = [entry["incident"] for entry in detail.json()["timeline"] if entry["kind"] == "incident"]
    assert incidents[0]["alleged_perpetrators"][0]["relationship"] == "IN_LAW"
    assert {row["worker"] for row in detail.json()["team"]} == {lead.user.username}


def test_a_perpetrator_cannot_be_added_to_a_closed_case(world: World) -> None:
    case = _case(world)
    incident = _incident(case)
    _closed(world, case)
    answer = _api(
        world,
        world.members[Role.CENTRE_MANAGER],
        f"/incidents/{incident.pk}/perpetrators",
        {"relationship": "STRANGER"},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"] == "This case is “Closed”, so you cannot change it."
    assert not AllegedPerpetrator.objects.exists()


# --- sites involved ------------------------------------------------------------------------------------


def test_the_lead_names_the_sites_involved(world: World) -> None:
    case = _case(world)
    client = world.client_for(world.members[Role.CASEWORKER])
    response = client.post(reverse("cases:set_sites", args=[case.pk]), {"sites": [str(world.shelter.pk)]})
    assert response.status_code == 302
    assert list(case.sites.all()) == [world.shelter]
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert world.shelter.name in page
    assert AuditEntry.objects.filter(action="case.sites", object_id=str(case.pk)).exists()


def test_a_site_of_another_organisation_is_refused(world: World) -> None:
    case = _case(world)
    elsewhere = world.other_org.sites.create(name="Elsewhere", kind="OFFICE")
    answer = Client().put(
        f"/api/v1/cases/{case.pk}/sites",
        json.dumps({"site_ids": [str(elsewhere.pk)]}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.token_for(world.members[Role.CASEWORKER])}"},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"] == "Choose sites of your own organisation."
    assert not case.sites.exists()


# --- the case's supervisor -----------------------------------------------------------------------------


def test_a_supervisor_on_the_case_decides_its_closure_like_a_manager(world: World) -> None:
    case = _case(world)
    senior = world.members[Role.COUNSELLOR]  # a senior colleague, not a manager, supervises this case
    actions.assign_worker(
        case=case,
        membership=senior,
        role_in_case=CaseAssignment.RoleInCase.SUPERVISOR,
        acting_user=None,
        at=world.at,
    )
    lead = _as(world, Role.CASEWORKER)
    actions.activate_case(case=case, acting_user=lead, at=world.at)
    actions.request_closure(case=case, reason="NEEDS_MET", acting_user=lead, at=world.at)
    client = world.client_for(senior)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Approve the closure" in page

    response = client.post(reverse("cases:transition", args=[case.pk]), {"verb": "approve_closure"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_a_supervisor_elsewhere_cannot_decide_this_case(world: World) -> None:
    supervised = _case(world)
    other = _case(world)
    senior = world.members[Role.COUNSELLOR]
    for case, role in ((supervised, CaseAssignment.RoleInCase.SUPERVISOR), (other, SUPPORT)):
        actions.assign_worker(case=case, membership=senior, role_in_case=role, acting_user=None, at=world.at)
    lead = _as(world, Role.CASEWORKER)
    actions.activate_case(case=other, acting_user=lead, at=world.at)
    actions.request_closure(case=other, reason="NEEDS_MET", acting_user=lead, at=world.at)

    answer = _api(world, senior, f"/cases/{other.pk}/transition", {"verb": "approve_closure"})

    assert answer.status_code == 422
    assert "supervisor or a centre or shelter manager" in answer.json()["errors"][0]["message"]
    other.refresh_from_db()
    assert other.status == Case.Status.CLOSURE_REQUESTED


def test_the_case_page_shows_how_to_contact_her_safely_before_anything_else(world: World) -> None:
    case = _case(world)
    page = world.client_for(world.members[Role.CASEWORKER]).get(reverse("cases:detail", args=[case.pk]))
    html = page.content.decode()
    assert html.index('id="safe-contact"') < html.index('id="status"') < html.index("log-meeting")
    assert "No safe-contact instructions yet" in html
