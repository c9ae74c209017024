"""Looking a card up answers with the name of the woman who holds it: the look-up entry is a read entry
(`distribution.lookup`, registered as a read) on her enrolment, one per look-up, from the API as from the
point's page."""

from __future__ import annotations

from haven.benefits.distribution.actions import RATION_LOOKUP
from haven.benefits.distribution.tests.helpers import NAMES, api, scene
from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy import audit
from haven.privacy.models import AuditEntry


def test_a_ration_look_up_is_an_audited_read_of_her_enrolment(world: World) -> None:
    here = scene(world.org, cards=2)
    clerk = world.members[Role.COMPUTER_OPERATOR]
    body = {"cycle_id": str(here.cycle.pk), "card_number": here.cards[1]}
    answer = api(world, clerk, "POST", f"/distribution-points/{here.point.pk}/ration-lookup", body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["name"] == NAMES[1]
    read = AuditEntry.objects.get(action=RATION_LOOKUP, actor=clerk.user)
    assert audit.is_read(read.action)
    assert (read.object_type, read.object_id) == ("benefits.enrolment", str(here.enrolments[1].pk))
