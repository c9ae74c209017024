"""The risk API through real HTTP with bearer tokens: screens, re-scoring under a new version, scoring
sheets, escalation rules and what they set in motion."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haven.cases.actions import open_case
from haven.cases.models import Case, FollowUp
from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.privacy.models import AuditEntry
from haven.risk import instrument as instrument_module
from haven.risk.actions import install_default_rules, take_dispatch_offer
from haven.risk.instrument import Library, library, parse_instrument
from haven.risk.models import Assessment, Escalation, ScoringSheet
from haven.risk.tests.walk import lap_answers, sheet_body


def call(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else None
    return Client().generic(
        method, "/api/v1" + path, data=data or "", content_type="application/json", headers=headers
    )


@pytest.fixture
def case(world: World) -> Case:
    survivor = register_person(org=world.org, name="Synthetic Survivor", acting_user=None, at=world.at)
    return open_case(survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at)


def test_it_lists_the_instruments_with_source_and_licence(world: World) -> None:
    response = call(world, world.members[Role.HOTLINE_AGENT], "GET", "/instruments")
    found = {entry["id"]: entry for entry in response.json()}
    assert set(found) == {"lap", "dash", "da", "odara"}
    assert found["da"]["needs_org_sheet"] and "no weights" in found["da"]["notice"]
    assert len(found["dash"]["items"]) == 27 and found["lap"]["licence"]


def test_it_records_a_screen_and_reads_it_back(world: World, case: Case) -> None:
    worker = world.members[Role.CASEWORKER]
    body = {"instrument": "dash", "answers": dict.fromkeys(library().get("dash").score_items, "yes")}
    created = call(world, worker, "POST", f"/cases/{case.pk}/assessments", body)
    assert created.status_code == 201
    result = created.json()
    assert (result["level"], result["rule"], result["score"]) == ("HIGH", "fourteen_or_more", 24)
    assert result["explain"] == "Fourteen or more of the 24 questions were answered yes."
    read = call(world, worker, "GET", f"/assessments/{result['id']}").json()
    assert read["answers"]["weapon"] == "yes"
    listed = call(world, worker, "GET", f"/cases/{case.pk}/assessments").json()
    assert [entry["id"] for entry in listed] == [result["id"]]


def test_a_hotline_agent_screens_before_any_case_exists(world: World) -> None:
    person = register_person(org=world.org, name="Synthetic Caller", acting_user=None, at=world.at)
    body = {"instrument": "lap", "answers": lap_answers(("q3",))}
    response = call(
        world, world.members[Role.HOTLINE_AGENT], "POST", f"/people/{person.pk}/assessments", body
    )
    assert response.status_code == 201 and response.json()["case_id"] is None
    assert response.json()["level"] == "SCREENED_IN"


def test_it_refuses_bad_answers_with_field_messages_and_writes_nothing(world: World, case: Case) -> None:
    body = {"instrument": "lap", "answers": lap_answers() | {"q1": "perhaps", "q99": "yes"}}
    response = call(world, world.members[Role.CASEWORKER], "POST", f"/cases/{case.pk}/assessments", body)
    assert response.status_code == 422
    text = json.dumps(response.json())
    assert "not one of the choices" in text and "no such question" in text
    assert not Assessment.objects.exists() and not AuditEntry.objects.filter(action="risk.assess").exists()


def test_it_refuses_an_unknown_instrument(world: World, case: Case) -> None:
    body = {"instrument": "nope", "answers": {}}
    response = call(world, world.members[Role.CASEWORKER], "POST", f"/cases/{case.pk}/assessments", body)
    assert response.status_code == 422 and "no such instrument" in json.dumps(response.json())


def test_another_organisation_cannot_read_a_screen(world: World, case: Case) -> None:
    body = {"instrument": "lap", "answers": lap_answers()}
    created = call(
        world, world.members[Role.CASEWORKER], "POST", f"/cases/{case.pk}/assessments", body
    ).json()
    assert call(world, world.outsider, "GET", f"/assessments/{created['id']}").status_code in {403, 404}


# --- Versions ---------------------------------------------------------------------------------------


@pytest.fixture
def lap_2(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A second LAP version that screens in on three of questions 4 to 11 (instead of four)."""
    data = copy.deepcopy(dict(library().get("lap", "1").raw))
    data["version"] = "2"
    data["rules"][1]["when"]["at_least"] = 3
    both = Library([*library().all(), parse_instrument(data, "lap-2.json")])
    return lambda: monkeypatch.setattr(instrument_module, "_library", both)


def test_a_new_version_rescores_without_changing_the_recorded_result(
    world: World, case: Case, lap_2: Any
) -> None:
    worker = world.members[Role.CASEWORKER]
    body = {"instrument": "lap", "answers": lap_answers(("q4", "q5", "q6"))}
    created = call(world, worker, "POST", f"/cases/{case.pk}/assessments", body).json()
    assert (created["level"], created["instrument_version"]) == ("NOT_SCREENED_IN", "1")
    lap_2()
    rescored = call(world, worker, "GET", f"/assessments/{created['id']}/rescore").json()
    assert (rescored["instrument_version"], rescored["level"]) == ("2", "SCREENED_IN")
    old = call(world, worker, "GET", f"/assessments/{created['id']}/rescore?version=1").json()
    assert old["level"] == "NOT_SCREENED_IN"
    kept = Assessment.objects.get()
    assert (kept.level, kept.instrument_version, kept.rule) == ("NOT_SCREENED_IN", "1", "default")
    page = world.client_for(worker).get(reverse("risk:detail", args=[kept.pk])).content.decode()
    assert "Under the newest version (2)" in page and "Not screened in" in page
    new = call(world, worker, "POST", f"/cases/{case.pk}/assessments", body).json()
    assert (new["instrument_version"], new["level"]) == ("2", "SCREENED_IN")


# --- Scoring sheets ---------------------------------------------------------------------------------


def test_an_administrator_loads_the_certified_sheet_and_the_danger_assessment_scores(
    world: World, case: Case
) -> None:
    answers = {f"d{n}": ("yes" if n <= 9 else "no") for n in range(1, 21)}
    body = {"instrument": "da", "answers": answers}
    refused = call(world, world.members[Role.CASEWORKER], "POST", f"/cases/{case.pk}/assessments", body)
    assert refused.status_code == 422 and "certified scoring sheet" in json.dumps(refused.json())
    loaded = call(world, world.members[Role.ORG_ADMIN], "POST", "/risk/scoring-sheets", sheet_body())
    assert loaded.status_code == 201
    scored = call(world, world.members[Role.CASEWORKER], "POST", f"/cases/{case.pk}/assessments", body)
    assert scored.status_code == 201
    assert (scored.json()["score"], scored.json()["level"]) == (9, "INCREASED")
    assert Assessment.objects.get().sheet == ScoringSheet.objects.get()


def test_it_refuses_a_malformed_sheet(world: World) -> None:
    body = sheet_body() | {"weights": {"d1": 1}}
    response = call(world, world.members[Role.ORG_ADMIN], "POST", "/risk/scoring-sheets", body)
    assert response.status_code == 422 and "weight for every scored item" in json.dumps(response.json())
    assert not ScoringSheet.objects.exists()


def test_only_administrators_load_sheets(world: World) -> None:
    response = call(world, world.members[Role.CASEWORKER], "POST", "/risk/scoring-sheets", sheet_body())
    assert response.status_code == 403


# --- Escalation -------------------------------------------------------------------------------------


def test_a_screen_in_offers_dispatch_alerts_a_supervisor_and_schedules_a_follow_up(
    world: World, case: Case
) -> None:
    install_default_rules(org=world.org, acting_user=None, at=world.at)
    body = {"instrument": "lap", "answers": lap_answers(("q1",))}
    created = call(
        world, world.members[Role.CASEWORKER], "POST", f"/cases/{case.pk}/assessments", body
    ).json()
    (escalation,) = created["escalations"]
    assert escalation["offer_dispatch"] and escalation["notify_supervisor"]
    follow_up = FollowUp.objects.get(pk=escalation["follow_up_id"])
    assert follow_up.is_safety_critical and follow_up.case == case
    assert follow_up.due_on <= timezone.localdate(timezone.now() + timedelta(hours=24))
    assert Escalation.objects.open_dispatch_offers().count() == 1
    manager = world.members[Role.CENTRE_MANAGER]
    alerts = world.client_for(manager).get(reverse("risk:alerts")).content.decode()
    assert reverse("risk:detail", args=[created["id"]]) in alerts
    ack_url = reverse("risk:acknowledge", args=[escalation["id"]])
    assert world.client_for(manager).post(ack_url).status_code == 302
    again = world.client_for(manager).post(ack_url, follow=True).content.decode()
    assert "already acknowledged" in again
    assert not Escalation.objects.awaiting_supervisor().exists()


def test_the_dispatch_seam_takes_an_offer_once(world: World, case: Case) -> None:
    install_default_rules(org=world.org, acting_user=None, at=world.at)
    body = {"instrument": "lap", "answers": lap_answers(("q2",))}
    call(world, world.members[Role.CASEWORKER], "POST", f"/cases/{case.pk}/assessments", body)
    offer = Escalation.objects.open_dispatch_offers().get()
    take_dispatch_offer(escalation=offer, acting_user=None, at=world.at)
    assert not Escalation.objects.open_dispatch_offers().exists()
    with pytest.raises(Exception, match="no open dispatch offer"):
        take_dispatch_offer(escalation=offer, acting_user=None, at=world.at)


def test_without_a_case_the_escalation_asks_for_one(world: World) -> None:
    install_default_rules(org=world.org, acting_user=None, at=world.at)
    person = register_person(org=world.org, name="Synthetic Caller", acting_user=None, at=world.at)
    body = {"instrument": "lap", "answers": lap_answers(("q1",))}
    created = call(world, world.members[Role.HOTLINE_AGENT], "POST", f"/people/{person.pk}/assessments", body)
    (escalation,) = created.json()["escalations"]
    assert escalation["follow_up_id"] is None and escalation["follow_up_needs_case"]


def test_a_screen_below_the_rule_sets_nothing_in_motion(world: World, case: Case) -> None:
    install_default_rules(org=world.org, acting_user=None, at=world.at)
    body = {"instrument": "lap", "answers": lap_answers()}
    created = call(
        world, world.members[Role.CASEWORKER], "POST", f"/cases/{case.pk}/assessments", body
    ).json()
    assert created["escalations"] == [] and not FollowUp.objects.exists()


def test_an_administrator_writes_escalation_rules_and_bad_ones_are_refused(world: World) -> None:
    admin = world.members[Role.ORG_ADMIN]
    good = {"name": "DASH high", "instrument": "dash", "levels": ["HIGH"], "follow_up_within_hours": 24}
    assert call(world, admin, "POST", "/risk/escalation-rules", good).status_code == 201
    bad_level = call(world, admin, "POST", "/risk/escalation-rules", good | {"levels": ["SCREENED_IN"]})
    assert bad_level.status_code == 422 and "levels of this instrument" in json.dumps(bad_level.json())
    idle = {"name": "Does nothing", "instrument": "dash", "levels": ["HIGH"]}
    assert call(world, admin, "POST", "/risk/escalation-rules", idle).status_code == 422
    listed = call(world, world.members[Role.CENTRE_MANAGER], "GET", "/risk/escalation-rules").json()
    assert [rule["name"] for rule in listed] == ["DASH high"]
    assert (
        call(world, world.members[Role.CASEWORKER], "POST", "/risk/escalation-rules", good).status_code == 403
    )
