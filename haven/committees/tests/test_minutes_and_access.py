"""Minutes are encrypted at rest and every reading is audited; minutes and tabled cases are for roles
that work with survivors; an outsider finds nothing; the committee page's queries do not grow with it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.committees import actions
from haven.committees.tests.conftest import Setting, acting, api, make_case, seat
from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry

MINUTES = "The officer-in-charge promised to arrest Rafiq Mia before the next hearing."
NON_SURVIVOR_ROLES = (
    Role.DATA_OFFICER,
    Role.PROGRAMME_OFFICER,
    Role.COMPUTER_OPERATOR,
    Role.PERPETRATOR_WORKER,
    Role.FUNDRAISER,
)


def _minute(world: World, setting: Setting) -> None:
    actions.record_minutes(
        meeting=setting.meeting,
        minutes=MINUTES,
        acting_user=acting(world, Role.CASEWORKER),
        at=timezone.now(),
    )


def test_it_keeps_minutes_encrypted_at_rest_and_audits_each_reading(world: World, setting: Setting) -> None:
    _minute(world, setting)
    with connection.cursor() as cursor:
        cursor.execute("SELECT minutes FROM committees_meeting")
        (stored,) = cursor.fetchone()
    assert "Rafiq Mia" not in stored and "officer-in-charge promised" not in stored
    html = world.client_for(world.members[Role.COUNSELLOR]).get(
        reverse("committees:meeting", args=[setting.meeting.pk])
    )
    assert MINUTES in html.content.decode()
    response = api(
        world, world.members[Role.LAWYER], "GET", f"/committee-meetings/{setting.meeting.pk}/minutes"
    )
    assert response.json()["minutes"] == MINUTES
    reads = AuditEntry.objects.filter(action="committee.minutes_view", object_id=str(setting.meeting.pk))
    assert reads.count() == 2
    assert set(reads.values_list("actor__username", flat=True)) == {"home.counsellor", "home.lawyer"}


def test_roles_without_survivor_work_see_no_minutes_and_no_cases(world: World, setting: Setting) -> None:
    _minute(world, setting)
    actions.table_case(
        meeting=setting.meeting,
        case=setting.case,
        acting_user=acting(world, Role.CASEWORKER),
        at=timezone.now(),
    )
    admin = world.members[Role.ORG_ADMIN]  # runs committees, sees no files
    html = (
        world.client_for(admin).get(reverse("committees:meeting", args=[setting.meeting.pk])).content.decode()
    )
    assert "Rafiq Mia" not in html and setting.case.survivor.survivor_code not in html
    assert api(world, admin, "GET", f"/committee-meetings/{setting.meeting.pk}/minutes").status_code == 403
    assert api(world, admin, "GET", f"/committee-meetings/{setting.meeting.pk}").json()["tabled_cases"] == []
    for role in NON_SURVIVOR_ROLES:
        member = world.members[role]
        assert world.client_for(member).get(reverse("committees:list")).status_code == 403
        path = f"/committee-meetings/{setting.meeting.pk}/tabled-cases"
        assert api(world, member, "GET", path).status_code == 403
    assert not AuditEntry.objects.filter(action="committee.minutes_view").exists()


def test_an_outsider_finds_nothing(world: World, setting: Setting) -> None:
    client = world.client_for(world.outsider)
    for url in (
        reverse("committees:detail", args=[setting.committee.pk]),
        reverse("committees:meeting", args=[setting.meeting.pk]),
    ):
        assert client.get(url).status_code == 404
    assert api(world, world.outsider, "GET", f"/committees/{setting.committee.pk}").status_code == 404
    assert api(world, world.outsider, "GET", "/committees").json() == []


def _grow(world: World, setting: Setting, index: int) -> None:
    now = timezone.now()
    user = acting(world, Role.CASEWORKER)
    member = seat(
        setting.committee, f"Union council {index}", "LOCAL_GOVERNMENT", "Member", f"Member {index}"
    )
    meeting = actions.schedule_meeting(
        committee=setting.committee, starts_at=now - timedelta(days=index + 1), acting_user=user, at=now
    )
    tabled = actions.table_case(
        meeting=meeting, case=make_case(world, f"Woman {index}"), acting_user=user, at=now
    )
    for due, tabled_case in (
        (timezone.localdate() - timedelta(days=1), tabled),
        (timezone.localdate(), None),
    ):
        actions.assign_action(
            meeting=meeting,
            text=f"Action {index}",
            owner=member,
            due_on=max(due, meeting.held_on),
            tabled_case=tabled_case,
            acting_user=user,
            at=now,
        )


def test_the_committee_page_takes_the_same_queries_however_big(
    world: World, setting: Setting, django_assert_max_num_queries: Any
) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    url = reverse("committees:detail", args=[setting.committee.pk])
    _grow(world, setting, 1)
    client.get(url)  # warm the key ring and the session
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for index in range(2, 5):
        _grow(world, setting, index)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(url).content.decode()
    assert "Union council 4" in html and "Action 4" in html
