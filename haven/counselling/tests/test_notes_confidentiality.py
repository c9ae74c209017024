"""Session notes are encrypted at rest and read only by the session's counsellor and the roles the
organisation grants; everyone else on the case sees that the session took place. Every reading is
audited."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from haven.cases.models import Case
from haven.conftest import World
from haven.counselling.tests.conftest import NOTES, api, record
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def _reads(action: str, session_id: object) -> int:
    return AuditEntry.objects.filter(action=action, object_id=str(session_id)).count()


def test_it_stores_the_notes_encrypted(world: World, case: Case) -> None:
    session = record(world, case)
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM counselling_counsellingsession WHERE id = %s", [session.pk.hex])
        rows = cursor.fetchall()
        if not rows:  # PostgreSQL stores the UUID natively
            cursor.execute("SELECT notes FROM counselling_counsellingsession WHERE id = %s", [session.pk])
            rows = cursor.fetchall()
    raw = rows[0][0]
    assert raw.startswith("h1$")
    assert "the night she left" not in raw and "fear of being found" not in raw


def test_it_hides_notes_from_the_caseworker_until_the_org_grants_her_role(world: World, case: Case) -> None:
    session = record(world, case)
    caseworker = world.members[Role.CASEWORKER]
    client = world.client_for(caseworker)
    pages = [reverse("counselling:session", args=[session.pk]), reverse("cases:detail", args=[case.pk])]
    for url in pages:
        content = client.get(url).content.decode()
        assert "fear of being found" not in content
    assert "Trauma counselling" in client.get(pages[0]).content.decode()
    detail = api(world, caseworker, "GET", f"/counselling/sessions/{session.pk}").json()
    assert (detail["notes"], detail["notes_visible"], detail["duration_minutes"]) == (None, False, 50)
    timeline = api(world, caseworker, "GET", f"/cases/{case.pk}").content.decode()
    assert "Counselling session" in timeline and "fear of being found" not in timeline
    assert _reads("counselling.view", session.pk) == 3 and _reads("counselling.notes_view", session.pk) == 0

    admin = world.members[Role.ORG_ADMIN]
    granted = api(world, admin, "PUT", "/counselling/notes-access", {"roles": ["CASEWORKER"]})
    assert granted.status_code == 200 and granted.json()["roles"] == ["CASEWORKER"]
    assert "fear of being found" in client.get(pages[0]).content.decode()
    detail = api(world, caseworker, "GET", f"/counselling/sessions/{session.pk}").json()
    assert detail["notes"] == NOTES
    assert _reads("counselling.notes_view", session.pk) == 2
    # The case page and its timeline stay summaries, whoever reads them.
    assert "fear of being found" not in client.get(pages[1]).content.decode()


def test_it_shows_the_counsellor_her_notes_and_audits_the_reading(world: World, case: Case) -> None:
    session = record(world, case)
    counsellor = world.members[Role.COUNSELLOR]
    content = world.client_for(counsellor).get(reverse("counselling:session", args=[session.pk])).content
    assert "fear of being found" in content.decode()
    assert _reads("counselling.notes_view", session.pk) == 1
    listed = api(world, counsellor, "GET", f"/counselling/cases/{case.pk}/sessions").json()
    assert len(listed) == 1 and "notes" not in listed[0]


def test_it_keeps_the_centre_manager_out_of_the_notes_by_default(world: World, case: Case) -> None:
    session = record(world, case)
    manager = world.members[Role.CENTRE_MANAGER]
    content = world.client_for(manager).get(reverse("counselling:session", args=[session.pk])).content
    assert "fear of being found" not in content.decode()
    assert api(world, manager, "GET", f"/counselling/sessions/{session.pk}").json()["notes"] is None
