"""The registry: lists without names, search by NID or phone through blind indexes (a POST), a
beneficiary's file that is audited, and nothing of another organisation."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from haven.benefits.tests import factories
from haven.benefits.tests.helpers import api, officer
from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry

NAME = "Shirin Akter"  # synthetic
NID = "19901234567890"


def _her(world: World) -> Any:
    world.org.country = "BD"  # phones written the local way are read as Bangladeshi numbers
    world.org.save(update_fields=["country"])
    return factories.beneficiary(
        world.org,
        name=NAME,
        person_details={"phone": "+880 1711 555123", "id_kind": "NATIONAL_ID", "id_number": NID},
    )


def test_the_list_shows_registry_numbers_areas_and_age_bands_never_names(
    world: World, django_assert_max_num_queries: Any
) -> None:
    her = _her(world)
    for n in range(5):
        factories.beneficiary(world.org, name=f"Other Woman {n}")
    client = world.client_for(officer(world))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("benefits:beneficiary_list"))
    text = response.content.decode()
    assert response.status_code == 200 and her.registry_number in text and "30–39" in text
    assert NAME not in text and "Other Woman" not in text


def test_the_area_filter_keeps_to_the_area_and_below(world: World) -> None:
    here = factories.union(world.org, "Kaliganj union")
    elsewhere = factories.union(world.org, "Savar union")
    mine = factories.beneficiary(world.org, area=here)
    other = factories.beneficiary(world.org, area=elsewhere)
    response = world.client_for(officer(world)).get(
        reverse("benefits:beneficiary_list"), {"area": str(here.pk)}
    )
    assert mine.registry_number in response.content.decode()
    assert other.registry_number not in response.content.decode()


def test_search_finds_her_by_nid_or_phone_written_differently(world: World) -> None:
    her = _her(world)
    factories.beneficiary(world.org, name="Somebody Else")
    member = officer(world)
    by_nid = api(world, member, "POST", "/benefits/beneficiaries/search", {"national_id": "1990 1234 567890"})
    by_phone = api(world, member, "POST", "/benefits/beneficiaries/search", {"phone": "01711-555123"})
    nobody = api(world, member, "POST", "/benefits/beneficiaries/search", {"phone": "not a phone"})
    assert [r["id"] for r in by_nid.json()] == [str(her.pk)] == [r["id"] for r in by_phone.json()]
    assert nobody.status_code == 200 and nobody.json() == []
    page = world.client_for(member).post(reverse("benefits:beneficiary_list"), {"national_id": NID})
    assert her.registry_number in page.content.decode() and NAME not in page.content.decode()


def test_her_file_shows_name_and_phone_and_each_reading_is_audited(world: World) -> None:
    her = _her(world)
    factories.enrolment(factories.vwb(world.org), her, card_number="VWB-42", starts_on=date(2026, 1, 1))
    member = officer(world)
    page = world.client_for(member).get(reverse("benefits:beneficiary_detail", args=[her.pk]))
    response = api(world, member, "GET", f"/benefits/beneficiaries/{her.pk}")
    assert NAME in page.content.decode() and "VWB-42" in page.content.decode()
    assert response.json()["name"] == NAME and response.json()["enrolments"][0]["card_number"] == "VWB-42"
    reads = AuditEntry.objects.filter(action="benefits.beneficiary_view", object_id=str(her.pk))
    assert reads.count() == 2 and set(reads.values_list("actor_id", flat=True)) == {member.user_id}


def test_another_organisation_and_survivor_workers_do_not_see_the_registry(world: World) -> None:
    her = _her(world)
    outsider = world.client_for(world.outsider)
    caseworker = world.client_for(world.members[Role.CASEWORKER])
    assert outsider.get(reverse("benefits:beneficiary_detail", args=[her.pk])).status_code == 404
    assert caseworker.get(reverse("benefits:beneficiary_detail", args=[her.pk])).status_code == 403
    assert not AuditEntry.objects.filter(action="benefits.beneficiary_view").exists()
