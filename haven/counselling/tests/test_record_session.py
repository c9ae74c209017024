"""Recording a counselling session: by its counsellor (with notes) or a centre manager (without), always
with the service it counts as, in one transaction."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.cases.actions import assign_worker
from haven.cases.models import Case, CaseService
from haven.conftest import World, make_member
from haven.counselling.models import CounsellingSession
from haven.counselling.tests.conftest import NOTES, api, body, make_case
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def test_it_records_a_session_and_its_service_from_the_case_page(world: World, case: Case) -> None:
    client = world.client_for(world.members[Role.COUNSELLOR])
    detail = client.get(reverse("cases:detail", args=[case.pk]))
    assert reverse("counselling:record", args=[case.pk]) in detail.content.decode()
    starts = timezone.localtime(timezone.now() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("counselling:record", args=[case.pk]),
        {
            "kind": "TRAUMA",
            "counsellor": world.members[Role.COUNSELLOR].pk,
            "modality": "IN_PERSON",
            "language": "fa",
            "starts_at": starts,
            "duration_minutes": "55",
            "notes": NOTES,
            "next_session_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    session = CounsellingSession.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == reverse("counselling:session", args=[session.pk])
    service = CaseService.objects.get(case=case)
    assert session.service == service
    assert (service.kind, service.status) == ("MENTAL_HEALTH", CaseService.Status.PROVIDED)
    assert service.provided_by == world.members[Role.COUNSELLOR]
    assert service.started_on == service.ended_on == timezone.localdate(session.starts_at)
    assert service.details == ""  # the notes never travel with the service
    assert session.notes == NOTES and session.duration_minutes == 55
    assert AuditEntry.objects.filter(action="counselling.record", object_id=str(session.pk)).exists()


def test_it_lets_a_centre_manager_record_a_session_without_notes(world: World, case: Case) -> None:
    manager = world.members[Role.CENTRE_MANAGER]
    form = world.client_for(manager).get(reverse("counselling:record", args=[case.pk]))
    assert form.status_code == 200 and 'name="notes"' not in form.content.decode()
    response = api(
        world, manager, "POST", f"/counselling/cases/{case.pk}/sessions", body(world, kind="CRISIS")
    )
    assert response.status_code == 201, response.content
    assert response.json()["has_notes"] is False
    assert CaseService.objects.get(case=case).kind == "CRISIS_COUNSELLING"

    refused = api(world, manager, "POST", f"/counselling/cases/{case.pk}/sessions", body(world, notes=NOTES))
    assert refused.status_code == 422
    assert "Only the counsellor who held the session" in refused.json()["errors"][0]["message"]


def test_it_takes_the_counsellor_herself_when_she_names_nobody(world: World, case: Case) -> None:
    counsellor = world.members[Role.COUNSELLOR]
    payload = body(world, notes=NOTES)
    del payload["counsellor_id"]
    response = api(world, counsellor, "POST", f"/counselling/cases/{case.pk}/sessions", payload)
    assert response.status_code == 201, response.content
    assert response.json()["counsellor_id"] == counsellor.pk
    assert response.json()["notes"] == NOTES


def test_it_refuses_bad_sessions_with_reasons_and_writes_nothing(world: World, case: Case) -> None:
    counsellor = world.members[Role.COUNSELLOR]
    path = f"/counselling/cases/{case.pk}/sessions"
    future = (timezone.now() + timedelta(hours=2)).isoformat()
    refusals = [
        (body(world, starts_at=future), "starts_at", "cannot be in the future"),
        (body(world, duration_minutes=0), "duration_minutes", "between 1 minute and 8 hours"),
        (body(world, duration_minutes=481), "duration_minutes", "between 1 minute and 8 hours"),
        (body(world, counsellor_id=world.members[Role.NURSE].pk), "counsellor", "not a counsellor"),
        (body(world, counsellor_id=world.outsider.pk), "counsellor_id", "your own organisation"),
        (body(world, language="xx"), "language", "languages offered"),
        (body(world, next_session_on="2020-01-01"), "next_session_on", "after this one"),
        (body(world, kind="ASTROLOGY"), "kind", "Choose one of"),
    ]
    for payload, field, reason in refusals:
        response = api(world, counsellor, "POST", path, payload)
        assert response.status_code == 422, (field, response.content)
        error = response.json()["errors"][0]
        assert (error["field"], reason in error["message"]) == (field, True), error
    assert not CounsellingSession.objects.exists() and not CaseService.objects.exists()


def test_it_refuses_a_counsellor_off_the_team_and_a_colleague_s_session(world: World) -> None:
    bare = make_case(world, with_counsellor=False)
    manager = world.members[Role.CENTRE_MANAGER]
    response = api(world, manager, "POST", f"/counselling/cases/{bare.pk}/sessions", body(world))
    assert response.status_code == 422
    assert "works on this case" in response.json()["errors"][0]["message"]
    # A counsellor records her own sessions only (the second counsellor leads this case).
    colleague = make_member(world.org, Role.COUNSELLOR, username="home.counsellor2", at=world.at)
    case = make_case(world)
    assign_worker(case=case, membership=colleague, role_in_case="SUPPORT", acting_user=None, at=world.at)
    response = api(world, colleague, "POST", f"/counselling/cases/{case.pk}/sessions", body(world))
    assert response.status_code == 422
    assert "cannot record one for a colleague" in response.json()["errors"][0]["message"]
    assert not CounsellingSession.objects.exists()


def test_it_refuses_a_session_on_a_closed_case(world: World, case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=timezone.now())
    counsellor = world.members[Role.COUNSELLOR]
    response = api(world, counsellor, "POST", f"/counselling/cases/{case.pk}/sessions", body(world))
    assert response.status_code == 422
    assert "Closed" in response.json()["errors"][0]["message"]
    page = world.client_for(counsellor).post(
        reverse("counselling:record", args=[case.pk]),
        {
            "kind": "TRAUMA",
            "counsellor": counsellor.pk,
            "modality": "PHONE",
            "language": "fa",
            "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "30",
        },
    )
    assert page.status_code == 422 and "Closed" in page.content.decode()
    assert not CounsellingSession.objects.exists()
