"""Campaigns: materials produced, copies handed out and what remains, per material and per campaign;
over-distribution and a distribution before the campaign are refused."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.groups.models import Distribution
from haven.groups.tests.conftest import api, errors
from haven.orgs.roles import Role


def _stop_violence(world: World) -> tuple[str, str, str]:
    """The #StopViolence campaign of the seed: 2,000 booklets and 600 brochures."""
    officer = world.members[Role.PROGRAMME_OFFICER]
    start = timezone.localdate() - timedelta(days=200)
    campaign = api(
        world,
        officer,
        "POST",
        "/groups/campaigns",
        {"title": "#StopViolence", "starts_on": start.isoformat()},
    ).json()
    booklet = api(
        world,
        officer,
        "POST",
        f"/groups/campaigns/{campaign['id']}/materials",
        {
            "kind": "BOOKLET",
            "title": "Алгоритм ваших действий, если вы стали жертвой бытового насилия",
            "language": "ru",
            "audience": "Women who face violence",
            "quantity_produced": 2000,
        },
    ).json()
    brochure = api(
        world,
        officer,
        "POST",
        f"/groups/campaigns/{campaign['id']}/materials",
        {
            "kind": "BROCHURE",
            "title": "Как справиться с гневом?",
            "language": "ru",
            "audience": "Men who use violence",
            "quantity_produced": 600,
        },
    ).json()
    return campaign["id"], booklet["id"], brochure["id"]


def test_it_totals_the_seed_campaign(world: World) -> None:
    campaign, booklet, brochure = _stop_violence(world)
    officer = world.members[Role.PROGRAMME_OFFICER]
    today = timezone.localdate().isoformat()
    for material, quantity, place in (
        (booklet, 1200, "Shymkent"),
        (booklet, 800, "Turkestan region"),
        (brochure, 450, "Shymkent"),
    ):
        body = {"quantity": quantity, "distributed_on": today, "place": place, "channel": "Market day"}
        assert (
            api(world, officer, "POST", f"/groups/materials/{material}/distributions", body).status_code
            == 201
        )

    totals = api(
        world, world.members[Role.DATA_OFFICER], "GET", f"/groups/campaigns/{campaign}/totals"
    ).json()
    assert (totals["produced"], totals["distributed"], totals["remaining"]) == (2600, 2450, 150)
    by_title = {m["kind"]: (m["produced"], m["distributed"], m["remaining"]) for m in totals["materials"]}
    assert by_title == {"BOOKLET": (2000, 2000, 0), "BROCHURE": (600, 450, 150)}
    listed = api(world, officer, "GET", "/groups/campaigns").json()
    assert [(c["produced"], c["distributed"], c["remaining"]) for c in listed] == [(2600, 2450, 150)]

    page = world.client_for(world.members[Role.HOTLINE_AGENT]).get(
        reverse("groups:campaign", args=[campaign])
    )
    assert "2600 copies produced, 2450 handed out, 150 remain." in page.content.decode()


def test_it_refuses_more_than_remains_and_before_the_campaign(world: World) -> None:
    _campaign, booklet, brochure = _stop_violence(world)
    officer = world.members[Role.PROGRAMME_OFFICER]
    today = timezone.localdate()
    first = {"quantity": 500, "distributed_on": today.isoformat(), "place": "Shymkent"}
    assert (
        api(world, officer, "POST", f"/groups/materials/{brochure}/distributions", first).status_code == 201
    )

    too_many = api(
        world, officer, "POST", f"/groups/materials/{brochure}/distributions", {**first, "quantity": 101}
    )
    assert too_many.status_code == 422
    assert "Only 100 of the 600 copies produced remain" in errors(too_many)

    early = {**first, "quantity": 5, "distributed_on": date(2000, 1, 1).isoformat()}
    refused = api(world, officer, "POST", f"/groups/materials/{booklet}/distributions", early)
    assert refused.status_code == 422 and "campaign starts on" in errors(refused)

    nowhere = api(
        world,
        officer,
        "POST",
        f"/groups/materials/{booklet}/distributions",
        {"quantity": 5, "distributed_on": today.isoformat()},
    )
    assert nowhere.status_code == 422 and "Say where" in errors(nowhere)
    assert Distribution.objects.count() == 1

    # The page refuses the same way, beside the field.
    page = world.client_for(officer).post(
        reverse("groups:distribute", args=[brochure]),
        {"quantity": "101", "distributed_on": today.isoformat(), "place": "Shymkent"},
    )
    assert page.status_code == 422 and "Only 100 of the 600" in page.content.decode()
    assert Distribution.objects.count() == 1


def test_it_refuses_a_distribution_after_the_campaign_ended(world: World) -> None:
    officer = world.members[Role.PROGRAMME_OFFICER]
    ended_on = timezone.localdate() - timedelta(days=30)
    campaign = api(
        world,
        officer,
        "POST",
        "/groups/campaigns",
        {
            "title": "16 Days",
            "starts_on": (ended_on - timedelta(days=15)).isoformat(),
            "ends_on": ended_on.isoformat(),
        },
    ).json()
    leaflet = api(
        world,
        officer,
        "POST",
        f"/groups/campaigns/{campaign['id']}/materials",
        {
            "kind": "LEAFLET",
            "title": "Where to find help",
            "language": "fr",
            "audience": "Everyone",
            "quantity_produced": 100,
        },
    ).json()
    late = {"quantity": 5, "distributed_on": (ended_on + timedelta(days=1)).isoformat(), "place": "Market"}
    refused = api(world, officer, "POST", f"/groups/materials/{leaflet['id']}/distributions", late)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "distributed_on"
    assert (
        errors(refused)
        == f"The campaign ended on {ended_on.isoformat()}: a distribution cannot come after it."
    )
    page = world.client_for(officer).post(reverse("groups:distribute", args=[leaflet["id"]]), late)
    assert page.status_code == 422 and "a distribution cannot come after it" in page.content.decode()
    assert not Distribution.objects.exists()

    last_day = {**late, "distributed_on": ended_on.isoformat()}
    assert (
        api(world, officer, "POST", f"/groups/materials/{leaflet['id']}/distributions", last_day).status_code
        == 201
    )
