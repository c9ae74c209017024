"""Running a screen from the case page and reading its result, through real HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from haven.cases.actions import open_case
from haven.cases.models import Case
from haven.cases.tests.care_helpers import closed_case
from haven.conftest import World
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.privacy.models import AuditEntry
from haven.risk.models import Assessment
from haven.risk.tests.walk import lap_answers


@pytest.fixture
def case(world: World) -> Case:
    survivor = register_person(org=world.org, name="Synthetic Survivor", acting_user=None, at=world.at)
    return open_case(survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at)


def screen_url(case: Case, instrument: str = "lap") -> str:
    return reverse("risk:screen", args=[case.pk, instrument])


def test_it_offers_the_screens_on_the_case_page(world: World, case: Case) -> None:
    page = world.client_for(world.members[Role.CASEWORKER]).get(reverse("cases:detail", args=[case.pk]))
    html = page.content.decode()
    assert 'id="screen-lap"' in html and 'id="screen-dash"' in html and 'id="screen-da"' in html
    assert 'id="screen-odara"' not in html  # the perpetrator programme's instrument


def test_it_generates_the_form_one_question_per_line(world: World, case: Case) -> None:
    page = world.client_for(world.members[Role.CASEWORKER]).get(screen_url(case))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<fieldset") == 12
    assert "Has your partner threatened to kill you or your children?" in html
    assert 'type="radio" name="q1" value="declined"' in html


def test_it_scores_a_screen_in_and_shows_level_score_and_rule(world: World, case: Case) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    answers: dict[str, Any] = lap_answers(("q4", "q5", "q6", "q9")) | {"judgement": ""}
    response = client.post(screen_url(case), answers)
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "risk:detail", args=[assessment.pk]
    )
    assert (assessment.level, assessment.rule, assessment.score) == ("SCREENED_IN", "four_of_q4_to_q11", 4)
    assert assessment.answer_data["q5"] == "yes" and assessment.asked_by == world.persona(Role.CASEWORKER)
    html = client.get(response["Location"]).content.decode()
    assert "Screened in: high danger" in html
    assert "She answered yes to four or more of questions 4 to 11." in html
    assert AuditEntry.objects.filter(action="risk.assess", object_id=str(assessment.pk)).exists()
    assert AuditEntry.objects.filter(action="risk.view", object_id=str(assessment.pk)).exists()
    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Risk screen (Lethality screen (LAP)): Screened in: high danger" in case_page


def test_it_stores_the_answers_encrypted(world: World, case: Case) -> None:
    world.client_for(world.members[Role.CASEWORKER]).post(screen_url(case), lap_answers(("q2",)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM risk_assessment")
        (stored,) = cursor.fetchone()
    # The quoted JSON key cannot occur in the base64 ciphertext; a bare three-letter word could, by chance.
    assert stored.startswith("h1$") and '"q2"' not in stored and '"yes"' not in stored


def test_it_refuses_an_unanswered_question_and_keeps_nothing(world: World, case: Case) -> None:
    answers = lap_answers()
    del answers["q7"]
    response = world.client_for(world.members[Role.CASEWORKER]).post(screen_url(case), answers)
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not Assessment.objects.exists()


def test_it_refuses_the_danger_assessment_until_the_sheet_is_loaded(world: World, case: Case) -> None:
    answers = {f"d{n}": "no" for n in range(1, 21)} | {"calendar": "2026-03-01 3\n2026-04-02 5"}
    response = world.client_for(world.members[Role.CASEWORKER]).post(screen_url(case, "da"), answers)
    assert response.status_code == 422
    assert "certified scoring sheet" in response.content.decode()
    assert not Assessment.objects.exists()


def test_it_explains_a_malformed_calendar(world: World, case: Case) -> None:
    answers = {f"d{n}": "no" for n in range(1, 21)} | {"calendar": "yesterday 3"}
    response = world.client_for(world.members[Role.CASEWORKER]).post(screen_url(case, "da"), answers)
    assert response.status_code == 422
    assert "Write each incident as a date and a rating" in response.content.decode()


def test_it_refuses_a_screen_on_a_closed_case(world: World) -> None:
    case = closed_case(world)
    response = world.client_for(world.members[Role.SHELTER_MANAGER]).post(screen_url(case), lap_answers())
    assert response.status_code == 422
    assert "so you cannot" in response.content.decode()
    assert not Assessment.objects.exists()


def test_an_unknown_instrument_is_not_found(world: World, case: Case) -> None:
    response = world.client_for(world.members[Role.CASEWORKER]).get(screen_url(case, "nope"))
    assert response.status_code == 404


def test_another_organisation_sees_neither_the_form_nor_the_result(world: World, case: Case) -> None:
    world.client_for(world.members[Role.CASEWORKER]).post(screen_url(case), lap_answers(("q1",)))
    outsider = world.client_for(world.outsider)
    assert outsider.get(screen_url(case)).status_code in {403, 404}
    assessment = Assessment.objects.get()
    assert outsider.get(reverse("risk:detail", args=[assessment.pk])).status_code in {403, 404}
