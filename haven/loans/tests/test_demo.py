"""The demo loans: five loans in five states, one of them in arrears, on a Bangladeshi organisation only."""

from __future__ import annotations

from haven.conftest import World, make_org
from haven.loans import queries
from haven.loans.models import Loan
from haven.loans.tests.helpers import acting
from haven.orgs.models import Organisation
from haven.orgs.roles import Role
from haven.web.demo_loans import load_demo_loans


def test_the_demo_has_a_loan_in_each_state_and_one_in_arrears(world: World) -> None:
    org: Organisation = make_org("demo-bd", at=world.at)
    org.country = "BD"
    org.save(update_fields=["country"])
    load_demo_loans(org, world.at)
    states = sorted(Loan.objects.filter(org=org).values_list("status", flat=True))
    assert states == ["ACTIVE", "ACTIVE", "APPLIED", "APPROVED", "CLOSED"]
    member = world.members[Role.PROGRAMME_OFFICER]
    member.org = org  # look at the demo organisation's figures as its own officer would
    ageing = queries.arrears_ageing(acting(member), "BDT", world.at.date())
    assert sum(bucket.loans for bucket in ageing) == 1 and ageing[-1].loans == 1
    load_demo_loans(world.org, world.at)  # a Canadian organisation gets none
    assert not Loan.objects.filter(org=world.org).exists()
