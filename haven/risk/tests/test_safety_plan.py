"""Her safety plan: written and reviewed from the case, encrypted, printed in her language."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haven.cases.actions import open_case
from haven.cases.models import Case
from haven.cases.tests.care_helpers import closed_case
from haven.conftest import World
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.privacy.models import AuditEntry
from haven.risk.models import SafetyPlan


@pytest.fixture
def case(world: World) -> Case:
    survivor = register_person(org=world.org, name="Synthetic Survivor", acting_user=None, at=world.at)
    return open_case(survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at)


def plan_form(**changes: str) -> dict[str, str]:
    review_on = (timezone.localdate() + timedelta(days=30)).isoformat()
    form = {"language": "fr", "review_on": review_on, "safe_places": "Her aunt's flat, night bus 12"}
    return form | {"code_word": "blue umbrella"} | changes


def test_a_worker_writes_the_plan_and_prints_it_in_her_language(world: World, case: Case) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    response = client.post(reverse("risk:safety_plan", args=[case.pk]), plan_form())
    assert response.status_code == 302
    plan = SafetyPlan.objects.get()
    assert (plan.language, plan.code_word, plan.reviewed_by) == (
        "fr",
        "blue umbrella",
        world.persona(Role.CASEWORKER),
    )
    printed = client.get(reverse("risk:safety_plan_print", args=[case.pk])).content.decode()
    assert '<html lang="fr"' in printed and "Her aunt&#x27;s flat, night bus 12" in printed
    assert "risk/print.css" in printed
    assert AuditEntry.objects.filter(action="risk.safety_plan", object_id=str(plan.pk)).exists()
    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="safety-plan-status"' in case_page


def test_the_plan_is_stored_encrypted(world: World, case: Case) -> None:
    world.client_for(world.members[Role.CASEWORKER]).post(
        reverse("risk:safety_plan", args=[case.pk]), plan_form()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT safe_places, code_word FROM risk_safetyplan")
        row = cursor.fetchone()
    assert "aunt" not in row[0] and "umbrella" not in row[1]


def test_saving_again_is_a_review_of_the_same_plan(world: World, case: Case) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    client.post(reverse("risk:safety_plan", args=[case.pk]), plan_form())
    later = (timezone.localdate() + timedelta(days=90)).isoformat()
    client.post(
        reverse("risk:safety_plan", args=[case.pk]), plan_form(review_on=later, children="Go to Mrs B.")
    )
    plan = SafetyPlan.objects.get()
    assert plan.review_on.isoformat() == later and plan.children == "Go to Mrs B."


def test_it_refuses_an_empty_plan_or_a_past_review_date(world: World, case: Case) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    url = reverse("risk:safety_plan", args=[case.pk])
    empty = client.post(url, plan_form(safe_places="", code_word=""))
    assert empty.status_code == 422 and "at least one section" in empty.content.decode()
    past = client.post(url, plan_form(review_on=timezone.localdate().isoformat()))
    assert past.status_code == 422 and "review date after today" in past.content.decode()
    assert not SafetyPlan.objects.exists()


def test_it_refuses_a_plan_on_a_closed_case(world: World) -> None:
    case = closed_case(world)
    client = world.client_for(world.members[Role.SHELTER_MANAGER])
    assert client.post(reverse("risk:safety_plan", args=[case.pk]), plan_form()).status_code == 422
    assert not SafetyPlan.objects.exists()


def test_the_api_writes_and_reads_the_plan(world: World, case: Case) -> None:
    headers = {"Authorization": f"Bearer {world.token_for(world.members[Role.CASEWORKER])}"}
    url = f"/api/v1/cases/{case.pk}/safety-plan"
    assert Client().get(url, headers=headers).json() is None
    body = json.dumps(plan_form(language="bn"))
    written = Client().put(url, body, content_type="application/json", headers=headers)
    assert written.status_code == 200 and written.json()["language"] == "bn"
    assert Client().get(url, headers=headers).json()["code_word"] == "blue umbrella"
    bad = Client().put(
        url, json.dumps(plan_form(language="xx")), content_type="application/json", headers=headers
    )
    assert bad.status_code == 422


def test_another_organisation_cannot_open_the_plan(world: World, case: Case) -> None:
    world.client_for(world.members[Role.CASEWORKER]).post(
        reverse("risk:safety_plan", args=[case.pk]), plan_form()
    )
    outsider = world.client_for(world.outsider)
    assert outsider.get(reverse("risk:safety_plan_print", args=[case.pk])).status_code in {403, 404}


def test_opening_the_plan_to_review_it_is_an_audited_read(world: World, case: Case) -> None:
    """The review form shows every section of her plan (where she would go, whom she trusts): reading
    it there is recorded like reading it on paper or through the API."""
    client = world.client_for(world.members[Role.CASEWORKER])
    client.post(reverse("risk:safety_plan", args=[case.pk]), plan_form())
    plan = SafetyPlan.objects.get()
    reads = AuditEntry.objects.filter(action="risk.safety_plan_view", object_id=str(plan.pk))
    assert not reads.exists()

    page = client.get(reverse("risk:safety_plan", args=[case.pk])).content.decode()

    assert "blue umbrella" in page
    assert reads.count() == 1 and reads.get().actor == world.persona(Role.CASEWORKER)


def test_opening_the_form_before_any_plan_records_no_read(world: World, case: Case) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    assert client.get(reverse("risk:safety_plan", args=[case.pk])).status_code == 200
    assert not AuditEntry.objects.filter(action="risk.safety_plan_view").exists()
