"""The service-level targets page: everyone on the dispatch desk reads the targets and the last 30 days'
compliance; those who manage sites set them through the same verb as `PUT /dispatch-targets`."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.cases.models import Case
from haven.conftest import World
from haven.dispatch import actions
from haven.dispatch.models import Dispatch, Target
from haven.dispatch.tests.conftest import ADDRESS, make_crew
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def _dispatched(world: World, case: Case, answered_seconds_ago: int, team: str) -> Dispatch:
    """A dispatch answered some seconds ago and given a team now (so the answer → dispatch interval ran)."""
    now = timezone.now()
    dispatch = actions.create_dispatch(
        case=case,
        priority=Dispatch.Priority.IMMEDIATE,
        location_address=ADDRESS,
        received_at=now - timedelta(seconds=answered_seconds_ago),
        acting_user=None,
        at=now,
    )
    crew = make_crew(world, team, f"home.{team.lower().replace(' ', '-')}")
    return actions.assign_unit(dispatch=dispatch, unit=crew.unit, acting_user=None, at=now)


def test_the_desk_reads_the_default_target_and_its_compliance(world: World, case: Case) -> None:
    _dispatched(world, case, 120, "Team North")
    _dispatched(world, case, 10, "Team South")
    agent = world.client_for(world.members[Role.HOTLINE_AGENT])

    board = agent.get(reverse("dispatch:board")).content.decode()
    assert reverse("dispatch:targets") in board
    page = agent.get(reverse("dispatch:targets"))

    html = page.content.decode()
    assert page.status_code == 200
    row = html[html.index('id="target-answer_to_dispatch"') :].split("</tr>")[0]
    assert "Answer to dispatch (team activated)" in row and "<td>60</td>" in row and "<td>90</td>" in row
    assert "<td>2</td><td>1</td>\n  <td>50</td>" in row and "Below target" in row
    assert "has not set its own targets yet" in html
    assert 'id="set-target"' not in html and reverse("dispatch:target_set") not in html
    assert agent.get(reverse("dispatch:target_set")).status_code == 403


def test_a_manager_sets_a_target_and_the_page_judges_by_it(world: World, case: Case) -> None:
    _dispatched(world, case, 120, "Team North")
    manager = world.client_for(world.members[Role.CENTRE_MANAGER])
    page = manager.get(reverse("dispatch:targets")).content.decode()
    assert 'id="set-target"' in page
    assert "Set the service-level targets" in manager.get(reverse("dispatch:board")).content.decode()

    saved = manager.post(
        reverse("dispatch:target_set"), {"interval": "ANSWER_TO_DISPATCH", "seconds": "180", "share": "80"}
    )

    assert saved.status_code == 302 and saved["Location"] == reverse("dispatch:targets")
    target = Target.objects.get(org=world.org)
    assert (target.interval, target.seconds, target.share) == ("ANSWER_TO_DISPATCH", 180, 80)
    assert AuditEntry.objects.filter(action="dispatch.target", object_id=str(target.pk)).exists()
    html = manager.get(reverse("dispatch:targets")).content.decode()
    row = html[html.index('id="target-answer_to_dispatch"') :].split("</tr>")[0]
    assert "<td>180</td>" in row and "On target" in row and "has not set" not in html
    change = manager.get(reverse("dispatch:target_set") + "?interval=ANSWER_TO_DISPATCH").content.decode()
    assert 'value="180"' in change and 'value="80"' in change


def test_it_refuses_bad_targets_and_writes_nothing(world: World) -> None:
    manager = world.client_for(world.members[Role.CENTRE_MANAGER])
    url = reverse("dispatch:target_set")
    good = {"interval": "TRAVEL", "seconds": "900", "share": "90"}
    for bad, field, message in (
        ({"share": "0"}, "share", "greater than or equal to 1"),
        ({"share": "101"}, "share", "less than or equal to 100"),
        ({"seconds": "0"}, "seconds", "greater than or equal to 1"),
        ({"seconds": "soon"}, "seconds", "Enter a whole number"),
        ({"interval": "LUNCH"}, "interval", "Select a valid choice"),
    ):
        response = manager.post(url, good | bad)
        assert response.status_code == 422, bad
        assert message in str(response.context["form"].errors[field])
    assert not Target.objects.exists()
    assert not AuditEntry.objects.filter(action="dispatch.target").exists()


def test_roles_away_from_the_desk_do_not_get_the_page(world: World) -> None:
    officer = world.client_for(world.members[Role.DATA_OFFICER])
    assert officer.get(reverse("dispatch:targets")).status_code == 403
    assert officer.post(reverse("dispatch:target_set"), {"interval": "TRAVEL"}).status_code == 403
    # The administrator is not on the desk but sets targets: the teams page leads her there.
    admin = world.client_for(world.members[Role.ORG_ADMIN])
    assert reverse("dispatch:targets") in admin.get(reverse("dispatch:units")).content.decode()
    assert 'id="set-target"' in admin.get(reverse("dispatch:targets")).content.decode()


def test_the_page_costs_the_same_queries_for_few_or_many_dispatches(world: World, case: Case) -> None:
    client = world.client_for(world.members[Role.CENTRE_MANAGER])
    _dispatched(world, case, 30, "Team 1")
    client.get(reverse("dispatch:targets"))  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dispatch:targets"))
    for n in range(2, 6):
        _dispatched(world, case, 30 * n, f"Team {n}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("dispatch:targets")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "<td>5</td>" in html
