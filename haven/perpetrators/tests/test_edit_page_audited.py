"""The page that changes his details shows his name and phone as stored, and the API's list of his sessions
their notes: each is an audited read, like opening his file."""

from __future__ import annotations

from django.urls import reverse

from haven.conftest import World
from haven.orgs.models import Membership
from haven.perpetrators.models import Participant
from haven.perpetrators.tests.conftest import api
from haven.privacy.models import AuditEntry


def test_opening_his_edit_page_is_an_audited_read(
    world: World, worker: Membership, participant: Participant
) -> None:
    response = world.client_for(worker).get(reverse("perpetrators:edit", args=[participant.pk]))

    assert response.status_code == 200 and "Walk Participant" in response.content.decode()
    entry = AuditEntry.objects.get(action="perpetrators.view", object_id=str(participant.pk))
    assert entry.actor == worker.user


def test_reading_his_sessions_through_the_api_is_an_audited_read(
    world: World, worker: Membership, participant: Participant
) -> None:
    response = api(world, worker, "GET", f"/perpetrators/participants/{participant.pk}/sessions")

    assert response.status_code == 200 and len(response.json()) == 1
    entry = AuditEntry.objects.get(action="perpetrators.view", object_id=str(participant.pk))
    assert entry.actor == worker.user
