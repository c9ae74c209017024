"""The whole round through the pages: set up a committee, seat members, plan a meeting, table a case from
the case page, record a decision and an action, write the minutes, close the action; the case page shows
where her case was tabled and what was decided."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.committees.models import (
    Action,
    ActionTransition,
    Committee,
    CommitteeMember,
    Decision,
    Meeting,
    MeetingTransition,
    TabledCase,
)
from haven.committees.tests.conftest import Setting, make_case
from haven.conftest import World
from haven.orgs.roles import Role


def test_it_runs_a_committee_from_set_up_to_a_closed_action(world: World) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    case = make_case(world)
    response = client.post(
        reverse("committees:create"), {"name": "Savar upazila committee", "kind": "UPAZILA_PREVENTION"}
    )
    committee = Committee.objects.get()
    assert response["Location"] == reverse("committees:detail", args=[committee.pk])
    yesterday = timezone.localdate() - timedelta(days=1)
    client.post(
        reverse("committees:member_add", args=[committee.pk]),
        {
            "institution": "Savar police station",
            "institution_type": "POLICE",
            "role_title": "Member",
            "name": "Inspector Karim Uddin",
            "membership": world.members[Role.CENTRE_MANAGER].pk,
            "joined_on": yesterday.isoformat(),
        },
    )
    member = CommitteeMember.objects.get()
    assert member.membership_id == world.members[Role.CENTRE_MANAGER].pk
    client.post(
        reverse("committees:edit", args=[committee.pk]),
        {
            "name": committee.name,
            "kind": committee.kind,
            "chair": member.pk,
            "is_active": "on",
        },
    )
    starts = timezone.localtime() - timedelta(hours=2)
    client.post(
        reverse("committees:meeting_create", args=[committee.pk]),
        {
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "place": "Upazila hall",
            "agenda": "High risk\n\nDowry",
        },
    )
    meeting = Meeting.objects.get()
    assert meeting.agenda == ["High risk", "Dowry"]

    response = client.post(
        reverse("committees:table_from_case", args=[case.pk]), {"meeting": meeting.pk, "reason": "Threats"}
    )
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    tabled = TabledCase.objects.get()
    client.post(
        reverse("committees:decision_add", args=[meeting.pk]),
        {"text": "Police to serve the protection order", "tabled_case": tabled.pk},
    )
    due = timezone.localdate() + timedelta(days=7)
    client.post(
        reverse("committees:action_add", args=[meeting.pk]),
        {"text": "Serve the order", "owner": member.pk, "due_on": due.isoformat(), "tabled_case": tabled.pk},
    )
    client.post(reverse("committees:minutes", args=[meeting.pk]), {"minutes": "Three members attended."})
    action = Action.objects.get()
    assert Decision.objects.get().tabled_case == tabled and action.owner == member

    meeting.refresh_from_db()
    assert meeting.status == "HELD"
    assert list(MeetingTransition.objects.values_list("to_status", flat=True)) == ["PLANNED", "HELD"]
    committee.refresh_from_db()
    assert committee.chair == member

    page = client.get(reverse("committees:meeting", args=[meeting.pk])).content.decode()
    assert case.survivor.survivor_code in page and "Police to serve the protection order" in page
    assert "Three members attended." in page

    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="committees"' in case_page and "Serve the order" in case_page
    assert "Tabled at a meeting of Savar upazila committee" in case_page

    client.post(reverse("committees:action_done", args=[action.pk]), {"back": "committee"})
    action.refresh_from_db()
    assert action.status == "DONE" and action.done_on == timezone.localdate()
    assert list(ActionTransition.objects.values_list("to_status", flat=True)) == ["OPEN", "DONE"]


def test_it_lists_committees_with_their_counts(world: World, setting: Setting) -> None:
    html = world.client_for(world.members[Role.COUNSELLOR]).get(reverse("committees:list")).content.decode()
    assert "Savar upazila prevention committee" in html
    assert "Set up a committee" not in html  # a counsellor follows committees, does not run them
