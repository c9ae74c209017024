"""Reading a case's care records through the API (notes, needs, plan, services, appointments) or its
services page shows what the case file shows, in clear: each is an audited read of the case, as opening
the file is. Nothing of what was read goes into the entry."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.cases import care_actions as care
from haven.cases.tests.care_helpers import acting, active_case, api
from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def _reads(case_id: object) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="case.view", object_id=str(case_id)))


@pytest.mark.parametrize("section", ["notes", "needs", "plan", "services", "appointments"])
def test_reading_care_records_through_the_api_is_an_audited_read(world: World, section: str) -> None:
    case = active_case(world)
    lead = world.members[Role.CASEWORKER]
    care.write_note(
        case=case,
        text="She fears he knows the school",
        acting_user=acting(world, Role.CASEWORKER),
        at=timezone.now(),
    )

    response = api(world, lead, "GET", f"/cases/{case.pk}/{section}")

    assert response.status_code == 200
    [entry] = _reads(case.pk)
    assert entry.actor == lead.user and entry.fields == []


def test_opening_the_services_page_is_an_audited_read(world: World) -> None:
    case = active_case(world)
    client = world.client_for(world.members[Role.CASEWORKER])

    assert client.get(reverse("cases:services", args=[case.pk])).status_code == 200
    assert len(_reads(case.pk)) == 1
