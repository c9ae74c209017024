"""Only the counsellor who held a session writes and amends its notes; the text replaced is kept."""

from __future__ import annotations

from django.urls import reverse

from haven.cases.actions import assign_worker
from haven.cases.models import Case
from haven.conftest import World, make_member
from haven.counselling.models import CounsellingSession, NotesRevision
from haven.counselling.tests.conftest import NOTES, api, record
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry

AMENDED = "She spoke about the night she left; she now sleeps through most nights"


def test_it_amends_the_notes_and_keeps_the_earlier_text(world: World, case: Case) -> None:
    session = record(world, case)
    client = world.client_for(world.members[Role.COUNSELLOR])
    url = reverse("counselling:notes", args=[session.pk])
    assert "fear of being found" in client.get(url).content.decode()
    assert AuditEntry.objects.filter(action="counselling.notes_view", object_id=str(session.pk)).count() == 1
    response = client.post(url, {"notes": AMENDED})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.notes == AMENDED
    revision = NotesRevision.objects.get(session=session)
    assert revision.notes == NOTES
    page = client.get(reverse("counselling:session", args=[session.pk])).content.decode()
    assert "sleeps through most nights" in page and "fear of being found" in page
    entry = AuditEntry.objects.get(action="counselling.notes_write", object_id=str(session.pk))
    assert (entry.fields, entry.reason_code) == (["notes"], "amend")

    unchanged = client.post(url, {"notes": AMENDED})
    assert unchanged.status_code == 422 and "Nothing changed" in unchanged.content.decode()


def test_it_lets_her_write_the_notes_of_a_session_a_manager_recorded(world: World, case: Case) -> None:
    session = record(world, case, notes="")
    counsellor = world.members[Role.COUNSELLOR]
    response = api(world, counsellor, "PUT", f"/counselling/sessions/{session.pk}/notes", {"notes": NOTES})
    assert response.status_code == 200 and response.json()["notes"] == NOTES
    assert not NotesRevision.objects.exists()
    empty = api(world, counsellor, "PUT", f"/counselling/sessions/{session.pk}/notes", {"notes": "  "})
    assert empty.status_code == 422


def test_it_refuses_notes_from_anyone_but_her(world: World, case: Case) -> None:
    session = record(world, case)
    colleague = make_member(world.org, Role.COUNSELLOR, username="home.counsellor2", at=world.at)
    assign_worker(case=case, membership=colleague, role_in_case="SUPPORT", acting_user=None, at=world.at)
    path = f"/counselling/sessions/{session.pk}/notes"
    response = api(world, colleague, "PUT", path, {"notes": AMENDED})
    assert response.status_code == 422
    assert "Only the counsellor who held this session" in response.json()["errors"][0]["message"]
    page = world.client_for(colleague).post(
        reverse("counselling:notes", args=[session.pk]), {"notes": AMENDED}
    )
    assert page.status_code == 422
    assert api(world, world.members[Role.CASEWORKER], "PUT", path, {"notes": AMENDED}).status_code == 403
    assert CounsellingSession.objects.get(pk=session.pk).notes == NOTES
