"""A scoring sheet's weights and cut-offs are bounded: a typo of many digits is refused when the sheet is
loaded, instead of being put in force and failing every screen scored with it afterwards."""

from __future__ import annotations

import json

from django.urls import reverse

from haven.conftest import World
from haven.orgs.roles import Role
from haven.risk.models import ScoringSheet
from haven.risk.scoring import MAX_SHEET_NUMBER
from haven.risk.tests.test_config_pages import _sheet_post
from haven.risk.tests.test_risk_api import call
from haven.risk.tests.walk import sheet_body

HUGE = 10**19  # past a 64-bit integer: the screen's score could not be stored


def test_the_api_refuses_a_huge_weight_and_loads_nothing(world: World) -> None:
    body = sheet_body()
    body["weights"]["d1"] = HUGE

    response = call(world, world.members[Role.ORG_ADMIN], "POST", "/risk/scoring-sheets", body)

    assert response.status_code == 422
    assert not ScoringSheet.objects.exists()


def test_the_api_refuses_a_huge_cut_off_and_loads_nothing(world: World) -> None:
    body = sheet_body() | {"cutoffs": [{"at_least": HUGE, "level": "INCREASED"}]}

    response = call(world, world.members[Role.ORG_ADMIN], "POST", "/risk/scoring-sheets", body)

    assert response.status_code == 422 and "cutoffs" in json.dumps(response.json())
    assert not ScoringSheet.objects.exists()


def test_the_form_refuses_a_huge_weight_next_to_it(world: World) -> None:
    admin = world.client_for(world.members[Role.ORG_ADMIN])

    response = admin.post(reverse("risk:sheet_load", args=["da"]), _sheet_post(weight_d1=str(HUGE)))

    assert response.status_code == 422
    assert response.context["form"].errors["weight_d1"]
    assert not ScoringSheet.objects.exists()


def test_the_largest_allowed_weight_is_loaded(world: World) -> None:
    body = sheet_body()
    body["weights"]["d1"] = MAX_SHEET_NUMBER

    response = call(world, world.members[Role.ORG_ADMIN], "POST", "/risk/scoring-sheets", body)

    assert response.status_code == 201
