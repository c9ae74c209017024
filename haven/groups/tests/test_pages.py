"""The activity pages: create an activity and a session, filter the list by kind and period (queries do
not grow with the list), and the figures page."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.groups.models import Activity, ActivitySession
from haven.groups.tests.conftest import make_activity, make_session
from haven.orgs.roles import Role


def test_an_organiser_creates_an_activity_and_its_session(world: World) -> None:
    client = world.client_for(world.members[Role.SHELTER_MANAGER])
    today = timezone.localdate()
    response = client.post(
        reverse("groups:activity_create"),
        {
            "kind": "KITCHEN_MEETING",
            "title": "Réunion de cuisine",
            "audience": "RESIDENTS",
            "language": "fr",
            "starts_on": today.isoformat(),
            "site": world.shelter.pk,
            "capacity": "12",
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and activity.capacity == 12
    bad = client.post(
        reverse("groups:session_create", args=[activity.pk]),
        {
            "starts_at": (timezone.localtime() - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "language": "fr",
        },
    )
    assert bad.status_code == 422 and not ActivitySession.objects.exists()
    client.post(
        reverse("groups:session_create", args=[activity.pk]),
        {
            "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "language": "fr",
        },
    )
    session = ActivitySession.objects.get()
    assert session.capacity == 12 and session.site == world.shelter
    page = client.get(reverse("groups:session", args=[session.pk])).content.decode()
    assert "Shelter" in page and "12 Hidden Lane" not in page
    refused = world.client_for(world.members[Role.DATA_OFFICER]).get(reverse("groups:activity_create"))
    assert refused.status_code == 403


def test_the_list_filters_and_costs_the_same_queries_for_3_or_30(world: World) -> None:
    def add(n: int, kind: str = "OUTING") -> None:
        for _i in range(n):
            make_session(make_activity(world, kind, audience="RESIDENTS"))

    client = world.client_for(world.members[Role.DATA_OFFICER])
    add(3)
    client.get(reverse("groups:activities"))
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("groups:activities"))
    add(27)
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(reverse("groups:activities"))
    assert response.content.decode().count('href="/groups/') >= 30
    assert len(thirty) == len(three)

    make_activity(
        world,
        "LIFE_SKILLS",
        title="Life skills",
        audience="WOMEN",
        starts_on=timezone.localdate() - timedelta(days=400),
        ends_on=timezone.localdate() - timedelta(days=300),
    )
    html = client.get(reverse("groups:activities"), {"kind": "LIFE_SKILLS"}).content.decode()
    assert "Life skills" in html and "Groupe des enfants" not in html
    recent = client.get(
        reverse("groups:activities"),
        {"kind": "LIFE_SKILLS", "start": (timezone.localdate() - timedelta(days=30)).isoformat()},
    )
    assert "Life skills" not in recent.content.decode()


def test_the_figures_page_shows_counts_to_members_not_kept_apart(world: World) -> None:
    session = make_session(make_activity(world, "PUBLIC_AWARENESS", title="Journée", audience="PUBLIC"))
    from haven.groups import actions

    actions.record_anonymous_counts(
        session=session, cells=[actions.HeadCount("FEMALE", "25_59", 40)], acting_user=None, at=world.at
    )
    page = world.client_for(world.members[Role.DATA_OFFICER]).get(reverse("groups:figures")).content.decode()
    assert "Public awareness event" in page and "40" in page
    # A session's place can be a shelter: the perpetrator programme and fundraising see none of it.
    refused = world.client_for(world.members[Role.FUNDRAISER]).get(reverse("groups:figures"))
    assert refused.status_code == 403
