"""Programmes (set up, change, rule versions) and enrolment (one active per woman and programme)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from haven.benefits import actions
from haven.benefits.models import Enrolment, Programme
from haven.benefits.tests import factories
from haven.benefits.tests.helpers import api, at, officer, written
from haven.conftest import World

VWB_BODY: dict[str, Any] = {
    "code": "vwb",
    "name": "দুস্থ মহিলা সহায়তা (VWB)",
    "benefit_kind": "IN_KIND",
    "target_level": "PERSON",
    "duration_months": 24,
    "item": "rice",
    "quantity_per_cycle": "30",
    "unit": "kg",
}


def test_it_sets_up_a_programme_and_changes_it(world: World) -> None:
    member = officer(world)
    created = api(world, member, "POST", "/benefits/programmes", VWB_BODY)
    assert created.status_code == 201 and created.json()["quantity_per_cycle"] == "30.00"
    programme_id = created.json()["id"]

    changed = api(world, member, "PATCH", f"/benefits/programmes/{programme_id}", {"duration_months": 18})

    assert changed.status_code == 200 and changed.json()["duration_months"] == 18
    assert Programme.objects.get(pk=programme_id).duration_months == 18


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity_per_cycle": "0"}, "quantity_per_cycle"),
        ({"applications_open_day": 1}, "applications_close_day"),
        ({"applications_open_day": 20, "applications_close_day": 1}, "applications_close_day"),
        ({"code": "mcb"}, "code"),
    ],
)
def test_a_bad_programme_is_refused_with_its_field_and_nothing_is_written(
    world: World, change: dict[str, Any], field: str
) -> None:
    factories.mother_and_child(world.org)
    member = officer(world)
    before = written()
    response = api(world, member, "POST", "/benefits/programmes", {**VWB_BODY, **change})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == field
    assert written() == before


def test_rule_versions_number_themselves_and_bad_rules_are_refused(world: World) -> None:
    vwb = factories.vwb(world.org)
    member = officer(world)
    path = f"/benefits/programmes/{vwb.pk}/rule-sets"
    first = api(world, member, "POST", path, {"eligibility": [], "note": "first"})
    second = api(world, member, "POST", path, {"eligibility": [], "note": "second"})
    bad = world.client_for(member).post(
        reverse("benefits:rule_set_publish", args=[vwb.pk]),
        {"eligibility": "[{", "priority": "[]", "exclusions": "[]"},
    )
    assert (first.json()["version"], second.json()["version"]) == (1, 2)
    assert bad.status_code == 422 and vwb.rule_sets.count() == 2
    detail = api(world, member, "GET", f"/benefits/programmes/{vwb.pk}").json()
    assert [r["version"] for r in detail["rule_sets"]] == [2, 1]


def test_it_enrols_her_for_the_programme_s_months(world: World) -> None:
    vwb = factories.vwb(world.org)
    her = factories.beneficiary(world.org)
    response = api(
        world,
        officer(world),
        "POST",
        f"/benefits/beneficiaries/{her.pk}/enrolments",
        {"programme_id": str(vwb.pk), "card_number": "VWB-0001", "starts_on": "2026-03-14"},
    )
    assert response.status_code == 201
    assert (response.json()["starts_on"], response.json()["ends_on"]) == ("2026-03-01", "2028-02-01")


def test_an_enrolment_whose_months_would_pass_the_year_9999_is_refused_not_a_server_error(
    world: World,
) -> None:
    vwb = factories.vwb(world.org)
    her = factories.beneficiary(world.org)
    response = api(
        world,
        officer(world),
        "POST",
        f"/benefits/beneficiaries/{her.pk}/enrolments",
        {"programme_id": str(vwb.pk), "card_number": "VWB-9999", "starts_on": "9999-12-31"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "starts_on"
    page = world.client_for(officer(world)).post(
        reverse("benefits:enrol", args=[her.pk]),
        {"programme": vwb.pk, "card_number": "VWB-9999", "starts_on": "9999-12-31"},
    )
    assert page.status_code == 422
    assert not Enrolment.objects.exists()


def test_a_second_active_enrolment_is_refused_by_the_verb_and_by_the_database(world: World) -> None:
    vwb = factories.vwb(world.org)
    her = factories.beneficiary(world.org)
    first = factories.enrolment(vwb, her)
    before = written()

    with pytest.raises(ValidationError, match=f"card {first.card_number}"):
        actions.enrol(
            programme=vwb,
            beneficiary=her,
            card_number="VWB-X",
            starts_on=date(2026, 5, 1),
            acting_user=None,
            at=at("2026-04-01"),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.enrolment(vwb, her, card_number="VWB-Y")

    assert written() == before
    actions.exit_enrolment(
        enrolment=first, reason="WITHDREW", on=date(2026, 4, 1), acting_user=None, at=at("2026-04-02")
    )
    again = actions.enrol(
        programme=vwb,
        beneficiary=her,
        card_number="VWB-X",
        starts_on=date(2026, 5, 1),
        acting_user=None,
        at=at("2026-04-03"),
    )
    assert again.status == Enrolment.Status.ACTIVE


def test_a_card_number_is_given_once_per_programme(world: World) -> None:
    vwb = factories.vwb(world.org)
    factories.enrolment(vwb, card_number="VWB-7")
    with pytest.raises(ValidationError, match="card number is already given"):
        actions.enrol(
            programme=vwb,
            beneficiary=factories.beneficiary(world.org),
            card_number="VWB-7",
            starts_on=date(2026, 5, 1),
            acting_user=None,
            at=at("2026-04-01"),
        )


def test_the_programme_page_shows_rules_quotas_counts_and_cycles(world: World) -> None:
    vwb = factories.vwb(world.org)
    factories.enrolment(vwb)
    actions.publish_rule_set(
        programme=vwb,
        eligibility=[],
        priority=[],
        exclusions=[],
        note="Seed rules",
        acting_user=None,
        at=at("2026-01-01"),
    )
    response = world.client_for(officer(world)).get(reverse("benefits:programme_detail", args=[vwb.pk]))
    assert response.status_code == 200
    assert b"Seed rules" in response.content and b'id="enrolment-counts"' in response.content
