"""Bad input on the groups pages is refused with a message, never a server error: a period reaching the
edges of the calendar, a tampered id in a list of facilitators."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.groups import actions
from haven.groups.models import Activity
from haven.groups.tests.conftest import make_activity, make_session
from haven.orgs.roles import Role


def test_the_figures_page_takes_a_period_up_to_the_edges_of_the_calendar(world: World) -> None:
    session = make_session(make_activity(world, "PUBLIC_AWARENESS", title="Journée", audience="PUBLIC"))
    actions.record_anonymous_counts(
        session=session, cells=[actions.HeadCount("FEMALE", "25_59", 40)], acting_user=None, at=world.at
    )
    client = world.client_for(world.members[Role.DATA_OFFICER])
    for zone in ("UTC", "Asia/Tehran", "America/Montreal"):
        with override_settings(TIME_ZONE=zone), timezone.override(zone):
            response = client.get(reverse("groups:figures"), {"start": "0001-01-01", "end": "9999-12-31"})
            assert response.status_code == 200
            assert "Public awareness event" in response.content.decode()
    api_answer = world.client_for(world.members[Role.DATA_OFFICER])
    headers = {"Authorization": f"Bearer {world.token_for(world.members[Role.DATA_OFFICER])}"}
    answer = api_answer.get("/api/v1/groups/figures?start=0001-01-01&end=9999-12-31", headers=headers)
    assert answer.status_code == 200 and answer.json()["anonymous"] == 40


def test_a_tampered_facilitator_id_is_refused_not_a_server_error(world: World) -> None:
    client = world.client_for(world.members[Role.SHELTER_MANAGER])
    fields = {
        "kind": "KITCHEN_MEETING",
        "title": "Réunion de cuisine",
        "audience": "RESIDENTS",
        "language": "fr",
        "starts_on": timezone.localdate().isoformat(),
    }
    for tampered in ("99999999999999999999", "-99999999999999999999", "²"):
        response = client.post(reverse("groups:activity_create"), {**fields, "facilitators": [tampered]})
        assert response.status_code == 422, tampered
        assert "not a valid value" in response.content.decode()
    assert not Activity.objects.exists()
    chosen = world.members[Role.CHILD_EDUCATOR]
    response = client.post(reverse("groups:activity_create"), {**fields, "facilitators": [chosen.pk]})
    assert response.status_code == 302
    assert list(Activity.objects.get().facilitators.all()) == [chosen]
