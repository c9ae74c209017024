"""The demo gives the Bangladesh office its two programmes, forty women, enrolments with cards, an
approved cycle and an open one per programme; an organisation elsewhere gets none."""

from __future__ import annotations

from haven.benefits.models import Beneficiary, Cycle, Enrolment, Entitlement, Programme
from haven.conftest import World
from haven.orgs import actions as org_actions
from haven.orgs.models import Area
from haven.web.demo_benefits import UNION, load_demo_benefits


def test_it_loads_on_a_fresh_bangladeshi_organisation(world: World) -> None:
    load_demo_benefits(world.org, world.at)  # in Canada: nothing
    assert not Programme.objects.exists()
    world.org.country = "BD"
    world.org.save(update_fields=["country"])
    org_actions.create_area(
        org=world.org, name=UNION, level=Area.Level.LOCALITY, acting_user=None, at=world.at
    )

    load_demo_benefits(world.org, world.at)

    assert set(Programme.objects.values_list("code", flat=True)) == {"vwb", "mcb"}
    assert Beneficiary.objects.filter(org=world.org).count() == 40
    assert Enrolment.objects.filter(status="ACTIVE").count() == 40
    states = sorted(Cycle.objects.values_list("programme__code", "status", "entitlement_count"))
    assert states == [
        ("mcb", "APPROVED", 12),
        ("mcb", "OPEN", 0),
        ("vwb", "APPROVED", 28),
        ("vwb", "OPEN", 0),
    ]
    assert Entitlement.objects.count() == 40
