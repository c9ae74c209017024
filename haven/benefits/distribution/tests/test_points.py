"""Distribution points: one point per union, unions of the organisation only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.benefits.distribution import actions, queries
from haven.benefits.distribution.tests.helpers import point
from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs.roles import Role


def test_it_sets_up_a_point_with_its_unions_officer_and_dealer(world: World) -> None:
    kaliganj, bhabanipur = (
        factories.union(world.org, "Kaliganj union"),
        factories.union(world.org, "Bhabanipur union"),
    )
    officer = world.members[Role.PROGRAMME_OFFICER]
    created = actions.create_point(
        org=world.org,
        name="Kaliganj UP store",
        unions=[kaliganj, bhabanipur],
        dealer_name="Abdul Karim",
        dealer_phone="+8801711000000",
        officer=officer,
        acting_user=None,
        at=timezone.now(),
    )
    assert set(queries.served_union_ids(created)) == {kaliganj.pk, bhabanipur.pk}
    assert created.officer == officer
    raw = type(created).objects.values_list("dealer_name", flat=True).get(pk=created.pk)
    assert "Abdul" not in str(raw)  # stored encrypted

    actions.update_point(
        point=created,
        changes={"place": "Union parishad office"},
        unions=[kaliganj],
        acting_user=None,
        at=timezone.now(),
    )
    assert queries.served_union_ids(created) == [kaliganj.pk]


def test_it_refuses_a_union_served_elsewhere_or_an_area_that_is_not_a_union(world: World) -> None:
    kaliganj = factories.union(world.org, "Kaliganj union")
    point(world.org, [kaliganj], name="First store", stock=None)
    with pytest.raises(ValidationError) as refused:
        actions.create_point(
            org=world.org, name="Second store", unions=[kaliganj], acting_user=None, at=timezone.now()
        )
    assert refused.value.message_dict["unions"] == [
        "Kaliganj union is already served by First store: a union collects at one point."
    ]
    with pytest.raises(ValidationError) as refused:
        actions.create_point(
            org=world.org, name="Third store", unions=[world.district], acting_user=None, at=timezone.now()
        )
    assert "is not a union of this organisation" in refused.value.message_dict["unions"][0]
    elsewhere = factories.union(world.other_org, "Elsewhere union")
    with pytest.raises(ValidationError):
        actions.create_point(
            org=world.org, name="Fourth store", unions=[elsewhere], acting_user=None, at=timezone.now()
        )
    with pytest.raises(ValidationError):
        actions.create_point(org=world.org, name="", unions=[], acting_user=None, at=timezone.now())
