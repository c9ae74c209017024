"""The demo's legal aid loads through the verbs: a panel of two, the lawyer on the cases, one matter with
an adjourned hearing, its next date and a consultation."""

from __future__ import annotations

from datetime import timedelta

from haven.cases.actions import open_case
from haven.conftest import World
from haven.legal.models import Advocate, Hearing, Matter
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.web.demo_legal import load_demo_legal


def test_it_loads_the_demo_panel_and_matter(world: World) -> None:
    started = world.at - timedelta(days=40)  # like the demo cases
    survivor = register_person(org=world.org, name="Demo Woman", acting_user=None, at=started)
    case = open_case(survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=None, at=started)
    load_demo_legal(world.org, world.at)
    assert Advocate.objects.filter(org=world.org).count() == 2
    matter = Matter.objects.get(case=case)
    assert matter.status == Matter.Status.IN_COURT and matter.consultations.count() == 1
    first, following = Hearing.objects.filter(matter=matter).order_by("starts_at")
    assert first.result == Hearing.Result.ADJOURNED and first.next_hearing == following
    assert case.assignments.filter(membership=world.members[Role.LAWYER]).exists()
