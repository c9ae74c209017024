"""A trainee as an API answer names the woman: enrolling her and recording her exam mark answer with an
audited read of her batch's roll (`training_roll.view`), the entry reading the batch writes."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.training.actions import ROLL_VIEW
from haven.training.models import Batch
from haven.training.tests import helpers, walk


def _api(world: World, member: Membership, path: str, body: Any) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    return Client().post("/api/v1" + path, json.dumps(body), content_type="application/json", headers=headers)


def _reads(member: Membership, batch: Batch) -> int:
    return AuditEntry.objects.filter(
        action=ROLL_VIEW, actor=member.user, object_type="training.batch", object_id=str(batch.pk)
    ).count()


def test_enrolling_a_woman_answers_with_an_audited_read_of_the_roll(world: World) -> None:
    batch = helpers.running_batch(world.org)
    woman = factories.beneficiary(world.org, name="Nasrin Fictive")
    member = world.members[Role.PROGRAMME_OFFICER]
    answer = _api(world, member, f"/training/batches/{batch.pk}/trainees", {"beneficiary_id": str(woman.pk)})
    assert answer.status_code == 201 and answer.json()["name"] == "Nasrin Fictive"
    assert _reads(member, batch) == 1


def test_recording_an_exam_mark_answers_with_an_audited_read_of_the_roll(world: World) -> None:
    trainee = walk.passed_trainee()
    member = world.members[Role.PROGRAMME_OFFICER]
    answer = _api(world, member, f"/training/trainees/{trainee.pk}/exam", {"score": 65})
    assert answer.status_code == 200 and answer.json()["name"] == "Shirin Akter"
    assert _reads(member, trainee.batch) == 1
