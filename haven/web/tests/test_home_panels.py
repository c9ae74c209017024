"""Every panel on a role's home page opens for that role: no link to a page it would be refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from haven.conftest import World
from haven.orgs.roles import Role
from haven.web.navigation import home_panels

pytestmark = pytest.mark.django_db


def test_every_panel_of_every_role_opens(world: World) -> None:
    for role, member in world.members.items():
        client = world.client_for(member)
        for panel in home_panels(member):
            response = client.get(reverse(panel.url_name))
            assert response.status_code == 200, f"{role}: {panel.url_name} answered {response.status_code}"


def test_programme_staff_find_the_programmes_and_survivor_workers_do_not(world: World) -> None:
    officer = {panel.url_name for panel in home_panels(world.members[Role.PROGRAMME_OFFICER])}
    caseworker = {panel.url_name for panel in home_panels(world.members[Role.CASEWORKER])}
    assert {"benefits:programme_list", "loans:list", "training:list"} <= officer
    assert not officer & {"people:search", "cases:list"}
    assert "benefits:programme_list" not in caseworker
