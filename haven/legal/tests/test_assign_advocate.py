"""The panel shows each advocate's workload; assignment refuses an advocate who is not taking matters, is
full, or does not practise in the area, with the reason."""

from __future__ import annotations

from django.urls import reverse

from haven.legal import actions
from haven.legal.models import Advocate, Matter
from haven.legal.tests.conftest import Legal, api, errors, open_matter
from haven.orgs.roles import Role


def test_it_assigns_and_counts_the_workload_on_the_panel(legal: Legal) -> None:
    matter = open_matter(legal.case, legal.at)
    manager = legal.world.members[Role.CENTRE_MANAGER]
    response = legal.world.client_for(manager).post(
        reverse("legal:matter_assign", args=[matter.pk]), {"advocate": str(legal.external.pk)}
    )
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.advocate == legal.external
    panel = legal.world.client_for(legal.world.members[Role.ORG_ADMIN]).get(reverse("legal:advocates"))
    row = panel.content.decode().split(f'id="advocate-{legal.external.pk}"')[1].split("</tr>")[0]
    assert "1 of 2" in row and "District Legal Services Authority" in row


def test_it_refuses_an_advocate_who_is_full_or_not_taking_matters(legal: Legal) -> None:
    first, second, third = (open_matter(legal.case, legal.at) for _ in range(3))
    for matter in (first, second):
        actions.assign_advocate(matter=matter, advocate=legal.external, acting_user=None, at=legal.at)
    full = api(
        legal.world,
        legal.lawyer,
        "POST",
        f"/matters/{third.pk}/advocate",
        {"advocate_id": str(legal.external.pk)},
    )
    assert full.status_code == 422 and "already has 2 active matters" in errors(full)
    actions.update_advocate(
        advocate=legal.in_house, changes={"accepting_new": False}, acting_user=None, at=legal.at
    )
    page = legal.world.client_for(legal.lawyer).post(
        reverse("legal:matter_assign", args=[third.pk]), {"advocate": str(legal.in_house.pk)}
    )
    assert page.status_code == 422 and "is not taking new matters" in page.content.decode()
    third.refresh_from_db()
    assert third.advocate is None


def test_it_refuses_an_advocate_outside_her_areas_and_frees_a_place_on_closing(legal: Legal) -> None:
    custody = open_matter(legal.case, legal.at, kind=Matter.Kind.CUSTODY)
    wrong = api(
        legal.world,
        legal.lawyer,
        "POST",
        f"/matters/{custody.pk}/advocate",
        {"advocate_id": str(legal.external.pk)},
    )
    assert wrong.status_code == 422 and "does not take matters of this kind" in errors(wrong)
    matters = [open_matter(legal.case, legal.at) for _ in range(2)]
    for matter in matters:
        actions.assign_advocate(matter=matter, advocate=legal.external, acting_user=None, at=legal.at)
    actions.record_outcome(
        matter=matters[0], outcome="WITHDRAWN", closed_on=matters[0].opened_on, acting_user=None, at=legal.at
    )
    assert actions.active_matters(legal.external) == 1
    again = open_matter(legal.case, legal.at, advocate=legal.external)
    assert again.advocate == legal.external


def test_it_adds_advocates_to_the_panel_and_refuses_bad_ones(legal: Legal) -> None:
    admin = legal.world.members[Role.ORG_ADMIN]
    body = {
        "kind": "EXTERNAL",
        "name": "Adv. Akter",
        "languages": ["bn"],
        "areas": ["DOWRY"],
        "max_active_matters": 5,
    }
    created = api(legal.world, admin, "POST", "/advocates", body)
    assert created.status_code == 201 and created.json()["active_matters"] == 0
    nameless = api(legal.world, admin, "POST", "/advocates", {"kind": "EXTERNAL"})
    assert nameless.status_code == 422 and "name" in errors(nameless)
    not_lawyer = api(
        legal.world,
        admin,
        "POST",
        "/advocates",
        {"kind": "IN_HOUSE", "membership_id": legal.world.members[Role.NURSE].pk},
    )
    assert not_lawyer.status_code == 422 and "role is lawyer" in errors(not_lawyer)
    bad_language = api(legal.world, admin, "POST", "/advocates", {**body, "languages": ["xx"]})
    assert bad_language.status_code == 422
    assert Advocate.objects.count() == 3
