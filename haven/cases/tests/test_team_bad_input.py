"""Taking a worker off the case from the page: a tampered worker id is refused with a message, never a
server error, and nothing changes."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse

from haven.cases.models import CaseAssignment
from haven.cases.tests.care_helpers import active_case
from haven.conftest import World
from haven.orgs.roles import Role


def test_a_worker_id_too_large_for_the_database_is_refused_with_a_message(world: World) -> None:
    case = active_case(world)
    client = world.client_for(world.members[Role.CASEWORKER])

    response = client.post(reverse("cases:remove_from_team", args=[case.pk]), {"membership": str(2**70)})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["This worker is not on the case."]
    assert CaseAssignment.objects.filter(case=case, ended_at__isnull=True).count() == 1
