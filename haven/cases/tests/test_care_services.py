"""Services of a case through the page and the API: recorded, filtered, status changed on the timeline,
refused with a reason (dates, provider, closed case), validated inline, encrypted, audited, scoped."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.cases.models import CaseService, CaseServiceChange
from haven.cases.tests.care_helpers import active_case, api, closed_case, raw_column
from haven.conftest import World, make_member
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def _form(world: World, **overrides: str) -> dict[str, str]:
    today = timezone.localdate()
    data = {
        "kind": "INJURY_CARE",
        "status": "PROVIDED",
        "started_on": (today - timedelta(days=2)).isoformat(),
        "ended_on": today.isoformat(),
        "provided_by": str(world.members[Role.CASEWORKER].pk),
        "details": "Dressing of the cut on her left arm",
    }
    data.update(overrides)
    return data


def test_it_records_a_service_through_the_page_encrypted_and_audited(world: World) -> None:
    case = active_case(world)
    client = world.client_for(world.members[Role.CASEWORKER])
    url = reverse("cases:record_service", args=[case.pk])
    page = client.get(url).content.decode()
    assert 'id="id_kind"' in page and "<optgroup" in page
    response = client.post(url, _form(world))
    assert response.status_code == 302, response.content.decode()
    service = CaseService.objects.get()
    assert service.provided_by == world.members[Role.CASEWORKER]
    assert service.sector == "HEALTH"
    raw = raw_column("cases_caseservice", "details", service.pk)
    assert raw.startswith("h1$") and "left arm" not in raw
    entry = AuditEntry.objects.get(action="service.record")
    assert entry.object_id == str(service.pk)
    assert set(entry.fields) == {"kind", "status", "started_on", "ended_on", "provided_by", "details"}
    assert "arm" not in str(entry.fields)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="services"' in html and "Care of injuries" in html
    assert "Service recorded: Care of injuries (Provided by us)" in html


def test_it_refuses_bad_dates_a_misplaced_provider_and_a_closed_case(world: World) -> None:
    case = active_case(world)
    client = world.client_for(world.members[Role.CASEWORKER])
    url = reverse("cases:record_service", args=[case.pk])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    refusals = [
        (
            _form(world, ended_on=(timezone.localdate() - timedelta(days=5)).isoformat()),
            "before the start date",
        ),
        (_form(world, started_on=tomorrow, ended_on=""), "start date cannot be in the future"),
        (_form(world, ended_on=tomorrow), "cannot be in the future for a service she has received"),
        (_form(world, status="REFERRED"), "Only a service we provided"),
    ]
    for data, message in refusals:
        response = client.post(url, data)
        assert response.status_code == 422
        assert message in response.content.decode()
    closed = closed_case(world)
    response = client.post(reverse("cases:record_service", args=[closed.pk]), _form(world))
    assert response.status_code == 422
    assert "so you cannot change it" in response.content.decode()
    assert not CaseService.objects.exists()
    assert not AuditEntry.objects.filter(action="service.record").exists()


def test_the_form_validates_inline_without_saving(world: World) -> None:
    case = active_case(world)
    client = world.client_for(world.members[Role.CASEWORKER])
    url = reverse("cases:record_service", args=[case.pk])
    early = (timezone.localdate() - timedelta(days=5)).isoformat()
    response = client.post(
        url, {**_form(world, ended_on=early), "_validate": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    # Only the error slots come back (out of band), never the inputs: nothing typed meanwhile is lost.
    assert 'id="id_ended_on_errors" hx-swap-oob="true"' in html and "<input" not in html
    assert "before the start date" in html
    # Only what was filled in is judged: an empty required field is not flagged yet.
    response = client.post(url, {"status": "REFERRED", "_validate": "1"}, headers={"HX-Request": "true"})
    assert "This field is required" not in response.content.decode()
    assert not CaseService.objects.exists()


def test_a_status_change_goes_on_the_timeline_and_the_list_filters(world: World) -> None:
    case = active_case(world)
    worker = world.members[Role.CASEWORKER]
    today = timezone.localdate().isoformat()
    created = api(
        world,
        worker,
        "POST",
        f"/cases/{case.pk}/services",
        {"kind": "PROTECTION_ORDER", "status": "REFERRED", "started_on": today},
    )
    assert created.status_code == 201, created.content
    api(
        world,
        worker,
        "POST",
        f"/cases/{case.pk}/services",
        {"kind": "CRISIS_COUNSELLING", "status": "DECLINED", "started_on": today},
    )
    service_id = created.json()["id"]
    changed = api(world, worker, "POST", f"/services/{service_id}/change", {"status": "RECEIVED_ELSEWHERE"})
    assert changed.status_code == 200
    assert changed.json()["status"] == "RECEIVED_ELSEWHERE"
    assert (
        api(
            world, worker, "POST", f"/services/{service_id}/change", {"status": "RECEIVED_ELSEWHERE"}
        ).status_code
        == 422
    )
    assert CaseServiceChange.objects.filter(service_id=service_id).count() == 2
    assert AuditEntry.objects.get(action="service.change").fields == ["status"]
    justice = api(world, worker, "GET", f"/cases/{case.pk}/services?sector=JUSTICE").json()
    assert [s["kind"] for s in justice] == ["PROTECTION_ORDER"]
    declined = api(world, worker, "GET", f"/cases/{case.pk}/services?status=DECLINED").json()
    assert [s["kind"] for s in declined] == ["CRISIS_COUNSELLING"]
    client = world.client_for(worker)
    rows = client.get(
        reverse("cases:services", args=[case.pk]), {"sector": "SOCIAL"}, headers={"HX-Request": "true"}
    )
    assert "Crisis counselling" in rows.content.decode() and "Protection order" not in rows.content.decode()
    timeline = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "from “Referred elsewhere” to “Already received elsewhere”" in timeline
    # The page's own change form: back to the list, with the reason when refused.
    response = client.post(
        reverse("cases:change_service", args=[service_id]),
        {"status": "RECEIVED_ELSEWHERE", "next": "services"},
        follow=True,
    )
    assert "Nothing changed" in response.content.decode()


def test_other_organisations_and_other_roles_cannot_reach_services(world: World) -> None:
    case = active_case(world)
    today = timezone.localdate().isoformat()
    body = {"kind": "PROTECTION_ORDER", "status": "REFERRED", "started_on": today}
    outsider = make_member(world.other_org, Role.CASEWORKER, username="elsewhere.cw", at=world.at)
    assert api(world, outsider, "POST", f"/cases/{case.pk}/services", body).status_code == 404
    assert api(world, outsider, "GET", f"/cases/{case.pk}/services").status_code == 404
    assert world.client_for(outsider).get(reverse("cases:services", args=[case.pk])).status_code == 404
    counsellor = world.members[Role.COUNSELLOR]  # not on the case
    assert api(world, counsellor, "POST", f"/cases/{case.pk}/services", body).status_code == 404
    assert (
        api(world, world.members[Role.DATA_OFFICER], "GET", f"/cases/{case.pk}/services").status_code == 403
    )
    assert not CaseService.objects.exists()
