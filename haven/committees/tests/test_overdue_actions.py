"""Open actions past their due date are listed as overdue, per committee, on its page, in the list's
counts and through the API; a done or dropped action is not."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.committees import actions
from haven.committees.tests.conftest import Setting, acting, api
from haven.conftest import World
from haven.orgs.roles import Role


def test_it_lists_overdue_actions_per_committee(world: World, setting: Setting) -> None:
    user = acting(world, Role.CASEWORKER)
    now = timezone.now()
    past = actions.schedule_meeting(
        committee=setting.committee, starts_at=now - timedelta(days=20), acting_user=user, at=now
    )
    common = {"meeting": past, "owner": setting.police, "acting_user": user, "at": now}
    late = actions.assign_action(
        text="Report on the arrest", due_on=past.held_on + timedelta(days=5), **common
    )
    done = actions.assign_action(
        text="Send the medical report", due_on=past.held_on + timedelta(days=5), **common
    )
    actions.complete_action(action=done, done_on=past.held_on + timedelta(days=2), acting_user=user, at=now)
    actions.assign_action(text="Visit her school", due_on=timezone.localdate() + timedelta(days=3), **common)

    client = world.client_for(world.members[Role.CASEWORKER])
    html = client.get(reverse("committees:detail", args=[setting.committee.pk])).content.decode()
    overdue_section = html.split('id="overdue-actions"')[1].split("</section>")[0]
    assert "Report on the arrest" in overdue_section and "Visit her school" not in overdue_section
    assert "Send the medical report" not in html

    path = f"/committees/{setting.committee.pk}/actions?overdue=true"
    rows = api(world, world.members[Role.CASEWORKER], "GET", path).json()
    assert [row["id"] for row in rows] == [str(late.pk)] and rows[0]["is_overdue"] is True
    detail = api(world, world.members[Role.CASEWORKER], "GET", f"/committees/{setting.committee.pk}").json()
    assert [row["id"] for row in detail["overdue_actions"]] == [str(late.pk)]
    assert len(detail["open_actions"]) == 2

    listing = client.get(reverse("committees:list")).content.decode()
    assert 'class="overdue">1<' in listing
