"""The Django admin: organisation admins manage their own organisation only; others cannot enter."""

from __future__ import annotations

from django.urls import reverse

from haven.conftest import World
from haven.orgs import actions
from haven.orgs.models import Area, Site
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def test_it_lists_only_the_own_organisations_sites(world: World) -> None:
    actions.create_site(
        org=world.other_org,
        name="Their office",
        kind=Site.Kind.OFFICE,
        acting_user=world.outsider.user,
        at=world.at,
    )
    page = world.client_for(world.members[Role.ORG_ADMIN]).get(reverse("admin:orgs_site_changelist"))
    assert page.status_code == 200
    assert "Shelter" in page.content.decode() and "Their office" not in page.content.decode()


def test_it_hides_other_organisations_objects(world: World) -> None:
    url = reverse("admin:orgs_site_change", args=[world.shelter.pk])
    response = world.client_for(world.outsider).get(url)
    assert response.status_code == 302  # the admin redirects a missing object to its index


def test_it_refuses_staff_who_are_not_org_admins(world: World) -> None:
    response = world.client_for(world.members[Role.CASEWORKER]).get(reverse("admin:index"), follow=True)
    # The admin sends them to Haven's own sign-in page (with its lockout and second factor), not its own.
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))


def test_it_opens_for_an_org_admin_signed_in_through_haven(world: World) -> None:
    response = world.client_for(world.members[Role.ORG_ADMIN]).get(reverse("admin:index"))
    assert response.status_code == 200 and "Sites" in response.content.decode()


def test_it_saves_through_the_verbs(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    response = client.post(
        reverse("admin:orgs_area_add"),
        {"name": "Laval", "level": 3, "parent": world.district.parent_id, "code": ""},
    )
    assert response.status_code == 302
    laval = Area.objects.get(name="Laval")
    assert laval.org == world.org
    assert AuditEntry.objects.filter(action="area.create", object_id=str(laval.pk)).exists()
    response = client.post(
        reverse("admin:orgs_site_change", args=[world.office.pk]),
        {
            "name": "Office",
            "kind": "OFFICE",
            "area": "",
            "address": "2 Moved Street",
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    world.office.refresh_from_db()
    assert world.office.address == "2 Moved Street"
    assert AuditEntry.objects.filter(action="site.update", object_id=str(world.office.pk)).get().fields == [
        "address"
    ]
