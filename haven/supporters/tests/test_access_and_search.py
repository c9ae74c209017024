"""Who sees supporters: fundraisers and administrators of the organisation; nobody from another
organisation (404, as if it did not exist); no role that works with survivors. Search finds a supporter by
e-mail, phone or the words of the name, through blind indexes only."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.supporters import actions
from haven.supporters.models import Supporter
from haven.supporters.tests import walk
from haven.supporters.tests.helpers import api


def _supporter(world: World) -> Supporter:
    return actions.create_supporter(
        org=world.org,
        kind=Supporter.Kind.INDIVIDUAL,
        name="Élise Côté-Roy",
        language="fr",
        email=" Elise.Cote@Example.org ",
        phone="514 555 0142",
        address="12 rue Fictive, Montréal",
        acting_user=None,
        at=timezone.now(),
    )


def test_only_fundraisers_and_administrators_open_a_supporters_file(world: World) -> None:
    supporter = _supporter(world)
    url = reverse("supporters:detail", args=[supporter.pk])
    for role in (Role.FUNDRAISER, Role.ORG_ADMIN):
        page = world.client_for(world.members[role]).get(url)
        assert page.status_code == 200 and "12 rue Fictive" in page.content.decode()
    assert AuditEntry.objects.filter(action="supporter.view", object_id=str(supporter.pk)).count() == 2
    for role in (Role.CASEWORKER, Role.CENTRE_MANAGER, Role.HOTLINE_AGENT, Role.DATA_OFFICER):
        assert world.client_for(world.members[role]).get(url).status_code == 403
        assert api(world, world.members[role], "GET", f"/supporters/{supporter.pk}").status_code == 403
    assert world.client_for(world.outsider).get(url).status_code == 404
    assert api(world, world.outsider, "GET", f"/supporters/{supporter.pk}").status_code == 404
    assert api(world, world.outsider, "POST", "/supporters/search", {"q": ""}).json() == []


def test_the_centre_manager_reads_totals_and_nothing_else(world: World) -> None:
    manager = world.client_for(world.members[Role.CENTRE_MANAGER])
    assert manager.get(reverse("supporters:totals")).status_code == 200
    assert manager.get(reverse("supporters:list")).status_code == 403
    assert manager.get(reverse("supporters:projects")).status_code == 403
    nurse = world.members[Role.NURSE]
    assert api(world, nurse, "GET", "/donation-totals").status_code == 403


def test_it_finds_a_supporter_by_email_phone_or_name_words(world: World) -> None:
    supporter = _supporter(world)
    walk.supporter(world.org, name="Fondation Lumière")
    walk.supporter(world.other_org, name="Élise Côté-Roy")  # another organisation's: never found
    fundraiser = world.members[Role.FUNDRAISER]

    def found(query: str) -> list[str]:
        return [
            row["id"] for row in api(world, fundraiser, "POST", "/supporters/search", {"q": query}).json()
        ]

    assert found("elise.cote@example.org") == [str(supporter.pk)]
    assert found("+1 514-555-0142") == [str(supporter.pk)]
    assert found("cote elise") == [str(supporter.pk)]
    assert found("ROY") == [str(supporter.pk)]
    assert found("elise lumiere") == []
    page = world.client_for(fundraiser).post(reverse("supporters:list"), {"q": "côté"})
    assert "Élise Côté-Roy" in page.content.decode() and "Lumière" not in page.content.decode()
    assert supporter.email == "Elise.Cote@Example.org"  # kept as typed; only the index is folded
