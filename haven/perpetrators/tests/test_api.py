"""The programme's API: a file from intake to completion, codes on lists, and 422 on bad input."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from haven.conftest import World
from haven.orgs.models import Membership
from haven.perpetrators.actions import PARTICIPANT_VIEW
from haven.perpetrators.models import Participant
from haven.perpetrators.tests.conftest import api
from haven.perpetrators.tests.walk import odara_answers
from haven.privacy.models import AuditEntry

BASE = "/perpetrators/participants"


def test_it_runs_a_file_through_the_api(world: World, worker: Membership) -> None:
    body = {
        "name": "Reza Azmayeshi",
        "phone": "+98 914 123 4567",
        "language": "fa",
        "referral_source": "SELF",
    }
    created = api(world, worker, "POST", BASE, body)
    assert created.status_code == 201
    path = f"{BASE}/{created.json()['id']}"
    assert api(world, worker, "POST", f"{path}/status", {"to_status": "ACTIVE"}).status_code == 200
    yesterday = (timezone.now() - timedelta(days=1)).isoformat()
    session = {"kind": "INDIVIDUAL", "starts_at": yesterday, "attended": True, "notes": "Spoke about anger"}
    assert api(world, worker, "POST", f"{path}/sessions", session).json()["facilitator_id"] == worker.pk
    assert api(world, worker, "POST", f"{path}/assessments", {"answers": odara_answers(0)}).status_code == 201
    done = {"outcome": "SOME_CHANGE", "completed_on": timezone.localdate().isoformat()}
    assert api(world, worker, "POST", f"{path}/completion", done).status_code == 201

    file = api(world, worker, "GET", path).json()
    assert file["status"] == "COMPLETED" and file["name"] == "Reza Azmayeshi"
    assert file["phone"].startswith("+") and file["assessments"][0]["level"] == "CATEGORY_1"
    assert [row.get("name") for row in api(world, worker, "GET", BASE).json()] == [None]


def test_it_answers_422_naming_the_field(world: World, worker: Membership, participant: Participant) -> None:
    linked = {"name": "Husband of s-7kq2-m9xd", "language": "ru", "referral_source": "COURT"}
    response = api(world, worker, "POST", BASE, linked)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
    assert "kept apart from survivors" in response.json()["errors"][0]["message"]
    bad = {"name": "A", "language": "xx", "referral_source": "SELF", "phone": "not a phone"}
    fields = {e["field"] for e in api(world, worker, "POST", BASE, bad).json()["errors"]}
    assert fields == {"language", "phone"}
    path = f"{BASE}/{participant.pk}"
    summary = {
        "outcome": "NO_CHANGE",
        "completed_on": timezone.localdate().isoformat(),
        "summary": "L-2026-0007",
    }
    response = api(world, worker, "POST", f"{path}/completion", summary)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "summary"
    assert api(world, worker, "POST", f"{path}/status", {"to_status": "EXCLUDED"}).status_code == 422
    assert Participant.objects.count() == 1


def test_it_audits_his_file_returned_by_a_change_of_status(
    world: World, worker: Membership, participant: Participant
) -> None:
    """The answer to a status change is his whole file (name, phone), a reading like the GET's."""
    path = f"{BASE}/{participant.pk}"
    body = {"to_status": "DROPPED_OUT", "reason": "Stopped coming"}
    response = api(world, worker, "POST", f"{path}/status", body)
    assert response.status_code == 200, response.content
    assert response.json()["name"] == participant.name
    reads = AuditEntry.objects.filter(
        action=PARTICIPANT_VIEW, object_id=str(participant.pk), actor=worker.user
    )
    assert reads.count() == 1
