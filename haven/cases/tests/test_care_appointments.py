"""Appointments and notes: log a meeting in one step, schedule (a call only where her safe-contact
instructions allow it), conclude; notes for the case's team only; encrypted, audited, refused when closed."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.cases.care_actions import record_appointment
from haven.cases.models import Appointment, CaseNote
from haven.cases.tests.care_helpers import acting, active_case, api, closed_case, raw_column
from haven.conftest import World, make_member
from haven.orgs.roles import Role
from haven.people.actions import set_safe_contact
from haven.privacy.models import AuditEntry


def _when(**delta: float) -> str:
    return timezone.localtime(timezone.now() + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


def test_it_logs_a_meeting_in_one_step(world: World) -> None:
    case = active_case(world)
    worker = world.members[Role.CASEWORKER]
    client = world.client_for(worker)
    url = reverse("cases:log_meeting", args=[case.pk])
    page = client.get(url).content.decode()
    # Her safe-contact instructions (here: none yet) come before the form that offers a phone meeting.
    assert page.index('id="safe-contact"') < page.index('id="id_mode"')
    for field in ("id_worker", "id_starts_at", "id_duration_minutes", "id_language", "id_outcome"):
        assert f'id="{field}"' in page
    response = client.post(
        url,
        {
            "worker": str(worker.pk),
            "starts_at": _when(hours=-2),
            "duration_minutes": "45",
            "mode": "IN_PERSON",
            "site": str(world.office.pk),
            "language": "bn",
            "interpreter_needed": "on",
            "interpreter_language": "bn",
            "outcome": "She wants to press charges",
        },
    )
    assert response.status_code == 302, response.content.decode()
    meeting = Appointment.objects.get()
    assert (meeting.status, meeting.site, meeting.interpreter_language) == ("HELD", world.office, "bn")
    assert "charges" not in raw_column("cases_appointment", "outcome", meeting.pk)
    entry = AuditEntry.objects.get(action="appointment.record")
    assert "outcome" in entry.fields and "charges" not in str(entry.fields)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f"Meeting held (In person) with {worker.user.username}" in html
    future = client.post(
        url,
        {"worker": str(worker.pk), "starts_at": _when(days=1), "duration_minutes": "30", "mode": "IN_PERSON"},
    )
    assert future.status_code == 422 and "cannot be in the future" in future.content.decode()


def test_a_call_is_scheduled_only_where_her_instructions_allow_it(world: World) -> None:
    case = active_case(world)
    worker = world.members[Role.CASEWORKER]
    body = {
        "worker_id": worker.pk,
        "starts_at": (timezone.now() + timedelta(days=2)).isoformat(),
        "mode": "PHONE",
    }
    refused = api(world, worker, "POST", f"/cases/{case.pk}/appointments", body)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "mode"
    set_safe_contact(
        person=case.survivor,
        instructions={"safe_to_call": True, "safe_channel": "PHONE", "safe_hours": "After 10"},
        acting_user=acting(world, Role.CASEWORKER),
        at=world.at,
    )
    page = (
        world.client_for(worker).get(reverse("cases:schedule_appointment", args=[case.pk])).content.decode()
    )
    assert "After 10" in page and page.index("After 10") < page.index('id="id_mode"')
    created = api(world, worker, "POST", f"/cases/{case.pk}/appointments", body)
    assert created.status_code == 201, created.content
    past = api(
        world,
        worker,
        "POST",
        f"/cases/{case.pk}/appointments",
        {**body, "starts_at": (timezone.now() - timedelta(days=1)).isoformat()},
    )
    assert past.status_code == 422 and "cannot be in the past" in past.json()["errors"][0]["message"]
    stranger = api(
        world,
        worker,
        "POST",
        f"/cases/{case.pk}/appointments",
        {**body, "worker_id": world.members[Role.COUNSELLOR].pk},
    )
    assert stranger.status_code == 422 and "works on this case" in stranger.json()["errors"][0]["message"]
    appointment_id = created.json()["id"]
    too_early = api(world, worker, "POST", f"/appointments/{appointment_id}/conclude", {"status": "HELD"})
    assert too_early.status_code == 422 and "only be cancelled" in too_early.json()["errors"][0]["message"]
    client = world.client_for(worker)
    response = client.post(
        reverse("cases:conclude_appointment", args=[appointment_id]),
        {"status": "CANCELLED", "outcome": "She asked to move it"},
    )
    assert response.status_code == 302
    again = api(world, worker, "POST", f"/appointments/{appointment_id}/conclude", {"status": "CANCELLED"})
    assert again.status_code == 422
    assert "Appointment cancelled" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert AuditEntry.objects.filter(action="appointment.conclude").count() == 1


def test_notes_are_encrypted_and_for_the_case_team_only(world: World) -> None:
    case = active_case(world)
    worker = world.members[Role.CASEWORKER]
    client = world.client_for(worker)
    detail = reverse("cases:detail", args=[case.pk])
    assert 'id="id_text"' in client.get(detail).content.decode()  # the notes panel has its own form
    response = client.post(
        reverse("cases:write_note", args=[case.pk]), {"text": "Her husband found the phone"}
    )
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert "husband" not in raw_column("cases_casenote", "text", note.pk)
    assert AuditEntry.objects.get(action="note.write").fields == ["text"]
    assert "Her husband found the phone" in client.get(detail).content.decode()
    listed = api(world, worker, "GET", f"/cases/{case.pk}/notes").json()
    assert [n["text"] for n in listed] == ["Her husband found the phone"]
    empty = client.post(reverse("cases:write_note", args=[case.pk]), {"text": "  "})
    assert empty.status_code == 422
    counsellor = world.members[Role.COUNSELLOR]  # in the organisation, not on the case
    outsider = make_member(world.other_org, Role.CASEWORKER, username="elsewhere.cw", at=world.at)
    for member in (counsellor, outsider):
        assert api(world, member, "GET", f"/cases/{case.pk}/notes").status_code == 404
        assert api(world, member, "POST", f"/cases/{case.pk}/notes", {"text": "x"}).status_code == 404
        assert world.client_for(member).get(reverse("cases:write_note", args=[case.pk])).status_code == 404
    assert CaseNote.objects.count() == 1


def test_a_closed_case_refuses_appointments_and_notes(world: World) -> None:
    case = closed_case(world)
    worker = world.members[Role.CASEWORKER]
    body = {"worker_id": worker.pk, "starts_at": (timezone.now() + timedelta(days=2)).isoformat()}
    for path, payload in [
        (f"/cases/{case.pk}/appointments", body),
        (f"/cases/{case.pk}/notes", {"text": "x"}),
    ]:
        response = api(world, worker, "POST", path, payload)
        assert response.status_code == 422
        assert "so you cannot change it" in response.json()["errors"][0]["message"]
    page = world.client_for(worker).post(reverse("cases:write_note", args=[case.pk]), {"text": "x"})
    assert page.status_code == 422 and "so you cannot change it" in page.content.decode()
    assert not Appointment.objects.exists() and not CaseNote.objects.exists()


def test_my_tasks_lists_my_scheduled_appointments_and_asks_about_past_ones(world: World) -> None:
    case = active_case(world)
    worker = world.members[Role.CASEWORKER]
    soon = record_appointment(
        case=case,
        worker=worker,
        starts_at=timezone.now() + timedelta(days=2),
        acting_user=None,
        at=timezone.now(),
    )
    earlier = record_appointment(
        case=case,
        worker=worker,
        starts_at=timezone.now() + timedelta(minutes=1),
        acting_user=None,
        at=timezone.now(),
    )
    Appointment.objects.filter(pk=earlier.pk).update(starts_at=timezone.now() - timedelta(hours=3))

    html = world.client_for(worker).get(reverse("cases:my_tasks")).content.decode()
    section = html[html.index('id="appointments"') :]
    assert case.survivor.survivor_code in section
    assert section.count("<li") == 2
    # Only the one whose time has passed asks what became of it.
    assert section.count(reverse("cases:conclude_appointment", args=[earlier.pk])) == 1
    assert reverse("cases:conclude_appointment", args=[soon.pk]) not in section
    other = world.client_for(world.members[Role.COUNSELLOR]).get(reverse("cases:my_tasks")).content.decode()
    assert case.survivor.survivor_code not in other[other.index('id="appointments"') :]
