"""The training pages and API as programme staff use them, and as others cannot."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from pypdf import PdfReader

from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.training.models import AttendanceDay, Trainee
from haven.training.tests import helpers, walk

pytestmark = pytest.mark.django_db


def test_an_officer_enrols_by_registry_number_and_keeps_the_register(world: World) -> None:
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    batch = helpers.running_batch(world.org)
    woman = factories.beneficiary(world.org, name="Nasima Begum")
    response = client.post(
        reverse("training:enrol", args=[batch.pk]), {"registry_number": woman.registry_number}
    )
    assert response.status_code == 302
    trainee = Trainee.objects.get(batch=batch)
    page = client.get(reverse("training:batch", args=[batch.pk]))
    assert "Nasima Begum" in page.content.decode()
    assert AuditEntry.objects.filter(action="training_roll.view", object_id=str(batch.pk)).exists()
    saved = client.post(
        reverse("training:register", args=[batch.pk]),
        {"on": batch.starts_on.isoformat(), "present": [str(trainee.pk)]},
    )
    assert saved.status_code == 302
    assert AttendanceDay.objects.get(trainee=trainee).present is True


def test_an_unknown_registry_number_is_refused_with_the_reason(world: World) -> None:
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    batch = helpers.running_batch(world.org)
    response = client.post(
        reverse("training:enrol", args=[batch.pk]), {"registry_number": "R-999999"}, follow=True
    )
    assert "No woman in the registry has this number." in response.content.decode()
    assert not Trainee.objects.exists()


def test_survivor_workers_do_not_see_trainees(world: World) -> None:
    batch = helpers.running_batch(world.org)
    client = world.client_for(world.members[Role.CASEWORKER])
    assert client.get(reverse("training:batch", args=[batch.pk])).status_code == 403


def test_the_api_refuses_bad_input_with_field_errors(world: World) -> None:
    member = world.members[Role.PROGRAMME_OFFICER]
    batch = helpers.running_batch(world.org)
    response = world.client_for(None).post(
        f"/api/v1/training/batches/{batch.pk}/register",
        data=json.dumps({"on": (batch.ends_on + timedelta(days=3)).isoformat(), "present": []}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.token_for(member)}"},
    )
    assert response.status_code == 422
    assert "outside the batch" in json.dumps(response.json(), ensure_ascii=False)


def test_the_certificate_pdf_names_her_in_her_script(world: World) -> None:
    certificate = walk.certificate()
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    name = certificate.trainee.beneficiary.person.name
    response = client.get(reverse("training:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert certificate.number in text
    assert name.split()[0] in text or name in text
    assert AuditEntry.objects.filter(action="training_certificate.print").count() == 1
