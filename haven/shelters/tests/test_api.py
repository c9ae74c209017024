"""The shelter API through real HTTP: the address only for roles that need it (audited), availability
without occupants, admissions and the stay's read audited, 422 with field details on bad input."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from haven.cases.models import FollowUp
from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.shelters.models import BedHold, Facility, Stay
from haven.shelters.tests.conftest import Household, admit, api, bed, counts, errors

ADDRESS = "12 Hidden Lane"


def test_the_address_is_never_in_the_list_and_only_for_roles_that_need_it(
    world: World, facility: Facility
) -> None:
    for role in (Role.COUNSELLOR, Role.HOTLINE_AGENT, Role.DATA_OFFICER):
        member = world.members[role]
        listing = api(world, member, "GET", "/facilities")
        assert listing.status_code == 200 and ADDRESS not in listing.content.decode()
        detail = api(world, member, "GET", f"/facilities/{facility.pk}")
        assert detail.status_code == 200 and detail.json()["address"] is None
    assert not AuditEntry.objects.filter(action="site.view").exists()

    caseworker = world.members[Role.CASEWORKER]
    assert ADDRESS not in api(world, caseworker, "GET", "/facilities").content.decode()
    detail = api(world, caseworker, "GET", f"/facilities/{facility.pk}").json()
    assert detail["address"] == ADDRESS and detail["capacity"] == 5
    assert [len(room["beds"]) for room in detail["rooms"]] == [3, 2]
    audited = AuditEntry.objects.get(action="site.view")
    assert audited.actor == caseworker.user and audited.object_id == str(world.shelter.pk)


def test_availability_carries_counts_and_rules_not_occupants(
    world: World, facility: Facility, household: Household
) -> None:
    admit(household, facility, world.at, (household.woman, "1"), (household.daughter, "Cot"))
    agent = world.members[Role.HOTLINE_AGENT]
    response = api(world, agent, "GET", "/availability")
    (row,) = response.json()
    assert (row["free_beds"], row["free_cots"], row["free_accessible"], row["held"]) == (3, 0, 1, 0)
    text = response.content.decode()
    for secret in (
        household.woman.survivor_code,
        household.daughter.survivor_code,
        ADDRESS,
        str(household.case.pk),
    ):
        assert secret not in text
    assert "address" not in row and "residents" not in row
    # Filters: a boy of 12 where boys up to 8 may stay leaves the facility out.
    facility.boys_max_age = 8
    facility.save(update_fields=["boys_max_age"])
    assert api(world, agent, "GET", "/availability?boys_ages=12").json() == []
    assert len(api(world, agent, "GET", "/availability?boys_ages=5&min_free=3").json()) == 1
    assert api(world, agent, "GET", "/availability?min_free=4").json() == []


def test_an_outsider_sees_no_facility(world: World, facility: Facility) -> None:
    assert api(world, world.outsider, "GET", "/facilities").json() == []
    assert api(world, world.outsider, "GET", "/availability").json() == []
    assert api(world, world.outsider, "GET", f"/facilities/{facility.pk}").status_code == 404
    body = {"facility_id": str(facility.pk), "bed_ids": [str(bed(facility, "1").pk)]}
    assert (
        api(world, world.outsider, "POST", "/holds", body).status_code == 403
    )  # an admin does not hold beds


def test_a_hotline_agent_holds_a_bed_and_the_shelter_admits_her_into_it(
    world: World, facility: Facility, household: Household
) -> None:
    agent = world.members[Role.HOTLINE_AGENT]
    body = {
        "facility_id": str(facility.pk),
        "bed_ids": [str(bed(facility, "1").pk), str(bed(facility, "Cot").pk)],
        "adults": 1,
        "children": [{"age": 3, "sex": "FEMALE"}],
    }
    held = api(world, agent, "POST", "/holds", body)
    assert held.status_code == 201, held.content
    hold_id = held.json()[0]["id"]

    manager = world.members[Role.SHELTER_MANAGER]
    admission = {
        "facility_id": str(facility.pk),
        "residents": [
            {"bed_id": str(bed(facility, "1").pk)},
            {"bed_id": str(bed(facility, "Cot").pk), "person_id": str(household.daughter.pk)},
        ],
        "arrival_kind": "HOTLINE",
        "hold_id": hold_id,
    }
    response = api(world, manager, "POST", f"/cases/{household.case.pk}/admissions", admission)
    assert response.status_code == 201, response.content
    stay = response.json()
    assert {r["survivor_code"] for r in stay["residents"]} == {
        household.woman.survivor_code,
        household.daughter.survivor_code,
    }
    assert set(BedHold.objects.values_list("status", flat=True)) == {"USED"}
    assert AuditEntry.objects.filter(action="stay.view", object_id=stay["id"]).count() == 1

    api(world, manager, "GET", f"/stays/{stay['id']}")
    assert AuditEntry.objects.filter(action="stay.view", object_id=stay["id"]).count() == 2

    discharged = api(world, manager, "POST", f"/stays/{stay['id']}/discharge", {"destination": "FAMILY"})
    assert discharged.status_code == 200 and discharged.json()["status"] == "ENDED"
    assert FollowUp.objects.filter(case=household.case).count() == 3


def test_bad_input_is_a_422_with_field_details_and_nothing_written(
    world: World, facility: Facility, household: Household
) -> None:
    manager = world.members[Role.SHELTER_MANAGER]
    path = f"/cases/{household.case.pk}/admissions"
    before = counts()
    missing = api(world, manager, "POST", path, {"facility_id": str(facility.pk), "arrival_kind": "WALK_IN"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "residents"
    bad_kind = {
        "facility_id": str(facility.pk),
        "residents": [{"bed_id": str(bed(facility, "1").pk)}],
        "arrival_kind": "UFO",
    }
    assert api(world, manager, "POST", path, bad_kind).status_code == 422

    admit(household, facility, world.at, (household.woman, "2"))
    before = counts()
    other_bed = {**bad_kind, "arrival_kind": "WALK_IN"}
    again = api(world, manager, "POST", path, other_bed)
    assert again.status_code == 422 and "already staying" in errors(again)
    assert counts() == before

    stay = Stay.objects.get()
    early = (world.at - timedelta(days=1)).isoformat()
    refused = api(
        world, manager, "POST", f"/stays/{stay.pk}/discharge", {"destination": "FAMILY", "left_at": early}
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "left_at"
    assert counts() == before


def test_the_waitlist_the_turn_aways_and_the_figures(
    world: World, facility: Facility, household: Household
) -> None:
    caseworker = world.members[Role.CASEWORKER]
    added = api(
        world, caseworker, "POST", f"/cases/{household.case.pk}/waitlist", {"facility_id": str(facility.pk)}
    )
    assert added.status_code == 201 and added.json()["risk_level"] == "STANDARD"
    listed = api(world, caseworker, "GET", f"/facilities/{facility.pk}/waitlist").json()
    assert [row["case_id"] for row in listed] == [str(household.case.pk)]
    # The lawyer is neither on the case nor based at the facility.
    assert api(world, world.members[Role.LAWYER], "GET", f"/facilities/{facility.pk}/waitlist").json() == []

    turned = api(
        world, caseworker, "POST", f"/facilities/{facility.pk}/turn-aways", {"reason": "FULL", "children": 2}
    )
    assert turned.status_code == 201
    today = timezone.localdate()
    period = f"start={today.isoformat()}&end={(today + timedelta(days=1)).isoformat()}"
    figures = api(
        world, world.members[Role.DATA_OFFICER], "GET", f"/facilities/{facility.pk}/occupancy?{period}"
    ).json()
    assert figures["turn_aways"]["FULL"] == 1 and figures["capacity_nights"] == 5
    backwards = api(
        world, caseworker, "GET", f"/facilities/{facility.pk}/occupancy?start={today}&end={today}"
    )
    assert backwards.status_code == 422


def test_managers_change_the_facility_others_cannot(world: World, facility: Facility) -> None:
    manager = world.members[Role.SHELTER_MANAGER]
    changed = api(world, manager, "PATCH", f"/facilities/{facility.pk}", {"max_stay_days": 30})
    assert changed.status_code == 200 and changed.json()["max_stay_days"] == 30
    refused = api(
        world, world.members[Role.CASEWORKER], "PATCH", f"/facilities/{facility.pk}", {"max_stay_days": 1}
    )
    assert refused.status_code == 403
    bad = api(world, manager, "PATCH", f"/facilities/{facility.pk}", {"hold_minutes": 2})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "hold_minutes"
    facility.refresh_from_db()
    assert facility.max_stay_days == 30 and facility.hold_minutes == 90


def test_the_facility_list_takes_the_same_queries_for_one_or_many(world: World, facility: Facility) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from haven.orgs.actions import create_site
    from haven.shelters.tests.conftest import make_facility_on

    manager = world.members[Role.SHELTER_MANAGER]
    api(world, manager, "GET", "/facilities")  # the token is made and cached before counting
    with CaptureQueriesContext(connection) as one:
        assert len(api(world, manager, "GET", "/facilities").json()) == 1
    for n in range(3):
        site = create_site(
            org=world.org, name=f"Safe house {n}", kind="SHELTER", acting_user=None, at=world.at
        )
        make_facility_on(site)
    with CaptureQueriesContext(connection) as four:
        rows = api(world, manager, "GET", "/facilities").json()
    assert len(rows) == 4 and rows[-1]["capacity"] == 5
    assert len(four.captured_queries) == len(one.captured_queries)


def test_an_organisation_admin_describes_a_site_as_a_facility(world: World) -> None:
    admin = world.members[Role.ORG_ADMIN]
    body = {
        "site_id": str(world.shelter.pk),
        "facility_type": "ONE_STOP_CENTRE",
        "operator": "STATE",
        "max_stay_days": 5,
    }
    created = api(world, admin, "POST", "/facilities", body)
    assert created.status_code == 201 and created.json()["max_stay_days"] == 5
    office = api(world, admin, "POST", "/facilities", {**body, "site_id": str(world.office.pk)})
    assert office.status_code == 422 and office.json()["errors"][0]["field"] == "site"
    room = api(
        world,
        world.members[Role.SHELTER_MANAGER],
        "POST",
        f"/facilities/{created.json()['id']}/rooms",
        {"name": "Room A", "beds": [{"label": "1"}, {"label": "1"}]},
    )
    assert room.status_code == 422 and "same label" in errors(room)
    assert Facility.objects.count() == 1 and not Facility.objects.get().rooms.exists()
