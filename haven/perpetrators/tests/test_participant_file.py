"""A participant's file through its pages: intake, the programme, sessions, completion; and the refusals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.orgs.models import Membership
from haven.perpetrators import actions
from haven.perpetrators.models import (
    Completion,
    Participant,
    ParticipantTransition,
    ProgrammeSession,
)
from haven.perpetrators.tests.walk import active_participant
from haven.privacy.models import AuditEntry

KEPT_APART = "kept apart from survivors"


def _post(world: World, member: Membership, name: str, data: dict[str, Any], *args: Any) -> Any:
    return world.client_for(member).post(reverse(f"perpetrators:{name}", args=args), data)


def test_it_runs_a_file_from_intake_to_completion(world: World, worker: Membership) -> None:
    client = world.client_for(worker)
    response = _post(
        world, worker, "create", {"name": "Yerlan Testov", "language": "ru", "referral_source": "COURT"}
    )
    participant = Participant.objects.get()
    assert response.status_code == 302 and participant.code.startswith(f"P-{timezone.localdate().year}-")
    assert participant.status == "INTAKE"

    _post(world, worker, "status", {"to_status": "ACTIVE"}, participant.pk)
    starts_at = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    session = {"kind": "GROUP", "starts_at": starts_at, "facilitator": worker.pk, "attended": "yes"}
    assert _post(world, worker, "session_create", session, participant.pk).status_code == 302
    done = {
        "outcome": "CHANGE_OBSERVED",
        "completed_on": timezone.localdate().isoformat(),
        "summary": "Calmer",
    }
    assert _post(world, worker, "completion", done, participant.pk).status_code == 302

    participant.refresh_from_db()
    assert participant.status == "COMPLETED"
    assert Completion.objects.get(participant=participant).summary == "Calmer"
    moves = list(
        ParticipantTransition.objects.filter(participant=participant).values_list("to_status", flat=True)
    )
    assert moves == ["INTAKE", "ACTIVE", "COMPLETED"]
    html = client.get(reverse("perpetrators:detail", args=[participant.pk])).content.decode()
    assert "Yerlan Testov" in html and "Completed, with a clear change in his behaviour" in html
    assert 'id="record-session"' not in html  # a closed file takes nothing more


def test_it_lists_codes_and_never_names(world: World, worker: Membership, participant: Participant) -> None:
    html = world.client_for(worker).get(reverse("perpetrators:list")).content.decode()
    assert participant.code in html and "Walk Participant" not in html


def test_it_refuses_a_survivor_code_or_a_case_reference_with_the_reason(
    world: World, worker: Membership, participant: Participant
) -> None:
    intake = {"name": "Linked to S-7KQ2-M9XD", "language": "fa", "referral_source": "SELF"}
    response = _post(world, worker, "create", intake)
    assert response.status_code == 422 and KEPT_APART in response.content.decode()
    starts_at = (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    notes = f"Her case is {participant.pk}"  # any record identifier: a case, a contact, a dispatch
    session = {"kind": "INDIVIDUAL", "starts_at": starts_at, "facilitator": worker.pk, "attended": "no"}
    response = _post(world, worker, "session_create", {**session, "notes": notes}, participant.pk)
    assert response.status_code == 422 and KEPT_APART in response.content.decode()
    assert Participant.objects.count() == 1 and ProgrammeSession.objects.count() == 1  # the fixture's own


def test_it_refuses_wrong_moves_with_a_reason(world: World, worker: Membership) -> None:
    now = timezone.now()
    fresh = actions.register_participant(
        org=world.org, name="New Man", language="kk", referral_source="POLICE", acting_user=None, at=now
    )
    response = _post(world, worker, "status", {"to_status": "DROPPED_OUT"}, fresh.pk)
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.status == "INTAKE"  # no reason given: refused
    response = _post(
        world, worker, "completion", {"outcome": "NO_CHANGE", "completed_on": now.date()}, fresh.pk
    )
    assert response.status_code == 422 and "Only a participant in the programme" in response.content.decode()


def test_it_refuses_completion_without_an_attended_session_and_a_future_attendance(
    world: World, worker: Membership
) -> None:
    now = timezone.now()
    man = actions.register_participant(
        org=world.org, name="Absent Man", language="en", referral_source="SELF", acting_user=None, at=now
    )
    actions.change_status(participant=man, to_status="ACTIVE", acting_user=None, at=now)
    response = _post(
        world, worker, "completion", {"outcome": "NO_CHANGE", "completed_on": now.date()}, man.pk
    )
    assert response.status_code == 422 and "attended no session" in response.content.decode()
    later = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    session = {"kind": "GROUP", "starts_at": later, "facilitator": worker.pk, "attended": "yes"}
    response = _post(world, worker, "session_create", session, man.pk)
    assert response.status_code == 422 and "has not happened yet" in response.content.decode()
    assert not Completion.objects.exists() and not ProgrammeSession.objects.filter(participant=man).exists()


def test_it_audits_every_read_of_a_file(world: World, worker: Membership, participant: Participant) -> None:
    client = world.client_for(worker)
    for _ in range(2):
        assert client.get(reverse("perpetrators:detail", args=[participant.pk])).status_code == 200
    reads = AuditEntry.objects.filter(action="perpetrators.view", object_id=str(participant.pk))
    assert reads.count() == 2 and reads.first().actor_id == worker.user_id  # type: ignore[union-attr]


def test_the_list_takes_the_same_queries_for_one_or_many(world: World, worker: Membership) -> None:
    client = world.client_for(worker)
    active_participant(world.org, worker)
    client.get(reverse("perpetrators:list"))  # warm the session and the key ring
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("perpetrators:list"))
    for _ in range(4):
        active_participant(world.org, worker)
    with CaptureQueriesContext(connection) as five:
        assert client.get(reverse("perpetrators:list")).status_code == 200
    assert len(five.captured_queries) == len(one.captured_queries)
