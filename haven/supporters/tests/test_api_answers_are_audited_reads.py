"""Every API answer that carries a supporter's name or details is an audited read of that supporter's
file (`supporter.view`, the entry `GET /supporters/{id}` writes): a change of their details, each
supporter a search answers with, and a receipt, which carries the name it was issued to."""

from __future__ import annotations

from django.utils import timezone

from haven.conftest import World
from haven.orgs.models import Membership
from haven.privacy.models import AuditEntry
from haven.supporters import actions
from haven.supporters.models import Supporter
from haven.supporters.tests import walk
from haven.supporters.tests.helpers import api, fundraiser


def _reads(member: Membership, supporter: Supporter) -> int:
    return AuditEntry.objects.filter(
        action=actions.SUPPORTER_VIEW,
        actor=member.user,
        object_type="supporters.supporter",
        object_id=str(supporter.pk),
    ).count()


def test_a_change_of_a_supporters_details_answers_with_an_audited_read(world: World) -> None:
    supporter = walk.supporter(world.org, name="Maëlle Fictive")
    member = fundraiser(world)
    answer = api(world, member, "PATCH", f"/supporters/{supporter.pk}", {"phone": "514 555 0100"})
    assert answer.status_code == 200 and answer.json()["name"] == "Maëlle Fictive"
    assert _reads(member, supporter) == 1


def test_each_supporter_a_search_answers_with_is_an_audited_read(world: World) -> None:
    found = [walk.supporter(world.org, name=f"Anaïs Fictive {n}") for n in ("Une", "Deux")]
    other = walk.supporter(world.org, name="Bruno Exemple")
    member = fundraiser(world)
    answer = api(world, member, "POST", "/supporters/search", {"q": "Anaïs"})
    assert answer.status_code == 200
    assert {row["id"] for row in answer.json()} == {str(s.pk) for s in found}
    assert [_reads(member, supporter) for supporter in found] == [1, 1]
    assert _reads(member, other) == 0


def test_reading_a_receipt_is_an_audited_read_of_the_supporter_it_names(world: World) -> None:
    supporter = walk.supporter(world.org, name="Odile Fictive")
    receipt = actions.issue_receipt(
        donation=walk.gift_in_kind(supporter), acting_user=None, at=timezone.now()
    )
    member = fundraiser(world)
    answer = api(world, member, "GET", f"/receipts/{receipt.pk}")
    assert answer.status_code == 200 and answer.json()["name_on_receipt"] == "Odile Fictive"
    assert _reads(member, supporter) == 1
