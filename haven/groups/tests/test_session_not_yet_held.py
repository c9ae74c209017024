"""Who came is recorded once a session has started: attendance and anonymous counts for a session still
to come are refused through the verb, the API and the pages, and nothing is written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.groups import actions
from haven.groups.tests.conftest import Family, api, counts, errors, make_activity, make_session
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry

NOT_YET = "This session has not happened yet: record who came once it has."


def test_it_refuses_attendance_at_a_session_still_to_come(world: World, family: Family) -> None:
    coming = make_session(make_activity(world), days_ago=-3)
    before, audited = counts(), AuditEntry.objects.count()
    for status in ("PRESENT", "ABSENT", "EXCUSED"):
        with pytest.raises(ValidationError) as refused:
            actions.record_attendance(
                session=coming, person=family.daughter, status=status, acting_user=None, at=world.at
            )
        assert refused.value.message_dict["status"] == [NOT_YET]
    assert (counts(), AuditEntry.objects.count()) == (before, audited)

    held = make_session(coming.activity, days_ago=0)  # started a moment ago: it can be recorded
    actions.record_attendance(
        session=held, person=family.daughter, status="PRESENT", acting_user=None, at=timezone.now()
    )
    assert counts()["Attendance"] == 1


def test_the_api_and_the_pages_refuse_who_came_at_a_session_still_to_come(
    world: World, family: Family
) -> None:
    coming = make_session(make_activity(world), days_ago=-3)
    educator, officer = world.members[Role.CHILD_EDUCATOR], world.members[Role.PROGRAMME_OFFICER]
    for member in (educator, officer):
        world.token_for(member)  # making a token is audited: before counting
    educator_page, officer_page = world.client_for(educator), world.client_for(officer)
    before, audited = counts(), AuditEntry.objects.count()

    marked = api(
        world,
        educator,
        "POST",
        f"/groups/sessions/{coming.pk}/attendance",
        {"person_id": str(family.son.pk), "status": "PRESENT"},
    )
    assert marked.status_code == 422 and errors(marked) == NOT_YET
    counted = api(
        world,
        officer,
        "PUT",
        f"/groups/sessions/{coming.pk}/anonymous-counts",
        {"counts": [{"sex": "FEMALE", "age_group": "0_11", "count": 4}]},
    )
    assert counted.status_code == 422 and errors(counted) == NOT_YET
    assert (counts(), AuditEntry.objects.count()) == (before, audited)

    page = educator_page.post(
        reverse("groups:attendance", args=[coming.pk]),
        {"person": family.son.pk, "status": "PRESENT"},
        follow=True,
    )
    assert NOT_YET in page.content.decode()
    grid = officer_page.post(reverse("groups:counts", args=[coming.pk]), {"count_FEMALE_0_11": "4"})
    assert grid.status_code == 422 and NOT_YET in grid.content.decode()
    assert counts() == before


def test_the_page_of_a_session_still_to_come_offers_no_way_to_record_who_came(
    world: World, family: Family
) -> None:
    activity = make_activity(world)
    coming, held = make_session(activity, days_ago=-3), make_session(activity, days_ago=1)
    educator, officer = world.members[Role.CHILD_EDUCATOR], world.members[Role.PROGRAMME_OFFICER]
    educator_page, officer_page = world.client_for(educator), world.client_for(officer)

    for client in (educator_page, officer_page):
        page = client.get(reverse("groups:session", args=[coming.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert NOT_YET in html
        assert 'id="find-person"' not in html and 'id="edit-counts"' not in html
    searched = educator_page.post(
        reverse("groups:session_find", args=[coming.pk]), {"query": "Nadia"}, follow=True
    )
    assert NOT_YET in searched.content.decode() and "Mark present" not in searched.content.decode()
    grid = officer_page.get(reverse("groups:counts", args=[coming.pk]), follow=True)
    assert grid.redirect_chain == [(reverse("groups:session", args=[coming.pk]), 302)]
    assert NOT_YET in grid.content.decode() and 'name="count_FEMALE_0_11"' not in grid.content.decode()

    # A session that has started offers them, and says nothing about waiting.
    html = educator_page.get(reverse("groups:session", args=[held.pk])).content.decode()
    assert 'id="find-person"' in html and NOT_YET not in html
    html = officer_page.get(reverse("groups:session", args=[held.pk])).content.decode()
    assert 'id="edit-counts"' in html and NOT_YET not in html
    assert (
        'name="count_FEMALE_0_11"'
        in officer_page.get(reverse("groups:counts", args=[held.pk])).content.decode()
    )
    searched = educator_page.post(reverse("groups:session_find", args=[held.pk]), {"query": "Nadia"})
    assert "Mark present" in searched.content.decode()
