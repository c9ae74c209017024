"""A consultation that took place is a legal-information service in her case; one to come is in the
lawyer's calendar and becomes a service when it is marked held."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.cases.catalogue import ServiceKind
from haven.cases.models import CaseService
from haven.legal.models import Consultation
from haven.legal.tests.conftest import Legal, api, errors, open_matter


def test_it_logs_a_consultation_as_a_service_in_the_case(legal: Legal) -> None:
    matter = open_matter(legal.case, legal.at)
    client = legal.world.client_for(legal.lawyer)
    held = timezone.localtime() - timedelta(hours=2)
    response = client.post(
        reverse("legal:matter_consultation_create", args=[matter.pk]),
        {
            "advocate": str(legal.in_house.pk),
            "matter": str(matter.pk),
            "held_at": held.strftime("%Y-%m-%dT%H:%M"),
            "modality": "IN_PERSON",
            "notes": "Explained the protection order",
        },
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    service = CaseService.objects.get(case=legal.case)
    assert consultation.service == service and consultation.status == "HELD"
    assert service.kind == ServiceKind.LEGAL_INFORMATION and service.provided_by == legal.lawyer


def test_it_schedules_one_to_come_and_makes_it_a_service_when_held(legal: Legal) -> None:
    body = {
        "advocate_id": str(legal.external.pk),
        "held_at": (legal.at + timedelta(days=2)).isoformat(),
        "modality": "LEGAL_CLINIC",
    }
    created = api(legal.world, legal.lawyer, "POST", f"/cases/{legal.case.pk}/consultations", body)
    assert created.status_code == 201 and created.json()["status"] == "SCHEDULED"
    assert not CaseService.objects.exists()
    early = api(
        legal.world,
        legal.lawyer,
        "POST",
        f"/consultations/{created.json()['id']}/conclude",
        {"status": "HELD"},
    )
    assert early.status_code == 422 and "still to come" in errors(early)
    Consultation.objects.filter(pk=created.json()["id"]).update(held_at=legal.at - timedelta(hours=1))
    held = api(
        legal.world,
        legal.lawyer,
        "POST",
        f"/consultations/{created.json()['id']}/conclude",
        {"status": "HELD"},
    )
    assert held.status_code == 200 and held.json()["service_id"] is not None
    assert CaseService.objects.get().provided_by is None  # an external advocate is not a member
