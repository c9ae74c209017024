"""Sites: created and changed through verbs, confidential addresses shown only to roles that need them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from haven.conftest import World
from haven.orgs import actions
from haven.orgs.models import Site
from haven.orgs.roles import KEPT_APART_ROLES, ROLES_NOT_KEPT_APART, Role
from haven.privacy.models import AuditEntry


def test_it_creates_a_site_from_the_form(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    response = client.post(
        reverse("orgs:site_create"),
        {
            "name": "Crisis centre",
            "kind": "CRISIS_CENTRE",
            "area": world.district.pk,
            "address": "5 Rue X",
            "phone": "",
            "is_active": "on",
        },
    )
    site = Site.objects.get(name="Crisis centre")
    assert response.status_code == 302 and response["Location"] == reverse("orgs:site_detail", args=[site.pk])
    assert site.org == world.org and site.area == world.district and site.address == "5 Rue X"
    assert AuditEntry.objects.filter(action="site.create", object_id=str(site.pk)).exists()


def test_it_shows_field_errors_and_saves_nothing(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    response = client.post(reverse("orgs:site_create"), {"name": "Shelter", "kind": "OFFICE"})
    assert response.status_code == 422
    assert "already has a site with this name" in response.content.decode()
    response = client.post(reverse("orgs:site_create"), {"name": "", "kind": "NOT_A_KIND"})
    assert response.status_code == 422
    assert Site.objects.filter(org=world.org).count() == 2


def test_it_refuses_an_area_of_another_organisation(world: World) -> None:
    foreign = actions.create_area(org=world.other_org, name="Dhaka", level=3, acting_user=None, at=world.at)
    with pytest.raises(ValidationError) as error:
        actions.create_site(
            org=world.org,
            name="X",
            kind=Site.Kind.OFFICE,
            area=foreign,
            acting_user=world.persona_admin,
            at=world.at,
        )
    assert "area" in error.value.message_dict
    client = world.client_for(world.members[Role.ORG_ADMIN])
    response = client.post(reverse("orgs:site_create"), {"name": "Y", "kind": "OFFICE", "area": foreign.pk})
    assert response.status_code == 422 and not Site.objects.filter(name="Y").exists()


def test_it_keeps_shelters_confidential_whatever_was_asked(world: World) -> None:
    site = actions.create_site(
        org=world.org,
        name="Safe house",
        kind=Site.Kind.SHELTER,
        is_confidential=False,
        acting_user=world.persona_admin,
        at=world.at,
    )
    assert site.is_confidential
    actions.update_site(
        site=site, changes={"is_confidential": False}, acting_user=world.persona_admin, at=world.at
    )
    site.refresh_from_db()
    assert site.is_confidential


@pytest.mark.parametrize("role", sorted(ROLES_NOT_KEPT_APART))
def test_it_shows_the_shelter_address_only_to_roles_that_need_it(world: World, role: Role) -> None:
    response = world.client_for(world.members[role]).get(reverse("orgs:site_detail", args=[world.shelter.pk]))
    assert response.status_code == 200
    shown = "12 Hidden Lane" in response.content.decode()
    assert shown == role.sees_confidential_addresses
    audited = AuditEntry.objects.filter(action="site.view", actor=world.persona(role)).exists()
    assert audited == role.sees_confidential_addresses


@pytest.mark.parametrize("role", sorted(KEPT_APART_ROLES))
def test_it_shows_no_site_to_roles_kept_apart(world: World, role: Role) -> None:
    client = world.client_for(world.members[role])
    assert client.get(reverse("orgs:site_detail", args=[world.shelter.pk])).status_code == 403
    assert client.get(reverse("orgs:site_list")).status_code == 403


def test_it_lets_a_shelter_manager_edit_only_their_own_site(world: World) -> None:
    client = world.client_for(world.members[Role.SHELTER_MANAGER])
    assert client.get(reverse("orgs:site_edit", args=[world.shelter.pk])).status_code == 200
    assert client.get(reverse("orgs:site_edit", args=[world.office.pk])).status_code == 404
    response = client.post(
        reverse("orgs:site_edit", args=[world.shelter.pk]),
        {
            "name": "Shelter",
            "kind": "SHELTER",
            "area": world.district.pk,
            "address": "New hidden place",
            "phone": "",
            "is_confidential": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    world.shelter.refresh_from_db()
    assert world.shelter.address == "New hidden place"
    entry = AuditEntry.objects.filter(action="site.update").get()
    assert entry.fields == ["address", "phone"]


def test_it_lists_only_the_own_organisations_sites(world: World) -> None:
    actions.create_site(
        org=world.other_org,
        name="Their office",
        kind=Site.Kind.OFFICE,
        acting_user=world.outsider.user,
        at=world.at,
    )
    page = world.client_for(world.members[Role.CASEWORKER]).get(reverse("orgs:site_list")).content.decode()
    assert "Shelter" in page and "Their office" not in page
    page = world.client_for(world.outsider).get(reverse("orgs:site_list")).content.decode()
    assert "Their office" in page and "Shelter" not in page


def test_it_answers_404_for_a_malformed_or_unknown_id(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    assert client.get("/org/sites/not-a-uuid/").status_code == 404
    assert client.get("/org/sites/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_opening_a_confidential_site_to_change_it_is_an_audited_reading(world: World) -> None:
    manager = world.members[Role.SHELTER_MANAGER]
    form = world.client_for(manager).get(reverse("orgs:site_edit", args=[world.shelter.pk]))
    assert form.status_code == 200 and "12 Hidden Lane" in form.content.decode()
    assert AuditEntry.objects.filter(action="site.view", actor=manager.user).count() == 1
    admin = world.members[Role.ORG_ADMIN]
    client = world.client_for(admin)
    page = client.get(reverse("admin:orgs_site_change", args=[world.shelter.pk]))
    assert page.status_code == 200 and "12 Hidden Lane" in page.content.decode()
    assert AuditEntry.objects.filter(action="site.view", actor=admin.user).count() == 1
    # An office's address is not confidential: showing it is not a recorded reading.
    client.get(reverse("orgs:site_edit", args=[world.office.pk]))
    assert AuditEntry.objects.filter(action="site.view", actor=admin.user).count() == 1
