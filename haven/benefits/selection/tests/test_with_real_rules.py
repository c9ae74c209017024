"""Submission judged by the real rules engine with the seed's VWB rules: the verdicts and score are
stored, and a woman of 52 is refused with the engine's own sentence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.benefits.models import Application, Beneficiary, RuleSet
from haven.benefits.rules import VWB_RULES
from haven.benefits.selection import actions
from haven.benefits.tests import factories
from haven.conftest import World


def _woman(world: World, born_on: date) -> Beneficiary:
    return factories.beneficiary(
        world.org,
        born_on=born_on,
        mobile_is_own=True,
        land_decimals=Decimal("4"),
        person_details={
            "id_kind": "NATIONAL_ID",
            "id_number": f"19{born_on:%Y%m%d}12345",
            "phone": "+880 1711 000000",
        },
    )


def test_it_stores_the_engines_verdicts_and_refuses_a_woman_of_52(world: World) -> None:
    programme = factories.vwb(world.org)
    RuleSet.objects.create(
        org=world.org, programme=programme, version=1, created_at=timezone.now(), **VWB_RULES
    )
    today = timezone.now()
    application = actions.submit_application(
        programme=programme,
        beneficiary=_woman(world, date(1990, 1, 1)),
        channel="OFFICER",
        acting_user=None,
        at=today,
    )
    assert application.status == Application.Status.ELIGIBLE
    assert application.priority_score == Decimal(30)
    assert {v["rule"] for v in application.explanation} >= {"age", "landless", "own_mobile"}
    older = _woman(world, date(today.year - 52, 1, 1))
    with pytest.raises(ValidationError) as refused:
        actions.submit_application(
            programme=programme, beneficiary=older, channel="OFFICER", acting_user=None, at=today
        )
    message = refused.value.message_dict["beneficiary"][0]
    assert "fails: age 52" in message and "adds" not in message
    assert Application.objects.count() == 1
