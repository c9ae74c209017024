"""ODARA in the programme: asked from the instrument file, scored by the shared engine of haven/risk."""

from __future__ import annotations

from django.urls import reverse

from haven.conftest import World
from haven.orgs.models import Membership
from haven.perpetrators.models import OdaraAssessment, Participant
from haven.perpetrators.tests.conftest import api
from haven.perpetrators.tests.walk import odara_answers
from haven.risk import scoring
from haven.risk.instrument import library


def test_it_scores_the_form_with_the_shared_engine_and_shows_the_meaning(
    world: World, worker: Membership, participant: Participant
) -> None:
    client = world.client_for(worker)
    form = client.get(reverse("perpetrators:odara_create", args=[participant.pk])).content.decode()
    odara = library().get("odara")
    assert all(item.text in form for item in odara.items)  # every item of the file, none invented

    answers = {**odara_answers(5), "o13": "unknown"}
    response = client.post(reverse("perpetrators:odara_create", args=[participant.pk]), answers)
    assert response.status_code == 302
    assessment = OdaraAssessment.objects.get(participant=participant)
    expected = scoring.score(odara, scoring.clean_answers(odara, answers))
    assert (assessment.score, assessment.level, assessment.rule) == (5, expected.level, expected.rule)
    assert assessment.instrument_version == odara.version and assessment.answer_data == answers

    html = client.get(reverse("perpetrators:detail", args=[participant.pk])).content.decode()
    assert "Category 6 of 7 (score 5 or 6)" in html and "Five or six items are present." in html


def test_it_refuses_an_unanswered_item_on_the_form(
    world: World, worker: Membership, participant: Participant
) -> None:
    answers = odara_answers(1)
    del answers["o4"]
    response = world.client_for(worker).post(
        reverse("perpetrators:odara_create", args=[participant.pk]), answers
    )
    assert response.status_code == 422 and not OdaraAssessment.objects.exists()


def test_it_keeps_no_victim_identifier_in_the_answers(
    world: World, worker: Membership, participant: Participant
) -> None:
    path = f"/perpetrators/participants/{participant.pk}/assessments"
    body = {"answers": {**odara_answers(3), "victim_name": "Her name", "victim_code": "S-7KQ2-M9XD"}}
    response = api(world, worker, "POST", path, body)
    assert response.status_code == 422
    errors = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert set(errors) == {"victim_name", "victim_code"} and "no victim's name" in errors["victim_name"]
    assert not OdaraAssessment.objects.exists()

    response = api(world, worker, "POST", path, {"answers": odara_answers(7)})
    assert response.status_code == 201
    assert response.json()["level"] == "CATEGORY_7" and response.json()["level_label"].startswith(
        "Category 7"
    )
