"""Looking a card up through the API answers with the name of the woman who holds it: the answer is a read
of her file (`benefits.beneficiary_view`), besides the look-up entry that says which card was looked up."""

from __future__ import annotations

from haven.benefits.actions import BENEFICIARY_VIEW
from haven.benefits.distribution.tests.helpers import NAMES, api, scene
from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def test_a_ration_look_up_is_an_audited_read_of_her_file(world: World) -> None:
    here = scene(world.org, cards=2)
    clerk = world.members[Role.COMPUTER_OPERATOR]
    body = {"cycle_id": str(here.cycle.pk), "card_number": here.cards[1]}
    answer = api(world, clerk, "POST", f"/distribution-points/{here.point.pk}/ration-lookup", body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["name"] == NAMES[1]
    read = AuditEntry.objects.get(action=BENEFICIARY_VIEW, actor=clerk.user)
    assert (read.object_type, read.object_id) == (
        "benefits.beneficiary",
        str(here.enrolments[1].beneficiary_id),
    )
