"""Shelter networks are the installation operator's to set up; organisation admins cannot see them."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from haven.accounts.models import User
from haven.conftest import World
from haven.orgs.roles import Role
from haven.shelters.models import ShelterNetwork


def test_only_the_operator_sets_up_a_network(world: World) -> None:
    operator = User.objects.create_superuser("operator", password="operator-password-synthetic")
    client = Client()
    client.force_login(operator)
    added = client.post(
        reverse("admin:shelters_shelternetwork_add"),
        {"name": "Dhaka division shelters", "members": [world.org.pk, world.other_org.pk]},
    )
    assert added.status_code == 302
    network = ShelterNetwork.objects.get(name="Dhaka division shelters")
    assert set(network.members.all()) == {world.org, world.other_org}

    org_admin = world.client_for(world.members[Role.ORG_ADMIN])
    assert org_admin.get(reverse("admin:shelters_shelternetwork_changelist")).status_code == 403
    refused = org_admin.post(reverse("admin:shelters_shelternetwork_add"), {"name": "Another network"})
    assert refused.status_code == 403 and not ShelterNetwork.objects.filter(name="Another network").exists()
    assert "Shelter networks" not in org_admin.get(reverse("admin:index")).content.decode()
