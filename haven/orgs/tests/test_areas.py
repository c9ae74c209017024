"""Areas: a nested administrative geography, each level finer than its parent, within one organisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from haven.conftest import World
from haven.orgs import actions
from haven.orgs.models import Area
from haven.orgs.roles import Role


def test_it_builds_a_bangladesh_style_tree(world: World) -> None:
    admin = world.persona_admin
    country = actions.create_area(
        org=world.org, name="বাংলাদেশ", level=Area.Level.COUNTRY, acting_user=admin, at=world.at
    )
    division = actions.create_area(
        org=world.org, name="ঢাকা বিভাগ", level=Area.Level.REGION, parent=country, acting_user=admin, at=world.at
    )
    district = actions.create_area(
        org=world.org, name="ঢাকা", level=Area.Level.DISTRICT, parent=division, acting_user=admin, at=world.at
    )
    upazila = actions.create_area(
        org=world.org,
        name="সাভার",
        level=Area.Level.SUBDISTRICT,
        parent=district,
        acting_user=admin,
        at=world.at,
    )
    union = actions.create_area(
        org=world.org, name="আশুলিয়া", level=Area.Level.LOCALITY, parent=upazila, acting_user=admin, at=world.at
    )
    assert [a.name for a in union.ancestors()] == ["বাংলাদেশ", "ঢাকা বিভাগ", "ঢাকা", "সাভার"]
    page = world.client_for(world.members[Role.CASEWORKER]).get(reverse("orgs:area_list")).content.decode()
    assert 'class="indent-4">আশুলিয়া' in page


def test_it_refuses_a_coarser_child(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.create_area(
            org=world.org,
            name="Wrong",
            level=Area.Level.COUNTRY,
            parent=world.district,
            acting_user=world.persona_admin,
            at=world.at,
        )
    assert "level" in error.value.message_dict


def test_it_refuses_a_cycle(world: World) -> None:
    country = world.district.parent
    assert country is not None
    with pytest.raises(ValidationError):
        actions.update_area(
            area=country,
            changes={"parent": world.district, "level": 4},
            acting_user=world.persona_admin,
            at=world.at,
        )


def test_it_refuses_a_duplicate_name_under_the_same_parent(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    response = client.post(
        reverse("orgs:area_create"), {"name": "Montréal", "level": 3, "parent": world.district.parent_id}
    )
    assert response.status_code == 422
    assert "already an area with this name" in response.content.decode()


def test_it_creates_and_edits_from_the_form(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    response = client.post(
        reverse("orgs:area_create"),
        {"name": "Laval", "level": 3, "parent": world.district.parent_id, "code": "QC-LAV"},
    )
    assert response.status_code == 302
    laval = Area.objects.get(name="Laval")
    response = client.post(
        reverse("orgs:area_edit", args=[laval.pk]),
        {"name": "Laval", "level": 3, "parent": world.district.parent_id, "code": "QC-13"},
    )
    assert response.status_code == 302
    laval.refresh_from_db()
    assert laval.code == "QC-13"
